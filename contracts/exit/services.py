"""Exit: the written notice of the commissioner's plans, the exit plan and its tasks and
risks, termination notices, the service transfer plan and the post-contract review.

Each rule a user can trip over raises a ValidationError whose sentence says what is
wrong. The service transfer plan's life is one table of steps (``TRANSFER_STEPS``) and
one service that takes a step (``transfer_plan_transition``)."""

import copy
import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from contracts.exit.models import (
    ExitNotice,
    ExitPlan,
    ExitPlanStatus,
    ExitTask,
    ExitTaskStatus,
    PostContractReview,
    ServiceTransferPlan,
    ServiceTransferPlanEvent,
    TerminationExtent,
    TerminationNotice,
    TransferPlanEventKind,
    TransferPlanStatus,
    exit_notice_deadline,
)
from contracts.register.choices import ContractStatus
from contracts.register.models.contracts import Contract
from contracts.register.services.contracts import contract_transition
from governance.core import moves
from governance.core.datepolicy import on
from governance.core.duties import different_person_refusal, require_different_person
from governance.core.models.base import Document
from governance.core.permissions import officer_may, require_officer
from governance.core.row_locks import locked
from governance.core.service_fields import refuse_unknown_fields
from governance.core.services import document_upload, record_save, record_update
from governance.core.step_tables import next_statuses, table_step
from risks.choices import RiskCategory
from risks.models import Risk
from risks.services import risk_create

__all__ = ["exit_notice_deadline"]

LIVE = (ContractStatus.ACTIVE, ContractStatus.IN_EXIT)
OFFICERS_ONLY = "Only the contract's lead or deputy officer can record this for the contract."


def _today() -> datetime.date:
    return timezone.localdate()


def _locked_contract(contract: Contract) -> Contract:
    return Contract.objects.select_for_update().get(pk=contract.pk)


# -- Exit notice -----------------------------------------------------------------------------


def notice_satisfies_deadline(contract: Contract) -> bool:
    """True when a notice was recorded against the contract's current end date."""
    return contract.exit_notices.filter(end_date=contract.current_end_date).exists()


@transaction.atomic
def exit_notice_record(
    *,
    contract: Contract,
    actor,
    sent_on: datetime.date,
    intention: str,
    recipient_contact=None,
    recipient_name: str = "",
    details: str = "",
    contact_log_entry=None,
    evidence_file=None,
    reason: str = "",
) -> ExitNotice:
    """Record the written notice of the commissioner's plans for the contract's end. It
    is recorded against the contract's current end date."""
    contract = _locked_contract(contract)
    require_officer(actor, contract, Contract, "change", OFFICERS_ONLY)
    if contract.status not in LIVE:
        if contract.status in (ContractStatus.ENDED, ContractStatus.TERMINATED):
            raise ValidationError(
                "The contract has already "
                f"{'ended' if contract.status == ContractStatus.ENDED else 'been terminated'}: "
                "a notice of plans for its end can no longer be recorded."
            )
        raise ValidationError("Activate the contract before recording notices about its end.")
    errors = {}
    if sent_on > _today():
        errors["sent_on"] = "The date sent cannot be in the future."
    elif sent_on > contract.current_end_date:
        errors["sent_on"] = (
            f"The contract ended on {on(contract.current_end_date)}: a notice sent after "
            "that is not a notice of plans for its end."
        )
    elif sent_on < contract.start_date:
        errors["sent_on"] = "The date sent cannot be before the contract started."
    recipient_name = recipient_name.strip()
    if recipient_contact is None and not recipient_name:
        errors["recipient_contact"] = (
            "Select the provider contact the notice was sent to, or enter their name."
        )
    elif (
        recipient_contact is not None and recipient_contact.organisation_id != contract.provider_id
    ):
        errors["recipient_contact"] = f"{recipient_contact.name} is not a contact at the provider."
    if contact_log_entry is not None and contact_log_entry.contract_id != contract.pk:
        errors["contact_log_entry"] = "That contact log entry belongs to another contract."
    if contact_log_entry is None and evidence_file is None:
        errors["evidence_file"] = (
            "Upload a copy of the notice or select the contact log entry that records it."
        )
    if errors:
        raise ValidationError(errors)
    notice = ExitNotice(
        contract=contract,
        sent_on=sent_on,
        intention=intention,
        recipient_contact=recipient_contact,
        recipient_name=recipient_name,
        details=details,
        contact_log_entry=contact_log_entry,
        end_date=contract.current_end_date,
        recorded_by=actor,
    )
    if evidence_file is not None:
        # Check everything else before the file is stored: a rollback would not remove it.
        notice.full_clean(exclude=["evidence", "contact_log_entry"], validate_constraints=False)
        try:
            notice.evidence = document_upload(
                attached_to=contract,
                upload=evidence_file,
                title=f"Exit notice sent {sent_on:%-d %B %Y}",
                category="correspondence",
                actor=actor,
            )
        except ValidationError as exc:
            raise ValidationError({"evidence_file": exc.messages}) from exc
    return record_save(
        instance=notice,
        actor=actor,
        reason=reason or f"Exit notice recorded against the end date {on(notice.end_date)}",
    )


