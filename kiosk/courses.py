"""技能培训 at the kiosk: what the course screens show (a big row per course, one course's facts, the
sign-up's receipt and speech) and who may join, in plain words. No Kivy here."""

from __future__ import annotations

import datetime as dt
import re

from .i18n import month_day, translate
from .offers import OffersView, OfferView, button, facts, page_of
from .present import age_text


def dates(doc: dict, lang: str) -> str:
    start, end = dt.date.fromisoformat(doc["starts_on"]), dt.date.fromisoformat(doc["ends_on"])
    if start == end:
        return month_day(lang, start)
    return translate(lang, "detail.until", start=month_day(lang, start), end=month_day(lang, end))


# The first clock time in the schedule's words (周一至周五 9:00–12:00, 下午 14:00–17:00): when to be there.
CLOCK = re.compile(r"(?<!\d)([01]?\d|2[0-3])[:：]([0-5]\d)(?!\d)")


def first_day(doc: dict, lang: str) -> str:
    """开课那天: 12月8日 14:00前 带上身份证到：… — the time only when the schedule's words hold one."""
    first = month_day(lang, dt.date.fromisoformat(doc["starts_on"]))
    clock = CLOCK.search(doc.get("schedule") or "")
    if clock:
        at = f"{int(clock[1])}:{clock[2]}"
        return translate(lang, "course.go_at", date=first, time=at, place=doc.get("place", ""))
    return translate(lang, "course.go", date=first, place=doc.get("place", ""))


def cost(doc: dict, lang: str) -> str:
    return doc.get("cost") or translate(lang, "course.free")


def seats(doc: dict, lang: str) -> str:
    left = int(doc.get("left") or 0)
    return translate(lang, "course.left", n=left) if left > 0 else translate(lang, "course.full")


def who(doc: dict, lang: str) -> str:
    parts = [age_text(doc, lang)]
    if doc.get("registered_only"):
        parts.append(translate(lang, "course.registered_only"))
    return translate(lang, "course.who", who="；".join(p for p in parts if p)) if any(parts) else ""


def refusal(doc: dict, age: int | None, lang: str, *, unregistered: bool = False) -> str:
    """Why this worker cannot take a seat, as far as the kiosk can tell (the hub decides the rest):
    `unregistered` when the hub answered that it holds no registration of theirs."""
    if int(doc.get("left") or 0) <= 0:
        return translate(lang, "course.full_message")
    low, high = doc.get("age_min"), doc.get("age_max")
    if age is not None and ((low is not None and age < low) or (high is not None and age > high)):
        return translate(lang, "course.age_message", who=age_text(doc, lang))
    if unregistered and doc.get("registered_only"):
        return translate(lang, "course.register_first")
    return ""


def until(doc: dict, lang: str, tz: dt.tzinfo) -> str:
    """The last day to sign up: the day before `to` when sign-ups close at midnight, else its day."""
    last = dt.datetime.fromtimestamp(int(doc.get("to") or 0) - 1, tz).date()
    return translate(lang, "course.until", date=month_day(lang, last))


def row(doc: dict, lang: str, trades: dict[int, dict], *, yours: bool) -> dict:
    return {
        "item": doc["id"],
        "action": "open_course",
        "title": doc.get("title", ""),
        "icon": trades.get(doc.get("trade"), {}).get("slug", "job"),
        "line": dates(doc, lang) + "  " + doc.get("place", ""),
        "chip": translate(lang, "course.paid") if doc.get("cost") else cost(doc, lang),  # the rule: on its screen
        "seats": seats(doc, lang),
        "open": int(doc.get("left") or 0) > 0,
        "yours": translate(lang, "course.yours") if yours else "",
    }


def rows(docs: list[dict], lang: str, trades: dict[int, dict], wanted: set[int]) -> list[dict]:
    """The worker's own trades first, then the rest; each group soonest first (as `docs` are)."""
    ordered = sorted(docs, key=lambda d: d.get("trade") not in wanted)
    return [row(d, lang, trades, yours=d.get("trade") in wanted) for d in ordered]


def listing(rows_: list[dict], lang: str, message: str, page: int = 0) -> OffersView:
    return OffersView(
        title=translate(lang, "course.title"),
        icon="training",
        subtitle=translate(lang, "course.subtitle"),
        message=message,
        **page_of(rows_, page, lang),
    )


def view(
    doc: dict,
    lang: str,
    trades: dict[int, dict],
    tz: dt.tzinfo,
    *,
    age: int | None,
    message: str,
    card: bool,
    signed: bool,
    unregistered: bool = False,
) -> OfferView:
    schedule = doc.get("schedule") or ""
    why_not = refusal(doc, age, lang, unregistered=unregistered)
    return OfferView(
        title=doc.get("title", ""),
        icon=trades.get(doc.get("trade"), {}).get("slug", "job"),
        seats=translate(lang, "course.seats", left=seats(doc, lang), seats=doc.get("seats", 0)),
        # The cost first, on a line of its own: a subsidy rule in words is long, and is what decides.
        facts=facts(
            ("pay", translate(lang, "course.cost", cost=cost(doc, lang))),
            ("date", dates(doc, lang) + (f" · {schedule}" if schedule else "")),
            ("time", until(doc, lang, tz)),
            ("place", doc.get("place", "")),
            ("job", translate(lang, "course.organiser", name=doc.get("organiser", ""))),
            ("people", who(doc, lang)),
        ),
        message=message or (translate(lang, "course.signed") if signed else why_not),
        signed=signed and not message,
        good=(signed and not message) or message == translate(lang, "offer.card_ready"),
        can_sign_up=not why_not and not signed,
        sign_up=translate(lang, button(signed, card)),
        action="sign_up_course",
    )


def receipt(code: str, doc: dict, lang: str, *, url: str, sent: bool) -> dict:
    """What the receipt screen shows of a sign-up (kiosk.views.ReceiptView's fields), its QR the
    course's phone page `url`. Offline it does not say 成功: the hub may find the course full, and
    some will not come back before it."""
    return {
        "code": code,
        "qr": url,
        "title": doc.get("title", ""),
        "employer": translate(lang, "course.organiser", name=doc.get("organiser", "")),
        "sent": sent,
        "mark": "check" if sent else "time",  # offline: a seat the hub has yet to give
        "status": translate(lang, "course.done" if sent else "course.noted"),
        "note": "" if sent else translate(lang, "course.queued"),
        "when": dates(doc, lang) + (f" · {doc['schedule']}" if doc.get("schedule") else ""),
        "where": doc.get("place", ""),
        "contact": first_day(doc, lang),
        "contact_icon": "card",
        "contact_label": translate(lang, "course.how"),
        "code_label": translate(lang, "course.code"),
        "scan_label": translate(lang, "course.scan"),
    }
