"""Past KPI results from a spreadsheet: the import pages, bad files, rows recorded by the
same service as the performance return's form, and the round trip from the
performance returns' spreadsheet (its "KPI results" sheet) back into empty returns."""

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone
from openpyxl import load_workbook

from contracts.performance.choices import KpiDirection, KpiFrequency, KpiUnit, ReturnStatus
from contracts.performance.imports import KpiResultImporter
from contracts.performance.models.returns import (
    FinancialLine,
    FinancialReturn,
    KpiResult,
    PerformanceReturn,
    ReportingPeriod,
)
from contracts.performance.services import returns as services
from contracts.register.choices import ContractStatus, Rag
from governance.core.roles import Role
from tests.contracts.import_helpers import (
    BadFileChecks,
    csv_text,
    error_rows,
    export_file,
    preview,
    upload,
)
from tests.contracts.performance.kpi_factories import ContractKpiFactory
from tests.contracts.performance.return_factories import (
    PerformanceReturnFactory,
    ReportingPeriodFactory,
)
from tests.contracts.register.factories import ContractFactory
from tests.view_cases import ImportPageTests

IMPORT_URL = "contracts:kpiresult_import"
HEADERS = [column.header for column in KpiResultImporter.columns]
#: Autumn 2025: the contracts below (from 1 April 2025) have reported Q1 to Q3 2025-26.
TODAY = datetime.datetime(2025, 11, 20, 12, 0, tzinfo=datetime.UTC)


def result(contract: str, **changes) -> dict:
    return {
        "Contract": contract,
        "Period": "Q1 2025-26",
        "Indicator": "Satisfaction",
        "Actual": "91.5",
        "Commentary": "Above target after the new survey.",
        **changes,
    }


def satisfaction(contract):
    return ContractKpiFactory(
        contract=contract,
        name="Satisfaction",
        unit=KpiUnit.PERCENTAGE,
        direction=KpiDirection.HIGHER,
        target=Decimal("85"),
        amber_tolerance=Decimal("5"),
        frequency=KpiFrequency.QUARTERLY,
    )


@pytest.fixture(autouse=True)
def _autumn_2025():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def manager(make_user):
    return make_user(role=Role.CONTRACT_MANAGER, first_name="Priya", last_name="Shah")


@pytest.fixture
def contract(manager):
    contract = ContractFactory(lead_officer=manager, reference="VS-2025-001")
    satisfaction(contract)
    return contract


class TestResultImportPages(ImportPageTests):
    importer_class = KpiResultImporter
    import_url_name = IMPORT_URL
    non_writer_roles = (Role.SMG, Role.AUDITOR, Role.ADMINISTRATOR)

    def make_writer(self, make_user):
        writer = make_user(role=Role.CONTRACT_MANAGER)
        self.contract = ContractFactory(lead_officer=writer)
        satisfaction(self.contract)
        ContractKpiFactory(contract=self.contract, name="Repeat victims", unit=KpiUnit.COUNT)
        # Q1's return is open, with no result recorded yet.
        PerformanceReturnFactory(period=ReportingPeriodFactory(contract=self.contract))
        return writer

    def good_file(self, writer) -> str:
        reference = self.contract.reference
        return csv_text(
            HEADERS,
            [result(reference), result(reference, Indicator="Repeat victims", Actual="12")],
        )

    def out_of_scope_file(self, writer, make_user) -> str:
        theirs = ContractFactory(lead_officer=make_user(role=Role.CONTRACT_MANAGER))
        satisfaction(theirs)
        PerformanceReturnFactory(period=ReportingPeriodFactory(contract=theirs))
        return csv_text(HEADERS, [result(self.contract.reference), result(theirs.reference)])


