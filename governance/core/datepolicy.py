"""The date policy: which dates every governed record accepts.

Every date and date-time field of every governed model is checked here, in model
validation (``DatePolicyMixin.clean_fields``), so a form, a service (``full_clean``),
the admin and anything else that validates a record share one rule and one message.
The GOV.UK date input applies the default range as it parses, so an absurd year is
refused next to the field before any date arithmetic sees it.

By default a date lies between 1 January 2000 and 31 December 2100. Tighter ranges,
where the domain gives one (``RULES`` below holds them):

==================================  ===========================================  =======
field                               allowed range                                checked
==================================  ===========================================  =======
Contract.initial_end_date           after the start, within a 15-year term       always
Contract.original_end_date          the same (copied from the initial end date)  always
Contract.current_end_date           the same, extensions included                always
Variation.new_end_date              after the contract's start, within its term  entry
ReportingPeriod.performance_due_on  after the quarter, within 4 months of it     always
ReportingPeriod.finance_due_on      after the quarter, within 4 months of it     always
TerminationNotice.effective_date    from the notice to the contract's end date   entry
ExitTask.due_date                   up to 1 year after the contract's end date   entry
Meeting.starts_at                   1 year before today to 2 years after         entry
Action.due_on                       from the day raised to 5 years after         always
ContactLogEntry.follow_up_sent_on   1 year before today to today                 entry
Risk.next_review_date               1 year before today to 5 years after         entry
RiskReview.reviewed_on              1 year before today to today                 entry
Exclusion.start_date                30 days before to 90 days after deciding     always
Exclusion.end_date                  from the start, at most 5 years              always
Invoice.received_on                 2 years before today to today                entry
Invoice.approved_on                 2 years before today to today                entry
Invoice.paid_on                     2 years before today to today                entry
==================================  ===========================================  =======

"always": checked whenever the record is validated. "entry": checked when the date is
entered or changed, not when the record is saved again for another reason, because the
range moves with today or with another record (a risk reviewed two years ago stays
valid). Fields the system stamps itself (``auto_now``/``auto_now_add``) are not checked.

Contract terms come from the audit framework's lifecycle: contract management runs for
0 to 15 years. Exclusions from tenders last at most 5 years. Services that compute
dates from what a user typed check the typed dates with ``validate_dates`` first, so
the arithmetic only ever sees dates inside the policy.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from governance.core.dates import add_months

EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2100, 12, 31)

#: A contract's term, extensions included, is at most this long.
MAX_CONTRACT_TERM_MONTHS = 15 * 12
#: A provider is excluded from tenders for at most this long.
MAX_EXCLUSION_MONTHS = 5 * 12
#: An exclusion starts no earlier than this many days before the decision to exclude
#: (recorded a little after it took effect) ...
EXCLUSION_START_DAYS_BEFORE_DECISION = 30
#: ... and no later than this many days after it (notice before the next tenders).
EXCLUSION_START_DAYS_AFTER_DECISION = 90
#: Quarterly returns fall due within this many months of the quarter's end.
RETURN_DUE_WITHIN_MONTHS = 4
#: An action falls due within this many months of being raised.
ACTION_DUE_WITHIN_MONTHS = 5 * 12
#: Exit tasks fall due no later than this many months after the contract's end.
EXIT_TASK_MONTHS_AFTER_END = 12

Bounds = tuple[datetime.date | None, datetime.date | None]


def on(day: datetime.date) -> str:
    """A date as every message writes it: 4 December 2026."""
    return f"{day:%-d %B} {day.year}"


def in_default_range(day: datetime.date) -> bool:
    return EARLIEST <= day <= LATEST


def default_range_message() -> str:
    return f"Enter a date between {on(EARLIEST)} and {on(LATEST)}."


def validate_in_default_range(value) -> None:
    """A validator for date form fields: the policy's outer range."""
    day = _as_date(value)
    if day is _OUTSIDE or (day is not None and not in_default_range(day)):
        raise ValidationError(default_range_message(), code="date_out_of_range")


