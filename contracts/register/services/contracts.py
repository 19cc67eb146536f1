"""Contracts: creation, editing while draft, the status machine, extension options and
variations (change control). Every rule a user can trip over raises a ValidationError
whose sentence says what is wrong and what to do."""

import copy
import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone

from contracts.register import hooks
from contracts.register.choices import ContractStatus, ExtensionStatus, VariationStatus
from contracts.register.models.contracts import Contract, ExtensionOption, Variation
from governance.core.datepolicy import contract_latest_end, validate_dates
from governance.core.dates import add_months, months_between
from governance.core.duties import different_person_refusal, require_different_person
from governance.core.moves import refusal
from governance.core.permissions import require_officer
from governance.core.roles import Role
from governance.core.row_locks import locked
from governance.core.services import record_save, record_update
from governance.core.step_tables import next_statuses, table_step
from governance.templatetags.govuk import share_percent

#: Fields that are the contract's terms: fixed once it is active, changed only by an
#: approved variation.
TERMS = ("provider", "scope", "total_value", "annual_value", "start_date", "initial_end_date")

#: A variation changing the total value by more than this share needs SMG approval.
MATERIAL_VALUE_CHANGE = Decimal("0.10")
OFFICERS_ONLY = "Only the contract's lead or deputy officer can change this contract."


def _today() -> datetime.date:
    return timezone.localdate()


def _check_people(contract: Contract) -> None:
    errors = {}
    for field in ("lead_officer", "deputy_officer"):
        officer = getattr(contract, field)
        if officer is not None and not officer.has_role(Role.CONTRACT_MANAGER):
            errors[field] = f"{officer} is not a contract manager."
    for field in ("provider_executive", "provider_contract_manager", "escalation_contact"):
        contact = getattr(contract, field)
        if contact is not None and contact.organisation_id != contract.provider_id:
            errors[field] = f"{contact.name} is not a contact at {contract.provider}."
    if contract.provider_id and contract.provider.kind != "provider":
        errors["provider"] = f"{contract.provider} is not registered as a provider."
    if contract.is_strategic_partnership and not contract.lifecycle_stage:
        errors["lifecycle_stage"] = "Select the partnership's lifecycle stage."
    if errors:
        raise ValidationError(errors)


def current_end_date(contract: Contract) -> datetime.date:
    exercised = contract.extensions.filter(status=ExtensionStatus.EXERCISED).aggregate(
        months=Sum("length_months")
    )["months"]
    return add_months(contract.initial_end_date, exercised or 0)


@transaction.atomic
def contract_create(*, actor, reason: str = "", **fields) -> Contract:
    contract = Contract(**fields)
    contract.original_total_value = contract.total_value
    contract.original_annual_value = contract.annual_value
    contract.original_end_date = contract.current_end_date = contract.initial_end_date
    _check_people(contract)
    return record_save(instance=contract, actor=actor, reason=reason or "Contract registered")


@transaction.atomic
def contract_update(*, instance: Contract, actor, reason: str, **fields) -> list[str]:
    require_officer(actor, instance, Contract, "change", OFFICERS_ONLY)
    if instance.status != ContractStatus.DRAFT:
        changing = [n for n in TERMS if n in fields and getattr(instance, n) != fields[n]]
        if changing:
            raise ValidationError(
                dict.fromkeys(
                    changing,
                    "The contract's terms are fixed once it is active: propose a variation "
                    "to change them.",
                )
            )
    candidate = copy.copy(instance)
    for name, value in fields.items():
        setattr(candidate, name, value)
    _check_people(candidate)
    derived = {"current_end_date": current_end_date(candidate)}
    if instance.status == ContractStatus.DRAFT:
        # Until the contract is active its terms are still being settled.
        derived.update(
            original_total_value=candidate.total_value,
            original_annual_value=candidate.annual_value,
            original_end_date=candidate.initial_end_date,
        )
    return record_update(
        instance=instance, fields={**fields, **derived}, actor=actor, reason=reason
    )


# -- The status machine ------------------------------------------------------------