@pytest.mark.django_db
class TestBadFiles(BadFileChecks):
    import_url_name = IMPORT_URL
    headers = HEADERS
    model = KpiResult
    date_column = "Period"
    number_column = "Actual"

    @pytest.fixture(autouse=True)
    def _client(self, manager, contract, login):
        self.client = login(manager)

    def good_row(self) -> list:
        return list(result("VS-2025-001").values())

    def test_formulas_and_dates_as_text_are_row_errors_and_nothing_is_imported(self):
        formula, dated = self.good_row(), self.good_row()
        formula[HEADERS.index("Actual")] = "=90+1"
        dated[HEADERS.index("Period")] = "01/04/2025"
        response = upload(self.client, IMPORT_URL, self.text_of([formula, dated]))
        cells = error_rows(preview(self.client, response))
        assert any(r[:2] == ["2", "Actual"] and "holds a formula (=90+1)" in r[2] for r in cells)
        assert any(
            r[:2] == ["3", "Period"] and "“01/04/2025” is not a quarter" in r[2] for r in cells
        ), cells
        assert KpiResult.objects.count() == 0
        assert ReportingPeriod.objects.count() == 0, "nothing opened either"


@pytest.mark.django_db
def test_rows_are_recorded_by_the_returns_service_and_its_rules_hold(
    manager, contract, make_user, login
):
    client = login(manager)
    draft = ContractFactory(lead_officer=manager, status=ContractStatus.DRAFT)
    satisfaction(draft)
    theirs = ContractFactory(lead_officer=make_user(role=Role.CONTRACT_MANAGER))
    satisfaction(theirs)
    ref = contract.reference
    text = csv_text(
        HEADERS,
        [
            result(ref),
            result(ref, Period="Q2 2025-26", Actual="82"),
            result(ref, Period="Q3 2025-26", Actual="120"),
            result(ref, Period="Q4 2024-25"),
            result(ref, Period="Q1 2026-27"),
            result(ref, Indicator="Unknown"),
            result(theirs.reference),
            result(draft.reference),
            result("VS-404"),
            result(ref, Period="Q2 2025-27"),
        ],
    )
    response = upload(client, IMPORT_URL, text, "past results.csv")
    page = preview(client, response)
    assert "8 of 10 rows have a problem. Nothing has been imported." in page
    cells = error_rows(page)
    assert ["4", "Actual", "Satisfaction: a percentage must be between 0 and 100."] in cells
    assert any(r[:2] == ["5", "Period"] and "before the contract started" in r[2] for r in cells)
    assert any(r[:2] == ["6", "Period"] and "has not begun yet" in r[2] for r in cells)
    assert ["7", "Indicator", "VS-2025-001 has no KPI called “Unknown”."] in cells
    assert [
        "8",
        "The whole row",
        "Only the contract's lead or deputy officer can open its reporting periods.",
    ] in cells
    assert any(r[:2] == ["9", "The whole row"] and "The contract is draft" in r[2] for r in cells)
    assert ["10", "Contract", "No contract has the reference “VS-404”."] in cells
    assert any(r[:2] == ["11", "Period"] and "is not a quarter" in r[2] for r in cells)
    assert client.post(response["Location"]).status_code == 400
    assert ReportingPeriod.objects.count() == 0
    assert KpiResult.objects.count() == 0

    response = upload(client, IMPORT_URL, csv_text(HEADERS, text_rows(ref)), "past results.csv")
    assert "All 2 rows can be imported" in preview(client, response)
    assert client.post(response["Location"]).status_code == 302
    q1 = KpiResult.objects.get(performance_return__period__quarter=1)
    assert (q1.actual, q1.rag, q1.commentary_by) == (Decimal("91.5"), Rag.GREEN, manager)
    assert (
        q1.history.latest().history_change_reason == f"Imported from past results.csv by {manager}"
    )
    q2 = KpiResult.objects.get(performance_return__period__quarter=2)
    assert (q2.actual, q2.rag) == (Decimal("82"), Rag.AMBER)
    assert q2.performance_return.rag == Rag.AMBER

    # A return already submitted is the provider's word: the import leaves it alone.
    q2.performance_return.status = ReturnStatus.SUBMITTED
    q2.performance_return.save()
    response = upload(client, IMPORT_URL, csv_text(HEADERS, text_rows(ref)))
    cells = error_rows(preview(client, response))
    assert [
        "3",
        "The whole row",
        "This return has been submitted: it can no longer be changed.",
    ] in cells


def text_rows(reference: str) -> list[dict]:
    return [result(reference), result(reference, Period="Q2 2025-26", Actual="82")]


# -- The round trip ---------------------------------------------------------------------------


def results_sheet(data: bytes) -> list[list[str]]:
    book = load_workbook(io.BytesIO(data))
    return [
        ["" if value is None else str(value) for value in values]
        for values in book["KPI results"].iter_rows(values_only=True)
    ]


