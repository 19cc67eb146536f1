"""Reading a record again, locked, before a step changes it."""

from typing import TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def locked(record: M, *related: str) -> M:
    """``record`` read again with its own row locked until the transaction ends, and
    ``related`` read with it (not locked). A step that checks the record's status and
    then changes it sees what a simultaneous step left, never a stale copy."""
    return (
        type(record)
        .objects.select_for_update(of=("self",))
        .select_related(*related)
        .get(pk=record.pk)
    )
