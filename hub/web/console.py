"""The staff console (first pages): log in, publish and close postings, add employers, see devices."""
from __future__ import annotations

import datetime as dt
import qrcode
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from qrcode.image.svg import SvgPathImage
from pydantic import ValidationError
from sqlalchemy import select

from hub.applications import service as applications
from hub.applications.models import Application, ApplicationStatus
from hub.deps import DbDep, LimitsDep, SessionStaffDep as Staff, SettingsDep
from hub.devices import service as devices
from hub.devices.models import Device, DeviceKind
from hub.devices.schemas import DeviceConfig
from hub.employers import service as employers
from hub.employers.models import Employer
from hub.employers.schemas import EmployerIn
from hub.errors import Forbidden, HubError, Invalid, TooMany
from hub.postings import service as postings
from hub.postings.models import Posting, PostingStatus
from hub.postings.schemas import PostingIn
from hub.staff.service import check_password
from hub.stations.models import Station
from hub.trades.models import Trade
from hub.fields import IdPath

from . import csrf, staff_session
from .pages import SETTLEMENTS, UNITS, pay_text, render

router = APIRouter(prefix="/staff", tags=["staff console"], include_in_schema=False)


async def form_of(request: Request) -> dict[str, str]:
    """The posted form, its CSRF token checked."""
    form = {k: v.strip() if isinstance(v, str) else v for k, v in (await request.form()).items()}
    csrf.check(request, form.pop("csrf_token", ""))
    return form


def field_errors(exc: ValidationError) -> dict[str, str]:
    return {str(e["loc"][0]) if e["loc"] else "form": e["msg"].removeprefix("Value error, ") for e in exc.errors()}


# ---- signing in ------------------------------------------------------------------------------------
@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> HTMLResponse:
    return render(request, "staff/login.html", {"error": "", "name": ""})


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request, db: DbDep, limits: LimitsDep):
    form = await form_of(request)
    name = form.get("name", "")
    try:
        limits.login.hit(f"{request.client.host if request.client else '?'}:{name}")
    except TooMany:
        return render(request, "staff/login.html", {"error": "尝试次数太多，请过一分钟再试", "name": name}, 429)
    with db.write() as session:
        user = check_password(session, name, form.get("password", ""))
        if user is None:
            return render(request, "staff/login.html", {"error": "用户名或密码不对", "name": name}, 401)
        response = RedirectResponse("/staff", status_code=303)
        staff_session.start(request, response, user)
        return response


@router.post("/logout")
async def logout(request: Request) -> RedirectResponse:
    await form_of(request)
    response = RedirectResponse("/staff/login?bye=1", status_code=303)
    staff_session.end(response)
    return response


# ---- postings --------------------------------------------------------------------------------------
@router.get("", response_class=HTMLResponse)
def home(request: Request, staff: Staff, db: DbDep) -> HTMLResponse:
    with db.read() as session:
        rows = session.scalars(select(Posting).where(Posting.status == PostingStatus.OPEN)
                               .order_by(Posting.id.desc()).limit(50)).all()
        listed = [{"id": p.id, "title": p.title, "employer": p.employer.name, "pay": pay_text(
            p.pay_min_fen, p.pay_max_fen, p.pay_unit.value), "places": p.headcount - p.filled} for p in rows]
    return render(request, "staff/postings.html", {"staff": staff, "postings": listed})


def _posting_choices(session) -> dict:
    return {"trades": session.scalars(select(Trade).order_by(Trade.category_id, Trade.sort)).all(),
            "employers": session.scalars(select(Employer).order_by(Employer.name)).all(),
            "units": UNITS, "settlements": SETTLEMENTS}


@router.get("/postings/new", response_class=HTMLResponse)
def new_posting(request: Request, staff: Staff, db: DbDep, settings: SettingsDep) -> HTMLResponse:
    today = dt.datetime.now(settings.tz).date().isoformat()
    with db.read() as session:
        return render(request, "staff/posting_form.html", {
            "staff": staff, "form": {"work_start": today, "valid_days": "14", "headcount": "1",
                                     "pay_unit": "day", "settlement": "daily"},
            "errors": {}, **_posting_choices(session)})


