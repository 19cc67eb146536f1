"""The risk log from a spreadsheet: the import pages, bad files, and the round trip
from the log's own export back into an empty log."""

import datetime
import html
import re
import time

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from governance.core.models.base import User
from governance.core.models.imports import ImportBatch
from governance.core.roles import Role
from risks.choices import Allocation, ReviewFrequency, RiskKind, RiskStatus
from risks.imports import RiskImporter
from risks.models import Risk
from tests.contracts import import_helpers
from tests.contracts.import_helpers import export_file, read_rows
from tests.contracts.register.factories import ContractFactory
from tests.risks.factories import RiskFactory
from tests.view_cases import ImportPageTests, form_errors

IMPORT_URL = "risks:risk_import"
LIKELIHOOD_MESSAGE = "Choose a likelihood from 1 (rare) to 5 (almost certain)."
CELL = r"<t[dh][^>]*>(.*?)</t[dh]>"
HEADERS = [column.header for column in RiskImporter.columns]


def soon(days: int = 30) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def row(contract: str, owner, **changes) -> dict:
    values = {
        "Reference": "",
        "Kind": "Risk",
        "Title": "Provider loses its safeguarding lead",
        "Contract": contract,
        "Category": "Safeguarding",
        "Level": "Strategic",
        "Allocated to": "Shared",
        "Owner": str(owner),
        "Inherent likelihood": "3",
        "Inherent impact": "5",
        "Residual likelihood": "2",
        "Residual impact": "5",
        "Target score": "5",
        "Next review": soon().isoformat(),
        "Status": "",
        "Raised from": "",
        "Closed on": "",
        "Closed because": "",
        "Description": "The only trained safeguarding lead has resigned.",
        "Mitigations": "Interim cover from the partner charity.",
        "Why the residual score is higher": "",
        "How often reviewed": "Monthly",
        "Days between reviews": "",
    }
    values.update(changes)
    return values


def csv_text(rows: list[dict], headers=HEADERS) -> str:
    return import_helpers.csv_text(headers, rows)


def xlsx_bytes(rows: list[list], headers=HEADERS, *, merge: str = "") -> bytes:
    return import_helpers.xlsx_bytes(headers, rows, merge=merge)


def upload(client, data, name="risks.csv"):
    if isinstance(data, str):
        data = data.encode()
    return client.post(reverse(IMPORT_URL), {"file": SimpleUploadedFile(name, data)})


@pytest.fixture
def manager(make_user):
    return make_user(role=Role.CONTRACT_MANAGER, first_name="Priya", last_name="Shah")


@pytest.fixture
def contract(manager):
    return ContractFactory(lead_officer=manager, reference="VS-2025-001")


class TestRiskImportPages(ImportPageTests):
    importer_class = RiskImporter
    import_url_name = IMPORT_URL

    def make_writer(self, make_user):
        writer = make_user(role=Role.CONTRACT_MANAGER)
        self.contract = ContractFactory(lead_officer=writer)
        return writer

    def good_file(self, writer) -> str:
        return csv_text(
            [
                row(self.contract.reference, writer),
                row("Portfolio", writer, Title="Market has few providers", Category="Other"),
            ]
        )

    def out_of_scope_file(self, writer, make_user) -> str:
        elsewhere = ContractFactory(lead_officer=make_user(role=Role.CONTRACT_MANAGER))
        return csv_text([row(self.contract.reference, writer), row(elsewhere.reference, writer)])


def preview(client, response):
    assert response.status_code == 302, form_errors(response)
    page = client.get(response["Location"])
    return html.unescape(page.content.decode())


