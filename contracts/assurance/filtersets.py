"""Filters of the portfolio lists of SLAs, checklist items, complaints and audits."""

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from contracts.assurance.choices import (
    AuditStatus,
    AuditType,
    ChecklistStatus,
    ComplaintCategory,
    SlaStatus,
)
from contracts.assurance.forms.audits import _UPHELD_VALUES, UPHELD_CHOICES
from contracts.assurance.models.audits import Audit, Complaint
from contracts.assurance.models.slas import ChecklistItem, ChecklistItemType, ServiceLevelAgreement
from contracts.register.choices import MeetingCadence, Party
from governance.core import deadlines
from governance.core.date_range_filters import date_range
from governance.core.filters import officer_filter
from governance.core.filtersets import (
    ContractFilter,
    DeadlineFilter,
    GovernanceFilterSet,
    NameContainsFilter,
)

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


# -- Filters ------------------------------------------------------------------------------


class ComplaintFilterSet(GovernanceFilterSet):
    STATES = [("open", "Open"), ("closed", "Closed")]

    search_fields = ("summary", "outcome", "contract__reference", "contract__title")
    contract = ContractFilter()
    category = django_filters.MultipleChoiceFilter(
        choices=ComplaintCategory.choices, widget=forms.CheckboxSelectMultiple
    )
    state = django_filters.ChoiceFilter(
        choices=STATES, label="Open or closed", method="filter_state", empty_label="Either"
    )
    upheld = django_filters.ChoiceFilter(
        choices=UPHELD_CHOICES, label="Upheld", method="filter_upheld", empty_label="Any"
    )
    received_after, received_before = date_range("received_on", "Received", "1/4/2026", "31/3/2027")

    class Meta:
        model = Complaint
        fields = [
            "q",
            "contract",
            "category",
            "state",
            "upheld",
            "received_after",
            "received_before",
        ]

    def filter_state(self, queryset, name, value):
        return queryset.filter(closed_on__isnull=value == "open")

    def filter_upheld(self, queryset, name, value):
        decided = _UPHELD_VALUES[value]
        if decided is None:
            return queryset.filter(upheld__isnull=True)
        return queryset.filter(upheld=decided)


class AuditFilterSet(GovernanceFilterSet):
    search_fields = (
        "scope",
        "auditor",
        "findings",
        "recommendations",
        "contract__reference",
        "contract__title",
        "contract__provider__name",
    )
    contract = ContractFilter()
    audit_type = django_filters.MultipleChoiceFilter(
        choices=AuditType.choices, label="Type", widget=forms.CheckboxSelectMultiple
    )
    status = django_filters.MultipleChoiceFilter(
        choices=AuditStatus.choices, widget=forms.CheckboxSelectMultiple
    )
    proposed_by = django_filters.ChoiceFilter(choices=Party.choices, empty_label="Either party")
    planned_after, planned_before = date_range("planned_on", "Planned", "1/4/2026", "31/3/2027")

    class Meta:
        model = Audit
        fields = [
            "q",
            "contract",
            "audit_type",
            "status",
            "proposed_by",
            "planned_after",
            "planned_before",
        ]