def _posting_in(form: dict, tz: dt.tzinfo, station: Station | None, station_ids: list[int] | None) -> PostingIn:
    """The form's fields as the API's model (pay typed in yuan; valid from now for N days; shown at
    every station when an administrator publishes, at their own stations for station staff)."""
    def fen(key: str):
        try:
            return round(float(form.get(key) or "x") * 100)
        except ValueError:
            return form.get(key)  # let the model say what is wrong with it
    now = dt.datetime.now(tz)
    days = int(form["valid_days"]) if form.get("valid_days", "").isdigit() else 14
    return PostingIn.model_validate({
        "title": form.get("title", ""), "trade_id": form.get("trade_id") or 0,
        "employer_id": form.get("employer_id") or 0, "headcount": form.get("headcount") or 0,
        "pay_min_fen": fen("pay_min"), "pay_max_fen": fen("pay_max"), "pay_unit": form.get("pay_unit"),
        "settlement": form.get("settlement"), "work_start": form.get("work_start") or None,
        "daily_hours": form.get("daily_hours", ""), "district": form.get("district") or (station.district if station else ""),
        "address": form.get("address", ""), "lat": station.lat if station else 0.0, "lon": station.lon if station else 0.0,
        "contact_person": form.get("contact_person", ""), "contact_phone": form.get("contact_phone", ""),
        "requirements": form.get("requirements", ""), "urgent": form.get("urgent") == "yes",
        "valid_from": now, "valid_to": now + dt.timedelta(days=days), "station_ids": station_ids,
    })


@router.post("/postings/new", response_class=HTMLResponse)
async def create_posting(request: Request, staff: Staff, db: DbDep, settings: SettingsDep):
    form = await form_of(request)
    with db.write() as session:
        station_id = min(staff.station_ids) if staff.station_ids else None
        station = session.get(Station, station_id) if station_id else session.scalars(select(Station)).first()
        try:
            data = _posting_in(form, settings.tz, station, None if staff.is_admin else sorted(staff.station_ids))
            posting = postings.create(session, data, staff)
        except ValidationError as exc:
            errors = field_errors(exc)
        except HubError as exc:
            errors = {exc.field or "form": exc.message}
        else:
            return RedirectResponse(f"/staff?published={posting.id}", status_code=303)
        session.rollback()
        return render(request, "staff/posting_form.html", {"staff": staff, "form": form, "errors": errors,
                                                         **_posting_choices(session)}, 422)


@router.post("/postings/{posting_id}/close")
async def close_posting(posting_id: IdPath, request: Request, staff: Staff, db: DbDep) -> RedirectResponse:
    await form_of(request)
    with db.write() as session:
        postings.set_status(session, posting_id, PostingStatus.CLOSED, staff)
    return RedirectResponse("/staff", status_code=303)


# ---- employers -------------------------------------------------------------------------------------
def _employer_list(session) -> list[Employer]:
    return session.scalars(select(Employer).order_by(Employer.id.desc()).limit(100)).all()


@router.get("/employers", response_class=HTMLResponse)
def employer_page(request: Request, staff: Staff, db: DbDep) -> HTMLResponse:
    with db.read() as session:
        return render(request, "staff/employers.html", {"staff": staff, "employers": _employer_list(session),
                                                      "form": {}, "errors": {}})


@router.post("/employers", response_class=HTMLResponse)
async def create_employer(request: Request, staff: Staff, db: DbDep):
    form = await form_of(request)
    with db.write() as session:
        try:
            data = EmployerIn.model_validate({k: form.get(k, "") for k in (
                "name", "credit_code", "contact_person", "contact_phone", "district", "address")})
            employers.create(session, data)
        except ValidationError as exc:
            errors = field_errors(exc)
        except HubError as exc:
            errors = {exc.field or "form": exc.message}
        else:
            return RedirectResponse("/staff/employers", status_code=303)
        session.rollback()
        return render(request, "staff/employers.html", {"staff": staff, "employers": _employer_list(session),
                                                      "form": form, "errors": errors}, 422)


# ---- devices ---------------------------------------------------------------------------------------
@router.get("/devices", response_class=HTMLResponse)
def device_page(request: Request, staff: Staff, db: DbDep) -> HTMLResponse:
    return _devices(request, staff, db)