# -- Exit plan -------------------------------------------------------------------------------

PLAN_FIELDS = ("plan_type", "incoming_provider", "approach", "incumbent_obligations")


def _check_plan(plan: ExitPlan) -> None:
    errors = {}
    if plan.plan_type != "recommission" and plan.incoming_provider_id:
        errors["incoming_provider"] = "Only a re-commissioning plan has an incoming provider."
    elif plan.incoming_provider_id and plan.incoming_provider_id == plan.contract.provider_id:
        errors["incoming_provider"] = (
            "The incoming provider must be a different organisation from the current one."
        )
    if errors:
        raise ValidationError(errors)


def _check_risks(contract: Contract, risks) -> None:
    wrong = [risk for risk in risks if risk.contract_id != contract.pk]
    if wrong:
        raise ValidationError({"risks": f"“{wrong[0].title}” is not one of this contract's risks."})
    not_exit = [risk for risk in risks if risk.category != RiskCategory.EXIT]
    if not_exit:
        raise ValidationError(
            {"risks": f"“{not_exit[0].title}” is not in the exit category of the risk log."}
        )


@transaction.atomic
def exit_plan_create(
    *,
    contract: Contract,
    actor,
    plan_type: str,
    approach: str,
    incumbent_obligations: str,
    incoming_provider=None,
    risks=(),
    reason: str = "",
) -> ExitPlan:
    contract = _locked_contract(contract)
    require_officer(actor, contract, Contract, "change", OFFICERS_ONLY)
    if contract.status not in LIVE:
        raise ValidationError("An exit plan can be started only for an active contract.")
    if ExitPlan.objects.filter(contract=contract).exists():
        raise ValidationError("This contract already has an exit plan: change that one.")
    plan = ExitPlan(
        contract=contract,
        plan_type=plan_type,
        incoming_provider=incoming_provider,
        approach=approach,
        incumbent_obligations=incumbent_obligations,
        created_by=actor,
    )
    _check_plan(plan)
    risks = list(risks)
    _check_risks(contract, risks)
    record_save(instance=plan, actor=actor, reason=reason or "Exit plan started")
    plan.risks.set(risks)
    return plan


