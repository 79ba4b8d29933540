"""The employer's link to an interview room: signed, naming the slot, refused once the slot is over."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import Session

from hub.errors import Gone
from hub.keys import HubKeys

from .models import InterviewSlot, SlotStatus


def _serializer(keys: HubKeys) -> URLSafeSerializer:
    # Its own key, derived from the hub's secret: no other signed value passes for an interview link.
    secret = hmac.new(keys.id_secret, b"interview-link", hashlib.sha256).digest()
    return URLSafeSerializer(secret, salt="lingong-interview")


def make(keys: HubKeys, slot_id: int) -> str:
    return _serializer(keys).dumps(slot_id)


def open_slot(session: Session, keys: HubKeys, token: str, now: dt.datetime | None = None) -> InterviewSlot:
    """The slot a link names, or Gone: a forged link, a cancelled slot, or one that has ended."""
    try:
        slot_id = int(_serializer(keys).loads(token))
    except (BadSignature, ValueError, TypeError):
        raise Gone("这个面试链接无效", code="interview.link_invalid") from None
    slot = session.get(InterviewSlot, slot_id)
    now = now or dt.datetime.now(dt.UTC)
    if slot is None or slot.status is SlotStatus.CANCELLED:
        raise Gone("这场面试已取消", code="interview.link_cancelled")
    if slot.ends_at <= now:
        raise Gone("这场面试的时间已过，链接已失效", code="interview.link_expired")
    return slot
