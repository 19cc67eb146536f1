"""Columns of list pages, shared by the HTML table and the CSV export."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone

from governance.core import wording
from governance.core.deadlines import Deadline, classify
from governance.templatetags.govuk import deadline_tag, money


def _resolve(obj, path: str):
    value = obj
    for part in path.split("."):
        if value is None:
            return None
        display = getattr(value, f"get_{part}_display", None)
        value = display() if display else getattr(value, part)
        if callable(value) and not isinstance(value, models.Manager):
            value = value()
    return value


@dataclass(frozen=True)
class Column:
    """One column: ``accessor`` is a dotted attribute path or a function of the row."""

    label: str
    accessor: str | Callable[[Any], Any]
    sort: str | None = None  # ORM ordering expression; None: not sortable
    link: bool = False  # link the cell to the row's page
    money: bool = False
    numeric: bool = False
    in_table: bool = True  # False: exported to CSV only, to keep the page readable
    html: Callable[[Any], str] | None = None  # the table cell's markup, where text is not enough

    def raw(self, obj):
        return self.accessor(obj) if callable(self.accessor) else _resolve(obj, self.accessor)

    def text(self, obj) -> str:
        value = self.raw(obj)
        if value is None:
            return ""
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if self.money and isinstance(value, (int, Decimal)):
            return money(value)
        if isinstance(value, datetime.date):
            return wording.datetime_words(value)
        return str(value)

    def csv(self, obj) -> str:
        """Plain machine-readable values: ISO dates, unformatted numbers."""
        value = self.raw(obj)
        if value is None:
            return ""
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if isinstance(value, (datetime.date, datetime.datetime)):
            return value.isoformat()
        if isinstance(value, (int, float, Decimal)):
            return str(value)
        text = str(value)
        # A leading =, +, - or @ would make a spreadsheet run the cell as a formula.
        return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def deadline_columns(
    label: str,
    accessor: str | Callable[[Any], Any],
    kind: str,
    *,
    sort: str | None = None,
    applies: Callable[[Any], bool] | None = None,
) -> list[Column]:
    """A deadline's date, shown in the table with a tag saying whether it is missed, due
    or coming up, and the same words in a column of their own for the CSV and PDF
    exports. ``applies`` says whether the row still has the deadline to meet (an open
    action, a return not yet submitted); where it does not, only the date is shown."""
    date_column = Column(label, accessor, sort=sort)

    def deadline(obj) -> Deadline | None:
        if applies is not None and not applies(obj):
            return None
        return classify(date_column.raw(obj), today=timezone.localdate(), kind=kind)

    def cell(obj) -> str:
        found = deadline(obj)
        return deadline_tag(found) if found else date_column.text(obj)

    def words(obj) -> str:
        found = deadline(obj)
        return found.label if found else ""

    return [
        replace(date_column, html=cell),
        Column(f"{label}: missed or due", words, in_table=False),
    ]
