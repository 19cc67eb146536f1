"""The quarterly cycle: reporting periods open on the financial year with due dates in
business days, performance and financial returns follow one status machine whose every
guard refuses with its sentence, RAG statuses follow the KPI's direction and tolerance,
and the pages keep to the user's scope, never write on GET and cost a constant number
of queries."""

import csv
import datetime
import io
import itertools
import re
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from contracts.assurance.choices import SlaStatus
from contracts.assurance.models.slas import ServiceLevelAgreement
from contracts.performance.choices import KpiDirection, KpiFrequency, KpiUnit, ReturnStatus
from contracts.performance.models.returns import (
    FinancialLine,
    FinancialReturn,
    KpiResult,
    PerformanceReturn,
    ReportingPeriod,
)
from contracts.performance.selectors import reported_returns
from contracts.performance.services.returns import (
    NOT_IN_RETURN,
    financial_line_add,
    financial_line_remove,
    financial_return_update,
    kpi_trend,
    overall_rag,
    performance_return_rows,
    performance_return_update,
    periods_ensure,
    periods_ensure_all,
    quarters_between,
    rag_for,
    variance_needs_commentary,
)
from contracts.register.choices import ContractStatus, Rag
from contracts.register.models.contracts import Contract
from governance.core.roles import Role
from governance.reports.contract import rag_history_chart
from tests.checks import refused
from tests.contracts.performance.kpi_factories import ContractKpiFactory
from tests.contracts.performance.return_factories import (
    FinancialLineFactory,
    KpiResultFactory,
    PerformanceReturnFactory,
    ReportingPeriodFactory,
    move,
    period_with_returns,
    refusal,
    update_finance,
)
from tests.contracts.register.factories import ContractFactory, OrganisationFactory
from tests.governance.core.chart_figures import assert_page_shows_figures
from tests.view_cases import ModelViewTests, count_queries, form_errors

D = Decimal
TODAY = datetime.date(2026, 11, 20)  # a Friday in Q3 2026-27


def at(day: datetime.date):
    """Freeze the clock at noon on ``day``."""
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(12)), tick=False)


def latest_record(record):
    """The newest history record of ``record``."""
    return record.history.order_by("-history_id").first()


@pytest.fixture
def deputy(make_user):
    return make_user(role=Role.CONTRACT_MANAGER)


@pytest.fixture
def contract(officer, deputy):
    return ContractFactory(lead_officer=officer, deputy_officer=deputy)


@pytest.fixture
def provider_user(make_user, contract):
    return make_user(role=Role.PROVIDER, organisation=contract.provider)


def percentage_kpi(contract, **kwargs):
    defaults = {
        "name": "Victims satisfied with support",
        "unit": KpiUnit.PERCENTAGE,
        "direction": KpiDirection.HIGHER,
        "target": D("90"),
        "amber_tolerance": D("5"),
        "frequency": KpiFrequency.QUARTERLY,
    }
    return ContractKpiFactory(contract=contract, **{**defaults, **kwargs})


def days_kpi(contract, **kwargs):
    defaults = {
        "name": "Days to first contact",
        "unit": KpiUnit.DAYS,
        "direction": KpiDirection.LOWER,
        "target": D("5"),
        "amber_tolerance": D("2"),
        "frequency": KpiFrequency.MONTHLY,
    }
    return ContractKpiFactory(contract=contract, **{**defaults, **kwargs})


def agreed_sla(contract, *, report=15, finance=20):
    return ServiceLevelAgreement.objects.create(
        contract=contract,
        version=1,
        status=SlaStatus.AGREED,
        service_requirements="Support for victims of crime.",
        report_due_business_days=report,
        finance_due_business_days=finance,
    )


# -- Quarters and due dates ----------------------------------------------------------------


def test_quarters_run_on_the_financial_year():
    assert quarters_between(datetime.date(2025, 5, 14), datetime.date(2026, 1, 2)) == [
        (2025, 1),
        (2025, 2),
        (2025, 3),
        (2025, 4),
    ]
    assert quarters_between(datetime.date(2026, 3, 31), datetime.date(2026, 4, 1)) == [
        (2025, 4),
        (2026, 1),
    ]
    assert quarters_between(datetime.date(2026, 4, 1), datetime.date(2026, 3, 31)) == []


