"""The booth's link (叫号 from the employer's phone): signed, naming the booth, lasting the fair's day."""

from __future__ import annotations

import hashlib
import hmac

from itsdangerous import BadSignature, URLSafeTimedSerializer

from hub.errors import Gone
from hub.keys import HubKeys

MAX_AGE_S = 3 * 24 * 3600  # a fair lasts a day or two; a link from last week's fair opens nothing


def _serializer(keys: HubKeys) -> URLSafeTimedSerializer:
    # Its own key, derived from the hub's secret, so no other signed value can pass for a booth's link.
    secret = hmac.new(keys.id_secret, b"fair-booth-link", hashlib.sha256).digest()
    return URLSafeTimedSerializer(secret, salt="lingong-booth")


def make(keys: HubKeys, booth_id: int) -> str:
    return _serializer(keys).dumps(booth_id)


def read(keys: HubKeys, token: str) -> int:
    """The booth's id, or Gone when the link is forged, damaged or too old."""
    try:
        return int(_serializer(keys).loads(token, max_age=MAX_AGE_S))
    except (BadSignature, ValueError, TypeError):
        raise Gone("这个叫号链接无效或已过期，请联系驿站", code="fair.link_invalid") from None


def secret_hash(secret: str) -> str:
    """What the hub keeps of the secret in a number's phone link (the kiosk made it; only its holder has it)."""
    return hashlib.sha256(secret.encode("ascii", "replace")).hexdigest()
