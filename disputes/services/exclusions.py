"""The register of providers excluded from the commissioner's tenders.

Excluding a provider is the Senior Management Group's decision, and a serious one: one
member records it and a second, different member confirms it (``governance.duties``).
It is in force only once confirmed. Until then any member may end it early, which is
how a recorded exclusion that is not confirmed is set aside."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from contracts.register.choices import OrganisationKind
from disputes.choices import EventKind
from disputes.models.disputes import Dispute
from disputes.models.exclusions import MAX_EXCLUSION_MONTHS, Exclusion
from disputes.services.common import Problems, _on, _raise_if, _short, _today, _write_event
from governance.core.datepolicy import date_errors
from governance.core.dates import add_months
from governance.core.duties import different_person_refusal, require_different_person
from governance.core.roles import Role
from governance.core.services import record_save


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
    # The end date is computed from the start: check the dates typed first.
    typed = Exclusion(start_date=start_date, decided_on=decided_on, end_date=end_date)
    for name, message in date_errors(typed).items():
        errors.setdefault(name, message)
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
    record_save(
        instance=exclusion,
        actor=actor,
        reason=change_reason or "Exclusion recorded, to be confirmed by a second SMG member",
    )
    if dispute is not None:
        _write_event(
            dispute,
            actor,
            kind=EventKind.NOTE,
            occurred_on=decided_on,
            summary=f"Exclusion of {organisation} from tenders from {_on(exclusion.start_date)} "
            f"to {_on(exclusion.end_date)} recorded; a second SMG member is to confirm it",
        )
    return exclusion


_RECORDED, _CONFIRM = "recorded this exclusion", "confirm it"


def exclusion_confirmation_refusal(exclusion: Exclusion, actor) -> str:
    """Why ``actor`` may not confirm the exclusion: they recorded it ("" when they may)."""
    return different_person_refusal(
        actor=actor, proposer=exclusion.recorded_by_id, did=_RECORDED, step=_CONFIRM
    )


@transaction.atomic
def exclusion_confirm(*, exclusion: Exclusion, actor, notes: str = "") -> Exclusion:
    """A second member of the Senior Management Group confirms the exclusion: from
    then on it is in force for its period."""
    _check_exclusion_recorder(actor)
    exclusion = (
        Exclusion.objects.select_for_update(of=("self",))
        .select_related("organisation", "dispute", "confirmed_by")
        .get(pk=exclusion.pk)
    )
    if exclusion.is_confirmed:
        raise ValidationError(
            f"This exclusion was already confirmed by {exclusion.confirmed_by} on "
            f"{_on(timezone.localtime(exclusion.confirmed_at).date())}."
        )
    if exclusion.ended_early_on is not None:
        raise ValidationError(
            f"This exclusion was ended on {_on(exclusion.ended_early_on)}: it can no longer "
            "be confirmed."
        )
    require_different_person(
        actor=actor, proposer=exclusion.recorded_by_id, did=_RECORDED, step=_CONFIRM
    )
    notes = (notes or "").strip()
    exclusion.confirmed_by, exclusion.confirmed_at = actor, timezone.now()
    record_save(
        instance=exclusion,
        actor=actor,
        reason=_short(f"Confirmed: {notes}") if notes else "Confirmed",
    )
    if exclusion.dispute is not None:
        _write_event(
            exclusion.dispute,
            actor,
            kind=EventKind.NOTE,
            occurred_on=_today(),
            summary=f"{exclusion.organisation} excluded from tenders from "
            f"{_on(exclusion.start_date)} to {_on(exclusion.end_date)}: confirmed by {actor}",
            notes=notes,
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