def _guard_activate(contract: Contract) -> list[str]:
    problems = []
    if not contract.lead_officer_id:
        problems.append("Name the lead officer.")
    if not contract.deputy_officer_id:
        problems.append("Name the deputy officer.")
    if not contract.provider_contract_manager_id:
        problems.append("Name the provider's contract manager.")
    # Features' own conditions (the Procurement Act 2023: the date of entry, the KPI duty).
    for check in hooks.ACTIVATION_CHECKS:
        problems += check(contract)
    return problems


def _guard_end(contract: Contract) -> list[str]:
    if _today() < contract.current_end_date:
        return [
            f"The contract runs until {contract.current_end_date:%-d %B %Y}. Terminate it "
            "to end it early."
        ]
    return []


def _no_guard(contract: Contract) -> list[str]:
    return []


def _guard_review(contract: Contract) -> list[str]:
    """A contract ends (or is terminated) only once its post-contract review is held.
    Read through the review's relation, so the register does not import the exit feature."""
    if not Contract.objects.filter(pk=contract.pk, post_contract_review__isnull=False).exists():
        return [
            "Record the post-contract review (on the contract's Exit tab) before the "
            "contract ends or is terminated."
        ]
    return []


def _guard_end_reviewed(contract: Contract) -> list[str]:
    return _guard_end(contract) + _guard_review(contract)


#: (from, to) -> guard. A guard returns what is missing; empty means allowed.
TRANSITIONS = {
    (ContractStatus.DRAFT, ContractStatus.ACTIVE): _guard_activate,
    (ContractStatus.ACTIVE, ContractStatus.IN_EXIT): _no_guard,
    (ContractStatus.ACTIVE, ContractStatus.ENDED): _guard_end_reviewed,
    (ContractStatus.IN_EXIT, ContractStatus.ENDED): _guard_end_reviewed,
    (ContractStatus.ACTIVE, ContractStatus.TERMINATED): _guard_review,
    (ContractStatus.IN_EXIT, ContractStatus.TERMINATED): _guard_review,
}


def allowed_transitions(contract: Contract) -> list[str]:
    return next_statuses(TRANSITIONS, contract.status)


def transition_blockers(contract: Contract, to_status: str) -> list[str]:
    """What stops the move to ``to_status`` now, by the move's own guard (empty: it can
    be made). Pages show a blocked move disabled with these; the service checks again."""
    return TRANSITIONS[(contract.status, to_status)](contract)


@transaction.atomic
def contract_transition(*, contract: Contract, to_status: str, actor, reason: str) -> Contract:
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    require_officer(actor, contract, Contract, "change", OFFICERS_ONLY)
    guard = table_step(TRANSITIONS, contract, to_status, noun="contract", statuses=ContractStatus)
    problems = guard(contract)
    if problems:
        raise ValidationError(problems)
    contract.status = to_status
    record_save(instance=contract, actor=actor, reason=reason)
    for changed in hooks.STATUS_CHANGED:
        changed(contract=contract, actor=actor)
    return contract


# -- Extension options -----------------------------------------------------------------


@transaction.atomic
def extension_add(
    *,
    contract: Contract,
    actor,
    length_months: int,
    decision_deadline: datetime.date,
    reason: str = "",
) -> ExtensionOption:
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    require_officer(actor, contract, Contract, "change", OFFICERS_ONLY)
    if not (contract.status == ContractStatus.DRAFT or contract.is_live):
        raise ValidationError("Options cannot be added to a contract that has ended.")
    earlier = list(contract.extensions.order_by("sequence"))
    if any(option.status == ExtensionStatus.DECLINED for option in earlier):
        raise ValidationError(
            "An earlier option was declined, so the term cannot be extended further."
        )
    _no_waiting_term_change(contract)
    # The option's window: from the start of the contract until the end of the term it
    # extends (the initial end date plus every earlier option).
    extends_from = add_months(contract.initial_end_date, sum(o.length_months for o in earlier))
    if decision_deadline < contract.start_date:
        raise ValidationError(
            {"decision_deadline": "The decision deadline cannot be before the contract starts."}
        )
    if decision_deadline >= extends_from:
        raise ValidationError(
            {
                "decision_deadline": "The decision deadline must be before "
                f"{extends_from:%-d %B %Y}, when the term this option extends ends."
            }
        )
    if earlier and decision_deadline <= earlier[-1].decision_deadline:
        raise ValidationError(
            {
                "decision_deadline": "The decision deadline must be after the previous "
                f"option's deadline, {earlier[-1].decision_deadline:%-d %B %Y}."
            }
        )
    latest_end = contract_latest_end(contract.start_date)
    if add_months(extends_from, length_months) > latest_end:
        raise ValidationError(
            {
                "length_months": "A contract runs for at most 15 years, extensions included: "
                f"this option would run past {latest_end:%-d %B %Y}. Make it shorter."
            }
        )
    option = ExtensionOption(
        contract=contract,
        sequence=(earlier[-1].sequence + 1) if earlier else 1,
        length_months=length_months,
        decision_deadline=decision_deadline,
    )
    return record_save(
        instance=option, actor=actor, reason=reason or f"Option {option.sequence} added"
    )


