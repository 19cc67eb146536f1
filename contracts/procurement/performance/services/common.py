"""What every rule of contract performance shares: which contracts owe the duty, the
notice deadline, and how a status change is taken through a transition table."""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from contracts.procurement import services as procurement
from contracts.register.choices import ContractStatus
from contracts.register.models.contracts import Contract
from governance.core.services import record_save

UK9_DUTY = "uk9"
UK9_BREACH_DUTY = "uk9_breach"

#: An assessment covers at most this many months: the Act asks for one at least once
#: in every 12 months.
ASSESSMENT_MONTHS = 12

OFFICERS_ONLY = "Only the contract's lead or deputy officer can assess its performance."
FAILURE_OFFICERS_ONLY = (
    "Only the contract's lead or deputy officer can propose a breach or poor performance "
    "for publication."
)
EARLIER_REGIME = (
    "This contract does not carry the Procurement Act 2023's performance duty (it was "
    "procured under the earlier regime, or is exempt), so it owes no performance "
    "assessments or contract performance notices."
)
ASSESSED, APPROVE = "rated this assessment", "approve it"
PROPOSED, DECIDE = "proposed this record", "decide whether to publish it"
LIVE_OR_ENDED = (
    ContractStatus.ACTIVE,
    ContractStatus.IN_EXIT,
    ContractStatus.ENDED,
    ContractStatus.TERMINATED,
)


def local_today() -> datetime.date:
    return timezone.localdate()


def uk9_due_days() -> int:
    return settings.PROCUREMENT_UK9_DUE_DAYS


def notice_due_on(decided_on: datetime.date) -> datetime.date:
    """A contract performance notice is due this many calendar days after the
    assessment is made or the decision to record a breach: a deadline on a weekend or bank
    holiday stays where it falls (Find a Tender takes notices every day)."""
    return decided_on + datetime.timedelta(days=uk9_due_days())


def owes_assessments(contract: Contract) -> bool:
    """Whether the contract owes performance assessments and notices: it was procured
    under the Act and no flag of it switches the duty off."""
    return procurement.owes_duty(contract, UK9_DUTY)


def owes_breach_notices(contract: Contract) -> bool:
    """Whether the contract owes notices of breaches and poor performance (s.71(3)-(5)):
    under the Act, and no flag of it switches them off (a private utility's)."""
    return procurement.owes_duty(contract, UK9_BREACH_DUTY)


def require_duty(contract: Contract, duty: str = UK9_DUTY) -> None:
    if not procurement.owes_duty(contract, duty):
        raise ValidationError(EARLIER_REGIME)


def full_clean_collecting(instance, errors: dict, exclude: Iterable[str] = ()) -> None:
    try:
        instance.full_clean(exclude=[*errors, *exclude])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)


def stripped(fields: dict) -> dict:
    return {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}


@dataclass(frozen=True)
class Step:
    """One allowed change of status: who may take it, what must hold, what it stamps,
    and what it sets off once saved."""

    may: Callable  # (record, actor) -> bool
    refusal: str
    guard: Callable  # (record, actor, notes) -> problems (dict by field, or a list)
    stamp: Callable
    reason: str
    then: Callable | None = None


def take_step(record, table: dict, to: str, *, actor, notes: str, label: str, verbs: dict):
    """Move ``record`` to status ``to`` through ``table``: refuse a move the table does
    not hold, someone who may not take it, or a guard's problems, with a sentence each;
    then stamp, save with the reason and set off what follows. ``verbs`` says each
    status as a step ("approved", "sent back")."""
    step = table.get((record.status, to))
    if step is None:
        state = record.get_status_display().lower()
        if record.status == to:
            raise ValidationError(f"This {label} is already {state}.")
        raise ValidationError(f"This {label} is {state}, so it cannot be {verbs[to]}.")
    if not step.may(record, actor):
        raise ValidationError(step.refusal)
    problems = step.guard(record, actor, notes)
    if problems:
        raise ValidationError(problems)
    step.stamp(record, actor, notes)
    record.status = to
    record_save(instance=record, actor=actor, reason=notes or step.reason)
    if step.then is not None:
        step.then(record, actor, notes)
    return record