def returns_sheet(data: bytes) -> list[list[str]]:
    book = load_workbook(io.BytesIO(data))
    return [
        ["" if value is None else str(value) for value in values]
        for values in book.worksheets[0].iter_rows(values_only=True)
    ]


def test_kpi_results_exported_and_imported_into_empty_returns_come_back_equal(
    manager, contract, login
):
    days = ContractKpiFactory(
        contract=contract, name="Days to first contact", frequency=KpiFrequency.MONTHLY
    )
    ContractKpiFactory(contract=contract, name="Annual survey", frequency=KpiFrequency.ANNUAL)
    other = ContractFactory(deputy_officer=manager, reference="VS-2025-002")
    other_kpi = satisfaction(other)
    today = timezone.localdate()
    for opened in (contract, other):
        services.periods_ensure(contract=opened, today=today, actor=manager)
    sat = contract.kpis.get(name="Satisfaction")
    q1, q2 = (
        PerformanceReturn.objects.get(period__contract=contract, period__quarter=quarter)
        for quarter in (1, 2)
    )
    services.performance_return_update(
        performance_return=q1,
        actor=manager,
        reason="Entered",
        results={sat.pk: ("90", "Good, with a comma"), days.pk: ("6.50", "=Late referrals")},
    )
    services.performance_return_update(
        performance_return=q2, actor=manager, reason="Entered", results={sat.pk: ("70", "")}
    )
    services.performance_return_update(
        performance_return=PerformanceReturn.objects.get(period__contract=other, period__quarter=3),
        actor=manager,
        reason="Entered",
        results={other_kpi.pk: ("", "Survey delayed to December")},
    )
    client = login(manager)
    first = export_file(client, "contracts:performancereturn_list", "xlsx")
    before, before_returns = results_sheet(first), returns_sheet(first)
    assert len(before) == 1 + 3 * 2 + 3, before

    FinancialLine.objects.all().delete()
    KpiResult.objects.all().delete()
    PerformanceReturn.objects.all().delete()
    FinancialReturn.objects.all().delete()
    ReportingPeriod.objects.all().delete()

    response = upload(client, IMPORT_URL, first, "returns.xlsx")
    assert "All 9 rows can be imported" in preview(client, response)
    assert client.post(response["Location"]).status_code == 302

    again = export_file(client, "contracts:performancereturn_list", "xlsx")
    assert results_sheet(again) == before
    assert returns_sheet(again) == before_returns
    recorded = KpiResult.objects.exclude(actual=None, commentary="")
    assert recorded.count() == 4
    for kpi_result in recorded:
        assert kpi_result.history.latest().history_change_reason == (
            f"Imported from returns.xlsx by {manager}"
        )


@pytest.mark.django_db
def test_providers_import_results_into_their_own_open_returns_only(
    manager, contract, make_user, login
):
    provider_user = make_user(role=Role.PROVIDER, organisation=contract.provider)
    elsewhere = ContractFactory(lead_officer=manager)
    satisfaction(elsewhere)
    PerformanceReturnFactory(period=ReportingPeriodFactory(contract=elsewhere))
    client = login(provider_user)
    text = csv_text(
        HEADERS,
        [
            result(contract.reference),
            result(contract.reference, Period="Q2 2025-26"),
            result(elsewhere.reference),
        ],
    )
    cells = error_rows(preview(client, upload(client, IMPORT_URL, text)))
    assert [
        "3",
        "The whole row",
        "Only the contract's lead or deputy officer can open its reporting periods.",
    ] in cells
    assert ["4", "Contract", f"No contract has the reference “{elsewhere.reference}”."] in cells

    services.periods_ensure(contract=contract, today=timezone.localdate(), actor=manager)
    response = upload(client, IMPORT_URL, csv_text(HEADERS, text_rows(contract.reference)))
    assert client.post(response["Location"]).status_code == 302
    q1 = KpiResult.objects.get(
        performance_return__period__contract=contract, performance_return__period__quarter=1
    )
    assert (q1.actual, q1.commentary_by, q1.commentary_by_provider) == (
        Decimal("91.5"),
        provider_user,
        True,
    )
