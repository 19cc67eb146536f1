"""List filters of performance assessments and of breaches and poor performance."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from contracts.procurement.performance.choices import (
    OPEN_ASSESSMENT_STATUSES,
    AssessmentOccasion,
    AssessmentRating,
    AssessmentStatus,
    FailureKind,
    FailureStatus,
)
from contracts.procurement.performance.models import PerformanceAssessment, PerformanceFailure
from governance.core.date_range_filters import date_range
from governance.core.filtersets import ContractFilter, GovernanceFilterSet


class AssessmentFilterSet(GovernanceFilterSet):
    search_fields = (
        "kpi__name",
        "explanation",
        "contract__reference",
        "contract__title",
        "contract__provider__name",
    )
    contract = ContractFilter()
    status = django_filters.MultipleChoiceFilter(
        choices=AssessmentStatus.choices, widget=forms.CheckboxSelectMultiple
    )
    rating = django_filters.MultipleChoiceFilter(
        choices=AssessmentRating.choices, widget=forms.CheckboxSelectMultiple
    )
    occasion = django_filters.ChoiceFilter(
        choices=AssessmentOccasion.choices, empty_label="Either", label="Occasion"
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        label="Overdue",
        widget=forms.CheckboxInput,
        help_text="Still to be assessed or approved after the date it was due.",
    )
    due_after, due_before = date_range("due_on", "Due", "1/4/2026", "31/3/2027")

    class Meta:
        model = PerformanceAssessment
        fields = [
            "q",
            "contract",
            "status",
            "rating",
            "occasion",
            "overdue",
            "due_after",
            "due_before",
        ]

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            Q(status__in=OPEN_ASSESSMENT_STATUSES) & Q(due_on__lt=timezone.localdate())
        )


class FailureFilterSet(GovernanceFilterSet):
    search_fields = (
        "requirement",
        "description",
        "contract__reference",
        "contract__title",
        "contract__provider__name",
    )
    contract = ContractFilter()
    kind = django_filters.ChoiceFilter(choices=FailureKind.choices, empty_label="Either")
    status = django_filters.MultipleChoiceFilter(
        choices=FailureStatus.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = PerformanceFailure
        fields = ["q", "contract", "kind", "status"]
