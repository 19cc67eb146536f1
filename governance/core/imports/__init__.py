"""Records from spreadsheets: reading an uploaded CSV or XLSX file, checking every row,
and adding the rows through the same services as the forms, all of them or none.

A feature declares an ``Importer``: its columns (the template's), and ``import_row``,
which turns one row's values into a call to the feature's service. The engine does the
rest the same way for every import:

* the file must be a CSV or XLSX spreadsheet whose first row names the template's
  columns; a file that is not one, merged cells, formulas, or more rows than
  ``settings.IMPORT_MAX_ROWS`` are refused with a sentence saying what to do;
* each cell is read as its column's kind (a date must be a date, or written as
  2027-03-31, never as text such as 31/03/2027, which reads differently in different
  countries);
* every row is then run through the feature's service inside a transaction that is
  rolled back (the preview), so the preview lists exactly the errors the import would
  meet, row by row and column by column; confirming runs the same again and keeps the
  result only when no row has an error.
"""

from governance.core.imports.cells import (
    Formula,
    ImportColumn,
    Kind,
    cell_value,
    choice_value,
)
from governance.core.imports.importers import Importer, ImportResult, RowError
from governance.core.imports.people import find_person, people_by_name
from governance.core.imports.reading import ImportFileError, Table, read_table

__all__ = [
    "Formula",
    "ImportColumn",
    "ImportFileError",
    "ImportResult",
    "Importer",
    "Kind",
    "RowError",
    "Table",
    "cell_value",
    "choice_value",
    "find_person",
    "people_by_name",
    "read_table",
]
