"""The contracts register from a spreadsheet: the import pages, bad files, providers
found or added by name, rows checked by the register's own service, and the round trip
from the register's export back into an empty register."""

import datetime
from decimal import Decimal

import pytest

from contracts.procurement.imports import ContractImporter
from contracts.register.choices import ContractStatus, LifecycleStage, OrganisationKind, Tier
from contracts.register.models.contracts import Contract, ServiceArea
from contracts.register.models.organisations import Contact, Organisation
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
from tests.contracts.register.factories import (
    ContactFactory,
    ContractFactory,
    OrganisationFactory,
)
from tests.view_cases import ImportPageTests

IMPORT_URL = "contracts:contract_import"
HEADERS = [column.header for column in ContractImporter.columns]


def row(lead, **changes) -> dict:
    values = {
        "Reference": "VS-2026-001",
        "Title": "Victim support hub",
        "Provider": "Haven Support Ltd",
        "Service area": "Victims' services",
        "Scope": "Referral, assessment and support for victims of crime.",
        "Tier": "Gold",
        "Total value": "1,500,000.00",
        "Annual value": "500000",
        "Starts": "2026-04-01",
        "Initial end date": "2029-03-31",
        "Lead officer": str(lead) if lead else "",
        "Deputy officer": "",
        "Strategic partnership": "No",
        "Lifecycle stage": "",
        "Provider's contract manager": "",
        "Provider's contract manager email": "",
        "Status": "Draft",
    }
    values.update(changes)
    return values


@pytest.fixture
def area(db):
    return ServiceArea.objects.get_or_create(name="Victims' services")[0]


@pytest.fixture
def manager(make_user, area):
    return make_user(role=Role.CONTRACT_MANAGER, first_name="Priya", last_name="Shah")


class TestContractImportPages(ImportPageTests):
    importer_class = ContractImporter
    import_url_name = IMPORT_URL
    non_writer_roles = (Role.SMG, Role.AUDITOR, Role.ADMINISTRATOR, Role.PROVIDER)

    def make_writer(self, make_user):
        ServiceArea.objects.get_or_create(name="Victims' services")
        return make_user(role=Role.CONTRACT_MANAGER)

    def good_file(self, writer) -> str:
        return csv_text(
            HEADERS,
            [
                row(writer, Reference=f"IMP-{writer.pk}-1"),
                row(writer, Reference=f"IMP-{writer.pk}-2", Provider="Bright Futures CIC"),
            ],
        )

    def out_of_scope_file(self, writer, make_user) -> str:
        theirs = ContractFactory(lead_officer=make_user(role=Role.CONTRACT_MANAGER))
        return csv_text(
            HEADERS,
            [row(writer, Reference=f"IMP-{writer.pk}-1"), row(writer, Reference=theirs.reference)],
        )


@pytest.mark.django_db
class TestBadFiles(BadFileChecks):
    import_url_name = IMPORT_URL
    headers = HEADERS
    model = Contract
    date_column = "Starts"
    number_column = "Total value"

    @pytest.fixture(autouse=True)
    def _client(self, manager, login):
        self.client = login(manager)
        self.manager = manager

    def good_row(self) -> list:
        return list(row(self.manager).values())


