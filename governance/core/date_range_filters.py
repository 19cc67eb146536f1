"""A list filtered to the records dated within a range."""

import django_filters


def after_and_before(
    field_name: str, *, moment: bool = False
) -> tuple[django_filters.DateFilter, django_filters.DateFilter]:
    """The "On or after" and "On or before" filters of ``field_name``, a date, or with
    ``moment`` a date and time (its day is compared)."""
    day = "date__" if moment else ""
    return (
        django_filters.DateFilter(
            field_name=field_name,
            lookup_expr=f"{day}gte",
            label="On or after",
            help_text="For example, 1/4/2026",
        ),
        django_filters.DateFilter(
            field_name=field_name,
            lookup_expr=f"{day}lte",
            label="On or before",
            help_text="For example, 31/3/2027",
        ),
    )
