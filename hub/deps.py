"""Every FastAPI dependency of the hub, typed, in one place."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from hub.db import Database
from hub.devices.auth import DeviceAuth
from hub.devices.models import DeviceKind
from hub.devices.service import DeviceIdentity
from hub.errors import Forbidden, Unauthenticated
from hub.feed.cache import FeedCache
from hub.feed.snapshot import SnapshotCache
from hub.keys import HubKeys
from hub.settings import Settings
from hub.staff import service as staff_service
from hub.staff.service import Principal

_device_bearer = HTTPBearer(auto_error=False, scheme_name="device token",
                            description="the token `lingong enroll` received")
_staff_bearer = HTTPBearer(auto_error=False, scheme_name="staff token",
                           description="a staff API token (`lingong admin token NAME`)")


def _state(request: Request):
    return request.app.state


def get_settings(request: Request) -> Settings:
    return _state(request).settings


def get_db(request: Request) -> Database:
    return _state(request).db


def get_keys(request: Request) -> HubKeys:
    return _state(request).keys


def get_feed(request: Request) -> FeedCache:
    return _state(request).feed


def get_snapshots(request: Request) -> SnapshotCache:
    return _state(request).snapshots


def get_device_auth(request: Request) -> DeviceAuth:
    return _state(request).device_auth


SettingsDep = Annotated[Settings, Depends(get_settings)]
DbDep = Annotated[Database, Depends(get_db)]
KeysDep = Annotated[HubKeys, Depends(get_keys)]
FeedDep = Annotated[FeedCache, Depends(get_feed)]
SnapshotsDep = Annotated[SnapshotCache, Depends(get_snapshots)]


async def current_device(
    auth: Annotated[DeviceAuth, Depends(get_device_auth)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_device_bearer)],
) -> DeviceIdentity:
    if credentials is None:
        raise Unauthenticated("a device token is required (Authorization: Bearer …)")
    return await auth.identify(credentials.credentials)


DeviceDep = Annotated[DeviceIdentity, Depends(current_device)]


def device_of_kind(*kinds: DeviceKind):
    """A dependency admitting only devices of these kinds (403 for the others)."""

    async def check(device: DeviceDep) -> DeviceIdentity:
        if device.kind not in kinds:
            raise Forbidden(f"a {device.kind.value} may not do this")
        return device

    return Depends(check)


def current_staff(
    db: DbDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_staff_bearer)]
) -> Principal:
    if credentials is None:
        raise Unauthenticated("a staff token is required (Authorization: Bearer …)")
    with db.read() as session:
        found = staff_service.authenticate_token(session, credentials.credentials)
    if found is None:
        raise Unauthenticated("unknown or revoked staff token")
    return found


StaffDep = Annotated[Principal, Depends(current_staff)]


def current_admin(staff: StaffDep) -> Principal:
    staff.require_admin()
    return staff


AdminDep = Annotated[Principal, Depends(current_admin)]
