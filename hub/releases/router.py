"""Release routes: administrators publish and roll out; a device downloads the release rolled out to it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import FileResponse

from hub.deps import AdminDep, DbDep, DeviceDep, SettingsDep
from hub.errors import NotFound
from hub.fields import IdPath
from wire.protocol import RELEASE_WHEEL_PATH
from wire.releases import MAX_WHEEL_BYTES

from . import service
from .models import Release
from .schemas import ReleaseCounts, ReleaseOut, RolloutIn

router = APIRouter(tags=["releases"])
# The wheel and its signature file, and a little for the multipart framing.
UPLOAD_LIMIT = MAX_WHEEL_BYTES + 64_000


def out(release: Release, counts: ReleaseCounts | None = None) -> ReleaseOut:
    return ReleaseOut(
        id=release.id,
        version=release.version,
        sha256=release.sha256,
        size=release.size,
        station_ids=list(release.station_ids or []),
        percent=release.percent,
        pinned=release.pinned,
        published_by=release.published_by,
        created_at=release.created_at,
        counts=counts,
    )


@router.post("/api/v1/releases", response_model=ReleaseOut, status_code=201, max_body_size=UPLOAD_LIMIT)
def publish(
    wheel: Annotated[UploadFile, File(description="the wheel `lingong release sign` signed")],
    signature: Annotated[str, Form(max_length=2000, description="the text of its .sig file")],
    staff: AdminDep,
    db: DbDep,
    settings: SettingsDep,
) -> ReleaseOut:
    """Keeps a release whose signature verifies with the hub's update key (LINGONG_UPDATE_PUBLIC_KEY);
    it reaches no device until it is rolled out."""
    upload = service.receive(settings.home, wheel.file)
    with db.write() as session:
        return out(service.publish(session, settings.home, upload, signature, settings.update_public_key, staff.name))


@router.get("/api/v1/releases", response_model=list[ReleaseOut])
def list_releases(staff: AdminDep, db: DbDep) -> list[ReleaseOut]:
    with db.read() as session:
        releases = service.all_releases(session)
        counts = service.counts(session, releases)
        return [out(r, counts[r.id]) for r in releases]


@router.put("/api/v1/releases/{release_id}/rollout", response_model=ReleaseOut)
def roll_out(release_id: IdPath, body: RolloutIn, staff: AdminDep, db: DbDep) -> ReleaseOut:
    """Which devices run this release: every device of the stations named, and a share of all devices."""
    with db.write() as session:
        return out(service.roll_out(session, release_id, body))


@router.get(RELEASE_WHEEL_PATH, response_class=FileResponse)
def download(release_id: IdPath, device: DeviceDep, db: DbDep, settings: SettingsDep) -> FileResponse:
    """The wheel of the release rolled out to this device, and of no other."""
    with db.read() as session:
        offer = service.offer_for(session, device.id, device.station_id)
        if offer is None or offer.id != release_id:
            raise NotFound("这个版本没有发给这台设备", code="release.not_offered")
        path = service.wheel_path(settings.home, service.get(session, release_id))
    if not path.is_file():
        raise NotFound("这个版本的安装包不在中心", code="release.file_missing")
    return FileResponse(path, media_type="application/octet-stream", headers={"Cache-Control": "no-store"})
