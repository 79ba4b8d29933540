"""A printable poster per station: the QR code residents scan to post a household job (/o/new)."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

import qrcode
from fastapi import Request
from fastapi.responses import HTMLResponse
from qrcode.image.svg import SvgPathImage
from sqlalchemy import select

from hub.deps import DbDep, SettingsDep
from hub.deps import SessionStaffDep as Staff
from hub.errors import NotFound
from hub.fields import IdPath
from hub.stations.models import Station
from hub.web.pages import render

from .forms import console_router

router = console_router()


def unreachable(public_url: str) -> bool:
    """The hub's public address is this machine's own (127.0.0.1, localhost — the default when
    LINGONG_PUBLIC_URL is unset): a code or link made from it leads nowhere on any other device."""
    host = (urlsplit(public_url).hostname or "").rstrip(".")
    if host == "localhost" or host.endswith(".localhost") or not host:
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False  # a name: only the administrator knows whether phones reach it
    return address.is_loopback or address.is_unspecified


def order_url(public_url: str, station_id: int) -> str:
    """Where the poster's code leads: the order form with this station already chosen."""
    return f"{public_url}/o/new?station={station_id}"


def qr_svg(text: str, box_size: int = 10) -> str:
    """The QR code of `text` as inline SVG. Error correction "M": still reads when the print is
    creased, a corner is torn or a phone's screen is scanned at a slant."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box_size, border=2)
    code.add_data(text)
    return code.make_image(image_factory=SvgPathImage).to_string(encoding="unicode")


def full_address(station: Station) -> str:
    """The district and the address, the district once (many addresses already begin with it)."""
    return station.address if station.address.startswith(station.district) else station.district + station.address


@router.get("/posters", response_class=HTMLResponse)
def poster_list(request: Request, staff: Staff, db: DbDep, settings: SettingsDep) -> HTMLResponse:
    with db.read() as session:
        stations = [s for s in session.scalars(select(Station).order_by(Station.id)) if staff.may_station(s.id)]
        rows = [{"id": s.id, "name": s.name, "address": full_address(s)} for s in stations]
    context = {"staff": staff, "stations": rows, "unreachable": unreachable(settings.public_url)}
    return render(request, "staff/posters.html", {**context, "public_url": settings.public_url})


@router.get("/stations/{station_id}/poster", response_class=HTMLResponse)
def poster(station_id: IdPath, request: Request, staff: Staff, db: DbDep, settings: SettingsDep) -> HTMLResponse:
    """One A4 page: what to post, the code, the address spelled out for phones that cannot scan."""
    staff.require_station(station_id)
    with db.read() as session:
        station = session.get(Station, station_id)
        if station is None:
            raise NotFound(f"没有编号为 {station_id} 的驿站", code="station.not_found")
        url = order_url(settings.public_url, station.id)
        qr = qr_svg(url)
        facts = {"name": station.name, "address": full_address(station), "phone": station.phone}
    # A code that leads nowhere is shown (to see the layout) but not offered for printing.
    context = {"staff": staff, "station": facts, "url": url, "qr": qr, "public_url": settings.public_url}
    return render(request, "staff/poster.html", {**context, "unreachable": unreachable(settings.public_url)})
