import django_filters
from django import forms
from django.db.models import F, Q

from contracts.procurement.choices import OPEN_NOTICE_STATUSES, NoticeKind, NoticeStatus
from contracts.procurement.models import Notice
from governance.core import deadlines
from governance.core.datepolicy import EARLIEST, LATEST
from governance.core.filtersets import ContractFilter, DeadlineFilter, GovernanceFilterSet

#: Notices still owed: their due date still applies.
OWED = Q(status__in=OPEN_NOTICE_STATUSES)


class NoticeFilterSet(GovernanceFilterSet):
    search_fields = ("contract__reference", "contract__title", "fts_identifier", "summary")
    kind = django_filters.MultipleChoiceFilter(
        choices=NoticeKind.choices, widget=forms.CheckboxSelectMultiple, label="Notice"
    )
    status = django_filters.MultipleChoiceFilter(
        choices=NoticeStatus.choices, widget=forms.CheckboxSelectMultiple
    )
    owed = django_filters.BooleanFilter(
        method="filter_owed",
        label="Still owed",
        widget=django_filters.widgets.BooleanWidget(),
    )
    deadline = DeadlineFilter(
        deadline_field="due_on", kind=deadlines.NOTICE, open_q=OWED, label="Due date"
    )
    contract = ContractFilter()
    officer = django_filters.NumberFilter(method="filter_officer", widget=forms.HiddenInput)
    due_after = django_filters.DateFilter(
        field_name="due_on", lookup_expr="gte", label="Due on or after (YYYY-MM-DD)"
    )
    due_before = django_filters.DateFilter(
        field_name="due_on", lookup_expr="lte", label="Due on or before (YYYY-MM-DD)"
    )
    # A whole year within the date policy's range: any other number cannot be a year a
    # notice was published in (and one past the calendar's range would not be a date).
    published_year = django_filters.NumberFilter(
        field_name="published_on",
        lookup_expr="year",
        label="Published in (year)",
        min_value=EARLIEST.year,
        max_value=LATEST.year,
        decimal_places=0,
        error_messages={
            "min_value": f"Enter a year from {EARLIEST.year} to {LATEST.year}, like 2026.",
            "max_value": f"Enter a year from {EARLIEST.year} to {LATEST.year}, like 2026.",
            "max_decimal_places": "Enter the year as a whole number, like 2026.",
            "invalid": "Enter the year as a whole number, like 2026.",
        },
    )
    on_time = django_filters.BooleanFilter(
        method="filter_on_time",
        label="Published by its due date",
        widget=django_filters.widgets.BooleanWidget(),
    )

    class Meta:
        model = Notice
        fields = ["q", "kind", "status", "owed", "deadline", "contract"]

    def filter_owed(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(OWED) if value else queryset.exclude(OWED)

    def filter_officer(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Q(contract__lead_officer=value) | Q(contract__deputy_officer=value))

    def filter_on_time(self, queryset, name, value):
        if value is None:
            return queryset
        on_time = Q(status=NoticeStatus.PUBLISHED, published_on__lte=F("due_on"))
        return queryset.filter(on_time) if value else queryset.exclude(on_time)
