"""A list filter of two answers, such as Yes or No, where the first keeps the rows that
meet a condition and the second keeps the rest."""

from collections.abc import Callable

import django_filters
from django.db.models import Q

YES_NO = [("true", "Yes"), ("false", "No")]
OPEN_CLOSED = [("open", "Open"), ("closed", "Closed")]


class WhereFilter(django_filters.ChoiceFilter):
    """``where()`` gives the condition (read when the list is filtered, so a condition
    on today's date is today's). The first of the two ``choices`` keeps the rows that
    meet it, the second the rows that do not; nothing chosen keeps them all."""

    def __init__(self, *, where: Callable[[], Q], choices=YES_NO, empty_label="Either", **kwargs):
        super().__init__(choices=choices, empty_label=empty_label, **kwargs)
        self.where, self.meets = where, choices[0][0]

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        condition = self.where()
        return qs.filter(condition) if value == self.meets else qs.exclude(condition)
