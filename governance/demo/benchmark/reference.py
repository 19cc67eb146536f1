"""A fixed yardstick for the machine the benchmark runs on.

Absolute goals (milliseconds per page) depend on how fast the machine is that day: a
shared virtual machine can run at half its usual speed. The benchmark prints these two
measures beside its figures so that runs on different days, or different machines, can
be compared fairly: the same code takes longer in proportion when the yardstick does.
"""

import math
import statistics
import time

from django.db import connection

#: Additions in the pure-Python loop.
LOOP = 10_000_000


def python_seconds(repeat: int = 3, loop: int = LOOP) -> float:
    """The fastest of ``repeat`` runs of a plain loop of ``loop`` additions."""
    best = math.inf
    for _ in range(repeat):
        started = time.perf_counter()
        total = 0
        for number in range(loop):
            total += number
        best = min(best, time.perf_counter() - started)
    return best


def round_trip_ms(repeat: int = 200) -> float:
    """The median time of ``SELECT 1`` on the default database connection."""
    times = []
    with connection.cursor() as cursor:
        for _ in range(repeat):
            started = time.perf_counter()
            cursor.execute("SELECT 1")
            cursor.fetchone()
            times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def describe(loop: int = LOOP) -> str:
    seconds = python_seconds(loop=loop)
    return (
        f"Machine yardstick: {loop:,} additions in pure Python take {seconds:.2f}s (best of 3), "
        f"a SELECT 1 round trip {round_trip_ms():.2f} ms (median of 200). Compare runs by it: "
        "a slower yardstick stretches every figure below in proportion."
    )