@pytest.mark.django_db
class TestPeriodsOpen:
    @pytest.mark.parametrize(
        ("start", "year", "quarter", "sla", "performance_due", "finance_due"),
        [
            # Q4 ends 31 March; Good Friday and Easter Monday push both dates back.
            ("2025-01-06", 2024, 4, None, "2025-04-23", "2025-04-30"),
            ("2025-04-01", 2025, 4, None, "2026-04-23", "2026-04-30"),
            # Q1 ends 30 June: its returns fall due in July.
            ("2025-04-01", 2026, 1, None, "2026-07-21", "2026-07-28"),
            # New Year's Day falls inside Q3's window.
            ("2025-04-01", 2025, 3, None, "2026-01-22", "2026-01-29"),
            # A quarter ending on a Saturday counts from the Monday.
            ("2023-07-01", 2023, 2, None, "2023-10-20", "2023-10-27"),
            # The early May bank holiday, with the SLA's own number of days.
            ("2025-04-01", 2026, 4, (15, 25), "2027-04-21", "2027-05-06"),
        ],
    )
    def test_due_dates_count_business_days_after_the_quarter(
        self, officer, start, year, quarter, sla, performance_due, finance_due
    ):
        contract = ContractFactory(
            lead_officer=officer,
            start_date=datetime.date.fromisoformat(start),
            initial_end_date=datetime.date(2030, 3, 31),
            current_end_date=datetime.date(2030, 3, 31),
        )
        if sla:
            agreed_sla(contract, report=sla[0], finance=sla[1])
        with at(TODAY):
            periods_ensure(contract=contract, today=datetime.date(2027, 4, 1), actor=officer)
        period = contract.periods.get(financial_year=year, quarter=quarter)
        assert period.performance_due_on == datetime.date.fromisoformat(performance_due)
        assert period.finance_due_on == datetime.date.fromisoformat(finance_due)

    def test_a_final_part_quarter_is_due_after_the_last_day_over_christmas(self, officer):
        """Christmas Day, the Boxing Day substitute (28 December 2026) and New Year's Day
        all fall inside the window of a contract that ends on Friday 18 December."""
        contract = ContractFactory(
            lead_officer=officer,
            start_date=datetime.date(2025, 4, 1),
            initial_end_date=datetime.date(2026, 12, 18),
            current_end_date=datetime.date(2026, 12, 18),
        )
        with at(datetime.date(2027, 1, 5)):
            periods_ensure(contract=contract, today=datetime.date(2027, 1, 5), actor=officer)
        final = contract.periods.order_by("-starts_on").first()
        assert (final.financial_year, final.quarter) == (2026, 3)
        assert (final.starts_on, final.ends_on) == (
            datetime.date(2026, 10, 1),
            datetime.date(2026, 12, 18),
        )
        assert final.performance_due_on == datetime.date(2027, 1, 13)
        assert final.finance_due_on == datetime.date(2027, 1, 20)

    def test_periods_run_from_the_start_to_the_current_quarter(self, contract, officer):
        with at(TODAY):
            opened = periods_ensure(contract=contract, today=TODAY, actor=officer)
        assert [(p.financial_year, p.quarter) for p in opened] == [
            (2025, 1),
            (2025, 2),
            (2025, 3),
            (2025, 4),
            (2026, 1),
            (2026, 2),
            (2026, 3),
        ]
        current = contract.periods.get(financial_year=2026, quarter=3)
        assert (current.starts_on, current.ends_on) == (
            datetime.date(2026, 10, 1),
            datetime.date(2026, 12, 31),
        )
        for period in opened:
            assert period.performance_return.status == ReturnStatus.DRAFT
            assert period.financial_return.status == ReturnStatus.DRAFT

    def test_opening_again_opens_nothing(self, contract, officer):
        with at(TODAY):
            periods_ensure(contract=contract, today=TODAY, actor=officer)
            assert periods_ensure(contract=contract, today=TODAY, actor=officer) == []
            assert periods_ensure_all(today=TODAY) == []
        assert contract.periods.count() == 7
        assert PerformanceReturn.objects.count() == FinancialReturn.objects.count() == 7

    def test_no_period_opens_past_the_contracts_end(self, officer):
        contract = ContractFactory(
            lead_officer=officer,
            status=ContractStatus.IN_EXIT,
            start_date=datetime.date(2025, 4, 1),
            initial_end_date=datetime.date(2025, 12, 31),
            current_end_date=datetime.date(2025, 12, 31),
        )
        with at(TODAY):
            opened = periods_ensure(contract=contract, today=TODAY, actor=officer)
        assert [(p.financial_year, p.quarter) for p in opened] == [(2025, 1), (2025, 2), (2025, 3)]

    def test_a_contract_that_has_not_started_has_no_periods(self, officer):
        contract = ContractFactory(lead_officer=officer, start_date=datetime.date(2027, 1, 1))
        with at(TODAY):
            assert periods_ensure(contract=contract, today=TODAY, actor=officer) == []

    @pytest.mark.parametrize(
        "status", [ContractStatus.DRAFT, ContractStatus.ENDED, ContractStatus.TERMINATED]
    )
    def test_only_active_and_in_exit_contracts_open_periods(self, officer, status):
        contract = ContractFactory(lead_officer=officer, status=status)
        error = refused(periods_ensure, contract=contract, today=TODAY, actor=officer)
        assert error.messages == [
            f"The contract is {ContractStatus(status).label.lower()}: reporting periods are "
            "opened only while it is active or in exit."
        ]
        assert not ReportingPeriod.objects.exists()

    def test_only_the_contracts_officers_open_periods(self, contract, make_user, deputy):
        for outsider in (
            make_user(role=Role.CONTRACT_MANAGER),
            make_user(role=Role.PDM),
            make_user(role=Role.PROVIDER, organisation=contract.provider),
        ):
            error = refused(periods_ensure, contract=contract, today=TODAY, actor=outsider)
            assert error.messages == [
                "Only the contract's lead or deputy officer can open its reporting periods."
            ]
        assert not ReportingPeriod.objects.exists()
        with at(TODAY):
            assert periods_ensure(contract=contract, today=TODAY, actor=deputy)

    def test_kpis_due_each_quarter_and_annual_ones_in_q4(self, contract, officer):
        quarterly = percentage_kpi(contract)
        monthly = days_kpi(contract)
        annual = percentage_kpi(contract, name="Annual survey", frequency=KpiFrequency.ANNUAL)
        percentage_kpi(contract, name="Dropped measure", is_active=False)
        with at(TODAY):
            periods_ensure(contract=contract, today=datetime.date(2026, 4, 2), actor=officer)

        def kpis(year, quarter):
            period = contract.periods.get(financial_year=year, quarter=quarter)
            return set(period.performance_return.results.values_list("kpi", flat=True))

        assert kpis(2025, 1) == kpis(2025, 2) == kpis(2025, 3) == {quarterly.pk, monthly.pk}
        assert kpis(2025, 4) == {quarterly.pk, monthly.pk, annual.pk}
        assert kpis(2026, 1) == {quarterly.pk, monthly.pk}

    def test_the_current_agreed_sla_sets_the_due_dates(self, contract, officer):
        agreed_sla(contract, report=5, finance=10)
        ServiceLevelAgreement.objects.create(
            contract=contract,
            version=2,
            status=SlaStatus.DRAFT,
            service_requirements="Proposed.",
            report_due_business_days=30,
            finance_due_business_days=40,
        )
        with at(TODAY):
            periods_ensure(contract=contract, today=TODAY, actor=officer)
        period = contract.periods.get(financial_year=2026, quarter=1)
        assert period.performance_due_on == datetime.date(2026, 7, 7)
        assert period.finance_due_on == datetime.date(2026, 7, 14)

    def test_history_says_who_opened_each_record_and_why(self, contract, officer):
        percentage_kpi(contract)
        with at(TODAY):
            periods_ensure(contract=contract, today=datetime.date(2025, 5, 1), actor=officer)
            periods_ensure_all(today=datetime.date(2025, 8, 1))
        by_hand = contract.periods.get(quarter=1)
        by_sweep = contract.periods.get(quarter=2)
        for record in (
            by_hand.history.get(),
            by_hand.performance_return.history.get(),
            by_hand.financial_return.history.get(),
            by_hand.performance_return.results.get().history.get(),
        ):
            assert (record.history_user, record.history_change_reason) == (
                officer,
                "Opened for the quarter",
            )
        record = by_sweep.history.get()
        assert (record.history_user, record.history_change_reason) == (
            None,
            "Opened by the daily sweep",
        )

    def test_the_sweep_opens_live_contracts_only(self, officer):
        live = ContractFactory(lead_officer=officer)
        exiting = ContractFactory(lead_officer=officer, status=ContractStatus.IN_EXIT)
        ContractFactory(lead_officer=officer, status=ContractStatus.DRAFT)
        ContractFactory(lead_officer=officer, status=ContractStatus.ENDED)
        with at(TODAY):
            opened = periods_ensure_all(today=datetime.date(2025, 8, 1))
        assert {period.contract_id for period in opened} == {live.pk, exiting.pk}
        assert len(opened) == 4

    def test_the_sweep_costs_the_same_for_many_contracts(self, officer):
        def queries_for(count):
            for _ in range(count):
                contract = ContractFactory(lead_officer=officer)
                percentage_kpi(contract)
                days_kpi(contract)
            with CaptureQueriesContext(connection) as captured, at(TODAY):
                periods_ensure_all(today=TODAY)
            return len(captured)

        few = queries_for(1)
        # Five contracts' results still fit one insert under SQLite's limit on the values
        # in one statement; past that the inserts come in batches.
        assert queries_for(5) == few
        with CaptureQueriesContext(connection) as captured, at(TODAY):
            assert periods_ensure_all(today=TODAY) == []
        assert len(captured) <= 3  # nothing to open: the one query that says so

    def test_a_period_cut_short_grows_when_the_end_date_moves(self, officer):
        contract = ContractFactory(
            lead_officer=officer,
            start_date=datetime.date(2025, 4, 1),
            initial_end_date=datetime.date(2026, 11, 13),
            current_end_date=datetime.date(2026, 11, 13),
        )
        with at(TODAY):
            periods_ensure(contract=contract, today=TODAY, actor=officer)
            final = contract.periods.get(financial_year=2026, quarter=3)
            assert final.ends_on == datetime.date(2026, 11, 13)
            contract.current_end_date = datetime.date(2028, 3, 31)
            contract.save()
            periods_ensure_all(today=TODAY)
        final.refresh_from_db()
        assert final.ends_on == datetime.date(2026, 12, 31)
        assert final.performance_due_on == datetime.date(2027, 1, 22)
        latest = latest_record(final)
        assert latest.history_change_reason == "The contract's end date moved later"


# -- RAG status ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("direction", "actual", "expected"),
    [
        (KpiDirection.HIGHER, D("95"), Rag.GREEN),
        (KpiDirection.HIGHER, D("90"), Rag.GREEN),
        (KpiDirection.HIGHER, D("89.99"), Rag.AMBER),
        (KpiDirection.HIGHER, D("85"), Rag.AMBER),
        (KpiDirection.HIGHER, D("84.99"), Rag.RED),
        (KpiDirection.LOWER, D("85"), Rag.GREEN),
        (KpiDirection.LOWER, D("90"), Rag.GREEN),
        (KpiDirection.LOWER, D("95"), Rag.AMBER),
        (KpiDirection.LOWER, D("95.01"), Rag.RED),
        (KpiDirection.HIGHER, None, Rag.NONE),
        (KpiDirection.LOWER, None, Rag.NONE),
    ],
)
def test_rag_follows_direction_and_tolerance(direction, actual, expected):
    assert rag_for(direction=direction, target=D("90"), tolerance=D("5"), actual=actual) == expected


