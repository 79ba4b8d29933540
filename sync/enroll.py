"""Enrollment: a one-time code from the staff console becomes this device's token in its store."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from urllib.parse import urlsplit

from wire import sealed

from .errors import EnrollRefused
from .session import HubSession, RetryPolicy
from .store import DeviceStore, Enrollment


def _loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def enroll(hub_url: str, code: str, home: Path, fingerprint: str | None = None) -> Enrollment:
    """Exchanges the code with the hub and keeps the token and the hub's public key locally.

    The key is what every worker's data on this device will be sealed to, so it must be the hub's:
    checked against the fingerprint staff read out with the code, or trusted because it came over
    HTTPS (or from this same machine). Over plain HTTP to another machine, a fingerprint is required."""
    if fingerprint is None and urlsplit(hub_url).scheme != "https" and not _loopback(hub_url):
        raise EnrollRefused(
            "over plain HTTP, give the hub key's fingerprint shown with the code "
            "(--fingerprint), or use the hub's https:// address"
        )
    session = HubSession(hub_url, retry=RetryPolicy(attempts=3))
    try:
        answer = session.enroll(code)
    finally:
        session.close()
    if fingerprint is not None and _norm(sealed.fingerprint(answer["hub_public_key"])) != _norm(fingerprint):
        raise EnrollRefused(
            "the hub's key does not match the fingerprint given: something may stand between "
            "this device and the hub. Nothing was saved here; the code is spent, so staff should "
            "revoke this device in the console (someone else may hold its token) and make a new one"
        )
    enrollment = Enrollment(
        hub_url=hub_url.rstrip("/"),
        device_id=answer["device_id"],
        token=answer["token"],
        kind=answer["kind"],
        station_id=answer["station_id"],
        hub_public_key=answer["hub_public_key"],
        public_url=web_address(answer.get("public_url")),
        update_key=update_key(answer.get("update_public_key")),
    )
    store = DeviceStore.in_home(home)
    try:
        store.save_enrollment(enrollment, answer["event_base"])
    finally:
        store.close()
    return enrollment


def web_address(value: object) -> str:
    """The address the hub says phones reach it at (QR codes point there), kept only when it is a
    plain http(s) address: a hub's answer never becomes another scheme on a screen. "" otherwise
    (the device then uses the address it enrolled with)."""
    if not isinstance(value, str) or len(value) > 300 or any(c.isspace() or ord(c) < 32 for c in value):
        return ""
    parts = urlsplit(value)
    return value.rstrip("/") if parts.scheme in ("http", "https") and parts.netloc else ""


def update_key(value: object) -> str:
    """The key releases must be signed with, kept only when it is one (an Ed25519 public key): a
    device enrolled without it takes no update until it is enrolled again."""
    from wire.errors import ReleaseError
    from wire.releases import public_key

    try:
        public_key(value if isinstance(value, str) else "")
    except ReleaseError:
        return ""
    return value


def _norm(fingerprint: str) -> str:
    return "".join(c for c in fingerprint.lower() if c.isalnum())