def contract_latest_end(start_date: datetime.date) -> datetime.date:
    """The last day a contract starting on ``start_date`` may run to: 15 years, the
    day before the same date 15 years on."""
    return add_months(start_date, MAX_CONTRACT_TERM_MONTHS) - datetime.timedelta(days=1)


def exclusion_latest_end(start_date: datetime.date) -> datetime.date:
    """The last day an exclusion starting on ``start_date`` may run to."""
    return add_months(start_date, MAX_EXCLUSION_MONTHS) - datetime.timedelta(days=1)


# -- The rules --------------------------------------------------------------------------


@dataclass(frozen=True)
class DateRule:
    """A tighter range for one field. ``bounds(instance, today)`` gives (earliest,
    latest), either side None for the default; it returns None when what the range
    depends on is missing or itself wrong (that field gets its own message)."""

    field: str  # "app_label.Model.field"
    bounds: Callable[[models.Model, datetime.date], Bounds | None]
    subject: str  # "The next review" -> "The next review must be between ..."
    on_entry: bool = False  # checked only when the date is entered or changed
    why: str = ""  # added to the message: the rule behind the range
    #: A date the system copies from another field of the record: checked only when it
    #: differs from it (otherwise the message belongs next to the field people typed).
    mirrors: str = ""


def _anchor(value) -> datetime.date | None:
    """Another field's date, if it is one the policy accepts (ranges are built from
    these, so their arithmetic stays inside the calendar)."""
    day = _as_date(value)
    return day if day is not None and day is not _OUTSIDE and in_default_range(day) else None


def _related(instance: models.Model, *path: str):
    """Follow foreign keys without failing on one not yet set."""
    obj = instance
    for name in path:
        field = obj._meta.get_field(name)
        if getattr(obj, field.attname) is None:
            return None
        obj = getattr(obj, name)
    return obj


def _contract_term(contract, today=None) -> Bounds | None:
    """From the day after the contract starts to the last day of a 15-year term."""
    start = _anchor(getattr(contract, "start_date", None)) if contract is not None else None
    if start is None:
        return None
    return start + datetime.timedelta(days=1), contract_latest_end(start)


def _variation_term(variation, today) -> Bounds | None:
    return _contract_term(_related(variation, "contract"))


def _return_due(period, today) -> Bounds | None:
    ends = _anchor(period.ends_on)
    if ends is None:
        return None
    return ends + datetime.timedelta(days=1), add_months(ends, RETURN_DUE_WITHIN_MONTHS)


def _termination_effective(notice, today) -> Bounds | None:
    notice_date = _anchor(notice.notice_date)
    contract = _related(notice, "contract")
    end = _anchor(getattr(contract, "current_end_date", None))
    if notice_date is None or end is None:
        return None
    return notice_date, end


def _exit_task_due(task, today) -> Bounds | None:
    end = _anchor(getattr(_related(task, "plan", "contract"), "current_end_date", None))
    if end is None:
        return None
    return None, add_months(end, EXIT_TASK_MONTHS_AFTER_END)


def _around_today(years_before: int, years_after: int):
    def bounds(instance, today) -> Bounds:
        return add_months(today, -12 * years_before), add_months(today, 12 * years_after)

    return bounds


def _action_due(action, today) -> Bounds | None:
    raised = _anchor(action.raised_on)
    if raised is None:
        return None
    return raised, add_months(raised, ACTION_DUE_WITHIN_MONTHS)


def _exclusion_start(exclusion, today) -> Bounds | None:
    decided = _anchor(exclusion.decided_on)
    if decided is None:
        return None
    return (
        decided - datetime.timedelta(days=EXCLUSION_START_DAYS_BEFORE_DECISION),
        decided + datetime.timedelta(days=EXCLUSION_START_DAYS_AFTER_DECISION),
    )


def _exclusion_end(exclusion, today) -> Bounds | None:
    start = _anchor(exclusion.start_date)
    if start is None:
        return None
    return start, exclusion_latest_end(start)


