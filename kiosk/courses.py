"""技能培训 at the kiosk: what the course screens show (a big row per course, one course's facts, the
sign-up's receipt and speech) and who may join, in plain words. No Kivy here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .i18n import month_day, translate
from .present import age_text

# Rows on the list: six, big, as the 紧缺工种 screen's (two columns of three in landscape).
ROWS = 6


@dataclass(frozen=True)
class CoursesView:
    """The courses taking sign-ups here, soonest first (the worker's own trades first)."""

    rows: list = field(default_factory=list)
    subtitle: str = ""
    message: str = ""  # the answer to a tap (a course gone meanwhile)


@dataclass(frozen=True)
class CourseView:
    title: str = ""
    icon: str = "job"
    organiser: str = ""
    when: str = ""
    where: str = ""
    cost: str = ""
    seats: str = ""
    who: str = ""  # who may join: the ages, registered workers only
    until: str = ""  # 报名截止：12月7日 (sign-ups close as the first day begins)
    message: str = ""  # why they cannot sign up, or the answer to a tap
    signed: bool = False  # they took a seat here this visit: the message is good news
    can_sign_up: bool = False
    sign_up: str = ""  # the button's word: 报名, 刷身份证报名 without a card, 已报名 ✓ once done


def dates(doc: dict, lang: str) -> str:
    start, end = dt.date.fromisoformat(doc["starts_on"]), dt.date.fromisoformat(doc["ends_on"])
    if start == end:
        return month_day(lang, start)
    return translate(lang, "detail.until", start=month_day(lang, start), end=month_day(lang, end))


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
        "course": doc["id"],
        "title": doc.get("title", ""),
        "icon": trades.get(doc.get("trade"), {}).get("slug", "job"),
        "when": dates(doc, lang),
        "place": doc.get("place", ""),
        "cost": translate(lang, "course.paid") if doc.get("cost") else cost(doc, lang),  # the rule: on its screen
        "seats": seats(doc, lang),
        "open": int(doc.get("left") or 0) > 0,
        "yours": translate(lang, "course.yours") if yours else "",
    }


def rows(docs: list[dict], lang: str, trades: dict[int, dict], wanted: set[int], limit: int = ROWS) -> list[dict]:
    """The worker's own trades first, then the rest; each group soonest first (as `docs` are)."""
    ordered = sorted(docs, key=lambda d: d.get("trade") not in wanted)
    return [row(d, lang, trades, yours=d.get("trade") in wanted) for d in ordered[:limit]]


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
) -> CourseView:
    schedule = doc.get("schedule") or ""
    why_not = refusal(doc, age, lang, unregistered=unregistered)
    word = "course.signed_button" if signed else "course.sign_up" if card else "course.sign_up_card"
    return CourseView(
        title=doc.get("title", ""),
        icon=trades.get(doc.get("trade"), {}).get("slug", "job"),
        organiser=translate(lang, "course.organiser", name=doc.get("organiser", "")),
        when=dates(doc, lang) + (f" · {schedule}" if schedule else ""),
        where=doc.get("place", ""),
        cost=translate(lang, "course.cost", cost=cost(doc, lang)),
        seats=translate(lang, "course.seats", left=seats(doc, lang), seats=doc.get("seats", 0)),
        who=who(doc, lang),
        until=until(doc, lang, tz),
        message=message or (translate(lang, "course.signed") if signed else why_not),
        signed=signed and not message,
        can_sign_up=not why_not and not signed,
        sign_up=translate(lang, word),
    )


def receipt(code: str, doc: dict, lang: str, *, sent: bool) -> dict:
    """What the receipt screen shows of a sign-up (kiosk.views.ReceiptView's fields). Offline it
    does not say 成功: the hub may find the course full, and some will not come back before it."""
    first = month_day(lang, dt.date.fromisoformat(doc["starts_on"]))
    return {
        "code": code,
        "title": doc.get("title", ""),
        "employer": translate(lang, "course.organiser", name=doc.get("organiser", "")),
        "sent": sent,
        "status": translate(lang, "course.done" if sent else "course.noted"),
        "note": "" if sent else translate(lang, "course.queued"),
        "when": dates(doc, lang) + (f" · {doc['schedule']}" if doc.get("schedule") else ""),
        "where": doc.get("place", ""),
        "contact": translate(lang, "course.go", date=first, place=doc.get("place", "")),
        "contact_icon": "card",
        "contact_label": translate(lang, "course.how"),
        "code_label": translate(lang, "course.code"),
        "scan_label": translate(lang, "receipt.scan"),
    }


def speech(v: CourseView, lang: str) -> str:
    """The course read aloud, its facts in the order the screen gives them."""
    parts = (v.title, v.organiser, v.when, v.where, v.cost, v.seats, v.until, v.who, v.message)
    comma = ", " if lang == "en" else "，"
    return comma.join(p for p in parts if p) + ("." if lang == "en" else "。")
