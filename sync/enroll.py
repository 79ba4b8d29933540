"""Enrollment: a one-time code from the staff console becomes this device's token in its store."""

from __future__ import annotations

import ipaddress
import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from wire import sealed

from .errors import EnrollRefused
from .session import HubSession, RetryPolicy
from .store import DeviceStore, Enrollment


def authenticated(url: str) -> bool:
    """Whether what comes back from this address is the hub's own words: TLS vouches for an https://
    answer, and a loopback address never leaves this machine. A plain-HTTP answer may be rewritten."""
    return urlsplit(url).scheme == "https" or _loopback(url)


def _loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


def enroll(
    hub_url: str,
    code: str,
    home: Path,
    fingerprint: str | None = None,
    update_fingerprint: str | None = None,
    warn: Callable[[str], None] = _stderr,
) -> Enrollment:
    """Exchanges the code with the hub and keeps the token and the hub's public key locally.

    The key is what every worker's data on this device will be sealed to, so it must be the hub's:
    checked against the fingerprint staff read out with the code, or trusted because it came over
    HTTPS (or from this same machine). Over plain HTTP to another machine, a fingerprint is required.
    The update key (what releases must be signed with) is kept on the same terms, by its own
    fingerprint: see kept_update_key. `warn` hears why it was not kept."""
    if fingerprint is None and not authenticated(hub_url):
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
        update_key=kept_update_key(hub_url, answer.get("update_public_key"), update_fingerprint, warn),
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


def kept_update_key(hub_url: str, value: object, fingerprint: str | None, warn: Callable[[str], None]) -> str:
    """The update key from the enrolment answer, or "" (updates off until enrolled again).

    Whoever holds the key this returns can run code on the device, so it is kept only when the
    answer is authenticated: fetched over HTTPS or loopback, or matching the update fingerprint
    staff gave on the command line. The hub key's fingerprint does not cover it: a relay on a
    plain-HTTP path can pass the hub's key through and swap only this one."""
    from wire.releases import key_fingerprint

    key = update_key(value)
    if not key:
        return ""
    if fingerprint is not None:
        if _norm(key_fingerprint(key)) == _norm(fingerprint):
            return key
        warn(
            "warning: the hub's update key does not match --update-fingerprint: something may stand "
            "between this device and the hub. Enrolled, but automatic updates are OFF; check the "
            "fingerprint on the console's release page and enroll again"
        )
        return ""
    if authenticated(hub_url):
        return key
    warn(
        "warning: over plain HTTP the hub's update key cannot be trusted without --update-fingerprint "
        "(shown with the code): enrolled, but automatic updates are OFF until enrolled again with it"
    )
    return ""


def _norm(fingerprint: str) -> str:
    return "".join(c for c in fingerprint.lower() if c.isalnum())
