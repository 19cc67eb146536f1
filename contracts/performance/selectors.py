from decimal import Decimal

from django.db.models import (
    DecimalField,
    ExpressionWrapper,
    F,
    QuerySet,
    Sum,
)

from contracts.performance.choices import REPORTED_RETURN_STATUSES
from contracts.performance.models.kpis import ContractKpi, KpiDefinition
from contracts.performance.models.returns import FinancialReturn, KpiResult, PerformanceReturn
from contracts.register.models.contracts import Contract

#: Above this total value a contract should publish at least MIN_KEY_INDICATORS KPIs.
KEY_INDICATOR_VALUE_THRESHOLD = Decimal("5000000")
MIN_KEY_INDICATORS = 3


def key_indicator_warning(contract: Contract, key_indicators: int) -> str | None:
    """A contract worth more than £5,000,000 should publish at least three key
    performance indicators."""
    if contract.total_value > KEY_INDICATOR_VALUE_THRESHOLD and key_indicators < MIN_KEY_INDICATORS:
        return (
            f"This contract is worth more than £5,000,000 but publishes {key_indicators} key "
            f"performance indicator{'s' if key_indicators != 1 else ''}; it should publish at "
            f"least {MIN_KEY_INDICATORS}."
        )
    return None


def reported_returns(contract: Contract) -> QuerySet[PerformanceReturn]:
    """The contract's reported performance returns with their RAG, the latest quarter
    first: the contract page's latest return and the RAG history both read them."""
    return (
        PerformanceReturn.objects.filter(
            period__contract=contract, status__in=REPORTED_RETURN_STATUSES
        )
        .select_related("period")
        .order_by("-period__starts_on")
    )


# -- Lists of KPIs, complaints, audits and returns ----------------------------------------

_RETURN_RELATED = (
    "period",
    "period__contract",
    "period__contract__provider",
    "submitted_by",
    "decided_by",
)


def performance_return_list(user) -> QuerySet[PerformanceReturn]:
    return PerformanceReturn.objects.restrict(user, "view").select_related(*_RETURN_RELATED)


def financial_return_list(user) -> QuerySet[FinancialReturn]:
    amount = ExpressionWrapper(
        F("lines__unit_price") * F("lines__units_delivered"),
        output_field=DecimalField(max_digits=26, decimal_places=4),
    )
    return (
        FinancialReturn.objects.restrict(user, "view")
        .select_related(*_RETURN_RELATED)
        .annotate(lines_amount=Sum(amount))
    )


def kpi_result_list(user) -> QuerySet[KpiResult]:
    """Every KPI result the user may see, each with its KPI, quarter and contract."""
    return KpiResult.objects.restrict(user, "view").select_related(
        "kpi",
        "performance_return__period__contract",
    )


def kpidefinition_list(user) -> QuerySet[KpiDefinition]:
    return KpiDefinition.objects.restrict(user, "view")


def contract_kpi_list(user) -> QuerySet[ContractKpi]:
    return ContractKpi.objects.restrict(user, "view").select_related(
        "contract", "contract__provider", "definition"
    )
