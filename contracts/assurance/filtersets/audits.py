import django_filters
from django import forms

from contracts.assurance.choices import AuditStatus, AuditType, ComplaintCategory
from contracts.assurance.forms.audits import _UPHELD_VALUES, UPHELD_CHOICES
from contracts.assurance.models.audits import Audit, Complaint
from contracts.register.choices import Party
from governance.core.filtersets import ContractFilter, GovernanceFilterSet

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
    received_after = django_filters.DateFilter(
        field_name="received_on",
        lookup_expr="gte",
        label="Received on or after",
        help_text="For example, 1/4/2026",
    )
    received_before = django_filters.DateFilter(
        field_name="received_on",
        lookup_expr="lte",
        label="Received on or before",
        help_text="For example, 31/3/2027",
    )

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
    planned_after = django_filters.DateFilter(
        field_name="planned_on",
        lookup_expr="gte",
        label="Planned on or after",
        help_text="For example, 1/4/2026",
    )
    planned_before = django_filters.DateFilter(
        field_name="planned_on",
        lookup_expr="lte",
        label="Planned on or before",
        help_text="For example, 31/3/2027",
    )

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
