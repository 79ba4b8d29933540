"""Telling workers of a posting that found them: a channel interface, the city's SMS gateway as an
HTTP webhook, and the rules (contact consent, a daily cap per worker, only trade, pay and station)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from floor.postings import pay_text
from hub.db import insert_ignore
from hub.postings.models import Posting
from hub.stations.models import Station
from hub.workers.models import Worker

from .models import CallStatus, NoticeStatus, OutreachCall, OutreachNotice

log = logging.getLogger(__name__)


class Channel(Protocol):
    """Somewhere a short message to one phone can be handed; True when it was taken."""

    def send(self, phone: str, text: str) -> bool: ...


@dataclass
class WebhookChannel:
    """POSTs {"to", "text"} as JSON to the gateway, signed with HMAC-SHA256 of the body in
    X-Lingong-Signature; retried with backoff on a network error or a 5xx/429 (a 4xx is final)."""

    url: str
    secret: str
    attempts: int = 3
    backoff_s: float = 0.5
    timeout_s: float = 5.0
    tried: int = 0  # attempts made by the last send (recorded with the notice)

    def __post_init__(self) -> None:
        if urlsplit(self.url).scheme not in ("http", "https") or not urlsplit(self.url).netloc:
            raise ValueError("the SMS gateway must be an http(s) address")

    def send(self, phone: str, text: str) -> bool:
        body = json.dumps({"to": phone, "text": text}, ensure_ascii=False).encode()
        signature = hmac.new(self.secret.encode(), body, hashlib.sha256).hexdigest()
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json; charset=utf-8", "X-Lingong-Signature": signature},
        )
        self.tried = 0
        for attempt in range(self.attempts):
            self.tried = attempt + 1
            try:
                with urllib.request.urlopen(request, timeout=self.timeout_s) as answer:
                    if 200 <= answer.status < 300:
                        return True
            except urllib.error.HTTPError as exc:
                if exc.code < 500 and exc.code != 429:
                    log.warning("SMS gateway refused a message: HTTP %s", exc.code)  # (never the phone)
                    return False
            except (urllib.error.URLError, TimeoutError, OSError) as exc:
                log.info("SMS gateway unreachable (attempt %d): %s", attempt + 1, type(exc).__name__)
            if attempt + 1 < self.attempts:
                time.sleep(self.backoff_s * 2**attempt)
        return False


def message(posting: Posting, station: Station | None) -> str:
    """No more than the trade, the pay and the station: no name, no address, no employer's phone."""
    pay = pay_text(
        {"pay_min": posting.pay_min_fen, "pay_max": posting.pay_max_fen, "unit": posting.pay_unit.value}, "zh"
    )
    where = f"，请到{station.name}看看" if station is not None else ""
    return f"有{posting.trade.name}的活，{pay}{where}。"


@dataclass(frozen=True)
class Claim:
    """One text to send: its notice row (claimed already), the phone and the words."""

    notice_id: int
    phone: str
    text: str


def claim(
    session: Session,
    posting_id: int,
    *,
    cap: int,
    today: dt.date,
    stations: set[int] | None = None,
) -> tuple[dict, list[Claim]]:
    """Who on this posting's call list (of `stations`, or all) is to be texted: the workers who gave
    the contact consent and have a phone, at most `cap` messages a worker a day, each worker once
    per posting. Each is claimed with its notice row (the posting and worker's unique key decides
    between two staff pressing at once: only one claims a worker). Nothing is sent here: the texts
    go out after this transaction, so a slow gateway holds no lock and no request but its own."""
    posting = session.get(Posting, posting_id)
    counts = {"sent": 0, "failed": 0, "capped": 0, "no_consent": 0, "already": 0}
    if posting is None:
        return counts, []
    day = today.isoformat()
    query = (
        select(OutreachCall, Worker)
        .join(Worker, Worker.id == OutreachCall.worker_id)
        .where(OutreachCall.posting_id == posting_id, OutreachCall.status == CallStatus.PENDING)
        .order_by(OutreachCall.rank)
    )
    if stations is not None:  # station staff text only the workers on their own part of the list
        query = query.where(OutreachCall.station_id.in_(stations or {-1}))
    rows = session.execute(query).all()
    done = set(session.scalars(select(OutreachNotice.worker_id).where(OutreachNotice.posting_id == posting_id)))
    claims: list[Claim] = []
    for call, worker in rows:
        if worker.id in done:
            counts["already"] += 1
            continue
        if worker.contact_consent_at is None or not worker.phone:
            counts["no_consent"] += 1
            continue
        # Today's messages (those still being sent are SENT with no attempts yet: counted in).
        today_count = session.scalar(
            select(func.count())
            .select_from(OutreachNotice)
            .where(
                OutreachNotice.worker_id == worker.id,
                OutreachNotice.day == day,
                OutreachNotice.status == NoticeStatus.SENT,
            )
        )
        if today_count >= cap:
            counts["capped"] += 1
            continue
        notice_id = insert_ignore(
            session,
            OutreachNotice.__table__,
            {
                "posting_id": posting_id,
                "worker_id": worker.id,
                "day": day,
                "status": NoticeStatus.SENT.value,
                "attempts": 0,
                "created_at": dt.datetime.now(dt.UTC),
            },
            returning=OutreachNotice.__table__.c.id,
        )
        if notice_id is None:  # another staff member's press claimed this worker first
            counts["already"] += 1
            continue
        claims.append(Claim(notice_id, worker.phone, message(posting, session.get(Station, call.station_id))))
    return counts, claims


def send(channel: Channel, claims: list[Claim]) -> list[tuple[int, bool, int]]:
    """Sends the claimed texts (slowly, perhaps: retries and back-off) — in no transaction."""
    results = []
    for item in claims:
        ok = channel.send(item.phone, item.text)
        results.append((item.notice_id, ok, getattr(channel, "tried", 1)))
    return results


def record(session: Session, results: list[tuple[int, bool, int]], counts: dict) -> dict:
    """What became of each text: sent or failed, with the attempts made."""
    for notice_id, ok, attempts in results:
        session.execute(
            update(OutreachNotice)
            .where(OutreachNotice.id == notice_id)
            .values(status=NoticeStatus.SENT if ok else NoticeStatus.FAILED, attempts=attempts)
        )
        counts["sent" if ok else "failed"] += 1
    return counts
