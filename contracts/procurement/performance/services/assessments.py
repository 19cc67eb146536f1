"""KPI performance assessments: the rating the RAG history suggests, starting and
rating an assessment, and its status machine."""

import copy
import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from contracts.performance.models.kpis import ContractKpi
from contracts.procurement import services as procurement
from contracts.procurement.choices import NoticeKind
from contracts.procurement.performance import selectors
from contracts.procurement.performance.choices import (
    AssessmentOccasion,
    AssessmentRating,
    AssessmentStatus,
)
from contracts.procurement.performance.models import PerformanceAssessment
from contracts.procurement.performance.services.common import (
    APPROVE,
    ASSESSED,
    ASSESSMENT_MONTHS,
    LIVE_OR_ENDED,
    OFFICERS_ONLY,
    Step,
    full_clean_collecting,
    local_today,
    notice_due_on,
    require_duty,
    stripped,
    take_step,
)
from contracts.register.choices import Rag
from contracts.register.models.contracts import Contract
from governance.core.datepolicy import on
from governance.core.dates import add_months
from governance.core.duties import different_person_refusal, require_different_person
from governance.core.permissions import officer_may, require_officer
from governance.core.row_locks import locked
from governance.core.service_fields import refuse_unknown_fields
from governance.core.services import record_save, record_update

# -- The rating the RAG history suggests ----------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    rating: str  # "" when nothing was reported
    basis: str


#: Said beside every suggestion, so the person rating knows how it was reached.
PROPOSAL_RULE = (
    "The suggestion counts the RAG status of this indicator in every submitted or "
    "accepted quarterly return for a quarter ending in the period: Good when every one "
    "is green; Approaching target when none is red but at least one is amber; Requires "
    "improvement when some, but no more than half, are red; Inadequate when more than "
    "half are red. It is only a suggestion: you decide the rating."
)


def propose_rating(rags: Iterable[str]) -> Proposal:
    """The rating a period's RAG statuses suggest, with what it rests on."""
    counted = [rag for rag in rags if rag in (Rag.GREEN, Rag.AMBER, Rag.RED)]
    if not counted:
        return Proposal(
            "", "No quarter in this period has a reported result, so there is nothing to go on."
        )
    green, amber, red = (counted.count(rag) for rag in (Rag.GREEN, Rag.AMBER, Rag.RED))
    total = len(counted)
    if red * 2 > total:
        rating = AssessmentRating.INADEQUATE
    elif red:
        rating = AssessmentRating.REQUIRES_IMPROVEMENT
    elif amber:
        rating = AssessmentRating.APPROACHING
    else:
        rating = AssessmentRating.GOOD
    quarters = f"{total} reported quarter{'' if total == 1 else 's'}"
    return Proposal(rating, f"{quarters}: {green} green, {amber} amber, {red} red.")


def assessment_proposal(assessment: PerformanceAssessment) -> Proposal:
    rags = selectors.kpi_rags_in_period(
        assessment.kpi_id, assessment.period_start, assessment.period_end
    )
    return propose_rating(rags)


# -- Checking an assessment -----------------------------------------------------------------


def _check_period(assessment: PerformanceAssessment, errors: dict) -> None:
    start, end, contract = assessment.period_start, assessment.period_end, assessment.contract
    if start is None:
        errors.setdefault("period_start", "Enter the first day of the period assessed.")
    if end is None:
        errors.setdefault("period_end", "Enter the last day of the period assessed.")
    if errors.keys() & {"period_start", "period_end"}:
        return
    if end < start:
        errors["period_end"] = "The period must end on or after the day it starts."
    elif end >= add_months(start, ASSESSMENT_MONTHS):
        errors["period_end"] = (
            f"An assessment covers at most {ASSESSMENT_MONTHS} months: the period starting "
            f"{on(start)} ends by {on(longest_period(start)[1])}."
        )
    if start < contract.start_date:
        errors.setdefault(
            "period_start",
            f"The period cannot start before the contract did, on {on(contract.start_date)}.",
        )
    if end > contract.current_end_date:
        errors.setdefault(
            "period_end",
            f"The period cannot end after the contract does, on {on(contract.current_end_date)}.",
        )
    if "period_end" in errors or "period_start" in errors:
        return
    overlapping = (
        PerformanceAssessment.objects.filter(
            kpi_id=assessment.kpi_id, period_start__lte=end, period_end__gte=start
        )
        .exclude(status=AssessmentStatus.CANCELLED)
        .exclude(pk=assessment.pk)
        .order_by("period_start")
        .first()
    )
    if overlapping is not None:
        errors["period_start"] = (
            f"This indicator is already assessed from {on(overlapping.period_start)} to "
            f"{on(overlapping.period_end)}: choose a period that does not overlap it."
        )


def _check_rating(assessment: PerformanceAssessment, errors: dict) -> None:
    if assessment.rating and assessment.rating not in AssessmentRating.values:
        errors["rating"] = (
            "Choose Good, Approaching target, Requires improvement, Inadequate or Other."
        )
    elif assessment.rating == AssessmentRating.OTHER and not assessment.explanation:
        errors["explanation"] = "Explain why the rating is Other."


