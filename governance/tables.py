"""Columns of list pages, shared by the HTML table and the CSV export."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.formats import date_format

from .templatetags.govuk import money


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
        if isinstance(value, datetime.datetime):
            return date_format(value, "SHORT_DATETIME_FORMAT")
        if isinstance(value, datetime.date):
            return date_format(value, "DATE_FORMAT")
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
