"""Releases in the console, for administrators: publish a signed wheel, roll it out, see how far it got."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from hub.deps import DbDep, SettingsDep
from hub.deps import SessionStaffDep as Staff
from hub.errors import HubError, Invalid
from hub.fields import IdPath
from hub.releases import service as releases
from hub.releases.router import UPLOAD_LIMIT
from hub.releases.schemas import RolloutIn
from hub.stations.models import Station
from hub.web.pages import render
from wire.errors import ReleaseError
from wire.releases import key_fingerprint

from .forms import console_router, field_errors, form_of, many, whole

router = console_router()
MAX_SIGNATURE_BYTES = 4000
# What a device's heartbeat says of its update (device/update), in the words staff read.
UPDATE_WORDS = {
    "ok": "正常",
    "unmanaged": "手工安装，不会自动更新：请装机人员用 lingong device setup 重新安装",
    "downloading": "正在下载新版本",
    "installing": "正在安装新版本",
    "waiting": "下载没完成，稍后重试",
    "trial": "新版本试运行中",
    "updated": "已更新",
    "refused": "拒绝安装",
    "rolled_back": "新版本不正常，已退回",
}


def update_words(state: dict) -> str:
    """A device's update state in a few words: what happened, to which version."""
    word = UPDATE_WORDS.get(state.get("update") or "", "")
    version = state.get("update_version") or ""
    return f"{word}（{version}）" if word and version and state.get("update") not in ("ok", "unmanaged") else word


def rollout_summary(release, stations: dict[int, str]) -> str:
    """Who a release is pushed to, in a line: the stations by name when three or fewer."""
    ids = list(release.station_ids or [])
    named = "、".join(stations.get(s, f"驿站 {s}") for s in ids) if len(ids) <= 3 else f"{len(ids)} 个驿站"
    if ids and release.percent:
        return f"{named}，另加全部设备的 {release.percent}%"
    if ids:
        return named
    return f"全部设备的 {release.percent}%" if release.percent else "还没有推送"


def _page(
    request: Request,
    session,
    staff,
    settings,
    errors: dict | None = None,
    status: int = 200,
    row: tuple[int, dict, dict] | None = None,
) -> HTMLResponse:
    """`row`: a refused rollout's release id, its errors and what was typed, shown in that row."""
    found = releases.all_releases(session)
    counts = releases.counts(session, found)
    stations = {s.id: s.name for s in session.scalars(select(Station).order_by(Station.id))}
    try:
        fingerprint = key_fingerprint(settings.update_public_key) if settings.update_public_key else ""
    except ReleaseError:
        fingerprint = ""
    return render(
        request,
        "staff/releases.html",
        {
            "staff": staff,
            "releases": [(r, counts[r.id], rollout_summary(r, stations)) for r in found],
            "stations": stations,
            "row_id": row[0] if row else None,
            "row_errors": row[1] if row else {},
            "typed": row[2] if row else {},
            "fingerprint": fingerprint,
            "errors": errors or {},
        },
        status,
    )


@router.get("/releases", response_class=HTMLResponse)
def release_page(request: Request, staff: Staff, db: DbDep, settings: SettingsDep) -> HTMLResponse:
    staff.require_admin()
    with db.read() as session:
        return _page(request, session, staff, settings)


@router.post("/releases", response_class=HTMLResponse, max_body_size=UPLOAD_LIMIT)
async def publish(request: Request, staff: Staff, db: DbDep, settings: SettingsDep):
    """A wheel and its .sig file, kept only if the signature verifies with the hub's update key."""
    staff.require_admin()
    form = await form_of(request)
    wheel, signature = form.get("wheel"), form.get("signature")
    if not hasattr(wheel, "read") or not hasattr(signature, "read"):
        errors = {"wheel": "请选择安装包（.whl）和它的签名文件（.sig）"}
    else:
        text = await signature.read(MAX_SIGNATURE_BYTES + 1)
        try:
            upload = await run_in_threadpool(releases.receive, settings.home, wheel.file)
            with db.write() as session:
                if len(text) > MAX_SIGNATURE_BYTES:
                    upload.unlink(missing_ok=True)
                    raise Invalid("签名文件太大", code="release.signature", field="signature")
                release = releases.publish(
                    session,
                    settings.home,
                    upload,
                    text.decode("utf-8", "replace"),
                    settings.update_public_key,
                    staff.name,
                )
                return RedirectResponse(f"/staff/releases?{urlencode({'published': release.version})}", 303)
        except HubError as exc:
            errors = {exc.field or "form": exc.message}
    with db.read() as session:
        return _page(request, session, staff, settings, errors, 422)


@router.post("/releases/{release_id}/rollout", response_class=HTMLResponse)
async def roll_out(release_id: IdPath, request: Request, staff: Staff, db: DbDep, settings: SettingsDep):
    staff.require_admin()
    form = await form_of(request)
    raw_percent = form.get("percent")
    raw_percent = raw_percent.strip()[:20] if isinstance(raw_percent, str) else ""
    raw_ids = [s if isinstance(s, str) else "" for s in many(form, "station_ids")]
    typed = {"percent": raw_percent, "station_ids": raw_ids, "pinned": form.get("pinned") == "yes"}
    errors: dict[str, str] = {}
    percent = whole(raw_percent or "0", 0, 100)
    if percent is None:
        errors["percent"] = f"推送比例要填 0 到 100 的整数，填的是「{raw_percent}」"
    ids = [whole(s) for s in raw_ids]
    if None in ids:
        # A browser sends only the page's own ids: anything else is refused whole, never dropped.
        errors["station_ids"] = "选的驿站里有不存在的编号，没有保存：请重新打开本页再选"
    if not errors:
        try:
            rollout = RolloutIn(station_ids=ids, percent=percent, pinned=typed["pinned"])
            with db.write() as session:
                release = releases.roll_out(session, release_id, rollout)
                return RedirectResponse(
                    f"/staff/releases?{urlencode({'saved': release.version})}#release-{release.id}", 303
                )
        except HubError as exc:
            if exc.status == 404:
                raise
            errors = {exc.field or "form": exc.message}
        except ValidationError as exc:
            errors = field_errors(exc)
    with db.read() as session:
        releases.get(session, release_id)  # an unknown release is a 404, not a page of errors
        return _page(request, session, staff, settings, status=422, row=(release_id, errors, typed))
