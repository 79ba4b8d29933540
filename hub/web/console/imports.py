"""Many postings at once from a CSV file (as Excel saves it): every row checked, a report of each
row's errors, and nothing imported unless every row is right."""

from __future__ import annotations

import csv
import io

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlalchemy import select

from hub.deps import DbDep, SettingsDep
from hub.deps import SessionStaffDep as Staff
from hub.employers.models import Employer
from hub.errors import HubError
from hub.postings import service as postings
from hub.stations.models import Station
from hub.trades.models import Trade
from hub.web.pages import SETTLEMENTS, UNITS, render

from .forms import console_router, form_of
from .postings import home_station, posting_in

router = console_router()
MAX_ROWS = 2000
MAX_BYTES = 2_000_000
# Column heading → form field. The headings are the console form's own labels.
COLUMNS = {
    "岗位名称": "title",
    "工种": "trade",
    "用工单位": "employer",
    "招几人": "headcount",
    "最低工资": "pay_min",
    "最高工资": "pay_max",
    "计薪": "pay_unit",
    "结算": "settlement",
    "开工日期": "work_start",
    "结束日期": "work_end",
    "工作时间": "daily_hours",
    "工作地点": "address",
    "联系人": "contact_person",
    "联系电话": "contact_phone",
    "要求": "requirements",
    "待遇": "benefits",
    "急招": "urgent",
    "展示几天": "valid_days",
    "驿站": "stations",
}
REQUIRED = (
    "岗位名称",
    "工种",
    "用工单位",
    "招几人",
    "最低工资",
    "最高工资",
    "开工日期",
    "工作地点",
    "联系人",
    "联系电话",
)
LABELS = {
    **{v: k for k, v in COLUMNS.items()},
    "trade_id": "工种",
    "employer_id": "用工单位",
    "pay_min_fen": "最低工资",
    "pay_max_fen": "最高工资",
    "station_ids": "驿站",
    "valid_to": "展示几天",
    "filled": "招几人",
    "district": "工作地点",
    "form": "整行",
}
EXAMPLE = [
    "急招钢筋工",
    "钢筋工",
    "湘江劳务有限公司",
    "8",
    "350",
    "420",
    "元/天",
    "日结",
    "2026-11-25",
    "",
    "07:00-17:00",
    "青川区滨江路8号",
    "王经理",
    "13800001111",
    "有工地经验",
    "包午饭",
    "是",
    "7",
    "全部",
]


