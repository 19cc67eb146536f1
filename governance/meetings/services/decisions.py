"""The decision log: decisions recorded on their own (for a contract or the whole
portfolio), their path from proposed to approved or rejected, and superseding.

An approved decision is never edited: it is the record that something was decided. A
decision that changes it is recorded as a new decision that supersedes it; both are
kept and readable, each pointing to the other. Decisions raised in a meeting are
recorded by governance.services.meetings.decision_raise and join the same log.

Who may approve follows the level of the decision (the convention that an approval
needs the approving role): the contract's lead or deputy officer for a contract
manager decision, a policy development manager for a PDM decision, a member of the
Senior Management Group for an SMG or commissioner decision. A higher level may always
decide a lower one. Whoever recorded a proposal does not approve it: someone else
holding its level does (``governance.duties``).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from contracts.register.models.contracts import Contract
from governance.core.duties import different_person_refusal, require_different_person
from governance.core.moves import refusal
from governance.core.permissions import officer_may, permission_name, runs_contract
from governance.core.roles import Role
from governance.core.services import record_save, record_update
from governance.meetings.choices import DecisionLevel, DecisionStatus
from governance.meetings.models import Decision
from governance.meetings.selectors import decision_list

APPROVED_IS_FINAL = (
    "An approved decision cannot be changed: record a new decision that supersedes it."
)

#: Fields a decision's own form may change while it is proposed.
EDITABLE = ("title", "decision", "rationale", "decided_by", "level", "decided_on")

#: The statuses each status may move to through ``decision_transition``. Superseding is
#: not a transition of its own: it happens when a new decision is recorded in its place.
DECISION_TRANSITIONS: dict[str, tuple[str, ...]] = {
    DecisionStatus.PROPOSED: (DecisionStatus.APPROVED, DecisionStatus.REJECTED),
    DecisionStatus.APPROVED: (),
    DecisionStatus.REJECTED: (),
    DecisionStatus.SUPERSEDED: (),
}

#: Statuses a decision may be recorded with: a proposal, or a decision already taken.
RECORDED_AS = (DecisionStatus.PROPOSED, DecisionStatus.APPROVED)

#: Roles that hold the authority of each level (besides the contract's officers, who
#: hold the contract manager level on their own contracts).
_LEVEL_ROLES: dict[str, tuple[str, ...]] = {
    DecisionLevel.CONTRACT_MANAGER: (Role.PDM, Role.SMG),
    DecisionLevel.PDM: (Role.PDM, Role.SMG),
    DecisionLevel.SMG: (Role.SMG,),
    DecisionLevel.COMMISSIONER: (Role.SMG,),
}

_WHO_DECIDES = {
    DecisionLevel.CONTRACT_MANAGER: "the contract's lead or deputy officer, a policy "
    "development manager or SMG",
    DecisionLevel.PDM: "a policy development manager or a member of the Senior Management Group",
    DecisionLevel.SMG: "a member of the Senior Management Group",
    DecisionLevel.COMMISSIONER: "a member of the Senior Management Group",
}

# Words as a sentence uses them: "rejected", "a contract manager decision".
_LEVEL_NAMES = {
    DecisionLevel.CONTRACT_MANAGER: "a contract manager",
    DecisionLevel.PDM: "a policy development manager",
    DecisionLevel.SMG: "an SMG",
    DecisionLevel.COMMISSIONER: "a commissioner",
}


def _today() -> datetime.date:
    return timezone.localdate()


def _on(day: datetime.date) -> str:
    return f"{day:%-d %B %Y}"


def _raise_if(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


# -- Who may do what ----------------------------------------------------------------------


def may_record(actor, contract: Contract | None) -> bool:
    """Recording a decision: the contract's lead or deputy officer, or for the whole
    portfolio anyone of the commissioner's staff allowed to add decisions."""
    return officer_may(actor, contract, Decision, "add")


