"""Words as the GOV.UK style guide writes them, in one place for pages, exports and PDFs:
dates ("4 December 2026"), date-times ("4 December 2026 at 1:34pm"), counts with the
right plural ("1 return", "2 returns"), yes and no, and a choice's label rather than its
stored code."""

import datetime

from django.utils import timezone
from django.utils.formats import date_format


def date_words(value: datetime.date | None) -> str:
    """4 December 2026 (blank for no date). A date-time is shown as its local day."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = _local(value).date()
    return date_format(value, "DATE_FORMAT")


def time_words(value: datetime.time | datetime.datetime) -> str:
    """1:34pm, 9am, midday, midnight: the 12-hour clock, as GOV.UK writes times."""
    if isinstance(value, datetime.datetime):
        value = _local(value).time()
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    if value.hour == 12 and value.minute == 0:
        return "midday"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


def datetime_words(value: datetime.datetime | None) -> str:
    """4 December 2026 at 1:34pm, in the service's time zone (blank for none)."""
    if not value:
        return ""
    if not isinstance(value, datetime.datetime):
        return date_words(value)
    local = _local(value)
    return f"{date_format(local.date(), 'DATE_FORMAT')} at {time_words(local)}"


def _local(value: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def count_words(count: int, singular: str, plural: str = "") -> str:
    """1 return, 2 returns, 0 returns; ``plural`` where adding "s" is wrong
    ("1 evidence item" needs no help, "2 bodies" does)."""
    noun = singular if count == 1 else (plural or f"{singular}s")
    return f"{count:,} {noun}"


def yes_no(value) -> str:
    return "Yes" if value else "No"


def choice_label(value, choices) -> str:
    """The label of a stored choice ``value`` among ``choices`` (a TextChoices class or
    (value, label) pairs, grouped or not). A value with no label is made readable
    ("in_exit" -> "In exit") rather than shown as a code."""
    if value is None or value == "":
        return ""
    # A TextChoices class, or the pairs themselves (a form field's choices iterator
    # also has a ``choices`` attribute, but it is not the pairs).
    pairs = choices.choices if isinstance(choices, type) else choices
    for option, label in pairs:
        if isinstance(label, (list, tuple)):
            for sub_option, sub_label in label:
                if str(sub_option) == str(value):
                    return str(sub_label)
        elif str(option) == str(value):
            return str(label)
    return readable_code(value)


def readable_code(value) -> str:
    """A stored code as words, for the rare value no choice names: "in_exit" -> "In exit"."""
    text = str(value).replace("_", " ").strip()
    return text[:1].upper() + text[1:]