RULES: tuple[DateRule, ...] = (
    DateRule(
        "contracts.Contract.initial_end_date",
        _contract_term,
        "The initial end date",
        why="A contract runs for at most 15 years.",
    ),
    DateRule(
        "contracts.Contract.original_end_date",
        _contract_term,
        "The original end date",
        why="A contract runs for at most 15 years.",
        mirrors="initial_end_date",
    ),
    DateRule(
        "contracts.Contract.current_end_date",
        _contract_term,
        "The end date with the extensions exercised",
        why="A contract runs for at most 15 years, extensions included.",
        mirrors="initial_end_date",
    ),
    DateRule(
        "contracts.Variation.new_end_date",
        _variation_term,
        "The new end date",
        on_entry=True,
        why="A contract runs for at most 15 years.",
    ),
    DateRule(
        "contracts.ReportingPeriod.performance_due_on",
        _return_due,
        "The performance return's due date",
    ),
    DateRule(
        "contracts.ReportingPeriod.finance_due_on",
        _return_due,
        "The financial return's due date",
    ),
    DateRule(
        "contracts.TerminationNotice.effective_date",
        _termination_effective,
        "The date termination takes effect",
        on_entry=True,
        why="It falls between the notice and the contract's end date.",
    ),
    DateRule(
        "contracts.ExitTask.due_date",
        _exit_task_due,
        "The due date",
        on_entry=True,
        why="Exit tasks end within a year of the contract's end date.",
    ),
    DateRule(
        "governance.Meeting.starts_at",
        _around_today(1, 2),
        "The meeting date",
        on_entry=True,
    ),
    DateRule("governance.Action.due_on", _action_due, "The due date"),
    DateRule(
        "governance.ContactLogEntry.follow_up_sent_on",
        _around_today(1, 0),
        "The date the summary was sent",
        on_entry=True,
    ),
    DateRule(
        "risks.Risk.next_review_date",
        _around_today(1, 5),
        "The next review",
        on_entry=True,
    ),
    DateRule(
        "risks.RiskReview.reviewed_on",
        _around_today(1, 0),
        "The review date",
        on_entry=True,
    ),
    DateRule(
        "contracts.Invoice.received_on",
        _around_today(2, 0),
        "The date received",
        on_entry=True,
    ),
    DateRule(
        "contracts.Invoice.approved_on",
        _around_today(2, 0),
        "The date approved",
        on_entry=True,
    ),
    DateRule(
        "contracts.Invoice.paid_on",
        _around_today(2, 0),
        "The date paid",
        on_entry=True,
    ),
    DateRule(
        "disputes.Exclusion.start_date",
        _exclusion_start,
        "The start date",
        why="An exclusion starts from 30 days before the decision to 90 days after it.",
    ),
    DateRule(
        "disputes.Exclusion.end_date",
        _exclusion_end,
        "The end date",
        why="An exclusion can last no more than 5 years.",
    ),
)

RULES_BY_FIELD: dict[str, DateRule] = {rule.field: rule for rule in RULES}


# -- Checking a record ------------------------------------------------------------------

_OUTSIDE = object()  # a date-time that cannot even be placed on the local calendar


def _as_date(value):
    """The calendar date of a date or date-time value (local time), ``_OUTSIDE`` for a
    date-time at the calendar's very edge, None for anything else."""
    if isinstance(value, datetime.datetime):
        if timezone.is_naive(value):
            return value.date()
        try:
            return timezone.localtime(value).date()
        except (OverflowError, ValueError):
            return _OUTSIDE
    if isinstance(value, datetime.date):
        return value
    return None


@cache
def policed_fields(model: type[models.Model]) -> tuple[models.DateField, ...]:
    """The model's date and date-time fields people or services set (not the ones the
    database stamps on save)."""
    return tuple(
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.DateField)
        and not (getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))
    )


@cache
def entry_fields(model: type[models.Model]) -> tuple[str, ...]:
    """Attribute names of the fields whose rule is checked on entry only."""
    return tuple(
        field.attname
        for field in policed_fields(model)
        if (rule := rule_for(model, field.name)) is not None and rule.on_entry
    )