@pytest.mark.django_db
class TestRows:
    @pytest.fixture(autouse=True)
    def _client(self, manager, login):
        self.client = login(manager)
        self.manager = manager

    def test_providers_are_found_by_name_or_added_once(self, make_user):
        existing = OrganisationFactory(name="Haven Support Ltd")
        deputy = make_user(role=Role.CONTRACT_MANAGER, first_name="Sam", last_name="Okafor")
        text = csv_text(
            HEADERS,
            [
                row(self.manager, Provider="haven support ltd", **{"Deputy officer": deputy.email}),
                row(
                    self.manager,
                    Reference="VS-2026-002",
                    Provider="New Dawn Trust",
                    Status="Active",
                    **{
                        "Deputy officer": deputy.username,
                        "Provider's contract manager": "Jo Bell",
                        "Provider's contract manager email": "jo.bell@newdawn.example.org",
                    },
                ),
                row(
                    self.manager,
                    Reference="VS-2026-003",
                    Provider="New Dawn Trust",
                    Status="",
                    **{
                        "Provider's contract manager": "Jo Bell",
                        "Provider's contract manager email": "JO.BELL@newdawn.example.org",
                    },
                ),
            ],
        )
        response = upload(self.client, IMPORT_URL, text, "register.csv")
        assert "All 3 rows can be imported" in preview(self.client, response)
        assert Contract.objects.count() == 0
        assert self.client.post(response["Location"]).status_code == 302

        first = Contract.objects.get(reference="VS-2026-001")
        assert first.provider == existing
        assert first.status == ContractStatus.DRAFT
        assert first.total_value == Decimal("1500000.00")
        assert first.current_end_date == datetime.date(2029, 3, 31)
        assert (first.lead_officer, first.deputy_officer) == (self.manager, deputy)
        assert first.tier == Tier.GOLD
        added = Organisation.objects.get(name="New Dawn Trust")
        assert added.kind == OrganisationKind.PROVIDER
        assert added.contracts.count() == 2
        assert added.history.get().history_change_reason == (
            f"Imported from register.csv by {self.manager}"
        )
        assert first.procurement.regime, "registered as the contract form registers it"
        active = Contract.objects.get(reference="VS-2026-002")
        assert active.status == ContractStatus.ACTIVE
        jo = added.contacts.get()
        assert (jo.name, jo.email) == ("Jo Bell", "jo.bell@newdawn.example.org")
        assert active.provider_contract_manager == jo
        assert Contract.objects.get(reference="VS-2026-003").provider_contract_manager == jo
        assert active.history.latest().history_change_reason == (
            f"Imported from register.csv by {self.manager}"
        )

    def test_every_rows_errors_are_listed_by_row_and_column(self, make_user):
        OrganisationFactory(name="County Council", kind=OrganisationKind.COMMISSIONER)
        auditor = make_user(role=Role.AUDITOR, first_name="Ada", last_name="Byrne")
        theirs = ContractFactory(lead_officer=make_user(role=Role.CONTRACT_MANAGER))
        text = csv_text(
            HEADERS,
            [
                row(self.manager),
                row(self.manager, Reference=theirs.reference),
                row(self.manager, Reference="R3", **{"Service area": "Gardening"}),
                row(self.manager, Reference="R4", Provider="County Council"),
                row(self.manager, Reference="R5", **{"Lead officer": str(auditor)}),
                row(self.manager, Reference="R6", **{"Deputy officer": str(self.manager)}),
                row(self.manager, Reference="R7", **{"Initial end date": "2026-01-01"}),
                row(self.manager, Reference="R8", Status="Active"),
                row(self.manager, Reference="R9", Starts="1980-04-01"),
                row(self.manager, Reference="R10", Tier="Platinum"),
                row(self.manager, Reference="R11", **{"Strategic partnership": "Yes"}),
                row(self.manager, Reference="R12", Status="Ended"),
                row(
                    self.manager,
                    Reference="R13",
                    **{"Provider's contract manager email": "jo@example.org"},
                ),
            ],
        )
        response = upload(self.client, IMPORT_URL, text)
        page = preview(self.client, response)
        assert "12 of 13 rows have a problem. Nothing has been imported." in page
        cells = error_rows(page)
        by_row = {}
        for number, column, message in cells:
            by_row.setdefault(number, []).append((column, message))
        assert "2" not in by_row
        assert by_row["3"][0][0] == "Reference"
        assert "already has a contract with the reference" in by_row["3"][0][1]
        [(column, message)] = by_row["4"]
        assert column == "Service area"
        assert message.startswith("No service area is called “Gardening”. Choose one of: ")
        assert "Victims' services" in message
        assert by_row["5"] == [
            ("Provider", "County Council is registered as a commissioner, not a provider.")
        ]
        assert by_row["6"][0][0] == "Lead officer"
        assert "“Ada Byrne”" in by_row["6"][0][1]
        assert any(
            column == "The whole row" and "deputy officer must be a different person" in message
            for column, message in by_row["7"]
        ), by_row["7"]
        assert by_row["8"] == [
            (
                "Initial end date",
                "The initial end date must be between 2 April 2026 and 31 March 2041. A "
                "contract runs for at most 15 years.",
            )
        ]
        assert by_row["9"] == [
            ("The whole row", "Name the deputy officer."),
            ("The whole row", "Name the provider's contract manager."),
        ]
        assert by_row["10"][0][0] == "Starts", by_row["10"]
        assert by_row["11"][0][0] == "Tier"
        assert "“Platinum” is not a tier" in by_row["11"][0][1]
        assert by_row["12"] == [("Lifecycle stage", "Select the partnership's lifecycle stage.")]
        assert by_row["13"] == [
            (
                "Status",
                "A contract is imported as Draft or Active. Record its exit, end or "
                "termination on its page afterwards.",
            )
        ]
        assert by_row["14"] == [
            (
                "Provider's contract manager",
                "Give both the provider's contract manager's name and email address.",
            )
        ]
        assert self.client.post(response["Location"]).status_code == 400
        assert Contract.objects.filter(reference__startswith="R").count() == 0
        assert not Organisation.objects.filter(name="Haven Support Ltd").exists()


