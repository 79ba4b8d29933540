"""The console's hand-written cell readers (an import's dates, a pasted map point) answer at once
on a long hostile cell: their patterns' runs of optional spaces must not be given one to backtrack on."""

import multiprocessing

from hub.web.console.excel import excel_date
from hub.web.console.map_point import parse

HANG = 120  # seconds: only to catch a hang (before the fix, these took hours), never a timing


def _read_into(pipe, read, text: str) -> None:
    pipe.send(read(text))


def answered(read, text: str):
    """`read(text)` in a child process (a regular expression holds the interpreter's lock while it
    backtracks, so a thread could not be waited for), failing the test if it does not come back."""
    context = multiprocessing.get_context("fork")
    mine, theirs = context.Pipe(duplex=False)
    child = context.Process(target=_read_into, args=(theirs, read, text), daemon=True)
    child.start()
    came = mine.poll(HANG)
    child.kill()
    child.join()
    assert came, f"{read.__name__} did not answer on a {len(text)}-character cell"
    return mine.recv()


def test_a_long_date_cell_of_spaces_is_no_date_at_once():
    assert answered(excel_date, "2026-12-5" + " " * 3000 + "x") is None
    assert answered(excel_date, "2026年12月5日" + " " * 3000 + "下午") is None
    # what Excel writes still reads, the longest of it too
    assert str(answered(excel_date, "2026年12月05日 下午 12:00:00.000")) == "2026-12-05"
    assert str(answered(excel_date, "2026/12/5 8:00")) == "2026-12-05"


def test_a_long_pasted_point_of_spaces_is_no_point_at_once():
    assert answered(parse, "112.9" + " " * 200_000 + "x") is None
    assert answered(parse, " 112.938814 ,  28.228209 ") == (28.228209, 112.938814)