def test_no_tolerance_means_anything_short_is_red():
    assert rag_for(direction="higher", target=D(90), tolerance=D(0), actual=D("89.99")) == "red"


amounts = st.decimals(min_value=-10_000, max_value=10_000, places=2)


@given(target=amounts, tolerance=st.decimals(min_value=0, max_value=1000, places=2), actual=amounts)
def test_lower_is_better_mirrors_higher_is_better(target, tolerance, actual):
    higher = rag_for(direction="higher", target=target, tolerance=tolerance, actual=actual)
    lower = rag_for(direction="lower", target=-target, tolerance=tolerance, actual=-actual)
    assert higher == lower


@given(target=amounts, tolerance=st.decimals(min_value=0, max_value=1000, places=2), actual=amounts)
def test_a_better_actual_never_has_a_worse_rag(target, tolerance, actual):
    order = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2}
    worse = rag_for(direction="higher", target=target, tolerance=tolerance, actual=actual)
    better = rag_for(direction="higher", target=target, tolerance=tolerance, actual=actual + 1)
    assert order[better] >= order[worse]


@pytest.mark.parametrize(
    ("rags", "expected"),
    [
        (["green", "amber", "red"], "red"),
        (["green", "amber", "none"], "amber"),
        (["green", "green"], "green"),
        (["green", "none"], "green"),
        (["none", "none"], "none"),
        ([], "none"),
    ],
)
def test_the_return_rolls_up_from_its_kpis(rags, expected):
    assert overall_rag(rags) == expected


# -- Performance returns: filling in ------------------------------------------------------------


@pytest.fixture
def performance(contract):
    """Q1 2026-27 of ``contract`` with a percentage KPI and a days KPI."""
    percentage_kpi(contract)
    days_kpi(contract)
    return period_with_returns(contract=contract, financial_year=2026, quarter=1).performance_return


def results_for(performance_return, **by_name):
    kpis = {row.kpi.name: row.kpi.pk for row in performance_return_rows(performance_return)}
    return {kpis[name]: value for name, value in by_name.items()}


SATISFIED = "Victims satisfied with support"
DAYS = "Days to first contact"
FULL = {SATISFIED: (D("87.5"), "Two staff vacancies in May."), DAYS: ("4", "")}


def update(performance, actor, reason="Figures", **changes):
    """Save ``changes`` (results, commentary) to a performance return as ``actor``."""
    return performance_return_update(
        performance_return=performance, actor=actor, reason=reason, **changes
    )


def step_url(return_, step):
    """The page that moves a performance return on by ``step``: submit, accept or return."""
    return reverse("contracts:performancereturn_transition", args=[return_.pk, step])


ONLY_OFFICERS_ACCEPT = "Only the contract's lead or deputy officer can accept a return."


@pytest.mark.django_db
class TestPerformanceReturnUpdate:
    def test_actuals_set_each_rag_and_the_overall_one(self, performance, provider_user):
        changed = update(
            performance,
            provider_user,
            reason="Q1 figures entered",
            results=results_for(performance, **FULL),
            commentary="A steady quarter.",
        )
        assert changed == ["commentary", "Days to first contact", "Victims satisfied with support"]
        rags = dict(performance.results.values_list("kpi__name", "rag"))
        assert rags == {"Victims satisfied with support": "amber", "Days to first contact": "green"}
        performance.refresh_from_db()
        assert (performance.rag, performance.commentary) == (Rag.AMBER, "A steady quarter.")
        for record in (
            latest_record(performance),
            performance.results.get(kpi__name="Days to first contact").history.latest("history_id"),
        ):
            assert (record.history_user, record.history_change_reason) == (
                provider_user,
                "Q1 figures entered",
            )

    def test_a_red_kpi_makes_the_return_red(self, performance, officer):
        update(performance, officer, results=results_for(performance, **{DAYS: ("8", "")}))
        performance.refresh_from_db()
        assert performance.rag == Rag.RED

    def test_saving_the_same_figures_again_saves_nothing(self, performance, officer):
        results = results_for(performance, **FULL)
        update(performance, officer, results=results)
        before = (performance.history.count(), KpiResult.history.count())
        assert update(performance, officer, reason="Again", results=results) == []
        assert (performance.history.count(), KpiResult.history.count()) == before

    def test_a_changed_target_changes_the_rag_on_the_next_save(self, performance, officer):
        update(performance, officer, results=results_for(performance, **FULL))
        kpi = performance.results.get(kpi__name=SATISFIED).kpi
        kpi.target = D("85")
        kpi.save()
        update(performance, officer, reason="Target agreed", commentary="x")
        assert performance.results.get(kpi=kpi).rag == Rag.GREEN

    def test_an_indicator_outside_the_return_is_refused(self, performance, officer, contract):
        other_contract_kpi = percentage_kpi(ContractFactory(lead_officer=officer))
        dropped = percentage_kpi(contract, name="Dropped", is_active=False)
        for kpi in (other_contract_kpi, dropped):
            results = {kpi.pk: (D("90"), "")}
            error = refused(update, performance=performance, actor=officer, results=results)
            assert error.messages == [NOT_IN_RETURN]
        assert not performance.results.exclude(actual=None).exists()

    @pytest.mark.parametrize("actual", [D("100.01"), D("-1"), "250"])
    def test_a_percentage_outside_0_to_100_is_refused_by_name(self, performance, officer, actual):
        results = results_for(performance, **{SATISFIED: (actual, "")})
        error = refused(update, performance=performance, actor=officer, results=results)
        [kpi_id] = results
        assert error.message_dict == {
            f"actual_{kpi_id}": [
                "Victims satisfied with support: a percentage must be between 0 and 100."
            ]
        }
        assert performance.history.count() == 1

    def test_percentages_of_0_and_100_are_accepted(self, performance, officer):
        for actual in (D("0"), D("100")):
            results = results_for(performance, **{SATISFIED: (actual, "")})
            update(performance, officer, reason=f"Figure {actual}", results=results)
        assert performance.results.get(kpi__unit=KpiUnit.PERCENTAGE).actual == D("100")

    def test_words_and_negative_days_are_refused(self, performance, officer):
        results = results_for(performance, **{SATISFIED: ("most", ""), DAYS: ("-2", "")})
        error = refused(update, performance=performance, actor=officer, results=results)
        assert sorted(error.messages) == [
            "Days to first contact: the actual cannot be negative.",
            "Victims satisfied with support: enter the actual as a number, like 92.5.",
        ]

    def test_a_reason_is_required(self, performance, officer):
        results = results_for(performance, **FULL)
        error = refused(update, performance=performance, actor=officer, reason=" ", results=results)
        assert error.message_dict == {"change_reason": ["Give a reason for this change."]}

    def test_a_kpi_added_after_the_period_opened_is_due_and_can_be_filled(
        self, performance, officer, contract
    ):
        late = days_kpi(contract, name="Cases closed late", frequency=KpiFrequency.QUARTERLY)
        rows = performance_return_rows(performance)
        assert late.pk in [row.kpi.pk for row in rows]
        update(performance, officer, results={late.pk: (D("3"), "")})
        assert performance.results.get(kpi=late).rag == Rag.GREEN

    @pytest.mark.parametrize("status", [ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED])
    def test_a_submitted_or_accepted_return_cannot_change(self, performance, officer, status):
        performance.status = status
        performance.save()
        error = refused(
            update,
            performance=performance,
            actor=officer,
            reason="Late change",
            commentary="Changed",
        )
        assert error.messages == [
            f"This return has been {ReturnStatus(status).label.lower()}: it can no longer be "
            "changed."
        ]

    def test_only_the_provider_and_the_officers_fill_it_in(self, performance, make_user):
        other_provider = make_user(role=Role.PROVIDER, organisation=OrganisationFactory())
        for outsider in (
            other_provider,
            make_user(role=Role.CONTRACT_MANAGER),
            make_user(role=Role.SMG),
            make_user(role=Role.PDM),
        ):
            error = refused(update, performance=performance, actor=outsider, commentary="Not mine")
            assert error.messages == [
                "Only the provider or the contract's lead or deputy officer can fill in this "
                "return."
            ]