def _pending_option(option: ExtensionOption) -> ExtensionOption:
    option = locked(option, "contract")
    if option.status != ExtensionStatus.PENDING:
        raise ValidationError(
            f"Option {option.sequence} has already been {option.get_status_display().lower()}."
        )
    return option


@transaction.atomic
def extension_exercise(*, option: ExtensionOption, actor, notes: str = "") -> ExtensionOption:
    option = _pending_option(option)
    contract = option.contract
    require_officer(actor, contract, Contract, "change", OFFICERS_ONLY)
    today = _today()
    if not contract.is_live:
        raise ValidationError("Only an active contract can be extended.")
    if today > option.decision_deadline:
        raise ValidationError(
            f"The decision deadline, {option.decision_deadline:%-d %B %Y}, has passed: this "
            "option can no longer be exercised."
        )
    earlier = contract.extensions.filter(sequence__lt=option.sequence)
    if earlier.exclude(status=ExtensionStatus.EXERCISED).exists():
        raise ValidationError("Every earlier option must be exercised before this one.")
    _no_waiting_term_change(contract)
    option.status = ExtensionStatus.EXERCISED
    option.decided_on, option.decided_by, option.decision_notes = today, actor, notes
    record_save(instance=option, actor=actor, reason=notes or "Option exercised")
    new_end = current_end_date(contract)
    record_update(
        instance=contract,
        fields={"current_end_date": new_end},
        actor=actor,
        reason=f"Extension option {option.sequence} exercised: the contract now ends on "
        f"{new_end:%-d %B %Y}",
    )
    return option


@transaction.atomic
def extension_decline(*, option: ExtensionOption, actor, notes: str) -> ExtensionOption:
    option = _pending_option(option)
    require_officer(actor, option.contract, Contract, "change", OFFICERS_ONLY)
    if not notes.strip():
        raise ValidationError({"notes": "Give the reason the option is declined."})
    today = _today()
    later = option.contract.extensions.filter(
        sequence__gt=option.sequence, status=ExtensionStatus.PENDING
    )
    for declined, why in [(option, notes)] + [
        (other, f"Lapsed: option {option.sequence} was declined") for other in later
    ]:
        declined.status = ExtensionStatus.DECLINED
        declined.decided_on, declined.decided_by, declined.decision_notes = today, actor, why
        record_save(instance=declined, actor=actor, reason=why)
    return option


# -- Variations ------------------------------------------------------------------------

VARIATION_CHANGES = ("new_total_value", "new_annual_value", "new_end_date", "new_scope")


VARIATION_PROPOSED, VARIATION_APPROVE = "proposed this variation", "approve it"


def variation_approval_refusal(variation: Variation, actor) -> str:
    """Why ``actor`` may not approve the variation because they proposed it ("")."""
    return different_person_refusal(
        actor=actor,
        proposer=variation.proposed_by_id,
        did=VARIATION_PROPOSED,
        step=VARIATION_APPROVE,
    )


