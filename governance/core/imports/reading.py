"""Reading an uploaded CSV or XLSX file into its header and rows, refusing a file
that cannot be imported at all with a sentence saying what to do."""

import csv
import io
import zipfile
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from openpyxl import load_workbook

from governance.core.imports.cells import Formula

#: The most a spreadsheet may hold once unpacked: an XLSX file is a zip archive, and a
#: small one can unpack to gigabytes.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024


class ImportFileError(Exception):
    """The file as a whole cannot be imported: ``message`` says why, in plain words."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    """The file's header and its rows of data; ``number`` is the row's number in the
    spreadsheet (the header is row 1)."""

    headers: list[str]
    rows: list[tuple[int, list[Any]]]


def _too_many(limit: int) -> ImportFileError:
    return ImportFileError(
        f"The file has more than {limit:,} rows of data. An import takes at most "
        f"{limit:,} rows at a time: split the file into smaller ones and import each."
    )


def _blank(values: list) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in values)


def _read_xlsx(data: bytes, limit: int, sheet_name: str = "") -> Table:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
            raise ImportFileError(
                "The spreadsheet is too large to import. Split it into smaller files."
            )
        sheets = sorted(
            name
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and name.endswith(".xml")
        )
        for name in sheets:
            with archive.open(name) as sheet_xml:
                if b"<mergeCell " in sheet_xml.read():
                    raise ImportFileError(
                        "The spreadsheet has merged cells. Unmerge them (each value in a "
                        "cell of its own, in the template's columns), then upload it again."
                    )
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except ImportFileError:
        raise
    except Exception:
        raise ImportFileError(
            "The file could not be read as an Excel spreadsheet (XLSX). Save it from your "
            "spreadsheet program as .xlsx or as CSV and upload it again."
        ) from None
    try:
        # The sheet of that name when the workbook has one (an export's second sheet),
        # otherwise the first.
        named = [
            s for s in book.worksheets if sheet_name and s.title.casefold() == sheet_name.casefold()
        ]
        sheet = named[0] if named else book.worksheets[0]
        headers: list[str] | None = None
        rows: list[tuple[int, list[Any]]] = []
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            values = [
                Formula(str(cell.value)) if getattr(cell, "data_type", "") == "f" else cell.value
                for cell in cells
            ]
            if headers is None:
                if _blank(values):
                    continue
                headers = ["" if v is None else str(v).strip() for v in values]
                continue
            if _blank(values):
                continue
            if len(rows) >= limit:
                raise _too_many(limit)
            rows.append((number, values))
    finally:
        book.close()
    return Table(headers=headers or [], rows=rows)


def _read_csv(data: bytes, limit: int) -> Table:
    if b"\x00" in data[:8192]:
        raise ImportFileError(
            "The file is not a spreadsheet. Upload a CSV file or an Excel spreadsheet (XLSX)."
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        raise ImportFileError("The file's text could not be read. Save it as CSV UTF-8.")
    headers: list[str] | None = None
    rows: list[tuple[int, list[Any]]] = []
    try:
        for number, values in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            if headers is None:
                if _blank(values):
                    continue
                headers = [v.strip() for v in values]
                continue
            if _blank(values):
                continue
            if len(rows) >= limit:
                raise _too_many(limit)
            # A CSV file holds no formulas, but a spreadsheet program opening it would
            # run a cell that starts with "=" as one.
            rows.append(
                (number, [Formula(v) if v.startswith("=") and len(v) > 1 else v for v in values])
            )
    except csv.Error:
        raise ImportFileError(
            "The file could not be read as CSV. Save it from your spreadsheet program as "
            "CSV or as .xlsx and upload it again."
        ) from None
    return Table(headers=headers or [], rows=rows)


def read_table(
    data: bytes, file_name: str, *, limit: int | None = None, sheet_name: str = ""
) -> Table:
    """The header and rows of an uploaded CSV or XLSX file (of its sheet called
    ``sheet_name`` where it has one, otherwise its first); raises ImportFileError."""
    limit = settings.IMPORT_MAX_ROWS if limit is None else limit
    lower = file_name.lower()
    if not data:
        raise ImportFileError("The file is empty. Fill in the template and upload it again.")
    if lower.endswith(".xls") or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportFileError(
            "The file is in the old Excel format (.xls). Save it as .xlsx or as CSV and "
            "upload it again."
        )
    if data[:4] == b"PK\x03\x04":
        table = _read_xlsx(data, limit, sheet_name)
    elif lower.endswith((".xlsx", ".xlsm")):
        raise ImportFileError(
            "The file could not be read as an Excel spreadsheet (XLSX). Save it from your "
            "spreadsheet program as .xlsx or as CSV and upload it again."
        )
    elif lower.endswith((".csv", ".txt")):
        table = _read_csv(data, limit)
    else:
        raise ImportFileError(
            "The file is not a spreadsheet. Upload a CSV file or an Excel spreadsheet (XLSX)."
        )
    if not table.headers:
        raise ImportFileError("The file is empty. Fill in the template and upload it again.")
    return table
