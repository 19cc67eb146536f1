"""The import engine's reading of files and cells, apart from any feature."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from governance.core.imports import (
    Formula,
    ImportColumn,
    ImportFileError,
    Kind,
    cell_value,
    read_table,
)


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    for values in rows:
        book.active.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_spreadsheet_longer_than_the_limit_is_refused_whatever_its_format():
    rows = [["Title"], *[[f"Row {n}"] for n in range(11)]]
    with pytest.raises(ImportFileError, match="more than 10 rows of data"):
        read_table(xlsx(rows), "long.xlsx", limit=10)
    text = "\n".join(row[0] for row in rows).encode()
    with pytest.raises(ImportFileError, match="more than 10 rows of data"):
        read_table(text, "long.csv", limit=10)
    assert len(read_table(text, "long.csv", limit=11).rows) == 11


def test_blank_rows_are_skipped_and_rows_keep_their_spreadsheet_numbers():
    table = read_table(b"Title\n\nFirst\n,\nSecond\n", "a.csv", limit=10)
    assert table.headers == ["Title"]
    assert [number for number, _ in table.rows] == [3, 5]


def test_formulas_are_found_in_xlsx_and_csv_and_protected_text_is_not_one():
    table = read_table(xlsx([["Score"], ["=2*3"]]), "a.xlsx", limit=10)
    assert isinstance(table.rows[0][1][0], Formula)
    table = read_table(b"Score,Note\n=SUM(A1),'=not a formula\n", "a.csv", limit=10)
    assert isinstance(table.rows[0][1][0], Formula)
    text = ImportColumn("Note")
    assert cell_value(text, table.rows[0][1][1]) == "=not a formula"
    with pytest.raises(ValueError, match="holds a formula"):
        cell_value(ImportColumn("Score", Kind.WHOLE), table.rows[0][1][0])


def test_windows_csv_text_is_read():
    table = read_table("Title\nCafé £5\n".encode("cp1252"), "a.csv", limit=10)
    assert table.rows[0][1] == ["Café £5"]


@pytest.mark.parametrize(
    ("kind", "raw", "value"),
    [
        (Kind.WHOLE, "4 Likely", 4),
        (Kind.WHOLE, 3.0, 3),
        (Kind.DECIMAL, "£1,200.50", Decimal("1200.50")),
        (Kind.DATE, "2027-03-31", datetime.date(2027, 3, 31)),
        (Kind.DATE, datetime.datetime(2027, 3, 31), datetime.date(2027, 3, 31)),
        (Kind.YES_NO, "yes", True),
        (Kind.YES_NO, "", False),
    ],
)
def test_cells_are_read_as_their_columns_kind(kind, raw, value):
    assert cell_value(ImportColumn("Cell", kind), raw) == value


@pytest.mark.parametrize(
    ("kind", "raw", "message"),
    [
        (Kind.DATE, "31/03/2027", "is text, not a date"),
        (Kind.DATE, "2027-02-30", "is not a real date"),
        (Kind.WHOLE, "four", "must be a whole number"),
        (Kind.DECIMAL, "NaN", "must be a number"),
        (Kind.YES_NO, "perhaps", "must be Yes or No"),
    ],
)
def test_cells_that_are_not_their_columns_kind_say_why(kind, raw, message):
    with pytest.raises(ValueError, match=message):
        cell_value(ImportColumn("Cell", kind), raw)


def test_a_required_cell_left_empty_says_so():
    with pytest.raises(ValueError, match="is empty"):
        cell_value(ImportColumn("Title", required=True), "  ")
