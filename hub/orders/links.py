"""The dispatched worker's link to an order: signed, naming the order and the worker, expiring."""

from __future__ import annotations

import hashlib
import hmac

from itsdangerous import BadSignature, URLSafeTimedSerializer

from hub.errors import Gone
from hub.keys import HubKeys

MAX_AGE_S = 14 * 24 * 3600  # a fortnight: household jobs are done within days


def _serializer(keys: HubKeys) -> URLSafeTimedSerializer:
    # Its own key, derived from the hub's secret, so no other signed value can pass for a link.
    secret = hmac.new(keys.id_secret, b"order-link", hashlib.sha256).digest()
    return URLSafeTimedSerializer(secret, salt="lingong-order")


def make(keys: HubKeys, order_id: int, worker_id: int) -> str:
    return _serializer(keys).dumps([order_id, worker_id])


def read(keys: HubKeys, token: str) -> tuple[int, int]:
    """(order id, worker id), or Gone when the link is forged, damaged or too old."""
    try:
        order_id, worker_id = _serializer(keys).loads(token, max_age=MAX_AGE_S)
        return int(order_id), int(worker_id)
    except (BadSignature, ValueError, TypeError):
        raise Gone("这个接单链接无效或已过期，请联系驿站", code="order.link_invalid") from None