# -- Performance returns: the status machine ---------------------------------------------------


@pytest.fixture
def filled(performance, provider_user):
    update(
        performance, provider_user, reason="Q1 figures", results=results_for(performance, **FULL)
    )
    return performance


@pytest.mark.django_db
class TestPerformanceReturnTransitions:
    def test_the_provider_submits_a_complete_return(self, filled, provider_user):
        with at(datetime.date(2026, 7, 15)):
            move(filled, ReturnStatus.SUBMITTED, provider_user)
        filled.refresh_from_db()
        assert filled.status == ReturnStatus.SUBMITTED
        assert filled.submitted_by == provider_user
        assert filled.submitted_at.date() == datetime.date(2026, 7, 15)
        record = latest_record(filled)
        assert (record.history_user, record.history_change_reason) == (
            provider_user,
            "Return submitted",
        )

    def test_every_due_kpi_needs_an_actual_before_submission(self, performance, provider_user):
        results = results_for(performance, **{DAYS: ("4", "")})
        update(performance, provider_user, reason="Part", results=results)
        error = refusal(performance, ReturnStatus.SUBMITTED, provider_user)
        assert error.messages == [
            "Enter an actual for every indicator before submitting. Missing: Victims satisfied "
            "with support."
        ]
        performance.refresh_from_db()
        assert performance.status == ReturnStatus.DRAFT

    def test_the_page_shows_submit_disabled_with_what_is_missing(
        self, performance, provider_user, login
    ):
        client = login(provider_user)
        submit = step_url(performance, "submit")
        page = client.get(performance.get_absolute_url()).content.decode()
        assert 'data-testid="step-disabled"' in page and submit not in page
        assert (
            "is not available yet: Enter an actual for every indicator before submitting. "
            "Missing: " in page
        )
        results = results_for(performance, **FULL)
        update(performance, provider_user, reason="Q1 figures", results=results)
        page = client.get(performance.get_absolute_url()).content.decode()
        assert 'data-testid="step-disabled"' not in page and submit in page

    def test_a_second_submission_is_refused(self, filled, provider_user, officer):
        move(filled, ReturnStatus.SUBMITTED, provider_user)
        for actor in (provider_user, officer):
            error = refusal(filled, ReturnStatus.SUBMITTED, actor)
            assert error.messages == ["This return has already been submitted."]

    def test_the_provider_cannot_accept_or_return(self, filled, provider_user):
        move(filled, ReturnStatus.SUBMITTED, provider_user)
        error = refusal(filled, ReturnStatus.ACCEPTED, provider_user)
        assert error.messages == [ONLY_OFFICERS_ACCEPT]
        error = refusal(filled, ReturnStatus.RETURNED, provider_user, reason="Looks wrong")
        assert error.messages == [
            "Only the contract's lead or deputy officer can return a return for correction."
        ]
        filled.refresh_from_db()
        assert filled.status == ReturnStatus.SUBMITTED

    @pytest.mark.parametrize("role", [Role.CONTRACT_MANAGER, Role.SMG, Role.PDM])
    def test_only_the_lead_or_deputy_accepts(self, filled, provider_user, make_user, role):
        move(filled, ReturnStatus.SUBMITTED, provider_user)
        error = refusal(filled, ReturnStatus.ACCEPTED, make_user(role=role))
        assert error.messages == [ONLY_OFFICERS_ACCEPT]

    def test_the_deputy_accepts(self, filled, provider_user, deputy):
        move(filled, ReturnStatus.SUBMITTED, provider_user)
        move(filled, ReturnStatus.ACCEPTED, deputy, reason="Checked against the case system")
        filled.refresh_from_db()
        assert (filled.status, filled.decided_by) == (ReturnStatus.ACCEPTED, deputy)
        assert latest_record(filled).history_change_reason == "Checked against the case system"

    def test_returning_needs_a_reason_which_is_kept(self, filled, provider_user, officer):
        move(filled, ReturnStatus.SUBMITTED, provider_user)
        error = refusal(filled, ReturnStatus.RETURNED, officer, reason="  ")
        assert error.message_dict == {"reason": ["Say what needs correcting."]}
        long_reason = "The satisfaction figure counts survey responses twice. " * 4
        move(filled, ReturnStatus.RETURNED, officer, reason=long_reason)
        filled.refresh_from_db()
        assert filled.status == ReturnStatus.RETURNED
        assert filled.return_reason == long_reason.strip()
        record = latest_record(filled)
        assert record.history_user == officer
        assert record.history_change_reason.startswith(
            "Returned for correction: The satisfaction figure"
        )
        assert len(record.history_change_reason) <= 100

    def test_a_returned_return_is_corrected_and_submitted_again(
        self, filled, provider_user, officer
    ):
        move(filled, ReturnStatus.SUBMITTED, provider_user)
        move(filled, ReturnStatus.RETURNED, officer, reason="Recount")
        results = results_for(filled, **{SATISFIED: ("91", "Recounted")})
        update(filled, provider_user, reason="Recounted", results=results)
        move(filled, ReturnStatus.SUBMITTED, provider_user)
        move(filled, ReturnStatus.ACCEPTED, officer)
        filled.refresh_from_db()
        assert (filled.status, filled.rag) == (ReturnStatus.ACCEPTED, Rag.GREEN)
        reasons = list(
            filled.history.order_by("history_id").values_list("history_change_reason", flat=True)
        )
        assert reasons[-4:] == [
            "Returned for correction: Recount",
            "Recounted",
            "Return submitted",
            "Return accepted",
        ]

    @pytest.mark.parametrize(
        ("status", "to_status", "message"),
        [
            (ReturnStatus.DRAFT, ReturnStatus.ACCEPTED, "Only a submitted return can be accepted."),
            (
                ReturnStatus.RETURNED,
                ReturnStatus.ACCEPTED,
                "Only a submitted return can be accepted.",
            ),
            (
                ReturnStatus.DRAFT,
                ReturnStatus.RETURNED,
                "Only a submitted return can be returned for correction.",
            ),
            (
                ReturnStatus.ACCEPTED,
                ReturnStatus.SUBMITTED,
                "This return has already been accepted.",
            ),
            (
                ReturnStatus.ACCEPTED,
                ReturnStatus.ACCEPTED,
                "This return has already been accepted.",
            ),
            (
                ReturnStatus.SUBMITTED,
                ReturnStatus.DRAFT,
                "A return that is submitted cannot become draft.",
            ),
        ],
    )
    def test_illegal_steps_are_refused(self, filled, officer, status, to_status, message):
        filled.status = status
        filled.save()
        error = refusal(filled, to_status, officer, reason="Trying")
        assert error.messages == [message]
        filled.refresh_from_db()
        assert filled.status == status


# -- Financial returns -------------------------------------------------------------------------


@pytest.fixture
def finance(contract):
    return period_with_returns(contract=contract, financial_year=2026, quarter=1).financial_return


ONE = D("1")


def add_line(finance, actor, description, unit_price=ONE, units_delivered=ONE):
    """Add a unit-priced line to a financial return as ``actor``: one unit at £1 unless
    told otherwise."""
    return financial_line_add(
        financial_return=finance,
        actor=actor,
        description=description,
        unit_price=unit_price,
        units_delivered=units_delivered,
    )


