"""Booking a video interview at the kiosk: the times offered, the booking, and what became of
earlier bookings — the kiosk app's steps for it (the state lives on the app)."""

from __future__ import annotations

from cardreader.identity import Identity

from . import present


class InterviewBooking:
    """Mixed into KioskApp: uses its data, visit, job, slot_choices, message, receipt and sm."""

    def start_booking(self) -> None:
        if self.visit is None or not self.visit.with_card:
            self.message = self.tr("booking.need_card")
            return
        self.message = ""
        self.show_slots()
        self.sm.current = "slots"

    def show_slots(self) -> None:
        slots = self.data.slots(self.job["pid"])
        self.slot_choices = [{"text": present.slot_text(s, self.lang, self.data.tz), "value": s["id"]} for s in slots]
        place = slots[0]["place"] if slots else ""
        self.message = self.tr("slots.how", place=place) if slots else self.tr("slots.none")

    def book_slot(self, slot_id: int) -> None:
        """A time tapped: booked at once (offline too); the receipt says whether the hub confirmed."""
        slot = next((s for s in self.data.slots(self.job["pid"]) if s["id"] == slot_id), None)
        doc = self.data.posting(self.job["pid"])
        if slot is None or doc is None:
            self.show_slots()
            return
        code = self.data.book(self.visit.identity, slot)
        sent = bool(self.agent is not None and self.agent.status.online)
        employer = self.data.reference.employers.get(doc.get("employer"), {}).get("name", "")
        self.receipt = present.booking_receipt(code, slot, doc, self.lang, self.data.tz, sent=sent, employer=employer)
        self.sm.current = "receipt"

    def booking_news(self, identity: Identity) -> str:
        """What became of this worker's bookings from this kiosk: a taken slot is said plainly."""
        lines = []
        for item in self.data.booking_news(identity):
            when = present.slot_text(item["slot"], self.lang, self.data.tz).replace("\n", " ")
            if item["status"] == "taken":
                lines.append(self.tr("booking.taken", when=when, reason=item["reason"]))
            elif item["status"] == "confirmed":
                lines.append(self.tr("booking.confirmed", when=when, place=item["slot"].get("place", "")))
        return "\n".join(lines)
