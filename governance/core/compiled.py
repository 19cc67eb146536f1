"""A read whose SQL the ORM writes once and then runs with each call's values.

A busy page's one complex query (several counting subqueries of one row, say) can take
the ORM several times longer to build and write as SQL than the database takes to run it.
``CompiledRead`` builds such a query once per database connection, from the same
queryset code as ever (so every rule stays in the ORM, in one place), with stand-in
values where each call's own go; each call then runs that SQL with its values put in, and
reads the row through the ORM's own converters (dates and decimals come back as the
ORM would give them).

    figures = CompiledRead(
        lambda contract_id, today: Contract.objects.filter(pk=contract_id).values(...),
        contract_id=-7_310_911,
        today=datetime.date(1901, 2, 3),
    )
    figures.one(contract_id=contract.pk, today=today)  # a dict, or None

Stand-ins are values no real call could pass and no rule holds as a constant: a negative
id, a date long past. Each must reach the SQL as a parameter, at least once.
"""

import datetime
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet, Value


class CompiledRead:
    def __init__(self, build: Callable[..., QuerySet], **stand_ins: Any):
        self.build = build
        self.stand_ins = stand_ins
        self._local = threading.local()  # each thread has its own connections

    @staticmethod
    def _adapt(connection, value):
        """A value as the ORM sends it as a parameter of a date or id lookup. A date-time
        is refused: a date lookup would compare it differently on each database."""
        if isinstance(value, datetime.datetime):
            raise TypeError("CompiledRead takes dates and ids, not date-times.")
        if isinstance(value, datetime.date):
            return connection.ops.adapt_datefield_value(value)
        return value

    def _compiled(self, connection):
        compiled = getattr(self._local, "compiled", None)
        if compiled is None or compiled[0] is not connection:
            queryset = self.build(**self.stand_ins)
            compiler = queryset.query.get_compiler(connection=connection)
            sql, params = compiler.as_sql()
            slots = {}
            for name, stand_in in self.stand_ins.items():
                adapted = self._adapt(connection, stand_in)
                slots[name] = [i for i, param in enumerate(params) if param == adapted]
                if not slots[name]:
                    raise ValueError(f"The stand-in for {name!r} does not reach the SQL.")
            query = queryset.query
            # Named as Django's own .values() names them, in the order it selects them.
            names = (
                list(query.selected)
                if query.selected
                else [*query.extra_select, *query.values_select, *query.annotation_select]
            )
            compiled = (connection, compiler, sql, list(params), slots, names)
            self._local.compiled = compiled
        return compiled

    def one(self, using: str = DEFAULT_DB_ALIAS, **values: Any) -> dict | None:
        """The query's first row for ``values``, as ``.values()`` gives it; None when
        there is none."""
        connection = connections[using]
        _, compiler, sql, params, slots, names = self._compiled(connection)
        params = list(params)
        for name, positions in slots.items():
            adapted = self._adapt(connection, values[name])
            for position in positions:
                params[position] = adapted
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        [converted] = list(compiler.results_iter(results=[[row]]))
        return dict(zip(names, converted, strict=True))


# -- Reads whose SQL is kept for the same inputs --------------------------------------------


def user_scope_key(user) -> tuple:
    """Everything ``restrict()`` and the models' ``scope()`` read of a user, so that two
    users with the same key are shown the same rows by the same SQL: who they are, whether
    they may sign in, their roles, their permissions and their organisation. A ``scope()``
    that reads anything more of the user must add it here."""
    if user is None or not user.is_authenticated:
        return ("anonymous",)
    return (
        user.pk,
        user.is_active,
        user.is_superuser,
        user.organisation_id,
        user.role_codes,
        frozenset(user.get_all_permissions()),
    )


def _is_user(value) -> bool:
    meta = getattr(value, "_meta", None)
    return meta is not None and meta.label == settings.AUTH_USER_MODEL


#: What a reused read's arguments may be, besides a user: values whose equality says the
#: SQL is the same. A model instance is refused, as its SQL may read more than its id.
_PLAIN = (type(None), bool, int, str, datetime.date)


def _key_part(value):
    if _is_user(value):
        return ("user", user_scope_key(value))
    if isinstance(value, tuple):
        return tuple(_key_part(item) for item in value)
    if isinstance(value, datetime.datetime) or not isinstance(value, _PLAIN):
        raise TypeError(
            f"A reused read takes users, dates, numbers, text and tuples of them, "
            f"not {type(value).__name__}."
        )
    return (type(value).__name__, value)