@pytest.mark.django_db
class TestFinancialReturns:
    def test_variance_is_spend_less_budget_with_a_percentage(self, finance, provider_user):
        update_finance(finance, provider_user, reason="Q1 figures")
        finance.refresh_from_db()
        assert finance.variance == D("4000.00")
        assert finance.variance_percent == D("4.0")
        record = latest_record(finance)
        assert (record.history_user, record.history_change_reason) == (provider_user, "Q1 figures")

    def test_commentary_is_required_beyond_the_threshold(self, finance, provider_user):
        short = {"actual_spend": D("94999.99"), "reason": "Q1 figures"}
        error = refused(update_finance, finance=finance, actor=provider_user, **short)
        assert error.message_dict == {
            "commentary": [
                "Spend differs from the budget by 5.0%, more than 5%: explain the variance."
            ]
        }
        update_finance(finance, provider_user, commentary="Two posts vacant.", **short)

    def test_a_variance_of_exactly_the_threshold_needs_no_commentary(self, finance, officer):
        update_finance(finance, officer, actual_spend=D("105000"))
        assert not variance_needs_commentary(D("100000"), D("105000"))
        assert variance_needs_commentary(D("100000"), D("105000.01"))
        assert variance_needs_commentary(D("0"), D("1"))
        assert not variance_needs_commentary(D("0"), D("0"))

    def test_the_threshold_comes_from_settings(self, finance, officer, settings):
        settings.FINANCE_VARIANCE_COMMENTARY_PERCENT = 10
        update_finance(finance, officer, actual_spend=D("91000"))
        error = refused(update_finance, finance=finance, actor=officer, actual_spend=D("111000"))
        assert "more than 10%" in error.message_dict["commentary"][0]

    def test_negative_amounts_are_refused(self, finance, officer):
        error = refused(
            update_finance, finance=finance, actor=officer, budget=D("-1"), payments_made=D("-5")
        )
        assert error.message_dict == {
            "budget": ["The budget cannot be negative."],
            "payments_made": ["The payments made cannot be negative."],
        }

    def test_submission_needs_every_figure_and_the_commentary(self, finance, officer, settings):
        financial_return_update(
            financial_return=finance, actor=officer, reason="Q1", budget=D("100000")
        )
        error = refusal(finance, ReturnStatus.SUBMITTED, officer)
        assert error.messages == ["Enter the actual spend and payments made before submitting."]
        settings.FINANCE_VARIANCE_COMMENTARY_PERCENT = 10
        update_finance(finance, officer, actual_spend=D("108000"))
        settings.FINANCE_VARIANCE_COMMENTARY_PERCENT = 5  # tightened since it was saved
        error = refusal(finance, ReturnStatus.SUBMITTED, officer)
        assert error.messages == [
            "Spend differs from the budget by 8.0%, more than 5%: explain the variance."
        ]
        finance.refresh_from_db()
        assert finance.status == ReturnStatus.DRAFT

    def test_the_same_status_machine_as_performance_returns(self, finance, provider_user, officer):
        update_finance(finance, provider_user)
        move(finance, ReturnStatus.SUBMITTED, provider_user)
        error = refusal(finance, ReturnStatus.SUBMITTED, provider_user)
        assert error.messages == ["This return has already been submitted."]
        error = refusal(finance, ReturnStatus.ACCEPTED, provider_user)
        assert error.messages == [ONLY_OFFICERS_ACCEPT]
        move(finance, ReturnStatus.RETURNED, officer, reason="Payments do not match our ledger.")
        finance.refresh_from_db()
        assert finance.return_reason == "Payments do not match our ledger."
        update_finance(finance, provider_user, reason="Corrected", payments_made=D("98000"))
        move(finance, ReturnStatus.SUBMITTED, provider_user)
        move(finance, ReturnStatus.ACCEPTED, officer)
        finance.refresh_from_db()
        assert (finance.status, finance.decided_by) == (ReturnStatus.ACCEPTED, officer)
        error = refused(update_finance, finance=finance, actor=officer, reason="Late")
        assert error.messages == ["This return has been accepted: it can no longer be changed."]

    def test_lines_are_added_and_removed_while_open(self, finance, provider_user):
        line = add_line(finance, provider_user, "Needs assessments", D("45.50"), D("120"))
        assert line.amount == D("5460.00")
        assert line.history.get().history_user == provider_user
        financial_line_remove(line=line, actor=provider_user, reason="Entered twice")
        assert not FinancialLine.objects.exists()
        removed = FinancialLine.history.filter(id=line.pk, history_type="-").get()
        assert (removed.history_user, removed.history_change_reason) == (
            provider_user,
            "Entered twice",
        )

    def test_lines_cannot_change_once_submitted(self, finance, provider_user):
        line = FinancialLineFactory(financial_return=finance)
        finance.status = ReturnStatus.SUBMITTED
        finance.save()
        error = refused(add_line, finance=finance, actor=provider_user, description="More")
        assert "can no longer be changed" in error.messages[0]
        error = refused(financial_line_remove, line=line, actor=provider_user)
        assert "can no longer be changed" in error.messages[0]
        assert FinancialLine.objects.count() == 1

    def test_a_line_needs_its_three_answers(self, finance, provider_user):
        answers = {"description": " ", "unit_price": None, "units_delivered": D("-1")}
        error = refused(add_line, finance=finance, actor=provider_user, **answers)
        assert error.message_dict == {
            "description": ["Describe what was delivered."],
            "unit_price": ["Enter the unit price."],
            "units_delivered": ["The units delivered cannot be negative."],
        }

    def test_other_providers_cannot_touch_the_return(self, finance, make_user):
        outsider = make_user(role=Role.PROVIDER, organisation=OrganisationFactory())
        error = refused(add_line, finance=finance, actor=outsider, description="x")
        assert "Only the provider or the contract's lead or deputy officer" in error.messages[0]
        error = refused(update_finance, finance=finance, actor=outsider, reason="x")
        assert "Only the provider" in error.messages[0]


# -- Pages: the shared view tests ---------------------------------------------------------------

#: Columns both returns' exports share: the period, its deadline, and who moved it and how.
PERIOD_COLUMNS = ("Period", "Contract title", "Provider", "Financial year", "Quarter", "Status")
DEADLINE_COLUMNS = ("Due date", "Due date: missed or due", "Overdue")
DECISION_COLUMNS = (
    "Submitted by",
    "Submitted",
    "Decided by",
    "Decided",
    "Entered for the provider from",
    "Received on",
    "About the source",
    "Accepted early because",
)

PERFORMANCE_CSV_HEADER = (
    *PERIOD_COLUMNS,
    "RAG for the quarter",
    *DEADLINE_COLUMNS,
    *DECISION_COLUMNS,
    "Overall commentary",
)

FINANCE_CSV_HEADER = (
    *PERIOD_COLUMNS,
    *DEADLINE_COLUMNS,
    "Budget",
    "Actual spend",
    "Variance",
    "Variance (%)",
    "Payments made",
    "Unit-priced lines total",
    "Commentary",
    *DECISION_COLUMNS,
)


class ReturnPagesMixin:
    """A contract run by the writer, with a percentage KPI; each ``make()`` opens the
    next quarter of it."""

    def make_writer(self):
        writer = self.make_user(role=Role.CONTRACT_MANAGER)
        self.contract = ContractFactory(lead_officer=writer)
        self.kpi = percentage_kpi(self.contract)
        self.quarters = itertools.count()
        return writer

    def make_period(self, contract=None):
        number = next(self.quarters)
        return period_with_returns(
            contract=contract or self.contract,
            financial_year=2020 + number // 4,
            quarter=number % 4 + 1,
        )

    def make_many(self, count):
        # Each on a contract and provider of its own, submitted and decided by people of
        # its own, so a missing select_related shows as a query per row.
        for _ in range(count):
            contract = ContractFactory(lead_officer=self.writer)
            percentage_kpi(contract)
            period = self.make_period(contract)
            for return_ in (period.performance_return, period.financial_return):
                return_.status = ReturnStatus.ACCEPTED
                return_.submitted_by = self.make_user(
                    role=Role.PROVIDER, organisation=contract.provider
                )
                return_.decided_by = self.writer
                return_.save()
            FinancialLineFactory(financial_return=period.financial_return)

    def list_text(self, obj):
        return str(obj.period)

    def out_of_scope(self, make_user):
        return make_user(role=Role.PROVIDER, organisation=OrganisationFactory()), self.make()


