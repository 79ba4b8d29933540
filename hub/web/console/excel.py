"""What Excel on a Chinese Windows writes into a CSV: its encodings, its dates, its numbers."""

from __future__ import annotations

import datetime as dt
import re

from hub.fields import EARLIEST_YEAR, LATEST_YEAR

# Excel's day 0 in the 1900 date system: day 60 is its made-up 1900-02-29, so counting from
# 1899-12-30 gives the right date for every serial from 1900-03-01 on (all a posting can carry).
SERIAL_EPOCH = dt.date(1899, 12, 30)
# 2026/12/5, 2026-12-05, 2026.12.5, 2026年12月5日 (or 号), each with an optional time after it as
# Excel writes it (2026/12/5 8:00, 2026-12-05 08:00:00, 2026-12-05T08:00) — the time is dropped.
# No date library is used: none installed handles 年月日 and Excel's serials, and this is the
# whole of what Excel writes (the "short date" and "long date" of the zh-CN locale).
_TEXT_DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?"
    r"(?:\s*[T ]\s*(?:上午|下午)?\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2}(?:\.\d+)?)?)?"
)
# A date cell Excel wrote as its number (the cell was formatted as a number): 46361 or 46361.5.
_SERIAL = re.compile(r"(\d{5})(?:\.\d+)?")
# The longest a date cell Excel writes can be (2026年12月05日 下午 12:00:00.000 is 27): the pattern's
# runs of optional spaces backtrack on a long cell of spaces ending in a letter — 500 of them held
# the hub for over a minute — so a longer cell is no date, said at once.
MAX_DATE_TEXT = 40
DATE_HINT = "写成 2026/12/5、2026-12-05 或 2026年12月5日（在表格里设成“日期”格式也可以）"


def decode(raw: bytes) -> str:
    """The file's text: UTF-8 with or without the BOM Excel's "CSV UTF-8" writes, else GB18030 —
    what Excel's plain "CSV (逗号分隔)" writes on a Chinese Windows (GBK is a subset of it)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError("文件的编码认不出来：请在表格软件里“另存为”，保存类型选带“逗号分隔”的那一种")


def excel_date(text: str) -> dt.date | None:
    """The date a cell holds in any form Excel writes, or None when it is no (real) date."""
    text = text.strip().replace("\u3000", " ")
    if len(text) > MAX_DATE_TEXT:
        return None
    if found := _TEXT_DATE.fullmatch(text):
        year, month, day = (int(g) for g in found.groups())
        try:
            value = dt.date(year, month, day)
        except ValueError:  # 2026/2/30: no such day
            return None
    elif _SERIAL.fullmatch(text):
        value = SERIAL_EPOCH + dt.timedelta(days=int(text.split(".")[0]))
    else:
        return None
    return value if EARLIEST_YEAR <= value.year <= LATEST_YEAR else None


def excel_number(text: str) -> str:
    """A money or count cell as a plain number: Excel's thousands separators, a currency sign or
    a trailing 元 taken off (1,200 → 1200; ￥350.00 → 350.00). Anything else is left as it is."""
    return re.sub(r"^[¥￥]|元$|(?<=\d)[,，](?=\d{3})", "", text.strip()).strip()


def scientific(text: str) -> bool:
    """A long number Excel shows, and so saves, in scientific notation (13800001111 → 1.38E+10):
    the digits are lost in the file and must be typed again in a cell formatted as text."""
    return re.fullmatch(r"\d(\.\d+)?[eE]\+\d+", text.strip()) is not None
