"""包车 at the kiosk, the flow's part: the buses leaving from here, one bus's facts, a seat asked for
with the card in one more tap (offline too), and the hub's answer on the receipt or at the next card.
A part of kiosk.flow.Flow: it reads the flow's visit, data and words."""

from __future__ import annotations

import datetime as dt

from wire import events

from . import buses, fairs
from .offers import OffersView, OfferView
from .steps import BUS, BUSES, RECEIPT
from .visit import Visit

WAIT_S = 15  # an answer from the hub online takes a second or two; after this, the link has gone


class Charter:
    """Buses: the list, one bus, asking for a seat, the answer."""

    def buses(self) -> None:
        """From the first screen (looked at without a card, like 先看看岗位) or during a visit."""
        if not self.data.buses():
            return
        if self.visit is None:
            self._begin(Visit(browsing=True))
        self.visit.offers_page = 0
        self._go(BUSES)

    def open_bus(self, departure_id: int) -> None:
        if self.data.bus(departure_id) is None:  # sign-ups closed meanwhile: the list as it is now
            self.visit.message = self.tr("bus.gone")
            return
        self.visit.bus = departure_id
        self._go(BUS)

    def sign_up_bus(self) -> None:
        """报名: a seat asked for at once (offline too); the receipt says what the hub answers."""
        visit = self.visit
        doc = self.data.bus(visit.bus) if visit.bus is not None else None
        if doc is None:
            visit.message = self.tr("bus.gone")
            return
        if not visit.with_card:
            visit.message = self.tr("bus.need_card")
            return
        if visit.on_bus.get(doc["id"]) in ("asked", "confirmed"):  # a second tap (the receipt was shown)
            return
        why_not = buses.refusal(doc, self._age_on_bus(doc), self.lang)
        if why_not:
            visit.message = why_not
            return
        title = buses.short_title(doc, self.lang, self.data.tz)  # (said again at the next card: kept short)
        body = events.BusSignup(departure=doc["id"], cursor=self.data.store.cursor)
        code, n = self.data.take_seat(visit.identity, "bus_signup", body, title)
        visit.on_bus[doc["id"]] = "asked"
        url = self.page_url(f"/d/{doc['id']}")
        station = self.data.reference.station
        phone = station.get("phone") or station.get("hotline") or ""
        visit.receipt = buses.receipt(
            code, doc, self.lang, self.data.tz, self.data.clock(), url=url, sent=self.online, phone=phone
        )
        # (offline too: the link may come back while they are still here)
        visit.awaiting = (n, "bus_signup", doc["id"], self.clock())
        self._go(RECEIPT)

    def seat_news(self) -> None:
        """Once a second on the receipt: the hub's answer to the seat (or fair number) asked for; no
        answer within WAIT_S (the link went), and the receipt says what an offline one says."""
        visit = self.visit
        if visit is None or visit.awaiting is None or self.screen != RECEIPT:
            return
        n, kind, item, asked = visit.awaiting
        result = self.data.seat_answer(n)
        if result is None:
            if self.clock() - asked > WAIT_S and visit.receipt.get("note") != self.tr("bus.queued"):
                gone_quiet = fairs.unanswered if kind == "fair_ticket" else buses.unanswered
                visit.receipt = gone_quiet(visit.receipt, self.lang)
            return
        if kind == "fair_ticket":
            visit.receipt = fairs.answered(visit.receipt, result, self.lang)
        else:
            visit.receipt = buses.answered(visit.receipt, result, self.lang)
            visit.on_bus[item] = "confirmed" if result.get("status") in ("applied", "duplicate") else "refused"
        visit.awaiting = None

    def buses_card(self) -> dict | None:
        """The card after a worker's jobs that leads to the buses leaving from here, its first line the
        soonest (kiosk.flow.Flow.list_items places it): a card visit has no other way to them."""
        # The soonest bus whose work takes the worker's age (else the soonest): not one they cannot board.
        docs = sorted(self.data.buses(), key=lambda d: bool(buses.refusal(d, self._age_on_bus(d), self.lang)))
        if not docs:
            return None
        first = buses.row(docs[0], self.lang, self.data.tz, self.data.clock())
        line = self.tr("bus.card_line", n=len(docs), when=first["yours"], title=first["title"])
        seats = self.tr("bus.card_seats", seats=buses.seats(docs[0], self.lang)) if first["open"] else first["seats"]
        title = self.tr("bus.card_title")
        return {
            "viewclass": "OfferCard",
            "icon": "bus",
            "action": "buses",
            "title": title,
            "line": line,
            "seats": seats,
        }

    def bus_list(self) -> OffersView:
        data, visit = self.data, self.visit
        return buses.listing(data.buses(), self.lang, data.tz, data.clock(), visit.message, visit.offers_page)

    def bus_view(self) -> OfferView:
        visit = self.visit
        doc = self.data.bus(visit.bus) if visit.bus is not None else None
        if doc is None:  # withdrawn while on screen: the facts go, the answer says why
            return OfferView(message=self.tr("bus.gone"))
        return buses.view(
            doc,
            self.lang,
            self.data.tz,
            self.data.clock(),
            age=self._age_on_bus(doc),
            message=visit.message,
            card=visit.with_card,
            outcome=visit.on_bus.get(doc["id"], ""),
        )

    def _age_on_bus(self, doc: dict) -> int | None:
        if self.visit.identity is None:
            return None
        return self.visit.identity.age(dt.datetime.fromtimestamp(int(doc["leaves_at"]), self.data.tz).date())
