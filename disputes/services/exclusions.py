"""The register of providers excluded from the commissioner's tenders."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from contracts.choices import OrganisationKind
from governance.roles import Role
from governance.services import record_save

from ..choices import EventKind
from ..models import MAX_EXCLUSION_MONTHS, Dispute, Exclusion
from .common import Problems, _on, _raise_if, _short, _today, _write_event


def may_record_exclusion(actor) -> bool:
    """The exclusion register is SMG's decision, and SMG records and ends exclusions."""
    return actor.has_perm("disputes.add_exclusion") and actor.has_role(Role.SMG)


def _check_exclusion_recorder(actor) -> None:
    if not may_record_exclusion(actor):
        raise ValidationError(
            "Only a member of the Senior Management Group can record an exclusion."
        )


def exclusion_end_date(
    start_date: datetime.date, period_months: int | None, end_date: datetime.date | None
) -> datetime.date | None:
    """The last day of the exclusion: ``period_months`` from the start (the day before
    the same date that many months later), or the end date given."""
    from governance.dates import add_months

    if period_months:
        return add_months(start_date, period_months) - datetime.timedelta(days=1)
    return end_date


@transaction.atomic
def exclusion_create(
    *,
    actor,
    organisation,
    reason: str,
    details: str,
    start_date: datetime.date,
    decided_on: datetime.date,
    period_months: int | None = None,
    end_date: datetime.date | None = None,
    dispute: Dispute | None = None,
    change_reason: str = "",
) -> Exclusion:
    _check_exclusion_recorder(actor)
    errors: Problems = {}
    if organisation is not None and organisation.kind != OrganisationKind.PROVIDER:
        errors["organisation"] = f"{organisation} is not a provider."
    if period_months and end_date:
        errors["end_date"] = "Give either the period in months or the end date, not both."
    elif not period_months and not end_date:
        errors["period_months"] = "Give the period in months or the end date."
    elif period_months is not None and period_months > MAX_EXCLUSION_MONTHS:
        errors["period_months"] = (
            f"An exclusion can last no more than 5 years ({MAX_EXCLUSION_MONTHS} months)."
        )
    if decided_on and decided_on > _today():
        errors["decided_on"] = "The date of the decision cannot be in the future."
    if (
        dispute is not None
        and organisation is not None
        and dispute.contract.provider_id != organisation.pk
    ):
        errors["dispute"] = f"{dispute.reference} is with another provider."
    _raise_if(errors)
    exclusion = Exclusion(
        organisation=organisation,
        reason=reason,
        details=(details or "").strip(),
        start_date=start_date,
        end_date=exclusion_end_date(start_date, period_months, end_date) if start_date else None,
        decided_on=decided_on,
        dispute=dispute,
        recorded_by=actor,
    )
    record_save(instance=exclusion, actor=actor, reason=change_reason or "Exclusion recorded")
    if dispute is not None:
        _write_event(
            dispute,
            actor,
            kind=EventKind.NOTE,
            occurred_on=decided_on,
            summary=f"{organisation} excluded from tenders from {_on(exclusion.start_date)} "
            f"to {_on(exclusion.end_date)}",
        )
    return exclusion


@transaction.atomic
def exclusion_end_early(*, exclusion: Exclusion, actor, ended_on: datetime.date, reason: str):
    _check_exclusion_recorder(actor)
    exclusion = Exclusion.objects.select_for_update().get(pk=exclusion.pk)
    errors: Problems = {}
    if exclusion.ended_early_on is not None:
        raise ValidationError(f"The exclusion already ended on {_on(exclusion.ended_early_on)}.")
    if ended_on is None:
        errors["ended_on"] = "Enter the date the exclusion ends."
    elif ended_on < exclusion.start_date or ended_on > exclusion.end_date:
        errors["ended_on"] = (
            f"The date must fall within the exclusion, {_on(exclusion.start_date)} to "
            f"{_on(exclusion.end_date)}."
        )
    if not (reason or "").strip():
        errors["reason"] = "Give the reason the exclusion ends early."
    _raise_if(errors)
    exclusion.ended_early_on = ended_on
    exclusion.ended_early_reason = reason.strip()
    return record_save(instance=exclusion, actor=actor, reason=_short(f"Ended early: {reason}"))
