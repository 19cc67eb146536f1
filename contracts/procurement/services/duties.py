"""Which contracts carry the Procurement Act 2023's duties, and which duties a contract's
flags switch off; the KPI duty (s.52) and its exemptions recorded by SMG."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from contracts.performance.models.kpis import ContractKpi
from contracts.procurement.choices import ContractKind, ExemptionStatus, NoticeKind, Regime
from contracts.procurement.models import ContractProcurement, KpiDutyExemption
from contracts.register.choices import ContractStatus
from contracts.register.models.contracts import Contract
from governance.core.dates import add_business_days
from governance.core.duties import require_different_person
from governance.core.permissions import require_officer
from governance.core.services import record_save, record_update

#: Which duty (a key of ``PROCUREMENT_DUTY_EXEMPT_FLAGS``) each notice kind belongs to.
NOTICE_DUTIES = {
    NoticeKind.CONTRACT_DETAILS: "uk7",
    NoticeKind.CHANGE: "uk10",
    NoticeKind.TERMINATION: "uk11",
    NoticeKind.PERFORMANCE: "uk9",
    NoticeKind.BREACH: "uk9_breach",
    NoticeKind.PAYMENTS_COMPLIANCE: "payments",
    NoticeKind.PAYMENTS_OVER_30K: "payments_30k",
}

#: Every duty a contract's flags can switch off, with what the help calls it and the
#: section of the Act it comes from (the rows of ``PROCUREMENT_DUTY_EXEMPT_FLAGS``).
DUTIES = (
    ("kpi", "Set and publish KPIs", "s.52"),
    ("uk7", "Contract details notice (UK7)", "s.53"),
    ("uk9", "Performance assessments against KPIs (UK9)", "s.71(2)"),
    ("uk9_breach", "Breach and poor performance notices (UK9)", "s.71(3)-(5)"),
    ("uk10", "Contract change notice (UK10)", "s.75"),
    ("uk11", "Contract termination notice (UK11)", "s.80"),
    ("payments", "Payments compliance notice", "s.69"),
    ("payments_30k", "Payments over £30,000", "s.70"),
)

FLAGS = ("light_touch", "framework", "concession", "utilities")
OFFICERS_ONLY = "Only the contract's lead or deputy officer can do this."


def _today() -> datetime.date:
    return timezone.localdate()


# -- Which contracts carry the Act's duties ------------------------------------------


def procurement_of(contract: Contract) -> ContractProcurement:
    """The contract's procurement record; an unsaved one under the earlier regime for a
    contract that has none (the earlier regime owes nothing)."""
    try:
        return contract.procurement
    except ContractProcurement.DoesNotExist:
        return ContractProcurement(contract=contract, regime=Regime.EARLIER)


def is_act_contract(contract: Contract) -> bool:
    """Whether the contract was procured under the Procurement Act 2023."""
    return procurement_of(contract).regime == Regime.ACT_2023


def exempting_flags(contract: Contract, duty: str) -> list[str]:
    """The flags set on the contract that switch ``duty`` off (the setting
    ``PROCUREMENT_DUTY_EXEMPT_FLAGS`` says which flags switch off which duty)."""
    procurement = procurement_of(contract)
    exempt = settings.PROCUREMENT_DUTY_EXEMPT_FLAGS.get(duty, [])
    return [flag for flag in FLAGS if flag in exempt and getattr(procurement, flag)]


def owes_duty(contract: Contract, duty: str) -> bool:
    """Whether a contract owes ``duty`` ("kpi", "uk7", "uk9", "uk10", "uk11",
    "payments"): it is under the Act and no flag of it switches the duty off."""
    return is_act_contract(contract) and not exempting_flags(contract, duty)


def procurement_threshold(contract: Contract) -> int:
    """The Schedule 1 threshold (a setting) the contract's value is compared with: the
    works figure for works and concessions, the light-touch or utilities figure for those
    contracts, and the goods and services figure for the rest."""
    procurement = procurement_of(contract)
    if procurement.light_touch:
        return settings.PROCUREMENT_THRESHOLD_LIGHT_TOUCH
    if procurement.concession or procurement.kind == ContractKind.WORKS:
        return settings.PROCUREMENT_THRESHOLD_WORKS
    if procurement.utilities:
        return settings.PROCUREMENT_THRESHOLD_UTILITIES
    return settings.PROCUREMENT_THRESHOLD_GOODS_SERVICES


def above_threshold(contract: Contract, value) -> bool:
    """Whether ``value`` (the contract's, or an amended one) is at or above the contract's
    threshold: the Act applies from the threshold itself."""
    return value >= procurement_threshold(contract)


def flag_label(flag: str) -> str:
    return str(ContractProcurement._meta.get_field(flag).verbose_name)


def flag_help(flag: str) -> str:
    """What marking a contract with ``flag`` switches off, for the form's hint."""
    exempt = settings.PROCUREMENT_DUTY_EXEMPT_FLAGS
    duties = [label for key, label, _ in DUTIES if flag in exempt.get(key, [])]
    if not duties:
        return "Switches off none of the Act's duties."
    return (
        f"Switches off: {'; '.join(duties)}. These follow the Act by default; your "
        "administrator can change them in the settings."
    )


def exemption_table() -> list[dict]:
    """The duties and the flags that switch each off, as the settings say, for the help."""
    exempt = settings.PROCUREMENT_DUTY_EXEMPT_FLAGS
    return [
        {
            "duty": label,
            "section": section,
            "flags": [flag_label(flag) for flag in FLAGS if flag in exempt.get(key, [])],
        }
        for key, label, section in DUTIES
    ]


# -- Dates ---------------------------------------------------------------------------


def days_after(day: datetime.date, days: int) -> datetime.date:
    """A calendar-day deadline, as the Act counts them ("within 30 days")."""
    return day + datetime.timedelta(days=days)


def working_days_after(day: datetime.date, days: int) -> datetime.date:
    """``days`` working days after ``day`` (weekends and England and Wales bank holidays
    not counted), through the project's one business-day rule."""
    return add_business_days(day, days)


# -- The KPI duty (s.52) ---------------------------------------------------------------


def kpi_duty_threshold() -> Decimal:
    return Decimal(settings.PROCUREMENT_KPI_DUTY_THRESHOLD)


def kpi_duty_applies(contract: Contract) -> bool:
    """A contract under the Act worth more than the threshold, and not switched off by
    one of its flags, must set KPIs."""
    return owes_duty(contract, "kpi") and contract.total_value > kpi_duty_threshold()


def recorded_exemption(contract: Contract) -> KpiDutyExemption | None:
    """The contract's exemption from the KPI duty, once SMG has recorded it."""
    try:
        exemption = contract.kpi_duty_exemption
    except KpiDutyExemption.DoesNotExist:
        return None
    return exemption if exemption.status == ExemptionStatus.APPROVED else None


def kpi_duty_status(contract: Contract) -> dict:
    """Where the contract stands with the KPI duty: whether it applies, the KPIs set
    and those marked for publication, any exemption, and what is still missing."""
    minimum = settings.PROCUREMENT_KPI_DUTY_MINIMUM
    applies = kpi_duty_applies(contract)
    counts = {"set": 0, "published": 0}
    for kpi in ContractKpi.objects.filter(contract=contract, is_active=True).only(
        "is_key_indicator"
    ):
        counts["set"] += 1
        counts["published"] += kpi.is_key_indicator
    exemption = recorded_exemption(contract) if applies else None
    missing = []
    if applies and exemption is None:
        if counts["set"] < minimum:
            missing.append(
                f"A contract under the Procurement Act 2023 worth more than "
                f"£{kpi_duty_threshold():,.0f} needs at least {minimum} KPIs: it has "
                f"{counts['set']}. Add them on the KPIs tab, or ask SMG to record an exemption."
            )
        if counts["published"] < minimum:
            missing.append(
                f"Mark the {minimum} most material KPIs for publication (as key indicators): "
                f"{counts['published']} {'is' if counts['published'] == 1 else 'are'} marked."
            )
    return {
        "applies": applies,
        "minimum": minimum,
        "threshold": kpi_duty_threshold(),
        "kpis": counts["set"],
        "published": counts["published"],
        "exemption": exemption,
        "missing": missing,
        "met": applies and not missing,
        "exempt_flags": exempting_flags(contract, "kpi") if is_act_contract(contract) else [],
    }


def activation_problems(contract: Contract) -> list[str]:
    """What stops a contract under the Act from becoming active: the date it was
    entered into (its contract details notice runs from it) and the KPI duty."""
    if not is_act_contract(contract):
        return []
    problems = []
    if procurement_of(contract).entered_into_on is None:
        problems.append(
            "Enter the date the contract was entered into (on the contract's details): "
            "its contract details notice is due 30 days after it."
        )
    return problems + kpi_duty_status(contract)["missing"]


def published_kpis(contract: Contract):
    """The contract's KPIs marked for publication (the ones its notices carry)."""
    return ContractKpi.objects.filter(
        contract=contract, is_active=True, is_key_indicator=True
    ).order_by("name")


@transaction.atomic
def kpi_exemption_request(*, contract: Contract, actor, reason: str) -> KpiDutyExemption:
    """The contract's officers ask SMG to record an exemption from the KPI duty."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    require_officer(actor, contract, KpiDutyExemption, "add", OFFICERS_ONLY)
    if not kpi_duty_applies(contract):
        raise ValidationError(
            "The KPI duty does not apply to this contract, so it needs no exemption."
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why the contract is exempt from the KPI duty."})
    existing = KpiDutyExemption.objects.filter(contract=contract).first()
    if existing is not None and existing.status != ExemptionStatus.REFUSED:
        raise ValidationError(
            "An exemption has already been asked for: "
            f"it is {existing.get_status_display().lower()}."
        )
    exemption = existing or KpiDutyExemption(contract=contract)
    exemption.reason, exemption.requested_by = reason.strip(), actor
    exemption.status = ExemptionStatus.REQUESTED
    exemption.decided_by, exemption.decided_at, exemption.decision_notes = None, None, ""
    return record_save(
        instance=exemption, actor=actor, reason="Exemption from the KPI duty asked for"
    )


@transaction.atomic
def kpi_exemption_decide(
    *, exemption: KpiDutyExemption, actor, approve: bool, notes: str = ""
) -> KpiDutyExemption:
    """A member of SMG, not the person who asked, records the exemption or refuses it."""
    exemption = KpiDutyExemption.objects.select_for_update().get(pk=exemption.pk)
    if not actor.has_perm("contracts.decide_kpi_duty_exemption"):
        raise ValidationError(
            "Only a member of the Senior Management Group can record an exemption."
        )
    if exemption.status != ExemptionStatus.REQUESTED:
        raise ValidationError(
            f"This exemption has already been {exemption.get_status_display().lower()}."
        )
    require_different_person(
        actor=actor,
        proposer=exemption.requested_by_id,
        did="asked for this exemption",
        step="record it",
    )
    if not approve and not (notes or "").strip():
        raise ValidationError({"notes": "Say why the exemption is refused."})
    exemption.status = ExemptionStatus.APPROVED if approve else ExemptionStatus.REFUSED
    exemption.decided_by, exemption.decided_at = actor, timezone.now()
    exemption.decision_notes = (notes or "").strip()
    why = "Exemption from the KPI duty recorded" if approve else "Exemption refused"
    return record_save(instance=exemption, actor=actor, reason=exemption.decision_notes or why)


PROCUREMENT_FIELDS = (
    "regime",
    "procurement_started_on",
    "kind",
    "entered_into_on",
    *FLAGS,
)


def procurement_record(*, contract: Contract, actor, reason: str = "", **fields) -> list[str]:
    """Record how the contract was procured (on registering it, or correcting it later).
    Returns the names of the fields that changed."""
    procurement = ContractProcurement.objects.filter(contract=contract).first()
    if procurement is not None or contract.status != ContractStatus.DRAFT:
        require_officer(actor, contract, ContractProcurement, "change", OFFICERS_ONLY)
    elif not actor.has_perm("contracts.add_contractprocurement"):
        raise ValidationError("You cannot register contracts.")
    if procurement is None:
        procurement = ContractProcurement(contract=contract, **fields)
        record_save(
            instance=procurement,
            actor=actor,
            reason=reason or f"Procured under the {procurement.get_regime_display()}",
        )
        return list(fields)
    return record_update(
        instance=procurement, fields=fields, actor=actor, reason=reason or "Procurement corrected"
    )