@pytest.mark.django_db
class TestBadFiles:
    """A file that cannot be imported: a clear message, and nothing imported."""

    @pytest.fixture(autouse=True)
    def _client(self, manager, contract, login):
        self.client = login(manager)
        self.manager, self.contract = manager, contract

    def refused(self, data, name="risks.csv") -> str:
        response = upload(self.client, data, name)
        assert response.status_code == 400
        assert ImportBatch.objects.count() == 0
        assert Risk.objects.count() == 0
        return html.unescape(response.content.decode())

    def test_wrong_columns_are_named(self):
        text = csv_text([row("VS-2025-001", self.manager)], headers=[*HEADERS[:5], "Colour"])
        page = self.refused(text)
        assert "The first row has no column called “Level”" in page
        assert "This import does not use the column “Colour”" in page

    def test_a_file_that_is_not_a_spreadsheet(self):
        page = self.refused(b"%PDF-1.7\n\x00\x01binary", "minutes.pdf")
        assert "The file is not a spreadsheet" in page
        page = self.refused(b"%PDF-1.7\n\x00\x01binary", "risks.csv")
        assert "The file is not a spreadsheet" in page
        page = self.refused(b"PK\x03\x04 not really a workbook", "risks.xlsx")
        assert "could not be read as an Excel spreadsheet" in page

    def test_old_excel_files_and_empty_files(self):
        assert "old Excel format (.xls)" in self.refused(
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a.xls"
        )
        assert "The file is empty" in self.refused(b"", "risks.csv")

    def test_merged_cells(self):
        values = list(row("VS-2025-001", self.manager).values())
        page = self.refused(xlsx_bytes([values, values], merge="A2:A3"), "risks.xlsx")
        assert "merged cells" in page

    def test_fifty_thousand_rows_are_refused_quickly(self):
        lean = row("VS-2025-001", self.manager, Description="Staff leave", Mitigations="")
        line = ",".join(lean.values())
        text = csv_text([]) + "\n".join([line] * 50_000)
        started = time.perf_counter()
        page = self.refused(text)
        assert time.perf_counter() - started < 10
        assert "more than 5,000 rows of data" in page
        assert "split the file into smaller ones" in page

    def test_formulas_and_dates_as_text_are_row_errors(self):
        good = list(row("VS-2025-001", self.manager).values())
        formula = list(row("VS-2025-001", self.manager).values())
        formula[HEADERS.index("Target score")] = "=2*3"
        text_date = list(row("VS-2025-001", self.manager).values())
        text_date[HEADERS.index("Next review")] = "31/03/2027"
        real_date = list(row("VS-2025-001", self.manager).values())
        real_date[HEADERS.index("Next review")] = datetime.datetime.combine(
            soon(60), datetime.time()
        )
        data = xlsx_bytes([good, formula, text_date, real_date])
        page = preview(self.client, upload(self.client, data, "risks.xlsx"))
        assert "2 of 4 rows have a problem. Nothing has been imported." in page
        assert "Target score holds a formula (=2*3)" in page
        assert "“31/03/2027” is text, not a date" in page
        assert Risk.objects.count() == 0

    def test_every_rows_errors_are_listed_by_row_and_column(self, make_user):
        elsewhere = ContractFactory(lead_officer=make_user(role=Role.CONTRACT_MANAGER))
        text = csv_text(
            [
                row("VS-2025-001", self.manager),
                row("VS-9999", self.manager),
                row("VS-2025-001", "Nobody Known", **{"Inherent likelihood": "7"}),
                row(elsewhere.reference, self.manager),
                row(
                    "VS-2025-001",
                    self.manager,
                    **{"Residual likelihood": "5", "Inherent likelihood": "1"},
                ),
            ]
        )
        response = upload(self.client, text)
        page = preview(self.client, response)
        assert "4 of 5 rows have a problem" in page
        cells = [[html.unescape(c) for c in r] for r in _table_rows(page)]
        assert ["3", "Contract", "No contract has the reference “VS-9999”."] in cells
        assert any(r[:2] == ["4", "Owner"] and "“Nobody Known”" in r[2] for r in cells)
        assert [
            "4",
            "Inherent likelihood",
            "Choose a likelihood from 1 (rare) to 5 (almost certain).",
        ] in cells or any(r[:2] == ["4", "Owner"] for r in cells)
        assert [
            "5",
            "The whole row",
            "Only the contract's lead or deputy officer can add its risks.",
        ] in cells
        assert any(r[:2] == ["6", "Why the residual score is higher"] for r in cells), cells
        # Confirming anyway imports nothing.
        assert self.client.post(response["Location"]).status_code == 400
        assert Risk.objects.count() == 0


def _table_rows(page: str) -> list[list[str]]:
    body = re.search(r'data-testid="row-errors".*?<tbody[^>]*>(.*?)</tbody>', page, re.S)
    assert body, "the preview lists the problems"
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", tr, re.S)
        ]
        for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", body.group(1), re.S)
    ]


# -- The round trip ---------------------------------------------------------------------------


