"""Every FastAPI dependency of the hub, typed, in one place."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from hub.db import Database
from hub.devices.models import DeviceKind
from hub.devices.service import DeviceIdentity
from hub.errors import Forbidden, Unauthenticated
from hub.feed.cache import FeedCache
from hub.feed.snapshot import SnapshotCache
from hub.keys import HubKeys
from hub.ratelimit import Limits
from hub.settings import Settings
from hub.staff import cookie as staff_session
from hub.staff import service as staff_service
from hub.staff.service import Principal

_device_bearer = HTTPBearer(
    auto_error=False, scheme_name="device token", description="the token `lingong enroll` received"
)
_staff_bearer = HTTPBearer(
    auto_error=False, scheme_name="staff token", description="a staff API token (`lingong admin token NAME`)"
)


# Dependencies that only read app state are async: FastAPI runs plain `def` dependencies in its
# thread pool, a hop that costs more than the work on every long poll.
def _state(request: Request):
    return request.app.state


async def get_settings(request: Request) -> Settings:
    return _state(request).settings


async def get_db(request: Request) -> Database:
    return _state(request).db


async def get_keys(request: Request) -> HubKeys:
    return _state(request).keys


async def get_limits(request: Request) -> Limits:
    return _state(request).limits


SettingsDep = Annotated[Settings, Depends(get_settings)]
DbDep = Annotated[Database, Depends(get_db)]
KeysDep = Annotated[HubKeys, Depends(get_keys)]
LimitsDep = Annotated[Limits, Depends(get_limits)]


DeviceCredentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_device_bearer)]


async def _identify(request: Request, credentials: HTTPAuthorizationCredentials | None) -> DeviceIdentity:
    if credentials is None:
        raise Unauthenticated("需要设备令牌（Authorization: Bearer …）", code="auth.device_token_needed")
    return await _state(request).device_auth.identify(credentials.credentials)


async def current_device(request: Request, credentials: DeviceCredentials) -> DeviceIdentity:
    return await _identify(request, credentials)


DeviceDep = Annotated[DeviceIdentity, Depends(current_device)]


@dataclass(frozen=True, slots=True)
class SyncCall:
    """A device's call on the sync routes, with this process's feed: one dependency, because the
    long poll is the hub's hottest path and each dependency FastAPI resolves costs time there."""

    device: DeviceIdentity
    feed: FeedCache
    snapshots: SnapshotCache
    settings: Settings


async def sync_call(request: Request, credentials: DeviceCredentials) -> SyncCall:
    state = _state(request)
    return SyncCall(await _identify(request, credentials), state.feed, state.snapshots, state.settings)


async def sync_call_of(request: Request) -> SyncCall:
    """`sync_call` for the long-poll route, which declares no FastAPI parameters (see
    hub.feed.router.changes): the same authentication, read straight from the request."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    credentials = (
        HTTPAuthorizationCredentials(scheme=scheme, credentials=token)
        if (scheme.lower() == "bearer" and token)
        else None
    )
    return await sync_call(request, credentials)


SyncDep = Annotated[SyncCall, Depends(sync_call)]


def device_of_kind(*kinds: DeviceKind):
    """A dependency admitting only devices of these kinds (403 for the others)."""

    async def check(device: DeviceDep) -> DeviceIdentity:
        if device.kind not in kinds:
            raise Forbidden(f"{device.kind.value} 类设备不能这样做", code="auth.device_kind")
        return device

    return Depends(check)


def current_staff(
    request: Request, db: DbDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_staff_bearer)]
) -> Principal:
    if credentials is None:
        raise Unauthenticated("需要工作人员令牌（Authorization: Bearer …）", code="auth.staff_token_needed")
    with db.read() as session:
        found = staff_service.authenticate_token(session, credentials.credentials)
    if found is None:
        raise Unauthenticated("工作人员令牌无效或已撤销", code="auth.staff_token_invalid")
    request.state.staff, request.state.staff_via = found, "token"  # for the audit trail
    return found


StaffDep = Annotated[Principal, Depends(current_staff)]


def current_admin(staff: StaffDep) -> Principal:
    staff.require_admin()
    return staff


AdminDep = Annotated[Principal, Depends(current_admin)]


def session_staff(request: Request) -> Principal:
    """A staff member signed in to the console (a session cookie, not a bearer token)."""
    return staff_session.current(request)


SessionStaffDep = Annotated[Principal, Depends(session_staff)]
