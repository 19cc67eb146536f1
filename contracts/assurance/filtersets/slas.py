"""Filters of the portfolio lists of SLAs and checklist items."""

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from contracts.assurance.choices import ChecklistStatus, SlaStatus
from contracts.assurance.models.slas import ChecklistItem, ChecklistItemType, ServiceLevelAgreement
from contracts.register.choices import MeetingCadence
from governance.core import deadlines
from governance.core.filters import officer_filter
from governance.core.filtersets import DeadlineFilter, GovernanceFilterSet, NameContainsFilter

#: Checklist evidence whose expiry date still has to be met.
VERIFIED = Q(status=ChecklistStatus.VERIFIED)

#: "Expiring soon" on the checklist: while the evidence is due for renewal.
EXPIRY_WARNING_DAYS = deadlines.WINDOWS[deadlines.CHECKLIST_EXPIRY].days


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
        ("renewal", f"Evidence expired or expiring within {EXPIRY_WARNING_DAYS} days"),
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
    deadline = DeadlineFilter(
        deadline_field="expires_on",
        kind=deadlines.CHECKLIST_EXPIRY,
        open_q=VERIFIED,
        label="Evidence expiry",
    )
    officer = officer_filter("contract")

    class Meta:
        model = ChecklistItem
        fields = ["q", "status", "attention", "deadline", "item_type", "provider"]

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
        if value == "renewal":
            return queryset.filter(
                status=ChecklistStatus.VERIFIED,
                expires_on__lte=today + datetime.timedelta(days=EXPIRY_WARNING_DAYS),
            )
        if value == "outstanding":
            return queryset.outstanding()
        return queryset