def may_decide_at(actor, level: str, contract: Contract | None) -> bool:
    """Whether ``actor`` holds the authority to approve a decision at ``level``."""
    if actor.is_superuser:
        return True
    if actor.is_provider_user or not actor.has_perm(permission_name(Decision, "change")):
        return False
    if actor.has_role(*_LEVEL_ROLES.get(level, ())):
        return True
    return level == DecisionLevel.CONTRACT_MANAGER and runs_contract(actor, contract)


def may_decide(actor, decision: Decision) -> bool:
    """Approve or reject ``decision``: a proposal, by someone holding its level."""
    return decision.status == DecisionStatus.PROPOSED and may_decide_at(
        actor, decision.level, decision.contract
    )


_PROPOSED, _APPROVE = "proposed this decision", "approve it"


def approval_refusal(actor, decision: Decision) -> str:
    """Why ``actor``, who holds the level, may not approve the proposal: they recorded
    it ("" when they may). Said on the decision's page with who can approve it."""
    refusal = different_person_refusal(
        actor=actor, proposer=decision.recorded_by_id, did=_PROPOSED, step=_APPROVE
    )
    if not refusal:
        return ""
    return f"{refusal[:-1]}: {_WHO_DECIDES.get(decision.level, 'someone holding its level')}."


def may_supersede(actor, decision: Decision) -> bool:
    """Record a decision in place of an approved one: someone allowed to record
    decisions who holds its level (an SMG member may supersede an SMG decision on any
    contract; the contract's officers, its contract manager decisions)."""
    return (
        decision.status == DecisionStatus.APPROVED
        and actor.has_perm(permission_name(Decision, "add"))
        and may_decide_at(actor, decision.level, decision.contract)
    )


def _require_authority(
    actor, level: str, contract: Contract | None, doing: str, advice: str = ""
) -> None:
    if not may_decide_at(actor, level, contract):
        raise ValidationError(
            f"Only {_WHO_DECIDES.get(level, 'someone holding its level')} can {doing} "
            f"{_LEVEL_NAMES.get(level, 'a')} decision{advice}."
        )


# -- Checks shared by recording and editing -------------------------------------------------


def _clean_text(fields: dict) -> dict:
    for name in ("title", "decision", "rationale", "decided_by"):
        if name in fields:
            fields[name] = (fields[name] or "").strip()
    return fields


