"""The alert engine. Each app offers what is due through ``<app>/alerts.py``, which
exposes ``PROVIDERS``: functions ``(today) -> iterable of AlertSpec``. The daily sweep
collects them, records each alert once under its key, and notifies its recipients in
the app and by email. The engine knows nothing of any app's models."""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import models

Provider = Callable[[datetime.date], Iterable["AlertSpec"]]


class Urgency(models.IntegerChoices):
    """How soon someone must act, most urgent first (the order people see them in)."""

    MISSED = 1, "Missed"
    DUE_SOON = 2, "Due soon"
    INFO = 3, "For information"


class EmailChoice(models.TextChoices):
    """How a person wants the sweep's notifications by email. Missed deadlines are
    emailed at once whatever they choose: with the digest, all of a sweep's together in
    one email."""

    DIGEST = "digest", "One email a day listing everything new"
    IMMEDIATE = "immediate", "A separate email for each notification"


@dataclass(frozen=True)
class AlertSpec:
    """One thing that has become due, for some people.

    ``key`` must be unique for ever for this occasion: what, which record, which
    occasion (``"return-due-10:412:2027-07-21"``). A due date that moves makes a new
    occasion, so put the date in the key where it can move.

    ``urgency``: ``MISSED`` for a deadline already passed (emailed at once to
    everyone, one person's together, the most overdue first: by the date in the key),
    ``DUE_SOON`` for something to do before a date, ``INFO`` otherwise.
    """

    key: str
    kind: str
    subject: str
    body: str
    url: str
    users: tuple = ()  # users told in the app and by email
    emails: tuple[str, ...] = field(default=())  # addresses of people without accounts
    urgency: Urgency = Urgency.INFO
