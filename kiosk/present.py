"""Postings and matches as the screens show them: texts in the session's language, no Kivy here."""

from __future__ import annotations

import datetime as dt

from floor.postings import pay_standing, pay_text, places_left
from wire.documents import PostingDoc

from .i18n import month_day, translate
from .matching import Match, Reason


def chip(reason: Reason, lang: str) -> str:
    if reason.code == "distance":
        return translate(lang, "chip.distance", km=f"{reason.value:.1f}")
    if reason.code == "starts":
        n = int(reason.value)
        if n < 0:
            return translate(lang, "chip.started")
        return translate(lang, f"chip.starts.{n}") if n <= 2 else translate(lang, "chip.starts.n", n=n)
    return translate(lang, f"chip.{reason.code}")


def job_card(match: Match, lang: str, employers: dict[int, dict], trades: dict[int, dict]) -> dict:
    """One row of the jobs list (the RecycleView's data)."""
    doc = match.posting
    employer = employers.get(doc.get("employer"), {})
    trade = trades.get(doc.get("trade"), {})
    return {
        "pid": doc["id"],
        "title": doc.get("title", ""),
        "pay": pay_text(doc, lang),
        "settle": translate(lang, f"settle.{doc.get('settle', 'daily')}"),
        "employer": employer.get("name", ""),
        "verified": bool(employer.get("verified")),
        "place": doc.get("address", ""),
        "chips": [chip(r, lang) for r in match.reasons[:5]],
        "places": translate(lang, "jobs.places_left", n=places_left(doc)),
        "icon": trade.get("slug", "job"),
        "urgent": bool(doc.get("urgent")) or any(r.code == "fast" for r in match.reasons),
    }


def when_text(doc: PostingDoc, lang: str, today: dt.date) -> str:
    start = dt.date.fromisoformat(doc["start"]) if doc.get("start") else today
    end = dt.date.fromisoformat(doc["end"]) if doc.get("end") else None
    days = (start - today).days
    if 0 <= days <= 2:
        first = translate(lang, f"chip.starts.{days}")
    elif end is not None and end != start:
        first = translate(lang, "detail.until", start=month_day(lang, start), end=month_day(lang, end))
    else:
        first = translate(lang, "detail.from", date=month_day(lang, start))
    hours = doc.get("hours") or ""
    return f"{first} · {hours}" if hours else first


def age_text(doc: PostingDoc, lang: str) -> str:
    low, high = doc.get("age_min"), doc.get("age_max")
    if low and high:
        return translate(lang, "detail.age", low=low, high=high)
    if low:
        return translate(lang, "detail.age_from", low=low)
    if high:
        return translate(lang, "detail.age_to", high=high)
    return ""


def detail(
    doc: PostingDoc,
    lang: str,
    today: dt.date,
    *,
    distance_km: float | None,
    employers: dict[int, dict],
    trades: dict[int, dict],
    qr_url: str,
    guide: list | None = None,
) -> dict:
    """Everything the job detail screen shows; `guide` is the trade's pay guide here (KioskData.reference.rates)."""
    employer = employers.get(doc.get("employer"), {})
    cert = translate(lang, "detail.cert") if doc.get("cert") else ""
    requirements = "，".join(x for x in (cert, doc.get("req", ""), age_text(doc, lang)) if x)
    return {
        "pid": doc["id"],
        "title": doc.get("title", ""),
        "icon": trades.get(doc.get("trade"), {}).get("slug", "job"),
        "pay": pay_text(doc, lang),
        "settle": translate(lang, f"settle.{doc.get('settle', 'daily')}"),
        "when": when_text(doc, lang, today),
        "where": doc.get("address", ""),
        "distance": translate(lang, "detail.km", km=f"{distance_km:.1f}") if distance_km is not None else "",
        "employer": employer.get("name", ""),
        "verified": bool(employer.get("verified")),
        "contact": f"{doc.get('contact', '')}  {doc.get('phone', '')}".strip(),
        "places": translate(lang, "jobs.places_left", n=places_left(doc)),
        "requirements": requirements or translate(lang, "detail.none"),
        "benefits": doc.get("benefits") or translate(lang, "detail.none"),
        "urgent": bool(doc.get("urgent")),
        "free": bool(doc.get("free")),  # 不收费 (hub.trust)
        "qr": qr_url,
        "guide": guide_text(doc, guide, lang),
    }


