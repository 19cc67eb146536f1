import re

import django_filters
from django.utils import timezone

from disputes.choices import DisputeNature, ExclusionReason, Outcome, Stage
from disputes.models.disputes import Dispute
from disputes.models.exclusions import Exclusion
from disputes.selectors import OPEN
from governance.core import deadlines
from governance.core.filters import officer_filter
from governance.core.filtersets import (
    ContractFilter,
    DeadlineFilter,
    GovernanceFilterSet,
    NameContainsFilter,
)

#: "DSP-00012", "dsp12": a dispute looked up by its reference.
REFERENCE = re.compile(r"^DSP-?0*(\d{1,9})$", re.IGNORECASE)


class DisputeFilterSet(GovernanceFilterSet):
    search_fields = ("title", "description", "contract__reference", "contract__title")
    contract = ContractFilter()
    stage = django_filters.ChoiceFilter(choices=Stage.choices, empty_label="Any")
    open = django_filters.ChoiceFilter(
        label="Open or closed",
        choices=[("open", "Open"), ("closed", "Closed")],
        method="filter_open",
        empty_label="Either",
    )
    nature = django_filters.ChoiceFilter(choices=DisputeNature.choices, empty_label="Any")
    is_significant = django_filters.ChoiceFilter(
        label="Significant",
        choices=[("true", "Yes"), ("false", "No")],
        method="filter_significant",
        empty_label="Either",
    )
    outcome = django_filters.ChoiceFilter(choices=Outcome.choices, empty_label="Any")
    deadline = DeadlineFilter(
        deadline_field="next_deadline_on",
        kind=deadlines.DISPUTE,
        open_q=OPEN,
        label="Next deadline",
    )
    officer = officer_filter("contract")

    class Meta:
        model = Dispute
        fields = [
            "q",
            "contract",
            "stage",
            "open",
            "deadline",
            "nature",
            "is_significant",
            "outcome",
        ]

    def search(self, queryset, name, value):
        match = REFERENCE.match(value.strip())
        if match:
            return queryset.filter(pk=int(match.group(1)))
        return super().search(queryset, name, value)

    def filter_open(self, queryset, name, value):
        if value == "open":
            return queryset.exclude(stage=Stage.CLOSED)
        return queryset.filter(stage=Stage.CLOSED)

    def filter_significant(self, queryset, name, value):
        return queryset.filter(is_significant=value == "true")


class ExclusionFilterSet(GovernanceFilterSet):
    search_fields = ("organisation__name", "details")
    organisation = NameContainsFilter(
        field_name="organisation__name", label="Provider name contains"
    )
    reason = django_filters.ChoiceFilter(choices=ExclusionReason.choices, empty_label="Any")
    active = django_filters.ChoiceFilter(
        label="In force today",
        choices=[("true", "Yes"), ("false", "No")],
        method="filter_active",
        empty_label="Either",
    )

    awaiting = django_filters.ChoiceFilter(
        label="Awaiting a second SMG member's confirmation",
        choices=[("true", "Yes"), ("false", "No")],
        method="filter_awaiting",
        empty_label="Either",
    )

    class Meta:
        model = Exclusion
        fields = ["q", "organisation", "reason", "active", "awaiting"]

    def filter_awaiting(self, queryset, name, value):
        awaiting = Exclusion.objects.awaiting_confirmation().values("pk")
        if value == "true":
            return queryset.filter(pk__in=awaiting)
        return queryset.exclude(pk__in=awaiting)

    def filter_active(self, queryset, name, value):
        active = Exclusion.objects.active_on(timezone.localdate()).values("pk")
        if value == "true":
            return queryset.filter(pk__in=active)
        return queryset.exclude(pk__in=active)


class ProviderDisputeFilterSet(GovernanceFilterSet):
    """The provider's own disputes: only what they may see is searched or filtered."""

    search_fields = ("title", "contract__reference", "contract__title")
    stage = django_filters.ChoiceFilter(choices=Stage.choices, empty_label="Any")
    open = django_filters.ChoiceFilter(
        label="Open or closed",
        choices=[("open", "Open"), ("closed", "Closed")],
        method="filter_open",
        empty_label="Either",
    )

    class Meta:
        model = Dispute
        fields = ["q", "stage", "open"]

    def filter_open(self, queryset, name, value):
        if value == "open":
            return queryset.filter(OPEN)
        if value == "closed":
            return queryset.exclude(OPEN)
        return queryset
