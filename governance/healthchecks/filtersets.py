"""Filters of the portfolio list of health checks."""

import django_filters
from django import forms

from governance.core.date_range_filters import after_and_before
from governance.core.filtersets import ContractFilter, GovernanceFilterSet
from governance.healthchecks.models import Assessment, QuestionnaireKind, SideStatus


class AssessmentFilterSet(GovernanceFilterSet):
    search_fields = ("contract__reference", "contract__title", "contract__provider__name", "period")
    kind = django_filters.MultipleChoiceFilter(
        label="Questionnaire",
        choices=QuestionnaireKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    commissioner_status = django_filters.MultipleChoiceFilter(
        label="Commissioner's side",
        choices=SideStatus.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    provider_status = django_filters.MultipleChoiceFilter(
        label="Provider's side",
        choices=SideStatus.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    contract = ContractFilter()
    after, before = after_and_before("assessed_on")

    class Meta:
        model = Assessment
        fields = [
            "q",
            "kind",
            "commissioner_status",
            "provider_status",
            "contract",
            "after",
            "before",
        ]
