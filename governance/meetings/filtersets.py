"""Filters of the portfolio lists of meetings and actions."""

import django_filters
from django import forms
from django.utils import timezone

from governance.core import deadlines
from governance.core.date_range_filters import after_and_before
from governance.core.filters import officer_filter
from governance.core.filtersets import (
    ContractFilter,
    DeadlineFilter,
    GovernanceFilterSet,
    PersonNameFilter,
)
from governance.meetings.choices import ActionSource, ActionStatus, MeetingKind, MeetingStatus
from governance.meetings.models import Action, Meeting
from governance.meetings.services.meetings import ACTION_OPEN


class MeetingFilterSet(GovernanceFilterSet):
    search_fields = (
        "contract__reference",
        "contract__title",
        "contract__provider__name",
        "location",
        "agenda",
        "minutes",
    )
    kind = django_filters.MultipleChoiceFilter(
        choices=MeetingKind.choices, widget=forms.CheckboxSelectMultiple
    )
    status = django_filters.MultipleChoiceFilter(
        choices=MeetingStatus.choices, widget=forms.CheckboxSelectMultiple
    )
    contract = ContractFilter()
    after, before = after_and_before("starts_at", moment=True)

    class Meta:
        model = Meeting
        fields = ["q", "kind", "status", "contract", "after", "before"]


class ActionFilterSet(GovernanceFilterSet):
    search_fields = ("description", "outcome", "contract__reference", "contract__title")
    status = django_filters.MultipleChoiceFilter(
        choices=ActionStatus.choices, widget=forms.CheckboxSelectMultiple
    )
    owner = PersonNameFilter(label="Owner's name contains")
    contract = ContractFilter()
    deadline = DeadlineFilter(
        deadline_field="due_on", kind=deadlines.ACTION, open_q=ACTION_OPEN, label="Due date"
    )
    overdue = django_filters.BooleanFilter(
        label="Overdue", method="filter_overdue", widget=django_filters.widgets.BooleanWidget()
    )
    source = django_filters.ChoiceFilter(
        choices=ActionSource.choices, label="Comes from", empty_label="Anywhere"
    )
    officer = officer_filter("contract")

    class Meta:
        model = Action
        fields = ["q", "status", "owner", "contract", "deadline", "overdue", "source"]

    def filter_overdue(self, queryset, name, value):
        overdue = deadlines.state_q(
            deadlines.State.MISSED,
            "due_on",
            today=timezone.localdate(),
            kind=deadlines.ACTION,
            open_q=ACTION_OPEN,
        )
        return queryset.filter(overdue) if value else queryset.exclude(overdue)
