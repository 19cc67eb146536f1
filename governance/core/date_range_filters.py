"""The two filters of a list that bound one date: on or after, and on or before."""

import django_filters


def date_range(
    field: str, verb: str, first_example: str, last_example: str
) -> tuple[django_filters.DateFilter, django_filters.DateFilter]:
    """The filters "<verb> on or after" and "<verb> on or before" on the date ``field``,
    each with an example date, as written in the form, for its hint."""
    return (
        django_filters.DateFilter(
            field_name=field,
            lookup_expr="gte",
            label=f"{verb} on or after",
            help_text=f"For example, {first_example}",
        ),
        django_filters.DateFilter(
            field_name=field,
            lookup_expr="lte",
            label=f"{verb} on or before",
            help_text=f"For example, {last_example}",
        ),
    )
