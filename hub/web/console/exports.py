"""The console's lists as Excel files (.xlsx) — postings, applications, household orders and the
month's figures by station (the 台账 reported to the labour bureau) — each holding what its page
lists to the same staff member, with the same filters. Exports that carry names, phones or
addresses are audited as reads (hub.audit.actions.READS): an export leaves the hub."""

from __future__ import annotations

import datetime as dt

from fastapi import Response
from sqlalchemy import select

from hub.deps import DbDep, SettingsDep
from hub.deps import SessionStaffDep as Staff
from hub.figures import monthly
from hub.orders import service as orders
from hub.postings.models import Posting
from hub.stations.models import Station
from hub.web.pages import pay_text, yuan

from . import xlsx_book
from .applications import FILTER_WORDS as APPLICATION_FILTERS
from .applications import STATUS_WORDS as APPLICATION_WORDS
from .applications import listed
from .forms import QueryId, console_router, whole
from .posting_list import STATUS_WORDS as POSTING_WORDS
from .posting_list import _filters, search_text

router = console_router()
MOST = 20_000  # rows in one export; a larger list is narrowed with the page's filters first
POSTING_HEAD = [
    "编号",
    "岗位",
    "工种",
    "用工单位",
    "薪资",
    "招工人数",
    "已招人数",
    "工作地点",
    "驿站",
    "开工日期",
    "截止日期",
    "状态",
    "联系人",
    "联系电话",
]
APPLICATION_HEAD = ["报名码", "报名时间", "岗位", "用工单位", "驿站", "姓名", "电话", "状态"]
ORDER_HEAD = ["订单号", "提交时间", "需要", "说明", "地点", "时间", "报酬", "居民电话", "驿站", "状态", "备注"]
FIGURES_HEAD = ["驿站", "新发布岗位", "招工人数", "收到报名", "已联系", "已上岗", "家政订单", "完成订单"]


def _local(moment: dt.datetime | None, tz: dt.tzinfo, form: str = "%Y-%m-%d %H:%M") -> str:
    return moment.astimezone(tz).strftime(form) if moment else ""


def _more(count: int) -> str:
    return f"只导出了最新的 {MOST} 条，更早的请在页面上加条件后再导出。" if count >= MOST else ""


@router.get("/postings.xlsx")
def postings_export(
    staff: Staff,
    db: DbDep,
    settings: SettingsDep,
    status: str = "open",
    q: str = "",
    employer: str = "",
    trade: str = "",
    station: str = "",
) -> Response:
    """The postings list with the page's filters (every staff member sees every posting there)."""
    status = status if status in POSTING_WORDS else "open"
    now, tz = dt.datetime.now(dt.UTC), settings.tz
    where = _filters(status, search_text(q), search_text(employer), whole(trade) or 0, whole(station) or 0, now)
    with db.read() as session:
        rows = [
            [
                p.id,
                p.title,
                p.trade.name,
                p.employer.name,
                pay_text(p.pay_min_fen, p.pay_max_fen, p.pay_unit.value),
                p.headcount,
                p.filled,
                f"{p.district} {p.address}",
                "全部驿站" if p.all_stations else "、".join(s.name for s in p.stations),
                p.work_start.isoformat(),
                _local(p.valid_to, tz, "%Y-%m-%d"),
                POSTING_WORDS["expired"]
                if p.status.value == "open" and p.valid_to <= now
                else POSTING_WORDS.get(p.status.value, p.status.value),
                p.contact_person,
                p.contact_phone,
            ]
            for p in session.scalars(select(Posting).where(*where).order_by(Posting.id.desc()).limit(MOST))
        ]
    note = f"岗位（{POSTING_WORDS[status]}），{dt.datetime.now(tz):%Y年%m月%d日 %H:%M} 导出。{_more(len(rows))}"
    body = xlsx_book.book([("岗位", POSTING_HEAD, rows, note)])
    return xlsx_book.attachment(body, f"lingong-postings-{now.astimezone(tz):%Y-%m-%d}.xlsx")