@transaction.atomic
def exit_plan_update(*, instance: ExitPlan, actor, reason: str, risks=None, **fields) -> list[str]:
    plan = locked(instance, "contract")
    require_officer(actor, plan.contract, Contract, "change", OFFICERS_ONLY)
    if plan.status == ExitPlanStatus.COMPLETE:
        raise ValidationError("The exit plan is complete and can no longer be changed.")
    refuse_unknown_fields(fields, PLAN_FIELDS, error=ValueError, say="Not editable here")
    candidate = copy.copy(plan)
    for name, value in fields.items():
        setattr(candidate, name, value)
    _check_plan(candidate)
    changed = []
    if risks is not None:
        risks = list(risks)
        _check_risks(plan.contract, risks)
        if {r.pk for r in risks} != set(plan.risks.values_list("pk", flat=True)):
            if not reason or not reason.strip():
                raise ValidationError({"change_reason": "Give a reason for this change."})
            plan.risks.set(risks)
            changed.append("risks")
    changed += record_update(instance=plan, fields=fields, actor=actor, reason=reason)
    if changed == ["risks"]:
        # The links are not a field of the row: record the change in its history anyway.
        record_save(instance=plan, actor=actor, reason=reason)
    return changed


def _plan_guard_agree(plan: ExitPlan) -> list[str]:
    problems = []
    if not plan.tasks.exists():
        problems.append("Add the plan's tasks before it is agreed.")
    if plan.contract.status not in LIVE:
        problems.append("The contract is no longer active.")
    return problems


def _plan_guard_complete(plan: ExitPlan) -> list[str]:
    open_tasks = plan.tasks.exclude(status=ExitTaskStatus.DONE).count()
    if open_tasks:
        return [
            f"{open_tasks} task{'s are' if open_tasks != 1 else ' is'} not done yet: finish "
            "every task before the plan is complete."
        ]
    return []


def _plan_no_guard(plan: ExitPlan) -> list[str]:
    return []


#: (from, to) -> guard returning what stops the step; empty means allowed.
PLAN_TRANSITIONS: dict[tuple[str, str], Callable[[ExitPlan], list[str]]] = {
    (ExitPlanStatus.DRAFT, ExitPlanStatus.AGREED): _plan_guard_agree,
    (ExitPlanStatus.AGREED, ExitPlanStatus.DRAFT): _plan_no_guard,
    (ExitPlanStatus.AGREED, ExitPlanStatus.IN_PROGRESS): _plan_no_guard,
    (ExitPlanStatus.IN_PROGRESS, ExitPlanStatus.COMPLETE): _plan_guard_complete,
}


def plan_allowed_transitions(plan: ExitPlan) -> list[str]:
    return next_statuses(PLAN_TRANSITIONS, plan.status)


def plan_transition_blockers(plan: ExitPlan, to_status: str) -> list[str]:
    """What stops the step to ``to_status`` now, by its own guard (empty: it can be
    taken). Pages show a blocked step disabled with these; the service checks again."""
    return PLAN_TRANSITIONS[(plan.status, to_status)](plan)


@transaction.atomic
def exit_plan_transition(*, plan: ExitPlan, to_status: str, actor, reason: str) -> ExitPlan:
    plan = locked(plan, "contract")
    require_officer(actor, plan.contract, Contract, "change", OFFICERS_ONLY)
    guard = table_step(PLAN_TRANSITIONS, plan, to_status, noun="exit plan", statuses=ExitPlanStatus)
    problems = guard(plan)
    if problems:
        raise ValidationError(problems)
    plan.status = to_status
    return record_save(
        instance=plan,
        actor=actor,
        reason=reason or f"Exit plan {ExitPlanStatus(to_status).label.lower()}",
    )


TASK_FIELDS = ("area", "description", "owner", "due_date", "status")


def _check_task(task: ExitTask) -> None:
    if task.owner_id and (not task.owner.is_active or task.owner.is_provider_user):
        # Provider staff have no account-level access to the plan's tasks.
        raise ValidationError(
            {"owner": f"{task.owner} cannot own a task: choose one of the commissioner's staff."}
        )