class TestPerformanceReturnViews(ReturnPagesMixin, ModelViewTests):
    model = PerformanceReturn
    list_url_name = "contracts:performancereturn_list"
    detail_url_name = "contracts:performancereturn_detail"
    tab_url_names = ("contracts:performancereturn_history",)
    update_url_name = "contracts:performancereturn_update"
    csv_header = PERFORMANCE_CSV_HEADER

    def make(self, **kwargs):
        return self.make_period().performance_return

    def update_data(self, obj):
        return {
            f"actual_{self.kpi.pk}": "92.5",
            f"commentary_{self.kpi.pk}": "Above target all quarter.",
            "commentary": "A steady quarter.",
        }

    def test_the_edit_page_saves_each_kpi(self, login):
        obj = self.make()
        client = login(self.writer)
        url = reverse(self.update_url_name, args=[obj.pk])
        page = client.get(url).content.decode()
        assert "Target 90%, higher is better; amber within 5 percentage points." in page
        response = client.post(url, {**self.update_data(obj), "change_reason": "Q1 figures"})
        assert response.status_code == 302, form_errors(response)
        result = obj.results.get()
        assert (result.actual, result.rag) == (D("92.5"), Rag.GREEN)
        detail = client.get(reverse(self.detail_url_name, args=[obj.pk])).content.decode()
        assert "92.5%" in detail and "govuk-tag--green" in detail

    def test_a_percentage_over_100_is_shown_beside_its_field(self, login):
        obj = self.make()
        url = reverse(self.update_url_name, args=[obj.pk])
        data = {**self.update_data(obj), f"actual_{self.kpi.pk}": "120", "change_reason": "Q1"}
        response = login(self.writer).post(url, data)
        assert response.status_code == 400
        page = response.content.decode()
        message = f"{self.kpi.name}: a percentage must be between 0 and 100."
        assert message in " ".join(form_errors(response))
        assert f'href="#id_actual_{self.kpi.pk}"' in page
        assert obj.results.get().actual is None

    def test_detail_and_edit_queries_do_not_grow_with_kpis(self, login):
        obj = self.make()
        client = login(self.writer)
        urls = [
            reverse(name, args=[obj.pk])
            for name in (self.detail_url_name, self.update_url_name, *self.tab_url_names)
        ]
        before = [count_queries(client, url) for url in urls]
        for number in range(6):
            kpi = days_kpi(self.contract, name=f"Measure {number}")
            KpiResultFactory(performance_return=obj, kpi=kpi, actual=D(number), rag=Rag.GREEN)
        # a KPI added to the contract since the period opened, shown with no result
        days_kpi(self.contract, name="Added later")
        assert [count_queries(client, url) for url in urls] == before

    def test_filters_narrow_the_list(self, login):
        with at(datetime.date(2020, 9, 1)):
            overdue = self.make()  # Q1 2020-21, due 21 July 2020
            on_time = self.make()  # Q2 2020-21, due in October
            on_time.status, on_time.rag = ReturnStatus.SUBMITTED, Rag.RED
            on_time.save()
            client = login(self.writer)
            url = reverse(self.list_url_name)

            def shown(query):
                page = client.get(url + query).content.decode()
                return {r.pk for r in (overdue, on_time) if str(r.period) in page}

            assert shown("?overdue=true") == {overdue.pk}
            assert shown("?overdue=false") == {on_time.pk}
            assert shown("?status=submitted") == {on_time.pk}
            assert shown("?rag=red") == {on_time.pk}
            assert shown("?quarter=1") == {overdue.pk}
            assert shown("?financial_year=2020") == {overdue.pk, on_time.pk}
            assert shown("?financial_year=2021") == set()
            assert shown(f"?q={self.contract.reference}") == {overdue.pk, on_time.pk}
            assert shown("?q=nothing-like-it") == set()

    def test_provider_fills_and_submits_their_own_return_but_cannot_accept(self, make_user, login):
        obj = self.make()
        provider = make_user(role=Role.PROVIDER, organisation=self.contract.provider)
        client = login(provider)
        edit = reverse(self.update_url_name, args=[obj.pk])
        response = client.post(edit, {**self.update_data(obj), "change_reason": "Q1 figures"})
        assert response.status_code == 302, form_errors(response)
        detail = client.get(reverse(self.detail_url_name, args=[obj.pk])).content.decode()
        submit = step_url(obj, "submit")
        accept = step_url(obj, "accept")
        assert submit in detail and accept not in detail
        assert client.get(submit).status_code == 200
        assert client.post(submit, {"reason": ""}).status_code == 302
        obj.refresh_from_db()
        assert (obj.status, obj.submitted_by) == (ReturnStatus.SUBMITTED, provider)
        # Only an officer accepts: the provider is refused the form, not just its submit.
        assert client.get(accept).status_code == 403
        assert client.post(accept, {"reason": ""}).status_code == 403
        obj.refresh_from_db()
        assert obj.status == ReturnStatus.SUBMITTED

    def test_another_providers_return_is_not_found(self, make_user, login):
        obj = self.make()
        client = login(make_user(role=Role.PROVIDER, organisation=OrganisationFactory()))
        for url in (
            reverse(self.detail_url_name, args=[obj.pk]),
            reverse(self.update_url_name, args=[obj.pk]),
            step_url(obj, "submit"),
        ):
            assert client.get(url).status_code == 404, url
        data = {**self.update_data(obj), "change_reason": "Not mine"}
        assert client.post(reverse(self.update_url_name, args=[obj.pk]), data).status_code == 404
        assert obj.history.count() == 1

    def test_the_officer_accepts_and_returns_through_the_pages(self, login):
        obj = self.make()
        KpiResult.objects.filter(performance_return=obj).update(actual=D("91"))
        obj.status = ReturnStatus.SUBMITTED
        obj.save()
        client = login(self.writer)
        url = step_url(obj, "return")
        response = client.post(url, {"reason": ""})
        assert response.status_code == 400
        assert "Say what needs correcting." in " ".join(form_errors(response))
        response = client.post(url, {"reason": "The survey count is doubled."})
        assert response.status_code == 302
        detail = client.get(reverse(self.detail_url_name, args=[obj.pk])).content.decode()
        assert "The survey count is doubled." in detail
        obj.refresh_from_db()
        assert obj.status == ReturnStatus.RETURNED

    def test_transition_pages_keep_to_scope_and_permission(self, client, make_user, login):
        obj = self.make()
        url = step_url(obj, "accept")
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        assert login(make_user(role=None)).get(url).status_code == 403
        assert login(make_user(role=Role.SMG)).get(url).status_code == 403
        assert login(make_user(role=Role.CONTRACT_MANAGER)).get(url).status_code == 404
        bad = step_url(obj, "approve")
        assert login(self.writer).get(bad).status_code == 404