# -- The round trip ---------------------------------------------------------------------------


def demo_register(manager, make_user):
    """Draft contracts with every shape a row can take."""
    deputy = make_user(role=Role.CONTRACT_MANAGER, first_name="Sam", last_name="Okafor")
    haven = OrganisationFactory(name="Haven Support Ltd")
    dawn = OrganisationFactory(name="New Dawn Trust, “the Trust”")
    common = {"status": ContractStatus.DRAFT, "provider_contract_manager": None}
    ContractFactory(
        **common,
        reference="VS-2026-001",
        title="Victim support hub",
        provider=haven,
        lead_officer=manager,
        deputy_officer=deputy,
        tier=Tier.GOLD,
        total_value=Decimal("1500000.50"),
        annual_value=Decimal("500000.00"),
    )
    ContractFactory(
        **common,
        reference="VS-2026-002",
        title="=Restorative justice",
        scope="Meetings between victims and offenders, with a comma, and “quotes”.",
        provider=dawn,
        lead_officer=manager,
        is_strategic_partnership=True,
        lifecycle_stage=LifecycleStage.PROCUREMENT,
        start_date=datetime.date(2026, 10, 1),
        initial_end_date=datetime.date(2031, 9, 30),
    )
    ContractFactory(**common, reference="VS-2026-003", provider=dawn, tier=Tier.BRONZE)
    ContractFactory(
        reference="VS-2025-004",
        provider=haven,
        provider_contract_manager=ContactFactory(
            organisation=haven, name="Jo Bell", email="jo@haven.example.org"
        ),
        lead_officer=deputy,
        deputy_officer=manager,
    )


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_register_exported_and_imported_into_an_empty_register_comes_back_equal(
    export_format, manager, make_user, login
):
    demo_register(manager, make_user)
    client = login(manager)
    first = export_file(client, "contracts:contract_list", export_format)
    before = read_rows(first, export_format)
    assert len(before) == 5
    Contract.objects.all().delete()
    Contact.objects.all().delete()
    Organisation.objects.all().delete()

    response = upload(client, IMPORT_URL, first, f"register.{export_format}")
    page = preview(client, response)
    assert "All 4 rows can be imported" in page, page
    assert client.post(response["Location"]).status_code == 302
    assert Contract.objects.count() == 4
    assert Organisation.objects.count() == 2

    after = read_rows(export_file(client, "contracts:contract_list", export_format), export_format)
    assert after == before
    for contract in Contract.objects.all():
        assert contract.history.earliest("history_date").history_change_reason == (
            f"Imported from register.{export_format} by {manager}"
        )