def variation_is_material(variation: Variation, contract: Contract) -> bool:
    """SMG approves a change of more than ``MATERIAL_VALUE_CHANGE`` of the total value, or
    any move of the end date; the lead or deputy officer approves the rest."""
    if variation.new_end_date and variation.new_end_date != contract.initial_end_date:
        return True
    if variation.new_total_value is None or variation.new_total_value == contract.total_value:
        return False
    if contract.total_value == 0:
        return True
    change = abs(variation.new_total_value - contract.total_value) / contract.total_value
    return change > MATERIAL_VALUE_CHANGE


def _no_waiting_term_change(contract: Contract) -> None:
    """Options are added and exercised on the term as it stands: not while an approved
    variation that moves the end date waits to take effect, which measures the term
    with the options exercised when it does."""
    waiting = waiting_variation(contract)
    if waiting is not None and waiting.new_end_date is not None:
        raise ValidationError(
            f"Variation {waiting.reference} moves the contract's end date and has not yet "
            f"taken effect. {' '.join(variation_holds(waiting, contract))} Add or exercise "
            "options once it has."
        )


def _check_term_with_extensions(contract: Contract, new_end_date: datetime.date) -> None:
    """The exercised extensions run on from the new end date: together they must stay
    within the contract's 15-year term."""
    candidate = copy.copy(contract)
    candidate.initial_end_date = new_end_date
    ends, latest_end = current_end_date(candidate), contract_latest_end(contract.start_date)
    if ends > latest_end:
        raise ValidationError(
            {
                "new_end_date": f"With the extensions already exercised the contract would "
                f"end on {ends:%-d %B %Y}: a contract runs for at most 15 years, so it must "
                f"end by {latest_end:%-d %B %Y}."
            }
        )


@transaction.atomic
def variation_propose(*, contract: Contract, actor, reason: str = "", **fields) -> Variation:
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    require_officer(actor, contract, Contract, "change", OFFICERS_ONLY)
    if not contract.is_live:
        raise ValidationError("Variations can be proposed only for an active contract.")
    variation = Variation(contract=contract, proposed_by=actor, **fields)
    current = {
        "new_total_value": contract.total_value,
        "new_annual_value": contract.annual_value,
        "new_end_date": contract.initial_end_date,
        "new_scope": contract.scope,
    }
    changes = [
        name
        for name in VARIATION_CHANGES
        if getattr(variation, name) not in (None, "") and getattr(variation, name) != current[name]
    ]
    if not changes:
        raise ValidationError(
            "Enter at least one change: a new value, annual value, end date or scope that "
            "differs from the contract's current terms."
        )
    if variation.new_end_date and variation.new_end_date <= contract.start_date:
        raise ValidationError({"new_end_date": "The new end date must be after the start date."})
    validate_dates(variation, "new_end_date")
    if variation.new_end_date:
        _check_term_with_extensions(contract, variation.new_end_date)
    variation.number = (contract.variations.aggregate(n=Max("number"))["n"] or 0) + 1
    variation.needs_smg_approval = variation_is_material(variation, contract)
    return record_save(
        instance=variation, actor=actor, reason=reason or f"Variation V{variation.number} proposed"
    )


def _is_material(variation: Variation, contract: Contract) -> bool:
    # Once decided, the variation is judged as it was when decided: the contract's
    # terms may since include it.
    if variation.status == VariationStatus.PROPOSED:
        return variation_is_material(variation, contract)
    return variation.needs_smg_approval


def may_decide_variation(variation: Variation, actor, contract: Contract | None = None) -> bool:
    """SMG approves or rejects any variation; the contract's lead or deputy officer the
    ones that are not material."""
    contract = contract or variation.contract
    if actor.has_perm("contracts.approve_material_variation"):
        return True
    return contract.is_officer(actor) and not _is_material(variation, contract)


def may_withdraw_variation(variation: Variation, actor) -> bool:
    """The person who proposed it, or the contract's officers."""
    return actor.pk == variation.proposed_by_id or variation.contract.is_officer(actor)


def _may_decide(variation: Variation, contract: Contract, actor) -> None:
    if may_decide_variation(variation, actor, contract):
        return
    if _is_material(variation, contract):
        raise ValidationError(
            "This variation changes the total value by more than "
            f"{share_percent(MATERIAL_VALUE_CHANGE)} or moves the end date, so a member of "
            "the Senior Management Group must decide it."
        )
    raise ValidationError(
        "Only the contract's lead or deputy officer, or SMG, can decide this variation."
    )


