"""Contract change notices (UK10, s.74-75): every variation of a contract under the Act
is classified when it is approved. No notice is needed while the contract's total value
has moved, in all, by no more than 10% of the original for goods or services (15% for
works) and its term by no more than 10% of the original term; beyond either, a change
notice must be published before the change takes effect. The percentages are settings.

A change notice may also be published voluntarily, and a voluntary standstill of at
least 8 working days (a setting) recorded with it."""

import datetime
import logging
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from contracts.procurement.choices import ContractKind, NoticeKind, NoticeStatus
from contracts.procurement.models import ChangeClassification, Notice
from contracts.procurement.services.duties import (
    OFFICERS_ONLY,
    exempting_flags,
    flag_label,
    is_act_contract,
    working_days_after,
)
from contracts.procurement.services.notices import notice_owe
from contracts.register.choices import VariationStatus
from contracts.register.models.contracts import Contract, Variation
from contracts.register.services.contracts import (
    variation_take_effect,
    variation_terms_applied,
)
from governance.core.datepolicy import on, validate_dates
from governance.core.permissions import require_officer
from governance.core.services import record_save

logger = logging.getLogger(__name__)

EARLIER_REGIME = (
    "This contract was procured under the earlier regime, so its variations need no "
    "contract change notice under the Procurement Act 2023."
)
HUNDRED = Decimal(100)


def _percent(part, whole) -> Decimal:
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(Decimal("0.01"))


def value_threshold(kind: str) -> Decimal:
    if kind == ContractKind.WORKS:
        return Decimal(settings.PROCUREMENT_CHANGE_WORKS_VALUE_PERCENT)
    return Decimal(settings.PROCUREMENT_CHANGE_VALUE_PERCENT)


def change_figures(contract: Contract, kind: str) -> dict:
    """The contract's terms now against its original terms: the change in total value
    and in term, each as a share of the original, and whether either is beyond what is
    allowed without a notice (compared exactly, so 10.001% is beyond 10%)."""
    original_value = contract.original_total_value
    value_change = contract.total_value - original_value
    original_days = (contract.original_end_date - contract.start_date).days
    term_days = (contract.initial_end_date - contract.original_end_date).days
    value_limit = value_threshold(kind)
    term_limit = Decimal(settings.PROCUREMENT_CHANGE_TERM_PERCENT)
    value_over = (
        abs(value_change) * HUNDRED > value_limit * original_value
        if original_value
        else value_change != 0
    )
    term_over = abs(term_days) * HUNDRED > term_limit * original_days
    return {
        "value_change": value_change,
        "value_change_percent": _percent(value_change, original_value)
        if original_value
        else Decimal(0),
        "value_threshold_percent": value_limit,
        "value_over": value_over,
        "term_change_days": term_days,
        "term_change_percent": _percent(term_days, original_days),
        "term_threshold_percent": term_limit,
        "term_over": term_over,
    }


def _explanation(figures: dict, kind: str, flags: list[str]) -> str:
    value = (
        f"The total value has changed by {figures['value_change_percent']}% of the original "
        f"(a {ContractKind(kind).label.lower()} contract may change by up to "
        f"{figures['value_threshold_percent']:.0f}% without a notice)"
    )
    term = (
        f"the term by {figures['term_change_percent']}% of the original term (up to "
        f"{figures['term_threshold_percent']:.0f}% is allowed)"
    )
    if flags:
        return (
            f"{value}, {term}. No change notice is owed: the contract is a "
            f"{' and '.join(flag_label(f).lower() for f in flags)}."
        )
    if figures["value_over"] or figures["term_over"]:
        beyond = " and ".join(
            what
            for what, over in (("value", figures["value_over"]), ("term", figures["term_over"]))
            if over
        )
        return (
            f"{value}, {term}. The change in {beyond} is beyond what is allowed, so a "
            "contract change notice must be published before the change takes effect."
        )
    return f"{value}, {term}. Both are within what is allowed: no change notice is needed."


@transaction.atomic
def change_classify(*, variation: Variation, actor) -> ChangeClassification | None:
    """Classify an approved variation of a contract under the Act, owing its change
    notice when one is required. Variations of contracts under the earlier regime are
    not classified (None). Called by the variation's approval, before its terms reach the
    contract: a change that needs a notice waits for it (``change_hold``)."""
    contract = Contract.objects.get(pk=variation.contract_id)
    if not is_act_contract(contract):
        return None
    existing = ChangeClassification.objects.filter(variation=variation).first()
    if existing is not None:
        return existing
    kind = contract.procurement.kind
    # The contract as it stands once the change takes effect, against its original terms.
    figures = change_figures(variation_terms_applied(variation, contract), kind)
    flags = exempting_flags(contract, "uk10")
    required = not flags and (figures["value_over"] or figures["term_over"])
    classification = ChangeClassification(
        variation=variation,
        kind=kind,
        value_change_percent=figures["value_change_percent"],
        value_threshold_percent=figures["value_threshold_percent"],
        term_change_percent=figures["term_change_percent"],
        term_threshold_percent=figures["term_threshold_percent"],
        notice_required=required,
        explanation=_explanation(figures, kind, flags),
    )
    record_save(
        instance=classification,
        actor=actor,
        reason="Change notice required" if required else "No change notice required",
    )
    if required:
        notice_owe(
            contract=contract,
            kind=NoticeKind.CHANGE,
            key=f"variation-{variation.pk}",
            due_on=timezone.localdate(),
            source=variation,
            actor=actor,
            reason=f"Change notice owed for variation {variation.reference}",
        )
    return classification