@transaction.atomic
def exit_task_add(
    *,
    plan: ExitPlan,
    actor,
    area: str,
    description: str,
    owner,
    due_date: datetime.date,
    status: str = ExitTaskStatus.NOT_STARTED,
    reason: str = "",
) -> ExitTask:
    plan = locked(plan, "contract")
    require_officer(actor, plan.contract, Contract, "change", OFFICERS_ONLY)
    if plan.status == ExitPlanStatus.COMPLETE:
        raise ValidationError("The exit plan is complete: tasks can no longer be added.")
    if due_date < _today():
        raise ValidationError({"due_date": "The due date cannot be in the past."})
    task = ExitTask(
        plan=plan,
        area=area,
        description=description,
        owner=owner,
        due_date=due_date,
        status=status,
    )
    _check_task(task)
    return record_save(instance=task, actor=actor, reason=reason or "Exit task added")


@transaction.atomic
def exit_task_update(*, instance: ExitTask, actor, reason: str, **fields) -> list[str]:
    task = locked(instance, "plan", "plan__contract")
    require_officer(actor, task.plan.contract, Contract, "change", OFFICERS_ONLY)
    if task.plan.status == ExitPlanStatus.COMPLETE:
        raise ValidationError("The exit plan is complete: its tasks can no longer be changed.")
    refuse_unknown_fields(fields, TASK_FIELDS, error=ValueError, say="Not editable here")
    candidate = copy.copy(task)
    for name, value in fields.items():
        setattr(candidate, name, value)
    _check_task(candidate)
    if (
        "due_date" in fields
        and fields["due_date"] != task.due_date
        and fields["due_date"] < _today()
    ):
        raise ValidationError({"due_date": "The new due date cannot be in the past."})
    return record_update(instance=task, fields=fields, actor=actor, reason=reason)


@transaction.atomic
def exit_risk_create(*, plan: ExitPlan, actor, reason: str = "", **fields) -> Risk:
    """Raise a risk in the contract's risk log, in the exit category, and link it to
    the plan. The risk log's own rules (owner, scores, review date) apply."""
    plan = locked(plan, "contract")
    require_officer(actor, plan.contract, Contract, "change", OFFICERS_ONLY)
    fields["category"] = RiskCategory.EXIT
    risk = risk_create(
        actor=actor, contract=plan.contract, reason=reason or "Raised from the exit plan", **fields
    )
    plan.risks.add(risk)
    record_save(instance=plan, actor=actor, reason=f"Exit risk “{risk.title}” linked")
    return risk


# -- Termination notice and the service transfer plan ---------------------------------------


def _open_transfer_plan(notice: TerminationNotice, actor) -> ServiceTransferPlan:
    plan = ServiceTransferPlan(termination_notice=notice, contract=notice.contract)
    record_save(instance=plan, actor=actor, reason="Opened by the termination notice")
    ServiceTransferPlanEvent.objects.create(
        plan=plan,
        kind=TransferPlanEventKind.OPENED,
        actor=actor,
        at=timezone.now(),
        comments=f"Opened by the termination notice dated {on(notice.notice_date)}.",
    )
    return plan


@transaction.atomic
def termination_notice_record(
    *,
    contract: Contract,
    actor,
    extent: str,
    reason: str,
    notice_date: datetime.date,
    effective_date: datetime.date,
    served_by: str,
    affected: str = "",
) -> TerminationNotice:
    """Record a termination notice served by either party. An active contract moves to
    in exit, and the provider's service transfer plan is opened. The contract becomes
    terminated later, through its status change, once the post-contract review is held."""
    contract = _locked_contract(contract)
    require_officer(actor, contract, Contract, "change", OFFICERS_ONLY)
    if contract.status not in LIVE:
        raise ValidationError(
            "A termination notice can be recorded only for an active contract or one in exit."
        )
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = "Give the reason for the termination."
    if notice_date > _today():
        errors["notice_date"] = "The date of the notice cannot be in the future."
    elif notice_date < contract.start_date:
        errors["notice_date"] = "The date of the notice cannot be before the contract started."
    if effective_date < notice_date:
        errors["effective_date"] = (
            f"The termination cannot take effect before the date of the notice ({on(notice_date)})."
        )
    if extent == TerminationExtent.PARTIAL and not (affected or "").strip():
        errors["affected"] = "Say which services, sites or lots the partial termination affects."
    if errors:
        raise ValidationError(errors)
    notice = TerminationNotice(
        contract=contract,
        extent=extent,
        affected=affected.strip() if extent == TerminationExtent.PARTIAL else "",
        reason=reason.strip(),
        served_by=served_by,
        notice_date=notice_date,
        effective_date=effective_date,
        recorded_by=actor,
    )
    record_save(
        instance=notice,
        actor=actor,
        reason=f"{notice.get_extent_display()} termination notice recorded",
    )
    if contract.status == ContractStatus.ACTIVE:
        contract_transition(
            contract=contract,
            to_status=ContractStatus.IN_EXIT,
            actor=actor,
            reason=f"Termination notice dated {on(notice_date)}, taking effect "
            f"{on(effective_date)}",
        )
    _open_transfer_plan(notice, actor)
    return notice


