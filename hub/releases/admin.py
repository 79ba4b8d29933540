"""`lingong release publish` on the hub machine: the same checks as the console's upload, audited as a command."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from hub.admin import _in_transaction
from hub.audit import service as audit
from hub.errors import Invalid
from hub.settings import Settings

from . import service
from .schemas import RolloutIn


def publish_release(settings: Settings, wheel: Path, signature_text: str, stations: list[int], percent: int) -> dict:
    """Invalid (never a traceback, never a file left behind) for anything wrong in the arguments."""
    try:
        rollout = RolloutIn(station_ids=stations, percent=percent)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = "--stations（驿站编号）" if first["loc"][0] == "station_ids" else "--percent（百分比，0 到 100）"
        field = str(first["loc"][0])
        raise Invalid(f"{where} 不对：{first['msg']}", code="release.rollout_invalid", field=field) from exc
    try:
        with open(wheel, "rb") as f:
            upload = service.receive(settings.home, f)
    except OSError as exc:
        raise Invalid(f"读不了安装包：{exc.strerror}", code="release.unreadable", field="wheel") from exc

    def work(session):
        service.check_stations(session, rollout.station_ids)  # before the wheel is moved into place
        release = service.publish(
            session, settings.home, upload, signature_text, settings.update_public_key, "command line"
        )
        if stations or percent:
            service.roll_out(session, release.id, rollout)
        audit.record_cli(session, "release.publish", target=f"release_id={release.id}")
        return {"id": release.id, "version": release.version, "stations": stations, "percent": percent}

    try:
        return _in_transaction(settings, work)
    finally:
        upload.unlink(missing_ok=True)  # moved into place by publish, or not wanted
