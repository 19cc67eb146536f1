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
from collections.abc import Callable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet


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