def rule_for(model: type[models.Model], field_name: str) -> DateRule | None:
    return RULES_BY_FIELD.get(f"{model._meta.label}.{field_name}")


def allowed_range(
    instance: models.Model, field_name: str, today: datetime.date | None = None
) -> tuple[datetime.date, datetime.date, DateRule | None]:
    """(earliest, latest, the rule that narrowed them or None) for one field."""
    rule = rule_for(type(instance), field_name)
    if rule is None:
        return EARLIEST, LATEST, None
    if rule.on_entry and _unchanged(instance, instance._meta.get_field(field_name)):
        return EARLIEST, LATEST, None
    bounds = rule.bounds(instance, today or timezone.localdate())
    if bounds is None:
        return EARLIEST, LATEST, None
    earliest = max(EARLIEST, bounds[0]) if bounds[0] else EARLIEST
    latest = min(LATEST, bounds[1]) if bounds[1] else LATEST
    if earliest > latest:
        # What the range hangs on is itself wrong; that field carries the message.
        return EARLIEST, LATEST, None
    return earliest, latest, rule


def _unchanged(instance: models.Model, field: models.DateField) -> bool:
    stored = getattr(instance, "_date_policy_stored", None)
    if instance._state.adding or stored is None or field.attname not in stored:
        return False
    return stored[field.attname] == getattr(instance, field.attname)


def _message(earliest: datetime.date, latest: datetime.date, rule: DateRule | None) -> str:
    if rule is None:
        return f"Enter a date between {on(earliest)} and {on(latest)}."
    message = f"{rule.subject} must be between {on(earliest)} and {on(latest)}."
    return f"{message} {rule.why}" if rule.why else message


def date_errors(
    instance: models.Model,
    *,
    exclude: Iterable[str] = (),
    only: Iterable[str] | None = None,
    today: datetime.date | None = None,
) -> dict[str, str]:
    """{field name: message} for each date of ``instance`` outside its allowed range."""
    skip, wanted = set(exclude), set(only) if only is not None else None
    today = today or timezone.localdate()
    errors = {}
    for field in policed_fields(type(instance)):
        if field.name in skip or (wanted is not None and field.name not in wanted):
            continue
        value = getattr(instance, field.attname)
        day = _as_date(value)
        if day is None:
            continue
        rule = rule_for(type(instance), field.name)
        if rule is not None and rule.mirrors and value == getattr(instance, rule.mirrors):
            continue
        if day is _OUTSIDE or not in_default_range(day):
            errors[field.name] = default_range_message()
            continue
        earliest, latest, rule = allowed_range(instance, field.name, today)
        if not earliest <= day <= latest:
            errors[field.name] = _message(earliest, latest, rule)
    return errors


def validate_dates(instance: models.Model, *field_names: str) -> None:
    """Raise the policy's ValidationError for the named fields of a record still being
    built: services call it before computing other dates from what a user typed."""
    errors = date_errors(instance, only=field_names or None)
    if errors:
        raise ValidationError(errors)


class DatePolicyMixin:
    """Put first in a governed model's bases: model validation then applies the date
    policy to every date field the model has."""

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        names = entry_fields(cls)
        if names:
            # Rules checked on entry compare against what was stored.
            instance._date_policy_stored = {
                name: instance.__dict__[name] for name in names if name in instance.__dict__
            }
        return instance

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        policy = date_errors(self, exclude={*(exclude or ()), *errors})
        for name, message in policy.items():
            errors.setdefault(name, []).append(ValidationError(message, code="date_out_of_range"))
        if errors:
            raise ValidationError(errors)


def governed_models() -> list[type[models.Model]]:
    """Every model of the product's own apps (history models excepted)."""
    return [
        model
        for label in ("governance", "contracts", "risks", "disputes")
        for model in apps.get_app_config(label).get_models()
        if not model.__name__.startswith("Historical")
    ]
