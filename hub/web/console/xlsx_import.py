"""Postings from an Excel workbook (.xlsx) as staff save it: the first sheet read in openpyxl's
read-only mode, each cell made the text the CSV import checks (a date cell as 2026-12-05, a phone
typed as a number as its digits), and hostile files — a zip that unpacks huge, formulas, many
sheets, a sheet claiming a million rows, not a workbook at all — refused with words, never a 500."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from .import_rows import Problem

MAX_UNPACKED = 40_000_000  # bytes the workbook's parts may unpack to (2000 rows take under 2 MB)
MAX_SHEETS = 10
MAX_COLUMNS = 60  # the template has 20; cells further right are not read
MAX_LINES = 20_000  # lines of the sheet looked at, blank ones included
SAVE_AGAIN = "请在表格软件里打开，重新“另存为”工作簿，或另存为带“逗号分隔”的那一种"


def _file(message: str, hint: str = SAVE_AGAIN) -> Problem:
    return Problem(0, "文件", "", message, hint)


def text_of(value) -> str:
    """A cell as the CSV import would have read it from Excel's CSV."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))  # a phone or a count typed as a number: 13800001111.0 → 13800001111
    return str(value).strip()


def _unpacks_small(raw: bytes) -> Problem | None:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return _file("读不出这个工作簿（文件坏了，或不是表格软件的工作簿）")
    # The sizes the zip declares bound what is unpacked (Python's zipfile stops there): a small
    # file that would unpack to gigabytes is refused before a byte of it is read.
    if len(parts) > 1000 or sum(p.file_size for p in parts) > MAX_UNPACKED:
        return _file("这个工作簿解开后太大了", "请只留一张工作表、不超过 2000 行，另存后再导入")
    return None


def read_xlsx(raw: bytes, max_rows: int) -> tuple[list[str], list[tuple[int, dict[str, str]]], list[Problem]]:
    """The same as imports.read_rows for a CSV: the headings, the rows that are not blank (with
    their line in Excel) and what is wrong with the file as a whole."""
    if trouble := _unpacks_small(raw):
        return [], [], [trouble]
    from openpyxl import load_workbook  # (here, not with the hub: it is a fifth of the hub's start)

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds (KeyError, XML errors, its own): all mean "not readable"
        return [], [], [_file("读不出这个工作簿（文件坏了，或不是表格软件的工作簿）")]
    try:
        return _rows(book, max_rows)
    except Exception:  # a part that is damaged deeper in (read lazily, row by row)
        return [], [], [_file("这个工作簿有一部分读不出来")]
    finally:
        book.close()


def _rows(book, max_rows: int) -> tuple[list[str], list[tuple[int, dict[str, str]]], list[Problem]]:
    if len(book.sheetnames) > MAX_SHEETS:
        return (
            [],
            [],
            [_file(f"工作簿里有 {len(book.sheetnames)} 张工作表，太多了", "岗位放在第一张工作表里，其余的删掉")],
        )
    sheet = book.worksheets[0]
    headings: list[str] = []
    rows, problems = [], []
    formulas: list[Problem] = []
    for line, cells in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS), start=1):
        if line > MAX_LINES:
            problems.append(_file(f"第一张工作表超过 {MAX_LINES} 行", "一次最多 2000 个岗位，空行也删掉"))
            break
        values = []
        for column, cell in enumerate(cells):
            if getattr(cell, "data_type", None) == "f":
                heading = headings[column] if column < len(headings) else "整行"
                formulas.append(
                    Problem(
                        line, heading, str(cell.value)[:40], "这一格是公式", "复制后“选择性粘贴—数值”，只留算好的结果"
                    )
                )
                values.append("")
            else:
                values.append(text_of(cell.value))
        if line == 1:
            headings = values
            while headings and not headings[-1]:
                headings.pop()
            continue
        if not any(values):
            continue
        if any(values[len(headings) :]):
            problems.append(Problem(line, "整行", "", "这一行比表头多出几格", "每格只写一样东西，多出来的格删掉"))
        rows.append((line, dict(zip(headings, values, strict=False))))
        if len(rows) > max_rows:  # one more than allowed is enough to say there are too many
            break
    problems += formulas[:50]  # one is enough to say what to do; a sheet of formulas is not a report
    return headings, rows, problems
