"""Complaints about a contract's service, and audits of it.

Complaints are recorded, corrected and closed by the contract's lead or deputy
officer. Audits are proposed by either party (the officer records which), planned,
then completed with their findings and recommendations, or cancelled; one service
performs every status change through the table of allowed transitions. No more than
one audit per contract in any 12 months without a recorded justification.
"""

import copy
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from contracts.assurance.choices import AuditStatus
from contracts.assurance.models.audits import Audit, Complaint
from contracts.register.choices import ContractStatus
from contracts.register.models.contracts import Contract
from governance.core.datepolicy import date_errors
from governance.core.dates import add_months
from governance.core.moves import refusal
from governance.core.permissions import officer_may, require_officer
from governance.core.row_locks import locked
from governance.core.service_fields import refuse_unknown_fields
from governance.core.services import record_save, record_update
from governance.core.step_tables import next_statuses, table_step

SECOND_AUDIT = (
    "This contract has another audit within 12 months: record why a second one is needed."
)

#: Audits are proposed and planned only while the contract runs.
AUDIT_CONTRACT_STATUSES = (ContractStatus.ACTIVE, ContractStatus.IN_EXIT)


def _today() -> datetime.date:
    return timezone.localdate()


def _strip(fields: dict) -> dict:
    return {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}


def _full_clean(instance, errors: dict) -> None:
    try:
        instance.full_clean(exclude=[*errors, "contract"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)


# -- Complaints ---------------------------------------------------------------------------

COMPLAINT_FIELDS = ("received_on", "summary", "category", "outcome", "upheld")
COMPLAINT_REQUIRED = {
    "received_on": "Enter the date the complaint was received.",
    "summary": "Summarise the complaint.",
    "category": "Select what the complaint is about.",
}


def _check_complaint(complaint: Complaint, errors: dict) -> None:
    for name, message in COMPLAINT_REQUIRED.items():
        if getattr(complaint, name) in (None, ""):
            errors.setdefault(name, message)
    received = complaint.received_on
    if received is not None and "received_on" not in errors:
        if received > _today():
            errors["received_on"] = "The date received cannot be in the future."
        elif received < complaint.contract.start_date:
            errors["received_on"] = (
                "The complaint cannot have been received before the contract started, on "
                f"{complaint.contract.start_date:%-d %B %Y}."
            )
        elif complaint.closed_on is not None and received > complaint.closed_on:
            errors["received_on"] = (
                f"The complaint was closed on {complaint.closed_on:%-d %B %Y}: it cannot "
                "have been received after that."
            )
    _full_clean(complaint, errors)


@transaction.atomic
def complaint_record(
    *,
    contract: Contract,
    actor,
    received_on: datetime.date,
    summary: str,
    category: str,
    outcome: str = "",
    upheld: bool | None = None,
    reason: str = "",
) -> Complaint:
    require_officer(
        actor,
        contract,
        Complaint,
        "add",
        "Only the contract's lead or deputy officer can record complaints about it.",
    )
    fields = _strip({"summary": summary or "", "category": category or "", "outcome": outcome})
    complaint = Complaint(contract=contract, received_on=received_on, upheld=upheld, **fields)
    _check_complaint(complaint, {})
    return record_save(instance=complaint, actor=actor, reason=reason or "Complaint recorded")


def _locked_complaint(complaint: Complaint) -> Complaint:
    return locked(complaint, "contract")


@transaction.atomic
def complaint_update(*, instance: Complaint, actor, reason: str, **fields) -> list[str]:
    refuse_unknown_fields(fields, COMPLAINT_FIELDS)
    complaint = _locked_complaint(instance)
    require_officer(
        actor,
        complaint.contract,
        Complaint,
        "change",
        "Only the contract's lead or deputy officer can change complaints about it.",
    )
    fields = _strip(fields)
    candidate = copy.copy(complaint)
    for name, value in fields.items():
        setattr(candidate, name, value)
    errors = {}
    if complaint.closed_on is not None and "upheld" in fields and fields["upheld"] is None:
        errors["upheld"] = "A closed complaint must say whether it was upheld."
    if complaint.closed_on is not None and "outcome" in fields and not fields["outcome"]:
        errors["outcome"] = "A closed complaint must keep its outcome."
    _check_complaint(candidate, errors)
    return record_update(instance=complaint, fields=fields, actor=actor, reason=reason)


@transaction.atomic
def complaint_close(
    *,
    complaint: Complaint,
    actor,
    closed_on: datetime.date,
    outcome: str,
    upheld: bool | None,
    reason: str = "",
) -> Complaint:
    """Close a complaint with its outcome and whether it was upheld."""
    complaint = _locked_complaint(complaint)
    require_officer(
        actor,
        complaint.contract,
        Complaint,
        "change",
        "Only the contract's lead or deputy officer can close complaints about it.",
    )
    if complaint.closed_on is not None:
        raise ValidationError(f"This complaint was closed on {complaint.closed_on:%-d %B %Y}.")
    errors = {}
    outcome = (outcome or "").strip()
    if closed_on is None:
        errors["closed_on"] = "Enter the date the complaint was closed."
    elif closed_on < complaint.received_on:
        errors["closed_on"] = (
            "The complaint cannot be closed before it was received, on "
            f"{complaint.received_on:%-d %B %Y}."
        )
    elif closed_on > _today():
        errors["closed_on"] = "The date closed cannot be in the future."
    if not outcome:
        errors["outcome"] = "Record the outcome of the complaint."
    if upheld is None:
        errors["upheld"] = "Select whether the complaint was upheld."
    if errors:
        raise ValidationError(errors)
    complaint.closed_on, complaint.outcome, complaint.upheld = closed_on, outcome, upheld
    return record_save(instance=complaint, actor=actor, reason=reason or "Complaint closed")


def complaint_summary(contract: Contract) -> dict:
    """Counts for the contract's complaints tab, in one query."""
    return contract.complaints.aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(closed_on__isnull=True)),
        upheld=Count("pk", filter=Q(upheld=True)),
    )


