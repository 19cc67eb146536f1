"""Filters of the portfolio's performance and financial returns."""

import django_filters
from django.utils import timezone

from contracts.performance.choices import ReturnStatus
from contracts.performance.models.returns import FinancialReturn, PerformanceReturn
from contracts.performance.services.returns import RETURN_OPEN, overdue_filter
from contracts.register.choices import Rag
from governance.core import deadlines
from governance.core.dates import financial_quarter
from governance.core.filters import officer_filter
from governance.core.filtersets import DeadlineFilter, GovernanceFilterSet

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
