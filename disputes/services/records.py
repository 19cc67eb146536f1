"""Raising a dispute, correcting its details and assessing its significance."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from contracts.register.models.contracts import Contract
from disputes.choices import EventKind, Stage
from disputes.models.disputes import Dispute, SignificanceAssessment
from disputes.services.common import (
    DISPUTE_CONTRACT_STATUSES,
    Problems,
    _check_date,
    _lock,
    _raise_if,
    _today,
    _write_event,
    is_officer,
)
from governance.core.services import record_save
from governance.core.services.many_to_many import record_update_with_links

DISPUTE_FIELDS = ("title", "nature", "description", "raised_on")


def _check_links(contract: Contract, risks, entries, errors: Problems) -> None:
    strangers = [r.reference for r in risks if r.contract_id != contract.pk]
    if strangers:
        errors["risks"] = (
            f"{', '.join(strangers)} {'is' if len(strangers) == 1 else 'are'} "
            "not on this contract's risk log."
        )
    strangers = [e.reference for e in entries if e.contract_id != contract.pk]
    if strangers:
        errors["contact_entries"] = (
            f"{', '.join(strangers)} {'is' if len(strangers) == 1 else 'are'} not on this "
            "contract's contact log."
        )


@transaction.atomic
def dispute_create(
    *,
    contract: Contract,
    actor,
    title: str,
    nature: str,
    description: str,
    raised_on: datetime.date,
    risks=(),
    contact_entries=(),
    reason: str = "",
) -> Dispute:
    """Raise a dispute on a contract: it starts on the informal route."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if not (
        actor.has_perm("disputes.add_dispute")
        and Contract.objects.restrict(actor, "change").filter(pk=contract.pk).exists()
    ):
        raise ValidationError(
            "Only the contract's lead or deputy officer can raise a dispute on it."
        )
    if contract.status not in DISPUTE_CONTRACT_STATUSES:
        raise ValidationError(
            f"The contract is {contract.get_status_display().lower()}: disputes are raised "
            "on active contracts."
        )
    risks, contact_entries = list(risks or ()), list(contact_entries or ())
    errors: Problems = {}
    if raised_on and raised_on > _today():
        errors["raised_on"] = "The date raised cannot be in the future."
    _check_links(contract, risks, contact_entries, errors)
    _raise_if(errors)
    dispute = Dispute(
        contract=contract,
        title=(title or "").strip(),
        nature=nature,
        description=(description or "").strip(),
        raised_on=raised_on,
        raised_by=actor,
        stage_entered_on=raised_on or _today(),
    )
    record_save(instance=dispute, actor=actor, reason=reason or "Dispute raised")
    dispute.risks.set(risks)
    dispute.contact_entries.set(contact_entries)
    _write_event(
        dispute,
        actor,
        kind=EventKind.RAISED,
        occurred_on=raised_on,
        stage_to=Stage.INFORMAL,
        summary=f"{dispute.get_nature_display()} raised by {actor}",
        notes_prefix=dispute.description,
    )
    return dispute


@transaction.atomic
def dispute_update(*, instance: Dispute, actor, reason: str, **fields) -> list[str]:
    """Correct what the dispute is about and what it links to. The timeline keeps the
    record of the change as a correction."""
    dispute = _lock(instance)
    if not is_officer(actor, dispute):
        raise ValidationError("Only the contract's lead or deputy officer can change this dispute.")
    if not dispute.is_open:
        raise ValidationError(f"{dispute.reference} is closed: it can no longer change.")
    risks = fields.pop("risks", None)
    entries = fields.pop("contact_entries", None)
    errors: Problems = {}
    if "raised_on" in fields and fields["raised_on"] and fields["raised_on"] > _today():
        errors["raised_on"] = "The date raised cannot be in the future."
    _check_links(dispute.contract, risks or [], entries or [], errors)
    _raise_if(errors)
    links = {
        name: items
        for name, items in (("risks", risks), ("contact_entries", entries))
        if items is not None
    }
    changed = record_update_with_links(
        instance=dispute, fields=fields, links=links, actor=actor, reason=reason
    )
    if changed:
        _write_event(
            dispute,
            actor,
            kind=EventKind.NOTE,
            occurred_on=_today(),
            summary=f"Dispute details changed: {', '.join(changed).replace('_', ' ')}",
            notes=reason,
        )
    return changed


@transaction.atomic
def significance_assess(
    *,
    dispute: Dispute,
    actor,
    assessed_on: datetime.date,
    financial_effect: Decimal,
    clients_affected_percent: Decimal,
    negligent_harm: bool,
    reputational_risk: bool,
    negligent_harm_note: str = "",
    reputational_risk_note: str = "",
    notes: str = "",
) -> SignificanceAssessment:
    """Assess (or re-assess) whether the dispute is significant. The newest assessment
    decides; earlier ones are kept."""
    dispute = _lock(dispute)
    if not (actor.has_perm("disputes.add_significanceassessment") and is_officer(actor, dispute)):
        raise ValidationError(
            "Only the contract's lead or deputy officer can assess this dispute's significance."
        )
    if not dispute.is_open:
        raise ValidationError(f"{dispute.reference} is closed: it can no longer change.")
    errors: Problems = {}
    _check_date(dispute, {"assessed_on": assessed_on}, "assessed_on", errors, "of the assessment")
    _raise_if(errors)
    assessment = SignificanceAssessment(
        dispute=dispute,
        assessed_on=assessed_on,
        assessed_by=actor,
        financial_effect=financial_effect,
        annual_value=dispute.contract.annual_value,
        clients_affected_percent=clients_affected_percent,
        negligent_harm=bool(negligent_harm),
        negligent_harm_note=(negligent_harm_note or "").strip(),
        reputational_risk=bool(reputational_risk),
        reputational_risk_note=(reputational_risk_note or "").strip(),
    )
    assessment.refresh_significance()
    record_save(instance=assessment, actor=actor, reason="Significance assessed")
    latest = dispute.assessments.order_by("-assessed_on", "-pk").first()
    if dispute.is_significant != latest.is_significant:
        dispute.is_significant = latest.is_significant
        record_save(
            instance=dispute,
            actor=actor,
            reason="Significant" if latest.is_significant else "Not significant",
        )
    met = assessment.criteria_met()
    verdict = f"significant ({', '.join(met)})" if met else "not significant"
    _write_event(
        dispute,
        actor,
        kind=EventKind.ASSESSED,
        occurred_on=assessed_on,
        summary=f"Assessed as {verdict}: effect £{assessment.financial_effect:,.2f} against "
        f"£{assessment.financial_threshold:,.2f}; {assessment.clients_affected_percent}% of "
        "clients affected",
        notes=notes,
    )
    return assessment
