"""Device routes: enrollment and heartbeats for devices; create, configure and revoke for staff."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request

from hub.deps import DbDep, DeviceDep, KeysDep, LimitsDep, SettingsDep, StaffDep
from hub.errors import HubError
from hub.fields import IdPath
from hub.metrics.instruments import ENROLL_FAILURES
from hub.releases import service as releases
from wire.protocol import ENROLL_PATH, HEARTBEAT_PATH

from . import service
from .models import Device
from .schemas import (
    DeviceCreate,
    DeviceCreated,
    DeviceUpdate,
    EnrollRequest,
    EnrollResponse,
    Heartbeat,
    HeartbeatAnswer,
)

router = APIRouter(tags=["devices"])


@router.post(ENROLL_PATH, response_model=EnrollResponse)
def enroll(
    body: EnrollRequest, request: Request, db: DbDep, keys: KeysDep, limits: LimitsDep, settings: SettingsDep
) -> EnrollResponse:
    """Exchanges a one-time code for this device's token and the hub's public key."""
    limits.hit(limits.enroll, request.client.host if request.client else "?")
    with db.write() as session:
        try:
            device, token = service.enroll(session, body.code, body.app_version)
        except HubError as exc:
            ENROLL_FAILURES.labels(exc.code).inc()
            raise
        return EnrollResponse(
            device_id=device.id,
            kind=device.kind,
            name=device.name,
            station_id=device.station_id,
            token=token,
            hub_public_key=keys.public_text,
            public_url=settings.public_url,
            event_base=device.last_event_n,
            device=service.device_doc(device),
            update_public_key=settings.update_public_key,
        )


@router.get("/api/v1/devices/me")
def me(device: DeviceDep, db: DbDep) -> dict:
    """This device's own document (name, station, configuration)."""
    with db.read() as session:
        return service.device_doc(service.get(session, device.id))


@router.post(HEARTBEAT_PATH, response_model=HeartbeatAnswer)
def heartbeat(beat: Heartbeat, device: DeviceDep, db: DbDep) -> HeartbeatAnswer:
    """Live state for the staff console: sync lag, outbox, self-check, what is on screen, version and
    update. The answer says how far this hub holds the device's events (less than it acknowledged:
    restored from a backup), and which release the device should run."""
    with db.write() as session:
        return HeartbeatAnswer(
            events_through=service.heartbeat(session, device.id, beat),
            release=releases.offer_for(session, device.id, device.station_id),
        )


def _created(device: Device, code: str) -> DeviceCreated:
    return DeviceCreated(
        id=device.id,
        name=device.name,
        kind=device.kind,
        station_id=device.station_id,
        enroll_code=code,
        enroll_expires_at=device.enroll_expires_at.isoformat(),
    )


@router.post("/api/v1/devices", response_model=DeviceCreated, status_code=201)
def create_device(body: DeviceCreate, staff: StaffDep, db: DbDep, settings: SettingsDep) -> DeviceCreated:
    staff.require_station(body.station_id)
    with db.write() as session:
        device, code = service.create(
            session,
            name=body.name,
            kind=body.kind,
            station_id=body.station_id,
            config=body.config,
            code_ttl=dt.timedelta(hours=settings.enroll_code_ttl_h),
            is_admin=staff.is_admin,
        )
        return _created(device, code)


@router.post("/api/v1/devices/{device_id}/code", response_model=DeviceCreated)
def new_code(device_id: IdPath, staff: StaffDep, db: DbDep, settings: SettingsDep) -> DeviceCreated:
    with db.write() as session:
        staff.require_station(service.get(session, device_id).station_id)
        code = service.new_enroll_code(session, device_id, dt.timedelta(hours=settings.enroll_code_ttl_h))
        return _created(service.get(session, device_id), code)


@router.get("/api/v1/devices")
def list_devices(staff: StaffDep, db: DbDep) -> list[dict]:
    with db.read() as session:
        return [service.status(d) for d in service.all_devices(session) if staff.may_station(d.station_id)]


@router.patch("/api/v1/devices/{device_id}")
def update_device(device_id: IdPath, body: DeviceUpdate, staff: StaffDep, db: DbDep) -> dict:
    with db.write() as session:
        staff.require_station(service.get(session, device_id).station_id)
        if body.station_id is not None:
            staff.require_station(body.station_id)
        device = service.update(
            session, device_id, name=body.name, station_id=body.station_id, config=body.config, is_admin=staff.is_admin
        )
        return service.device_doc(device)


@router.post("/api/v1/devices/{device_id}/revoke", status_code=204)
def revoke_device(device_id: IdPath, request: Request, staff: StaffDep, db: DbDep) -> None:
    with db.write() as session:
        staff.require_station(service.get(session, device_id).station_id)
        service.revoke(session, device_id)
    request.app.state.device_auth.forget(device_id)
