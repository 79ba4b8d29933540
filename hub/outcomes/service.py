"""Counting card visits and QR scans, attributing phone applications to walls, and the month's funnel
per station, kiosk and wall: card visits → applications → contacted → hired, and scans → applications."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from hub.applications.models import Application, ApplicationStatus
from hub.db import insert_ignore
from hub.devices.models import Device, DeviceKind
from hub.fields import MAX_ID
from hub.stations.models import Station

from .models import CardVisitDay, QrApplication, QrScanDay

DAY_MAX = 86_400  # at most a card a second all day: more is a device misreporting (and no overflow)
PAGE = re.compile(r"^[a-z]{1,12}$")  # a wall's page key as the wall writes it (its layout's name)
# An application counts as contacted once staff marked it 已联系 — or anything only reached after a
# call: 已上岗 and 未到岗 (the status keeps only the latest mark). 已撤回 may come before any call.
CONTACTED = (ApplicationStatus.CONTACTED, ApplicationStatus.HIRED, ApplicationStatus.NO_SHOW)
# A wall's pages as staff know them (the layouts that show QR codes; "qr": a link that named none).
PAGE_WORDS = {"cards": "岗位卡片", "booth": "单位专屏", "table": "岗位列表", "ticker": "滚动条", "qr": "其他"}


# ---- what devices and phones report ----------------------------------------------------------------
def record_visits(session: Session, device_id: int, days: list[tuple[dt.date, int]]) -> int:
    """Adds a kiosk's card visits to its days' totals; returns the visits counted. The caller holds
    the device's row lock (one batch at a time per device), so read-then-write is safe."""
    wanted = {d for d, _n in days}
    rows = {
        r.day: r
        for r in session.scalars(
            select(CardVisitDay).where(CardVisitDay.device_id == device_id, CardVisitDay.day.in_(wanted))
        )
    }
    for day, n in days:
        row = rows.get(day)
        if row is None:
            row = rows[day] = CardVisitDay(device_id=device_id, day=day, visits=0)
            session.add(row)
        row.visits = min(row.visits + n, DAY_MAX)
    return sum(n for _d, n in days)


def wall_of(text: str | None) -> int | None:
    """`d=<device id>` on a wall's QR link: a number, nothing else (anything else is ignored)."""
    if not text or not (text.isascii() and text.isdigit() and len(text) <= 10):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


def page_of(text: str | None) -> str | None:
    """`p=<page key>` on a wall's QR link: a short lower-case key, nothing else."""
    return text if text and PAGE.match(text) else None


def live_wall(session: Session, device_id: int) -> Device | None:
    device = session.get(Device, device_id)
    ok = device is not None and device.kind is DeviceKind.DISPLAY and device.revoked_at is None
    return device if ok else None


def record_scan(session: Session, device_id: int, page: str, day: dt.date) -> bool:
    """One phone page opened from a wall's QR code; False (nothing written) for no such live wall."""
    if live_wall(session, device_id) is None:
        return False
    # The day's row made if missing, then counted in the database: two phones opening the same
    # code at once (PostgreSQL) both found no row and both inserted one — the second a 500.
    insert_ignore(session, QrScanDay.__table__, {"device_id": device_id, "day": day, "page": page, "scans": 0})
    key = (QrScanDay.device_id == device_id, QrScanDay.day == day, QrScanDay.page == page)
    more = case((QrScanDay.scans < DAY_MAX, QrScanDay.scans + 1), else_=DAY_MAX)
    session.execute(update(QrScanDay).where(*key).values(scans=more).execution_options(synchronize_session=False))
    return True


def attribute(session: Session, application: Application, device_id: int, page: str) -> bool:
    """Says a phone application came from that wall's code. A kiosk's application, one already
    attributed (the same phone applying again), or no such live wall: nothing written."""
    if application.device_id is not None or session.get(QrApplication, application.id) is not None:
        return False
    if live_wall(session, device_id) is None:
        return False
    session.add(QrApplication(application_id=application.id, device_id=device_id, page=page))
    return True


# ---- the funnel ------------------------------------------------------------------------------------
@dataclass
class Row:
    """One line of the funnel: a station, a kiosk or a wall."""

    id: int
    name: str
    station: str = ""
    visits: int = 0  # card visits (kiosks)
    scans: int = 0  # QR scans (walls)
    applications: int = 0  # from kiosks (stations, kiosks)
    qr_applications: int = 0  # from a wall's code on a phone (stations, walls)
    contacted: int = 0
    hired: int = 0
    pages: dict[str, int] = field(default_factory=dict)  # walls: scans per page

    @property
    def page_words(self) -> list[tuple[str, int]]:
        return [(PAGE_WORDS.get(page, page), n) for page, n in self.pages.items()]

    @property
    def all_applications(self) -> int:
        return self.applications + self.qr_applications


