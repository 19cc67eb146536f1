"""What pages build from the records, kept between requests until a record changes.

Some things every page, or a busy page, works out from the records change only when a
record changes: what a user's roles let them do, the dashboard's figures, the body of a
contract's overview. Each is kept in the cache under a key that starts with the
*generation*: a token replaced whenever a governed record is saved or deleted (every
model of the governed apps, through Django's signals, and bulk writes through
``governance.core.signals``), so the next request builds afresh.

The generation is replaced at once for every change (so the same transaction, a request
or a test, sees it) and, for changes inside a transaction, once more when it commits
(so what another request built from the data as it was before the commit is never
reused).

The cache must be shared by every web worker (Redis, ``CACHE_URL``) for one worker's
change to reach the others: without Redis nothing is kept unless the setting
``DASHBOARD_CACHE_SECONDS`` asks for it, for a single-process server.

What a user's roles let them do depends on the accounts, roles and permissions alone,
so it is kept under a generation of its own (the *access generation*), replaced when a
user, a role, a permission or who holds which changes: a change to a contract leaves
everyone's permissions kept.

A key names everything what it keeps depends on besides the records: the user, or the
part of their roles that changes what is shown, and the day where deadlines move with it.
"""

import contextlib
import uuid
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from governance.core.signals import contract_inputs_changed, records_changed_in_bulk

GENERATION_KEY = "dashboard:generation"
ACCESS_GENERATION_KEY = "kept:access-generation"

#: What a user's roles and permissions are read from: the accounts, the roles (groups),
#: the permissions and the tables saying who holds which.
ACCESS_MODELS = frozenset(
    {
        "governance.user",
        "governance.user_groups",
        "governance.user_user_permissions",
        "auth.group",
        "auth.group_permissions",
        "auth.permission",
    }
)

#: Apps whose records kept pages read (auth: the groups that give a user a role and the
#: permissions each role holds).
WATCHED_APPS = frozenset({"contracts", "risks", "disputes", "governance", "auth"})

#: Records of the watched apps that nothing kept reads: saving them (thousands in a
#: daily sweep) leaves what is kept as it is.
IGNORED_MODELS = frozenset(
    {
        "governance.alert",
        "governance.notification",
        "governance.exportjob",
        "governance.packjob",
        "governance.reportaccess",
    }
)


def enabled() -> bool:
    return settings.DASHBOARD_CACHE_SECONDS > 0


def _token(name: str) -> str:
    token = cache.get(name)
    if token is None:
        cache.add(name, uuid.uuid4().hex, None)
        token = cache.get(name)
    return token


def generation() -> str:
    return _token(GENERATION_KEY)


def access_generation() -> str:
    return _token(ACCESS_GENERATION_KEY)


def invalidate() -> None:
    """Everything kept from the records so far is out of date."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def invalidate_access() -> None:
    """Every user's kept roles and permissions are out of date (and, since what a page
    shows depends on them, everything else kept too)."""
    cache.set(ACCESS_GENERATION_KEY, uuid.uuid4().hex, None)
    invalidate()


def _pending_in_transaction(func) -> bool:
    """True when this transaction will already run ``func`` on commit."""
    return any(pending is func for _savepoints, pending, _robust in connection.run_on_commit)


#: Set while a change is only tried and will be rolled back (``moves.refusal``): what is
#: kept stays valid, so nothing is invalidated.
_trial: ContextVar[bool] = ContextVar("kept_trial", default=False)


@contextlib.contextmanager
def trial() -> Iterator[None]:
    """Changes made inside are rolled back: they leave what is kept as it is."""
    token = _trial.set(True)
    try:
        yield
    finally:
        _trial.reset(token)


def record_changed(*, access: bool = False) -> None:
    if not enabled() or _trial.get():
        return
    func = invalidate_access if access else invalidate
    func()
    if connection.in_atomic_block and not _pending_in_transaction(func):
        transaction.on_commit(func)


def watched(model) -> bool:
    meta = model._meta
    return (
        meta.app_label in WATCHED_APPS
        and meta.label_lower not in IGNORED_MODELS
        # History rows are written beside the record, which is watched itself.
        and not model.__name__.startswith("Historical")
    )


def _on_change(sender, update_fields=None, **kwargs) -> None:
    # Signing in stamps the user's last login, which nothing kept shows.
    if update_fields is not None and set(update_fields) == {"last_login"}:
        return
    if watched(sender):
        record_changed(access=sender._meta.label_lower in ACCESS_MODELS)


def _on_bulk_change(sender, **kwargs) -> None:
    # A bulk write may touch anything, roles included.
    record_changed(access=True)


def connect() -> None:
    post_save.connect(_on_change, dispatch_uid="dashboard-cache-save")
    post_delete.connect(_on_change, dispatch_uid="dashboard-cache-delete")
    m2m_changed.connect(_on_change, dispatch_uid="dashboard-cache-m2m")
    contract_inputs_changed.connect(_on_bulk_change, dispatch_uid="dashboard-cache-inputs")
    records_changed_in_bulk.connect(_on_bulk_change, dispatch_uid="dashboard-cache-bulk")


def key(*parts) -> str:
    """The generation followed by ``parts``; empty when nothing is kept."""
    if not enabled():
        return ""
    return ":".join([generation(), *(str(part) for part in parts)])


def access_key(*parts) -> str:
    """The access generation followed by ``parts``; empty when nothing is kept."""
    if not enabled():
        return ""
    return ":".join(["access", access_generation(), *(str(part) for part in parts)])


def remember(parts: tuple, build: Callable[[], Any], *, access: bool = False) -> Any:
    """What ``build()`` returns, kept under ``parts`` until a record changes (with
    ``access``, until an account, a role or a permission changes). The key is taken
    before building, so what a change made meanwhile is never filed under the new
    generation."""
    name = access_key(*parts) if access else key(*parts)
    if not name:
        return build()
    value = cache.get(name)
    if value is None:
        value = build()
        cache.set(name, value, settings.DASHBOARD_CACHE_SECONDS)
    return value