def _proposed(variation: Variation) -> Variation:
    variation = locked(variation, "contract")
    if variation.status != VariationStatus.PROPOSED:
        raise ValidationError(
            f"This variation has already been {variation.get_status_display().lower()}."
        )
    return variation


def variation_new_terms(variation: Variation) -> dict:
    """The contract's fields the variation sets, with their new values."""
    new_terms = {}
    if variation.new_total_value is not None:
        new_terms["total_value"] = variation.new_total_value
    if variation.new_annual_value is not None:
        new_terms["annual_value"] = variation.new_annual_value
    if variation.new_end_date is not None:
        new_terms["initial_end_date"] = variation.new_end_date
    if variation.new_scope:
        new_terms["scope"] = variation.new_scope
    return new_terms


def variation_terms_applied(variation: Variation, contract: Contract) -> Contract:
    """A copy of ``contract`` (not saved) as it stands once the variation takes effect.
    The new terms are absolute, so applying them to terms that already include the
    variation changes nothing."""
    candidate = copy.copy(contract)
    for name, value in variation_new_terms(variation).items():
        setattr(candidate, name, value)
    candidate.current_end_date = current_end_date(candidate)
    return candidate


def _own_holds(variation: Variation, contract: Contract) -> list[str]:
    if not contract.is_live:
        return ["The contract is no longer active, so its terms no longer change."]
    if variation.new_end_date is not None:
        try:
            _check_term_with_extensions(contract, variation.new_end_date)
        except ValidationError as error:
            return error.messages
    return []


def variation_holds(
    variation: Variation, contract: Contract | None = None, today: datetime.date | None = None
) -> list[str]:
    """What an approved variation still waits for on ``today`` (by default today) before
    its terms reach the contract (empty: nothing): a contract change notice to be
    published and its standstill to end (the Procurement Act 2023 duties add these), or
    a contract no longer active."""
    contract = contract or variation.contract
    today = today or _today()
    holds = [reason for hold in hooks.VARIATION_HOLDS if (reason := hold(variation, today))]
    return holds + _own_holds(variation, contract)


def waiting_variation(contract: Contract, *, other_than: Variation | None = None):
    """The contract's approved variation not yet in effect, if any (at most one)."""
    waiting = contract.variations.filter(
        status=VariationStatus.APPROVED, applied_at__isnull=True
    ).order_by("number")
    if other_than is not None:
        waiting = waiting.exclude(pk=other_than.pk)
    return waiting.first()


def _take_effect(variation: Variation, contract: Contract, actor, reason: str) -> None:
    """Write the variation's terms into the contract and record the change against the
    original terms on the variation (not saved here)."""
    new_terms = variation_new_terms(variation)
    new_terms["current_end_date"] = variation_terms_applied(variation, contract).current_end_date
    record_update(instance=contract, fields=new_terms, actor=actor, reason=reason)
    value_change = contract.total_value - contract.original_total_value
    variation.cumulative_value_change = value_change
    variation.cumulative_value_change_percent = (
        (value_change * 100 / contract.original_total_value).quantize(Decimal("0.01"))
        if contract.original_total_value
        else None
    )
    variation.cumulative_term_change_months = months_between(
        contract.original_end_date, contract.initial_end_date
    )
    variation.applied_at = timezone.now()


