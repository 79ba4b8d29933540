"""What the screens of an offering with seats show, whatever is offered (a course, a bus): the list
of big rows, one offering's facts beside its 报名 button, and the facts read aloud. No Kivy here:
kiosk.courses and kiosk.buses fill these in their own words."""

from __future__ import annotations

from dataclasses import dataclass, field

from .i18n import translate

# Rows on a page of a list: six, big, as the 紧缺工种 screen's (two columns of three in landscape).
# A fair's hall may have a hundred booths: the list pages with big buttons, as the jobs do.
ROWS = 6


@dataclass(frozen=True)
class OffersView:
    """The offerings taking sign-ups here, soonest first. Each row (kv/offers.kv, OfferRow) is a dict:
    item, action (the flow's action that opens it), title, icon, line, chip, seats, open, yours."""

    title: str = ""
    icon: str = "training"
    rows: list = field(default_factory=list)
    subtitle: str = ""
    message: str = ""  # the answer to a tap (one gone meanwhile)
    paged: bool = False
    page: str = ""  # 第2页，共5页
    can_previous: bool = False
    can_next: bool = False


@dataclass(frozen=True)
class OfferView:
    """One offering in full (kv/offer.kv): its facts as (icon, text) lines in the order they matter
    to the worker, the seats left in big type, and the one button that takes the card."""

    title: str = ""
    icon: str = "job"
    seats: str = ""
    facts: tuple = ()  # ((icon, text), …), empty texts left out
    message: str = ""  # why they cannot sign up, or the answer to a tap
    signed: bool = False  # they took a seat here this visit: the message is good news
    good: bool = False  # the message is good news (the seat is theirs; the card was read, tap 报名)
    can_sign_up: bool = False
    sign_up: str = ""  # the button's word: 报名, 刷身份证报名 without a card, 已报名 ✓ once done
    action: str = ""  # the flow's action the button sends (sign_up_course, sign_up_bus)

    def fact(self, icon: str) -> str:
        """The text of the fact shown with this icon ("" when there is none)."""
        return next((text for i, text in self.facts if i == icon), "")


def page_of(rows: list[dict], page: int, lang: str) -> dict:
    """The OffersView fields of one page of `rows`: the rows on it and the pager's state."""
    pages = max(1, -(-len(rows) // ROWS))
    page = max(0, min(page, pages - 1))
    return {
        "rows": rows[page * ROWS : (page + 1) * ROWS],
        "paged": pages > 1,
        "page": translate(lang, "jobs.page", page=page + 1, pages=pages),
        "can_previous": page > 0,
        "can_next": page < pages - 1,
    }


def facts(*pairs: tuple[str, str]) -> tuple:
    return tuple((icon, text) for icon, text in pairs if text)


def button(signed: bool, card: bool) -> str:
    """The sign-up button's words (a kiosk.strings key): done, with the card, or asking for it."""
    return "offer.signed_button" if signed else "offer.sign_up" if card else "offer.sign_up_card"


def speech(v: OfferView, lang: str) -> str:
    """The offering read aloud, in the order the screen gives it."""
    parts = (v.title, v.seats, *(text for _icon, text in v.facts), v.message)
    comma = ", " if lang == "en" else "，"
    return comma.join(p for p in parts if p) + ("." if lang == "en" else "。")