def _devices(request: Request, staff, db, enrolled: dict | None = None) -> HTMLResponse:
    now = dt.datetime.now(dt.UTC)
    with db.read() as session:
        rows = [d for d in session.scalars(select(Device).order_by(Device.id)).all() if staff.may_station(d.station_id)]
        devices = [{"name": d.name, "kind": d.kind.value, "station": d.station_id,
                    "seen": d.last_seen_at, "online": d.last_seen_at is not None
                    and now - _aware(d.last_seen_at) < dt.timedelta(minutes=3),
                    "state": d.state or {}, "revoked": d.revoked_at is not None} for d in rows]
        stations = [st for st in session.scalars(select(Station).order_by(Station.id)) if staff.may_station(st.id)]
        stations = [{"id": st.id, "name": st.name} for st in stations]
    return render(request, "staff/devices.html", {"staff": staff, "devices": devices, "stations": stations,
                                                  "enrolled": enrolled, "kinds": DEVICE_KINDS})


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


# ---- applications ----------------------------------------------------------------------------------
DEVICE_KINDS = {"kiosk": "一体机", "display": "大屏", "booth": "面试间"}
STATUS_WORDS = {"new": "新报名", "contacted": "已联系", "hired": "已上岗", "no_show": "未到岗", "withdrawn": "已撤回"}


@router.get("/applications", response_class=HTMLResponse)
def application_page(request: Request, staff: Staff, db: DbDep) -> HTMLResponse:
    """The latest applications at the staff member's stations (administrators: all), with the
    consented name and phone — the employer's contact needs them, and only staff see them."""
    with db.read() as session:
        query = select(Application).order_by(Application.id.desc()).limit(200)
        if not staff.is_admin:
            query = query.where(Application.station_id.in_(staff.station_ids))
        rows = [{"id": a.id, "code": a.code, "posting": a.posting.title, "employer": a.posting.employer.name,
                 "name": a.name or "（未同意留名）", "phone": a.phone, "status": a.status.value,
                 "station": a.station_id} for a in session.scalars(query)]
    return render(request, "staff/applications.html", {"staff": staff, "applications": rows, "words": STATUS_WORDS})


@router.post("/applications/{application_id}/status")
async def application_status(application_id: IdPath, request: Request, staff: Staff, db: DbDep,
                             settings: SettingsDep) -> RedirectResponse:
    form = await form_of(request)
    with db.write() as session:
        found = session.get(Application, application_id)
        if found is None or not staff.may_station(found.station_id):
            raise Forbidden("this application is not at your station")
        try:
            status = ApplicationStatus(form.get("status", ""))
        except ValueError:
            raise Invalid("unknown status", field="status") from None
        applications.set_status(session, application_id, status, settings.tz)
    return RedirectResponse("/staff/applications", status_code=303)


@router.post("/devices", response_class=HTMLResponse)
async def enroll_device(request: Request, staff: Staff, db: DbDep, settings: SettingsDep):
    """A new device: its one-time enrolment code, as text and as a QR code to scan at the device."""
    form = await form_of(request)
    try:
        station_id = int(form.get("station_id", ""))
        kind = DeviceKind(form.get("kind", ""))
    except ValueError:
        return RedirectResponse("/staff/devices", status_code=303)
    staff.require_station(station_id)
    name = form.get("name", "")[:60] or f"{kind.value}-{station_id}"
    with db.write() as session:
        try:
            _, code = devices.create(session, name=name, kind=kind, station_id=station_id, config=DeviceConfig(),
                                     code_ttl=dt.timedelta(hours=settings.enroll_code_ttl_h))
        except HubError as exc:
            return RedirectResponse(f"/staff/devices?error={exc.message}", status_code=303)
    command = f"lingong enroll --hub {settings.public_url} --code {code}"
    qr = qrcode.make(command, image_factory=SvgPathImage, box_size=8).to_string(encoding="unicode")
    return _devices(request, staff, db, enrolled={"name": name, "code": code, "command": command, "qr": qr,
                                                     "hours": settings.enroll_code_ttl_h})
