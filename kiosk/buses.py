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


DAY_WORDS = {0: "bus.today", 1: "bus.tomorrow", 2: "bus.day_after"}
# The part of the day a worker says: 早上 before nine, 上午 to noon, 中午, 下午, 晚上 from six.
PARTS = ((9, "bus.early"), (12, "bus.morning"), (13, "bus.noon"), (18, "bus.afternoon"), (24, "bus.evening"))


def when(at: dt.datetime, lang: str, today: dt.date) -> str:
    """明天（12月6日 周日）早上7:00 — the day as a worker says it, then the hour on a 12-hour clock."""
    ahead = (at.date() - today).days
    day = translate(
        lang, "bus.day", date=month_day(lang, at.date()), weekday=translate(lang, f"weekday.{at.weekday()}")
    )
    if ahead in DAY_WORDS:
        day = translate(lang, DAY_WORDS[ahead]) + translate(lang, "bus.day_in_brackets", day=day)
    part = next(key for end, key in PARTS if at.hour < end)
    hour = at.hour if at.hour <= 12 else at.hour - 12
    return translate(lang, "bus.at", day=day, part=translate(lang, part), time=f"{hour}:{at:%M}")


def leaves(doc: dict, lang: str, tz: dt.tzinfo, now: float) -> str:
    """明天（12月6日 周日）早上7:00发车, in the kiosk's time."""
    at = dt.datetime.fromtimestamp(int(doc.get("leaves_at") or 0), tz)
    return translate(lang, "bus.leaves", when=when(at, lang, dt.datetime.fromtimestamp(now, tz).date()))


def countdown(doc: dict, lang: str, now: float) -> str:
    """还有3小时 / 马上发车: within the day, how long until the bus leaves ("" further off: the day says it)."""
    hours = max(0, int(doc.get("leaves_at") or 0) - int(now)) // HOUR
    if hours >= 24:
        return ""
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


def short_title(doc: dict, lang: str, tz: dt.tzinfo) -> str:
    """去新疆阿克苏（12月9日）: what the next card's news calls the bus, on one line."""
    at = dt.datetime.fromtimestamp(int(doc.get("leaves_at") or 0), tz)
    return title(doc, lang) + translate(lang, "bus.day_in_brackets", day=month_day(lang, at.date()))


def row(doc: dict, lang: str, tz: dt.tzinfo, now: float) -> dict:
    """Where and when beside the seats left; the work (and its pay) has the second line to itself."""
    at = dt.datetime.fromtimestamp(int(doc.get("leaves_at") or 0), tz)
    left = int(doc.get("left") or 0)
    ahead = (at.date() - dt.datetime.fromtimestamp(now, tz).date()).days
    return {
        "item": doc["id"],
        "action": "open_bus",
        "title": title(doc, lang),
        "icon": "bus",
        "line": doc.get("work", ""),
        "chip": "",
        "seats": translate(lang, "bus.left_short", n=left) if left > 0 else translate(lang, "bus.full"),
        "open": left > 0,
        "yours": translate(
            lang,
            "bus.leaves_short",
            date=translate(lang, DAY_WORDS[ahead]) if ahead in DAY_WORDS else month_day(lang, at.date()),
            time=f"{at.hour}:{at:%M}",  # 7:00, as the bus's own screen says it (a landscape row has no room to spare)
        ),
    }


def listing(docs: list[dict], lang: str, tz: dt.tzinfo, now: float, message: str, page: int = 0) -> OffersView:
    return OffersView(
        title=translate(lang, "bus.title"),
        icon="bus",
        subtitle=translate(lang, "bus.subtitle"),
        message=message,
        **page_of([row(d, lang, tz, now) for d in docs], page, lang),
    )


# The button after a seat asked for this visit: waiting for the hub, or refused and free to ask again
# (a seat given back, or a refusal the seats-left count had not yet shown) — never a bare 报名 again.
BUTTONS = {"asked": "offer.asked_button", "refused": "offer.again_button"}


