"""Filters of the exit lists: contracts ending, lessons learned, exit plans, termination
notices and service transfer plans."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from contracts.exit.models import (
    ExitPlan,
    ExitPlanStatus,
    ExitPlanType,
    PostContractReview,
    ServiceTransferPlan,
    TerminationExtent,
    TerminationNotice,
    TransferPlanStatus,
)
from contracts.exit.selectors import NOTICE_NEEDED
from contracts.register.choices import ContractStatus
from contracts.register.models.contracts import Contract, ServiceArea
from governance.core import deadlines
from governance.core.dates import add_months
from governance.core.filtersets import (
    ContractFilter,
    DeadlineFilter,
    GovernanceFilterSet,
    NameContainsFilter,
)


class ContractsEndingFilterSet(GovernanceFilterSet):
    NOTICE = [("needed", "No notice recorded yet"), ("recorded", "Notice recorded")]
    WITHIN = [("6", "6 months"), ("9", "9 months"), ("12", "12 months"), ("18", "18 months")]

    search_fields = ("reference", "title", "provider__name")
    notice = django_filters.ChoiceFilter(
        choices=NOTICE, method="filter_notice", label="Notice of plans", empty_label="Any"
    )
    deadline = DeadlineFilter(
        deadline_field="exit_notice_deadline",
        kind=deadlines.EXIT_NOTICE,
        open_q=NOTICE_NEEDED,
        label="Notice deadline",
    )
    ends_within = django_filters.ChoiceFilter(
        choices=WITHIN, method="filter_ends_within", label="Ends within", empty_label="Any time"
    )
    status = django_filters.MultipleChoiceFilter(
        choices=[(s, ContractStatus(s).label) for s in (ContractStatus.ACTIVE, "in_exit")],
        widget=forms.CheckboxSelectMultiple,
    )
    provider = NameContainsFilter(field_name="provider__name", label="Provider name contains")
    # The dashboard's figure: notice deadlines (passed or) falling within the months.
    notice_within = django_filters.ChoiceFilter(
        choices=WITHIN,
        method="filter_notice_within",
        label="Notice deadline within",
        empty_label="Any time",
    )
    mine = django_filters.BooleanFilter(
        method="filter_mine",
        label="Only contracts I am lead or deputy officer on",
        widget=django_filters.widgets.BooleanWidget(),
    )

    class Meta:
        model = Contract
        fields = ["q", "deadline", "notice", "ends_within", "status", "provider", "mine"]

    def filter_notice(self, queryset, name, value):
        return queryset.filter(notice_recorded=value == "recorded")

    def filter_ends_within(self, queryset, name, value):
        return queryset.filter(current_end_date__lte=add_months(timezone.localdate(), int(value)))

    def filter_notice_within(self, queryset, name, value):
        deadline = add_months(timezone.localdate(), int(value))
        return queryset.filter(exit_notice_deadline__lte=deadline)

    def filter_mine(self, queryset, name, value):
        if not value:
            return queryset
        user = self.request.user
        return queryset.filter(Q(lead_officer=user) | Q(deputy_officer=user))


class LessonsLearnedFilterSet(GovernanceFilterSet):
    search_fields = (
        "lessons_learned",
        "future_commissioning",
        "outcomes_assessment",
        "contract__reference",
        "contract__title",
        "contract__provider__name",
    )
    service_area = django_filters.ModelChoiceFilter(
        field_name="contract__service_area",
        queryset=ServiceArea.objects.all(),
        empty_label="Any",
        label="Service area",
    )
    provider = NameContainsFilter(
        field_name="contract__provider__name", label="Provider name contains"
    )

    class Meta:
        model = PostContractReview
        fields = ["q", "service_area", "provider"]


_CONTRACT_SEARCH = ("contract__reference", "contract__title", "contract__provider__name")


class ExitPlanFilterSet(GovernanceFilterSet):
    search_fields = (*_CONTRACT_SEARCH, "approach")
    contract = ContractFilter()
    plan_type = django_filters.ChoiceFilter(
        label="Type of exit", choices=ExitPlanType.choices, empty_label="Any"
    )
    status = django_filters.ChoiceFilter(choices=ExitPlanStatus.choices, empty_label="Any")

    class Meta:
        model = ExitPlan
        fields = ["q", "contract", "plan_type", "status"]


class TerminationNoticeFilterSet(GovernanceFilterSet):
    search_fields = (*_CONTRACT_SEARCH, "reason")
    contract = ContractFilter()
    extent = django_filters.ChoiceFilter(choices=TerminationExtent.choices, empty_label="Any")

    class Meta:
        model = TerminationNotice
        fields = ["q", "contract", "extent"]


class TransferPlanFilterSet(GovernanceFilterSet):
    search_fields = _CONTRACT_SEARCH
    contract = ContractFilter()
    status = django_filters.ChoiceFilter(choices=TransferPlanStatus.choices, empty_label="Any")

    class Meta:
        model = ServiceTransferPlan
        fields = ["q", "contract", "status"]
