"""The performance menu and contracts' KPIs from spreadsheets: the import pages, bad
files, and rows checked by the same services as the KPI forms."""

from decimal import Decimal

import pytest

from contracts.performance.choices import KpiDirection, KpiFrequency, KpiUnit
from contracts.performance.imports import ContractKpiImporter, KpiDefinitionImporter
from contracts.performance.models.kpis import ContractKpi, KpiDefinition
from contracts.register.choices import ContractStatus
from governance.core.roles import Role
from tests.contracts.import_helpers import (
    BadFileChecks,
    csv_text,
    error_rows,
    export_file,
    preview,
    read_rows,
    upload,
)
from tests.contracts.performance.kpi_factories import ContractKpiFactory, KpiDefinitionFactory
from tests.contracts.register.factories import ContractFactory
from tests.view_cases import ImportPageTests

MENU_URL = "contracts:kpidefinition_import"
KPI_URL = "contracts:contractkpi_import"
MENU_HEADERS = [column.header for column in KpiDefinitionImporter.columns]
KPI_HEADERS = [column.header for column in ContractKpiImporter.columns]


def menu_row(**changes) -> dict:
    return {
        "Name": "Victims contacted within 2 days",
        "Service requirement": "Victims are contacted promptly after referral.",
        "Unit": "Percentage",
        "Direction": "Higher is better",
        "Target": "95",
        "Amber tolerance": "5",
        "Frequency": "Quarterly",
        "Key indicator": "Yes",
        "Offered for new contracts": "",
        "Method of measurement": "Referrals contacted within 2 working days, as a share of all.",
        **changes,
    }


def kpi_row(contract: str, **changes) -> dict:
    return {
        "KPI": "Days to first contact",
        "Contract": contract,
        "From the performance menu": "",
        "Service requirement": "Referrals are contacted promptly.",
        "Unit": "Days",
        "Direction": "Lower is better",
        "Target": "5",
        "Amber tolerance": "2",
        "Frequency": "Monthly",
        "Key indicator": "No",
        "Reported": "Yes",
        "Method of measurement": "Working days from referral to first contact.",
        **changes,
    }


@pytest.fixture
def manager(make_user):
    return make_user(role=Role.CONTRACT_MANAGER, first_name="Priya", last_name="Shah")


@pytest.fixture
def contract(manager):
    return ContractFactory(lead_officer=manager, reference="VS-2025-001")


# -- The performance menu -----------------------------------------------------------------


class TestMenuImportPages(ImportPageTests):
    importer_class = KpiDefinitionImporter
    import_url_name = MENU_URL
    non_writer_roles = (Role.SMG, Role.AUDITOR, Role.PROVIDER)

    def good_file(self, writer) -> str:
        return csv_text(
            MENU_HEADERS,
            [menu_row(Name=f"Indicator A {writer.pk}"), menu_row(Name=f"Indicator B {writer.pk}")],
        )

    def out_of_scope_file(self, writer, make_user) -> str:
        taken = KpiDefinitionFactory()
        return csv_text(
            MENU_HEADERS, [menu_row(Name=f"Indicator A {writer.pk}"), menu_row(Name=taken.name)]
        )


class TestMenuImportByAdministrators(TestMenuImportPages):
    """Administrators keep the menu as reference data, and import into it too."""

    writer_role = Role.ADMINISTRATOR


@pytest.mark.django_db
class TestMenuBadFiles(BadFileChecks):
    import_url_name = MENU_URL
    headers = MENU_HEADERS
    model = KpiDefinition
    date_column = "Name"  # the menu has no dates: a date read as a name is fine
    number_column = "Target"

    @pytest.fixture(autouse=True)
    def _client(self, manager, login):
        self.client = login(manager)

    def good_row(self) -> list:
        return list(menu_row().values())

    def test_formulas_and_dates_as_text_are_row_errors_and_nothing_is_imported(self):
        row = self.good_row()
        row[self.headers.index("Target")] = "=90+5"
        response = upload(self.client, MENU_URL, self.text_of([row]))
        cells = error_rows(preview(self.client, response))
        assert [
            "2",
            "Target",
            "Target holds a formula (=90+5). Copy the column and paste it "
            "back as values only, then upload the file again.",
        ] in cells
        assert KpiDefinition.objects.count() == 0


