"""Enrollment: a one-time code from the staff console becomes this device's token in its store."""
from __future__ import annotations

from pathlib import Path

from .session import HubSession, RetryPolicy
from .store import DeviceStore, Enrollment


def enroll(hub_url: str, code: str, home: Path) -> Enrollment:
    """Exchanges the code with the hub and keeps the token and the hub's public key locally."""
    session = HubSession(hub_url, retry=RetryPolicy(attempts=3))
    try:
        answer = session.enroll(code)
    finally:
        session.close()
    enrollment = Enrollment(hub_url=hub_url.rstrip("/"), device_id=answer["device_id"], token=answer["token"],
                            kind=answer["kind"], station_id=answer["station_id"],
                            hub_public_key=answer["hub_public_key"], public_url=answer.get("public_url", ""))
    store = DeviceStore.in_home(home)
    try:
        store.save_enrollment(enrollment, answer["event_base"])
    finally:
        store.close()
    return enrollment