def standstill_earliest_end(starts_on: datetime.date) -> datetime.date:
    """The first day a voluntary standstill starting on ``starts_on`` may end."""
    return working_days_after(starts_on, settings.PROCUREMENT_STANDSTILL_MIN_WORKING_DAYS)


@transaction.atomic
def change_notice_record(
    *,
    variation: Variation,
    actor,
    standstill_starts_on: datetime.date | None = None,
    standstill_ends_on: datetime.date | None = None,
    reason: str = "",
) -> Notice:
    """Owe a change notice for an approved variation (voluntarily, where none is
    required), with an optional voluntary standstill of at least the minimum working
    days. Refused for a contract under the earlier regime."""
    variation = Variation.objects.select_related("contract").get(pk=variation.pk)
    contract = variation.contract
    require_officer(actor, contract, Notice, "add", OFFICERS_ONLY)
    if not is_act_contract(contract):
        raise ValidationError(EARLIER_REGIME)
    if variation.status != VariationStatus.APPROVED:
        raise ValidationError("A change notice is recorded once the variation is approved.")
    classification = change_classify(variation=variation, actor=actor)
    errors = {}
    if (standstill_starts_on is None) != (standstill_ends_on is None):
        missing = "standstill_ends_on" if standstill_ends_on is None else "standstill_starts_on"
        errors[missing] = "Enter both the first and the last day of the standstill, or neither."
    elif standstill_starts_on is not None:
        candidate = ChangeClassification(
            variation=variation,
            standstill_starts_on=standstill_starts_on,
            standstill_ends_on=standstill_ends_on,
        )
        validate_dates(candidate, "standstill_starts_on", "standstill_ends_on")
        earliest = standstill_earliest_end(standstill_starts_on)
        if standstill_ends_on < earliest:
            errors["standstill_ends_on"] = (
                "A voluntary standstill lasts at least "
                f"{settings.PROCUREMENT_STANDSTILL_MIN_WORKING_DAYS} working days (weekends and "
                f"bank holidays do not count): from {on(standstill_starts_on)} it can end on "
                f"{on(earliest)} at the earliest."
            )
    if errors:
        raise ValidationError(errors)
    classification.standstill_starts_on = standstill_starts_on
    classification.standstill_ends_on = standstill_ends_on
    classification.voluntary_notice = not classification.notice_required
    record_save(
        instance=classification,
        actor=actor,
        reason=reason
        or (
            "Change notice to be published voluntarily"
            if classification.voluntary_notice
            else "Change notice details recorded"
        ),
    )
    notice, _ = notice_owe(
        contract=contract,
        kind=NoticeKind.CHANGE,
        key=f"variation-{variation.pk}",
        due_on=standstill_starts_on or timezone.localdate(),
        source=variation,
        actor=actor,
        reason=reason or f"Change notice owed for variation {variation.reference}",
    )
    return notice


# -- A change that needs a notice waits for it ------------------------------------------


def _change_notice(variation: Variation) -> Notice | None:
    return Notice.objects.filter(
        contract_id=variation.contract_id, kind=NoticeKind.CHANGE, key=f"variation-{variation.pk}"
    ).first()


def change_hold(variation: Variation, today: datetime.date | None = None) -> str:
    """What a variation whose change notice is required waits for before it takes effect
    (s.75: the notice is published before the modification is made): the notice's
    publication, then the last day of any voluntary standstill. "" when nothing. A notice
    an officer records as not required, with the reason, no longer holds it."""
    classification = ChangeClassification.objects.filter(variation=variation).first()
    if classification is None or not classification.notice_required:
        return ""
    notice = _change_notice(variation)
    if notice is None or notice.status == NoticeStatus.NOT_REQUIRED:
        return ""
    if notice.status != NoticeStatus.PUBLISHED:
        return (
            "It takes effect once its contract change notice (UK10) is published on Find a "
            f"Tender (the notice is {notice.get_status_display().lower()})."
        )
    ends = classification.standstill_ends_on
    if ends is not None and (today or timezone.localdate()) <= ends:
        return f"It takes effect after the voluntary standstill ends on {on(ends)}."
    return ""


def waiting_changes_sweep(*, today: datetime.date | None = None) -> dict:
    """The daily sweep's part: variations whose change notice is published and whose
    voluntary standstill has now ended take effect. Idempotent."""
    today = today or timezone.localdate()
    took_effect = 0
    waiting = Variation.objects.filter(
        status=VariationStatus.APPROVED,
        applied_at__isnull=True,
        change_classification__notice_required=True,
    ).select_related("contract")
    for variation in waiting:
        try:
            if variation_take_effect(
                variation=variation, reason="its standstill has ended", today=today
            ):
                took_effect += 1
        except ValidationError as error:
            # One variation's terms refused must not stop the rest of the morning's sweep:
            # it stays waiting, and its page says why.
            logger.warning(
                "Variation %s could not take effect: %s", variation.reference, error.messages
            )
    return {"variations took effect": took_effect}
