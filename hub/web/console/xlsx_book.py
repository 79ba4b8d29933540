"""Writing the console's exports as .xlsx: one sheet a table, Chinese headings, a note under the
table, every value kept as what it is (a name starting with "=" stays text, never a formula)."""

from __future__ import annotations

import io

from fastapi.responses import Response

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def book(sheets: list[tuple[str, list[str], list[list], str]]) -> bytes:
    """`sheets`: (title, headings, rows, note) each. Written in openpyxl's write-only mode: an
    export of tens of thousands of rows does not hold a cell object per value."""
    # openpyxl is imported here, not with the hub: it is a fifth of the hub's start.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)

    def cell(sheet, value, heading: bool = False) -> WriteOnlyCell:
        if isinstance(value, str):
            # Control characters make openpyxl refuse the whole file (a 500): a pasted name may hold one.
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        made = WriteOnlyCell(sheet, value=value)
        if made.data_type == "f":  # staff-typed text such as "=HYPERLINK(…)" is text in the bureau's copy too
            made.data_type = "s"
        if heading:
            made.font = bold
        return made

    workbook = Workbook(write_only=True)
    for title, head, rows, note in sheets:
        sheet = workbook.create_sheet(title)
        for i, heading in enumerate(head, 1):  # Chinese takes two units a character
            cells = [len(str(r[i - 1])) for r in rows[:2000] if len(r) >= i and r[i - 1] is not None]
            sheet.column_dimensions[get_column_letter(i)].width = min(40, max(10, 2 * max([len(heading), *cells]) + 2))
        sheet.freeze_panes = "A2"
        sheet.append([cell(sheet, h, heading=True) for h in head])
        for row in rows:
            sheet.append([cell(sheet, v) for v in row])
        if note:
            sheet.append([])
            sheet.append([cell(sheet, note)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def attachment(body: bytes, name: str) -> Response:
    """The download; an ASCII file name (every browser keeps it), the sheets say in Chinese what it is."""
    return Response(
        body,
        media_type=XLSX,
        headers={"Content-Disposition": f"attachment; filename={name}", "Cache-Control": "no-store"},
    )