def guide_text(doc: PostingDoc, guide: list | None, lang: str) -> str:
    """这个工资在本区同类活里：偏高 (一般在280–320元/天) — or nothing where the guide has no figure."""
    if not guide:
        return ""
    low, _median, high, official = guide
    standing = pay_standing(doc.get("pay_min") or 0, doc.get("pay_max") or 0, low, high)
    middle_half = pay_text({"pay_min": low, "pay_max": high, "unit": doc.get("unit", "day")}, lang)
    key = "detail.guide_official" if official else "detail.guide"
    return translate(lang, key, standing=translate(lang, f"guide.{standing}"), range=middle_half)


def speech(info: dict, lang: str) -> str:
    """What "朗读" says for a job: the facts in the order a person asks for them."""
    parts = [
        info["title"],
        info["pay"],
        info["settle"],
        info.get("guide", ""),
        info["when"],
        info["where"],
        info["distance"],
        info["employer"],
        info["places"],
        info["requirements"],
    ]
    return "，".join(p for p in parts if p) + "。"


def receipt(code: str, doc: PostingDoc, lang: str, today: dt.date, *, sent: bool, employer: str = "") -> dict:
    return {
        "code": code,
        "title": doc.get("title", ""),
        "employer": employer,
        # Success either way: the outbox delivers it; offline only adds a line saying when.
        "status": translate(lang, "receipt.done"),
        "note": "" if sent else translate(lang, "receipt.queued"),
        "code_label": translate(lang, "receipt.code"),
        "sent": sent,
        "when": when_text(doc, lang, today),
        "where": doc.get("address", ""),
        "contact": f"{doc.get('contact', '')}  {doc.get('phone', '')}".strip(),
        "contact_label": translate(lang, "receipt.call"),
        "contact_icon": "phone",
        "scan_label": translate(lang, "receipt.scan"),
    }


def slot_text(slot: dict, lang: str, tz: dt.tzinfo) -> str:
    """A slot as its button says it: date, weekday, from–to (local time)."""
    start = dt.datetime.fromtimestamp(slot["start"], tz)
    end = dt.datetime.fromtimestamp(slot["end"], tz)
    return translate(
        lang,
        "slots.time",
        date=month_day(lang, start.date()),
        weekday=translate(lang, f"weekday.{start.weekday()}"),
        start=f"{start:%H:%M}",
        end=f"{end:%H:%M}",
    )


def room_name(place: str, station: str) -> str:
    """The room of a slot's place ("青川区零工市场 远程面试室" → "远程面试室") when it is at this
    kiosk's station; the whole place when it is elsewhere."""
    if station and place.startswith(station + " "):
        return place[len(station) + 1 :].strip() or place
    return place


def booking_receipt(
    code: str,
    slot: dict,
    doc: PostingDoc,
    lang: str,
    tz: dt.tzinfo,
    *,
    sent: bool,
    employer: str = "",
    station: str = "",
) -> dict:
    return {
        "code": code,
        "title": doc.get("title", ""),
        "employer": employer,
        "sent": sent,
        "status": translate(lang, "booking.done"),
        "note": "" if sent else translate(lang, "booking.queued"),
        "when": slot_text(slot, lang, tz).replace("\n", " "),
        "where": slot.get("place", ""),
        "contact": translate(lang, "booking.go", room=room_name(slot.get("place", ""), station)),
        "contact_icon": "card",
        "contact_label": translate(lang, "booking.how"),
        "code_label": translate(lang, "booking.code"),
        "scan_label": translate(lang, "booking.scan"),
    }


def receipt_speech(info: dict, lang: str) -> str:
    code = " ".join(info["code"].replace("-", " "))
    parts = (
        info["status"],
        info["note"],
        translate(lang, "receipt.code"),
        code,
        info["when"],
        info["where"],
        info["contact"],
        info.get("help", ""),
    )
    return "，".join(p for p in parts if p) + "。"