class TestFinancialReturnViews(ReturnPagesMixin, ModelViewTests):
    model = FinancialReturn
    list_url_name = "contracts:financialreturn_list"
    detail_url_name = "contracts:financialreturn_detail"
    tab_url_names = ("contracts:financialreturn_history",)
    update_url_name = "contracts:financialreturn_update"
    csv_header = FINANCE_CSV_HEADER

    def make(self, **kwargs):
        return self.make_period().financial_return

    def update_data(self, obj):
        return {
            "budget": "100,000",
            "actual_spend": "£112,500.00",
            "payments_made": "100000",
            "commentary": "Extra sessions agreed in May.",
        }

    def test_the_page_shows_variance_lines_and_the_mismatch(self, login):
        obj = self.make()
        client = login(self.writer)
        url = reverse(self.update_url_name, args=[obj.pk])
        response = client.post(url, {**self.update_data(obj), "change_reason": "Q1"})
        assert response.status_code == 302, form_errors(response)
        FinancialLineFactory(
            financial_return=obj, unit_price=D("450"), units_delivered=D("250")
        )  # £112,500: matches
        page = client.get(reverse(self.detail_url_name, args=[obj.pk])).content.decode()
        assert "£12,500.00 (12.5% of the budget)" in page
        assert "Unit-priced lines: £112,500.00" in page
        assert 'data-testid="lines-warning"' not in page
        FinancialLineFactory(financial_return=obj, unit_price=D("10"), units_delivered=D("1"))
        page = client.get(reverse(self.detail_url_name, args=[obj.pk])).content.decode()
        assert (
            "The unit-priced lines add up to £112,510.00, which differs from the actual spend "
            "of £112,500.00."
        ) in page

    def test_missing_commentary_is_shown_beside_its_field(self, login):
        obj = self.make()
        data = {**self.update_data(obj), "commentary": "", "change_reason": "Q1"}
        response = login(self.writer).post(reverse(self.update_url_name, args=[obj.pk]), data)
        assert response.status_code == 400
        assert form_errors(response) == [
            "Error: Spend differs from the budget by 12.5%, more than 5%: explain the variance."
        ]
        assert 'href="#id_commentary"' in response.content.decode()

    def test_lines_are_added_and_removed_on_the_page(self, make_user, login):
        obj = self.make()
        provider = make_user(role=Role.PROVIDER, organisation=self.contract.provider)
        client = login(provider)
        add = reverse("contracts:financialline_create", args=[obj.pk])
        assert client.get(add).status_code == 200
        response = client.post(add, {})
        assert response.status_code == 400
        assert "Describe what was delivered." in form_errors(response)[0]
        response = client.post(
            add, {"description": "Group sessions", "unit_price": "£1,200", "units_delivered": "3"}
        )
        assert response.status_code == 302, form_errors(response)
        line = obj.lines.get()
        assert (line.amount, line.history.get().history_user) == (D("3600.00"), provider)
        page = client.get(reverse(self.detail_url_name, args=[obj.pk])).content.decode()
        delete = reverse("contracts:financialline_delete", args=[line.pk])
        assert delete in page
        assert client.get(delete).status_code == 405
        assert client.post(delete).status_code == 302
        assert not obj.lines.exists()
        history = client.get(reverse(self.tab_url_names[0], args=[obj.pk])).content.decode()
        assert "Removed: Group sessions" in history

    def test_line_pages_keep_to_scope_and_permission(self, client, make_user, login):
        obj = self.make()
        line = FinancialLineFactory(financial_return=obj)
        add = reverse("contracts:financialline_create", args=[obj.pk])
        delete = reverse("contracts:financialline_delete", args=[line.pk])
        assert client.get(add)["Location"].startswith(reverse("login"))
        assert client.post(delete)["Location"].startswith(reverse("login"))
        for role in (None, Role.SMG, Role.AUDITOR, Role.PDM):
            other = login(make_user(role=role))
            assert other.get(add).status_code == 403, role
            assert other.post(delete).status_code == 403, role
        for outsider in (
            make_user(role=Role.CONTRACT_MANAGER),
            make_user(role=Role.PROVIDER, organisation=OrganisationFactory()),
        ):
            other = login(outsider)
            assert other.get(add).status_code == 404
            assert other.post(delete).status_code == 404
        assert obj.lines.count() == 1

    def test_a_submitted_return_offers_no_changes(self, login):
        obj = self.make()
        line = FinancialLineFactory(financial_return=obj)
        obj.status = ReturnStatus.SUBMITTED
        obj.save()
        client = login(self.writer)
        page = client.get(reverse(self.detail_url_name, args=[obj.pk])).content.decode()
        assert reverse(self.update_url_name, args=[obj.pk]) not in page
        assert reverse("contracts:financialline_create", args=[obj.pk]) not in page
        assert reverse("contracts:financialreturn_transition", args=[obj.pk, "accept"]) in page
        response = client.post(reverse("contracts:financialline_delete", args=[line.pk]))
        assert response.status_code == 302
        assert obj.lines.count() == 1

    def test_detail_queries_do_not_grow_with_lines(self, login):
        obj = self.make()
        client = login(self.writer)
        url = reverse(self.detail_url_name, args=[obj.pk])
        history = reverse(self.tab_url_names[0], args=[obj.pk])
        before = (count_queries(client, url), count_queries(client, history))
        FinancialLineFactory.create_batch(8, financial_return=obj)
        assert (count_queries(client, url), count_queries(client, history)) == before

    def test_csv_exports_bare_figures(self, login):
        obj = self.make()
        obj.budget, obj.actual_spend = D("1000"), D("1100")
        obj.save()
        FinancialLineFactory(financial_return=obj, unit_price=D("2.5"), units_delivered=D("3"))
        response = login(self.writer).get(reverse(self.list_url_name) + "?export=csv")
        rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
        [row] = [r for r in rows if r["Period"] == str(obj.period)]
        assert (row["Variance"], row["Variance (%)"], row["Unit-priced lines total"]) == (
            "100.00",
            "10.0",
            "7.50",
        )


class TestReportingPeriodViews(ReturnPagesMixin, ModelViewTests):
    """A period has no list of its own: every period has exactly one performance return,
    so the portfolio's list of performance returns is the list of periods."""

    model = ReportingPeriod
    list_url_name = "contracts:performancereturn_list"
    detail_url_name = "contracts:period_detail"
    tab_url_names = ("contracts:period_history",)

    def make(self, **kwargs):
        return self.make_period()

    def list_text(self, obj):
        return str(obj)

    def test_the_period_shows_both_returns_and_their_due_dates(self, login):
        with at(datetime.date(2020, 7, 22)):
            period = self.make()  # Q1 2020-21: performance due 21 July, finance 28 July
            page = login(self.writer).get(reverse(self.detail_url_name, args=[period.pk]))
        page = page.content.decode()
        assert period.performance_return.get_absolute_url() in page
        assert period.financial_return.get_absolute_url() in page
        assert "21 July 2020" in page and "28 July 2020" in page
        assert page.count(">Missed yesterday<") == 1  # the performance return
        assert ">Due in 6 days<" in page  # the financial return


class TestContractReturnsTab(ReturnPagesMixin, ModelViewTests):
    """The contract's Returns tab, as a tab of the contract's pages."""

    model = Contract
    list_url_name = "contracts:contract_list"
    detail_url_name = "contracts:contract_periods"

    def make(self, **kwargs):
        contract = ContractFactory(lead_officer=self.writer)
        self.make_period(contract)
        self.make_period(contract)
        return contract

    def list_text(self, obj):
        return obj.reference

    def test_list_queries_do_not_grow_with_rows(self, login):
        """The contract list belongs to the contract's pages; here the tab's queries do
        not grow with the contract's periods."""
        contract = self.make()
        client = login(self.writer)
        url = reverse(self.detail_url_name, args=[contract.pk])
        few = count_queries(client, url)
        for _ in range(6):
            self.make_period(contract)
        assert count_queries(client, url) == few

    def test_rows_are_newest_first_with_tags_and_overdue_flags(self, login):
        contract = ContractFactory(lead_officer=self.writer)
        with at(datetime.date(2020, 10, 22)):
            first = self.make_period(contract)  # Q1 2020-21, both overdue
            second = self.make_period(contract)  # Q2 2020-21, due 21 and 28 October
            first.performance_return.status = ReturnStatus.ACCEPTED
            first.performance_return.rag = Rag.AMBER
            first.performance_return.save()
            page = login(self.writer).get(reverse(self.detail_url_name, args=[contract.pk]))
        page = page.content.decode()
        assert page.index(second.label) < page.index(first.label)
        assert "govuk-tag--orange" in page  # amber
        # Q1's financial return and Q2's performance one are missed; Q1's performance
        # return is in, so its due date is only a date.
        assert page.count("govuk-tag--red app-deadline__tag") == 2
        assert page.count('data-deadline="') == 3

    def test_the_tab_never_opens_periods_itself(self, login):
        contract = ContractFactory(lead_officer=self.writer)
        page = login(self.writer).get(reverse(self.detail_url_name, args=[contract.pk]))
        assert page.status_code == 200
        assert 'data-testid="no-periods"' in page.content.decode()
        assert not contract.periods.exists()

    def test_officers_open_the_current_quarter(self, login):
        contract = ContractFactory(lead_officer=self.writer, start_date=datetime.date(2026, 4, 1))
        url = reverse("contracts:contract_periods_open", args=[contract.pk])
        client = login(self.writer)
        tab = client.get(reverse(self.detail_url_name, args=[contract.pk])).content.decode()
        assert url in tab
        assert client.get(url).status_code == 405
        with at(TODAY):
            response = client.post(url, follow=True)
        assert "Opened Q1 2026-27, Q2 2026-27, Q3 2026-27." in response.content.decode()
        assert contract.periods.count() == 3
        with at(TODAY):
            response = client.post(url, follow=True)
        assert "Every quarter up to this one is already open." in response.content.decode()

    def test_only_officers_may_open_a_quarter(self, client, make_user, login):
        contract = ContractFactory(lead_officer=self.writer)
        url = reverse("contracts:contract_periods_open", args=[contract.pk])
        assert client.post(url)["Location"].startswith(reverse("login"))
        for role in (None, Role.SMG, Role.AUDITOR, Role.PDM):
            assert login(make_user(role=role)).post(url).status_code == 403, role
        provider = make_user(role=Role.PROVIDER, organisation=contract.provider)
        assert login(provider).post(url).status_code == 403
        assert login(make_user(role=Role.CONTRACT_MANAGER)).post(url).status_code == 404
        tab = login(provider).get(reverse(self.detail_url_name, args=[contract.pk]))
        assert url not in tab.content.decode()
        assert not contract.periods.exists()


