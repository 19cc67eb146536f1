"""Lists as spreadsheets (XLSX): typed cells (dates as dates, money and counts as
numbers), a bold frozen header row, and text never read as a formula."""

import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Excel's limit on a sheet name.
SHEET_NAME_LENGTH = 31


@dataclass
class Sheet:
    title: str
    headers: list[str]
    rows: Iterable[list]


def _cell(sheet, value, bold: bool = False):
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)  # spreadsheets hold no time zones
    elif isinstance(value, bool):
        value = "Yes" if value else "No"
    elif value is not None and not isinstance(value, (int, float, Decimal, datetime.date)):
        value = str(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # "=SUM(...)" typed into a field stays text
    if isinstance(value, datetime.datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, datetime.date):
        cell.number_format = "yyyy-mm-dd"
    if bold:
        cell.font = Font(bold=True)
    return cell


def workbook_save(sheets: list[Sheet], target: BinaryIO) -> None:
    """Write the workbook to the binary file ``target``, a row at a time."""
    book = Workbook(write_only=True)
    for spec in sheets:
        sheet = book.create_sheet(title=spec.title[:SHEET_NAME_LENGTH])
        sheet.freeze_panes = "A2"
        sheet.append([_cell(sheet, header, bold=True) for header in spec.headers])
        for row in spec.rows:
            sheet.append([_cell(sheet, value) for value in row])
    book.save(target)


def workbook_bytes(sheets: list[Sheet]) -> bytes:
    buffer = io.BytesIO()
    workbook_save(sheets, buffer)
    return buffer.getvalue()
