import re

import django_filters
from django.db.models import Q
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
from governance.core.where_filters import OPEN_CLOSED, WhereFilter

#: "DSP-00012", "dsp12": a dispute looked up by its reference.
REFERENCE = re.compile(r"^DSP-?0*(\d{1,9})$", re.IGNORECASE)


class DisputeFilterSet(GovernanceFilterSet):
    search_fields = ("title", "description", "contract__reference", "contract__title")
    contract = ContractFilter()
    stage = django_filters.ChoiceFilter(choices=Stage.choices, empty_label="Any")
    open = WhereFilter(
        label="Open or closed", choices=OPEN_CLOSED, where=lambda: ~Q(stage=Stage.CLOSED)
    )
    nature = django_filters.ChoiceFilter(choices=DisputeNature.choices, empty_label="Any")
    is_significant = WhereFilter(label="Significant", where=lambda: Q(is_significant=True))
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


class ExclusionFilterSet(GovernanceFilterSet):
    search_fields = ("organisation__name", "details")
    organisation = NameContainsFilter(
        field_name="organisation__name", label="Provider name contains"
    )
    reason = django_filters.ChoiceFilter(choices=ExclusionReason.choices, empty_label="Any")
    active = WhereFilter(
        label="In force today",
        where=lambda: Q(pk__in=Exclusion.objects.active_on(timezone.localdate()).values("pk")),
    )
    awaiting = WhereFilter(
        label="Awaiting a second SMG member's confirmation",
        where=lambda: Q(pk__in=Exclusion.objects.awaiting_confirmation().values("pk")),
    )

    class Meta:
        model = Exclusion
        fields = ["q", "organisation", "reason", "active", "awaiting"]


class ProviderDisputeFilterSet(GovernanceFilterSet):
    """The provider's own disputes: only what they may see is searched or filtered."""

    search_fields = ("title", "contract__reference", "contract__title")
    stage = django_filters.ChoiceFilter(choices=Stage.choices, empty_label="Any")
    open = WhereFilter(label="Open or closed", choices=OPEN_CLOSED, where=lambda: OPEN)

    class Meta:
        model = Dispute
        fields = ["q", "stage", "open"]