def _is_provider_side(plan: ServiceTransferPlan, actor) -> bool:
    return actor.is_provider_user and actor.organisation_id == plan.contract.provider_id


def _is_officer(plan: ServiceTransferPlan, actor) -> bool:
    return not actor.is_provider_user and plan.contract.is_officer(actor)


def may_prepare_transfer_plan(plan: ServiceTransferPlan, actor) -> bool:
    """The provider's staff prepare and submit the plan; the contract's officers may do
    it on the provider's behalf."""
    return _is_provider_side(plan, actor) or _is_officer(plan, actor)


TRANSFER_CONTENT = ("documentation", "service_details", "priority_clients")


@transaction.atomic
def transfer_plan_update(
    *,
    plan: ServiceTransferPlan,
    actor,
    reason: str,
    documentation: str,
    service_details: str,
    priority_clients: str,
    document=None,
    document_title: str = "",
) -> list[str]:
    """Change the plan's contents while it is with the provider (draft or returned)."""
    plan = locked(plan, "contract")
    if not may_prepare_transfer_plan(plan, actor):
        raise ValidationError(
            "Only the provider's staff or the contract's officers can change this plan."
        )
    if not plan.is_editable:
        raise ValidationError(
            f"The plan is {plan.get_status_display().lower()}: it can be changed only while "
            "it is a draft or has been returned with comments."
        )
    fields = {
        "documentation": documentation,
        "service_details": service_details,
        "priority_clients": priority_clients,
    }
    if not reason or not reason.strip():
        raise ValidationError({"change_reason": "Give a reason for this change."})
    changed = record_update(instance=plan, fields=fields, actor=actor, reason=reason)
    if document is not None:
        try:
            document_upload(
                attached_to=plan,
                upload=document,
                title=document_title.strip() or "Service transfer plan",
                category="plan",
                actor=actor,
            )
        except ValidationError as exc:
            raise ValidationError({"document": exc.messages}) from exc
        changed.append("document")
    return changed


def _has_plan_document(plan: ServiceTransferPlan) -> bool:

    return Document.objects.for_object(plan).exists()


def _who_prepares(plan: ServiceTransferPlan, actor) -> str:
    if may_prepare_transfer_plan(plan, actor):
        return ""
    return "Only the provider's staff or the contract's officers can submit the plan."


def _who_reviews(plan: ServiceTransferPlan, actor) -> str:
    if _is_officer(plan, actor):
        return ""
    return "Only the contract's lead or deputy officer can review the plan."


def _may_sign(plan: ServiceTransferPlan, actor) -> bool:
    """One of the provider's staff for the provider, or an officer for the commissioner."""
    return _is_provider_side(plan, actor) or _is_officer(plan, actor)


def _who_signs(plan: ServiceTransferPlan, actor) -> str:
    if _is_provider_side(plan, actor):
        if plan.provider_signed_by_id:
            return f"The plan was already signed for the provider by {plan.provider_signed_by}."
        return ""
    if _is_officer(plan, actor):
        if plan.commissioner_signed_by_id:
            return (
                "The plan was already signed for the commissioner by "
                f"{plan.commissioner_signed_by}."
            )
        return ""
    return "Only the provider's staff or the contract's lead or deputy officer can sign the plan."


