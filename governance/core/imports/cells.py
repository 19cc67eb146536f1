"""Cells of an imported spreadsheet read as their columns' kinds."""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models
from django.utils import timezone

#: Text cells the list exports protect from being run as formulas start with an
#: apostrophe (see ``Column.csv``); the import takes it off again.
FORMULA_STARTS = ("=", "+", "-", "@")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Formula:
    """A cell that holds a formula rather than a value."""

    def __init__(self, text: str):
        self.text = text


class Kind(models.TextChoices):
    TEXT = "text", "Text"
    WHOLE = "whole", "A whole number"
    DECIMAL = "decimal", "A number"
    DATE = "date", "A date"
    DATETIME = "datetime", "A date and time"
    YES_NO = "yes_no", "Yes or No"


@dataclass(frozen=True)
class ImportColumn:
    """One column of an import's template. ``fields`` names the record's (or the
    service's) fields whose errors are reported against this column."""

    header: str
    kind: str = Kind.TEXT
    required: bool = False
    fields: tuple[str, ...] = ()
    hint: str = ""


def _number_text(value) -> str:
    return str(value).strip().replace(",", "").lstrip("£")


def _unprotected(text: str) -> str:
    if text[:1] == "'" and text[1:2] in FORMULA_STARTS:
        return text[1:]
    return text


def cell_value(column: ImportColumn, raw: Any) -> Any:
    """The cell's value as its column's kind; raises ValueError with the reason."""
    if isinstance(raw, Formula):
        raise ValueError(
            f"holds a formula ({raw.text[:40]}). Copy the column and paste it back as "
            "values only, then upload the file again."
        )
    if isinstance(raw, str):
        raw = raw.strip()
    if raw is None or raw == "":
        if column.required:
            raise ValueError("is empty. Enter a value.")
        return False if column.kind == Kind.YES_NO else None
    kind = column.kind
    if kind == Kind.TEXT:
        if isinstance(raw, datetime.datetime | datetime.date):
            return raw.isoformat()[:10] if not isinstance(raw, datetime.datetime) else str(raw)
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        return _unprotected(str(raw))
    if kind == Kind.WHOLE:
        if isinstance(raw, bool):
            raise ValueError("must be a whole number.")
        if isinstance(raw, int):
            return raw
        if isinstance(raw, float) and raw.is_integer():
            return int(raw)
        text = _number_text(raw)
        # Choices exported with their names ("4 Likely") start with the number.
        match = re.match(r"^(-?\d+)(\s.*)?$", text)
        if match:
            return int(match.group(1))
        raise ValueError(f"must be a whole number, not “{raw}”.")
    if kind == Kind.DECIMAL:
        if isinstance(raw, bool):
            raise ValueError("must be a number.")
        if isinstance(raw, int | Decimal):
            return Decimal(raw)
        if isinstance(raw, float):
            return Decimal(str(raw))
        try:
            number = Decimal(_number_text(raw))
        except InvalidOperation:
            raise ValueError(f"must be a number, not “{raw}”.") from None
        if not number.is_finite():
            raise ValueError(f"must be a number, not “{raw}”.")
        return number
    if kind == Kind.DATE:
        if isinstance(raw, datetime.datetime):
            return raw.date()
        if isinstance(raw, datetime.date):
            return raw
        text = str(raw)
        if ISO_DATE.match(text):
            try:
                return datetime.date.fromisoformat(text)
            except ValueError:
                raise ValueError(f"“{text}” is not a real date.") from None
        raise ValueError(
            f"“{text}” is text, not a date. Format the cell as a date, or write the date "
            "as year-month-day, for example 2027-03-31."
        )
    if kind == Kind.DATETIME:
        if isinstance(raw, datetime.datetime):
            moment = raw
        elif isinstance(raw, datetime.date):
            moment = datetime.datetime.combine(raw, datetime.time(9, 0))
        else:
            text = str(raw)
            try:
                moment = datetime.datetime.fromisoformat(text)
            except ValueError:
                raise ValueError(
                    f"“{text}” is text, not a date and time. Format the cell as a date and "
                    "time, or write it as year-month-day hour:minute, for example "
                    "2027-03-31 14:30."
                ) from None
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment
    if kind == Kind.YES_NO:
        text = str(raw).strip().lower()
        if text in ("yes", "y", "true", "1"):
            return True
        if text in ("no", "n", "false", "0"):
            return False
        raise ValueError(f"must be Yes or No, not “{raw}”.")
    raise ValueError(f"has a column kind the import does not know: {kind}.")


def choice_value(choices, given: str, *, what: str) -> str:
    """The stored value of the choice named ``given`` (its label or its value, in any
    case, with or without hyphens: "E-mail" is "Email"); raises ValueError listing the
    choices."""

    def plain(text) -> str:
        return str(text).strip().casefold().replace("-", "")

    wanted = plain(given)
    for value, label in choices:
        if wanted in (plain(value), plain(label)):
            return value
    names = ", ".join(str(label) for _, label in choices)
    raise ValueError(f"“{given}” is not a {what}. Choose one of: {names}.")