# -- Audits -------------------------------------------------------------------------------

AUDIT_REQUIRED = {
    "audit_type": "Select the type of audit.",
    "proposed_by": "Select which party proposed the audit.",
    "scope": "Describe what the audit covers.",
    "planned_on": "Enter the date the audit is planned for.",
}


def audits_within_a_year(audit: Audit) -> QuerySet[Audit]:
    """The contract's other audits, not cancelled, planned within 12 months either side
    of this one's planned date. Exactly 12 months apart is allowed: no 12-month period
    then holds both."""
    return (
        Audit.objects.filter(
            contract_id=audit.contract_id,
            planned_on__gt=add_months(audit.planned_on, -12),
            planned_on__lt=add_months(audit.planned_on, 12),
        )
        .exclude(status=AuditStatus.CANCELLED)
        .exclude(pk=audit.pk)
    )


def _check_audit(audit: Audit, errors: dict) -> None:
    for name, message in AUDIT_REQUIRED.items():
        if getattr(audit, name) in (None, ""):
            errors.setdefault(name, message)
    # The 12-month rule counts from the planned date: check the dates typed first.
    for name, message in date_errors(audit).items():
        errors.setdefault(name, message)
    if (
        audit.planned_on is not None
        and "planned_on" not in errors
        and audit.status != AuditStatus.CANCELLED
        and not audit.second_audit_justification
        and audits_within_a_year(audit).exists()
    ):
        errors["second_audit_justification"] = SECOND_AUDIT
    if audit.conducted_on is not None and audit.conducted_on > _today():
        errors["conducted_on"] = "The date the audit was conducted cannot be in the future."
    _full_clean(audit, errors)


def _lock_contract(contract: Contract) -> Contract:
    # The 12-month rule reads the contract's other audits: one change at a time.
    return Contract.objects.select_for_update().get(pk=contract.pk)


@transaction.atomic
def audit_propose(
    *,
    contract: Contract,
    actor,
    audit_type: str,
    proposed_by: str,
    scope: str,
    planned_on: datetime.date,
    auditor: str = "",
    second_audit_justification: str = "",
    reason: str = "",
) -> Audit:
    """Record an audit proposed by either party, with the date proposed for it."""
    contract = _lock_contract(contract)
    require_officer(
        actor,
        contract,
        Audit,
        "add",
        "Only the contract's lead or deputy officer can record audits of it.",
    )
    if contract.status not in AUDIT_CONTRACT_STATUSES:
        raise ValidationError(
            f"The contract is {contract.get_status_display().lower()}: audits can be "
            "proposed only while it runs."
        )
    fields = _strip(
        {
            "audit_type": audit_type or "",
            "proposed_by": proposed_by or "",
            "scope": scope or "",
            "auditor": auditor or "",
            "second_audit_justification": second_audit_justification or "",
        }
    )
    audit = Audit(contract=contract, planned_on=planned_on, **fields)
    _check_audit(audit, {})
    return record_save(instance=audit, actor=actor, reason=reason or "Audit proposed")


#: What an audit's plan holds: proposed, and changed until the audit is completed.
AUDIT_PLAN_FIELDS = (
    "audit_type",
    "proposed_by",
    "scope",
    "planned_on",
    "auditor",
    "second_audit_justification",
)

#: What can be changed at each status. A completed audit keeps what was planned; its
#: record (who, when, findings, recommendations) can still be corrected.
AUDIT_EDITABLE = {
    AuditStatus.PROPOSED: AUDIT_PLAN_FIELDS,
    AuditStatus.PLANNED: AUDIT_PLAN_FIELDS,
    AuditStatus.COMPLETED: ("auditor", "conducted_on", "findings", "recommendations"),
    AuditStatus.CANCELLED: (),
}


