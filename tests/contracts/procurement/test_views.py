"""The notices register, each notice's page and steps, and a contract's Procurement tab:
the shared permission tests, then what each page does."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from contracts.procurement.choices import ExemptionStatus, NoticeKind, NoticeStatus, Regime
from contracts.procurement.models import KpiDutyExemption, Notice
from contracts.procurement.services import notice_transition
from contracts.register.choices import VariationStatus
from contracts.register.models.contracts import Variation
from contracts.register.services import contracts as contract_services
from governance.core.roles import Role
from tests.contracts.procurement.factories import (
    ContractProcurementFactory,
    NoticeFactory,
    act_contract,
    publish_notice,
)
from tests.contracts.register.factories import ContractFactory, OrganisationFactory
from tests.view_cases import ActionPage, ActionPageTests, ModelViewTests, form_errors

NOW = datetime.datetime(2026, 12, 4, 10, 0)


class TestNoticePages(ModelViewTests):
    model = Notice
    list_url_name = "contracts:notice_list"
    detail_url_name = "contracts:notice_detail"
    tab_url_names = ("contracts:notice_history",)
    csv_header = (
        "Notice",
        "Find a Tender code",
        "Contract",
        "Contract title",
        "Due by",
        "Due by: missed or due",
        "Status",
        "Find a Tender identifier",
        "Published",
        "Period from",
        "Period to",
        "Why not required",
    )

    def make(self, **kwargs):
        contract = act_contract(lead_officer=self.writer)
        return NoticeFactory(contract=contract, **kwargs)

    def list_text(self, obj):
        return obj.contract.reference

    def out_of_scope(self, make_user):
        hidden = self.make()
        provider = make_user(Role.PROVIDER, organisation=OrganisationFactory())
        return provider, hidden


def test_providers_see_their_own_contracts_notices(make_user, login):
    notice = NoticeFactory()
    provider = make_user(Role.PROVIDER, organisation=notice.contract.provider)
    client = login(provider)
    assert (
        notice.contract.reference in client.get(reverse("contracts:notice_list")).content.decode()
    )
    assert client.get(reverse("contracts:notice_detail", args=[notice.pk])).status_code == 200
    page = client.get(reverse("contracts:contract_procurement", args=[notice.contract.pk]))
    assert page.status_code == 200
    # Provider staff never take a step.
    url = reverse("contracts:notice_step", args=[notice.pk, NoticeStatus.DRAFTED])
    assert client.get(url).status_code == 403


@pytest.fixture
def team(make_user):
    lead = make_user(Role.CONTRACT_MANAGER)
    return {
        "lead": lead,
        "other_manager": make_user(Role.CONTRACT_MANAGER),
        "smg": make_user(Role.SMG),
        "auditor": make_user(Role.AUDITOR),
        "contract": act_contract(lead_officer=lead),
    }


class TestNoticeStepPages(ActionPageTests):
    def action_pages(self, make_user):
        lead = make_user(Role.CONTRACT_MANAGER)
        smg = make_user(Role.SMG)
        contract = act_contract(lead_officer=lead)
        due = NoticeFactory(contract=contract)
        drafted = NoticeFactory(contract=contract)
        notice_transition(notice=drafted, to=NoticeStatus.DRAFTED, actor=lead, summary="Text")
        others = {
            "auditor": make_user(Role.AUDITOR),
            "another contract manager": make_user(Role.CONTRACT_MANAGER),
            "provider": make_user(Role.PROVIDER, organisation=contract.provider),
        }

        def step(notice, to):
            return reverse("contracts:notice_step", args=[notice.pk, to])

        return {
            "draft": ActionPage(step(due, NoticeStatus.DRAFTED), due, lead, {**others, "SMG": smg}),
            "approve": ActionPage(
                step(drafted, NoticeStatus.APPROVED), drafted, smg, {**others, "lead": lead}
            ),
            "not required": ActionPage(
                step(due, NoticeStatus.NOT_REQUIRED), due, lead, {**others, "SMG": smg}
            ),
        }


@time_machine.travel(NOW, tick=False)
def test_a_notice_is_drafted_approved_and_published_through_its_pages(team, login):
    notice = NoticeFactory(contract=team["contract"], due_on=datetime.date(2026, 12, 10))
    lead = login(team["lead"])
    url = reverse("contracts:notice_step", args=[notice.pk, NoticeStatus.DRAFTED])
    response = lead.post(url, {"summary": "Contract for victim support, three KPIs."})
    assert response.status_code == 302, form_errors(response)
    smg = login(team["smg"])
    page = smg.get(reverse("contracts:notice_detail", args=[notice.pk])).content.decode()
    assert 'data-testid="step-approved"' in page
    response = smg.post(reverse("contracts:notice_step", args=[notice.pk, NoticeStatus.APPROVED]))
    assert response.status_code == 302, form_errors(response)
    lead = login(team["lead"])
    url = reverse("contracts:notice_step", args=[notice.pk, NoticeStatus.PUBLISHED])
    response = lead.post(
        url,
        {
            "fts_identifier": "2026/S 000-098765",
            "published_on_day": "4",
            "published_on_month": "12",
            "published_on_year": "2026",
        },
    )
    assert response.status_code == 302, form_errors(response)
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.PUBLISHED
    assert notice.fts_identifier == "2026/S 000-098765"


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"published_on_day": "4", "published_on_month": "12", "published_on_year": "2026"},
            "Enter the notice identifier Find a Tender gave the published notice.",
        ),
        ({"fts_identifier": "2026/S 000-1"}, "Enter the date the notice was published."),
        (
            {
                "fts_identifier": "2026/S 000-1",
                "published_on_day": "5",
                "published_on_month": "12",
                "published_on_year": "2026",
            },
            "The date published cannot be in the future.",
        ),
    ],
)
def test_published_without_identifier_or_date_is_refused_beside_the_field(
    team, login, data, message
):
    notice = NoticeFactory(contract=team["contract"])
    notice_transition(notice=notice, to=NoticeStatus.DRAFTED, actor=team["lead"], summary="x")
    notice_transition(notice=notice, to=NoticeStatus.APPROVED, actor=team["smg"])
    before = notice.history.count()
    client = login(team["lead"])
    url = reverse("contracts:notice_step", args=[notice.pk, NoticeStatus.PUBLISHED])
    response = client.post(url, data)
    assert response.status_code == 400
    assert f"Error: {message}" in form_errors(response)
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.APPROVED
    assert notice.history.count() == before


def test_the_drafter_is_told_someone_else_must_approve(team, login):
    smg_lead = team["smg"]
    smg_lead.groups.add(*team["lead"].groups.all())
    contract = act_contract(lead_officer=smg_lead)
    notice = NoticeFactory(contract=contract)
    notice_transition(notice=notice, to=NoticeStatus.DRAFTED, actor=smg_lead, summary="x")
    page = login(smg_lead).get(reverse("contracts:notice_detail", args=[notice.pk]))
    text = page.content.decode()
    assert 'data-testid="approval-note"' in text
    assert 'data-testid="step-approved"' not in text


def test_the_register_filters_and_the_tab_lists_the_contracts_notices(team, login):
    contract = team["contract"]
    mine = NoticeFactory(contract=contract, kind=NoticeKind.CHANGE)
    other = NoticeFactory(kind=NoticeKind.TERMINATION)
    client = login(team["auditor"])
    listed = client.get(reverse("contracts:notice_list") + "?kind=uk10").content.decode()
    assert mine.contract.reference in listed
    assert other.contract.reference not in listed
    tab = client.get(reverse("contracts:contract_procurement", args=[contract.pk]))
    assert tab.status_code == 200
    assert reverse("contracts:notice_detail", args=[mine.pk]) in tab.content.decode()
    assert reverse("contracts:notice_detail", args=[other.pk]) not in tab.content.decode()


def test_the_register_explains_the_figures_it_uses(team, login, settings):
    settings.PROCUREMENT_KPI_DUTY_THRESHOLD = 7_000_000
    page = login(team["auditor"]).get(reverse("contracts:notice_list")).content.decode()
    assert "About these notices" in page
    assert "7000000" in page


def test_procurement_tab_queries_do_not_grow_with_notices(team, login):
    from tests.view_cases import count_queries

    contract = team["contract"]
    client = login(team["lead"])
    url = reverse("contracts:contract_procurement", args=[contract.pk])
    NoticeFactory(contract=contract)
    count_queries(client, url)
    before = count_queries(client, url)
    for _ in range(5):
        NoticeFactory(contract=contract)
    assert count_queries(client, url) == before


# -- The contract registration form ------------------------------------------------------


def _registration(contract_data: dict, **procurement) -> dict:
    return {**contract_data, **procurement}


@pytest.fixture
def register_data(team):
    provider = OrganisationFactory()
    from tests.contracts.register.factories import ContactFactory

    contact = ContactFactory(organisation=provider)
    from contracts.register.models.contracts import ServiceArea

    area = ServiceArea.objects.get_or_create(name="Victims' services")[0]
    return {
        "reference": "NPCC-2026-900",
        "title": "Victim support",
        "provider": provider.pk,
        "service_area": area.pk,
        "scope": "Support for victims of crime.",
        "total_value": "6000000",
        "annual_value": "2000000",
        "start_date_day": "1",
        "start_date_month": "4",
        "start_date_year": "2026",
        "initial_end_date_day": "31",
        "initial_end_date_month": "3",
        "initial_end_date_year": "2029",
        "tier": "gold",
        "lead_officer": team["lead"].pk,
        "provider_contract_manager": contact.pk,
        "kind": "services",
    }


@time_machine.travel(NOW, tick=False)
def test_registering_a_contract_under_the_act(team, login, register_data):
    data = {
        **register_data,
        "regime": Regime.ACT_2023,
        "procurement_started_on_day": "3",
        "procurement_started_on_month": "3",
        "procurement_started_on_year": "2025",
        "framework": "on",
    }
    response = login(team["lead"]).post(reverse("contracts:contract_create"), data)
    assert response.status_code == 302, form_errors(response)
    contract = ContractFactory._meta.model.objects.get(reference="NPCC-2026-900")
    assert contract.procurement.regime == Regime.ACT_2023
    assert contract.procurement.framework is True
    assert contract.procurement.history.get().history_user == team["lead"]


@time_machine.travel(NOW, tick=False)
def test_a_procurement_started_before_the_act_is_refused_and_nothing_saved(
    team, login, register_data
):
    data = {
        **register_data,
        "regime": Regime.ACT_2023,
        "procurement_started_on_day": "23",
        "procurement_started_on_month": "2",
        "procurement_started_on_year": "2025",
    }
    response = login(team["lead"]).post(reverse("contracts:contract_create"), data)
    assert response.status_code == 400
    assert any("stays under the earlier regime" in e for e in form_errors(response)), form_errors(
        response
    )
    assert not ContractFactory._meta.model.objects.filter(reference="NPCC-2026-900").exists()


@time_machine.travel(NOW, tick=False)
def test_the_edit_form_shows_and_changes_the_regime(team, login):
    contract = team["contract"]
    client = login(team["lead"])
    url = reverse("contracts:contract_update", args=[contract.pk])
    page = client.get(url).content.decode()
    checked = re.search(r'value="act_2023"[^>]*checked', page)
    assert checked, "the current regime is selected"


# -- KPI exemption and change notice pages -----------------------------------------------


def test_kpi_exemption_is_asked_for_and_recorded_by_another_smg_member(team, login, make_user):
    contract = act_contract(lead_officer=team["lead"], total_value=6_000_000)
    client = login(team["lead"])
    url = reverse("contracts:kpidutyexemption_create", args=[contract.pk])
    response = client.post(url, {"reason": "An emergency award under a framework call-off."})
    assert response.status_code == 302, form_errors(response)
    exemption = KpiDutyExemption.objects.get(contract=contract)
    smg = login(team["smg"])
    url = reverse("contracts:kpidutyexemption_decide", args=[exemption.pk, "record"])
    assert smg.post(url, {"notes": ""}).status_code == 302
    exemption.refresh_from_db()
    assert exemption.status == ExemptionStatus.APPROVED
    assert exemption.decided_by == team["smg"]


def test_a_change_notice_on_an_earlier_regime_contract_is_refused(team, login):
    contract = ContractFactory(lead_officer=team["lead"])
    ContractProcurementFactory(contract=contract, regime=Regime.EARLIER)
    variation = Variation.objects.create(
        contract=contract,
        number=1,
        summary="More hours",
        justification="Demand",
        requested_by="commissioner",
        new_total_value=contract.total_value * 2,
        status=VariationStatus.APPROVED,
        proposed_by=team["other_manager"],
    )
    client = login(team["lead"])
    response = client.post(reverse("contracts:changenotice_record", args=[variation.pk]), {})
    assert response.status_code == 400
    assert "earlier regime" in response.content.decode()
    assert not Notice.objects.filter(contract=contract).exists()


@time_machine.travel(datetime.datetime(2026, 12, 4, 10, 0), tick=False)
def test_a_variation_waiting_for_its_change_notice_says_so(team, login):
    contract = team["contract"]
    before = contract.total_value
    variation = contract_services.variation_propose(
        contract=contract,
        actor=team["lead"],
        summary="Double the outreach team",
        justification="Referrals have doubled.",
        requested_by="commissioner",
        new_total_value=before * 2,
    )
    smg = login(team["smg"])
    response = smg.post(
        reverse("contracts:variation_decide", args=[variation.pk, "approve"]),
        {"notes": ""},
        follow=True,
    )
    page = response.content.decode()
    assert "The contract&#x27;s terms change once nothing holds it back" in page
    assert 'data-testid="variation-holds"' in page
    assert "Not yet in effect" in page
    assert "change notice (UK10) is published on Find a Tender" in page
    assert 'data-testid="took-effect"' not in page
    assert 'data-testid="cumulative-change"' not in page
    contract.refresh_from_db()
    assert contract.total_value == before
    assert f"(now {before:,.2f}" in page.replace("£", "")

    notice = Notice.objects.get(contract=contract, kind=NoticeKind.CHANGE)
    publish_notice(
        notice, author=team["lead"], approver=team["smg"], published_on=datetime.date(2026, 12, 4)
    )
    page = smg.get(reverse("contracts:variation_detail", args=[variation.pk])).content.decode()
    assert 'data-testid="variation-holds"' not in page
    assert "Not yet in effect" not in page
    assert 'data-testid="took-effect"' in page
    assert 'data-testid="cumulative-change"' in page
    contract.refresh_from_db()
    assert contract.total_value == before * 2
