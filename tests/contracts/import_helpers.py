"""Spreadsheets for the contracts imports' tests: files to upload, the preview's rows
of errors, the list exports read back as rows, and the bad files every import refuses."""

import csv
import html
import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from governance.core.models.imports import ImportBatch
from tests.view_cases import form_errors


def csv_text(headers: list[str], rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for values in rows:
        writer.writerow([values.get(header, "") for header in headers])
    return buffer.getvalue()


def xlsx_bytes(headers: list[str], rows: list[list], *, merge: str = "") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for values in rows:
        sheet.append(values)
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, url_name: str, data, name: str = "import.csv"):
    if isinstance(data, str):
        data = data.encode()
    return client.post(reverse(url_name), {"file": SimpleUploadedFile(name, data)})


def preview(client, response) -> str:
    assert response.status_code == 302, form_errors(response)
    page = client.get(response["Location"])
    assert page.status_code == 200
    return html.unescape(page.content.decode())


def error_rows(page: str) -> list[list[str]]:
    """The preview's table of problems: [row, column, message] each."""
    body = re.search(r'data-testid="row-errors".*?<tbody[^>]*>(.*?)</tbody>', page, re.S)
    assert body, "the preview lists the problems"
    return [
        [
            html.unescape(re.sub(r"<[^>]+>", "", cell).strip())
            for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", tr, re.S)
        ]
        for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", body.group(1), re.S)
    ]


def export_file(client, list_url_name: str, export_format: str) -> bytes:
    response = client.get(reverse(list_url_name) + f"?export={export_format}")
    assert response.status_code == 200
    if export_format == "csv":
        return b"".join(response.streaming_content)
    return response.content


def read_rows(data: bytes, export_format: str) -> list[list[str]]:
    if export_format == "csv":
        return list(csv.reader(io.StringIO(data.decode())))
    book = load_workbook(io.BytesIO(data))
    return [
        ["" if value is None else str(value) for value in values]
        for values in book.worksheets[0].iter_rows(values_only=True)
    ]


class BadFileChecks:
    """The bad files every import refuses with a clear message and nothing imported: a
    class using it sets ``import_url_name``, ``headers``, ``model`` and ``good_row()``
    (a row of text values in the order of ``headers``), ``date_column`` and
    ``number_column``, and logs ``self.client`` in as someone who may import."""

    import_url_name = ""
    headers: list[str] = []
    model = None
    date_column = ""
    number_column = ""

    def good_row(self) -> list:
        raise NotImplementedError

    def refused(self, data, name="import.csv") -> str:
        before = self.model.objects.count()
        response = upload(self.client, self.import_url_name, data, name)
        assert response.status_code == 400
        assert ImportBatch.objects.count() == 0
        assert self.model.objects.count() == before
        return html.unescape(response.content.decode())

    def text_of(self, rows: list[list], headers=None) -> str:
        headers = headers or self.headers
        return csv_text(headers, [dict(zip(headers, values, strict=False)) for values in rows])

    def test_wrong_columns_are_named(self):
        headers = [*self.headers[:-1], "Colour"]
        page = self.refused(self.text_of([self.good_row()], headers))
        assert f"The first row has no column called “{self.headers[-1]}”" in page
        assert "This import does not use the column “Colour”" in page

    def test_a_file_that_is_not_a_spreadsheet(self):
        assert "The file is not a spreadsheet" in self.refused(b"%PDF-1.7\n\x00\x01", "a.pdf")
        assert "The file is not a spreadsheet" in self.refused(b"%PDF-1.7\n\x00\x01", "a.csv")
        page = self.refused(b"PK\x03\x04 not really a workbook", "a.xlsx")
        assert "could not be read as an Excel spreadsheet" in page

    def test_merged_cells(self):
        row = self.good_row()
        page = self.refused(xlsx_bytes(self.headers, [row, row], merge="A2:A3"), "a.xlsx")
        assert "merged cells" in page

    def test_too_many_rows(self):
        line = self.text_of([self.good_row()]).splitlines()[1]
        text = ",".join(self.headers) + "\n" + "\n".join([line] * 50_000)
        page = self.refused(text)
        assert "more than 5,000 rows of data" in page

    def test_formulas_and_dates_as_text_are_row_errors_and_nothing_is_imported(self):
        before = self.model.objects.count()
        formula, text_date = self.good_row(), self.good_row()
        formula[self.headers.index(self.number_column)] = "=2*3"
        text_date[self.headers.index(self.date_column)] = "31/03/2027"
        data = xlsx_bytes(self.headers, [self.good_row(), formula, text_date])
        response = upload(self.client, self.import_url_name, data, "a.xlsx")
        page = preview(self.client, response)
        assert "2 of 3 rows have a problem. Nothing has been imported." in page
        cells = error_rows(page)
        assert any(
            r[:2] == ["3", self.number_column] and "holds a formula (=2*3)" in r[2] for r in cells
        ), cells
        assert any(
            r[:2] == ["4", self.date_column] and "“31/03/2027” is text, not a date" in r[2]
            for r in cells
        ), cells
        assert self.client.post(response["Location"]).status_code == 400
        assert self.model.objects.count() == before
