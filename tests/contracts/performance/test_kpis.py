"""The performance menu and contract KPIs: every rule of services.kpis refuses bad input
with its sentence and saves nothing; the pages show targets with their units, keep to
the contract's scope and cost a constant number of queries."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from contracts.overview.selectors import contract_overview
from contracts.performance.choices import KpiDirection, KpiFrequency, KpiUnit
from contracts.performance.models.kpis import ContractKpi, KpiDefinition
from contracts.performance.services.kpis import (
    contract_kpi_create,
    contract_kpi_summary,
    contract_kpi_update,
    format_amount,
    key_indicator_warning,
    kpidefinition_create,
    kpidefinition_update,
)
from contracts.register.choices import ContractStatus
from governance.core.roles import Role
from tests.checks import refused
from tests.contracts.performance.kpi_factories import ContractKpiFactory, KpiDefinitionFactory
from tests.contracts.register.factories import ContractFactory, OrganisationFactory
from tests.view_cases import ContractRecordViews, ModelViewTests, count_queries

PERCENT_RANGE = "A percentage target must be between 0 and 100."
NEGATIVE_TOLERANCE = "The amber tolerance cannot be negative."
OVER_5M = Decimal("5000000.01")


def custom_fields(**overrides) -> dict:
    """Every answer of a KPI written for one contract."""
    return {
        "name": "Referrals contacted within two working days",
        "service_requirement": "Every referral is contacted promptly.",
        "unit": KpiUnit.PERCENTAGE,
        "direction": KpiDirection.HIGHER,
        "target": Decimal("90"),
        "amber_tolerance": Decimal("5"),
        "frequency": KpiFrequency.MONTHLY,
        "measurement_method": "Referrals contacted within two working days, as a share of all.",
        "is_key_indicator": True,
        **overrides,
    }


def refused_kpi(contract, actor, **fields):
    """The error ``actor`` meets adding a KPI with ``fields`` to ``contract``."""
    return refused(contract_kpi_create, contract=contract, actor=actor, **fields)


def refused_page(client, url, data) -> str:
    """The page ``client`` gets back posting ``data`` to ``url``, checked to be a refusal."""
    response = client.post(url, data)
    assert response.status_code == 400
    return response.content.decode()


# -- How targets are written -------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "tolerance", "expected"),
    [
        (Decimal("95.00"), KpiUnit.PERCENTAGE, False, "95%"),
        (Decimal("100.00"), KpiUnit.PERCENTAGE, False, "100%"),
        (Decimal("92.50"), KpiUnit.PERCENTAGE, False, "92.5%"),
        (Decimal("5.00"), KpiUnit.PERCENTAGE, True, "5 percentage points"),
        (Decimal("1200.00"), KpiUnit.CURRENCY, False, "£1,200.00"),
        (Decimal("5.00"), KpiUnit.DAYS, False, "5 days"),
        (Decimal("1.00"), KpiUnit.DAYS, False, "1 day"),
        (Decimal("1200.00"), KpiUnit.COUNT, False, "1,200"),
        (Decimal("0.00"), KpiUnit.COUNT, False, "0"),
        (None, KpiUnit.COUNT, False, ""),
    ],
)
def test_amounts_are_written_with_their_unit(value, unit, tolerance, expected):
    assert format_amount(value, unit, tolerance=tolerance) == expected


# -- The performance menu: rules ---------------------------------------------------------


@pytest.mark.django_db
class TestPerformanceMenuServices:
    @pytest.fixture(autouse=True)
    def _people(self, make_user):
        self.pdm = make_user(role=Role.PDM)

    def test_create_records_who_and_why(self):
        definition = kpidefinition_create(
            actor=self.pdm, reason="Agreed at the performance board", **custom_fields()
        )
        record = definition.history.get()
        assert record.history_type == "+"
        assert record.history_user == self.pdm
        assert record.history_change_reason == "Agreed at the performance board"
        assert definition.is_active

    @pytest.mark.parametrize("role", [Role.CONTRACT_MANAGER, Role.ADMINISTRATOR])
    def test_contract_managers_and_administrators_manage_the_menu(self, make_user, role):
        kpidefinition_create(actor=make_user(role=role), **custom_fields())
        assert KpiDefinition.objects.count() == 1

    @pytest.mark.parametrize("role", [Role.SMG, Role.AUDITOR, Role.PROVIDER])
    def test_readers_cannot_add_to_the_menu(self, make_user, role):
        error = refused(kpidefinition_create, actor=make_user(role=role), **custom_fields())
        assert "permission to change the performance menu" in error.messages[0]
        assert not KpiDefinition.objects.exists()

    def test_percentage_target_over_100_is_refused(self):
        error = refused(
            kpidefinition_create, actor=self.pdm, **custom_fields(target=Decimal("101"))
        )
        assert error.message_dict == {"target": [PERCENT_RANGE]}
        assert not KpiDefinition.objects.exists()

    def test_negative_tolerance_is_refused(self):
        error = refused(
            kpidefinition_create, actor=self.pdm, **custom_fields(amber_tolerance=Decimal("-1"))
        )
        assert error.message_dict == {"amber_tolerance": [NEGATIVE_TOLERANCE]}
        assert not KpiDefinition.objects.exists()

    def test_duplicate_name_is_refused_whatever_its_case(self):
        KpiDefinitionFactory(name="Victim satisfaction")
        error = refused(
            kpidefinition_create, actor=self.pdm, **custom_fields(name="victim SATISFACTION")
        )
        assert error.message_dict["name"] == [
            "The performance menu already has an indicator called “victim SATISFACTION”."
        ]
        assert KpiDefinition.objects.count() == 1

    def test_missing_answers_are_named_field_by_field(self):
        error = refused(kpidefinition_create, actor=self.pdm, name="  ", target=None)
        assert error.message_dict == {
            "name": ["Enter the indicator's name."],
            "service_requirement": ["Enter the service requirement the indicator measures."],
            "unit": ["Select the unit the indicator is measured in."],
            "direction": ["Select whether a higher or a lower figure is better."],
            "target": ["Enter the target."],
            "measurement_method": ["Describe how the figure is measured."],
        }
        assert not KpiDefinition.objects.exists()

    def test_a_target_that_is_not_a_number_is_refused(self):
        error = refused(kpidefinition_create, actor=self.pdm, **custom_fields(target="ninety"))
        assert error.message_dict == {"target": ["Enter a number."]}

    def test_update_records_the_reason_and_leaves_contracts_alone(self, contract):
        definition = KpiDefinitionFactory(target=Decimal("85"))
        taken = ContractKpiFactory(
            contract=contract, definition=definition, unit=definition.unit, target=Decimal("85")
        )
        changed = kpidefinition_update(
            instance=definition,
            actor=self.pdm,
            reason="Raised after the annual review",
            target=Decimal("90"),
        )
        assert changed == ["target"]
        latest = definition.history.order_by("-history_id").first()
        assert latest.history_user == self.pdm
        assert latest.history_change_reason == "Raised after the annual review"
        taken.refresh_from_db()
        assert taken.target == Decimal("85")  # agreed with the provider; unchanged

    def test_update_needs_a_reason(self):
        definition = KpiDefinitionFactory()
        before = definition.history.count()
        error = refused(
            kpidefinition_update, instance=definition, actor=self.pdm, reason=" ", target=90
        )
        assert error.message_dict == {"change_reason": ["Give a reason for this change."]}
        assert definition.history.count() == before

    def test_update_refuses_a_percentage_target_over_100(self):
        definition = KpiDefinitionFactory(unit=KpiUnit.COUNT, target=Decimal("150"))
        error = refused(
            kpidefinition_update,
            instance=definition,
            actor=self.pdm,
            reason="Now a percentage",
            unit=KpiUnit.PERCENTAGE,
        )
        assert error.message_dict == {"target": [PERCENT_RANGE]}
        definition.refresh_from_db()
        assert definition.unit == KpiUnit.COUNT

    def test_update_may_keep_its_own_name_but_not_take_another(self):
        KpiDefinitionFactory(name="Repeat victimisation")
        definition = KpiDefinitionFactory(name="Victim satisfaction")
        assert (
            kpidefinition_update(
                instance=definition, actor=self.pdm, reason="Checked", name="Victim satisfaction"
            )
            == []
        )
        error = refused(
            kpidefinition_update,
            instance=definition,
            actor=self.pdm,
            reason="Renamed",
            name="Repeat victimisation",
        )
        assert "already has an indicator called" in error.message_dict["name"][0]


# -- Contract KPIs: rules ------------------------------------------------------------------


@pytest.mark.django_db
class TestContractKpiServices:
    def test_blank_answers_are_taken_from_the_menu(self, contract, officer):
        definition = KpiDefinitionFactory(
            name="Victim satisfaction",
            target=Decimal("85"),
            amber_tolerance=Decimal("5"),
            frequency=KpiFrequency.QUARTERLY,
            is_key_indicator=True,
        )
        kpi = contract_kpi_create(
            contract=contract,
            actor=officer,
            definition=definition,
            # As the add form sends them: every question but the target left blank.
            name="",
            service_requirement="",
            unit="",
            direction="",
            target=Decimal("80"),
            amber_tolerance=None,
            frequency="",
            measurement_method="",
            is_key_indicator=None,
        )
        kpi.refresh_from_db()
        assert kpi.definition == definition
        assert kpi.target == Decimal("80")
        for name in sorted(custom_fields().keys() - {"target"}):
            assert getattr(kpi, name) == getattr(definition, name), name
        assert kpi.is_active

    def test_a_no_answer_overrides_the_menu(self, contract, officer):
        definition = KpiDefinitionFactory(is_key_indicator=True)
        kpi = contract_kpi_create(
            contract=contract, actor=officer, definition=definition, is_key_indicator=False
        )
        assert kpi.is_key_indicator is False

    def test_history_names_who_and_the_menu_indicator(self, contract, officer):
        definition = KpiDefinitionFactory(name="Victim satisfaction")
        kpi = contract_kpi_create(contract=contract, actor=officer, definition=definition)
        record = kpi.history.get()
        assert record.history_user == officer
        assert record.history_change_reason == (
            "KPI added from the performance menu (Victim satisfaction)"
        )

    def test_custom_kpi_is_saved_with_the_reason_given(self, contract, officer):
        kpi = contract_kpi_create(
            contract=contract, actor=officer, reason="Agreed at mobilisation", **custom_fields()
        )
        assert kpi.definition is None
        assert kpi.is_key_indicator
        record = kpi.history.get()
        assert (record.history_user, record.history_change_reason) == (
            officer,
            "Agreed at mobilisation",
        )

    def test_custom_kpi_left_blank_is_refused_field_by_field(self, contract, officer):
        error = refused_kpi(
            contract, officer, definition=None, name="", target=None, is_key_indicator=None
        )
        assert set(error.message_dict) == {
            "name",
            "service_requirement",
            "unit",
            "direction",
            "target",
            "measurement_method",
        }
        assert error.message_dict["target"] == ["Enter the target."]
        assert not ContractKpi.objects.exists()

    def test_custom_kpi_takes_the_defaults_for_questions_that_have_one(self, contract, officer):
        fields = custom_fields(amber_tolerance=None, frequency="", is_key_indicator=None)
        kpi = contract_kpi_create(contract=contract, actor=officer, **fields)
        assert (kpi.amber_tolerance, kpi.frequency, kpi.is_key_indicator) == (
            Decimal(0),
            KpiFrequency.QUARTERLY,
            False,
        )

    def test_percentage_target_of_101_is_refused(self, contract, officer):
        error = refused_kpi(contract, officer, **custom_fields(target=Decimal("101")))
        assert error.message_dict == {"target": [PERCENT_RANGE]}
        assert not ContractKpi.objects.exists()

    def test_percentage_unit_from_the_menu_limits_a_typed_target(self, contract, officer):
        definition = KpiDefinitionFactory(unit=KpiUnit.PERCENTAGE)
        error = refused_kpi(contract, officer, definition=definition, target=Decimal("101"))
        assert error.message_dict == {"target": [PERCENT_RANGE]}
        assert not ContractKpi.objects.exists()

    def test_negative_tolerance_is_refused(self, contract, officer):
        error = refused_kpi(contract, officer, **custom_fields(amber_tolerance=Decimal("-0.5")))
        assert error.message_dict == {"amber_tolerance": [NEGATIVE_TOLERANCE]}
        assert not ContractKpi.objects.exists()

    def test_every_problem_is_reported_at_once(self, contract, officer):
        error = refused_kpi(
            contract, officer, **custom_fields(target=Decimal("101"), amber_tolerance=Decimal("-1"))
        )
        assert error.message_dict == {
            "target": [PERCENT_RANGE],
            "amber_tolerance": [NEGATIVE_TOLERANCE],
        }

    def test_duplicate_name_on_the_same_contract_is_refused(self, contract, officer):
        ContractKpiFactory(contract=contract, name="Victim satisfaction")
        definition = KpiDefinitionFactory(name="Victim satisfaction")
        error = refused_kpi(contract, officer, definition=definition)
        assert error.message_dict == {
            "name": [
                "This contract already has a KPI called “Victim satisfaction”. Give this one a "
                "different name, or change the existing KPI."
            ]
        }
        assert contract.kpis.count() == 1
        # A different name keeps the rest of the menu's definition.
        kpi = contract_kpi_create(
            contract=contract,
            actor=officer,
            definition=definition,
            name="Victim satisfaction (young people)",
        )
        assert kpi.measurement_method == definition.measurement_method

    def test_the_same_name_on_another_contract_is_allowed(self, contract, officer):
        ContractKpiFactory(name="Victim satisfaction")
        contract_kpi_create(
            contract=contract, actor=officer, **custom_fields(name="Victim satisfaction")
        )
        assert ContractKpi.objects.filter(name="Victim satisfaction").count() == 2

    def test_only_the_lead_or_deputy_officer_adds_kpis(self, contract, make_user):
        deputy = make_user(role=Role.CONTRACT_MANAGER)
        contract.deputy_officer = deputy
        contract.save()
        for outsider in (
            make_user(role=Role.CONTRACT_MANAGER),
            make_user(role=Role.SMG),
            make_user(role=Role.PROVIDER, organisation=contract.provider),
        ):
            error = refused_kpi(contract, outsider, **custom_fields())
            assert error.messages == [
                "Only the contract's lead or deputy officer can add or change its KPIs."
            ]
        assert not ContractKpi.objects.exists()
        contract_kpi_create(contract=contract, actor=deputy, **custom_fields())
        assert contract.kpis.count() == 1

    @pytest.mark.parametrize("status", [ContractStatus.ENDED, ContractStatus.TERMINATED])
    def test_no_kpis_are_added_to_a_contract_that_has_finished(self, officer, status):
        finished = ContractFactory(lead_officer=officer, status=status)
        error = refused_kpi(finished, officer, **custom_fields())
        assert error.messages[0].startswith(
            f"The contract is {ContractStatus(status).label.lower()}: its KPIs can be added"
        )
        assert not ContractKpi.objects.exists()

    @pytest.mark.parametrize("status", [ContractStatus.DRAFT, ContractStatus.IN_EXIT])
    def test_kpis_are_added_while_the_contract_is_set_up_or_in_exit(self, officer, status):
        running = ContractFactory(lead_officer=officer, status=status)
        contract_kpi_create(contract=running, actor=officer, **custom_fields())
        assert running.kpis.count() == 1

    def test_a_withdrawn_menu_indicator_cannot_be_chosen(self, contract, officer):
        withdrawn = KpiDefinitionFactory(is_active=False)
        error = refused_kpi(contract, officer, definition=withdrawn)
        assert "no longer offered for new contracts" in error.message_dict["definition"][0]
        assert not ContractKpi.objects.exists()

    def test_update_records_who_and_why(self, contract, officer):
        kpi = ContractKpiFactory(contract=contract)
        changed = contract_kpi_update(
            instance=kpi, actor=officer, reason="Agreed at the Q2 review", target=Decimal("4")
        )
        assert changed == ["target"]
        latest = kpi.history.order_by("-history_id").first()
        assert (latest.history_user, latest.history_change_reason) == (
            officer,
            "Agreed at the Q2 review",
        )

    def test_update_refuses_bad_values_and_saves_nothing(self, contract, officer):
        kpi = ContractKpiFactory(contract=contract, unit=KpiUnit.PERCENTAGE, target=Decimal(90))
        ContractKpiFactory(contract=contract, name="Taken")
        before = kpi.history.count()
        for fields, field in [
            ({"target": Decimal("101")}, "target"),
            ({"amber_tolerance": Decimal("-1")}, "amber_tolerance"),
            ({"name": "taken"}, "name"),
            ({"measurement_method": ""}, "measurement_method"),
        ]:
            error = refused(
                contract_kpi_update, instance=kpi, actor=officer, reason="Review", **fields
            )
            assert list(error.message_dict) == [field]
        assert kpi.history.count() == before

    def test_update_needs_a_reason_the_officer_and_a_running_contract(
        self, contract, officer, make_user
    ):
        kpi = ContractKpiFactory(contract=contract)
        error = refused(contract_kpi_update, instance=kpi, actor=officer, reason="", target=3)
        assert error.message_dict == {"change_reason": ["Give a reason for this change."]}
        error = refused(
            contract_kpi_update,
            instance=kpi,
            actor=make_user(role=Role.CONTRACT_MANAGER),
            reason="Review",
            target=3,
        )
        assert "lead or deputy officer" in error.messages[0]
        contract.status = ContractStatus.ENDED
        contract.save()
        error = refused(contract_kpi_update, instance=kpi, actor=officer, reason="Late", target=3)
        assert "The contract is ended" in error.messages[0]
        kpi.refresh_from_db()
        assert kpi.target == Decimal("5")


# -- The £5m rule ----------------------------------------------------------------------------


@pytest.mark.django_db
class TestKeyIndicatorRule:
    def test_the_kpi_tab_warns_as_the_contract_overview_does(self, officer):
        large = ContractFactory(lead_officer=officer, total_value=OVER_5M)
        ContractKpiFactory.create_batch(2, contract=large, is_key_indicator=True)
        summary = contract_kpi_summary(large)
        assert summary["key_indicators"] == 2
        assert summary["warnings"] == [key_indicator_warning(large, 2)]
        assert summary["warnings"][0] in contract_overview(large)["warnings"]

    def test_three_reported_key_indicators_satisfy_the_rule(self, officer):
        large = ContractFactory(lead_officer=officer, total_value=OVER_5M)
        ContractKpiFactory.create_batch(3, contract=large, is_key_indicator=True)
        assert contract_kpi_summary(large)["warnings"] == []
        assert not any("£5,000,000" in w for w in contract_overview(large)["warnings"])

    def test_key_indicators_no_longer_reported_do_not_count(self, officer):
        large = ContractFactory(lead_officer=officer, total_value=OVER_5M)
        ContractKpiFactory.create_batch(2, contract=large, is_key_indicator=True)
        ContractKpiFactory(contract=large, is_key_indicator=True, is_active=False)
        summary = contract_kpi_summary(large)
        assert summary["key_indicators"] == 2
        assert summary["warnings"]

    def test_contracts_up_to_5m_are_not_warned(self, officer):
        contract = ContractFactory(lead_officer=officer, total_value=Decimal("5000000"))
        assert contract_kpi_summary(contract)["warnings"] == []
        assert key_indicator_warning(contract, 0) is None


# -- Pages -------------------------------------------------------------------------------------

# The columns both exports give an indicator's measure, in order.
MEASURE_COLUMNS = ("Unit", "Direction", "Target", "Amber tolerance", "Frequency", "Key indicator")

MENU_CSV_HEADER = (
    "Name",
    "Service requirement",
    *MEASURE_COLUMNS,
    "Offered for new contracts",
    "Method of measurement",
)

KPI_CSV_HEADER = (
    "KPI",
    "Contract",
    "Contract title",
    "Provider",
    "Service requirement",
    *MEASURE_COLUMNS,
    "Reported",
    "From the performance menu",
)


def form_data(obj=None, **overrides) -> dict:
    """A full edit form for an indicator, as the browser posts it."""
    data = {
        "name": obj.name if obj else "Repeat victimisation",
        "service_requirement": obj.service_requirement if obj else "Fewer victims harmed again.",
        "unit": obj.unit if obj else KpiUnit.PERCENTAGE,
        "direction": obj.direction if obj else KpiDirection.LOWER,
        "target": str(obj.target) if obj else "10",
        "amber_tolerance": str(obj.amber_tolerance) if obj else "2",
        "frequency": obj.frequency if obj else KpiFrequency.QUARTERLY,
        "measurement_method": obj.measurement_method if obj else "Victims referred again.",
        "is_active": "on",
    }
    if obj is not None and obj.is_key_indicator:
        data["is_key_indicator"] = "on"
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


class TestKpiDefinitionViews(ModelViewTests):
    model = KpiDefinition
    list_url_name = "contracts:kpidefinition_list"
    detail_url_name = "contracts:kpidefinition_detail"
    tab_url_names = ("contracts:kpidefinition_history",)
    create_url_name = "contracts:kpidefinition_create"
    update_url_name = "contracts:kpidefinition_update"
    csv_header = MENU_CSV_HEADER

    def make(self, **kwargs):
        return KpiDefinitionFactory(**kwargs)

    def create_data(self):
        return form_data()

    def update_data(self, obj):
        return form_data(obj, target="75")

    def test_out_of_scope_records_are_hidden(self, make_user, login):
        """The performance menu is shared reference data: every role that may read it
        reads all of it, so no user is out of scope for an indicator. What a provider
        user must not do (write to the menu, or see other providers' contracts through
        it) is tested below instead."""
        definition = self.make()
        provider_user = make_user(role=Role.PROVIDER, organisation=OrganisationFactory())
        client = login(provider_user)
        listing = client.get(reverse(self.list_url_name)).content.decode()
        assert definition.name in listing

    def test_provider_users_read_the_menu_but_cannot_write_it(self, make_user, login):
        definition = self.make()
        client = login(make_user(role=Role.PROVIDER, organisation=OrganisationFactory()))
        for url in self.object_urls(definition)[:2]:
            assert client.get(url).status_code == 200, url
        page = client.get(reverse(self.list_url_name)).content.decode()
        assert "Add performance menu indicator" not in page
        before = KpiDefinition.history.count()
        assert client.get(self.create_url()).status_code == 403
        assert client.post(self.create_url(), self.create_data()).status_code == 403
        update = reverse(self.update_url_name, args=[definition.pk])
        assert client.get(update).status_code == 403
        data = {**self.update_data(definition), "change_reason": "Trying"}
        assert client.post(update, data).status_code == 403
        assert KpiDefinition.history.count() == before
        detail = client.get(reverse(self.detail_url_name, args=[definition.pk])).content.decode()
        assert "/edit/" not in detail

    @pytest.mark.parametrize("role", [Role.PDM, Role.ADMINISTRATOR])
    def test_pdm_and_administrators_add_to_the_menu(self, make_user, login, role):
        client = login(make_user(role=role))
        response = client.post(self.create_url(), self.create_data())
        assert response.status_code == 302
        assert KpiDefinition.objects.filter(name="Repeat victimisation").exists()

    def test_detail_lists_only_the_contracts_the_user_may_see(self, make_user, login):
        definition = self.make()
        own, other = OrganisationFactory(), OrganisationFactory()
        visible = ContractKpiFactory(
            contract=ContractFactory(provider=own), definition=definition, name="Own use"
        )
        hidden = ContractKpiFactory(
            contract=ContractFactory(provider=other), definition=definition, name="Other use"
        )
        url = reverse(self.detail_url_name, args=[definition.pk])
        page = login(make_user(role=Role.PROVIDER, organisation=own)).get(url).content.decode()
        assert visible.contract.reference in page
        assert hidden.contract.reference not in page
        page = login(make_user(role=Role.SMG)).get(url).content.decode()
        assert visible.contract.reference in page and hidden.contract.reference in page

    def test_detail_queries_do_not_grow_with_the_contracts_using_it(self, login):
        definition = self.make()
        client = login(self.writer)
        url = reverse(self.detail_url_name, args=[definition.pk])
        ContractKpiFactory(definition=definition)
        few = count_queries(client, url)
        ContractKpiFactory.create_batch(5, definition=definition)
        assert count_queries(client, url) == few

    def test_targets_are_listed_with_their_unit_and_exported_bare(self, login):
        self.make(name="Satisfaction", unit=KpiUnit.PERCENTAGE, target=Decimal("95"))
        self.make(name="Recovered costs", unit=KpiUnit.CURRENCY, target=Decimal("1200"))
        self.make(name="Days to contact", unit=KpiUnit.DAYS, target=Decimal("5"))
        client = login(self.writer)
        page = client.get(reverse(self.list_url_name)).content.decode()
        for text in ("95%", "£1,200.00", "5 days", "5 percentage points"):
            assert text in page
        export = client.get(reverse(self.list_url_name) + "?export=csv")
        rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode())))
        by_name = {row["Name"]: row for row in rows}
        assert by_name["Satisfaction"]["Target"] == "95.00"
        assert by_name["Satisfaction"]["Unit"] == "Percentage"

    def test_filters_narrow_the_menu(self, login):
        self.make(name="Satisfaction", unit=KpiUnit.PERCENTAGE, is_key_indicator=True)
        self.make(name="Days to contact", unit=KpiUnit.DAYS, frequency=KpiFrequency.MONTHLY)
        self.make(name="Retired measure", is_active=False)
        client = login(self.writer)
        url = reverse(self.list_url_name)

        def names(query):
            page = client.get(url + query).content.decode()
            found = {n for n in ("Satisfaction", "Days to contact", "Retired measure") if n in page}
            return found

        assert names("?unit=days") == {"Days to contact"}
        assert names("?frequency=monthly") == {"Days to contact"}
        assert names("?direction=lower") == set()
        assert names("?is_key_indicator=true") == {"Satisfaction"}
        assert names("?is_active=false") == {"Retired measure"}
        assert names("?q=contact") == {"Days to contact"}

    def test_duplicate_name_is_shown_beside_the_field(self, login):
        self.make(name="Repeat victimisation")
        page = refused_page(login(self.writer), self.create_url(), self.create_data())
        assert "already has an indicator" in page
        assert 'href="#id_name"' in page
        assert KpiDefinition.objects.count() == 1

    def test_percentage_target_over_100_is_shown_beside_the_field(self, login):
        page = refused_page(login(self.writer), self.create_url(), form_data(target="101"))
        assert PERCENT_RANGE in page
        assert not KpiDefinition.objects.exists()


class TestContractKpiViews(ContractRecordViews, ModelViewTests):
    model = ContractKpi
    list_url_name = "contracts:contractkpi_list"
    detail_url_name = "contracts:contractkpi_detail"
    tab_url_names = ("contracts:contractkpi_history",)
    update_url_name = "contracts:contractkpi_update"
    contract_create_url_name = "contracts:contractkpi_create"
    csv_header = KPI_CSV_HEADER

    def make(self, **kwargs):
        kwargs.setdefault("contract", self.contract)
        return ContractKpiFactory(**kwargs)

    def make_many(self, count):
        # Each on a contract, provider and menu indicator of its own, so a missing
        # select_related shows as a query per row.
        for _ in range(count):
            self.make(
                contract=ContractFactory(lead_officer=self.writer),
                definition=KpiDefinitionFactory(),
            )

    def list_text(self, obj):
        return obj.name

    def create_data(self):
        definition = KpiDefinition.objects.filter(
            name="Victim satisfaction"
        ).first() or KpiDefinitionFactory(name="Victim satisfaction")
        return {"definition": definition.pk, "target": "80"}

    def update_data(self, obj):
        return form_data(obj, target="4")

    def tab(self, contract=None):
        return reverse("contracts:contract_kpis", args=[(contract or self.contract).pk])

    # -- adding ----------------------------------------------------------------------------
    def test_add_from_the_menu_changing_only_the_target(self, login):
        definition = KpiDefinitionFactory(
            name="Victim satisfaction", target=Decimal("85"), is_key_indicator=True
        )
        client = login(self.writer)
        response = client.post(
            self.create_url(), {"definition": definition.pk, "target": "80", "frequency": ""}
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        kpi = self.contract.kpis.get()
        assert (kpi.name, kpi.target, kpi.is_key_indicator) == (
            "Victim satisfaction",
            Decimal("80"),
            True,
        )
        assert kpi.frequency == definition.frequency
        assert response["Location"] == kpi.get_absolute_url()

    def test_add_form_offers_only_indicators_still_on_the_menu(self, login):
        KpiDefinitionFactory(name="Offered indicator")
        KpiDefinitionFactory(name="Withdrawn indicator", is_active=False)
        page = login(self.writer).get(self.create_url()).content.decode()
        assert "Offered indicator (target 85%, quarterly)" in page
        assert "Withdrawn indicator" not in page

    def test_add_form_leaves_every_answer_blank(self, login):
        page = login(self.writer).get(self.create_url()).content.decode()
        assert 'name="amber_tolerance" value=' not in page  # not the model's 0
        assert "As on the performance menu" in page

    def test_custom_kpi_missing_answers_are_shown_beside_each_field(self, login):
        page = refused_page(login(self.writer), self.create_url(), {"name": "Something new"})
        for message, anchor in [
            ("Enter the service requirement the indicator measures.", "id_service_requirement"),
            ("Select the unit the indicator is measured in.", "id_unit"),
            ("Enter the target.", "id_target"),
            ("Describe how the figure is measured.", "id_measurement_method"),
        ]:
            assert message in page
            assert f'href="#{anchor}"' in page
        assert not ContractKpi.objects.exists()

    def test_percentage_target_over_100_is_refused_on_the_page(self, login):
        definition = KpiDefinitionFactory(unit=KpiUnit.PERCENTAGE)
        data = {"definition": definition.pk, "target": "101"}
        assert PERCENT_RANGE in refused_page(login(self.writer), self.create_url(), data)
        assert not ContractKpi.objects.exists()

    def test_negative_tolerance_is_refused_on_the_page(self, login):
        definition = KpiDefinitionFactory()
        data = {"definition": definition.pk, "amber_tolerance": "-1"}
        assert NEGATIVE_TOLERANCE in refused_page(login(self.writer), self.create_url(), data)
        assert not ContractKpi.objects.exists()

    def test_duplicate_name_is_refused_on_the_page(self, login):
        self.make(name="Victim satisfaction")
        page = refused_page(login(self.writer), self.create_url(), self.create_data())
        assert "already has a KPI called" in page
        assert self.contract.kpis.count() == 1

    def test_other_contract_managers_cannot_reach_the_forms(self, make_user, login):
        kpi = self.make()
        client = login(make_user(role=Role.CONTRACT_MANAGER))
        assert client.get(self.create_url()).status_code == 404
        assert client.post(self.create_url(), self.create_data()).status_code == 404
        update = reverse(self.update_url_name, args=[kpi.pk])
        assert client.get(update).status_code == 404
        assert client.get(self.tab()).status_code == 200
        assert "Add a KPI" not in client.get(self.tab()).content.decode()
        assert ContractKpi.objects.count() == 1

    def test_a_finished_contract_offers_no_add_or_edit_and_refuses_both(self, login):
        kpi = self.make()
        self.contract.status = ContractStatus.ENDED
        self.contract.save()
        client = login(self.writer)
        assert "Add a KPI" not in client.get(self.tab()).content.decode()
        detail = client.get(reverse(self.detail_url_name, args=[kpi.pk])).content.decode()
        assert reverse(self.update_url_name, args=[kpi.pk]) not in detail
        response = client.post(
            reverse(self.update_url_name, args=[kpi.pk]),
            {**self.update_data(kpi), "change_reason": "Late change"},
        )
        assert response.status_code == 400
        assert "The contract is ended" in response.content.decode()
        response = client.post(self.create_url(), self.create_data())
        assert response.status_code == 400
        assert not ContractKpi.objects.exclude(pk=kpi.pk).exists()

    # -- the contract's KPI tab ---------------------------------------------------------------
    def test_tab_lists_kpis_with_targets_in_their_units(self, login):
        self.make(name="Victim satisfaction", unit=KpiUnit.PERCENTAGE, target=Decimal("95"))
        self.make(name="Days to first contact", unit=KpiUnit.DAYS, target=Decimal("5"))
        self.make(name="Costs recovered", unit=KpiUnit.CURRENCY, target=Decimal("1200"))
        self.make(name="Dropped measure", is_key_indicator=True, is_active=False)
        self.make(name="Published measure", is_key_indicator=True)
        response = login(self.writer).get(self.tab())
        assert response.status_code == 200
        page = response.content.decode()
        for text in ("Victim satisfaction", "95%", "5 days", "£1,200.00", "Key indicator"):
            assert text in page
        assert "publishes <strong>1</strong> key performance indicator." in page
        assert "Not reported" in page
        assert reverse("contracts:contractkpi_create", args=[self.contract.pk]) in page

    def test_tab_queries_do_not_grow_with_kpis(self, login):
        client = login(self.writer)
        self.make(definition=KpiDefinitionFactory())
        few = count_queries(client, self.tab())
        for _ in range(8):
            self.make(definition=KpiDefinitionFactory(), is_key_indicator=True)
        assert count_queries(client, self.tab()) == few

    def test_providers_see_only_their_own_contracts_tab(self, make_user, login):
        self.make(name="Victim satisfaction")
        own = login(make_user(role=Role.PROVIDER, organisation=self.contract.provider))
        page = own.get(self.tab()).content.decode()
        assert "Victim satisfaction" in page
        assert "Add a KPI" not in page
        other = login(make_user(role=Role.PROVIDER, organisation=OrganisationFactory()))
        assert other.get(self.tab()).status_code == 404

    def test_large_contract_with_too_few_key_indicators_is_warned(self, login):
        self.contract.total_value = OVER_5M
        self.contract.save()
        self.make(is_key_indicator=True)
        client = login(self.writer)
        warning = "worth more than £5,000,000 but publishes 1 key performance indicator"
        assert warning in client.get(self.tab()).content.decode()
        overview = client.get(reverse("contracts:contract_detail", args=[self.contract.pk]))
        assert overview.status_code == 200
        assert warning in overview.content.decode()

    def test_large_contract_with_three_key_indicators_is_not_warned(self, login):
        self.contract.total_value = OVER_5M
        self.contract.save()
        for _ in range(3):
            self.make(is_key_indicator=True)
        client = login(self.writer)
        assert "worth more than £5,000,000" not in client.get(self.tab()).content.decode()
        overview = client.get(reverse("contracts:contract_detail", args=[self.contract.pk]))
        assert overview.status_code == 200
        assert "worth more than £5,000,000" not in overview.content.decode()

    def test_contract_up_to_5m_is_not_warned(self, login):
        assert self.contract.total_value <= Decimal("5000000")
        page = login(self.writer).get(self.tab()).content.decode()
        assert "worth more than £5,000,000" not in page
        assert 'data-testid="kpi-warning"' not in page

    # -- the portfolio list ------------------------------------------------------------------
    def test_filters_narrow_the_portfolio(self, make_user, login):
        other_contract = ContractFactory()
        self.make(name="Satisfaction", unit=KpiUnit.PERCENTAGE, is_key_indicator=True)
        self.make(name="Days to contact", unit=KpiUnit.DAYS, frequency=KpiFrequency.QUARTERLY)
        ContractKpiFactory(contract=other_contract, name="Elsewhere")
        client = login(make_user(role=Role.AUDITOR))
        url = reverse(self.list_url_name)

        def names(query):
            page = client.get(url + query).content.decode()
            return {n for n in ("Satisfaction", "Days to contact", "Elsewhere") if n in page}

        assert names("") == {"Satisfaction", "Days to contact", "Elsewhere"}
        assert names(f"?contract={other_contract.reference}") == {"Elsewhere"}
        assert names(f"?provider={self.contract.provider.name}") == {
            "Satisfaction",
            "Days to contact",
        }
        assert names("?unit=percentage") == {"Satisfaction"}
        assert names("?is_key_indicator=true") == {"Satisfaction"}
        assert names("?frequency=quarterly") == {"Days to contact"}
        assert names(f"?q={other_contract.reference}") == {"Elsewhere"}
