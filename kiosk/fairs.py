"""招聘会 at the kiosk: what the fair's screens show (a big row per booth with its queue, one booth's
facts, the number's receipt as the hub gives it) in plain words. No Kivy here.

The number is the hub's to give (hub.fairs.queue): the receipt says 正在取号 until the hub has
answered, then the number (A023). Its QR opens the number's own phone page by a secret this kiosk
made for it (the hub keeps only its hash), so the worker can wait anywhere and watch their place."""

from __future__ import annotations

import re

from .i18n import translate
from .offers import OffersView, OfferView, facts, page_of


def natural(number: str) -> tuple:
    """Booth numbers as the hall map counts them: 2 before 10, A3 before A12."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", number))


def booths(doc: dict) -> list[dict]:
    return sorted(doc.get("booths") or (), key=lambda b: natural(str(b.get("number", ""))))


def queue(booth: dict, lang: str) -> str:
    waiting = int(booth.get("waiting") or 0)
    return translate(lang, "fair.waiting", n=waiting) if waiting else translate(lang, "fair.no_queue")


def row(booth: dict, lang: str) -> dict:
    serving = booth.get("serving") or ""
    return {
        "item": booth["id"],
        "action": "open_booth",
        "title": translate(lang, "fair.booth_row", number=booth.get("number", ""), name=booth.get("employer_name", "")),
        "icon": "jobfair",
        "line": booth.get("jobs", ""),
        "chip": translate(lang, "fair.places", n=booth.get("places", 0)),
        "seats": queue(booth, lang),
        "open": True,
        "yours": translate(lang, "fair.serving_short", code=serving) if serving else "",
    }


def listing(doc: dict, lang: str, message: str, page: int = 0) -> OffersView:
    return OffersView(
        title=doc.get("title", ""),
        icon="jobfair",
        subtitle=translate(lang, "fair.subtitle"),
        message=message,
        **page_of([row(b, lang) for b in booths(doc)], page, lang),
    )


def view(doc: dict, booth: dict, lang: str, *, message: str, card: bool, taken: bool) -> OfferView:
    serving = booth.get("serving") or ""
    why_not = "" if doc.get("taking") else translate(lang, "fair.stopped")
    word = "fair.taken_button" if taken else "fair.take" if card else "fair.take_card"
    return OfferView(
        title=translate(lang, "fair.booth", number=booth.get("number", "")),
        icon="jobfair",
        seats=queue(booth, lang),
        facts=facts(
            ("jobfair", booth.get("employer_name", "")),
            ("job", booth.get("jobs", "")),
            ("people", translate(lang, "fair.places", n=booth.get("places", 0))),
            ("time", translate(lang, "fair.serving", code=serving) if serving else ""),
            ("place", doc.get("hall", "")),
        ),
        message=message or (translate(lang, "fair.taken") if taken else why_not),
        signed=taken and not message,
        can_sign_up=not why_not and not taken,
        sign_up=translate(lang, word),
        action="take_number",
    )


def receipt(doc: dict, booth: dict, lang: str, *, url: str, sent: bool) -> dict:
    """The receipt while the hub gives the number (kiosk.views.ReceiptView's fields)."""
    number = booth.get("number", "")
    return {
        "code": "…",
        "qr": url,
        "title": translate(lang, "fair.booth_row", number=number, name=booth.get("employer_name", "")),
        "employer": booth.get("jobs", ""),
        "sent": False,
        "mark": "time",
        "waiting": sent,
        "status": translate(lang, "fair.taking" if sent else "fair.noted"),
        "note": translate(lang, "bus.wait" if sent else "fair.queued"),
        "when": doc.get("title", ""),
        "where": doc.get("hall", ""),
        "contact": translate(lang, "fair.how", number=number),
        "contact_icon": "qr",
        "contact_label": translate(lang, "fair.calling"),
        "code_label": translate(lang, "fair.your_number"),
        "scan_label": translate(lang, "fair.scan"),
    }


def unanswered(receipt_: dict, lang: str) -> dict:
    """The hub has not answered in time (the link went while they waited): as an offline number."""
    words = {"status": translate(lang, "fair.noted"), "note": translate(lang, "fair.queued")}
    return receipt_ | words | {"waiting": False}


def answered(receipt_: dict, result: dict, lang: str) -> dict:
    """The receipt once the hub has answered: the number itself, or why none was given."""
    if result.get("status") in ("applied", "duplicate") and result.get("ref"):
        code = result["ref"]
        return receipt_ | {
            "code": code,
            "sent": True,
            "mark": "check",
            "waiting": False,
            "status": translate(lang, "fair.got"),
            "note": "",
        }
    reason = result.get("reason") or ""
    words = {"status": translate(lang, "fair.refused"), "note": reason}
    return receipt_ | {"sent": False, "mark": "warning", "waiting": False} | words
