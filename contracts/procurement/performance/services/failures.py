"""Breaches and poor performance proposed for a contract performance notice, and SMG's
decision to publish them."""

import copy
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from contracts.procurement import services as procurement
from contracts.procurement.choices import NoticeKind
from contracts.procurement.performance.choices import BreachConsequence, FailureKind, FailureStatus
from contracts.procurement.performance.models import PerformanceFailure
from contracts.procurement.performance.services.common import (
    DECIDE,
    FAILURE_OFFICERS_ONLY,
    LIVE_OR_ENDED,
    PROPOSED,
    UK9_BREACH_DUTY,
    full_clean_collecting,
    local_today,
    notice_due_on,
    require_duty,
    stripped,
)
from contracts.register.models.contracts import Contract
from governance.core.datepolicy import on
from governance.core.duties import different_person_refusal, require_different_person
from governance.core.permissions import require_officer
from governance.core.row_locks import locked
from governance.core.service_fields import refuse_unknown_fields
from governance.core.services import record_save, record_update

# -- Breaches and poor performance ----------------------------------------------------------

FAILURE_FIELDS = (
    "kind",
    "consequence",
    "consequence_on",
    "partial_termination",
    "improvement_notice_on",
    "requirement",
    "description",
    "penalty_type",
    "penalty_value",
)


FAILURE_NULLABLE = ("consequence_on", "improvement_notice_on", "penalty_value")


def _failure_values(fields: dict) -> dict:
    """The typed values, text left empty kept as "" (a form gives None)."""
    return {
        name: "" if value is None and name not in FAILURE_NULLABLE else value
        for name, value in stripped(fields).items()
    }


def _check_failure(failure: PerformanceFailure) -> None:
    errors: dict = {}
    contract, today = failure.contract, local_today()
    if not failure.kind:
        errors["kind"] = "Select whether this is a breach or poor performance."
    if not failure.requirement:
        errors["requirement"] = "Say which requirement of the contract was not met."
    if not failure.description:
        errors["description"] = "Describe what went wrong."
    if failure.kind == FailureKind.BREACH:
        if not failure.consequence:
            errors["consequence"] = (
                "Select what the breach led to: only a breach that led to termination, "
                "damages or a settlement is published."
            )
        if failure.consequence_on is None:
            errors["consequence_on"] = "Enter the date of the termination, damages or settlement."
        if failure.consequence == BreachConsequence.PARTIAL_TERMINATION:
            if not failure.partial_termination:
                errors["partial_termination"] = "Say which part of the contract was terminated."
        elif failure.partial_termination:
            errors["partial_termination"] = (
                "Describe what was terminated only when part of the contract was terminated."
            )
        if failure.improvement_notice_on is not None:
            errors["improvement_notice_on"] = (
                "The date the provider was told to improve is for poor performance, not a breach."
            )
    elif failure.kind == FailureKind.POOR_PERFORMANCE:
        if failure.improvement_notice_on is None:
            errors["improvement_notice_on"] = (
                "Enter the date the provider was told to improve: poor performance is "
                "published only once the provider had a proper chance to put it right."
            )
        for name in ("consequence", "consequence_on", "partial_termination"):
            if getattr(failure, name) not in (None, ""):
                errors[name] = "This is for a breach; leave it empty for poor performance."
    for name in ("consequence_on", "improvement_notice_on"):
        day = getattr(failure, name)
        if day is None or name in errors:
            continue
        if day > today:
            errors[name] = "The date cannot be in the future."
        elif day < contract.start_date:
            errors[name] = (
                f"The date cannot be before the contract started, on {on(contract.start_date)}."
            )
    if failure.penalty_value is not None and not failure.penalty_type:
        errors["penalty_type"] = "Select how the penalty was decided, or leave the amount empty."
    full_clean_collecting(failure, errors, exclude=["contract", "proposed_by"])


