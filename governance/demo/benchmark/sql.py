"""Replaying a request's SQL on a bare cursor: the floor under the page's time, what the
database alone needs to answer the statements the page sends."""

import re
import time

from django.db import connection, transaction

#: Transaction control recorded around the statements; the replay has its own.
_CONTROL = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b", re.IGNORECASE)
#: A select read through a server-side cursor (PostgreSQL), as Django records it.
_DECLARE = re.compile(
    r'^\s*DECLARE\s+"?[\w]+"?\s+NO SCROLL CURSOR\s+(?:WITH(?:OUT)? HOLD\s+)?FOR\s+',
    re.IGNORECASE,
)
_READ = re.compile(r"^\s*(SELECT|WITH)\b", re.IGNORECASE)


def reads(captured: list[dict]) -> list[str]:
    """The reads among statements recorded by ``CaptureQueriesContext``, ready to run
    again: transaction control dropped, server-side cursors turned back into selects.
    A page view writes nothing, so nothing else is expected; writes are left out."""
    statements = []
    for query in captured:
        sql = query["sql"]
        if _CONTROL.match(sql):
            continue
        sql = _DECLARE.sub("", sql, count=1)
        if _READ.match(sql):
            statements.append(sql)
    return statements


def time_statements(statements: list[str], iterations: int) -> list[float]:
    """Milliseconds to run every statement and fetch its rows, once per iteration, in a
    transaction as a request would."""
    times = []
    for _ in range(iterations):
        with transaction.atomic(), connection.cursor() as cursor:
            started = time.perf_counter()
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()
            times.append((time.perf_counter() - started) * 1000)
    return times