@transaction.atomic
def variation_approve(*, variation: Variation, actor, notes: str = "") -> Variation:
    """Approve a proposed variation. Its terms reach the contract at once, unless
    something holds them back (a contract change notice still to be published, or its
    standstill still running): then it waits, and takes effect when the hold lifts. While
    one variation waits, no other of the same contract is approved, so each change is
    measured against the terms it really changes."""
    variation = _proposed(variation)
    contract = Contract.objects.select_for_update().get(pk=variation.contract_id)
    if not contract.is_live:
        raise ValidationError("Only an active contract can be varied.")
    _may_decide(variation, contract, actor)
    require_different_person(
        actor=actor,
        proposer=variation.proposed_by_id,
        did=VARIATION_PROPOSED,
        step=VARIATION_APPROVE,
    )
    waiting = waiting_variation(contract, other_than=variation)
    if waiting is not None:
        held = " ".join(variation_holds(waiting, contract))
        raise ValidationError(
            f"Variation {waiting.reference} is approved but has not yet taken effect. "
            f"{held} Decide this variation once it has, so it is measured against the "
            "terms it really changes."
        )
    material = variation_is_material(variation, contract)
    if variation.new_end_date is not None:
        validate_dates(variation, "new_end_date")
        _check_term_with_extensions(contract, variation.new_end_date)
    variation.needs_smg_approval = material
    variation.status = VariationStatus.APPROVED
    variation.decided_by, variation.decided_at = actor, timezone.now()
    variation.decision_notes = notes
    for approved in hooks.VARIATION_APPROVED:
        approved(variation=variation, actor=actor)
    if not variation_holds(variation, contract):
        _take_effect(
            variation,
            contract,
            actor,
            reason=f"Variation {variation.reference} approved: {variation.summary}",
        )
    return record_save(instance=variation, actor=actor, reason=notes or "Approved")


@transaction.atomic
def variation_take_effect(
    *, variation: Variation, actor=None, reason: str = "", today: datetime.date | None = None
) -> bool:
    """Let an approved variation that has been waiting take effect, if nothing holds it
    back any longer. Returns whether it took effect now. Idempotent: called when its
    change notice is published or set aside, and by the daily sweep for a standstill
    that has ended."""
    variation = locked(variation, "contract")
    if not variation.is_waiting:
        return False
    contract = Contract.objects.select_for_update().get(pk=variation.contract_id)
    if variation_holds(variation, contract, today):
        return False
    why = reason or "nothing holds it back any longer"
    _take_effect(
        variation,
        contract,
        actor,
        reason=f"Variation {variation.reference} took effect: {variation.summary}",
    )
    record_save(instance=variation, actor=actor, reason=f"Took effect: {why}")
    return True


@transaction.atomic
def variation_reject(*, variation: Variation, actor, notes: str) -> Variation:
    variation = _proposed(variation)
    _may_decide(variation, variation.contract, actor)
    if not notes.strip():
        raise ValidationError({"notes": "Give the reason the variation is rejected."})
    variation.status = VariationStatus.REJECTED
    variation.decided_by, variation.decided_at = actor, timezone.now()
    variation.decision_notes = notes
    return record_save(instance=variation, actor=actor, reason=notes)


@transaction.atomic
def variation_withdraw(*, variation: Variation, actor, notes: str = "") -> Variation:
    variation = _proposed(variation)
    if not may_withdraw_variation(variation, actor):
        raise ValidationError(
            "Only the person who proposed it or the contract's officers can withdraw it."
        )
    variation.status = VariationStatus.WITHDRAWN
    variation.decided_by, variation.decided_at = actor, timezone.now()
    variation.decision_notes = notes
    return record_save(instance=variation, actor=actor, reason=notes or "Withdrawn")


def variation_moves(*, variation: Variation, user) -> dict[str, list[str]]:
    """The decisions ``user`` is shown on a proposed variation, each with what stops them
    taking it now (empty: they may), in the words of the service that would refuse it:
    the four-eyes rule (not the one who proposed it), SMG for a material change, a
    contract no longer live. The contract's officers and SMG see approve and reject;
    whoever may withdraw it sees withdraw."""
    if variation.status != VariationStatus.PROPOSED:
        return {}
    moves: dict[str, list[str]] = {}
    deciders = variation.contract.is_officer(user) or user.has_perm(
        "contracts.approve_material_variation"
    )
    if deciders:
        moves["approve"] = refusal(
            lambda: variation_approve(variation=variation, actor=user), form_fields=("notes",)
        )
        moves["reject"] = refusal(
            lambda: variation_reject(variation=variation, actor=user, notes=""),
            form_fields=("notes",),
        )
    if may_withdraw_variation(variation, user):
        moves["withdraw"] = refusal(
            lambda: variation_withdraw(variation=variation, actor=user), form_fields=("notes",)
        )
    return moves
