import re

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from governance.core.filters import officer_filter
from governance.core.filtersets import ContractFilter, GovernanceFilterSet, PersonNameFilter
from governance.core.where_filters import WhereFilter
from risks.choices import (
    Allocation,
    Impact,
    Likelihood,
    RiskKind,
    RiskLevel,
    RiskStatus,
    ScoreBasis,
)
from risks.models import Risk
from risks.scoring import band_choices, band_range

#: "R-00012", "I-12", "r12": a risk or issue looked up by its reference.
REFERENCE = re.compile(r"^[RI]-?0*(\d{1,9})$", re.IGNORECASE)

#: Filters that pick one heatmap cell; the heatmap itself ignores them.
CELL_FILTERS = ("likelihood", "impact")


class RiskFilterSet(GovernanceFilterSet):
    search_fields = (
        "title",
        "description",
        "mitigations",
        "contract__reference",
        "contract__title",
    )
    basis = django_filters.ChoiceFilter(
        label="Scores",
        choices=ScoreBasis.choices,
        method="filter_nothing",
        empty_label=None,
        initial=ScoreBasis.RESIDUAL,
        widget=forms.RadioSelect,
        help_text="Which scores the band, likelihood and impact filters and the heatmap use.",
    )
    contract = ContractFilter(
        null_label="None: portfolio risks",
        help_text="For example, NPCC-2024-017, or none for portfolio risks only",
    )
    kind = django_filters.ChoiceFilter(
        label="Risk or issue", choices=RiskKind.choices, empty_label="Either"
    )
    status = django_filters.ChoiceFilter(choices=RiskStatus.choices, empty_label="Open or closed")
    level = django_filters.ChoiceFilter(choices=RiskLevel.choices, empty_label="Any")
    allocation = django_filters.ChoiceFilter(
        label="Allocated to", choices=Allocation.choices, empty_label="Any"
    )
    owner = PersonNameFilter(label="Owner's name contains")
    band = django_filters.ChoiceFilter(
        label="Score band", choices=band_choices, method="filter_band", empty_label="Any"
    )
    likelihood = django_filters.ChoiceFilter(
        label="Likelihood",
        choices=Likelihood.choices,
        method="filter_score_part",
        empty_label="Any",
    )
    impact = django_filters.ChoiceFilter(
        label="Impact", choices=Impact.choices, method="filter_score_part", empty_label="Any"
    )
    officer = officer_filter("contract")
    overdue = WhereFilter(
        label="Review overdue",
        where=lambda: Q(status=RiskStatus.OPEN, next_review_date__lt=timezone.localdate()),
    )

    class Meta:
        model = Risk
        fields = [
            "q",
            "basis",
            "contract",
            "kind",
            "status",
            "level",
            "allocation",
            "owner",
            "band",
            "likelihood",
            "impact",
            "overdue",
        ]

    @property
    def score_basis(self) -> str:
        data = getattr(self.form, "cleaned_data", {}) or {}
        return data.get("basis") or ScoreBasis.RESIDUAL

    def search(self, queryset, name, value):
        match = REFERENCE.match(value.strip())
        if match:
            return queryset.filter(pk=int(match.group(1)))
        return super().search(queryset, name, value)

    def filter_nothing(self, queryset, name, value):
        return queryset

    def filter_band(self, queryset, name, value):
        bounds = band_range(value)
        if bounds is None:
            return queryset.none()
        return queryset.filter(**{f"{self.score_basis}_score__range": bounds})

    def filter_score_part(self, queryset, name, value):
        return queryset.filter(**{f"{self.score_basis}_{name}": int(value)})
