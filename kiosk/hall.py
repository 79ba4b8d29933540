"""招聘会 at the kiosk, the flow's part: the booths of the fair on in the hall, one booth, a number taken
with the card in one more tap, and the number on the receipt as soon as the hub gives it.
A part of kiosk.flow.Flow: it reads the flow's visit, data and words."""

from __future__ import annotations

from wire import events, protocol

from . import fairs
from .offers import OffersView, OfferView
from .steps import BOOTH, FAIR, RECEIPT
from .visit import Visit


class Hall:
    """The fair: its booths, one booth, taking a number."""

    def fair(self) -> None:
        """From the first screen (looked at without a card) or during a visit, while a fair is on."""
        if self.data.fair() is None:
            return
        if self.visit is None:
            self._begin(Visit(browsing=True))
        self.visit.offers_page = 0
        self._go(FAIR)

    def open_booth(self, booth_id: int) -> None:
        if self.data.booth(booth_id) is None:  # the fair ended meanwhile: the list as it is now
            self.visit.message = self.tr("fair.gone")
            return
        self.visit.booth = booth_id
        self._go(BOOTH)

    def take_number(self) -> None:
        """取号: the number asked for at once; the receipt shows it when the hub gives it."""
        visit, doc = self.visit, self.data.fair()
        booth = self.data.booth(visit.booth) if visit.booth is not None else None
        if doc is None or booth is None:
            visit.message = self.tr("fair.gone")
            return
        if not visit.with_card:
            visit.message = self.tr("fair.need_card")
            return
        if booth["id"] in visit.numbers or not doc.get("taking"):  # a second tap; or numbers stopped
            return
        secret = protocol.ticket_secret()  # the number's phone page: only the receipt's QR holds it
        body = events.FairTicket(booth=booth["id"], secret=secret, cursor=self.data.store.cursor)
        title = fairs.row(booth, self.lang)["title"]
        _code, n = self.data.take_seat(visit.identity, "fair_ticket", body, title)
        visit.numbers.add(booth["id"])
        url = f"{self.public_url}/q/{secret}"
        visit.receipt = fairs.receipt(doc, booth, self.lang, url=url, sent=self.online)
        visit.awaiting = (n, "fair_ticket", booth["id"], self.clock())
        self._go(RECEIPT)

    def booth_list(self) -> OffersView:
        doc = self.data.fair() or {}
        return fairs.listing(doc, self.lang, self.visit.message, self.visit.offers_page)

    def booth_view(self) -> OfferView:
        visit, doc = self.visit, self.data.fair()
        booth = self.data.booth(visit.booth) if visit.booth is not None else None
        if doc is None or booth is None:  # the fair closed while on screen
            return OfferView(message=self.tr("fair.gone"))
        return fairs.view(
            doc, booth, self.lang, message=visit.message, card=visit.with_card, taken=booth["id"] in visit.numbers
        )
