"""The console's import of an .xlsx workbook beside the CSV: a sheet as Excel or WPS keeps it (Chinese
headings, date cells, a phone typed as a number, money with a thousands format, an empty second
sheet) imports like the CSV does; hostile workbooks — formulas, many sheets, a zip that unpacks
huge, a zip that is no workbook — get a 422 in Chinese and import nothing."""

import datetime as dt
import io
import re
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from tests.integration.test_console import logged_in
from tests.integration.test_console_import import add_employer, last_id, postings, report
from tests.support.console import csrf_of

HEAD = ["岗位名称", "工种", "用工单位", "招几人", "最低工资", "最高工资", "计薪", "结算", "开工日期", "结束日期"]
HEAD += ["工作时间", "工作地点", "联系人", "联系电话", "要求", "待遇", "急招", "展示几天", "驿站"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def db_url(sqlite_url):
    return sqlite_url


def workbook(rows: list[list], sheets: int = 2, formula: str | None = None) -> bytes:
    """A workbook as staff keep one: bold headings, dates as date cells (yyyy/m/d), a phone as a
    number, pay with a thousands format, and an empty Sheet2 as WPS and older Excel add."""
    book = Workbook()
    sheet = book.active
    sheet.title = "岗位"
    sheet.append(HEAD)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "yyyy/m/d"
            elif isinstance(cell.value, int) and cell.value >= 1000 and cell.column in (5, 6):
                cell.number_format = "#,##0"
    if formula:
        sheet["F2"] = formula
    for n in range(2, sheets + 1):
        book.create_sheet(f"Sheet{n}")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


ROWS = [
    [
        "急招钢筋工",
        "钢筋工",
        "湘江劳务有限公司",
        8,
        350,
        420,
        "元/天",
        "日结",
        dt.datetime(2026, 12, 5),
        dt.datetime(2026, 12, 20),
    ]
    + ["7:00-17:00", "青川区滨江路8号", "王经理", 13800001111, "持证上岗,有工地经验", "包午饭", "是", 7, None],
    [
        "电焊工（夜班）",
        "电焊工",
        "湘江劳务有限公司",
        2,
        1200,
        1500,
        "元/天",
        "周结",
        dt.datetime(2026, 12, 5, 8, 0),
        None,
    ]
    + ["19:00-次日7:00", "青川区工业园3栋", "王经理", "13800001111", None, "包住", "否", 14, "全部"],
    [None] * 19,  # a row whose cells were cleared
]


def upload(client, data: bytes, name: str = "岗位.xlsx"):
    page = client.get("/staff/postings/import")
    return client.post("/staff/postings/import", data={"csrf_token": csrf_of(page)}, files={"file": (name, data, XLSX)})


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_a_workbook_imports_like_the_csv_and_hostile_ones_are_refused_in_chinese(hub):
    client = logged_in(hub)
    add_employer(client)
    assert ".xlsx" in client.get("/staff/postings/import").text
    before = last_id(hub)

    good = workbook(ROWS)
    with zipfile.ZipFile(io.BytesIO(good)) as archive:  # (a real workbook: its parts as Excel writes them)
        assert {"xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"} <= set(archive.namelist())
    answer = upload(client, good)
    assert answer.status_code == 200 and "已导入 2 个岗位" in answer.text, report(answer)
    got = postings(hub, before)
    assert got["急招钢筋工"][:3] == (dt.date(2026, 12, 5), dt.date(2026, 12, 20), 35000)
    assert got["电焊工（夜班）"][:3] == (dt.date(2026, 12, 5), None, 120000)  # 1,200 as a number; a time dropped
    # The workbook template, downloaded and sent back unchanged, imports (its date a date cell).
    template = client.get("/staff/postings/import.xlsx")
    assert template.status_code == 200 and template.headers["content-type"] == XLSX
    sheet = load_workbook(io.BytesIO(template.content)).active
    assert [c.value for c in sheet[1]] == HEAD + ["坐标"] and sheet["I2"].is_date and sheet["N2"].data_type == "s"
    answer = upload(client, template.content)
    assert answer.status_code == 200 and "已导入 1 个岗位" in answer.text, report(answer)
    imported = last_id(hub)

    # A wrong row is reported at its line and column in Chinese, as for a CSV.
    wrong = [[*ROWS[0][:8], "2026年13月5日", *ROWS[0][9:]]]
    problems = report(upload(client, workbook(wrong)))
    assert [(p["line"], p["column"]) for p in problems] == [("2", "开工日期")]

    bomb = io.BytesIO(good)
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * 60_000_000)  # 60 MB unpacked, ~60 kB packed
    hostile = [
        (workbook(ROWS[:1], formula='=HYPERLINK("http://evil.example","点我")'), "这一格是公式"),
        (workbook(ROWS[:1], sheets=12), "12 张工作表，太多了"),
        (bomb.getvalue(), "解开后太大了"),
        (zipped({"word/document.xml": b"<w:document/>"}), "读不出这个工作簿"),
        (zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<<<"}), "读不出这个工作簿"),
        (workbook([]), "文件里没有岗位"),
    ]
    for raw, words in hostile:
        answer = upload(client, raw)
        assert answer.status_code == 422 and words in answer.text, (words, report(answer)[:3])
        for p in report(answer):  # Chinese only, as the CSV's report
            assert not re.findall(r"[A-Za-z]{2,}", p["message"] + p["hint"]), p
    formula = report(upload(client, workbook(ROWS[:1], formula="=E2*2")))
    assert [(p["line"], p["column"], p["written"]) for p in formula] == [("2", "最高工资", "=E2*2")]
    assert last_id(hub) == imported  # nothing of any of them
