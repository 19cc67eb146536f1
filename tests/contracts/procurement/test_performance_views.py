"""Pages of contract performance: the shared permission, history, export and query-count
tests for assessments and for breaches; the step pages refused to whoever could never
take the step; the contract's tab; the list's overdue filter."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from contracts.procurement.choices import Regime
from contracts.procurement.performance.choices import AssessmentStatus, FailureStatus
from contracts.procurement.performance.models import PerformanceAssessment, PerformanceFailure
from governance.core.roles import Role
from tests.checks import date_data
from tests.contracts.procurement.factories import act_contract
from tests.contracts.procurement.performance_factories import (
    AssessmentFactory,
    FailureFactory,
    published_kpi,
)
from tests.view_cases import (
    ActionPage,
    ActionPageTests,
    ModelViewTests,
    count_queries,
    form_errors,
)

D = datetime.date
LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 11, tzinfo=LONDON), tick=False):
        yield


def other_provider_user(make_user):
    """Provider staff of another organisation: they use these pages, not this record."""
    other = act_contract()
    return make_user(role=Role.PROVIDER, organisation=other.provider)


class TestAssessmentPages(ModelViewTests):
    model = PerformanceAssessment
    list_url_name = "contracts:performanceassessment_list"
    detail_url_name = "contracts:performanceassessment_detail"
    tab_url_names = ("contracts:performanceassessment_history",)
    update_url_name = "contracts:performanceassessment_update"
    csv_header = (
        "Indicator",
        "Contract",
        "Provider",
        "Period from",
        "Period to",
        "Occasion",
        "Due by",
        "Due by: missed or due",
        "Status",
        "Rating",
        "Suggested rating",
        "Suggestion rests on",
        "Explanation",
        "Rated by",
        "Approved by",
        "Approved on",
    )

    def make(self, **kwargs):
        contract = act_contract(lead_officer=self.writer)
        return AssessmentFactory(contract=contract, kpi=published_kpi(contract), **kwargs)

    def list_text(self, obj):
        return obj.kpi.name

    def create_url(self):
        contract = act_contract(lead_officer=self.writer)
        self.created_kpi = published_kpi(contract)
        return reverse("contracts:performanceassessment_create", args=[contract.pk])

    def create_data(self):
        return {
            "kpi": self.created_kpi.pk,
            **date_data("period_start", D(2025, 4, 1)),
            **date_data("period_end", D(2026, 3, 31)),
            "rating": "good",
            "explanation": "",
            "change_reason": "",
        }

    def update_data(self, obj):
        return {
            **date_data("period_start", obj.period_start),
            **date_data("period_end", obj.period_end),
            "rating": "approaching_target",
            "explanation": "Two amber quarters in the winter.",
        }

    def out_of_scope(self, make_user):
        # Provider staff see their own contracts' approved assessments only.
        hidden = self.make()
        return make_user(role=Role.PROVIDER, organisation=hidden.contract.provider), hidden


class TestFailurePages(ModelViewTests):
    model = PerformanceFailure
    list_url_name = "contracts:performancefailure_list"
    detail_url_name = "contracts:performancefailure_detail"
    tab_url_names = ("contracts:performancefailure_history",)
    update_url_name = "contracts:performancefailure_update"

    def make(self, **kwargs):
        return FailureFactory(contract=act_contract(lead_officer=self.writer), **kwargs)

    def list_text(self, obj):
        return obj.requirement

    def make_many(self, count):
        for number in range(count):
            self.make(requirement=f"Requirement {number}")

    def create_url(self):
        contract = act_contract(lead_officer=self.writer)
        return reverse("contracts:performancefailure_create", args=[contract.pk])

    def create_data(self):
        return {
            "kind": "poor_performance",
            "requirement": "Monthly case reviews",
            "description": "Reviews stopped in January and did not restart after the warning.",
            **date_data("improvement_notice_on", D(2026, 2, 2)),
            "change_reason": "",
        }

    def update_data(self, obj):
        return {
            "kind": obj.kind,
            "requirement": obj.requirement,
            "description": "Corrected: unanswered for four weeks.",
            "consequence": obj.consequence,
            **date_data("consequence_on", obj.consequence_on),
            "penalty_type": "contracted",
            "penalty_value": "12,500",
        }

    def out_of_scope(self, make_user):
        hidden = self.make()
        return make_user(role=Role.PROVIDER, organisation=hidden.contract.provider), hidden


@pytest.mark.django_db
class TestSteps(ActionPageTests):
    def action_pages(self, make_user):
        officer = make_user(role=Role.CONTRACT_MANAGER)
        smg = make_user(role=Role.SMG)
        contract = act_contract(lead_officer=officer)
        due = AssessmentFactory(contract=contract, kpi=published_kpi(contract), rating="good")
        submitted = AssessmentFactory(
            contract=contract,
            kpi=published_kpi(contract),
            rating="good",
            status=AssessmentStatus.SUBMITTED,
            assessed_by=officer,
        )
        failure = FailureFactory(contract=contract, proposed_by=officer)
        outsiders = {
            "another manager": make_user(role=Role.CONTRACT_MANAGER),
            "auditor": make_user(role=Role.AUDITOR),
            "pdm": make_user(role=Role.PDM),
        }

        def step(obj, slug):
            return reverse("contracts:performanceassessment_step", args=[obj.pk, slug])

        def decide(slug):
            return reverse("contracts:performancefailure_decide", args=[failure.pk, slug])

        return {
            "submit": ActionPage(step(due, "submit"), due, officer, {**outsiders, "smg": smg}),
            "cancel": ActionPage(step(due, "cancel"), due, officer, {**outsiders, "smg": smg}),
            "approve": ActionPage(
                step(submitted, "approve"), submitted, smg, {**outsiders, "officer": officer}
            ),
            "return": ActionPage(
                step(submitted, "return"), submitted, smg, {**outsiders, "officer": officer}
            ),
            "record": ActionPage(decide("record"), failure, smg, {**outsiders, "officer": officer}),
            "decline": ActionPage(
                decide("decline"), failure, smg, {**outsiders, "officer": officer}
            ),
        }


@pytest.mark.django_db
class TestJourney:
    def test_rate_send_approve_and_the_notice_is_shown(self, make_user, login):
        officer, smg = make_user(role=Role.CONTRACT_MANAGER), make_user(role=Role.SMG)
        contract = act_contract(lead_officer=officer)
        assessment = AssessmentFactory(contract=contract, kpi=published_kpi(contract))
        client = login(officer)
        page = client.get(assessment.get_absolute_url()).content.decode()
        assert "Rate it" in page and "Send for approval" in page
        versions = assessment.history.count()
        response = client.post(
            reverse("contracts:performanceassessment_update", args=[assessment.pk]),
            {
                **date_data("period_start", assessment.period_start),
                **date_data("period_end", assessment.period_end),
                "rating": "superb",
                "explanation": "",
                "change_reason": "Rated",
            },
        )
        assert response.status_code == 400
        assert form_errors(response) == [
            "Error: Choose Good, Approaching target, Requires improvement, Inadequate or Other."
        ]
        assessment.refresh_from_db()
        assert assessment.rating == ""
        assert assessment.history.count() == versions  # nothing saved
        response = client.post(
            reverse("contracts:performanceassessment_update", args=[assessment.pk]),
            {
                **date_data("period_start", assessment.period_start),
                **date_data("period_end", assessment.period_end),
                "rating": "other",
                "explanation": "The indicator was redefined in the autumn.",
                "change_reason": "Rated",
            },
        )
        assert response.status_code == 302, form_errors(response)
        response = client.post(
            reverse("contracts:performanceassessment_step", args=[assessment.pk, "submit"]), {}
        )
        assert response.status_code == 302, form_errors(response)
        client = login(smg)
        approve = reverse("contracts:performanceassessment_step", args=[assessment.pk, "approve"])
        page = client.get(approve).content.decode()
        # The deadline runs from the day it was rated and sent, whenever SMG approves.
        assert "rated on 15 June 2026" in page and "so by 15 July 2026" in page
        response = client.post(approve, {"notes": "Agreed at SMG"})
        assert response.status_code == 302, form_errors(response)
        page = client.get(assessment.get_absolute_url()).content.decode()
        assert "Due" in page and "15 July 2026" in page  # rated 15 June: due in 30 days

    def test_the_contract_tab_lists_assessments_and_explains_the_rule(self, make_user, login):
        officer = make_user(role=Role.CONTRACT_MANAGER)
        contract = act_contract(lead_officer=officer)
        assessment = AssessmentFactory(contract=contract, kpi=published_kpi(contract))
        FailureFactory(contract=contract, proposed_by=officer, status=FailureStatus.PROPOSED)
        page = (
            login(officer)
            .get(reverse("contracts:contract_performance", args=[contract.pk]))
            .content.decode()
        )
        assert assessment.kpi.name in page
        assert "Missed" in page  # due on 31 March 2026, still to be assessed
        assert "Start an assessment" in page
        assert "Requires improvement when some, but no more than half, are red" in page

    def test_the_tab_says_an_earlier_regime_contract_owes_nothing(self, make_user, login):
        officer = make_user(role=Role.CONTRACT_MANAGER)
        contract = act_contract(lead_officer=officer, procurement__regime=Regime.EARLIER)
        page = (
            login(officer)
            .get(reverse("contracts:contract_performance", args=[contract.pk]))
            .content.decode()
        )
        assert 'data-testid="no-duty"' in page
        assert "Start an assessment" not in page

    def test_the_list_filters_overdue_assessments(self, make_user, login):
        contract = act_contract()
        late = AssessmentFactory(contract=contract, kpi=published_kpi(contract, name="Late one"))
        AssessmentFactory(
            contract=contract,
            kpi=published_kpi(contract, name="Future one"),
            period_end=D(2026, 12, 31),
            due_on=D(2026, 12, 31),
        )
        page = (
            login(make_user(role=Role.AUDITOR))
            .get(reverse("contracts:performanceassessment_list") + "?overdue=on")
            .content.decode()
        )
        assert late.kpi.name in page
        assert "Future one" not in page

    def test_providers_see_approved_assessments_of_their_own_contracts(self, make_user, login):
        contract = act_contract()
        approved = AssessmentFactory(
            contract=contract,
            kpi=published_kpi(contract, name="Approved one"),
            status=AssessmentStatus.APPROVED,
            rating="good",
        )
        AssessmentFactory(contract=contract, kpi=published_kpi(contract, name="Draft one"))
        client = login(make_user(role=Role.PROVIDER, organisation=contract.provider))
        page = client.get(reverse("contracts:performanceassessment_list")).content.decode()
        assert "Approved one" in page and "Draft one" not in page
        assert client.get(approved.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_the_contract_tab_costs_the_same_however_many_records(make_user, login):
    officer = make_user(role=Role.CONTRACT_MANAGER)
    contract = act_contract(lead_officer=officer)
    client = login(officer)
    url = reverse("contracts:contract_performance", args=[contract.pk])

    def add(count):
        for _ in range(count):
            AssessmentFactory(contract=contract, kpi=published_kpi(contract))
            FailureFactory(contract=contract, proposed_by=officer)

    add(1)
    count_queries(client, url)  # warm the per-process caches
    few = count_queries(client, url)
    add(9)
    assert count_queries(client, url) == few


@pytest.mark.django_db
def test_the_list_puts_missed_assessments_first(make_user, login):
    contract = act_contract()
    AssessmentFactory(
        contract=contract,
        kpi=published_kpi(contract, name="Approved earlier"),
        status=AssessmentStatus.APPROVED,
        rating="good",
        period_end=D(2025, 12, 31),
        due_on=D(2025, 12, 31),
        period_start=D(2025, 4, 1),
    )
    AssessmentFactory(
        contract=contract,
        kpi=published_kpi(contract, name="Coming up later"),
        period_end=D(2026, 12, 31),
        due_on=D(2026, 12, 31),
    )
    AssessmentFactory(contract=contract, kpi=published_kpi(contract, name="Missed in March"))
    page = (
        login(make_user(role=Role.AUDITOR))
        .get(reverse("contracts:performanceassessment_list"))
        .content.decode()
    )
    order = [
        page.index(name) for name in ("Missed in March", "Coming up later", "Approved earlier")
    ]
    assert order == sorted(order)
