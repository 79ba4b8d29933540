"""One row of a postings CSV checked as a whole: every problem of every cell at once, each with what
was written, what is wrong and what would be right (the valid names near a misspelt one too)."""

from __future__ import annotations

import dataclasses
import difflib

from sqlalchemy import select

from hub.employers.models import Employer
from hub.stations.models import Station
from hub.trades.models import Trade
from hub.web.pages import SETTLEMENTS, UNITS

from .excel import DATE_HINT, excel_date, excel_number, scientific
from .postings import MAX_VALID_DAYS, checked_posting, home_station, posting_fields

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
    "坐标": "coordinates",
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
# A model's field (or the form's) → the column staff wrote it in.
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
    "lat": "驿站",
    "lon": "驿站",
    "coordinates": "坐标",
}
# What a right cell of each column looks like.
HINTS = {
    "岗位名称": "1 到 40 个字，如：急招钢筋工",
    "工种": "照着本页“可以填的工种”写全称",
    "用工单位": "写单位全称或统一社会信用代码；新单位先在“用工单位”页添加",
    "招几人": "写 1 到 10000 的整数，如：8",
    "最低工资": "写钱数（元），如：350",
    "最高工资": "写钱数（元），不低于最低工资，如：420",
    "计薪": "写 " + "、".join(UNITS.values()) + " 中的一个，空着为元/天",
    "结算": "写 " + "、".join(SETTLEMENTS.values()) + " 中的一个，空着为日结",
    "开工日期": DATE_HINT,
    "结束日期": DATE_HINT + "；可以空着，不能早于开工日期",
    "工作时间": "最多 40 个字，如：07:00-17:00",
    "工作地点": "2 到 120 个字，如：青川区滨江路8号",
    "联系人": "1 到 30 个字，如：王经理",
    "联系电话": "11位手机号，或带区号的座机，如：0731-12345678",
    "要求": "最多 500 个字",
    "待遇": "最多 500 个字",
    "急招": "写 是 或 否，也可以空着",
    "展示几天": f"写 1 到 {MAX_VALID_DAYS} 的整数，空着为 14 天",
    "驿站": "照着本页“可以填的驿站”写名称，多个用顿号隔开；空着或写“全部”为全部",
    "坐标": "可以空着（用驿站的位置）；或从高德、腾讯地图复制两个数字，如 112.938814,28.228209",
    "整行": "",
}
YES, NO = ("是", "急", "急招", "1"), ("否", "不", "不急", "0", "")


@dataclasses.dataclass
class Problem:
    line: int
    field: str  # the column
    written: str  # the cell as it is in the file
    message: str  # what is wrong
    hint: str  # what would be right


class Lookup:
    """The names a file may use (trades and stations by name, employers by name or credit code),
    and the nearest valid names to one that is not."""

    def __init__(self, session) -> None:
        self.trades = {t.name: t.id for t in session.scalars(select(Trade).order_by(Trade.category_id, Trade.sort))}
        self.employers: dict[str, int] = {}
        self.employer_names: list[str] = []
        for e in session.scalars(select(Employer).order_by(Employer.name)):
            self.employers[e.name] = e.id
            self.employer_names.append(e.name)
            if e.credit_code:
                self.employers[e.credit_code] = e.id
        self.stations = {s.name: s.id for s in session.scalars(select(Station).order_by(Station.id))}
        self.units = {**{v: k for k, v in UNITS.items()}, **{k: k for k in UNITS}}
        self.settlements = {**{v: k for k, v in SETTLEMENTS.items()}, **{k: k for k in SETTLEMENTS}}

    def near(self, written: str, names: list[str] | dict) -> str:
        """ "您是不是要填：…" for the valid names closest to a wrong one (parts of it first)."""
        names = list(names)
        close = [n for n in names if written and (written in n or n in written)][:3]
        close += [n for n in difflib.get_close_matches(written, names, n=3, cutoff=0.5) if n not in close]
        return "您是不是要填：" + "、".join(f"“{n}”" for n in close[:3]) if close else ""