def demo_log(manager, contract, make_user):
    """A small risk log with every shape a row can take."""
    pdm = make_user(role=Role.PDM, first_name="Tom", last_name="Reyes")
    common = {"owner": manager, "raised_by": manager, "contract": contract}
    cause = RiskFactory(
        **common,
        title="Caseworkers leave",
        inherent_likelihood=4,
        inherent_impact=4,
        residual_likelihood=3,
        residual_impact=4,
        next_review_date=soon(40),
        target_score=6,
    )
    RiskFactory(
        **common,
        kind=RiskKind.ISSUE,
        raised_from=cause,
        title="Two caseworkers have left",
        inherent_likelihood=5,
        inherent_impact=3,
        residual_likelihood=5,
        residual_impact=3,
        next_review_date=soon(10),
    )
    RiskFactory(
        **common,
        title="Data sharing agreement lapses",
        description="The agreement ends before the contract, with a comma, and “quotes”.",
        allocation=Allocation.SHARED,
        inherent_likelihood=2,
        inherent_impact=2,
        residual_likelihood=3,
        residual_impact=2,
        residual_above_inherent_reason="The partner has withdrawn its support.",
        review_frequency=ReviewFrequency.DAYS,
        review_every_days=45,
        next_review_date=soon(45),
        mitigations="=Escalate to the data protection officer",
    )
    RiskFactory(
        **common,
        title="Building lease ends",
        status=RiskStatus.CLOSED,
        closed_on=timezone.localdate() - datetime.timedelta(days=20),
        closed_reason="A new lease was signed.",
        closed_by=manager,
        next_review_date=timezone.localdate() - datetime.timedelta(days=60),
    )
    RiskFactory(
        contract=None,
        owner=pdm,
        raised_by=pdm,
        title="Few providers in the market",
        next_review_date=soon(90),
    )


def renumbered(before: list[list[str]], after: list[list[str]]) -> list[list[str]]:
    """``after`` with each new reference replaced by the one its row had ``before``."""
    header = before[0]
    reference, raised_from = header.index("Reference"), header.index("Raised from")
    new_to_old = {
        new[reference]: old[reference] for old, new in zip(before[1:], after[1:], strict=True)
    }
    rows = [after[0]]
    for values in after[1:]:
        values = list(values)
        values[reference] = new_to_old[values[reference]]
        if values[raised_from]:
            values[raised_from] = new_to_old[values[raised_from]]
        rows.append(values)
    return rows


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_risk_log_exported_and_imported_into_an_empty_log_comes_back_equal(
    export_format, manager, contract, make_user, login
):
    demo_log(manager, contract, make_user)
    client = login(manager)
    first = export_file(client, "risks:risk_list", export_format)
    before = read_rows(first, export_format)
    assert len(before) == 6
    Risk.objects.filter(kind=RiskKind.ISSUE).delete()
    Risk.objects.all().delete()

    response = upload(client, first, f"risk-log.{export_format}")
    page = preview(client, response)
    assert "All 5 rows can be imported" in page, _table_rows(page)
    assert client.post(response["Location"]).status_code == 302
    assert Risk.objects.count() == 5

    after = read_rows(export_file(client, "risks:risk_list", export_format), export_format)
    assert renumbered(before, after) == before
    for risk in Risk.objects.all():
        assert risk.history.get().history_change_reason == (
            f"Imported from risk-log.{export_format} by {manager}"
        )


@pytest.mark.django_db
def test_uploads_never_confirmed_are_deleted_a_day_on(manager, contract, login):
    from governance.core.maintenance import purge_import_uploads

    client = login(manager)
    response = upload(client, csv_text([row("VS-2025-001", manager)]))
    assert response.status_code == 302
    assert purge_import_uploads() == 0
    assert purge_import_uploads(now=timezone.now() + datetime.timedelta(days=2)) == 1
    assert ImportBatch.objects.count() == 0
    assert client.get(response["Location"]).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_demos_risk_log_exported_and_imported_into_an_empty_log_comes_back_equal(
    export_format, client, monkeypatch
):
    """The whole demo risk log, as its contract manager exports it, comes back
    equal after every risk is deleted and the file imported."""
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    with time_machine.travel(datetime.datetime(2026, 12, 4, 9, tzinfo=datetime.UTC), tick=False):
        call_command("seed_demo")
        client.force_login(User.objects.get(username="manager"))
        first = export_file(client, "risks:risk_list", export_format)
        before = read_rows(first, export_format)
        count = Risk.objects.count()
        assert count >= 5 and len(before) == count + 1

        Risk.objects.all().delete()
        response = upload(client, first, f"demo-risk-log.{export_format}")
        page = preview(client, response)
        assert f"All {count} rows can be imported" in page, _table_rows(page)
        assert client.post(response["Location"]).status_code == 302
        assert Risk.objects.count() == count

        after = read_rows(export_file(client, "risks:risk_list", export_format), export_format)
        assert renumbered(before, after) == before
