"""Creating, enrolling, configuring and revoking devices; their heartbeats."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.errors import Conflict, Forbidden, Gone, Invalid, NotFound, Unauthenticated
from hub.feed import service as feed
from hub.feed.scope import Scope, View
from hub.stations.models import Station
from hub.tokens import hash_secret

from .models import Device, DeviceKind
from .schemas import VIDEO_SETTINGS, DeviceConfig, Heartbeat

# Codes people read off a screen and type: no 0/O, 1/I/L.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8


def normalize_code(code: str) -> str:
    return "".join(c for c in code.upper() if c.isalnum())


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


@dataclass(frozen=True)
class DeviceIdentity:
    id: int
    kind: DeviceKind
    name: str
    station_id: int
    view: View


def identity(device: Device) -> DeviceIdentity:
    return _identity(device.id, device.kind, device.name, device.station_id, device.config)


def _identity(device_id: int, kind: DeviceKind, name: str, station_id: int, config: dict | None) -> DeviceIdentity:
    return DeviceIdentity(device_id, kind, name, station_id, View.of_device(device_id, station_id, config or {}))


def device_doc(device: Device) -> dict:
    return {
        "id": device.id,
        "name": device.name,
        "kind": device.kind.value,
        "station": device.station_id,
        "config": device.config,
    }


def _publish(session: Session, device: Device) -> None:
    scope = Scope(device=device.id)
    doc = None if device.revoked_at else device_doc(device)
    feed.record(session, [feed.Change("device", device.id, scope, doc, reason="revoked")])


def _station(session: Session, station_id: int) -> Station:
    station = session.get(Station, station_id)
    if station is None:
        raise Invalid(f"没有编号为 {station_id} 的驿站", code="device.station_unknown", field="station_id")
    return station


def check_video_settings(config: DeviceConfig, current: dict, is_admin: bool) -> None:
    """Only administrators choose a booth's video server and browser: they decide whose script runs
    in the booth and on the employer's page."""
    if is_admin:
        return
    changed = [k for k in VIDEO_SETTINGS if getattr(config, k) != (current.get(k) or "")]
    if changed:
        raise Forbidden("只有管理员可以更改视频服务器和浏览器", code="device.admin_setting", field=changed[0])


def create(
    session: Session,
    *,
    name: str,
    kind: DeviceKind,
    station_id: int,
    config: DeviceConfig,
    code_ttl: dt.timedelta,
    is_admin: bool,
) -> tuple[Device, str]:
    check_video_settings(config, {}, is_admin)
    _station(session, station_id)
    code = new_code()
    device = Device(
        name=name,
        kind=kind,
        station_id=station_id,
        config=config.model_dump(mode="json"),
        enroll_code_hash=hash_secret(normalize_code(code)),
        enroll_expires_at=dt.datetime.now(dt.UTC) + code_ttl,
    )
    session.add(device)
    session.flush()
    return device, code


def new_enroll_code(session: Session, device_id: int, code_ttl: dt.timedelta) -> str:
    """A fresh one-time code (re-enrolling replaces the device's token)."""
    device = get(session, device_id)
    code = new_code()
    device.enroll_code_hash = hash_secret(normalize_code(code))
    device.enroll_expires_at = dt.datetime.now(dt.UTC) + code_ttl
    return code


def enroll(session: Session, code: str, app_version: str = "") -> tuple[Device, str]:
    """Exchanges a one-time code for a device token; only the token's hash is kept."""
    device = session.scalar(select(Device).where(Device.enroll_code_hash == hash_secret(normalize_code(code))))
    now = dt.datetime.now(dt.UTC)
    if device is None or device.revoked_at is not None:
        raise Unauthenticated("注册码不对", code="device.code_unknown")
    if device.enroll_expires_at is None or device.enroll_expires_at < now:
        raise Gone("注册码已过期，请向驿站要一个新的", code="device.code_expired")
    token = secrets.token_urlsafe(32)
    device.token_hash = hash_secret(token)
    device.enroll_code_hash = None
    device.enroll_expires_at = None
    device.enrolled_at = now
    device.state = {**(device.state or {}), "app_version": app_version}
    _publish(session, device)
    return device, token


def authenticate(session: Session, token: str) -> DeviceIdentity | None:
    """The identity behind a device token, read as plain columns: each device's stream reconnects
    every few minutes and asks again, and the whole device with its station joined in was most of
    that cost (py-spy, 5,000 devices)."""
    row = session.execute(
        select(Device.id, Device.kind, Device.name, Device.station_id, Device.config).where(
            Device.token_hash == hash_secret(token), Device.revoked_at.is_(None)
        )
    ).first()
    return None if row is None else _identity(*row)


def get(session: Session, device_id: int) -> Device:
    device = session.get(Device, device_id)
    if device is None:
        raise NotFound(f"没有编号为 {device_id} 的设备", code="device.not_found")
    return device


def all_devices(session: Session) -> list[Device]:
    return list(session.scalars(select(Device).order_by(Device.id)))


def status(d: Device) -> dict:
    """A device as the staff see it: its document plus enrollment and live state."""
    return {
        **device_doc(d),
        "enrolled": d.enrolled_at is not None,
        "revoked": d.revoked_at is not None,
        "last_seen_at": d.last_seen_at.isoformat() if d.last_seen_at else None,
        "last_event_n": d.last_event_n,
        "state": {k: v for k, v in (d.state or {}).items() if k != "capture_png_b64"},
    }


def update(
    session: Session,
    device_id: int,
    *,
    name: str | None = None,
    station_id: int | None = None,
    config: DeviceConfig | None = None,
    is_admin: bool,
) -> Device:
    device = get(session, device_id)
    if device.revoked_at is not None:
        raise Conflict("这台设备已停用", code="device.revoked")
    if config is not None:
        check_video_settings(config, device.config or {}, is_admin)
    if name is not None:
        device.name = name
    if station_id is not None:
        device.station_id = _station(session, station_id).id
    if config is not None:
        device.config = config.model_dump(mode="json")
    session.flush()
    _publish(session, device)
    return device


def revoke(session: Session, device_id: int) -> Device:
    device = get(session, device_id)
    if device.revoked_at is None:
        device.revoked_at = dt.datetime.now(dt.UTC)
        device.enroll_code_hash = None
        _publish(session, device)
    return device


def heartbeat(session: Session, device_id: int, beat: Heartbeat) -> int:
    """Keeps the device's live state; returns the highest event number held from it."""
    device = get(session, device_id)
    now = dt.datetime.now(dt.UTC)
    state = beat.model_dump(exclude_none=True)
    capture = state.pop("capture_png_b64", None)
    if capture is not None:
        state["capture_at"] = now.isoformat()
    else:
        capture = (device.state or {}).get("capture_png_b64")
        if capture is not None:
            state["capture_at"] = (device.state or {}).get("capture_at")
    if beat.clock is not None:
        state["clock_skew_s"] = round(beat.clock - now.timestamp(), 1)
    device.state = {**state, **({"capture_png_b64": capture} if capture else {})}
    device.last_seen_at = now
    return device.last_event_n
