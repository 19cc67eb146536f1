"""Filters of the portfolio lists of SLAs and checklist items."""

import datetime

import django_filters
from django import forms
from django.utils import timezone

from governance.dashboard.filters import officer_filter
from governance.filtersets import GovernanceFilterSet, NameContainsFilter

from .choices import ChecklistStatus, MeetingCadence, SlaStatus
from .models import ChecklistItem, ChecklistItemType, ServiceLevelAgreement

#: "Expiring soon" on the checklist: within this many days.
EXPIRY_WARNING_DAYS = 90


class SlaFilterSet(GovernanceFilterSet):
    search_fields = (
        "contract__reference",
        "contract__title",
        "contract__provider__name",
        "service_requirements",
        "clarifications",
    )
    status = django_filters.MultipleChoiceFilter(
        choices=SlaStatus.choices, widget=forms.CheckboxSelectMultiple
    )
    provider = NameContainsFilter(
        field_name="contract__provider__name", label="Provider name contains"
    )
    meeting_cadence = django_filters.ChoiceFilter(
        choices=MeetingCadence.choices, label="Monitoring meetings", empty_label="Any"
    )

    class Meta:
        model = ServiceLevelAgreement
        fields = ["q", "status", "provider", "meeting_cadence"]


class ChecklistFilterSet(GovernanceFilterSet):
    ATTENTION = [
        ("expired", "Evidence expired"),
        ("expiring", f"Evidence expires within {EXPIRY_WARNING_DAYS} days"),
        ("outstanding", "Evidence outstanding"),
    ]

    search_fields = (
        "title",
        "notes",
        "contract__reference",
        "contract__title",
        "contract__provider__name",
    )
    status = django_filters.MultipleChoiceFilter(
        choices=ChecklistStatus.choices, widget=forms.CheckboxSelectMultiple
    )
    attention = django_filters.ChoiceFilter(
        choices=ATTENTION, label="Needs attention", method="filter_attention", empty_label="Any"
    )
    item_type = django_filters.ModelChoiceFilter(
        queryset=ChecklistItemType.objects.all(), label="Standard item", empty_label="Any"
    )
    provider = NameContainsFilter(
        field_name="contract__provider__name", label="Provider name contains"
    )
    officer = officer_filter("contract")

    class Meta:
        model = ChecklistItem
        fields = ["q", "status", "attention", "item_type", "provider"]

    def filter_attention(self, queryset, name, value):
        today = timezone.localdate()
        if value == "expired":
            return queryset.expired(today)
        if value == "expiring":
            return queryset.filter(
                status=ChecklistStatus.VERIFIED,
                expires_on__gte=today,
                expires_on__lte=today + datetime.timedelta(days=EXPIRY_WARNING_DAYS),
            )
        if value == "outstanding":
            return queryset.outstanding()
        return queryset
