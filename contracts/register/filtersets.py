import django_filters
from django import forms
from django.db.models import Q

from contracts.register.choices import (
    ContactRole,
    ContractStatus,
    ExtensionStatus,
    OrganisationKind,
    OverallStatus,
    Party,
    Tier,
    VariationStatus,
)
from contracts.register.models.contracts import Contract, ExtensionOption, ServiceArea, Variation
from contracts.register.models.organisations import Contact, Organisation
from governance.core import deadlines
from governance.core.date_range_filters import date_range
from governance.core.filtersets import DeadlineFilter, GovernanceFilterSet, NameContainsFilter
from governance.core.models.base import User
from governance.core.roles import Role


class OrganisationFilterSet(GovernanceFilterSet):
    search_fields = ("name", "companies_house_number", "charity_number", "email", "notes")
    kind = django_filters.ChoiceFilter(choices=OrganisationKind.choices, label="Type")

    class Meta:
        model = Organisation
        fields = ["q", "kind"]


class ContactFilterSet(GovernanceFilterSet):
    search_fields = ("name", "job_title", "email", "organisation__name")
    organisation = NameContainsFilter(
        field_name="organisation__name", label="Organisation name contains"
    )
    role = django_filters.ChoiceFilter(choices=ContactRole.choices)
    is_active = django_filters.BooleanFilter(
        label="Current contacts only",
        widget=django_filters.widgets.BooleanWidget(),
    )

    class Meta:
        model = Contact
        fields = ["q", "organisation", "role", "is_active"]


class ContractFilterSet(GovernanceFilterSet):
    search_fields = ("reference", "title", "scope", "provider__name")
    status = django_filters.MultipleChoiceFilter(
        choices=ContractStatus.choices, widget=forms.CheckboxSelectMultiple
    )
    provider = NameContainsFilter(field_name="provider__name", label="Provider name contains")
    tier = django_filters.MultipleChoiceFilter(
        choices=Tier.choices, widget=forms.CheckboxSelectMultiple
    )
    service_area = django_filters.ModelChoiceFilter(
        queryset=ServiceArea.objects.all(), empty_label="Any"
    )
    officer = django_filters.ModelChoiceFilter(
        label="Lead or deputy officer",
        queryset=User.objects.filter(groups__name=Role.CONTRACT_MANAGER.label).distinct(),
        method="filter_officer",
        empty_label="Anyone",
    )
    ends_after, ends_before = date_range("current_end_date", "Ends", "31/3/2027", "31/3/2028")
    value_min = django_filters.NumberFilter(
        field_name="total_value", lookup_expr="gte", label="Total value at least (£)"
    )
    value_max = django_filters.NumberFilter(
        field_name="total_value", lookup_expr="lte", label="Total value at most (£)"
    )
    overall = django_filters.ChoiceFilter(
        label="Overall status",
        choices=OverallStatus.choices,
        method="filter_overall",
        empty_label="Any",
        help_text=(
            "From the latest accepted quarter, overdue returns, open high risks, open "
            "disputes and missed deadlines."
        ),
    )

    class Meta:
        model = Contract
        fields = [
            "q",
            "status",
            "provider",
            "tier",
            "service_area",
            "officer",
            "ends_after",
            "ends_before",
            "value_min",
            "value_max",
        ]

    def filter_officer(self, queryset, name, value):
        return queryset.officered_by(value)

    def filter_overall(self, queryset, name, value):
        if value == OverallStatus.NOT_YET_REPORTED:
            # A contract whose status is not yet worked out reads as not yet reported.
            return queryset.filter(Q(overall__status=value) | Q(overall__isnull=True))
        return queryset.filter(overall__status=value)


class VariationFilterSet(GovernanceFilterSet):
    search_fields = ("summary", "justification", "contract__reference", "contract__title")
    status = django_filters.MultipleChoiceFilter(
        choices=VariationStatus.choices, widget=forms.CheckboxSelectMultiple
    )
    needs_smg_approval = django_filters.BooleanFilter(
        label="Needs SMG approval", widget=django_filters.widgets.BooleanWidget()
    )
    requested_by = django_filters.ChoiceFilter(choices=Party.choices, empty_label="Either party")

    class Meta:
        model = Variation
        fields = ["q", "status", "needs_smg_approval", "requested_by"]


#: Extension options still waiting for a decision.
PENDING_DECISION = Q(status=ExtensionStatus.PENDING)


class ExtensionOptionFilterSet(GovernanceFilterSet):
    search_fields = ("contract__reference", "contract__title", "contract__provider__name")
    status = django_filters.ChoiceFilter(choices=ExtensionStatus.choices, empty_label="Any")
    deadline = DeadlineFilter(
        deadline_field="decision_deadline",
        kind=deadlines.EXTENSION_DECISION,
        open_q=PENDING_DECISION,
        label="Decision deadline",
    )
    deadline_after, deadline_before = date_range(
        "decision_deadline", "Decide", "1/4/2027", "31/3/2028"
    )

    class Meta:
        model = ExtensionOption
        fields = ["q", "status", "deadline", "deadline_after", "deadline_before"]
