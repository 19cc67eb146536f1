"""Calendar rules: UK financial quarters and England & Wales business days.

Every date that reaches these helpers has passed the date policy (governance.datepolicy),
so it lies between 2000 and 2100. Should one slip through, arithmetic that would leave
the calendar raises ``DateOutOfRange``, a ValidationError, which a form shows as a
message rather than the page failing."""

import calendar
import datetime
from functools import lru_cache

import holidays
from django.core.exceptions import ValidationError

#: A count of business days further than this (about 40 years) is not a real deadline.
MAX_BUSINESS_DAYS = 10_000


class DateOutOfRange(ValidationError):
    """Date arithmetic that would leave the calendar (before year 1 or after 9999)."""

    def __init__(self, start: datetime.date, what: str):
        super().__init__(
            f"{what} from {start:%-d %B %Y} falls outside the calendar: check the date.",
            code="date_out_of_range",
        )


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_business_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_business_days(start: datetime.date, days: int) -> datetime.date:
    """The date ``days`` business days after ``start`` (before it, if negative).
    ``start`` itself is not counted, so 10 business days after a Friday notice is the
    second Friday after (or later, where bank holidays intervene)."""
    if abs(days) > MAX_BUSINESS_DAYS:
        raise DateOutOfRange(start, f"{days} business days")
    step = 1 if days >= 0 else -1
    remaining = abs(days)
    current = start
    try:
        while remaining:
            current += datetime.timedelta(days=step)
            if is_business_day(current):
                remaining -= 1
    except OverflowError:
        raise DateOutOfRange(start, f"{days} business days") from None
    return current


def business_days_between(start: datetime.date, end: datetime.date) -> int:
    """Business days after ``start`` up to and including ``end`` (negative if end < start)."""
    if end < start:
        return -business_days_between(end, start)
    count, current = 0, start
    while current < end:
        current += datetime.timedelta(days=1)
        if is_business_day(current):
            count += 1
    return count


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Calendar months later; the day is clipped to the month's end (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        raise DateOutOfRange(day, f"{months} months")
    last_day = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last_day))


def months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole calendar months from ``start`` to ``end`` (negative if end is earlier)."""
    if end < start:
        return -months_between(end, start)
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    return months


def financial_quarter(day: datetime.date) -> tuple[int, int]:
    """(financial year, quarter) of a date on the UK financial year: the year is the
    calendar year it starts in, April-June is quarter 1 and January-March quarter 4."""
    if day.month >= 4:
        return day.year, (day.month - 4) // 3 + 1
    return day.year - 1, 4


def quarter_name(financial_year: int, quarter: int) -> str:
    """How a financial-year quarter is named on every page: "Q2 2026-27"."""
    return f"Q{quarter} {financial_year}-{(financial_year + 1) % 100:02d}"


def quarter_label(day: datetime.date | None) -> str:
    """The name of the financial-year quarter a day falls in ("" for no day)."""
    return quarter_name(*financial_quarter(day)) if day else ""


def quarter_bounds(financial_year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of a financial-year quarter."""
    start = add_months(datetime.date(financial_year, 4, 1), 3 * (quarter - 1))
    return start, add_months(start, 3) - datetime.timedelta(days=1)