@router.get("/applications.xlsx")
def applications_export(
    staff: Staff,
    db: DbDep,
    settings: SettingsDep,
    posting: QueryId = 0,
    station: QueryId = 0,
    q: str = "",
    title: str = "",
    state: str = "",
) -> Response:
    """The applications page's list, names and phones as it shows them: a station's staff their own
    stations' applications only, administrators all; audited as applications.export."""
    state = state if state in APPLICATION_FILTERS else ""
    tz = settings.tz
    with db.read() as session:
        stations = {s.id: s.name for s in session.scalars(select(Station)) if staff.may_station(s.id)}
        query = listed(staff, posting, station, search_text(q), search_text(title), state).limit(MOST)
        rows = [
            [
                a.code,
                _local(a.applied_at, tz),
                a.posting.title,
                a.posting.employer.name,
                stations.get(a.station_id, "手机报名"),
                a.name or "（未同意留名）",
                a.phone,
                APPLICATION_WORDS.get(a.status.value, a.status.value) + ("（岗位已结束）" if a.posting_ended else ""),
            ]
            for a in session.scalars(query)
        ]
    now = dt.datetime.now(tz)
    note = (
        f"报名，{now:%Y年%m月%d日 %H:%M} 导出。姓名、电话是报名人同意留给用工单位的，只用于联系上岗，不外传。"
        + _more(len(rows))
    )
    body = xlsx_book.book([("报名", APPLICATION_HEAD, rows, note)])
    return xlsx_book.attachment(body, f"lingong-applications-{now:%Y-%m-%d}.xlsx")


@router.get("/orders.xlsx")
def orders_export(staff: Staff, db: DbDep, settings: SettingsDep) -> Response:
    """Every household order the orders page can show this staff member (all its tabs)."""
    tz = settings.tz
    with db.read() as session:
        rows = [
            [
                o.code,
                _local(o.created_at, tz),
                o.need,
                o.details,
                f"{o.district} {o.address}",
                o.when_text,
                yuan(o.pay_fen),
                o.resident_phone,
                o.station.name,
                orders.WORDS[o.status],
                o.note,
            ]
            for o in orders.queue(session, staff, limit=MOST)
        ]
    now = dt.datetime.now(tz)
    note = (
        f"居民家政订单，{now:%Y年%m月%d日 %H:%M} 导出。电话和地址只用于派单，订单结束后按规定清除。{_more(len(rows))}"
    )
    body = xlsx_book.book([("家政订单", ORDER_HEAD, rows, note)])
    return xlsx_book.attachment(body, f"lingong-orders-{now:%Y-%m-%d}.xlsx")


def figure_rows(month: monthly.Month) -> list[list]:
    def row(r: monthly.StationMonth) -> list:
        return [r.name, r.postings, r.headcount, r.applications, r.contacted, r.placed, r.orders, r.orders_done]

    return [*(row(r) for r in month.rows), row(month.total)]


@router.get("/figures.xlsx")
def figures_export(staff: Staff, db: DbDep, settings: SettingsDep, month: str = "") -> Response:
    """The month's figures by station (`month` 2026-11; this month when not given): a station's
    staff get their own stations, administrators every station and the phone page's row."""
    tz = settings.tz
    first = monthly.parse_month(month[:7], dt.datetime.now(tz).date())
    scope = None if staff.is_admin else frozenset(staff.station_ids)
    with db.read() as session:
        figures = monthly.month(session, first, tz, scope)
    note = (
        f"{first:%Y年%m月}：新发布岗位为本月发布、在该驿站可见的岗位（面向全部驿站的岗位每个驿站都算，合计只算一次）；"
        "收到报名为本月收到的报名，已联系为其中工作人员已联系的（含后来上岗、未到岗的）；"
        "已上岗为本月记为上岗的人数；家政订单为本月提交的，完成订单为本月完成的。"
    )
    body = xlsx_book.book([(f"{first:%Y年%m月}台账", FIGURES_HEAD, figure_rows(figures), note)])
    return xlsx_book.attachment(body, f"lingong-figures-{first:%Y-%m}.xlsx")
