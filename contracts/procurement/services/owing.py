"""When a contract under the Act owes its contract details notice (UK7, s.53) and its
termination notice (UK11, s.80), as things happen and in the daily sweep.

- UK7: due 30 days (a setting) after the contract is entered into; owed when it
  becomes active, and by the sweep for any contract under the Act past draft.
- UK11: due 30 days (a setting) after the contract ends for any reason: owed when it
  is recorded as ended or terminated, and by the sweep for a contract whose end date
  has passed (expiry), whatever its status says."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from contracts.procurement.choices import EndingReason, NoticeKind, Regime
from contracts.procurement.models import ContractEnding, ContractProcurement, Notice
from contracts.procurement.services.duties import (
    OFFICERS_ONLY,
    days_after,
    is_act_contract,
    owes_duty,
    procurement_of,
)
from contracts.procurement.services.notices import notice_owe
from contracts.register.choices import ContractStatus
from contracts.register.models.contracts import Contract
from governance.core.permissions import require_officer
from governance.core.services import record_save

ENDED_STATUSES = (ContractStatus.ENDED, ContractStatus.TERMINATED)


def contract_details_due(contract: Contract) -> datetime.date | None:
    """30 days after the contract was entered into; 120 for a light-touch contract (the
    Act gives those longer). Both are settings."""
    procurement = procurement_of(contract)
    entered = procurement.entered_into_on
    if not entered:
        return None
    days = (
        settings.PROCUREMENT_UK7_LIGHT_TOUCH_DUE_DAYS
        if procurement.light_touch
        else settings.PROCUREMENT_UK7_DUE_DAYS
    )
    return days_after(entered, days)


def owe_contract_details(*, contract: Contract, actor=None) -> Notice | None:
    """The contract details notice, once the contract is under the Act, past draft and
    its date of entry known; None when it owes none."""
    due_on = contract_details_due(contract)
    if due_on is None or contract.status == ContractStatus.DRAFT or not owes_duty(contract, "uk7"):
        return None
    notice, _ = notice_owe(
        contract=contract,
        kind=NoticeKind.CONTRACT_DETAILS,
        due_on=due_on,
        source=contract,
        actor=actor,
        reason="Contract details notice owed: the contract was entered into on "
        f"{procurement_of(contract).entered_into_on:%-d %B %Y}",
    )
    return notice


def owe_termination(
    *, contract: Contract, ended_on: datetime.date, actor=None, expiry: bool = False
) -> Notice | None:
    """The termination notice, due 30 days after the contract ended. For an expiry the
    reason is known and recorded; otherwise the officers record it (with the breach,
    if any) before drafting the notice."""
    if not owes_duty(contract, "uk11"):
        return None
    if expiry and not ContractEnding.objects.filter(contract=contract).exists():
        record_save(
            instance=ContractEnding(
                contract=contract, ended_on=ended_on, cause=EndingReason.EXPIRY
            ),
            actor=actor,
            reason="The contract reached the end of its term",
        )
    notice, _ = notice_owe(
        contract=contract,
        kind=NoticeKind.TERMINATION,
        due_on=days_after(ended_on, settings.PROCUREMENT_UK11_DUE_DAYS),
        source=contract,
        actor=actor,
        reason=f"Termination notice owed: the contract ended on {ended_on:%-d %B %Y}",
    )
    return notice


def contract_status_changed(*, contract: Contract, actor) -> None:
    """Called by the contract's status machine after each step: owes the notices the
    new status brings."""
    if not is_act_contract(contract):
        return
    today = timezone.localdate()
    if contract.status == ContractStatus.ACTIVE:
        owe_contract_details(contract=contract, actor=actor)
    elif contract.status == ContractStatus.ENDED:
        owe_termination(
            contract=contract,
            ended_on=min(contract.current_end_date, today),
            actor=actor,
            expiry=True,
        )
    elif contract.status == ContractStatus.TERMINATED:
        owe_termination(contract=contract, ended_on=today, actor=actor)


def notices_sweep(*, today: datetime.date | None = None) -> dict:
    """The daily sweep's part: owe every contract details notice and every termination
    notice for an expired contract not yet owed. Idempotent."""
    today = today or timezone.localdate()
    owed = {"contract details": 0, "termination": 0}
    act = ContractProcurement.objects.filter(regime=Regime.ACT_2023).select_related("contract")
    for procurement in (
        act.filter(entered_into_on__isnull=False)
        .exclude(contract__status=ContractStatus.DRAFT)
        .exclude(contract__notices__kind=NoticeKind.CONTRACT_DETAILS)
    ):
        if owe_contract_details(contract=procurement.contract):
            owed["contract details"] += 1
    expired = act.filter(contract__current_end_date__lt=today).exclude(
        contract__status=ContractStatus.DRAFT
    )
    for procurement in expired.exclude(contract__notices__kind=NoticeKind.TERMINATION):
        contract = procurement.contract
        if contract.status == ContractStatus.TERMINATED:
            continue  # owed when it was terminated, from that day
        if owe_termination(contract=contract, ended_on=contract.current_end_date, expiry=True):
            owed["termination"] += 1
    return owed


@transaction.atomic
def ending_record(*, contract: Contract, actor, reason: str = "", **fields) -> ContractEnding:
    """Record (or correct) why and when a contract ended, for its termination notice."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    require_officer(actor, contract, ContractEnding, "add", OFFICERS_ONLY)
    if not is_act_contract(contract):
        raise ValidationError(
            "This contract was procured under the earlier regime, so it owes no termination notice."
        )
    ending = ContractEnding.objects.filter(contract=contract).first() or ContractEnding(
        contract=contract
    )
    for name, value in fields.items():
        setattr(ending, name, value)
    if ending.ended_on and ending.ended_on > timezone.localdate():
        raise ValidationError({"ended_on": "The date the contract ended cannot be in the future."})
    if ending.ended_on and ending.ended_on < contract.start_date:
        raise ValidationError(
            {"ended_on": "The date the contract ended cannot be before it started."}
        )
    if ending.cause != EndingReason.BREACH:
        ending.breach_description = ""
        ending.breach_damages_or_settlement = ending.breach_disputed = False
    record_save(instance=ending, actor=actor, reason=reason or "How the contract ended recorded")
    if contract.status in ENDED_STATUSES or contract.current_end_date < timezone.localdate():
        owe_termination(contract=contract, ended_on=ending.ended_on, actor=actor)
    return ending