# -- The KPI trend chart ---------------------------------------------------------------------


def quarter_result(kpi, status, actual, rag, **quarter):
    """A result for ``kpi`` in a return with ``status``, in a quarter of its contract."""
    return KpiResultFactory(
        performance_return__period=ReportingPeriodFactory(contract=kpi.contract, **quarter),
        performance_return__status=status,
        kpi=kpi,
        actual=D(actual),
        rag=rag,
    )


@pytest.mark.django_db
class TestKpiTrend:
    def test_the_last_eight_submitted_or_accepted_results_oldest_first(self, contract):
        kpi = percentage_kpi(contract)
        for number in range(10):
            status = ReturnStatus.ACCEPTED if number % 2 else ReturnStatus.SUBMITTED
            if number == 9:
                status = ReturnStatus.DRAFT  # the current quarter, not yet in
            quarter = {"financial_year": 2020 + number // 4, "quarter": number % 4 + 1}
            quarter_result(kpi, status, 80 + number, Rag.AMBER, **quarter)
        trend = kpi_trend(kpi)
        assert [result.actual for result in trend] == [D(n) for n in range(81, 89)]

    def test_the_kpi_page_draws_the_chart_with_its_figures(self, contract, officer, login):
        kpi = percentage_kpi(contract)
        for quarter, actual, rag in ((1, "92", Rag.GREEN), (2, "86", Rag.AMBER)):
            quarter_result(kpi, ReturnStatus.ACCEPTED, actual, rag, quarter=quarter)
        client = login(officer)
        url = reverse("contracts:contractkpi_detail", args=[kpi.pk])
        page = client.get(url).content.decode()
        assert '<svg xmlns="http://www.w3.org/2000/svg"' in page
        assert 'role="img"' in page
        assert "Q1 2025-26: 92% (green); Q2 2025-26: 86% (amber). Target: 90%." in page
        assert 'stroke-dasharray="8 5"' in page  # the target line
        few = count_queries(client, url)
        for quarter in (3, 4):
            quarter_result(kpi, ReturnStatus.SUBMITTED, "95", Rag.GREEN, quarter=quarter)
        assert count_queries(client, url) == few

    def test_the_kpi_chart_is_named_for_the_kpi_and_shows_its_figures(
        self, contract, officer, login
    ):
        kpi = percentage_kpi(contract, name="Complaints upheld", unit=KpiUnit.COUNT, target=D(2))
        kpi.direction, kpi.amber_tolerance = KpiDirection.LOWER, D(1)
        kpi.save()
        for quarter, actual, rag in ((1, "1", Rag.GREEN), (2, "3", Rag.AMBER)):
            quarter_result(kpi, ReturnStatus.ACCEPTED, actual, rag, quarter=quarter)
        response = login(officer).get(reverse("contracts:contractkpi_detail", args=[kpi.pk]))
        page = response.content.decode()
        chart = response.context["trend"]["chart"]
        assert chart.title == (
            "Complaints upheld (number): results of the last 2 returns against the target"
        )
        assert (chart.x_label, chart.y_label) == ("Quarter", "Number")
        assert chart.rows == (
            ("Q1 2025-26", "1", "Green", "2"),
            ("Q2 2025-26", "3", "Amber", "2"),
        )
        # Counted complaints step in whole numbers on the axis.
        ticks = re.findall(r'class="chart-y-tick">([^<]+)<', chart)
        assert ticks and all(tick.isdigit() for tick in ticks)
        assert_page_shows_figures(page, "kpi-trend", chart, details=False)

    def test_a_kpi_with_no_results_says_so(self, contract, officer, login):
        kpi = percentage_kpi(contract)
        page = login(officer).get(reverse("contracts:contractkpi_detail", args=[kpi.pk]))
        assert 'data-testid="kpi-trend-empty"' in page.content.decode()


@pytest.mark.django_db
class TestReturnDeadlines:
    """The returns lists put missed due dates first, say in words which are missed or
    due, and filter by it."""

    def test_missed_first_then_due_then_coming_up_then_returns_in(self, make_user, login):
        contract = ContractFactory()

        def quarter(year, number, status=ReturnStatus.DRAFT):
            period = ReportingPeriodFactory(contract=contract, financial_year=year, quarter=number)
            return PerformanceReturnFactory(period=period, status=status)

        submitted = quarter(2025, 4, ReturnStatus.SUBMITTED)
        missed = quarter(2026, 1)
        due = quarter(2026, 2)
        later = quarter(2026, 3)
        today = due.period.performance_due_on - datetime.timedelta(days=2)
        url = reverse("contracts:performancereturn_list")
        client = login(make_user(role=Role.AUDITOR))
        with at(today):
            response = client.get(url)
            rows = list(
                csv.DictReader(
                    io.StringIO(
                        b"".join(client.get(url + "?export=csv").streaming_content).decode()
                    )
                )
            )

            def listed(query):
                return list(client.get(url + query).context["page"].object_list)

            assert listed("?deadline=missed") == [missed]
            assert listed("?deadline=due") == [due]
            assert listed("?deadline=upcoming") == [later]
            assert listed("?overdue=true") == [missed]
        assert list(response.context["page"].object_list) == [missed, due, later, submitted]
        states = [row["Due date: missed or due"] for row in rows]
        assert states[0].startswith("Missed ") and states[0].endswith(" days ago")
        assert states[1:] == ["Due in 2 days", states[2], ""]
        assert states[2].startswith("Due in ")
        html = response.content.decode()
        assert html.index("govuk-tag--red app-deadline__tag") < html.index("Due in 2 days")


@pytest.mark.django_db
def test_the_latest_rag_is_read_once_for_the_page_and_the_rag_history(contract, officer, login):
    """The contract page's latest return and the RAG history read the same reported
    returns: submitted or accepted, the latest quarter first; a draft or a return sent
    back for correction is in neither."""
    rags = {
        1: (ReturnStatus.ACCEPTED, Rag.GREEN),
        2: (ReturnStatus.SUBMITTED, Rag.AMBER),
        3: (ReturnStatus.RETURNED, Rag.RED),
        4: (ReturnStatus.DRAFT, Rag.RED),
    }
    for quarter, (status, rag) in rags.items():
        period = ReportingPeriodFactory(contract=contract, financial_year=2025, quarter=quarter)
        PerformanceReturnFactory(period=period, status=status, rag=rag)
    reported = list(reported_returns(contract))
    assert [(r.period.quarter, r.rag) for r in reported] == [(2, Rag.AMBER), (1, Rag.GREEN)]
    page = login(officer).get(contract.get_absolute_url()).content.decode()
    latest = page.split('data-testid="latest-rag"')[1].split("</dd>")[0]
    assert "Amber" in latest and reported[0].period.label in latest
    chart = rag_history_chart(contract)
    assert reported[0].period.label in chart and reported[1].period.label in chart
    assert "Q3" not in chart and "Q4" not in chart