def _guard_submit(plan: ServiceTransferPlan, comments: str) -> list[str]:
    missing = [
        str(ServiceTransferPlan._meta.get_field(name).verbose_name).lower()
        for name in TRANSFER_CONTENT
        if not getattr(plan, name).strip()
    ]
    if missing and not _has_plan_document(plan):
        return [
            f"Fill in the {', '.join(missing)}, or upload the plan as a document, before "
            "submitting it."
        ]
    return []


def _guard_return(plan: ServiceTransferPlan, comments: str) -> list[str]:
    if not comments:
        return ["Say what the provider needs to change before the plan can be approved."]
    return []


def _no_transfer_guard(plan: ServiceTransferPlan, comments: str) -> list[str]:
    return []


@dataclass(frozen=True)
class TransferStep:
    from_statuses: tuple[str, ...]
    #: Who may take the step: a sentence when ``actor`` may not, else "".
    who: Callable[[ServiceTransferPlan, object], str]
    #: What else must hold: the problems, or none.
    guard: Callable[[ServiceTransferPlan, str], list[str]]
    #: Why the step cannot be taken from each other status.
    out_of_order: dict
    #: Whether ``actor`` is someone who takes this step at all, whatever the plan's status.
    may: Callable[[ServiceTransferPlan, object], bool]


_NOT_APPROVED = "The plan cannot be signed before the commissioner has approved it."
_SIGNED = "The plan has been signed by both parties."
_APPROVED = "The plan has already been approved."

#: action -> the statuses it starts from, who may take it, and its guard. Submitting
#: or resubmitting moves to submitted; returning to returned; approving to approved;
#: signing records one party's signature and, with both, moves to signed.
TRANSFER_STEPS: dict[str, TransferStep] = {
    "submit": TransferStep(
        (TransferPlanStatus.DRAFT, TransferPlanStatus.RETURNED),
        _who_prepares,
        _guard_submit,
        {
            TransferPlanStatus.SUBMITTED: "The plan has already been submitted and is "
            "waiting for the commissioner's review.",
            TransferPlanStatus.APPROVED: _APPROVED,
            TransferPlanStatus.SIGNED: _SIGNED,
        },
        may_prepare_transfer_plan,
    ),
    "return": TransferStep(
        (TransferPlanStatus.SUBMITTED,),
        _who_reviews,
        _guard_return,
        {
            TransferPlanStatus.DRAFT: "The plan has not been submitted yet: the provider "
            "submits it before it is reviewed.",
            TransferPlanStatus.RETURNED: "The plan has already been returned to the provider.",
            TransferPlanStatus.APPROVED: _APPROVED,
            TransferPlanStatus.SIGNED: _SIGNED,
        },
        _is_officer,
    ),
    "approve": TransferStep(
        (TransferPlanStatus.SUBMITTED,),
        _who_reviews,
        _no_transfer_guard,
        {
            TransferPlanStatus.DRAFT: "The plan cannot be approved before it is submitted: "
            "the provider submits it first.",
            TransferPlanStatus.RETURNED: "The plan was returned with comments: it can be "
            "approved only once the provider has resubmitted it.",
            TransferPlanStatus.APPROVED: _APPROVED,
            TransferPlanStatus.SIGNED: _SIGNED,
        },
        _is_officer,
    ),
    "sign": TransferStep(
        (TransferPlanStatus.APPROVED,),
        _who_signs,
        _no_transfer_guard,
        {
            TransferPlanStatus.DRAFT: _NOT_APPROVED,
            TransferPlanStatus.SUBMITTED: _NOT_APPROVED,
            TransferPlanStatus.RETURNED: _NOT_APPROVED,
            TransferPlanStatus.SIGNED: "The plan has already been signed by both parties.",
        },
        _may_sign,
    ),
}


_SUBMITTED_PLAN = "submitted this plan"