class ReusedRead:
    """A read whose SQL the ORM writes once for the same arguments, then runs again.

    ``build(*args, **kwargs)`` returns a queryset; ``rows()`` returns its rows (model
    instances, dicts or tuples, as the queryset gives them), every time read afresh from
    the database. The SQL written for one set of arguments is kept, per database
    connection, and run again the next time the same arguments come: a dashboard built
    afresh after each change, by the same user on the same day, writes its SQL once.

    The arguments are the whole input: ``build`` must be a function of them alone
    (module constants aside), which is why users are compared by ``user_scope_key`` and
    model instances are refused; it reads the default database (no ``.using()``). A
    build that reads the database while building (a content type looked up for the first
    time, say) is run but its SQL is not kept, as it may depend on what it read. Settings
    changes forget every kept SQL.
    """

    #: Kept SQL per read, thread and connection; the oldest is forgotten first. Each kept
    #: entry holds its query and compiler, about 40 KB: the dashboard's 14 reads keep at
    #: most about 18 MB a thread, for the last 32 users, scopes and days it was built for.
    SIZE = 32

    _all: "weakref.WeakSet[ReusedRead]"

    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self.__name__ = getattr(build, "__name__", "read")
        self.__doc__ = build.__doc__
        self._local = threading.local()
        ReusedRead._all.add(self)

    def clear(self) -> None:
        self._local = threading.local()

    def _kept(self, connection) -> OrderedDict:
        kept = getattr(self._local, "kept", None)
        if kept is None or kept[0] is not connection:
            kept = (connection, OrderedDict())
            self._local.kept = kept
        return kept[1]

    def _prepare(self, connection, args, kwargs):
        reads = []
        with connection.execute_wrapper(lambda execute, *rest: reads.append(1) or execute(*rest)):
            queryset = self.build(*args, **kwargs)
        query = queryset.query
        compiler = query.get_compiler(connection=connection)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # no row can match (a user who may see nothing)
            sql, params = "", ()
        # The next runs skip writing it: Django's own execute_sql asks as_sql() again.
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        empty = None
        if not sql and _is_totals(query):
            # As aggregate() answers when no row can match: each aggregate's empty value.
            empty = {
                name: expression.empty_result_set_value
                for name, expression in query.annotation_select.items()
            }
            if NotImplemented in empty.values():
                raise TypeError(
                    f"{self.__name__}: a total whose empty value needs the database to work "
                    "out cannot be a reused read."
                )
        return (queryset, compiler, empty), not reads

    def rows(self, *args, using: str = DEFAULT_DB_ALIAS, **kwargs) -> list:
        connection = connections[using]
        key = (_key_part(args), tuple((name, _key_part(v)) for name, v in sorted(kwargs.items())))
        kept = self._kept(connection)
        prepared = kept.get(key)
        if prepared is None:
            prepared, keep = self._prepare(connection, args, kwargs)
            if keep:
                kept[key] = prepared
                if len(kept) > self.SIZE:
                    kept.popitem(last=False)
        else:
            kept.move_to_end(key)
        queryset, compiler, empty = prepared
        if empty is not None:
            return [dict(empty)]
        run = queryset._chain()
        run.query.get_compiler = lambda *args, **kwargs: compiler
        return list(run)

    def one(self, *args, **kwargs):
        """The first row, or None when there is none."""
        rows = self.rows(*args, **kwargs)
        return rows[0] if rows else None


ReusedRead._all = weakref.WeakSet()


def reused(build: Callable[..., QuerySet]) -> ReusedRead:
    """``@reused`` on a function building a queryset from its arguments: see
    ``ReusedRead``."""
    return ReusedRead(build)


def forget_reused_sql(**kwargs) -> None:
    """Every reused read writes its SQL afresh (a setting may change what it says)."""
    for read in list(ReusedRead._all):
        read.clear()


setting_changed.connect(forget_reused_sql, dispatch_uid="forget-reused-sql")


def _is_totals(query) -> bool:
    """Whether ``query`` (a values query) is made by ``totals``: aggregates over every
    row, no grouping column selected."""
    annotations = query.annotation_select
    return (
        bool(annotations)
        and not query.values_select
        and all(expression.contains_aggregate for expression in annotations.values())
    )


def totals(queryset: QuerySet, **aggregates) -> QuerySet:
    """``queryset.aggregate(**aggregates)`` as a queryset of one row (a reused read can
    run it): the aggregates over every row, whatever the grouping would be."""
    return (
        queryset.order_by()
        .annotate(_all=Value(1))
        .values("_all")
        .annotate(**aggregates)
        .values(*aggregates)
    )