@transaction.atomic
def failure_propose(*, contract: Contract, actor, reason: str = "", **fields) -> PerformanceFailure:
    refuse_unknown_fields(fields, FAILURE_FIELDS)
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    require_officer(actor, contract, PerformanceFailure, "add", FAILURE_OFFICERS_ONLY)
    require_duty(contract, UK9_BREACH_DUTY)
    if contract.status not in LIVE_OR_ENDED:
        raise ValidationError(
            "A breach or poor performance is recorded once the contract is active."
        )
    values = _failure_values(fields)
    failure = PerformanceFailure(contract=contract, proposed_by=actor, **values)
    _check_failure(failure)
    return record_save(
        instance=failure, actor=actor, reason=reason or "Proposed for a contract performance notice"
    )


def _locked_failure(failure: PerformanceFailure) -> PerformanceFailure:
    return locked(failure, "contract")


@transaction.atomic
def failure_update(*, instance: PerformanceFailure, actor, reason: str, **fields) -> list[str]:
    refuse_unknown_fields(fields, FAILURE_FIELDS)
    failure = _locked_failure(instance)
    require_officer(actor, failure.contract, PerformanceFailure, "change", FAILURE_OFFICERS_ONLY)
    if failure.status != FailureStatus.PROPOSED:
        raise ValidationError(
            f"This record is {failure.get_status_display().lower()}, so it can no longer be "
            "changed."
        )
    candidate = copy.copy(failure)
    values = _failure_values(fields)
    for name, value in values.items():
        setattr(candidate, name, value)
    _check_failure(candidate)
    return record_update(instance=failure, fields=values, actor=actor, reason=reason)


def may_decide_failure(failure: PerformanceFailure, actor) -> bool:
    return actor.has_perm("contracts.decide_performancefailure")


def failure_decision_refusal(failure: PerformanceFailure, actor) -> str:
    return different_person_refusal(
        actor=actor, proposer=failure.proposed_by_id, did=PROPOSED, step=DECIDE
    )


@transaction.atomic
def failure_record(
    *, failure: PerformanceFailure, actor, decided_on: datetime.date, notes: str = ""
) -> PerformanceFailure:
    """SMG decides to publish the breach or poor performance: its UK9 notice is owed
    within ``PROCUREMENT_UK9_DUE_DAYS`` days of the decision."""
    failure = _locked_failure(failure)
    _decidable(failure, actor)
    errors = {}
    earliest = failure.consequence_on or failure.improvement_notice_on
    if decided_on is None:
        errors["decided_on"] = "Enter the date SMG decided to publish it."
    elif decided_on > local_today():
        errors["decided_on"] = "The date of the decision cannot be in the future."
    elif earliest is not None and decided_on < earliest:
        errors["decided_on"] = (
            f"The decision cannot come before {on(earliest)}, the date it rests on."
        )
    if errors:
        raise ValidationError(errors)
    failure.status = FailureStatus.RECORDED
    failure.decided_by, failure.decided_on = actor, decided_on
    failure.decision_notes = (notes or "").strip()
    record_save(
        instance=failure, actor=actor, reason=failure.decision_notes or "Recorded for publication"
    )
    procurement.notice_owe(
        contract=failure.contract,
        kind=NoticeKind.BREACH,
        due_on=notice_due_on(decided_on),
        key=f"failure:{failure.pk}",
        source=failure,
        actor=actor,
        reason=f"{failure.get_kind_display()} {failure.reference} recorded for publication",
    )
    return failure


@transaction.atomic
def failure_decline(*, failure: PerformanceFailure, actor, notes: str) -> PerformanceFailure:
    failure = _locked_failure(failure)
    _decidable(failure, actor)
    notes = (notes or "").strip()
    if not notes:
        raise ValidationError({"notes": "Give the reason it is not to be published."})
    failure.status = FailureStatus.DECLINED
    failure.decided_by, failure.decided_on = actor, local_today()
    failure.decision_notes = notes
    return record_save(instance=failure, actor=actor, reason=notes)


def _decidable(failure: PerformanceFailure, actor) -> None:
    require_duty(failure.contract, UK9_BREACH_DUTY)
    if failure.status != FailureStatus.PROPOSED:
        raise ValidationError(f"This record is already {failure.get_status_display().lower()}.")
    if not may_decide_failure(failure, actor):
        raise ValidationError(
            "Only a member of the Senior Management Group decides whether to publish a "
            "breach or poor performance."
        )
    require_different_person(
        actor=actor, proposer=failure.proposed_by_id, did=PROPOSED, step=DECIDE
    )