def check_row(session, lookup: Lookup, line: int, row: dict[str, str], staff, tz):
    """(the posting, the row's problems): the posting only when there are none."""
    found: dict[str, Problem] = {}

    def wrong(column: str, message: str, extra: str = "") -> None:
        hint = "；".join(h for h in (extra, HINTS.get(column, "")) if h)
        found.setdefault(column, Problem(line, column, row.get(column, ""), message, hint))

    for column in REQUIRED:
        if not row.get(column):
            wrong(column, "这一格空着，必须填")
    form = {field: row.get(column, "") for column, field in COLUMNS.items()}
    if (trade := form.pop("trade")) and trade not in lookup.trades:
        wrong("工种", "没有这个工种", lookup.near(trade, lookup.trades))
    form["trade_id"] = lookup.trades.get(trade, 0)
    if (employer := form.pop("employer")) and employer not in lookup.employers:
        wrong("用工单位", "没有这家单位", lookup.near(employer, lookup.employer_names))
    form["employer_id"] = lookup.employers.get(employer, 0)
    for field, default, names in (("pay_unit", "元/天", lookup.units), ("settlement", "日结", lookup.settlements)):
        form[field] = names.get(form[field] or default)
        if form[field] is None:
            wrong(LABELS[field], "不认识这种写法", lookup.near(row.get(LABELS[field], ""), names))
    for field in ("work_start", "work_end"):
        if form[field]:
            day = excel_date(form[field])
            if day is None:
                wrong(LABELS[field], "不是日期，或者没有这一天")
            form[field] = day.isoformat() if day else ""
    for field in ("headcount", "pay_min", "pay_max", "valid_days"):
        form[field] = excel_number(form[field])
    if scientific(form["contact_phone"]):
        wrong(
            "联系电话",
            "号码变成了科学计数法的样子，后几位数字已经丢了",
            "在表格里把这一列设成“文本”格式，再重新输入号码",
        )
    if form["urgent"] not in YES + NO:
        wrong("急招", "不认识这种写法")
    form["urgent"] = "yes" if form["urgent"] in YES else ""
    station_ids = _stations(lookup, form.pop("stations"), staff, wrong)
    station = home_station(session, staff, station_ids)
    made, errors = checked_posting(*posting_fields(form, tz, station, station_ids))
    for key, message in errors.items():
        column = LABELS.get(key, "整行")
        if key in ("lat", "lon"):
            wrong(column, "驿站没有位置，放不上地图：请管理员先填好驿站的经纬度")
        elif message.startswith("请"):  # an instruction ("请写整数"): it is what would be right
            found.setdefault(column, Problem(line, column, row.get(column, ""), "写得不对", message))
        else:
            wrong(column, message)
    problems = list(found.values())
    return (made if not problems else None), problems


def _stations(lookup: Lookup, cell: str, staff, wrong) -> list[int] | None:
    names = [n.strip() for n in cell.replace("，", "、").replace(",", "、").split("、") if n.strip()]
    if not names or names == ["全部"]:
        return None if staff.is_admin else sorted(staff.station_ids)
    ids = []
    for name in names:
        if name in lookup.stations:
            ids.append(lookup.stations[name])
        else:
            wrong("驿站", f"没有叫“{name}”的驿站", lookup.near(name, lookup.stations))
    return ids


def formula(name: str) -> bool:
    """Whether a spreadsheet would run the cell (=HYPERLINK(…), +, -, @): any staff member may name
    an employer so, and it sorts first — the template every staff member opens must not carry it."""
    return name[:1] in ("=", "+", "-", "@", "\t", "\r")


def example_row(lookup: Lookup, today: str, staff) -> list[str]:
    """The template's example: this hub's own first trade, employer and station, so that the
    template as downloaded imports as it is."""
    trade = next((n for n in lookup.trades if not formula(n)), "")
    employer = next((n for n in lookup.employer_names if not formula(n)), "")
    mine = [n for n, i in lookup.stations.items() if i in staff.station_ids and not formula(n)]
    stations = "全部" if staff.is_admin else "、".join(mine)
    return [
        f"急招{trade}",
        trade,
        employer,
        "8",
        "350",
        "420",
        "元/天",
        "日结",
        today,
        "",
        "07:00-17:00",
        "青川区滨江路8号",
        "王经理",
        "13800001111",
        "有工地经验",
        "包午饭",
        "是",
        "7",
        stations,
        "",
    ]
