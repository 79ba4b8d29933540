"""包车 at the kiosk: what the bus screens show (a big row per departure, one bus's facts, the seat's
receipt as the hub confirms it) and who may go, in plain words. No Kivy here.

A seat is the hub's to give (hub.buses): the kiosk never says 已确认 on its own. Online, the receipt
says 正在确认 until the hub has answered the sign-up (a second or two); offline, 已记下，还没确认,
and the worker hears at their next card here whether they got the seat."""

from __future__ import annotations

import datetime as dt

from .i18n import month_day, translate
from .offers import OffersView, OfferView, button, facts, page_of
from .present import age_text

HOUR = 3600


def leaves(doc: dict, lang: str, tz: dt.tzinfo) -> str:
    """12月6日 周日 07:00, in the kiosk's time."""
    at = dt.datetime.fromtimestamp(int(doc.get("leaves_at") or 0), tz)
    weekday = translate(lang, f"weekday.{at.weekday()}")
    return translate(lang, "bus.leaves", date=month_day(lang, at.date()), weekday=weekday, time=f"{at:%H:%M}")


def countdown(doc: dict, lang: str, now: float) -> str:
    """还有2天5小时 / 还有3小时 / 马上出发: how long until the bus leaves, in whole hours."""
    hours = max(0, int(doc.get("leaves_at") or 0) - int(now)) // HOUR
    if hours >= 24:
        return translate(lang, "bus.in_days", days=hours // 24, hours=hours % 24)
    return translate(lang, "bus.in_hours", hours=hours) if hours else translate(lang, "bus.now")


def seats(doc: dict, lang: str) -> str:
    left = int(doc.get("left") or 0)
    return translate(lang, "bus.left", n=left) if left > 0 else translate(lang, "bus.full")


def refusal(doc: dict, age: int | None, lang: str) -> str:
    """Why this worker cannot take a seat, as far as the kiosk can tell (the hub decides the rest)."""
    if int(doc.get("left") or 0) <= 0:
        return translate(lang, "bus.full_message")
    low, high = doc.get("age_min"), doc.get("age_max")
    if age is not None and ((low is not None and age < low) or (high is not None and age > high)):
        return translate(lang, "bus.age_message", who=age_text(doc, lang))
    return ""


def title(doc: dict, lang: str) -> str:
    return translate(lang, "bus.to", place=doc.get("destination", ""))


def row(doc: dict, lang: str, tz: dt.tzinfo) -> dict:
    """Where and when beside the seats left; the work (and its pay) has the second line to itself."""
    at = dt.datetime.fromtimestamp(int(doc.get("leaves_at") or 0), tz)
    left = int(doc.get("left") or 0)
    return {
        "item": doc["id"],
        "action": "open_bus",
        "title": title(doc, lang),
        "icon": "bus",
        "line": doc.get("work", ""),
        "chip": "",
        "seats": translate(lang, "bus.left_short", n=left) if left > 0 else translate(lang, "bus.full"),
        "open": left > 0,
        "yours": translate(lang, "bus.leaves_short", date=month_day(lang, at.date()), time=f"{at:%H:%M}"),
    }


def listing(docs: list[dict], lang: str, tz: dt.tzinfo, message: str, page: int = 0) -> OffersView:
    return OffersView(
        title=translate(lang, "bus.title"),
        icon="bus",
        subtitle=translate(lang, "bus.subtitle"),
        message=message,
        **page_of([row(d, lang, tz) for d in docs], page, lang),
    )


def view(
    doc: dict, lang: str, tz: dt.tzinfo, now: float, *, age: int | None, message: str, card: bool, signed: bool
) -> OfferView:
    why_not = refusal(doc, age, lang)
    who = age_text(doc, lang)
    until = dt.datetime.fromtimestamp(int(doc.get("to") or 0), tz)
    return OfferView(
        title=title(doc, lang),
        icon="bus",
        seats=translate(lang, "bus.seats", left=seats(doc, lang), seats=doc.get("seats", 0)),
        # The work first: it is why anyone gets on the bus; then when and where to be, and what to bring.
        facts=facts(
            ("job", doc.get("work", "")),
            ("jobfair", translate(lang, "bus.employer", name=doc.get("employer_name", ""))),
            ("time", leaves(doc, lang, tz) + translate(lang, "bus.countdown", left=countdown(doc, lang, now))),
            ("place", translate(lang, "bus.meeting", place=doc.get("meeting", ""))),
            ("card", translate(lang, "bus.bring", what=doc["bring"]) if doc.get("bring") else ""),
            ("date", translate(lang, "bus.until", date=month_day(lang, until.date()), time=f"{until:%H:%M}")),
            ("people", translate(lang, "bus.who", who=who) if who else ""),
        ),
        message=message or (translate(lang, "bus.signed") if signed else why_not),
        signed=signed and not message,
        can_sign_up=not why_not and not signed,
        sign_up=translate(lang, button(signed, card)),
        action="sign_up_bus",
    )


def receipt(code: str, doc: dict, lang: str, tz: dt.tzinfo, *, sent: bool) -> dict:
    """What the receipt screen shows of a seat asked for (kiosk.views.ReceiptView's fields): online,
    正在确认 until the hub answers (`answered`); offline, noted and not yet confirmed."""
    return {
        "code": code,
        "title": title(doc, lang),
        "employer": doc.get("work", ""),
        "sent": False,
        "mark": "time",
        "status": translate(lang, "bus.confirming" if sent else "bus.noted"),
        "note": translate(lang, "bus.wait" if sent else "bus.queued"),
        "when": leaves(doc, lang, tz),
        "where": translate(lang, "bus.meeting", place=doc.get("meeting", "")),
        "contact": translate(lang, "bus.bring", what=doc["bring"]) if doc.get("bring") else "",
        "contact_icon": "card",
        "contact_label": translate(lang, "bus.how"),
        "code_label": translate(lang, "course.code"),
        "scan_label": translate(lang, "receipt.scan"),
    }


def answered(receipt_: dict, result: dict, lang: str) -> dict:
    """The receipt once the hub has answered: the seat is theirs, or why not (full, closed)."""
    if result.get("status") in ("applied", "duplicate"):
        code = result.get("ref") or receipt_["code"]  # a repeat keeps the first seat and its code
        return receipt_ | {
            "code": code,
            "sent": True,
            "mark": "check",
            "status": translate(lang, "bus.confirmed"),
            "note": "",
        }
    reason = result.get("reason") or ""
    return receipt_ | {"sent": False, "mark": "warning", "status": translate(lang, "bus.refused_now"), "note": reason}
