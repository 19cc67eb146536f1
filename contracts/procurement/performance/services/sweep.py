"""What the daily sweep owes: each published KPI's yearly assessment ahead of its 12
months, and its assessment when the contract ends, each once."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q

from contracts.exit.models import TerminationNotice
from contracts.performance.models.kpis import ContractKpi
from contracts.procurement.choices import Regime
from contracts.procurement.performance.choices import AssessmentOccasion, AssessmentStatus
from contracts.procurement.performance.models import PerformanceAssessment
from contracts.procurement.performance.services.assessments import (
    assessment_due_on,
    longest_period,
    refresh_proposal,
)
from contracts.procurement.performance.services.common import ASSESSMENT_MONTHS, owes_assessments
from contracts.register.choices import ContractStatus
from contracts.register.models.contracts import Contract
from governance.core.dates import add_months

# -- What the daily sweep owes --------------------------------------------------------------


def _published_kpis(contracts):
    return ContractKpi.objects.filter(
        contract__in=contracts, is_key_indicator=True, is_active=True
    ).select_related("contract")


def _period_start_ending(ended: datetime.date) -> datetime.date:
    """The earliest start of a period of at most 12 months ending on ``ended``."""
    return add_months(ended, -ASSESSMENT_MONTHS) + datetime.timedelta(days=1)


def _owe(kpi: ContractKpi, occasion: str, start, end, actor=None) -> bool:
    """Create the owed assessment unless its key exists; True when it was created."""
    if PerformanceAssessment.objects.filter(kpi=kpi, occasion=occasion, period_end=end).exists():
        return False
    assessment = PerformanceAssessment(
        contract=kpi.contract,
        kpi=kpi,
        occasion=occasion,
        period_start=start,
        period_end=end,
        due_on=assessment_due_on(occasion, end),
    )
    refresh_proposal(assessment)
    assessment.full_clean(exclude=["contract", "kpi"])
    assessment._history_user = actor
    assessment._change_reason = (
        "Owed: the yearly assessment of a published KPI falls due"
        if occasion == AssessmentOccasion.ANNUAL
        else "Owed: the contract has ended, so its published KPIs are assessed"
    )
    assessment.save()
    return True


def _act_contracts(statuses) -> list[Contract]:
    """Contracts in ``statuses`` that owe the performance duty, in one query."""
    contracts = (
        Contract.objects.filter(status__in=statuses, procurement__regime=Regime.ACT_2023)
        .select_related("procurement", "ending")
        .order_by("pk")
    )
    return [contract for contract in contracts if owes_assessments(contract)]


def annual_assessments_owe(today: datetime.date) -> int:
    """Owe each published KPI of a live contract under the Act its yearly assessment
    from ``PROCUREMENT_UK9_ASSESSMENT_LEAD_DAYS`` days before the 12 months end: the
    first from the contract's start, each next from the day after the last period
    assessed. A period that would run past the contract's end is left to the assessment
    when it ends. Returns how many were owed."""
    lead = datetime.timedelta(days=settings.PROCUREMENT_UK9_ASSESSMENT_LEAD_DAYS)
    contracts = _act_contracts((ContractStatus.ACTIVE, ContractStatus.IN_EXIT))
    kpis = _published_kpis(contracts).annotate(
        assessed_to=Max("performance_assessments__period_end")
    )
    owed = 0
    for kpi in kpis.order_by("pk"):
        contract = kpi.contract
        after = kpi.assessed_to
        start = after + datetime.timedelta(days=1) if after else contract.start_date
        while True:
            start, end = longest_period(start)
            if end - lead > today or end > contract.current_end_date:
                break
            owed += _owe(kpi, AssessmentOccasion.ANNUAL, start, end)
            start = end + datetime.timedelta(days=1)
    return owed


def contract_ended_on(contract: Contract, today: datetime.date) -> datetime.date:
    """The day a contract that has ended stopped: as recorded for its termination
    notice; else the date its whole termination took effect, or its end date; never
    later than today."""
    ending = getattr(contract, "ending", None)
    if ending is not None:
        return min(ending.ended_on, today)
    if contract.status == ContractStatus.TERMINATED:
        effective = (
            TerminationNotice.objects.filter(contract=contract, extent="full")
            .order_by("-effective_date")
            .values_list("effective_date", flat=True)
            .first()
        )
        if effective is not None:
            return min(effective, today)
    return min(contract.current_end_date, today)


def ending_assessments_owe(today: datetime.date) -> int:
    """Owe each published KPI of a contract under the Act that has ended (expired or
    terminated) its assessment for the time since the last one, due
    ``PROCUREMENT_UK9_ENDING_DAYS`` days after the end. Returns how many were owed."""
    contracts = _act_contracts((ContractStatus.ENDED, ContractStatus.TERMINATED))
    ending = PerformanceAssessment.objects.filter(
        kpi=OuterRef("pk"), occasion=AssessmentOccasion.ENDING
    )
    kpis = (
        _published_kpis(contracts)
        .exclude(Exists(ending))
        .annotate(
            assessed_to=Max(
                "performance_assessments__period_end",
                filter=~Q(performance_assessments__status=AssessmentStatus.CANCELLED),
            )
        )
    )
    owed = 0
    for kpi in kpis.order_by("pk"):
        contract = kpi.contract
        ended = contract_ended_on(contract, today)
        after = kpi.assessed_to
        start = after + datetime.timedelta(days=1) if after else contract.start_date
        # From the day after the last period assessed (or the start) to the end: at most
        # 12 months, and at least the last day when earlier periods already reach it.
        start = max(contract.start_date, min(start, ended), _period_start_ending(ended))
        owed += _owe(kpi, AssessmentOccasion.ENDING, start, ended)
    return owed


def assessments_owe(today: datetime.date) -> dict[str, int]:
    """The sweep's step: every assessment now owed, once."""
    with transaction.atomic():
        return {
            "yearly KPI assessments owed": annual_assessments_owe(today),
            "end-of-contract KPI assessments owed": ending_assessments_owe(today),
        }
