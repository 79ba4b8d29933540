"""Publishing signed releases (checked against the update key), rolling them out, and each device's release."""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.devices.models import Device
from hub.errors import Conflict, Invalid, NotFound, TooLarge
from hub.stations.models import Station
from wire.errors import ReleaseError
from wire.releases import MAX_WHEEL_BYTES, digest, parse_document, version_key, wheel_version

from .models import Release
from .schemas import ReleaseCounts, ReleaseOffer, RolloutIn

FOLDER = "releases"
UPDATING = frozenset({"downloading", "installing", "trial", "waiting"})
FAILED = frozenset({"refused", "rolled_back"})


def folder(home: Path) -> Path:
    path = Path(home) / FOLDER
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def wheel_path(home: Path, release: Release) -> Path:
    """Where a release's wheel is kept: named by its digest, which the hub computed itself."""
    return folder(home) / f"{release.sha256}.whl"


def receive(home: Path, source: BinaryIO) -> Path:
    """An uploaded wheel into a private temporary file beside the kept ones (same file system, so
    publishing it is a rename); refused past the largest wheel a release may be."""
    tmp = folder(home) / f".upload-{secrets.token_hex(8)}.tmp"
    size = 0
    with open(tmp, "wb") as out:
        while chunk := source.read(1 << 20):
            size += len(chunk)
            if size > MAX_WHEEL_BYTES:
                out.close()
                tmp.unlink(missing_ok=True)
                raise TooLarge("安装包太大", code="release.too_large", field="wheel")
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    return tmp


def publish(session: Session, home: Path, upload: Path, signature_text: str, key_text: str, by: str) -> Release:
    """Keeps a release whose signature verifies with the hub's update key and whose file is exactly
    what was signed; `upload` (from receive) is moved into place or removed."""
    try:
        if not key_text:
            raise Conflict(
                "中心没有配置更新公钥（LINGONG_UPDATE_PUBLIC_KEY），不能发布", code="release.no_key", field="signature"
            )
        try:
            signed = parse_document(signature_text)
            signed.check(key_text)
        except ReleaseError as exc:
            raise Invalid(f"签名不对：{exc.words}", code="release.signature", field="signature") from exc
        if digest(upload) != (signed.sha256, signed.size):
            raise Invalid("安装包和签名不符（不是签名的那个文件）", code="release.mismatch", field="wheel")
        try:
            inside = wheel_version(upload)
        except ReleaseError as exc:
            raise Invalid(f"安装包不对：{exc.words}", code="release.wheel", field="wheel") from exc
        if inside != signed.version:
            raise Invalid("安装包里的版本和签名的不符", code="release.mismatch", field="wheel")
        if session.scalar(select(Release.id).where(Release.version == signed.version)) is not None:
            raise Conflict(f"版本 {signed.version} 已经发布过", code="release.exists", field="wheel")
        release = Release(
            version=signed.version,
            sha256=signed.sha256,
            size=signed.size,
            signature=signed.signature,
            station_ids=[],
            percent=0,
            pinned=False,
            published_by=by[:60],
        )
        target = wheel_path(home, release)
        os.replace(upload, target)  # before the row: a row is never without its file
        fd = os.open(target.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        session.add(release)
        session.flush()
        return release
    finally:
        upload.unlink(missing_ok=True)


def get(session: Session, release_id: int) -> Release:
    release = session.get(Release, release_id)
    if release is None:
        raise NotFound(f"没有编号为 {release_id} 的版本", code="release.not_found")
    return release


def all_releases(session: Session) -> list[Release]:
    return sorted(session.scalars(select(Release)), key=lambda r: version_key(r.version), reverse=True)


def roll_out(session: Session, release_id: int, rollout: RolloutIn) -> Release:
    release = get(session, release_id)
    wanted = check_stations(session, rollout.station_ids)
    if rollout.pinned:  # one pinned release at a time: which one devices go back to is never a guess
        for other in session.scalars(select(Release).where(Release.pinned.is_(True), Release.id != release.id)):
            other.pinned = False
    release.station_ids = sorted(wanted)
    release.percent = rollout.percent
    release.pinned = rollout.pinned
    session.flush()
    return release


def check_stations(session: Session, station_ids: list[int]) -> set[int]:
    """The stations named, or Invalid if any does not exist."""
    wanted = set(station_ids)
    if wanted:
        found = set(session.scalars(select(Station.id).where(Station.id.in_(wanted))))
        if found != wanted:
            missing = "、".join(str(s) for s in sorted(wanted - found)[:5])
            raise Invalid(f"没有编号为 {missing} 的驿站", code="release.stations_invalid", field="station_ids")
    return wanted


def bucket(device_id: int) -> int:
    """0–99, fixed per device: a rollout to N percent reaches the devices whose bucket is below N."""
    return int.from_bytes(hashlib.sha256(f"lingong-rollout:{device_id}".encode()).digest()[:4], "big") % 100


def reaches(release: Release, device_id: int, station_id: int) -> bool:
    return station_id in (release.station_ids or []) or bucket(device_id) < release.percent


def target(releases: list[Release], device_id: int, station_id: int) -> Release | None:
    """The release a device should run: a pinned one that reaches it, else the newest that does."""
    reaching = [r for r in releases if reaches(r, device_id, station_id)]
    pinned = [r for r in reaching if r.pinned]
    if pinned:
        return pinned[0]
    return max(reaching, key=lambda r: version_key(r.version), default=None)


def offer_for(session: Session, device_id: int, station_id: int) -> ReleaseOffer | None:
    found = target(list(session.scalars(select(Release))), device_id, station_id)
    if found is None:
        return None
    return ReleaseOffer(
        id=found.id,
        version=found.version,
        sha256=found.sha256,
        size=found.size,
        signature=found.signature,
        pinned=found.pinned,
    )


def counts(session: Session, releases: list[Release]) -> dict[int, ReleaseCounts]:
    """Per release: the devices it is rolled out to, each in one state (running it, on the way,
    failed, not begun), and every device that runs it. Each device's target is worked out once."""
    devices = [d for d in session.scalars(select(Device)) if d.revoked_at is None and d.enrolled_at is not None]
    tally = {
        r.id: dict.fromkeys(("targeted", "running", "running_targeted", "updating", "failed"), 0) for r in releases
    }
    by_version = {r.version: r.id for r in releases}
    for d in devices:
        state = d.state or {}
        running = state.get("app_version")
        if isinstance(running, str) and running in by_version:
            tally[by_version[running]]["running"] += 1
        aim = target(releases, d.id, d.station_id)
        if aim is None:
            continue
        t = tally[aim.id]
        t["targeted"] += 1
        if running == aim.version:
            t["running_targeted"] += 1
        elif state.get("update_version") == aim.version and state.get("update") in UPDATING:
            t["updating"] += 1
        elif state.get("update_version") == aim.version and state.get("update") in FAILED:
            t["failed"] += 1
    return {
        rid: ReleaseCounts(**t, not_started=t["targeted"] - t["running_targeted"] - t["updating"] - t["failed"])
        for rid, t in tally.items()
    }
