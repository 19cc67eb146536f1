"""Whether a deadline is missed, due or coming up, said the same way everywhere.

A deadline is **missed** from the day after it, **due** from the day its warning window
opens up to and including the day itself, and **upcoming** before that. Each kind of
deadline names its warning window once, in ``WINDOWS``, chosen so that the first
reminder of the daily alert sweep arrives while the deadline shows as due.
Windows count business days (weekends and England & Wales bank holidays excluded) where
the rule setting the deadline is in business days, and calendar days otherwise.

The same rule is offered in three forms: ``classify`` for one date in Python (pages,
templates, exports), ``state_q`` for filtering a list in the database, and
``ordering`` for sorting missed deadlines first.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Case, DateField, F, IntegerField, Q, Value, When
from django.utils.formats import date_format

from governance.core.dates import add_business_days


class State(models.TextChoices):
    MISSED = "missed", "Missed"
    DUE = "due", "Due soon"
    UPCOMING = "upcoming", "Coming up"


#: GOV.UK tag colour of each state. The tag's words always say the state too.
COLOURS = {State.MISSED: "red", State.DUE: "orange", State.UPCOMING: "grey"}

#: The order deadlines are listed in: missed first.
RANK = {State.MISSED: 0, State.DUE: 1, State.UPCOMING: 2}
#: Rank of a row whose deadline no longer applies (met, or nothing to meet).
DONE_RANK = 3


@dataclass(frozen=True)
class Window:
    """How long before a deadline it counts as due."""

    days: int
    business: bool = False

    def last_due_day(self, today: datetime.date) -> datetime.date:
        """The latest deadline that is due on ``today``; later ones are upcoming."""
        if self.business:
            return add_business_days(today, self.days)
        return today + datetime.timedelta(days=self.days)

    def __str__(self) -> str:
        unit = "business day" if self.business else "day"
        return f"{self.days} {unit}{'' if self.days == 1 else 's'}"


# The kinds of deadline, each with its warning window.
EXIT_NOTICE = "exit_notice"
EXTENSION_DECISION = "extension_decision"
RETURN = "return"
ACTION = "action"
DISPUTE = "dispute"
CHECKLIST_EXPIRY = "checklist_expiry"
HEALTH_CHECK = "health_check"
EXIT_TASK = "exit_task"
NOTICE = "notice"
INVOICE_PAYMENT = "invoice_payment"
UK9_ASSESSMENT = "uk9_assessment"

WINDOWS: dict[str, Window] = {
    # Notice of plans, six months before the end: due from about three months before
    # it, when the nine-month reminder goes out.
    EXIT_NOTICE: Window(92),
    # An extension option's decision: the last reminder opens 20 business days ahead.
    EXTENSION_DECISION: Window(20, business=True),
    # Performance and financial returns: the first reminder opens 10 business days ahead.
    RETURN: Window(10, business=True),
    # Actions from meetings, disputes and health checks: reminded 3 business days ahead.
    ACTION: Window(3, business=True),
    # The stage 2 dispute meeting (10 business days from the notice) and the action
    # plan: reminded 3 business days ahead.
    DISPUTE: Window(3, business=True),
    # Checklist evidence: flagged for renewal three months before it expires (the
    # provider's own reminder follows 30 days before).
    CHECKLIST_EXPIRY: Window(90),
    # The annual relationship health check: a month's notice.
    HEALTH_CHECK: Window(30),
    # Tasks of an exit plan: a fortnight's notice.
    EXIT_TASK: Window(14),
    # Notices owed on Find a Tender under the Procurement Act 2023: flagged 10 business
    # days before they are due, when the first reminder goes out.
    NOTICE: Window(10, business=True),
    # An undisputed invoice, due 30 days after it arrives: flagged a working week ahead.
    INVOICE_PAYMENT: Window(5, business=True),
    # A published KPI's yearly performance assessment (Procurement Act 2023, s.71): owed
    # by the sweep, and due, from 30 days before the 12 months end.
    UK9_ASSESSMENT: Window(30),
}


def _days(count: int) -> str:
    return f"{count} day{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class Deadline:
    on: datetime.date
    state: State
    #: Calendar days from today to the deadline: negative once it has passed.
    days: int

    @property
    def label(self) -> str:
        """The tag's words: "Missed 65 days ago", "Due today", "Due in 5 days"."""
        if self.state == State.MISSED:
            return "Missed yesterday" if self.days == -1 else f"Missed {_days(-self.days)} ago"
        if self.days == 0:
            return "Due today"
        if self.days == 1:
            return "Due tomorrow"
        return f"Due in {_days(self.days)}"

    @property
    def colour(self) -> str:
        return COLOURS[self.state]

    @property
    def rank(self) -> int:
        return RANK[self.state]

    @property
    def missed(self) -> bool:
        return self.state == State.MISSED

    def __str__(self) -> str:
        """In words with the date, for exports: "Missed 65 days ago (12 March 2025)"."""
        return f"{self.label} ({date_format(self.on, 'DATE_FORMAT')})"


