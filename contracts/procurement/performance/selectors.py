"""Reads of performance assessments and of breaches and poor performance, restricted to
what the user may see, with what each page shows joined in so a page costs the same
number of queries however many rows it has."""

import datetime

from django.db.models import QuerySet

from contracts.performance.choices import REPORTED_RETURN_STATUSES
from contracts.performance.models.returns import KpiResult
from contracts.procurement.performance.models import PerformanceAssessment, PerformanceFailure
from contracts.register.models.contracts import Contract


def performanceassessment_list(user) -> QuerySet[PerformanceAssessment]:
    return PerformanceAssessment.objects.restrict(user, "view").select_related(
        "contract", "contract__provider", "kpi", "assessed_by", "approved_by"
    )


def performancefailure_list(user) -> QuerySet[PerformanceFailure]:
    return PerformanceFailure.objects.restrict(user, "view").select_related(
        "contract", "contract__provider", "proposed_by", "decided_by"
    )


def contract_assessments(contract: Contract, user) -> list[PerformanceAssessment]:
    return list(
        PerformanceAssessment.objects.restrict(user, "view")
        .filter(contract=contract)
        .select_related("kpi")
        .order_by("-period_end", "kpi__name", "pk")
    )


def contract_failures(contract: Contract, user) -> list[PerformanceFailure]:
    return list(
        PerformanceFailure.objects.restrict(user, "view")
        .filter(contract=contract)
        .order_by("-proposed_at", "pk")
    )


def kpi_rag_history(kpi_id: int, start: datetime.date, end: datetime.date) -> QuerySet:
    """The KPI's results in submitted or accepted returns for quarters ending within the
    period, oldest first, with their quarter: the RAG history an assessment rests on."""
    return (
        KpiResult.objects.filter(
            kpi_id=kpi_id,
            performance_return__status__in=REPORTED_RETURN_STATUSES,
            performance_return__period__ends_on__gte=start,
            performance_return__period__ends_on__lte=end,
        )
        .select_related("performance_return__period")
        .order_by("performance_return__period__starts_on")
    )


def kpi_rags_in_period(kpi_id: int, start: datetime.date, end: datetime.date) -> list[str]:
    return list(kpi_rag_history(kpi_id, start, end).values_list("rag", flat=True))
