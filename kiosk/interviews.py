"""Booking a video interview at the kiosk, the flow's part: the job's free times, one tap books one
(offline too), and what became of earlier bookings is said at the next card.
A part of kiosk.flow.Flow: it reads the flow's visit, data and words."""

from __future__ import annotations

from cardreader.identity import Identity

from . import present
from .steps import RECEIPT, SLOTS


class Interviews:
    """Video interviews: the free times and booking one."""

    def start_booking(self) -> None:
        if not self.visit.with_card:
            self.visit.message = self.tr("booking.need_card")
            return
        self._go(SLOTS)
        self._show_slots()

    def _show_slots(self) -> None:
        visit = self.visit
        visit.slots = self.data.slots(visit.job["pid"])
        place = visit.slots[0]["place"] if visit.slots else ""
        visit.message = self.tr("slots.how", place=place) if visit.slots else self.tr("slots.none")

    def book_slot(self, slot_id: int) -> None:
        """A time tapped: booked at once (offline too); the receipt says whether the hub confirmed."""
        visit = self.visit
        slot = next((s for s in self.data.slots(visit.job["pid"]) if s["id"] == slot_id), None)
        doc = self.data.posting(visit.job["pid"])
        if slot is None or doc is None:  # taken meanwhile: the choices as they are now
            self._show_slots()
            return
        code = self.data.book(visit.identity, slot)
        employer = self.data.reference.employers.get(doc.get("employer"), {}).get("name", "")
        station = self.data.reference.station.get("name", "")
        visit.receipt = present.booking_receipt(
            code, slot, doc, self.lang, self.data.tz, sent=self.online, employer=employer, station=station
        )
        self._go(RECEIPT)

    def _booking_news(self, identity: Identity) -> str:
        """What became of this worker's bookings from this kiosk: a taken slot is said plainly."""
        lines = []
        for item in self.data.booking_news(identity):
            when = present.slot_text(item["slot"], self.lang, self.data.tz).replace("\n", " ")
            if item["status"] == "taken":
                lines.append(self.tr("booking.taken", when=when, reason=item["reason"]))
            elif item["status"] == "confirmed":
                lines.append(self.tr("booking.confirmed", when=when, place=item["slot"].get("place", "")))
        return "\n".join(lines)