@pytest.mark.django_db
def test_menu_rows_are_checked_by_the_menus_service(manager, login):
    client = login(manager)
    KpiDefinitionFactory(name="Complaints resolved")
    text = csv_text(
        MENU_HEADERS,
        [
            menu_row(),
            menu_row(Name="complaints resolved"),
            menu_row(Name="Satisfaction", Target="120"),
            menu_row(Name="Waiting", Unit="Hours"),
            menu_row(Name="Cost", Unit="", **{"Amber tolerance": "-1"}),
        ],
    )
    response = upload(client, MENU_URL, text, "menu.csv")
    page = preview(client, response)
    assert "4 of 5 rows have a problem" in page
    cells = error_rows(page)
    assert [
        "3",
        "Name",
        "The performance menu already has an indicator called “complaints resolved”.",
    ] in cells
    assert ["4", "Target", "A percentage target must be between 0 and 100."] in cells
    assert any(r[:2] == ["5", "Unit"] and "“Hours” is not a unit" in r[2] for r in cells)
    assert ["6", "Unit", "Unit is empty. Enter a value."] in cells
    assert client.post(response["Location"]).status_code == 400
    assert KpiDefinition.objects.count() == 1

    good = csv_text(MENU_HEADERS, [menu_row(), menu_row(Name="Repeat victims", Unit="Count")])
    response = upload(client, MENU_URL, good, "menu.csv")
    assert client.post(response["Location"]).status_code == 302
    added = KpiDefinition.objects.get(name="Victims contacted within 2 days")
    assert (added.unit, added.direction, added.frequency) == (
        KpiUnit.PERCENTAGE,
        KpiDirection.HIGHER,
        KpiFrequency.QUARTERLY,
    )
    assert (added.target, added.is_key_indicator, added.is_active) == (Decimal(95), True, True)


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_menu_exported_comes_back_equal(export_format, manager, make_user, login):
    KpiDefinitionFactory(name="Satisfaction", is_key_indicator=True)
    KpiDefinitionFactory(
        name="Cost per case",
        unit=KpiUnit.CURRENCY,
        direction=KpiDirection.LOWER,
        target=Decimal("-10.50"),
        frequency=KpiFrequency.ANNUAL,
        is_active=False,
        measurement_method="=Spend divided by cases, with a comma",
    )
    client = login(manager)
    first = export_file(client, "contracts:kpidefinition_list", export_format)
    before = read_rows(first, export_format)
    KpiDefinition.objects.all().delete()
    response = upload(client, MENU_URL, first, f"menu.{export_format}")
    assert "All 2 rows can be imported" in preview(client, response)
    assert client.post(response["Location"]).status_code == 302
    assert (
        read_rows(export_file(client, "contracts:kpidefinition_list", export_format), export_format)
        == before
    )


# -- Contracts' KPIs ------------------------------------------------------------------------


class TestContractKpiImportPages(ImportPageTests):
    importer_class = ContractKpiImporter
    import_url_name = KPI_URL
    non_writer_roles = (Role.SMG, Role.AUDITOR, Role.ADMINISTRATOR, Role.PROVIDER)

    def make_writer(self, make_user):
        writer = make_user(role=Role.CONTRACT_MANAGER)
        self.contract = ContractFactory(deputy_officer=writer)
        return writer

    def good_file(self, writer) -> str:
        return csv_text(
            KPI_HEADERS,
            [kpi_row(self.contract.reference), kpi_row(self.contract.reference, KPI="Repeats")],
        )

    def out_of_scope_file(self, writer, make_user) -> str:
        theirs = ContractFactory(lead_officer=make_user(role=Role.CONTRACT_MANAGER))
        return csv_text(KPI_HEADERS, [kpi_row(self.contract.reference), kpi_row(theirs.reference)])


