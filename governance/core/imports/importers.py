"""Importers: one kind of import each, its columns and how a row is added; the
engine that checks every row and adds them all or none."""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from governance.core.imports.cells import ImportColumn, Kind, cell_value
from governance.core.imports.reading import ImportFileError, Table
from governance.core.xlsx import Sheet, workbook_bytes


@dataclass(frozen=True)
class RowError:
    row: int
    column: str  # "" when the problem is with the row as a whole
    message: str


@dataclass
class ImportResult:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    imported: list = field(default_factory=list)

    @property
    def error_rows(self) -> int:
        return len({error.row for error in self.errors})


def _quoted(names) -> str:
    return ", ".join(f"“{name}”" for name in names)


class Importer:
    """One kind of import. A subclass declares ``key`` (unique among imports),
    ``model`` (whose "add" permission the import needs), ``noun`` and ``noun_plural``,
    ``columns`` and ``import_row``; ``ignored`` names columns its list's export has that
    the import works out for itself (a score, a status shown in words)."""

    key = ""
    model: type[models.Model]
    noun = "record"
    noun_plural = "records"
    title = ""
    intro = ""
    list_url_name = ""  # the list the imported records join
    columns: list[ImportColumn] = []
    ignored: tuple[str, ...] = ()
    #: In a workbook with a sheet of this name, the sheet read (an export's second sheet).
    sheet_name = ""

    def __init__(self, *, actor, file_name: str):
        self.actor = actor
        self.file_name = file_name

    @property
    def reason(self) -> str:
        """The reason each imported record's history gives (at most 100 characters)."""
        who = str(self.actor)
        name = self.file_name
        room = 100 - len(f"Imported from  by {who}")
        if len(name) > room:
            name = f"{name[: max(room - 1, 1)]}…"
        return f"Imported from {name} by {who}"[:100]

    # -- for a subclass ----------------------------------------------------------------
    def prepare(self) -> None:
        """Load what every row looks up (contracts by reference, people by name) once,
        so an import costs a fixed number of queries for its lookups."""

    def ordered(self, rows: list[tuple[int, dict]]) -> list[tuple[int, dict]]:
        """The order rows are added in: the file's, unless a row refers to one further
        down (an issue to the risk it came from), which must be added first."""
        return rows

    def import_row(self, values: dict[str, Any]) -> models.Model:
        """Add the row, keyed by column header, through the feature's service. A
        ValidationError keyed by a field (or a column header) is shown on that column."""
        raise NotImplementedError

    # -- the engine --------------------------------------------------------------------
    def template_sheets(self) -> list[Sheet]:
        return [
            Sheet(title=self.title or "Import", headers=self.headers(), rows=[]),
            Sheet(
                title="How to fill it in",
                headers=["Column", "Required", "What to enter"],
                rows=[
                    [column.header, "Yes" if column.required else "No", self.describe(column)]
                    for column in self.columns
                ],
            ),
        ]

    def template_xlsx(self) -> bytes:
        return workbook_bytes(self.template_sheets())

    def template_csv(self) -> str:
        buffer = io.StringIO()
        csv.writer(buffer).writerow(self.headers())
        return buffer.getvalue()

    def headers(self) -> list[str]:
        return [column.header for column in self.columns]

    @staticmethod
    def describe(column: ImportColumn) -> str:
        kind = Kind(column.kind).label
        if column.kind == Kind.DATE:
            kind = "A date (a date cell, or written as 2027-03-31)"
        elif column.kind == Kind.DATETIME:
            kind = "A date and time (a date cell, or written as 2027-03-31 14:30)"
        return f"{kind}. {column.hint}".strip() if column.hint else kind

    def check_headers(self, headers: list[str]) -> dict[str, int]:
        """Where each column is in the file; raises ImportFileError when the columns
        are not the template's."""
        known = {column.header.casefold(): column.header for column in self.columns}
        ignored = {name.casefold() for name in self.ignored}
        positions: dict[str, int] = {}
        unknown, repeated = [], []
        for index, header in enumerate(headers):
            key = header.casefold()
            if not header:
                continue
            if key in known:
                name = known[key]
                if name in positions:
                    repeated.append(name)
                positions[name] = index
            elif key not in ignored:
                unknown.append(header)
        missing = [column.header for column in self.columns if column.header not in positions]
        problems = []
        if missing:
            problems.append(f"The first row has no column called {_quoted(missing)}.")
        if repeated:
            problems.append(f"{_quoted(repeated)} appears more than once in the first row.")
        if unknown:
            problems.append(f"This import does not use the column {_quoted(unknown)}.")
        if problems:
            raise ImportFileError(
                " ".join(problems)
                + " The first row must hold the column names of the template: download it "
                "from this page and copy your data into it."
            )
        return positions

    def field_columns(self) -> dict[str, str]:
        mapping = {}
        for column in self.columns:
            mapping[column.header] = column.header
            for name in column.fields:
                mapping[name] = column.header
        return mapping

    def row_errors(self, number: int, error: ValidationError) -> list[RowError]:
        columns = self.field_columns()
        found = []
        if hasattr(error, "error_dict"):
            for name, problems in error.message_dict.items():
                column = columns.get(name, "")
                found.extend(RowError(number, column, message) for message in problems)
        else:
            found.extend(RowError(number, "", message) for message in error.messages)
        return found

    def rows(self, table: Table, result: ImportResult) -> Iterator[tuple[int, dict[str, Any]]]:
        """Each row's values, by header, read as their columns' kinds; a row with a
        cell that cannot be read is reported and left out."""
        positions = self.check_headers(table.headers)
        for number, cells in table.rows:
            values, problems = {}, []
            for column in self.columns:
                index = positions[column.header]
                raw = cells[index] if index < len(cells) else None
                try:
                    values[column.header] = cell_value(column, raw)
                except ValueError as reason:
                    problems.append(RowError(number, column.header, f"{column.header} {reason}"))
            result.rows += 1
            if problems:
                result.errors.extend(problems)
                continue
            yield number, values

    def run(self, table: Table, *, commit: bool) -> ImportResult:
        """Add every row; keep them only when ``commit`` and no row has an error."""
        result = ImportResult()
        with transaction.atomic():
            self.prepare()
            for number, values in self.ordered(list(self.rows(table, result))):
                try:
                    with transaction.atomic():
                        result.imported.append(self.import_row(values))
                except ValidationError as error:
                    result.errors.extend(self.row_errors(number, error))
            if not commit or result.errors:
                transaction.set_rollback(True)
        if not commit or result.errors:
            result.imported = []
        result.errors.sort(key=lambda error: error.row)
        return result
