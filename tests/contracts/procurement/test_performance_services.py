"""Contract performance under the Act: the suggested rating, every refusal of the
assessment and breach services (saving nothing), SMG's four-eyes approval, the UK9
notices owed on approval and on recording a breach, and the daily sweep owing each
assessment once, on frozen days including weekends and bank holidays."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
import time_machine

from contracts.performance.choices import ReturnStatus
from contracts.procurement.choices import NoticeKind, NoticeStatus, Regime
from contracts.procurement.models import ContractEnding, Notice
from contracts.procurement.ocds import packages
from contracts.procurement.ocds.schema import release_package_errors
from contracts.procurement.performance import services
from contracts.procurement.performance.choices import (
    AssessmentOccasion,
    AssessmentRating,
    AssessmentStatus,
    BreachConsequence,
    FailureKind,
    FailureStatus,
    PenaltyType,
)
from contracts.procurement.performance.models import PerformanceAssessment, PerformanceFailure
from contracts.register.choices import ContractStatus, Rag
from governance.core.roles import Role
from tests.checks import refused
from tests.contracts.performance.return_factories import (
    KpiResultFactory,
    PerformanceReturnFactory,
    ReportingPeriodFactory,
)
from tests.contracts.procurement.factories import act_contract
from tests.contracts.procurement.performance_factories import (
    AssessmentFactory,
    FailureFactory,
    published_kpi,
)

D = datetime.date
LONDON = zoneinfo.ZoneInfo("Europe/London")

pytestmark = pytest.mark.django_db


def frozen(day: datetime.date):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(10), LONDON), tick=False
    )


@pytest.fixture(autouse=True)
def _today():
    with frozen(D(2026, 6, 15)):
        yield


@pytest.fixture
def smg(make_user):
    return make_user(role=Role.SMG)


@pytest.fixture
def contract(officer):
    return act_contract(lead_officer=officer)


@pytest.fixture
def kpi(contract):
    return published_kpi(contract, name="Victims contacted within 2 days")


def start(contract, officer, kpi, **fields):
    return services.assessment_start(
        contract=contract,
        actor=officer,
        kpi=kpi,
        period_start=fields.pop("period_start", D(2025, 4, 1)),
        period_end=fields.pop("period_end", D(2026, 3, 31)),
        **fields,
    )


def reported(kpi, quarter_rags: list[tuple[int, int, str]], status=ReturnStatus.ACCEPTED):
    """Results of ``kpi`` for (financial year, quarter, rag), in returns of ``status``."""
    for year, quarter, rag in quarter_rags:
        period = ReportingPeriodFactory(contract=kpi.contract, financial_year=year, quarter=quarter)
        performance = PerformanceReturnFactory(period=period, status=status)
        KpiResultFactory(performance_return=performance, kpi=kpi, actual=Decimal(1), rag=rag)


# -- The suggested rating -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("rags", "rating"),
    [
        ([Rag.GREEN] * 4, AssessmentRating.GOOD),
        ([Rag.GREEN, Rag.GREEN, Rag.AMBER, Rag.GREEN], AssessmentRating.APPROACHING),
        ([Rag.GREEN, Rag.RED, Rag.AMBER, Rag.RED], AssessmentRating.REQUIRES_IMPROVEMENT),
        ([Rag.RED, Rag.RED, Rag.AMBER, Rag.RED], AssessmentRating.INADEQUATE),
        ([Rag.RED, Rag.NONE, Rag.GREEN], AssessmentRating.REQUIRES_IMPROVEMENT),
        ([Rag.NONE, Rag.NONE], ""),
        ([], ""),
    ],
)
def test_the_rag_history_suggests_a_rating(rags, rating):
    assert services.propose_rating(rags).rating == rating


def test_the_suggestion_says_what_it_rests_on():
    proposal = services.propose_rating([Rag.GREEN, Rag.AMBER, Rag.RED, Rag.GREEN])
    assert proposal.basis == "4 reported quarters: 2 green, 1 amber, 1 red."


def test_the_suggestion_reads_the_reported_quarters_of_the_period(contract, officer, kpi):
    reported(kpi, [(2025, 1, Rag.GREEN), (2025, 2, Rag.RED), (2025, 3, Rag.RED)])
    reported(kpi, [(2025, 4, Rag.RED)], status=ReturnStatus.DRAFT)  # not reported yet
    reported(kpi, [(2026, 1, Rag.RED)])  # after the period
    assessment = start(contract, officer, kpi)
    assert assessment.proposed_rating == AssessmentRating.INADEQUATE
    assert assessment.proposal_basis == "3 reported quarters: 1 green, 0 amber, 2 red."


# -- Starting and rating --------------------------------------------------------------------


def test_starting_keeps_who_and_why(contract, officer, kpi):
    assessment = start(contract, officer, kpi, reason="Agreed at the annual review")
    assert (assessment.status, assessment.due_on) == (AssessmentStatus.DUE, D(2026, 3, 31))
    record = assessment.history.get()
    assert (record.history_user, record.history_change_reason) == (
        officer,
        "Agreed at the annual review",
    )


def test_contracts_under_the_earlier_regime_owe_no_assessments(officer):
    earlier = act_contract(lead_officer=officer, procurement__regime=Regime.EARLIER)
    error = refused(start, contract=earlier, officer=officer, kpi=published_kpi(earlier))
    assert "owes no performance assessments" in error.messages[0]
    assert not PerformanceAssessment.objects.exists()


def test_only_published_indicators_are_assessed(contract, officer):
    unpublished = published_kpi(contract, is_key_indicator=False)
    error = refused(start, contract=contract, officer=officer, kpi=unpublished)
    assert error.message_dict["kpi"] == [
        "Only the indicators published as key performance indicators are assessed for a "
        "contract performance notice."
    ]


@pytest.mark.parametrize(
    ("period", "field", "message"),
    [
        (
            (D(2025, 4, 1), D(2026, 4, 1)),
            "period_end",
            "An assessment covers at most 12 months: the period starting 1 April 2025 ends "
            "by 31 March 2026.",
        ),
        (
            (D(2025, 3, 31), D(2025, 12, 31)),
            "period_start",
            "The period cannot start before the contract did, on 1 April 2025.",
        ),
        (
            (D(2026, 1, 1), D(2025, 12, 31)),
            "period_end",
            "The period must end on or after the day it starts.",
        ),
    ],
)
def test_the_period_is_checked(contract, officer, kpi, period, field, message):
    error = refused(
        start,
        contract=contract,
        officer=officer,
        kpi=kpi,
        period_start=period[0],
        period_end=period[1],
    )
    assert message in error.message_dict[field]
    assert not PerformanceAssessment.objects.exists()


def test_a_period_is_assessed_once(contract, officer, kpi):
    start(contract, officer, kpi)
    error = refused(
        start,
        contract=contract,
        officer=officer,
        kpi=kpi,
        period_start=D(2026, 3, 1),
        period_end=D(2026, 6, 1),
    )
    assert error.message_dict["period_start"] == [
        "This indicator is already assessed from 1 April 2025 to 31 March 2026: choose a "
        "period that does not overlap it."
    ]


@pytest.mark.parametrize("rating", ["excellent", "GOOD", "met"])
def test_a_rating_outside_the_five_is_refused(contract, officer, kpi, rating):
    error = refused(start, contract=contract, officer=officer, kpi=kpi, rating=rating)
    assert error.message_dict["rating"][0] == (
        "Choose Good, Approaching target, Requires improvement, Inadequate or Other."
    )
    assert not PerformanceAssessment.objects.exists()


def test_other_needs_an_explanation(contract, officer, kpi):
    assessment = start(contract, officer, kpi)
    error = refused(
        services.assessment_update,
        instance=assessment,
        actor=officer,
        reason="Rated",
        rating=AssessmentRating.OTHER,
        explanation="  ",
    )
    assert error.message_dict == {"explanation": ["Explain why the rating is Other."]}
    assessment.refresh_from_db()
    assert assessment.rating == ""


def test_only_the_contracts_officers_rate(contract, officer, kpi, make_user):
    assessment = start(contract, officer, kpi)
    for outsider in (make_user(role=Role.CONTRACT_MANAGER), make_user(role=Role.SMG)):
        error = refused(
            services.assessment_update,
            instance=assessment,
            actor=outsider,
            reason="Rated",
            rating=AssessmentRating.GOOD,
        )
        assert error.messages == [services.assessments.OFFICERS_ONLY]


# -- The status machine ---------------------------------------------------------------------


def rated(contract, officer, kpi, rating=AssessmentRating.GOOD):
    assessment = start(contract, officer, kpi, rating=rating)
    return services.assessment_transition(
        assessment=assessment, to=AssessmentStatus.SUBMITTED, actor=officer
    )


def test_an_unrated_assessment_is_not_sent_to_smg(contract, officer, kpi):
    assessment = start(contract, officer, kpi)
    error = refused(
        services.assessment_transition,
        assessment=assessment,
        to=AssessmentStatus.SUBMITTED,
        actor=officer,
    )
    assert error.message_dict == {
        "rating": ["Choose a rating before sending the assessment to SMG."]
    }
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DUE


def test_a_period_not_yet_begun_is_not_assessed(contract, officer, kpi):
    assessment = start(
        contract,
        officer,
        kpi,
        period_start=D(2026, 7, 1),
        period_end=D(2027, 3, 31),
        rating=AssessmentRating.GOOD,
    )
    error = refused(
        services.assessment_transition,
        assessment=assessment,
        to=AssessmentStatus.SUBMITTED,
        actor=officer,
    )
    assert "performance can be assessed once the period has begun" in error.messages[0]


def test_smg_approves_and_the_uk9_notice_is_owed(contract, officer, kpi, smg):
    assessment = rated(contract, officer, kpi)
    assert assessment.assessed_by == officer
    approved = services.assessment_transition(
        assessment=assessment, to=AssessmentStatus.APPROVED, actor=smg, notes="Agreed"
    )
    assert (approved.status, approved.approved_by, approved.approved_on) == (
        AssessmentStatus.APPROVED,
        smg,
        D(2026, 6, 15),
    )
    notice = Notice.objects.get(contract=contract)
    assert (notice.kind, notice.status, notice.due_on, notice.key) == (
        NoticeKind.PERFORMANCE,
        NoticeStatus.DUE,
        D(2026, 7, 15),
        f"assessment:{assessment.pk}",
    )
    assert notice.source == approved
    assert approved.history.first().history_change_reason == "Agreed"


def test_nobody_approves_an_assessment_they_rated(contract, make_user, kpi):
    both = make_user(role=Role.CONTRACT_MANAGER)
    both.groups.add(*make_user(role=Role.SMG).groups.all())
    contract.deputy_officer = both
    contract.save()
    assessment = rated(contract, both, kpi)
    assert services.assessment_approval_refusal(assessment, both)
    error = refused(
        services.assessment_transition,
        assessment=assessment,
        to=AssessmentStatus.APPROVED,
        actor=both,
    )
    assert error.messages == ["You rated this assessment, so someone else must approve it."]
    assert not Notice.objects.exists()


def test_officers_do_not_approve(contract, officer, kpi):
    assessment = rated(contract, officer, kpi)
    deputy = contract.deputy_officer
    for person in (officer, deputy) if deputy else (officer,):
        error = refused(
            services.assessment_transition,
            assessment=assessment,
            to=AssessmentStatus.APPROVED,
            actor=person,
        )
        assert error.messages == [
            "Only a member of the Senior Management Group can approve a performance assessment."
        ]


def test_smg_sends_back_with_a_reason(contract, officer, kpi, smg):
    assessment = rated(contract, officer, kpi)
    error = refused(
        services.assessment_transition,
        assessment=assessment,
        to=AssessmentStatus.DUE,
        actor=smg,
        notes=" ",
    )
    assert error.message_dict == {"notes": ["Say what needs to change before you can approve it."]}
    back = services.assessment_transition(
        assessment=assessment, to=AssessmentStatus.DUE, actor=smg, notes="Two quarters missing"
    )
    assert (back.status, back.decision_notes) == (AssessmentStatus.DUE, "Two quarters missing")


def test_an_approved_assessment_is_final(contract, officer, kpi, smg):
    assessment = rated(contract, officer, kpi)
    services.assessment_transition(assessment=assessment, to=AssessmentStatus.APPROVED, actor=smg)
    error = refused(
        services.assessment_transition,
        assessment=assessment,
        to=AssessmentStatus.DUE,
        actor=smg,
        notes="Reconsider",
    )
    assert error.messages == ["This assessment is approved, so it cannot be sent back."]
    error = refused(
        services.assessment_update,
        instance=assessment,
        actor=officer,
        reason="Fix",
        rating=AssessmentRating.INADEQUATE,
    )
    assert "can no longer be changed" in error.messages[0]


def test_an_assessment_still_owed_cannot_be_cancelled(contract, officer, kpi):
    assessment = start(contract, officer, kpi)
    error = refused(
        services.assessment_transition,
        assessment=assessment,
        to=AssessmentStatus.CANCELLED,
        actor=officer,
        notes="Not needed",
    )
    assert "still owed" in error.messages[0]
    kpi.is_key_indicator = False
    kpi.save()
    cancelled = services.assessment_transition(
        assessment=assessment,
        to=AssessmentStatus.CANCELLED,
        actor=officer,
        notes="No longer published",
    )
    assert cancelled.status == AssessmentStatus.CANCELLED


# -- Notice deadlines on frozen days ----------------------------------------------------------


@pytest.mark.parametrize(
    ("rated_on", "due_on"),
    [
        # Rated on a Thursday: 30 calendar days later is a Saturday, and stays there.
        (D(2026, 11, 26), D(2026, 12, 26)),
        # Due on Good Friday 2027 (a bank holiday): the deadline does not move.
        (D(2027, 2, 24), D(2027, 3, 26)),
        # Rated on a Sunday, across the end of the financial year.
        (D(2027, 3, 7), D(2027, 4, 6)),
    ],
)
def test_the_uk9_notice_is_due_30_calendar_days_after_the_assessment(
    contract, officer, kpi, smg, rated_on, due_on
):
    assessment = start(contract, officer, kpi, rating=AssessmentRating.GOOD)
    with frozen(rated_on):
        services.assessment_transition(
            assessment=assessment, to=AssessmentStatus.SUBMITTED, actor=officer
        )
    # SMG approves three weeks later: the deadline still runs from the assessment.
    with frozen(rated_on + datetime.timedelta(days=21)):
        services.assessment_transition(
            assessment=assessment, to=AssessmentStatus.APPROVED, actor=smg
        )
    assert Notice.objects.get().due_on == due_on
    assessment.refresh_from_db()
    assert (services.assessed_on(assessment), services.uk9_due_on(assessment)) == (
        rated_on,
        due_on,
    )


def test_an_approval_after_the_deadline_owes_a_notice_already_overdue(contract, officer, kpi, smg):
    assessment = rated(contract, officer, kpi)
    with frozen(D(2026, 7, 20)):
        services.assessment_transition(
            assessment=assessment, to=AssessmentStatus.APPROVED, actor=smg
        )
    # Rated on 15 June: due on 15 July, five days before SMG approved it.
    assert Notice.objects.get().due_on == D(2026, 7, 15)


def test_nothing_is_due_before_the_assessment_is_rated(contract, officer, kpi):
    assessment = start(contract, officer, kpi, rating=AssessmentRating.GOOD)
    assert services.uk9_due_on(assessment) is None


def test_the_notice_period_is_a_setting(contract, officer, kpi, smg, settings):
    settings.PROCUREMENT_UK9_DUE_DAYS = 45
    assessment = rated(contract, officer, kpi)
    services.assessment_transition(assessment=assessment, to=AssessmentStatus.APPROVED, actor=smg)
    assert Notice.objects.get().due_on == D(2026, 7, 30)


# -- The daily sweep ------------------------------------------------------------------------


def test_the_sweep_owes_the_yearly_assessment_30_days_ahead(contract, kpi):
    published_kpi(contract, is_key_indicator=False)
    earlier = act_contract(procurement__regime=Regime.EARLIER)
    published_kpi(earlier)
    # Due on 31 March 2026: owed from 1 March 2026 (a Sunday), not a day before.
    assert services.annual_assessments_owe(D(2026, 2, 28)) == 0
    assert services.annual_assessments_owe(D(2026, 3, 1)) == 1
    assert services.annual_assessments_owe(D(2026, 3, 1)) == 0
    owed = PerformanceAssessment.objects.get()
    assert (owed.kpi, owed.period_start, owed.period_end, owed.due_on) == (
        kpi,
        D(2025, 4, 1),
        D(2026, 3, 31),
        D(2026, 3, 31),
    )
    assert owed.history.get().history_change_reason.startswith("Owed")


def test_the_next_period_follows_the_last_one_assessed(contract, kpi):
    AssessmentFactory(
        contract=contract, kpi=kpi, period_end=D(2025, 12, 31), due_on=D(2025, 12, 31)
    )
    # The next 12 months run from 1 January 2026 to 31 December 2026 (a bank holiday
    # falls the week before; the due date stays the period's last day).
    assert services.annual_assessments_owe(D(2026, 12, 1)) == 1
    owed = PerformanceAssessment.objects.order_by("-period_end").first()
    assert (owed.period_start, owed.period_end, owed.due_on) == (
        D(2026, 1, 1),
        D(2026, 12, 31),
        D(2026, 12, 31),
    )


def test_every_missed_year_is_owed(contract, kpi):
    assert services.annual_assessments_owe(D(2027, 4, 2)) == 2
    assert list(
        PerformanceAssessment.objects.order_by("period_end").values_list("period_end", flat=True)
    ) == [
        D(2026, 3, 31),
        D(2027, 3, 31),
    ]


def test_a_year_past_the_contracts_end_is_left_to_the_end_of_contract_assessment(officer):
    short = act_contract(
        lead_officer=officer,
        start_date=D(2025, 4, 1),
        initial_end_date=D(2026, 1, 31),
    )
    published_kpi(short)
    assert services.annual_assessments_owe(D(2026, 1, 15)) == 0


def test_an_ended_contract_owes_its_last_assessment(contract, kpi, officer):
    AssessmentFactory(contract=contract, kpi=kpi, status=AssessmentStatus.APPROVED, rating="good")
    contract.status = ContractStatus.TERMINATED
    contract.save()
    ContractEnding.objects.create(contract=contract, ended_on=D(2026, 8, 14), cause="mutual")
    assert services.ending_assessments_owe(D(2026, 8, 17)) == 1
    assert services.ending_assessments_owe(D(2026, 8, 18)) == 0
    owed = PerformanceAssessment.objects.get(occasion=AssessmentOccasion.ENDING)
    assert (owed.period_start, owed.period_end, owed.due_on) == (
        D(2026, 4, 1),
        D(2026, 8, 14),
        D(2026, 9, 13),
    )


def test_an_expired_contract_is_assessed_up_to_its_end(officer):
    ended = act_contract(
        lead_officer=officer, initial_end_date=D(2026, 5, 31), status=ContractStatus.ENDED
    )
    kpi = published_kpi(ended)
    assert services.ending_assessments_owe(D(2026, 6, 15)) == 1
    owed = PerformanceAssessment.objects.get(kpi=kpi)
    assert (owed.period_start, owed.period_end) == (D(2025, 6, 1), D(2026, 5, 31))


def test_an_exempt_contract_owes_nothing(officer, settings):
    settings.PROCUREMENT_DUTY_EXEMPT_FLAGS = {
        **settings.PROCUREMENT_DUTY_EXEMPT_FLAGS,
        "uk9": ["framework"],
    }
    framework = act_contract(lead_officer=officer, procurement__framework=True)
    published_kpi(framework)
    assert services.annual_assessments_owe(D(2026, 6, 15)) == 0
    assert not services.owes_assessments(framework)


# -- Breaches and poor performance ----------------------------------------------------------


def breach(**overrides):
    return {
        "kind": FailureKind.BREACH,
        "consequence": BreachConsequence.DAMAGES,
        "consequence_on": D(2026, 5, 1),
        "requirement": "Out-of-hours helpline answered within 60 seconds",
        "description": "The helpline went unanswered overnight for three weeks.",
        "penalty_type": PenaltyType.IMPOSED,
        "penalty_value": Decimal("25000.00"),
        **overrides,
    }


def test_a_breach_says_what_it_led_to(contract, officer):
    error = refused(
        services.failure_propose,
        contract=contract,
        actor=officer,
        **breach(consequence="", consequence_on=None),
    )
    assert set(error.message_dict) == {"consequence", "consequence_on"}
    assert not PerformanceFailure.objects.exists()


def test_poor_performance_needs_the_chance_to_improve(contract, officer):
    error = refused(
        services.failure_propose,
        contract=contract,
        actor=officer,
        **breach(kind=FailureKind.POOR_PERFORMANCE, consequence="", consequence_on=None),
    )
    assert list(error.message_dict) == ["improvement_notice_on"]


def test_a_penalty_amount_needs_its_type(contract, officer):
    error = refused(
        services.failure_propose, contract=contract, actor=officer, **breach(penalty_type="")
    )
    assert error.message_dict == {
        "penalty_type": ["Select how the penalty was decided, or leave the amount empty."]
    }


def test_dates_in_the_future_are_refused(contract, officer):
    error = refused(
        services.failure_propose,
        contract=contract,
        actor=officer,
        **breach(consequence_on=D(2026, 6, 16)),
    )
    assert error.message_dict == {"consequence_on": ["The date cannot be in the future."]}


def test_smg_records_a_breach_and_the_uk9_notice_is_owed(contract, officer, smg):
    failure = services.failure_propose(contract=contract, actor=officer, **breach())
    error = refused(
        services.failure_record, failure=failure, actor=officer, decided_on=D(2026, 6, 1)
    )
    assert "Only a member of the Senior Management Group" in error.messages[0]
    error = refused(services.failure_record, failure=failure, actor=smg, decided_on=D(2026, 4, 30))
    assert error.message_dict["decided_on"] == [
        "The decision cannot come before 1 May 2026, the date it rests on."
    ]
    # Decided on Friday 22 May 2026: due on Sunday 21 June, where it stays.
    recorded = services.failure_record(failure=failure, actor=smg, decided_on=D(2026, 5, 22))
    assert recorded.status == FailureStatus.RECORDED
    notice = Notice.objects.get()
    assert (notice.kind, notice.due_on, notice.key) == (
        NoticeKind.BREACH,
        D(2026, 6, 21),
        f"failure:{failure.pk}",
    )
    error = refused(services.failure_decline, failure=failure, actor=smg, notes="Changed mind")
    assert error.messages == ["This record is already recorded for publication."]


def test_nobody_decides_what_they_proposed(contract, make_user):
    both = make_user(role=Role.CONTRACT_MANAGER)
    both.groups.add(*make_user(role=Role.SMG).groups.all())
    contract.deputy_officer = both
    contract.save()
    failure = services.failure_propose(contract=contract, actor=both, **breach())
    error = refused(services.failure_record, failure=failure, actor=both, decided_on=D(2026, 6, 1))
    assert error.messages == [
        "You proposed this record, so someone else must decide whether to publish it."
    ]
    assert not Notice.objects.exists()


def test_declining_needs_a_reason(smg):
    failure = FailureFactory()
    error = refused(services.failure_decline, failure=failure, actor=smg, notes="")
    assert error.message_dict == {"notes": ["Give the reason it is not to be published."]}
    declined = services.failure_decline(failure=failure, actor=smg, notes="Settled privately")
    assert declined.status == FailureStatus.DECLINED
    assert not Notice.objects.exists()


def test_a_breach_on_the_earlier_regime_is_refused(officer):
    earlier = act_contract(lead_officer=officer, procurement__regime=Regime.EARLIER)
    error = refused(services.failure_propose, contract=earlier, actor=officer, **breach())
    assert "owes no performance assessments" in error.messages[0]
    assert not PerformanceFailure.objects.exists()


# -- The notices these records owe, as OCDS ------------------------------------------------


def _only_release(notice) -> dict:
    package = packages.notice_package(notice, "https://example.org/notices/1/ocds/")
    assert release_package_errors(package) == []
    [release] = package["releases"]
    return release


def test_an_approved_assessment_exports_its_rating_as_a_valid_release(contract, officer, kpi, smg):
    assessment = rated(contract, officer, kpi, rating=AssessmentRating.REQUIRES_IMPROVEMENT)
    services.assessment_transition(
        assessment=assessment, to=AssessmentStatus.APPROVED, actor=smg, notes="Agreed"
    )
    release = _only_release(Notice.objects.get(contract=contract))
    [metric] = release["contracts"][0]["implementation"]["metrics"]
    rating = metric["observations"][-1]
    assert rating["id"] == f"assessment-{assessment.pk}"
    assert rating["measureClassification"]["id"] == "below"


def test_a_recorded_breach_exports_its_failure_as_a_valid_release(contract, officer, smg):
    failure = services.failure_propose(contract=contract, actor=officer, **breach())
    services.failure_record(failure=failure, actor=smg, decided_on=D(2026, 5, 22))
    release = _only_release(Notice.objects.get())
    [entry] = release["contracts"][0]["implementation"]["performanceFailures"]
    assert entry["id"] == f"failure-{failure.pk}"
    assert entry["requirement"] == failure.requirement