@pytest.mark.django_db
class TestContractKpiBadFiles(BadFileChecks):
    import_url_name = KPI_URL
    headers = KPI_HEADERS
    model = ContractKpi
    date_column = "KPI"
    number_column = "Target"

    @pytest.fixture(autouse=True)
    def _client(self, manager, contract, login):
        self.client = login(manager)

    def good_row(self) -> list:
        return list(kpi_row("VS-2025-001").values())

    def test_formulas_and_dates_as_text_are_row_errors_and_nothing_is_imported(self):
        row = self.good_row()
        row[self.headers.index("Amber tolerance")] = "=1+1"
        response = upload(self.client, KPI_URL, self.text_of([row]))
        cells = error_rows(preview(self.client, response))
        assert any(r[:2] == ["2", "Amber tolerance"] and "formula" in r[2] for r in cells)
        assert ContractKpi.objects.count() == 0


@pytest.mark.django_db
def test_contract_kpis_take_the_menus_values_and_the_officer_guard_holds(
    manager, contract, make_user, login
):
    client = login(manager)
    menu = KpiDefinitionFactory(name="Satisfaction", target=Decimal("85"), is_key_indicator=True)
    KpiDefinitionFactory(name="Retired", is_active=False)
    ended = ContractFactory(lead_officer=manager, status=ContractStatus.ENDED)
    theirs = ContractFactory(lead_officer=make_user(role=Role.CONTRACT_MANAGER))
    ContractKpiFactory(contract=contract, name="Days to first contact")
    blank = dict.fromkeys(
        [
            "Service requirement",
            "Unit",
            "Direction",
            "Target",
            "Amber tolerance",
            "Frequency",
            "Key indicator",
            "Method of measurement",
        ],
        "",
    )
    text = csv_text(
        KPI_HEADERS,
        [
            kpi_row(
                contract.reference,
                KPI="Satisfaction",
                **{**blank, "Target": "90", "From the performance menu": "satisfaction"},
            ),
            kpi_row(contract.reference),
            kpi_row(theirs.reference, KPI="Theirs"),
            kpi_row(ended.reference, KPI="Late"),
            kpi_row(contract.reference, KPI="Old", **{"From the performance menu": "Retired"}),
            kpi_row(contract.reference, KPI="Nowhere", **{"From the performance menu": "Gone"}),
            kpi_row("VS-404", KPI="Lost"),
        ],
    )
    response = upload(client, KPI_URL, text)
    page = preview(client, response)
    assert "6 of 7 rows have a problem" in page
    cells = error_rows(page)
    assert any(r[:2] == ["3", "KPI"] and "already has a KPI called" in r[2] for r in cells)
    assert [
        "4",
        "The whole row",
        "Only the contract's lead or deputy officer can add or change its KPIs.",
    ] in cells
    assert any(r[:2] == ["5", "The whole row"] and "its KPIs can be added" in r[2] for r in cells)
    assert any(
        r[:2] == ["6", "From the performance menu"] and "no longer offered" in r[2] for r in cells
    )
    assert [
        "7",
        "From the performance menu",
        "The performance menu has no indicator called “Gone”.",
    ] in cells
    assert ["8", "Contract", "No contract has the reference “VS-404”."] in cells
    assert client.post(response["Location"]).status_code == 400

    response = upload(
        client,
        KPI_URL,
        csv_text(
            KPI_HEADERS,
            [
                kpi_row(
                    contract.reference,
                    KPI="Satisfaction",
                    **{**blank, "Target": "90", "From the performance menu": "Satisfaction"},
                )
            ],
        ),
    )
    assert client.post(response["Location"]).status_code == 302
    kpi = contract.kpis.get(name="Satisfaction")
    assert kpi.definition == menu
    assert (kpi.target, kpi.unit, kpi.is_key_indicator) == (Decimal(90), menu.unit, True)
    assert kpi.measurement_method == menu.measurement_method
