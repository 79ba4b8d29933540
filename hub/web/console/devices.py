"""Devices in the console: enrol one, set its station and configuration, watch its live state and
its last low-resolution picture of itself, revoke it."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from urllib.parse import urlencode

import qrcode
from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from qrcode.image.svg import SvgPathImage
from sqlalchemy import select

from hub.deps import DbDep, KeysDep, SettingsDep
from hub.deps import SessionStaffDep as Staff
from hub.devices import service as devices
from hub.devices.models import Device, DeviceKind
from hub.devices.schemas import DeviceConfig, Schedule
from hub.errors import HubError, NotFound
from hub.fields import IdPath
from hub.stations import service as stations
from hub.stations.models import Station
from hub.trades.models import Trade
from hub.web.pages import render
from wire.releases import key_fingerprint

from .device_schedule import DAYS, rows_from_form, rows_of, schedule_of, targets
from .forms import attempt, console_router, form_of, many, whole
from .posters import unreachable
from .releases import update_words

router = console_router()
KINDS = {"kiosk": "一体机", "display": "大屏", "booth": "面试间"}
ONLINE_WITHIN = dt.timedelta(minutes=3)  # three missed heartbeats
LAYOUTS = {
    "auto": "自动（按屏幕形状）",
    "table": "表格",
    "cards": "卡片",
    "ticker": "条屏",
    "booth": "面试间",
    "market": "行情（工资指导价、紧缺工种）",
}
CHECKS = {
    "asleep": "休眠中（按时间表关屏），不检查",
    "ok": "正常",
    "pending": "还没检查",
    "black": "黑屏，已自动重画",
    "frozen": "画面不动，已自动重画",
}
# The card readers every device has built in (device/machine.py), in words staff use; a reader the
# device's own machine file names is shown by that name.
READERS = {
    "sim": "模拟读卡器（只供测试，不读真卡）",
    "pcsc": "USB 身份证读卡器",
    "wedge": "刷卡时像键盘打字的读卡器",
}
# The settings each kind of device reads (the rest of its configuration is kept, not shown).
SETTINGS = {
    "display": {
        "layout", "rotation", "dwell_s", "viewing_distance_m", "pixel_pitch_mm", "show_phone", "stale_after_s",
        "trades", "urgent_only", "today_only", "schedule",
    },
    "kiosk": {"rotation", "idle_timeout_s", "reader", "trades"},
    "booth": {"rotation", "reader", "jitsi_domain", "browser"},
}  # fmt: skip
# The settings form's fields in its order, for the error summary: key → (field id, name).
FIELDS = {
    "name": ("name", "名称"),
    "station_id": ("station_id", "驿站"),
    "layout": ("layout", "版式"),
    "rotation": ("rotation", "屏幕旋转"),
    "dwell_s": ("dwell_s", "每页停留"),
    "viewing_distance_m": ("viewing_distance_m", "观看距离"),
    "pixel_pitch_mm": ("pixel_pitch_mm", "点间距"),
    "stale_after_s": ("stale_after_s", "多久没同步就提示"),
    "idle_timeout_s": ("idle_timeout_s", "没人操作多久自动退出"),
    "reader": ("reader", "读卡器"),
    "jitsi_domain": ("jitsi_domain", "视频服务器"),
    "browser": ("browser", "浏览器"),
}
# Where README "Setting up a kiosk or a wall" installs lingong on a fresh device, before `device setup`.
BASE = "/opt/lingong/base"
# A wall asleep for its schedule (display/sleeping.py): how its screen was switched off.
ASLEEP = {"asleep cec": "按时间表关屏（已让屏幕待机）", "asleep blank": "按时间表关屏（黑屏；这块屏幕不支持遥控待机）"}
WEEKDAYS = "一二三四五六日"
NUMBERS = ("dwell_s", "viewing_distance_m", "pixel_pitch_mm", "stale_after_s", "idle_timeout_s")


def number_text(value) -> str:
    """12.0 → "12", 0.63 → "0.63", None → "" (a float field shown as staff would type it)."""
    return "" if value is None or value == "" else f"{float(value):g}"


def check_words(value: str | None) -> str:
    return CHECKS.get(value or "", value or "")


def showing_words(value: str | None) -> str:
    """ "table 3/9 v120" (a wall's heartbeat) → "表格，第3页/共9页"; anything else as it came."""
    asleep = re.fullmatch(r"(asleep \w+)(?: until (\d{4})-(\d\d)-(\d\d)T(\d\d:\d\d))?", value or "")
    if asleep and asleep.group(1) in ASLEEP:
        words = ASLEEP[asleep.group(1)]
        if asleep.group(2):
            try:
                day = dt.date(*(int(v) for v in asleep.group(2, 3, 4)))
            except ValueError:
                return words
            words += f"，{day.month}月{day.day}日 周{WEEKDAYS[day.weekday()]} {asleep.group(5)} 开屏"
        return words
    found = re.fullmatch(r"(\w+) (\d+)/(\d+)(?: v\S*)?", value or "")
    if not found:
        return value or ""
    layout, page, pages = found.groups()
    return f"{LAYOUTS.get(layout, layout).split('（')[0]}，第{page}页/共{pages}页"


def local_time(stamp, tz) -> str:
    """An ISO time or an epoch second as the station's local time (月-日 时:分:秒)."""
    try:
        when = dt.datetime.fromtimestamp(float(stamp), dt.UTC) if isinstance(stamp, int | float) else None
        when = when or dt.datetime.fromisoformat(str(stamp))
    except (TypeError, ValueError, OverflowError):
        return ""
    when = when if when.tzinfo else when.replace(tzinfo=dt.UTC)
    return when.astimezone(tz).strftime("%m-%d %H:%M:%S")


def _live(d: Device, head: int, now: dt.datetime) -> dict:
    """What staff need to know at a glance: online, or offline since when; how far behind."""
    state = d.state or {}
    seen = d.last_seen_at
    last_sync = state.get("last_sync_ok")
    return {
        "id": d.id,
        "name": d.name,
        "kind": d.kind.value,
        "station": d.station_id,
        "seen": seen,
        "online": seen is not None and now - seen < ONLINE_WITHIN,
        "revoked": d.revoked_at is not None,
        "enrolled": d.enrolled_at is not None,
        "state": state,
        "behind": max(0, head - int(state.get("cursor") or 0)) if seen else None,
        "sync_age_s": int(now.timestamp() - last_sync) if last_sync else None,
        "capture": "capture_png_b64" in state,
        "check": check_words(state.get("self_check")),
        "showing": showing_words(state.get("showing")),
        "updating": update_words(state),
    }


def _devices(request: Request, staff, db, enrolled: dict | None = None) -> HTMLResponse:
    now = dt.datetime.now(dt.UTC)
    head = request.app.state.feed.head
    with db.read() as session:
        rows = [
            _live(d, head, now)
            for d in session.scalars(select(Device).order_by(Device.id))
            if staff.may_station(d.station_id)
        ]
        stations = {
            s.id: s.name for s in session.scalars(select(Station).order_by(Station.id)) if staff.may_station(s.id)
        }
    return render(
        request,
        "staff/devices.html",
        {"staff": staff, "devices": rows, "stations": stations, "enrolled": enrolled, "kinds": KINDS},
    )


@router.get("/devices", response_class=HTMLResponse)
def device_list(request: Request, staff: Staff, db: DbDep) -> HTMLResponse:
    return _devices(request, staff, db)


@router.post("/devices", response_class=HTMLResponse)
async def enroll_device(request: Request, staff: Staff, db: DbDep, settings: SettingsDep, keys: KeysDep):
    """A new device: its one-time enrolment code, as text and as a QR code to scan at the device."""
    form = await form_of(request)
    station_id = whole(form.get("station_id"))
    try:
        kind = DeviceKind(form.get("kind", ""))
    except ValueError:
        kind = None
    if station_id is None or kind is None:
        return RedirectResponse("/staff/devices", status_code=303)
    staff.require_station(station_id)
    name = form.get("name", "")[:60] or f"{kind.value}-{station_id}"
    with db.write() as session:
        try:
            _, code = devices.create(
                session,
                name=name,
                kind=kind,
                station_id=station_id,
                config=DeviceConfig(),
                code_ttl=dt.timedelta(hours=settings.enroll_code_ttl_h),
                is_admin=staff.is_admin,
            )
        except HubError as exc:
            # (a code the page words: a link's own text never appears in the console's voice)
            return RedirectResponse(f"/staff/devices?{urlencode({'error': exc.code})}", status_code=303)
    # The fingerprint lets the device check it is talking to this hub (over plain HTTP it must).
    # A fresh machine is set up whole (README "Setting up a kiosk or a wall"); one already running
    # lingong only enrolls.
    given = f"--hub {settings.public_url} --code {code} --fingerprint {keys.fingerprint}"
    if settings.update_public_key:  # (over plain HTTP a device keeps the update key only when this matches)
        given += f" --update-fingerprint {key_fingerprint(settings.update_public_key)}"
    command = f"{BASE}/bin/lingong device setup {given}"
    qr = qrcode.make(command, image_factory=SvgPathImage, box_size=8).to_string(encoding="unicode")
    return _devices(
        request,
        staff,
        db,
        enrolled={
            "name": name,
            "code": code,
            "command": command,
            "install": [f"python3 -m venv {BASE}", f"{BASE}/bin/pip install 'lingong[device]'", command],
            "enroll": f"lingong enroll {given}",
            "qr": qr,
            "hours": f"{settings.enroll_code_ttl_h:g}",
            "fingerprint": keys.fingerprint,
            "update_fingerprint": key_fingerprint(settings.update_public_key) if settings.update_public_key else "",
            "loopback": unreachable(settings.public_url),
        },
    )


def _mine(session, staff, device_id: int) -> Device:
    device = devices.get(session, device_id)
    staff.require_station(device.station_id)
    return device


def _device_page(
    request, session, staff, device: Device, form: dict | None = None, errors: dict | None = None, status: int = 200
) -> HTMLResponse:
    now = dt.datetime.now(dt.UTC)
    config = DeviceConfig.model_validate(device.config or {})
    stations = {s.id: s.name for s in session.scalars(select(Station).order_by(Station.id)) if staff.may_station(s.id)}
    trades = session.scalars(select(Trade).order_by(Trade.category_id, Trade.sort)).all()
    # A wall without a week of its own follows its station's: shown, and ticked as such.
    default = session.get(Station, device.station_id).wall_schedule
    follows = config.schedule is None and bool(default)
    shown = Schedule.model_validate(default) if follows else config.schedule
    week = rows_of(shown) if form is None else rows_from_form(form)
    follows = follows if form is None else form.get("station_default") == "yes"
    if form is None:
        form = {
            **config.model_dump(),
            **{k: number_text(getattr(config, k)) for k in NUMBERS},
            "trades": [str(t) for t in config.filters.trades],
            "urgent_only": config.filters.urgent_only,
            "today_only": config.filters.today_only,
            "station_id": device.station_id,
            "name": device.name,
        }
    live = _live(device, request.app.state.feed.head, now)
    tz = request.app.state.settings.tz
    return render(
        request,
        "staff/device.html",
        {
            "staff": staff,
            "d": live,
            "kinds": KINDS,
            "layouts": LAYOUTS,
            "readers": READERS,
            "shows": SETTINGS.get(device.kind.value, set()),
            "form": form,
            "errors": errors or {},
            "stations": stations,
            "trades": trades,
            "week": week,
            "targets": FIELDS | targets(),
            "follows_station": follows,
            "days": DAYS,
            "synced_at": local_time(live["state"].get("last_sync_ok"), tz),
            "captured_at": local_time(live["state"].get("capture_at"), tz),
        },
        status,
    )


@router.get("/devices/{device_id}", response_class=HTMLResponse)
def device_page(device_id: IdPath, request: Request, staff: Staff, db: DbDep) -> HTMLResponse:
    with db.read() as session:
        return _device_page(request, session, staff, _mine(session, staff, device_id))


def config_of(form: dict, current: DeviceConfig, is_admin: bool, kind: str = "display") -> DeviceConfig:
    """The form's settings over the device's current ones: only those its kind reads are shown, and
    taken (the rest stay as they are); the video settings from administrators only."""

    def number(key: str):
        value = form.get(key, "")
        return None if value == "" else value

    rotation = whole(form.get("rotation"), 0, 270)  # the model takes the number, not its text
    given = {
        "layout": form.get("layout", "auto"),
        "dwell_s": number("dwell_s") or 12,
        "viewing_distance_m": number("viewing_distance_m"),
        "pixel_pitch_mm": number("pixel_pitch_mm"),
        "rotation": rotation if rotation is not None else form.get("rotation") or 0,
        "show_phone": form.get("show_phone", "full"),
        "stale_after_s": number("stale_after_s") or 600,
        "idle_timeout_s": number("idle_timeout_s") or 60,
        "reader": form.get("reader", ""),
        **({"jitsi_domain": form.get("jitsi_domain", ""), "browser": form.get("browser", "")} if is_admin else {}),
    }
    shown = SETTINGS.get(kind, set())
    filters = {
        "trades": [n for t in many(form, "trades") if (n := whole(t))],
        "urgent_only": form.get("urgent_only") == "yes",
        "today_only": form.get("today_only") == "yes",
    }
    # (the page checked the schedule's rows first: schedule_problems)
    schedule = schedule_of(form, current, {}) if "schedule" in shown else current.model_dump()["schedule"]
    return DeviceConfig.model_validate(
        {
            **current.model_dump(),
            **{k: v for k, v in given.items() if k in shown},
            "filters": {**current.filters.model_dump(), **{k: v for k, v in filters.items() if k in shown}},
            "schedule": schedule,
        }
    )


def schedule_problems(form: dict, device: Device) -> dict[str, str]:
    """Every row of the week's schedule that cannot be meant, in words, before anything is saved."""
    problems: dict[str, str] = {}
    if "schedule" in SETTINGS.get(device.kind.value, set()):
        schedule_of(form, DeviceConfig.model_validate(device.config or {}), problems)
    return problems


@router.post("/devices/{device_id}", response_class=HTMLResponse)
async def configure(device_id: IdPath, request: Request, staff: Staff, db: DbDep):
    form = await form_of(request)
    with db.write() as session:
        device = _mine(session, staff, device_id)
        station = whole(form.get("station_id") or device.station_id)

        def save():
            staff.require_station(station)
            current = DeviceConfig.model_validate(device.config or {})
            config = config_of(form, current, staff.is_admin, device.kind.value)
            if device.kind == DeviceKind.DISPLAY and form.get("station_default") == "yes":
                # The station's week for every wall without one of its own, this wall among them.
                stations.set_wall_schedule(session, station, config.model_dump(mode="json")["schedule"])
                config = config.model_copy(update={"schedule": None})
            devices.update(
                session,
                device_id,
                name=(form.get("name") or device.name)[:60],
                station_id=station,
                config=config,
                is_admin=staff.is_admin,
            )

        errors = schedule_problems(form, device)
        if not errors:
            _, errors = attempt(save) if station is not None else (None, {"station_id": "请选择驿站"})
        if not errors:
            return RedirectResponse(f"/staff/devices/{device_id}?saved=1", status_code=303)
        session.rollback()
        return _device_page(request, session, staff, device, form, errors, 422)


@router.post("/devices/{device_id}/revoke")
async def revoke(device_id: IdPath, request: Request, staff: Staff, db: DbDep) -> RedirectResponse:
    """The device's token stops working at once (a stolen kiosk, a replaced screen). Only a form that
    says it was confirmed revokes; any other post is shown the question on the device's page."""
    form = await form_of(request)
    with db.write() as session:
        _mine(session, staff, device_id)
        if form.get("confirmed") != "yes":
            return RedirectResponse(f"/staff/devices/{device_id}?revoke=ask#revoke-confirm", status_code=303)
        devices.revoke(session, device_id)
    request.app.state.device_auth.forget(device_id)
    return RedirectResponse(f"/staff/devices/{device_id}", status_code=303)


@router.get("/devices/{device_id}/capture.png")
def capture(device_id: IdPath, staff: Staff, db: DbDep) -> Response:
    with db.read() as session:
        encoded = (_mine(session, staff, device_id).state or {}).get("capture_png_b64")
    try:
        png = base64.b64decode(encoded or "", validate=True)
    except (binascii.Error, ValueError):
        png = b""
    if not png.startswith(b"\x89PNG"):
        raise NotFound("这台设备还没有发来画面", code="device.no_picture")
    return Response(png, media_type="image/png", headers={"Cache-Control": "no-store"})
