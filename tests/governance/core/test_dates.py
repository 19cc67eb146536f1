import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.core.dates import (
    add_business_days,
    add_months,
    business_days_between,
    is_business_day,
    months_between,
)
from governance.core.forms import GovukDateField, GovukTimeField

D = datetime.date


class TestBusinessDays:
    def test_weekends_are_skipped(self):
        assert add_business_days(D(2026, 11, 20), 1) == D(2026, 11, 23)  # Friday -> Monday
        assert add_business_days(D(2026, 11, 21), 1) == D(2026, 11, 23)  # Saturday -> Monday

    def test_ten_business_days_from_a_friday(self):
        assert add_business_days(D(2026, 11, 6), 10) == D(2026, 11, 20)

    def test_christmas_and_boxing_day_on_a_weekend_are_substituted(self):
        # 2027: Christmas is a Saturday and Boxing Day a Sunday; 27 and 28 December are off.
        assert not is_business_day(D(2027, 12, 27))
        assert not is_business_day(D(2027, 12, 28))
        assert add_business_days(D(2027, 12, 24), 1) == D(2027, 12, 29)

    def test_easter_and_the_early_may_bank_holiday(self):
        assert not is_business_day(D(2027, 3, 26))  # Good Friday
        assert not is_business_day(D(2027, 3, 29))  # Easter Monday
        assert add_business_days(D(2027, 3, 25), 1) == D(2027, 3, 30)
        assert not is_business_day(D(2027, 5, 3))

    def test_scottish_holidays_do_not_count_in_england(self):
        assert is_business_day(D(2027, 1, 4))  # 2 January holiday is Scotland's only

    def test_counting_back(self):
        assert add_business_days(D(2026, 11, 23), -1) == D(2026, 11, 20)

    @given(st.dates(min_value=D(2020, 1, 1), max_value=D(2035, 12, 31)), st.integers(0, 60))
    def test_between_inverts_add(self, start, days):
        end = add_business_days(start, days)
        assert business_days_between(start, end) == days
        assert end == start or is_business_day(end)


class TestMonths:
    def test_month_end_is_clipped(self):
        assert add_months(D(2027, 1, 31), 1) == D(2027, 2, 28)
        assert add_months(D(2028, 1, 31), 1) == D(2028, 2, 29)
        assert add_months(D(2027, 3, 31), 24) == D(2029, 3, 31)
        assert add_months(D(2027, 3, 31), -6) == D(2026, 9, 30)

    def test_months_between(self):
        assert months_between(D(2028, 3, 31), D(2028, 9, 30)) == 6
        assert months_between(D(2028, 3, 31), D(2028, 9, 29)) == 5
        assert months_between(D(2028, 9, 30), D(2028, 3, 31)) == -6

    @given(st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 1, 1)), st.integers(-120, 120))
    def test_months_between_inverts_add_months(self, start, months):
        if start.day <= 28:
            assert months_between(start, add_months(start, months)) == months


class TestGovukDateField:
    field = GovukDateField(label="Start date")

    def test_parses_day_month_year(self):
        assert self.field.clean(["31", "3", "2027"]) == D(2027, 3, 31)

    @pytest.mark.parametrize(
        ("parts", "message"),
        [
            (["", "3", "2027"], "Start date must include a day."),
            (["31", "", ""], "Start date must include a month and a year."),
            (["31", "2", "2027"], "Start date must be a real date."),
            (["x", "2", "2027"], "Start date must be a real date, written in numbers."),
            (["1", "2", "27"], "Year must include 4 numbers"),
            (["", "", ""], "Enter the date."),
        ],
    )
    def test_mistakes_get_gov_uk_messages(self, parts, message):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError, match=message):
            self.field.clean(parts)

    def test_optional_blank_is_none(self):
        assert GovukDateField(required=False).clean(["", "", ""]) is None


class TestGovukTimeField:
    field = GovukTimeField(label="Start time")

    @pytest.mark.parametrize(
        ("typed", "time"),
        [
            ("14:30", datetime.time(14, 30)),
            ("2:30pm", datetime.time(14, 30)),
            ("9.05", datetime.time(9, 5)),
            ("12am", datetime.time(0, 0)),
            ("2 pm", datetime.time(14)),
        ],
    )
    def test_times_as_people_type_them(self, typed, time):
        assert self.field.clean(typed) == time

    @pytest.mark.parametrize(("typed", "message"), [("25:00", "real time"), ("noonish", "14:30")])
    def test_mistakes_are_explained(self, typed, message):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError, match=message):
            self.field.clean(typed)

    def test_blank_is_required(self):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError):
            self.field.clean("")