def transfer_plan_approval_refusal(plan: ServiceTransferPlan, user) -> str:
    """Why ``user`` may not approve the plan although they review it: they submitted it
    themselves, for the provider ("" when they may)."""
    return different_person_refusal(
        actor=user, proposer=plan.submitted_by_id, did=_SUBMITTED_PLAN, step="approve it"
    )


def may_take_transfer_step(plan: ServiceTransferPlan, action: str, actor) -> bool:
    """Whether ``actor`` is someone who submits, reviews or signs the plan at all;
    whether its status still allows the step is the step's own check."""
    step = TRANSFER_STEPS.get(action)
    return step is not None and step.may(plan, actor)


def transfer_plan_steps(plan: ServiceTransferPlan, user) -> list[str]:
    """The steps ``user`` may take on the plan now (for the page's buttons)."""
    return [
        action
        for action, step in TRANSFER_STEPS.items()
        if plan.status in step.from_statuses
        and not step.who(plan, user)
        and not (action == "approve" and transfer_plan_approval_refusal(plan, user))
    ]


@transaction.atomic
def transfer_plan_transition(
    *, plan: ServiceTransferPlan, action: str, actor, comments: str = ""
) -> ServiceTransferPlan:
    """Take one step in the plan's life: submit, return (with comments), approve or
    sign. Each step is recorded as an event with who, when and what was said."""
    # The signers are read after the lock, not joined into it: PostgreSQL re-reads a row
    # that another request changed while this one waited, but not the rows joined to it,
    # so a signer set meanwhile would come back empty.
    plan = locked(plan, "contract")
    if not ServiceTransferPlan.objects.restrict(actor, "change").filter(pk=plan.pk).exists():
        raise ValidationError("You cannot change this service transfer plan.")
    step = TRANSFER_STEPS.get(action)
    if step is None:
        raise ValidationError(f"“{action}” is not a step of a service transfer plan.")
    if plan.status not in step.from_statuses:
        raise ValidationError(step.out_of_order[plan.status])
    comments = (comments or "").strip()
    refusal = step.who(plan, actor)
    if refusal:
        raise ValidationError(refusal)
    if action == "approve":
        # The contract's officers may submit the plan for the provider; whoever did so
        # does not approve it too.
        require_different_person(
            actor=actor, proposer=plan.submitted_by_id, did=_SUBMITTED_PLAN, step="approve it"
        )
    problems = step.guard(plan, comments)
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    if action == "submit":
        plan.status = TransferPlanStatus.SUBMITTED
        plan.submitted_at, plan.submitted_by = now, actor
        kind = TransferPlanEventKind.SUBMITTED
    elif action == "return":
        plan.status = TransferPlanStatus.RETURNED
        plan.review_comments = comments
        kind = TransferPlanEventKind.RETURNED
    elif action == "approve":
        plan.status = TransferPlanStatus.APPROVED
        plan.approved_at, plan.approved_by = now, actor
        kind = TransferPlanEventKind.APPROVED
    elif _is_provider_side(plan, actor):
        plan.provider_signed_at, plan.provider_signed_by = now, actor
        kind = TransferPlanEventKind.SIGNED_PROVIDER
    else:
        plan.commissioner_signed_at, plan.commissioner_signed_by = now, actor
        kind = TransferPlanEventKind.SIGNED_COMMISSIONER
    if action == "sign" and plan.provider_signed_by_id and plan.commissioner_signed_by_id:
        plan.status = TransferPlanStatus.SIGNED
    record_save(
        instance=plan,
        actor=actor,
        reason=comments or TransferPlanEventKind(kind).label,
    )
    ServiceTransferPlanEvent.objects.create(
        plan=plan, kind=kind, actor=actor, at=now, comments=comments
    )
    return plan


#: What the notices' forms ask for: a problem with one of these is put right there.
NOTICE_FORM_FIELDS = (
    "sent_on",
    "intention",
    "recipient_contact",
    "recipient_name",
    "details",
    "contact_log_entry",
    "evidence_file",
    "reason",
)
TERMINATION_FORM_FIELDS = (
    "extent",
    "reason",
    "notice_date",
    "effective_date",
    "served_by",
    "affected",
)