def decode(raw: bytes) -> str:
    """UTF-8 (with or without Excel's BOM), else GB18030 — what Excel on a Chinese Windows saves."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError("文件编码无法识别：请在 Excel 里“另存为 CSV UTF-8”")


class Lookup:
    """Names in the file → record ids (trades and stations by name, employers by name or credit code)."""

    def __init__(self, session) -> None:
        self.trades = {t.name: t.id for t in session.scalars(select(Trade))}
        self.employers = {}
        for e in session.scalars(select(Employer)):
            self.employers[e.name] = e.id
            if e.credit_code:
                self.employers[e.credit_code] = e.id
        self.stations = {s.name: s.id for s in session.scalars(select(Station))}
        self.units = {**{v: k for k, v in UNITS.items()}, **{k: k for k in UNITS}}
        self.settlements = {**{v: k for k, v in SETTLEMENTS.items()}, **{k: k for k in SETTLEMENTS}}

    def form(self, row: dict[str, str], staff) -> tuple[dict, list[int] | None, list[tuple[str, str]]]:
        form = {COLUMNS[k]: (v or "").strip() for k, v in row.items() if k in COLUMNS}
        errors = []
        form["trade_id"] = self.trades.get(form.pop("trade", ""), 0) or errors.append(
            ("工种", "没有这个工种（按工种表写全称）")
        )
        form["employer_id"] = self.employers.get(form.pop("employer", ""), 0) or errors.append(
            ("用工单位", "没有这家单位：先在“用工单位”里添加，或写统一社会信用代码")
        )
        form["pay_unit"] = self.units.get(form.get("pay_unit") or "元/天") or errors.append(
            ("计薪", "写 元/天、元/小时、元/单、元/课时 或 元/月")
        )
        form["settlement"] = self.settlements.get(form.get("settlement") or "日结") or errors.append(
            ("结算", "写 日结、周结、月结 或 完工结")
        )
        form["urgent"] = "yes" if form.get("urgent") in ("是", "急", "yes", "1") else ""
        names = [n for n in form.pop("stations", "").replace("，", "、").replace(",", "、").split("、") if n.strip()]
        station_ids: list[int] | None
        if not names or names == ["全部"]:
            station_ids = None if staff.is_admin else sorted(staff.station_ids)
        else:
            station_ids = []
            for name in names:
                sid = self.stations.get(name.strip())
                if sid is None:
                    errors.append(("驿站", f"没有叫“{name.strip()}”的驿站"))
                else:
                    station_ids.append(sid)
        return form, station_ids, errors


@router.get("/postings/import", response_class=HTMLResponse)
def import_page(request: Request, staff: Staff) -> HTMLResponse:
    return render(
        request, "staff/import.html", {"staff": staff, "columns": list(COLUMNS), "required": REQUIRED, "report": None}
    )


@router.get("/postings/import.csv")
def template(staff: Staff) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerow(EXAMPLE)
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": "attachment; filename=postings-template.csv"},
    )


@router.post("/postings/import", response_class=HTMLResponse)
async def import_postings(request: Request, staff: Staff, db: DbDep, settings: SettingsDep):
    form = await form_of(request)
    upload = form.get("file")
    report: dict = {"errors": [], "imported": 0}

    def page(status: int) -> HTMLResponse:
        return render(
            request,
            "staff/import.html",
            {"staff": staff, "columns": list(COLUMNS), "required": REQUIRED, "report": report},
            status,
        )

    raw = await upload.read(MAX_BYTES + 1) if hasattr(upload, "read") else b""
    try:
        if not raw:
            raise ValueError("请选择一个 CSV 文件")
        if len(raw) > MAX_BYTES:
            raise ValueError("文件太大：一次最多 2 MB")
        rows = list(csv.DictReader(io.StringIO(decode(raw))))
    except (ValueError, csv.Error) as exc:
        report["errors"].append({"line": "", "field": "文件", "message": str(exc)})
        return page(422)
    headings = set(rows[0]) if rows else set()
    missing = [h for h in REQUIRED if h not in headings]
    if not rows or missing:
        report["errors"].append(
            {"line": 1, "field": "表头", "message": "缺少列：" + "、".join(missing) if missing else "文件里没有岗位"}
        )
        return page(422)
    if len(rows) > MAX_ROWS:
        report["errors"].append(
            {"line": "", "field": "文件", "message": f"一次最多 {MAX_ROWS} 行，这个文件有 {len(rows)} 行"}
        )
        return page(422)
    with db.write() as session:
        lookup = Lookup(session)
        for line, row in enumerate(rows, start=2):
            errors = _import_row(session, lookup, row, staff, settings.tz)
            report["errors"] += [{"line": line, "field": field, "message": message} for field, message in errors]
        if report["errors"]:
            session.rollback()  # all or nothing: not one posting of a file with a wrong row
            return page(422)
        report["imported"] = len(rows)
    return page(200)


def _import_row(session, lookup: Lookup, row: dict, staff, tz) -> list[tuple[str, str]]:
    form, station_ids, errors = lookup.form(row, staff)
    if errors:
        return errors
    try:
        with session.begin_nested():  # a failed row leaves nothing behind in the transaction
            postings.create(
                session, posting_in(form, tz, home_station(session, staff, station_ids), station_ids), staff
            )
    except ValidationError as exc:
        return [
            (LABELS.get(str(e["loc"][0]) if e["loc"] else "form", "整行"), e["msg"].removeprefix("Value error, "))
            for e in exc.errors()
        ]
    except HubError as exc:
        return [(LABELS.get(exc.field or "form", exc.field or "整行"), exc.message)]
    return []