@dataclass
class Funnel:
    start: dt.date
    end: dt.date  # the last day counted
    stations: list[Row]
    kiosks: list[Row]
    walls: list[Row]

    @property
    def total(self) -> Row:
        out = Row(0, "合计")
        for r in self.stations:
            out.visits += r.visits
            out.scans += r.scans
            out.applications += r.applications
            out.qr_applications += r.qr_applications
            out.contacted += r.contacted
            out.hired += r.hired
        return out


def month_bounds(today: dt.date) -> tuple[dt.date, dt.date]:
    return today.replace(day=1), today


def funnel(session: Session, tz: dt.tzinfo, start: dt.date, end: dt.date, station_ids: frozenset[int] | None) -> Funnel:
    """Days `start`..`end` (the hub's local days): the visits and scans counted on them, and the
    applications received on them with what has become of them so far (contacted, hired) — a
    cohort, so each step is a share of the one before. `station_ids` None: every station."""
    since = dt.datetime.combine(start, dt.time(), tz)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tz)
    scope = [] if station_ids is None else [Station.id.in_(sorted(station_ids))]
    stations = {s.id: s.name for s in session.scalars(select(Station).where(*scope).order_by(Station.id))}
    devices = list(
        session.scalars(
            select(Device)
            .where(Device.station_id.in_(list(stations)), Device.kind.in_([DeviceKind.KIOSK, DeviceKind.DISPLAY]))
            .order_by(Device.id)
        )
    )
    visits = dict(
        session.execute(
            select(CardVisitDay.device_id, func.sum(CardVisitDay.visits))
            .where(CardVisitDay.day >= start, CardVisitDay.day <= end)
            .group_by(CardVisitDay.device_id)
        ).all()
    )
    pages: dict[int, Counter] = {}
    for device_id, page, n in session.execute(
        select(QrScanDay.device_id, QrScanDay.page, func.sum(QrScanDay.scans))
        .where(QrScanDay.day >= start, QrScanDay.day <= end)
        .group_by(QrScanDay.device_id, QrScanDay.page)
    ):
        pages.setdefault(device_id, Counter())[page] += int(n)
    received = [Application.received_at >= since, Application.received_at < until]
    by_kiosk = _steps(session, Application.device_id, Application.device_id.is_not(None), *received)
    by_station = _steps(
        session,
        Application.station_id,
        *received,
        Application.device_id.is_not(None),
        Application.station_id.in_(list(stations)),
    )
    by_wall = _steps(session, QrApplication.device_id, *received, join=QrApplication)
    kiosks, walls = [], []
    rows = {sid: Row(sid, name) for sid, name in stations.items()}
    for d in devices:
        row = Row(d.id, d.name, station=stations[d.station_id])
        station = rows[d.station_id]
        if d.kind is DeviceKind.KIOSK:
            row.visits = int(visits.get(d.id) or 0)
            row.applications, row.contacted, row.hired = by_kiosk.get(d.id, (0, 0, 0))
            station.visits += row.visits
            kiosks.append(row)
        else:
            row.pages = dict(sorted(pages.get(d.id, Counter()).items()))
            row.scans = sum(row.pages.values())
            row.qr_applications, row.contacted, row.hired = by_wall.get(d.id, (0, 0, 0))
            station.scans += row.scans
            station.qr_applications += row.qr_applications
            station.contacted += row.contacted
            station.hired += row.hired
            walls.append(row)
    for sid, station in rows.items():
        n, contacted, hired = by_station.get(sid, (0, 0, 0))
        station.applications = n
        station.contacted += contacted
        station.hired += hired
    return Funnel(start, end, list(rows.values()), kiosks, walls)


def _steps(session: Session, key, *where, join=None) -> dict[int, tuple[int, int, int]]:
    """Per key: applications, of them contacted, of them hired (counted in the database)."""
    query = select(
        key,
        func.count(),
        func.sum(case((Application.status.in_(CONTACTED), 1), else_=0)),
        func.sum(case((Application.status == ApplicationStatus.HIRED, 1), else_=0)),
    )
    if join is not None:
        query = query.select_from(join).join(Application, Application.id == join.application_id)
    rows = session.execute(query.where(*where).group_by(key)).all()
    return {k: (int(n), int(c or 0), int(h or 0)) for k, n, c, h in rows if k is not None}
