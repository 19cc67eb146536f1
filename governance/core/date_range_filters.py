"""The two filters of a list that bound one date: on or after, and on or before."""

import django_filters


def date_range(
    field: str,
    verb: str = "",
    first_example: str = "1/4/2026",
    last_example: str = "31/3/2027",
    *,
    moment: bool = False,
) -> tuple[django_filters.DateFilter, django_filters.DateFilter]:
    """The filters "<verb> on or after" and "<verb> on or before" on ``field``, a date
    or, with ``moment``, a date and time (its day is compared), each with an example
    date, as written in the form, for its hint. Without a verb: "On or after"."""
    day = "date__" if moment else ""

    def label(bound: str) -> str:
        return f"{verb} {bound}" if verb else bound.capitalize()

    return (
        django_filters.DateFilter(
            field_name=field,
            lookup_expr=f"{day}gte",
            label=label("on or after"),
            help_text=f"For example, {first_example}",
        ),
        django_filters.DateFilter(
            field_name=field,
            lookup_expr=f"{day}lte",
            label=label("on or before"),
            help_text=f"For example, {last_example}",
        ),
    )


def after_and_before(
    field_name: str, *, moment: bool = False
) -> tuple[django_filters.DateFilter, django_filters.DateFilter]:
    """ "On or after" and "On or before" on ``field_name``, for a list whose one date
    needs no naming."""
    return date_range(field_name, moment=moment)
