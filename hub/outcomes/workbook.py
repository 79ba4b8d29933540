"""The labour bureau's workbook (.xlsx): the pay guide rates, the shortage list and the month's
funnel, one sheet each, Chinese headings, from the same figures the endpoints and the dashboard show."""

from __future__ import annotations

import io

from .service import Funnel, Row

TREND = {"up": "更缺", "down": "缓解", "steady": "持平", "new": "新出现"}
RATES_HEAD = ["工种", "计价单位", "低位（元）", "中位（元）", "高位（元）", "岗位数", "已上岗人数", "来源"]
SHORTAGE_HEAD = ["排名", "工种", "招工人数", "登记想干的人数", "求人倍率", "前期求人倍率", "趋势"]
FUNNEL_HEAD = ["类别", "名称", "所属驿站", "刷卡人次", "扫码次数", "报名", "已联系", "已上岗", "联系率", "上岗率"]


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "—"


def _sheet(book, title: str, head: list[str], rows: list[list], note: str, first: bool = False):
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = book.active if first else book.create_sheet()
    sheet.title = title
    sheet.append(head)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in [*rows, [], [note]]:  # (the note: how the figures were made, in words, under the table)
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            # A name staff typed (a kiosk's, a station's, a source's) starting with "=" is kept as
            # text: openpyxl would write it as a formula, run by whoever opens the bureau's copy.
            if cell.data_type == "f":
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    for i, heading in enumerate(head, 1):  # wide enough for the heading and the table's cells (not the
        # note under it, which runs on over empty cells): Chinese takes two units a character, and
        # Excel cuts a cell's text where the next cell is not empty (a station's name after 驿站)
        longest = max([len(heading), *(len(str(r[i - 1])) for r in rows if len(r) >= i and r[i - 1] is not None)])
        sheet.column_dimensions[get_column_letter(i)].width = min(40, max(10, 2 * longest + 2))
    return sheet


def _funnel_row(kind: str, row: Row) -> list:
    applications = row.all_applications
    return [
        kind,
        row.name,
        row.station,
        row.visits if kind != "大屏" else None,
        row.scans if kind != "一体机" else None,
        applications,
        row.contacted,
        row.hired,
        _share(row.contacted, applications),
        _share(row.hired, applications),
    ]


def build(pay_guide: dict, shortage: dict, funnel: Funnel, place: str) -> bytes:
    """`pay_guide` and `shortage` are the public endpoints' bodies (hub.market.published); `place`
    names whose figures the funnel holds (全市, or the stations of a station's staff)."""
    from openpyxl import Workbook  # (here, not with the hub: it is a fifth of the hub's start)

    book = Workbook()
    _sheet(
        book,
        "工资指导价",
        RATES_HEAD,
        [
            [
                r["trade_name"],
                r["unit_name"],
                r["low"],
                r["median"],
                r["high"],
                r["postings"],
                r["placements"],
                f"官方：{r['source']}" if r["official"] else "本市场岗位",
            ]
            for r in pay_guide["rates"]
        ],
        pay_guide["method"],
        first=True,
    )
    _sheet(
        book,
        "紧缺工种",
        SHORTAGE_HEAD,
        [
            [
                i,
                s["trade_name"],
                s["places"],
                s["workers"],
                s["ratio"],
                s["previous_ratio"],
                TREND.get(s["trend"], s["trend"]),
            ]
            for i, s in enumerate(shortage["trades"], 1)
        ],
        shortage["method"],
    )
    rows = [_funnel_row("驿站", r) for r in funnel.stations]
    rows += [_funnel_row("一体机", r) for r in funnel.kiosks]
    rows += [_funnel_row("大屏", r) for r in funnel.walls]
    rows.append(_funnel_row("合计", funnel.total))
    _sheet(
        book,
        "本月成效",
        FUNNEL_HEAD,
        rows,
        f"{place}，{funnel.start:%Y年%m月%d日}至{funnel.end:%m月%d日}：刷卡人次由一体机按天报来（不含个人信息），"
        "扫码次数为大屏二维码打开的手机页（同一手机同一天同一岗位只算一次）；报名为这些天收到的报名"
        "（一体机报名，和扫大屏二维码后在手机上的报名），已联系、已上岗为其中工作人员已标记的"
        "（已联系含后来标为已上岗、未到岗的）。",
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