def classify(on: datetime.date | None, *, today: datetime.date, kind: str) -> Deadline | None:
    """The state of a deadline on ``today``; None when there is no date."""
    if on is None:
        return None
    days = (on - today).days
    if on < today:
        state = State.MISSED
    elif on <= WINDOWS[kind].last_due_day(today):
        state = State.DUE
    else:
        state = State.UPCOMING
    return Deadline(on=on, state=state, days=days)


# -- In the database -----------------------------------------------------------------------


def state_q(state: str, field_name: str, *, today: datetime.date, kind: str, open_q=None) -> Q:
    """Rows whose deadline in ``field_name`` is in ``state`` on ``today``. ``open_q``
    selects the rows the deadline still applies to (an open action, a return not yet
    submitted); the others are in no state."""
    last_due = WINDOWS[kind].last_due_day(today)
    conditions = {
        State.MISSED: Q(**{f"{field_name}__lt": today}),
        State.DUE: Q(**{f"{field_name}__gte": today, f"{field_name}__lte": last_due}),
        State.UPCOMING: Q(**{f"{field_name}__gt": last_due}),
    }
    condition = conditions[State(state)]
    return condition & open_q if open_q is not None else condition


def rank_expression(field_name: str, *, today: datetime.date, kind: str, open_q=None) -> Case:
    """0 for a missed deadline, 1 due, 2 upcoming, 3 when it no longer applies or has
    no date."""
    return Case(
        *(
            When(
                state_q(state, field_name, today=today, kind=kind, open_q=open_q), then=Value(rank)
            )
            for state, rank in RANK.items()
        ),
        default=Value(DONE_RANK),
        output_field=IntegerField(),
    )


def ordering(
    field_name: str, *, today: datetime.date, kind: str, open_q=None, then: list | None = None
) -> list:
    """Missed deadlines first (the longest missed at the top), then due, then upcoming,
    soonest first; rows whose deadline no longer applies last, the latest first (or in
    the order ``then`` gives)."""
    applies = Q(**{f"{field_name}__isnull": False})
    if open_q is not None:
        applies &= open_q
    pending = Case(When(applies, then=F(field_name)), default=None, output_field=DateField())
    return [
        rank_expression(field_name, today=today, kind=kind, open_q=open_q).asc(),
        pending.asc(nulls_last=True),
        *([F(field_name).desc(nulls_last=True)] if then is None else then),
    ]


# -- Grouped for the dashboard ---------------------------------------------------------------


@dataclass
class Group:
    """One state's deadlines in a panel: all of them counted, the first few listed."""

    state: str
    label: str
    count: int
    url: str = ""
    rows: list = field(default_factory=list)

    @property
    def missed(self) -> bool:
        return self.state == State.MISSED

    @property
    def more(self) -> int:
        return self.count - len(self.rows)


def group(
    rows: Iterable[Any],
    *,
    state_of: Callable[[Any], str],
    counts: dict[str, int],
    labels: dict[str, str] | None = None,
    urls: dict[str, str] | None = None,
) -> list[Group]:
    """The listed rows under their state's heading, missed first; a state with rows
    counted but none listed still has its heading, count and link. ``counts`` gives
    every state's full count (listed or not), in the order the groups appear."""
    labels = {**dict(State.choices), **(labels or {})}
    urls = urls or {}
    groups = {
        state: Group(state=state, label=labels[state], count=count, url=urls.get(state, ""))
        for state, count in counts.items()
    }
    for row in rows:
        groups[state_of(row)].rows.append(row)
    return [g for g in groups.values() if g.count]