def exit_notice_moves(*, contract: Contract, user) -> dict[str, list[str]]:
    """The notices ``user`` is shown on the contract's exit page ("notice": the notice
    of plans for its end, "termination": a termination notice), each with what stops
    it now in the words of its service (empty: it may be recorded). Nothing is shown to
    those who may not record notices on this contract."""
    today = _today()
    shown: dict[str, list[str]] = {}
    if officer_may(user, contract, ExitNotice, "add"):
        shown["notice"] = moves.refusal(
            lambda: exit_notice_record(contract=contract, actor=user, sent_on=today, intention=""),
            form_fields=NOTICE_FORM_FIELDS,
        )
    if officer_may(user, contract, TerminationNotice, "add"):
        shown["termination"] = moves.refusal(
            lambda: termination_notice_record(
                contract=contract,
                actor=user,
                extent="",
                reason="",
                notice_date=today,
                effective_date=today,
                served_by="",
            ),
            form_fields=TERMINATION_FORM_FIELDS,
        )
    return shown


#: Stands in, when asking what stops a return before its form is filled in, for the
#: comments the return form asks for.
_FORM_GIVES_COMMENTS = "The comments the form asks for."


def transfer_plan_moves(*, plan: ServiceTransferPlan, user) -> dict[str, list[str]]:
    """The steps ``user`` is shown on the plan (those they take at some point of its
    life, from its status now), each with what stops it now in the words of
    ``transfer_plan_transition`` (empty: they may take it): who may take it, an empty
    plan not submitted, nobody approving what they submitted, each party signing once."""
    return {
        action: moves.refusal(
            lambda action=action: transfer_plan_transition(
                plan=plan,
                action=action,
                actor=user,
                comments=_FORM_GIVES_COMMENTS if action == "return" else "",
            ),
            form_fields=("comments",),
        )
        for action, step in TRANSFER_STEPS.items()
        if plan.status in step.from_statuses and step.may(plan, user)
    }


# -- Post-contract review ---------------------------------------------------------------------

REVIEW_FIELDS = (
    "held_on",
    "attendees",
    "outcomes_assessment",
    "lessons_learned",
    "future_commissioning",
)


def _check_review(review: PostContractReview) -> None:
    if review.held_on and review.held_on > _today():
        raise ValidationError({"held_on": "The review cannot be recorded before it is held."})
    if review.held_on and review.held_on < review.contract.start_date:
        raise ValidationError({"held_on": "The review cannot be before the contract started."})


@transaction.atomic
def post_contract_review_record(
    *, contract: Contract, actor, reason: str = "", **fields
) -> PostContractReview:
    contract = _locked_contract(contract)
    require_officer(actor, contract, Contract, "change", OFFICERS_ONLY)
    if contract.status not in LIVE:
        raise ValidationError(
            "A post-contract review is recorded while the contract is active or in exit, "
            "before it ends."
        )
    if PostContractReview.objects.filter(contract=contract).exists():
        raise ValidationError("This contract's post-contract review is already recorded.")
    review = PostContractReview(contract=contract, recorded_by=actor, **fields)
    _check_review(review)
    return record_save(
        instance=review, actor=actor, reason=reason or "Post-contract review recorded"
    )


@transaction.atomic
def post_contract_review_update(
    *, instance: PostContractReview, actor, reason: str, **fields
) -> list[str]:
    review = locked(instance, "contract")
    require_officer(actor, review.contract, Contract, "change", OFFICERS_ONLY)
    refuse_unknown_fields(fields, REVIEW_FIELDS, error=ValueError, say="Not editable here")
    candidate = copy.copy(review)
    for name, value in fields.items():
        setattr(candidate, name, value)
    _check_review(candidate)
    return record_update(instance=review, fields=fields, actor=actor, reason=reason)