def _check(record: Decision, errors: dict, *, not_before: datetime.date | None = None) -> None:
    for name, message in (
        ("title", "Enter a short title for the decision."),
        ("decision", "Enter what was decided."),
        ("decided_by", "Enter who decided: a person or a body such as SMG."),
    ):
        if not getattr(record, name):
            errors.setdefault(name, message)
    if record.level not in DecisionLevel.values:
        errors.setdefault("level", "Select the level at which it was decided.")
    if record.decided_on is None:
        errors.setdefault("decided_on", "Enter the date of the decision.")
    elif record.decided_on > _today():
        errors.setdefault("decided_on", "The date of the decision cannot be in the future.")
    elif not_before is not None and record.decided_on < not_before:
        errors.setdefault(
            "decided_on",
            f"The new decision cannot be dated before the one it replaces, {_on(not_before)}.",
        )
    try:
        record.full_clean(exclude=[*errors, "contract", "meeting", "supersedes", "recorded_by"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, messages)
    _raise_if(errors)


def _locked(decision: Decision) -> Decision:
    return (
        Decision.objects.select_for_update(of=("self",))
        .select_related("contract")
        .get(pk=decision.pk)
    )


def _refuse_unless_proposed(decision: Decision) -> None:
    if decision.status == DecisionStatus.APPROVED:
        raise ValidationError(APPROVED_IS_FINAL)
    if decision.status == DecisionStatus.REJECTED:
        raise ValidationError(
            "A rejected decision cannot be changed: record a new proposal instead."
        )
    if decision.status == DecisionStatus.SUPERSEDED:
        superseded_by = Decision.objects.filter(supersedes=decision).first()
        replaced = f" by {superseded_by.reference}" if superseded_by else ""
        raise ValidationError(
            f"This decision has been superseded{replaced} and can no longer be changed."
        )


# -- Recording, editing, deciding, superseding ----------------------------------------------


@transaction.atomic
def decision_record(
    *,
    actor,
    contract: Contract | None = None,
    title: str,
    decision: str,
    rationale: str = "",
    decided_by: str,
    level: str,
    decided_on: datetime.date,
    status: str = DecisionStatus.PROPOSED,
    reason: str = "",
) -> Decision:
    """Record a decision on its own, for a contract or (no contract) the portfolio:
    proposed, to be approved or rejected later, or approved when it has already been
    taken, by someone holding its level. ``decided_on`` is the date it was proposed or
    taken."""
    if contract is not None:
        contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if not may_record(actor, contract):
        raise ValidationError(
            "Only the contract's lead or deputy officer can record its decisions."
            if contract is not None
            else "You do not have permission to record decisions for the portfolio."
        )
    if status not in RECORDED_AS:
        raise ValidationError(
            {"status": "Say whether the decision is proposed or has already been approved."}
        )
    record = Decision(
        contract=contract,
        recorded_by=actor,
        status=status,
        **_clean_text(
            {
                "title": title,
                "decision": decision,
                "rationale": rationale,
                "decided_by": decided_by,
            }
        ),
        level=level or "",
        decided_on=decided_on,
    )
    _check(record, {})
    if status == DecisionStatus.APPROVED:
        _require_authority(
            actor,
            record.level,
            contract,
            "approve",
            ": record it as proposed, for them to approve",
        )
    default = "Decision recorded" if status == DecisionStatus.APPROVED else "Decision proposed"
    return record_save(instance=record, actor=actor, reason=reason or default)


@transaction.atomic
def decision_update(*, instance: Decision, actor, reason: str, **fields) -> list[str]:
    """Correct a proposed decision. Returns the names of the fields changed."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"Not editable here: {', '.join(sorted(unknown))}")
    decision = _locked(instance)
    if not Decision.objects.restrict(actor, "change").filter(pk=decision.pk).exists():
        raise ValidationError(
            "Only the contract's lead or deputy officer can change its decisions."
            if decision.contract_id
            else "You do not have permission to change portfolio decisions."
        )
    _refuse_unless_proposed(decision)
    fields = _clean_text(dict(fields))
    candidate = Decision(
        **{name: getattr(decision, name) for name in EDITABLE},
        status=decision.status,
        recorded_by_id=decision.recorded_by_id,
    )
    for name, value in fields.items():
        setattr(candidate, name, value)
    _check(candidate, {})
    return record_update(instance=decision, fields=fields, actor=actor, reason=reason)


@transaction.atomic
def decision_transition(
    *,
    decision: Decision,
    actor,
    status: str,
    decided_on: datetime.date | None = None,
    reason: str = "",
) -> Decision:
    """Approve or reject a proposed decision, on the date it was decided (today unless
    given). A rejection says why."""
    decision = _locked(decision)
    if status == DecisionStatus.SUPERSEDED:
        raise ValidationError(
            {
                "status": "A decision is superseded by recording the decision that replaces "
                "it: use Supersede on an approved decision."
            }
        )
    if status not in DecisionStatus.values:
        raise ValidationError({"status": "Select whether the decision is approved or rejected."})
    allowed = DECISION_TRANSITIONS.get(decision.status, ())
    if status not in allowed:
        if decision.status == DecisionStatus.APPROVED:
            raise ValidationError(APPROVED_IS_FINAL)
        raise ValidationError(
            f"This decision is {decision.get_status_display().lower()}: only a proposed "
            "decision can be approved or rejected."
        )
    verb = "approve" if status == DecisionStatus.APPROVED else "reject"
    _require_authority(actor, decision.level, decision.contract, verb)
    if status == DecisionStatus.APPROVED:
        require_different_person(
            actor=actor, proposer=decision.recorded_by_id, did=_PROPOSED, step=_APPROVE
        )
    reason = (reason or "").strip()
    errors = {}
    decided_on = decided_on or _today()
    if decided_on > _today():
        errors["decided_on"] = "The date of the decision cannot be in the future."
    elif decided_on < decision.decided_on:
        errors["decided_on"] = (
            f"The decision cannot be dated before it was proposed, {_on(decision.decided_on)}."
        )
    if status == DecisionStatus.REJECTED and not reason:
        errors["reason"] = "Give the reason the proposal is rejected."
    _raise_if(errors)
    decision.status = status
    decision.decided_on = decided_on
    label = DecisionStatus(status).label
    return record_save(
        instance=decision, actor=actor, reason=f"{label}: {reason}" if reason else label
    )


def decision_moves(*, decision: Decision, user) -> dict[str, list[str]]:
    """The moves ``user`` is shown on a decision, each with what stops them now (empty:
    they may), in the words of the service: "decide" (approve or reject a proposal) is
    shown to whoever holds its level and to whoever recorded it, and stopped while the
    service would refuse to approve it (not one's own proposal; the level's authority)."""
    if decision.status != DecisionStatus.PROPOSED:
        return {}
    holds = may_decide_at(user, decision.level, decision.contract)
    if not holds and decision.recorded_by_id != user.pk:
        return {}
    return {
        "decide": refusal(
            lambda: decision_transition(
                decision=decision, actor=user, status=DecisionStatus.APPROVED
            ),
            form_fields=("status", "decided_on", "reason"),
        )
    }


#: ``decision`` names the decision superseded, so the new one's wording ("What was
#: decided", the model's ``decision`` field) is passed as ``what_was_decided``.
SUPERSEDING_FIELDS = tuple("what_was_decided" if f == "decision" else f for f in EDITABLE)


@transaction.atomic
def decision_supersede(*, decision: Decision, actor, reason: str = "", **new_fields) -> Decision:
    """Record a new, approved decision in place of an approved one. The new decision
    points back to the old (``supersedes``); the old one is marked superseded. Both stay
    in the log. The new decision keeps the old one's contract (or the portfolio).
    ``new_fields``: title, what_was_decided, rationale, decided_by, level, decided_on."""
    unknown = set(new_fields) - set(SUPERSEDING_FIELDS)
    if unknown:
        raise TypeError(f"Not given to a new decision: {', '.join(sorted(unknown))}")
    old = _locked(decision)
    if old.status != DecisionStatus.APPROVED:
        raise ValidationError(
            f"This decision is {old.get_status_display().lower()}: only an approved decision "
            "can be superseded."
            + (" Edit the proposal instead." if old.status == DecisionStatus.PROPOSED else "")
        )
    if not actor.has_perm(permission_name(Decision, "add")):
        raise ValidationError("You do not have permission to record decisions.")
    _require_authority(actor, old.level, old.contract, "supersede")
    fields = _clean_text(
        {
            "title": new_fields.get("title"),
            "decision": new_fields.get("what_was_decided"),
            "rationale": new_fields.get("rationale"),
            "decided_by": new_fields.get("decided_by"),
        }
    )
    fields["level"] = new_fields.get("level") or ""
    fields["decided_on"] = new_fields.get("decided_on")
    new = Decision(
        contract=old.contract,
        supersedes=old,
        status=DecisionStatus.APPROVED,
        recorded_by=actor,
        **fields,
    )
    _check(new, {}, not_before=old.decided_on)
    if new.level != old.level:
        _require_authority(actor, new.level, old.contract, "approve")
    reason = (reason or "").strip()
    record_save(
        instance=new,
        actor=actor,
        reason=f"Supersedes {old.reference}: {reason}" if reason else f"Supersedes {old.reference}",
    )
    old.status = DecisionStatus.SUPERSEDED
    record_save(instance=old, actor=actor, reason=f"Superseded by {new.reference}")
    return new


# -- Reads --------------------------------------------------------------------------------


def contract_decisions(user, contract: Contract) -> QuerySet[Decision]:
    """The contract's decisions the user may see, latest first."""
    return decision_list(user).filter(contract=contract).order_by("-decided_on", "-pk")
