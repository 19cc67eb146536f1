"""One date bounded from both sides, as every list's filters word it."""

from governance.core.date_range_filters import date_range


def test_the_pair_bounds_the_field_from_each_side_with_its_hint():
    after, before = date_range("paid_on", "Paid", "1/4/2026", "30/9/2026")
    assert (after.field_name, after.lookup_expr) == ("paid_on", "gte")
    assert (before.field_name, before.lookup_expr) == ("paid_on", "lte")
    assert after.label == "Paid on or after"
    assert before.label == "Paid on or before"
    assert after.extra["help_text"] == "For example, 1/4/2026"
    assert before.extra["help_text"] == "For example, 30/9/2026"
