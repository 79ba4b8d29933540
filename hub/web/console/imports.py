"""Many postings at once from a CSV file as Excel saves it (GBK or UTF-8, its dates, its numbers):
every row checked, a report of every problem of every row, and nothing imported unless every
row is right."""

from __future__ import annotations

import csv
import datetime as dt
import io

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from hub.deps import DbDep, SettingsDep
from hub.deps import SessionStaffDep as Staff
from hub.errors import HubError
from hub.fields import CONTROL
from hub.postings import service as postings
from hub.web.pages import render

from . import xlsx_book
from .excel import decode
from .forms import console_router, form_of
from .import_rows import COLUMNS, HINTS, LABELS, REQUIRED, Lookup, Problem, check_row, example_row
from .xlsx_import import read_xlsx

router = console_router()
MAX_ROWS = 2000
MAX_BYTES = 2_000_000


def _page(request: Request, staff, lookup: Lookup, report: dict | None, status: int = 200) -> HTMLResponse:
    return render(
        request,
        "staff/import.html",
        {
            "staff": staff,
            "columns": list(COLUMNS),
            "required": REQUIRED,
            "hints": HINTS,
            "report": report,
            "trades": list(lookup.trades),
            "employers": lookup.employer_names,
            "stations": list(lookup.stations),
        },
        status,
    )


@router.get("/postings/import", response_class=HTMLResponse)
def import_page(request: Request, staff: Staff, db: DbDep) -> HTMLResponse:
    with db.read() as session:
        return _page(request, staff, Lookup(session), None)


@router.get("/postings/import.csv")
def template(staff: Staff, db: DbDep, settings: SettingsDep) -> Response:
    """The headings and one example row, in UTF-8 with the BOM that makes Excel read it right."""
    with db.read() as session:
        example = example_row(Lookup(session), dt.datetime.now(settings.tz).date().isoformat(), staff)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerow(example)
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": "attachment; filename=postings-template.csv"},
    )


@router.get("/postings/import.xlsx")
def template_xlsx(staff: Staff, db: DbDep, settings: SettingsDep) -> Response:
    """The same template as a workbook: counts and pay as numbers, the start as a date cell, the
    phone as text (a number that long Excel would show, and save, as 1.38E+10)."""
    today = dt.datetime.now(settings.tz).date()
    with db.read() as session:
        example: list = example_row(Lookup(session), today.isoformat(), staff)
    for column in ("招几人", "最低工资", "最高工资", "展示几天"):
        at = list(COLUMNS).index(column)
        example[at] = int(example[at])
    example[list(COLUMNS).index("开工日期")] = today
    # (no note under the table: a line of words there would be read as a posting)
    return xlsx_book.attachment(xlsx_book.book([("岗位", list(COLUMNS), [example], "")]), "postings-template.xlsx")


def read_rows(raw: bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]], list[Problem]]:
    """The headings, the rows that are not blank (with their line in Excel), and what is wrong
    with the file as a whole. Cells and headings are trimmed; rows Excel writes as only commas
    (cleared cells that kept a format) are skipped."""
    if not raw:
        return [], [], [Problem(0, "文件", "", "没有选文件", "请选一个用表格软件另存为“逗号分隔”的文件")]
    if len(raw) > MAX_BYTES:
        return [], [], [Problem(0, "文件", "", "文件太大，超过了 2 兆", "请分成几个文件，每个不超过 2000 行")]
    save_as = "请在表格软件里“另存为”，保存类型选带“逗号分隔”的那一种"
    if raw.startswith(b"PK\x03\x04"):  # an .xlsx (a zip): its first sheet, its cells as the CSV's text
        headings, rows, problems = read_xlsx(raw, MAX_ROWS)
        if any(p.field == "文件" for p in problems):
            return headings, rows, problems
        return headings, rows, problems + _whole(headings, rows)
    if raw.startswith(b"\xd0\xcf\x11\xe0"):  # an old .xls
        hint = "请在表格软件里“另存为”新版的工作簿，或带“逗号分隔”的那一种"
        return [], [], [Problem(0, "文件", "", "这是旧版表格软件的工作簿，读不了", hint)]
    try:
        text = decode(raw)
        if CONTROL.search(text):  # not text at all (a picture, a document)
            raise ValueError(text)
        lines = list(csv.reader(io.StringIO(text)))
    except (ValueError, csv.Error):  # (csv's own words are English)
        return [], [], [Problem(0, "文件", "", "读不出这个文件", save_as)]
    headings = [h.strip() for h in lines[0]] if lines else []
    rows, problems = [], []
    for line, cells in enumerate(lines[1:], start=2):
        cells = [c.strip() for c in cells]
        if not any(cells):
            continue
        if any(cells[len(headings) :]):
            problems.append(Problem(line, "整行", "", "这一行比表头多出几格", "每格只写一样东西，多出来的格删掉"))
        rows.append((line, dict(zip(headings, cells, strict=False))))
    return headings, rows, problems + _whole(headings, rows)


def _whole(headings: list[str], rows: list) -> list[Problem]:
    """What is wrong with the table as a whole, a CSV's or a workbook's sheet's."""
    missing = [h for h in REQUIRED if h not in headings]
    if missing:
        return [Problem(1, "表头", "", "缺少列：" + "、".join(missing), "第一行照着模板写列名")]
    if not rows:
        return [Problem(2, "文件", "", "文件里没有岗位", "第一行是列名，从第二行起每行一个岗位")]
    if len(rows) > MAX_ROWS:
        return [Problem(0, "文件", "", f"有 {len(rows)} 行，太多了", f"一次最多 {MAX_ROWS} 行，请分成几个文件")]
    return []


@router.post("/postings/import", response_class=HTMLResponse)
async def import_postings(request: Request, staff: Staff, db: DbDep, settings: SettingsDep):
    form = await form_of(request)
    upload = form.get("file")
    raw = await upload.read(MAX_BYTES + 1) if hasattr(upload, "read") else b""
    # Checking and writing 2000 rows takes seconds: in a worker thread, not on the event loop, where
    # it held every other answer (devices' long polls, the phone pages) until the file was done.
    return await run_in_threadpool(_import, request, staff, db, settings, raw)


def _import(request: Request, staff, db, settings, raw: bytes) -> HTMLResponse:
    _, rows, problems = read_rows(raw)
    report: dict = {"problems": problems, "imported": 0, "rows": len(rows)}
    with db.write() as session:
        lookup = Lookup(session)
        if any(p.field in ("表头", "文件") for p in problems):
            return _page(request, staff, lookup, report, 422)
        checked = []
        said = {(p.line, p.field) for p in problems}  # a workbook's formula cell: said once, as a formula
        for line, row in rows:
            made, found = check_row(session, lookup, line, row, staff, settings.tz)
            problems += [p for p in found if (p.line, p.field) not in said]
            checked.append((line, made))
        for line, made in checked if not problems else []:
            try:
                with session.begin_nested():  # (PostgreSQL: a refused row leaves the transaction usable)
                    postings.create(session, made, staff)
            except HubError as exc:  # what only the database knows: a station that is not the staff's
                column = LABELS.get(exc.field or "", "整行")
                problems.append(Problem(line, column, dict(rows)[line].get(column, ""), exc.message, HINTS[column]))
        report["lines"] = len({p.line for p in problems})
        if problems:
            session.rollback()  # all or nothing: not one posting of a file with a wrong row
            return _page(request, staff, lookup, report, 422)
        report["imported"] = len(checked)
    return _page(request, staff, lookup, report)
