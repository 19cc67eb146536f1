"""Demo contract performance: every live demo contract under the Act has the yearly
assessment of each KPI it publishes under way, so the demo shows a UK9 assessment due
(the daily sweep owes later ones by itself). Recorded through the services, as the lead
officer; safe to run again: a KPI that already has an assessment is left as it is."""

import datetime

from django.db import transaction

from contracts.procurement.choices import Regime
from contracts.procurement.performance.models import PerformanceAssessment
from contracts.procurement.performance.services import assessment_start, owes_assessments
from contracts.procurement.performance.services.assessments import longest_period
from contracts.register.choices import ContractStatus
from contracts.register.models.contracts import Contract


def _kpis_to_assess(contract: Contract):
    assessed = PerformanceAssessment.objects.filter(contract=contract).values("kpi")
    return (
        contract.kpis.filter(is_key_indicator=True, is_active=True)
        .exclude(pk__in=assessed)
        .order_by("name")
    )


@transaction.atomic
def seed_performance(*, users: dict, today: datetime.date) -> int:
    """Start the first yearly assessment of each published KPI of each live demo
    contract under the Act that has none; returns how many were started."""
    contracts = Contract.objects.filter(
        status__in=(ContractStatus.ACTIVE, ContractStatus.IN_EXIT),
        procurement__regime=Regime.ACT_2023,
        lead_officer__isnull=False,
        start_date__lte=today,
    ).select_related("procurement", "lead_officer")
    started = 0
    for contract in contracts.order_by("pk"):
        if not owes_assessments(contract):
            continue
        start, end = longest_period(contract.start_date)
        end = min(end, contract.current_end_date)
        for kpi in _kpis_to_assess(contract):
            assessment_start(
                contract=contract,
                actor=contract.lead_officer,
                kpi=kpi,
                period_start=start,
                period_end=end,
                reason="Demo data: the first year of this published KPI",
            )
            started += 1
    return started
