"""The alert engine. Each app offers what is due through ``<app>/alerts.py``, which
exposes ``PROVIDERS``: functions ``(today) -> iterable of AlertSpec``. The daily sweep
collects them, records each alert once under its key, and notifies its recipients in
the app and by email. The engine knows nothing of any app's models."""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

Provider = Callable[[datetime.date], Iterable["AlertSpec"]]


@dataclass(frozen=True)
class AlertSpec:
    """One thing that has become due, for some people.

    ``key`` must be unique for ever for this occasion: what, which record, which
    occasion (``"return-due-10:412:2027-07-21"``). A due date that moves makes a new
    occasion, so put the date in the key where it can move.
    """

    key: str
    kind: str
    subject: str
    body: str
    url: str
    users: tuple = ()  # users told in the app and by email
    emails: tuple[str, ...] = field(default=())  # addresses of people without accounts
