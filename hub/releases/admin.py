"""`lingong release publish` on the hub machine: the same checks as the console's upload, audited as a command."""

from __future__ import annotations

from pathlib import Path

from hub.admin import _in_transaction
from hub.audit import service as audit
from hub.errors import Invalid
from hub.settings import Settings

from . import service
from .schemas import RolloutIn


def publish_release(settings: Settings, wheel: Path, signature_text: str, stations: list[int], percent: int) -> dict:
    try:
        with open(wheel, "rb") as f:
            upload = service.receive(settings.home, f)
    except OSError as exc:
        raise Invalid(f"读不了安装包：{exc.strerror}", code="release.unreadable", field="wheel") from exc
    rollout = RolloutIn(station_ids=stations, percent=percent)

    def work(session):
        release = service.publish(
            session, settings.home, upload, signature_text, settings.update_public_key, "command line"
        )
        if stations or percent:
            service.roll_out(session, release.id, rollout)
        audit.record_cli(session, "release.publish", target=f"release_id={release.id}")
        return {"id": release.id, "version": release.version, "stations": stations, "percent": percent}

    return _in_transaction(settings, work)
