"""The dashboard page, kept between requests until a record changes.

Building the dashboard reads every contract, return, risk and dispute the user can see
(about 60 ms for 2,000 contracts), and rendering the page adds more. The figures
change only when a record changes or the day turns, so the rendered page body is kept
in the cache (the template's ``{% cache %}`` block) under a key made of:

- the *generation* (``governance.core.kept``): a token replaced whenever a governed
  record is saved or deleted, so the next request builds afresh;
- the user and the scope ("mine" or "all"), as each user sees only their own records;
- today's date, as deadlines and overdue returns move with the day.

The generation, its signals and the setting ``DASHBOARD_CACHE_SECONDS`` that turns
keeping on are shared with everything else kept between requests; they are named here
too, as the dashboard was the first to use them.
"""

import datetime

from governance.core.kept import (  # noqa: F401 (the dashboard's names for them)
    GENERATION_KEY,
    IGNORED_MODELS,
    WATCHED_APPS,
    connect,
    enabled,
    generation,
    invalidate,
    record_changed,
    watched,
)
from governance.core.kept import key as kept_key


def key(user, scope: str, today: datetime.date) -> str:
    """What a kept dashboard is filed under: the generation, the user, the scope, the day.
    Empty when dashboards are not kept, so each is rendered afresh."""
    return kept_key(user.pk, scope, today.isoformat())
