"""Lists filtered to the records dated within a range."""

from governance.contactlog.forms import ContactLogFilterSet
from governance.core.date_range_filters import after_and_before, date_range
from governance.healthchecks.filtersets import AssessmentFilterSet
from governance.meetings.filtersets import MeetingFilterSet
from governance.meetings.forms.decisions import DecisionFilterSet


def _shape(filter_) -> tuple:
    return filter_.field_name, filter_.lookup_expr, filter_.label, filter_.extra["help_text"]


def test_a_date_is_compared_as_it_is_and_a_moment_by_its_day():
    after, before = after_and_before("decided_on")
    assert _shape(after) == ("decided_on", "gte", "On or after", "For example, 1/4/2026")
    assert _shape(before) == ("decided_on", "lte", "On or before", "For example, 31/3/2027")
    after, before = after_and_before("starts_at", moment=True)
    assert _shape(after)[:2] == ("starts_at", "date__gte")
    assert _shape(before)[:2] == ("starts_at", "date__lte")


def test_each_list_filters_its_own_date():
    for filterset, field, lookup in (
        (ContactLogFilterSet, "occurred_at", "date__"),
        (MeetingFilterSet, "starts_at", "date__"),
        (DecisionFilterSet, "decided_on", ""),
        (AssessmentFilterSet, "assessed_on", ""),
    ):
        after, before = filterset.base_filters["after"], filterset.base_filters["before"]
        assert (after.field_name, after.lookup_expr) == (field, f"{lookup}gte")
        assert (before.field_name, before.lookup_expr) == (field, f"{lookup}lte")
        assert (after.label, before.label) == ("On or after", "On or before")


def test_the_pair_bounds_the_field_from_each_side_with_its_hint():
    after, before = date_range("paid_on", "Paid", "1/4/2026", "30/9/2026")
    assert (after.field_name, after.lookup_expr) == ("paid_on", "gte")
    assert (before.field_name, before.lookup_expr) == ("paid_on", "lte")
    assert after.label == "Paid on or after"
    assert before.label == "Paid on or before"
    assert after.extra["help_text"] == "For example, 1/4/2026"
    assert before.extra["help_text"] == "For example, 30/9/2026"