def view(
    doc: dict, lang: str, tz: dt.tzinfo, now: float, *, age: int | None, message: str, card: bool, outcome: str = ""
) -> OfferView:
    """One bus. `outcome` is what became of a seat asked for on it this visit: asked (the hub has not
    answered), confirmed, or refused (the worker may ask again while seats are left)."""
    why_not = refusal(doc, age, lang)
    who = age_text(doc, lang)
    until = dt.datetime.fromtimestamp(int(doc.get("to") or 0), tz)
    today = dt.datetime.fromtimestamp(now, tz).date()
    left = countdown(doc, lang, now)
    held = outcome in ("asked", "confirmed")
    said = {"asked": "bus.signed", "confirmed": "bus.seat_yours", "refused": "bus.refused_before"}.get(outcome)
    return OfferView(
        title=title(doc, lang),
        icon="bus",
        seats=translate(lang, "bus.seats", left=seats(doc, lang), seats=doc.get("seats", 0)),
        # The work first: it is why anyone gets on the bus; then when and where to be, and what to bring.
        facts=facts(
            ("job", doc.get("work", "")),
            ("jobfair", translate(lang, "bus.employer", name=doc.get("employer_name", ""))),
            ("date", leaves(doc, lang, tz, now) + (translate(lang, "bus.countdown", left=left) if left else "")),
            ("place", translate(lang, "bus.meeting", place=doc.get("meeting", ""))),
            ("card", translate(lang, "bus.bring", what=doc["bring"]) if doc.get("bring") else ""),
            ("time", translate(lang, "bus.until", when=when(until, lang, today))),
            ("people", translate(lang, "bus.who", who=who) if who else ""),
        ),
        message=message or (translate(lang, said) if said else why_not),
        signed=outcome == "confirmed" and not message,
        good=(outcome == "confirmed" and not message) or message == translate(lang, "offer.card_ready"),
        can_sign_up=not why_not and not held,
        sign_up=translate(lang, BUTTONS.get(outcome) or button(outcome == "confirmed", card)),
        action="sign_up_bus",
    )


def receipt(code: str, doc: dict, lang: str, tz: dt.tzinfo, now: float, *, url: str, sent: bool, phone: str) -> dict:
    """What the receipt screen shows of a seat asked for (kiosk.views.ReceiptView's fields), its QR
    the bus's phone page `url`: online, 正在确认 until the hub answers (`answered`); offline, noted
    and not yet confirmed. `phone` is the station's: whom to ask before the day (a bus goes far)."""
    return {
        "code": code,
        "qr": url,
        "title": title(doc, lang),
        "employer": doc.get("work", ""),
        "sent": False,
        "mark": "time",
        "waiting": sent,
        "status": translate(lang, "bus.confirming" if sent else "bus.noted"),
        "note": translate(lang, "bus.wait" if sent else "bus.queued"),
        "when": leaves(doc, lang, tz, now),
        "where": translate(lang, "bus.meeting", place=doc.get("meeting", "")),
        "contact": translate(lang, "bus.bring", what=doc["bring"]) if doc.get("bring") else "",
        "contact_icon": "card",
        "contact_label": "",  # (带上：… says itself what it is; the panel's room goes to the station's number)
        "help": translate(lang, "bus.ask_station", phone=phone) if phone else "",
        "code_label": translate(lang, "bus.code_pending"),
        "scan_label": translate(lang, "bus.scan"),
    }


def unanswered(receipt_: dict, lang: str) -> dict:
    """The hub has not answered in time (the link went while they waited): as an offline sign-up."""
    return receipt_ | {"status": translate(lang, "bus.noted"), "note": translate(lang, "bus.queued"), "waiting": False}


def answered(receipt_: dict, result: dict, lang: str) -> dict:
    """The receipt once the hub has answered: the seat is theirs, or why not (full, closed)."""
    if result.get("status") in ("applied", "duplicate"):
        code = result.get("ref") or receipt_["code"]  # a repeat keeps the first seat and its code
        receipt_ = receipt_ | {"code_label": translate(lang, "course.code")}
        return receipt_ | {
            "code": code,
            "sent": True,
            "mark": "check",
            "waiting": False,
            "status": translate(lang, "bus.confirmed"),
            "note": "",
        }
    # Refused: nothing that looks like a ticket stays — no code, no QR, no day and place to go to.
    reason = result.get("reason") or ""
    gone = {"code": "", "qr": "", "scan_label": "", "when": "", "where": "", "contact": "", "contact_label": ""}
    words = {"status": translate(lang, "bus.refused_now"), "note": translate(lang, "bus.refused_next", reason=reason)}
    return receipt_ | gone | {"sent": False, "mark": "warning", "waiting": False} | words
