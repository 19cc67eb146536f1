"""Reminders of quarterly returns, for the daily sweep.

Every return not yet submitted (draft, or returned for correction) is watched on its
due date, in business days:

- ``due-10``: 10 to 4 business days left: the provider's contract manager and the lead
  officer are reminded;
- ``due-3``: 3 to 0 business days left: the same people, again;
- ``overdue``: from the day after the due date: the lead and deputy officers;
- ``overdue-10``: still outstanding 10 or more business days after the due date: every
  policy development manager.

Each reminder is a window rather than a day, so a sweep that skips a day (a weekend
outage, a bank holiday) still sends it; the key holds the return and its due date, so
a sweep run every day sends it once. Each provider costs a fixed number of queries
however many returns are outstanding.
"""

import datetime
from collections.abc import Iterator
from functools import lru_cache

from contracts.performance.models.returns import FinancialReturn, PerformanceReturn
from contracts.performance.services.returns import OPEN_STATUSES, periods_ensure_all
from governance.core.alerting import AlertSpec, Urgency
from governance.core.datepolicy import on
from governance.core.dates import business_days_between
from governance.core.roles import Role, role_holders

#: (model, key prefix, due-date field, how the return is named in a sentence)
KINDS = (
    (PerformanceReturn, "performance", "performance_due_on", "performance return"),
    (FinancialReturn, "finance", "finance_due_on", "financial return"),
)

DUE_SOON_FIRST = 10  # business days left when the first reminder window opens
DUE_SOON_LAST = 4
DUE_NOW_FIRST = 3
LATE_ESCALATION = 10  # business days late when policy development managers are told


@lru_cache(maxsize=512)
def _business_days(start: datetime.date, end: datetime.date) -> int:
    # Many returns share a due date (quarters end together): count each pair once.
    return business_days_between(start, end)


def _outstanding(model, due_field: str, *, due_by: datetime.date, due_from=None):
    returns = model.objects.filter(status__in=OPEN_STATUSES).select_related(
        "period",
        "period__contract",
        "period__contract__lead_officer",
        "period__contract__deputy_officer",
        "period__contract__provider_contract_manager",
    )
    returns = returns.filter(**{f"period__{due_field}__lte": due_by})
    if due_from is not None:
        returns = returns.filter(**{f"period__{due_field}__gte": due_from})
    return returns.order_by(f"period__{due_field}", "pk")


def _contact_emails(contract) -> tuple[str, ...]:
    contact = contract.provider_contract_manager
    if contact is None or not contact.is_active or not contact.email:
        return ()
    return (contact.email,)


def _people(*users) -> tuple:
    return tuple(user for user in users if user is not None)


def _spec(return_, *, key: str, kind: str, noun: str, due, subject: str, body: str, **to):
    period = return_.period
    contract = period.contract
    return AlertSpec(
        key=f"{key}:{return_.pk}:{due.isoformat()}",
        kind=kind,
        subject=f"{subject}: {contract.reference} {period.label}",
        body=(
            f"The {noun} of {contract} for {period.label} ({period.starts_on:%-d %B %Y} to "
            f"{period.ends_on:%-d %B %Y}) {body}"
        ),
        url=return_.get_absolute_url(),
        **to,
    )


def returns_due(today: datetime.date) -> Iterator[AlertSpec]:
    """Reminders before a return falls due."""
    # The window opens 10 business days ahead: a fortnight plus bank holidays is ample.
    horizon = today + datetime.timedelta(days=28)
    for model, prefix, due_field, noun in KINDS:
        for return_ in _outstanding(model, due_field, due_by=horizon, due_from=today):
            due = getattr(return_.period, due_field)
            left = _business_days(today, due)
            if DUE_SOON_LAST <= left <= DUE_SOON_FIRST:
                window, subject = "due-10", f"{noun.capitalize()} due on {on(due)}"
            elif 0 <= left <= DUE_NOW_FIRST:
                window = "due-3"
                subject = f"{noun.capitalize()} due {'today' if left == 0 else 'on ' + on(due)}"
            else:
                continue
            contract = return_.period.contract
            yield _spec(
                return_,
                key=f"{prefix}-{window}",
                kind="return-due",
                urgency=Urgency.DUE_SOON,
                noun=noun,
                due=due,
                subject=subject,
                body=(
                    f"is due on {on(due)}, {left} business day{'s' if left != 1 else ''} "
                    "from today. It has not been submitted yet."
                    if left
                    else f"is due today, {on(due)}. It has not been submitted yet."
                ),
                users=_people(contract.lead_officer),
                emails=_contact_emails(contract),
            )


def returns_overdue(today: datetime.date) -> Iterator[AlertSpec]:
    """Returns still outstanding after their due date, escalated when long overdue."""
    managers = None
    for model, prefix, due_field, noun in KINDS:
        yesterday = today - datetime.timedelta(days=1)
        for return_ in _outstanding(model, due_field, due_by=yesterday):
            due = getattr(return_.period, due_field)
            contract = return_.period.contract
            late = _business_days(due, today)
            late_text = f"{late} business day{'s' if late != 1 else ''}"
            yield _spec(
                return_,
                key=f"{prefix}-overdue",
                kind="return-overdue",
                urgency=Urgency.MISSED,
                noun=noun,
                due=due,
                subject=f"{noun.capitalize()} overdue since {on(due)}",
                body=f"was due on {on(due)} and has not been submitted.",
                users=_people(contract.lead_officer, contract.deputy_officer),
            )
            if late >= LATE_ESCALATION:
                if managers is None:
                    managers = role_holders(Role.PDM)
                yield _spec(
                    return_,
                    key=f"{prefix}-overdue-10",
                    kind="return-overdue-escalated",
                    urgency=Urgency.MISSED,
                    noun=noun,
                    due=due,
                    subject=f"{noun.capitalize()} {late_text} overdue",
                    body=(f"was due on {on(due)} and is still not submitted, {late_text} later."),
                    users=managers,
                )


#: Run before the providers each day: opens the quarter's periods and their returns.
PREPARE = [periods_ensure_all]

PROVIDERS: list = [returns_due, returns_overdue]

__all__ = ["PREPARE", "PROVIDERS", "returns_due", "returns_overdue"]