def _check_assessment(assessment: PerformanceAssessment) -> None:
    errors: dict = {}
    kpi = assessment.kpi
    if kpi.contract_id != assessment.contract_id:
        errors["kpi"] = "Choose one of this contract's indicators."
    elif not kpi.is_key_indicator:
        errors["kpi"] = (
            "Only the indicators published as key performance indicators are assessed for "
            "a contract performance notice."
        )
    _check_period(assessment, errors)
    _check_rating(assessment, errors)
    full_clean_collecting(assessment, errors, exclude=["contract", "kpi"])


def longest_period(start: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The longest period an assessment from ``start`` may cover: 12 months."""
    return start, add_months(start, ASSESSMENT_MONTHS) - datetime.timedelta(days=1)


def assessment_due_on(occasion: str, period_end: datetime.date) -> datetime.date:
    if occasion == AssessmentOccasion.ENDING:
        return period_end + datetime.timedelta(days=settings.PROCUREMENT_UK9_ENDING_DAYS)
    return period_end


def refresh_proposal(assessment: PerformanceAssessment) -> None:
    proposal = assessment_proposal(assessment)
    assessment.proposed_rating, assessment.proposal_basis = proposal.rating, proposal.basis


# -- Starting and rating an assessment ------------------------------------------------------

#: What an officer sets on an assessment (the rest the service works out).
ASSESSMENT_FIELDS = ("period_start", "period_end", "rating", "explanation")
TEXT_FIELDS = ("rating", "explanation")


@transaction.atomic
def assessment_start(
    *,
    contract: Contract,
    actor,
    kpi: ContractKpi,
    period_start: datetime.date,
    period_end: datetime.date,
    occasion: str = AssessmentOccasion.ANNUAL,
    rating: str = "",
    explanation: str = "",
    reason: str = "",
) -> PerformanceAssessment:
    """An officer starts an assessment of one published KPI, for a period of their
    choosing (the sweep owes the yearly ones itself)."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    require_officer(actor, contract, PerformanceAssessment, "add", OFFICERS_ONLY)
    require_duty(contract)
    if contract.status not in LIVE_OR_ENDED:
        raise ValidationError("Performance is assessed once the contract is active.")
    if kpi is None:
        raise ValidationError({"kpi": "Choose the indicator to assess."})
    fields = stripped({"rating": rating or "", "explanation": explanation or ""})
    assessment = PerformanceAssessment(
        contract=contract,
        kpi=kpi,
        occasion=occasion or AssessmentOccasion.ANNUAL,
        period_start=period_start,
        period_end=period_end,
        **fields,
    )
    if period_end is not None:
        assessment.due_on = assessment_due_on(assessment.occasion, period_end)
    _check_assessment(assessment)
    refresh_proposal(assessment)
    return record_save(
        instance=assessment, actor=actor, reason=reason or "Performance assessment started"
    )


def _locked(assessment: PerformanceAssessment) -> PerformanceAssessment:
    return locked(assessment, "contract", "kpi")


@transaction.atomic
def assessment_update(
    *, instance: PerformanceAssessment, actor, reason: str, **fields
) -> list[str]:
    """Rate an assessment, or correct its period, while it is still to be assessed."""
    refuse_unknown_fields(fields, ASSESSMENT_FIELDS)
    assessment = _locked(instance)
    require_officer(actor, assessment.contract, PerformanceAssessment, "change", OFFICERS_ONLY)
    if assessment.status != AssessmentStatus.DUE:
        raise ValidationError(
            f"This assessment is {assessment.get_status_display().lower()}, so it can no "
            "longer be changed."
        )
    candidate = copy.copy(assessment)
    for name, value in stripped(fields).items():
        setattr(candidate, name, "" if value is None and name in TEXT_FIELDS else value)
    if candidate.period_end is not None:
        candidate.due_on = assessment_due_on(candidate.occasion, candidate.period_end)
    _check_assessment(candidate)
    refresh_proposal(candidate)
    changes = {
        name: getattr(candidate, name)
        for name in (*ASSESSMENT_FIELDS, "due_on", "proposed_rating", "proposal_basis")
    }
    return record_update(instance=assessment, fields=changes, actor=actor, reason=reason)


# -- The assessment's status machine --------------------------------------------------------


def may_approve_assessment(assessment: PerformanceAssessment, actor) -> bool:
    return actor.has_perm("contracts.approve_performanceassessment")


def may_run_assessment(assessment: PerformanceAssessment, actor) -> bool:
    return officer_may(actor, assessment.contract, PerformanceAssessment, "change")


def assessment_approval_refusal(assessment: PerformanceAssessment, actor) -> str:
    """Why ``actor`` may not approve the assessment because they rated it ("")."""
    return different_person_refusal(
        actor=actor, proposer=assessment.assessed_by_id, did=ASSESSED, step=APPROVE
    )


def _guard_submit(assessment: PerformanceAssessment, actor, notes: str) -> dict | list:
    problems: dict = {}
    if not assessment.rating:
        problems["rating"] = "Choose a rating before sending the assessment to SMG."
    elif assessment.rating == AssessmentRating.OTHER and not assessment.explanation:
        problems["explanation"] = "Explain why the rating is Other."
    if assessment.period_start > local_today():
        problems.setdefault(
            "__all__",
            f"The period assessed starts on {on(assessment.period_start)}: performance can "
            "be assessed once the period has begun.",
        )
    return problems


def _guard_approve(assessment: PerformanceAssessment, actor, notes: str) -> list:
    require_different_person(
        actor=actor, proposer=assessment.assessed_by_id, did=ASSESSED, step=APPROVE
    )
    return []


def _guard_return(assessment: PerformanceAssessment, actor, notes: str) -> dict:
    if not notes:
        return {"notes": "Say what needs to change before you can approve it."}
    return {}


def _guard_cancel(assessment: PerformanceAssessment, actor, notes: str) -> dict | list:
    """An assessment is owed while its indicator is published: it is cancelled only
    once the indicator is no longer published or reported (periods never overlap, so no
    other assessment can stand in for it)."""
    if not notes:
        return {"notes": "Give the reason the assessment is no longer owed."}
    kpi = assessment.kpi
    if kpi.is_key_indicator and kpi.is_active:
        return [
            "This indicator is still published, so the assessment is still owed: rate it instead."
        ]
    return []


def _stamp_submit(assessment: PerformanceAssessment, actor, notes: str) -> None:
    assessment.assessed_by, assessment.submitted_at = actor, timezone.now()
    assessment.decision_notes = ""


def _stamp_approve(assessment: PerformanceAssessment, actor, notes: str) -> None:
    assessment.approved_by, assessment.approved_on = actor, local_today()
    assessment.decision_notes = notes


def _stamp_notes(assessment: PerformanceAssessment, actor, notes: str) -> None:
    assessment.decision_notes = notes


def assessed_on(assessment: PerformanceAssessment) -> datetime.date | None:
    """The day the assessment was made: the day its officer rated it and sent it to SMG.
    The contract performance notice runs from this day, not from SMG's approval, so
    a slow approval cannot stretch the statutory deadline."""
    if assessment.submitted_at is None:
        return None
    return timezone.localdate(assessment.submitted_at)


def uk9_due_on(assessment: PerformanceAssessment) -> datetime.date | None:
    """When the contract performance notice for this assessment is due (None until it
    is rated)."""
    made = assessed_on(assessment)
    return None if made is None else notice_due_on(made)


def _owe_performance_notice(assessment: PerformanceAssessment, actor, notes: str) -> None:
    procurement.notice_owe(
        contract=assessment.contract,
        kind=NoticeKind.PERFORMANCE,
        due_on=uk9_due_on(assessment),
        key=f"assessment:{assessment.pk}",
        source=assessment,
        actor=actor,
        reason=f"Performance assessment {assessment.reference} approved",
    )


ASSESSMENT_TRANSITIONS: dict[tuple[str, str], Step] = {
    (AssessmentStatus.DUE, AssessmentStatus.SUBMITTED): Step(
        may_run_assessment,
        OFFICERS_ONLY,
        _guard_submit,
        _stamp_submit,
        "Rated and sent to SMG for approval",
    ),
    (AssessmentStatus.SUBMITTED, AssessmentStatus.APPROVED): Step(
        may_approve_assessment,
        "Only a member of the Senior Management Group can approve a performance assessment.",
        _guard_approve,
        _stamp_approve,
        "Approved",
        then=_owe_performance_notice,
    ),
    (AssessmentStatus.SUBMITTED, AssessmentStatus.DUE): Step(
        may_approve_assessment,
        "Only a member of the Senior Management Group can send an assessment back.",
        _guard_return,
        _stamp_notes,
        "Sent back for changes",
    ),
    (AssessmentStatus.DUE, AssessmentStatus.CANCELLED): Step(
        may_run_assessment,
        OFFICERS_ONLY,
        _guard_cancel,
        _stamp_notes,
        "Cancelled",
    ),
}


STEP_VERBS = {
    AssessmentStatus.SUBMITTED: "sent to SMG",
    AssessmentStatus.APPROVED: "approved",
    AssessmentStatus.DUE: "sent back",
    AssessmentStatus.CANCELLED: "cancelled",
}


def allowed_assessment_steps(assessment: PerformanceAssessment, actor) -> list[str]:
    """The statuses ``actor`` may move the assessment to now (guards aside)."""
    return [
        to
        for (frm, to), step in ASSESSMENT_TRANSITIONS.items()
        if frm == assessment.status and step.may(assessment, actor)
    ]


@transaction.atomic
def assessment_transition(
    *, assessment: PerformanceAssessment, to: str, actor, notes: str = ""
) -> PerformanceAssessment:
    assessment = _locked(assessment)
    require_duty(assessment.contract)
    return take_step(
        assessment,
        ASSESSMENT_TRANSITIONS,
        to,
        actor=actor,
        notes=(notes or "").strip(),
        label="assessment",
        verbs=STEP_VERBS,
    )
