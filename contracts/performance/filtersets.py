"""Filters of the performance menu, the portfolio's KPIs and its performance and
financial returns."""

import django_filters
from django.utils import timezone

from contracts.performance.choices import KpiDirection, KpiFrequency, KpiUnit, ReturnStatus
from contracts.performance.models.kpis import ContractKpi, KpiDefinition
from contracts.performance.models.returns import FinancialReturn, KpiResult, PerformanceReturn
from contracts.performance.services.returns import RETURN_OPEN, overdue_filter
from contracts.register.choices import Rag
from governance.core import deadlines
from governance.core.dates import financial_quarter
from governance.core.filters import officer_filter
from governance.core.filtersets import (
    ContractFilter,
    DeadlineFilter,
    GovernanceFilterSet,
    NameContainsFilter,
)


class KpiDefinitionFilterSet(GovernanceFilterSet):
    search_fields = ("name", "service_requirement", "measurement_method")
    unit = django_filters.ChoiceFilter(choices=KpiUnit.choices, empty_label="Any")
    direction = django_filters.ChoiceFilter(choices=KpiDirection.choices, empty_label="Either")
    frequency = django_filters.ChoiceFilter(choices=KpiFrequency.choices, empty_label="Any")
    is_key_indicator = django_filters.BooleanFilter(
        label="Key performance indicator", widget=django_filters.widgets.BooleanWidget()
    )
    is_active = django_filters.BooleanFilter(
        label="Offered for new contracts", widget=django_filters.widgets.BooleanWidget()
    )

    class Meta:
        model = KpiDefinition
        fields = ["q", "unit", "direction", "frequency", "is_key_indicator", "is_active"]


class ContractKpiFilterSet(GovernanceFilterSet):
    search_fields = (
        "name",
        "service_requirement",
        "measurement_method",
        "contract__reference",
        "contract__title",
    )
    contract = ContractFilter()
    provider = NameContainsFilter(
        field_name="contract__provider__name", label="Provider name contains"
    )
    unit = django_filters.ChoiceFilter(choices=KpiUnit.choices, empty_label="Any")
    is_key_indicator = django_filters.BooleanFilter(
        label="Key performance indicator", widget=django_filters.widgets.BooleanWidget()
    )
    frequency = django_filters.ChoiceFilter(choices=KpiFrequency.choices, empty_label="Any")

    class Meta:
        model = ContractKpi
        fields = ["q", "contract", "provider", "unit", "is_key_indicator", "frequency"]


#: The first financial year offered in the filter.
FIRST_FINANCIAL_YEAR = 2018

QUARTERS = [
    ("1", "Q1 (April to June)"),
    ("2", "Q2 (July to September)"),
    ("3", "Q3 (October to December)"),
    ("4", "Q4 (January to March)"),
]


def financial_year_choices() -> list[tuple[str, str]]:
    """2026-27, 2025-26, ... newest first."""
    current = financial_quarter(timezone.localdate())[0]
    return [
        (str(year), f"{year}-{(year + 1) % 100:02d}")
        for year in range(current, FIRST_FINANCIAL_YEAR - 1, -1)
    ]


class ReturnFilterSet(GovernanceFilterSet):
    search_fields = (
        "period__contract__reference",
        "period__contract__title",
        "period__contract__provider__name",
        "commentary",
    )
    due_field = ""  # the period's due date for this kind of return

    status = django_filters.ChoiceFilter(choices=ReturnStatus.choices, empty_label="Any")
    financial_year = django_filters.ChoiceFilter(
        field_name="period__financial_year",
        label="Financial year",
        choices=financial_year_choices,
        empty_label="Any",
    )
    quarter = django_filters.ChoiceFilter(
        field_name="period__quarter", label="Quarter", choices=QUARTERS, empty_label="Any"
    )
    overdue = django_filters.BooleanFilter(
        label="Overdue",
        method="filter_overdue",
        widget=django_filters.widgets.BooleanWidget(),
    )
    officer = officer_filter("period__contract")

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = overdue_filter(self.due_field)
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


def _deadline(due_field: str) -> DeadlineFilter:
    return DeadlineFilter(
        deadline_field=f"period__{due_field}",
        kind=deadlines.RETURN,
        open_q=RETURN_OPEN,
        label="Due date",
    )


class PerformanceReturnFilterSet(ReturnFilterSet):
    due_field = "performance_due_on"

    rag = django_filters.ChoiceFilter(
        label="RAG for the quarter", choices=Rag.choices, empty_label="Any"
    )
    deadline = _deadline(due_field)

    class Meta:
        model = PerformanceReturn
        fields = ["q", "status", "deadline", "rag", "financial_year", "quarter", "overdue"]


class FinancialReturnFilterSet(ReturnFilterSet):
    due_field = "finance_due_on"

    deadline = _deadline(due_field)

    class Meta:
        model = FinancialReturn
        fields = ["q", "status", "deadline", "financial_year", "quarter", "overdue"]


_KPI_ID = "Enter the KPI's id, a whole number, like 12."


class KpiResultFilterSet(GovernanceFilterSet):
    """KPI results by contract, KPI and quarter."""

    search_fields = (
        "kpi__name",
        "commentary",
        "performance_return__period__contract__reference",
        "performance_return__period__contract__title",
    )
    contract = ContractFilter(field_name="performance_return__period__contract")
    kpi = django_filters.NumberFilter(
        field_name="kpi_id",
        label="KPI (its id)",
        min_value=1,
        max_value=2**31 - 1,
        decimal_places=0,
        error_messages={
            "min_value": _KPI_ID,
            "max_value": _KPI_ID,
            "max_decimal_places": _KPI_ID,
            "invalid": _KPI_ID,
        },
    )
    financial_year = django_filters.ChoiceFilter(
        field_name="performance_return__period__financial_year",
        label="Financial year",
        choices=financial_year_choices,
        empty_label="Any",
    )
    quarter = django_filters.ChoiceFilter(
        field_name="performance_return__period__quarter",
        label="Quarter",
        choices=QUARTERS,
        empty_label="Any",
    )
    rag = django_filters.ChoiceFilter(label="RAG", choices=Rag.choices, empty_label="Any")

    class Meta:
        model = KpiResult
        fields = ["q", "contract", "kpi", "financial_year", "quarter", "rag"]