def _audit_to_change(audit: Audit, actor) -> Audit:
    """The audit, locked with its contract, once ``actor`` is found to run the contract."""
    audit = Audit.objects.select_related("contract").get(pk=audit.pk)
    _lock_contract(audit.contract)
    audit = locked(audit, "contract")
    require_officer(
        actor,
        audit.contract,
        Audit,
        "change",
        "Only the contract's lead or deputy officer can change audits of it.",
    )
    return audit


@transaction.atomic
def audit_update(*, instance: Audit, actor, reason: str, **fields) -> list[str]:
    audit = _audit_to_change(instance, actor)
    editable = AUDIT_EDITABLE[audit.status]
    if audit.status == AuditStatus.CANCELLED:
        raise ValidationError("This audit was cancelled and can no longer be changed.")
    fields = _strip(fields)
    fixed = [
        name for name in fields if name not in editable and fields[name] != getattr(audit, name)
    ]
    if fixed:
        raise ValidationError(
            dict.fromkeys(
                fixed,
                "The audit has been completed: only who carried it out, when, the findings "
                "and the recommendations can be corrected."
                if audit.status == AuditStatus.COMPLETED
                else "Findings and recommendations are recorded when the audit is completed.",
            )
        )
    fields = {name: value for name, value in fields.items() if name in editable}
    candidate = copy.copy(audit)
    for name, value in fields.items():
        setattr(candidate, name, value)
    errors = {}
    if audit.status == AuditStatus.COMPLETED:
        _check_record(candidate, errors)
    _check_audit(candidate, errors)
    return record_update(instance=audit, fields=fields, actor=actor, reason=reason)


def _check_record(audit: Audit, errors: dict) -> None:
    if audit.conducted_on is None:
        errors["conducted_on"] = "Enter the date the audit was conducted."
    if not audit.findings:
        errors["findings"] = "Record the audit's findings."
    if not audit.auditor:
        errors["auditor"] = "Name who carried out the audit."


def _guard_plan(audit: Audit, fields: dict, errors: dict) -> None:
    if not audit.auditor:
        errors["auditor"] = "Name who will carry out the audit."


def _guard_complete(audit: Audit, fields: dict, errors: dict) -> None:
    _check_record(audit, errors)


def _guard_cancel(audit: Audit, fields: dict, errors: dict) -> None:
    if not fields.get("reason"):
        errors["reason"] = "Give the reason the audit is cancelled."


#: (from, to) -> (guard, the fields the step records, what history says by default).
AUDIT_TRANSITIONS = {
    (AuditStatus.PROPOSED, AuditStatus.PLANNED): (
        _guard_plan,
        ("planned_on", "auditor", "second_audit_justification"),
        "Audit planned",
    ),
    (AuditStatus.PLANNED, AuditStatus.COMPLETED): (
        _guard_complete,
        ("conducted_on", "auditor", "findings", "recommendations"),
        "Audit completed: findings recorded",
    ),
    (AuditStatus.PROPOSED, AuditStatus.CANCELLED): (_guard_cancel, (), "Audit cancelled"),
    (AuditStatus.PLANNED, AuditStatus.CANCELLED): (_guard_cancel, (), "Audit cancelled"),
}


def allowed_transitions(audit: Audit) -> list[str]:
    return next_statuses(AUDIT_TRANSITIONS, audit.status)


@transaction.atomic
def audit_transition(*, audit: Audit, actor, to_status: str, reason: str = "", **fields) -> Audit:
    """Move an audit on: plan it, record it as completed, or cancel it (with a reason)."""
    audit = _audit_to_change(audit, actor)
    if to_status not in AuditStatus.values:
        raise ValidationError("Choose what happens to the audit.")
    step = table_step(AUDIT_TRANSITIONS, audit, to_status, noun="audit", statuses=AuditStatus)
    guard, recorded, default_reason = step
    fields = _strip(fields)
    refuse_unknown_fields(fields, recorded)
    for name, value in fields.items():
        setattr(audit, name, value)
    audit.status = to_status
    errors = {}
    guard(audit, {**fields, "reason": (reason or "").strip()}, errors)
    _check_audit(audit, errors)
    if to_status == AuditStatus.CANCELLED:
        reason = f"Cancelled: {reason.strip()}"
    return record_save(instance=audit, actor=actor, reason=reason or default_reason)


def audit_moves(*, audit: Audit, user) -> dict[str, list[str]]:
    """The moves the contract's officers are shown on an audit (to status -> what stops
    it now, empty when it may be taken), in the words of ``audit_transition``; what the
    move's own form records is left to the form."""
    if not officer_may(user, audit.contract, Audit, "change"):
        return {}
    return {
        to: refusal(
            lambda to=to: audit_transition(audit=audit, actor=user, to_status=to),
            form_fields=(*AUDIT_TRANSITIONS[(audit.status, to)][1], "reason"),
        )
        for to in allowed_transitions(audit)
    }


def recommendation_lines(audit: Audit) -> list[str]:
    return [line.strip() for line in audit.recommendations.splitlines() if line.strip()]
