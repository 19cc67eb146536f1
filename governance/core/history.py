"""A record's history as a person reads it: who, when, why, and each field's change."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import models
from django.utils.text import capfirst

from governance.core import wording

ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}
_SKIPPED = {"id", "created_at", "updated_at"}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    action: str
    reason: str
    changes: list[FieldChange] = field(default_factory=list)


def _display(model_field, value, related_names: dict) -> str:
    if value is None or value == "":
        return "(blank)"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        return related_names.get((model_field.related_model, value), f"#{value}")
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Decimal):
        return f"{value:,}"
    if isinstance(value, date):
        return wording.datetime_words(value)
    return str(value)


def tracked_fields(model: type[models.Model]) -> list[models.Field]:
    """The fields whose changes a reader sees. Fields users cannot edit (a status, a
    derived end date) still change through services, and those changes are what a
    reader most needs to see."""
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in _SKIPPED and not f.many_to_many and not getattr(f, "auto_now", False)
    ]


def mentioned_ids(fields: list[models.Field], records, wanted: dict[type, set]) -> None:
    """Add to ``wanted`` every foreign key value the history rows mention, by model, so
    each kind of related record can be named in one query."""
    for record in records:
        for f in fields:
            if f.is_relation:
                value = getattr(record, f.attname)
                if value is not None:
                    wanted.setdefault(f.related_model, set()).add(value)


def field_changes(fields: list[models.Field], previous, record, related_names: dict):
    """Each field's change from the ``previous`` history row to ``record`` (every field
    with a value when there is no previous row: the record was created)."""
    changes = []
    for f in fields:
        new = getattr(record, f.attname)
        old = getattr(previous, f.attname) if previous is not None else None
        if previous is None and new in (None, ""):
            continue
        if previous is None or old != new:
            changes.append(
                FieldChange(
                    label=capfirst(str(f.verbose_name)),
                    old="" if previous is None else _display(f, old, related_names),
                    new=_display(f, new, related_names),
                )
            )
    return changes


def changed_by(record, nobody: str = "System") -> str:
    """Who made the change a history row records (``nobody`` when no person did)."""
    user = record.history_user
    return str(user) if user else nobody


def related_names(wanted: dict[type, set], name=str) -> dict:
    """``name`` of every related record in ``wanted`` (from ``mentioned_ids``), keyed by
    (model, pk) for ``field_changes``: one query per kind of record."""
    names = {}
    for model, ids in wanted.items():
        for obj in model._base_manager.filter(pk__in=ids):
            names[(model, obj.pk)] = name(obj)
    return names


def history_entry(row, previous, fields, names, entry=HistoryEntry, **extra):
    """One history ``row`` as a reader sees it: when, who, what kind of change, why, and
    each of ``fields`` that changed since ``previous`` (the same record's row before)."""
    return entry(
        when=row.history_date,
        who=changed_by(row),
        action=ACTIONS.get(row.history_type, row.history_type),
        reason=row.history_change_reason or "",
        changes=field_changes(fields, previous, row, names),
        **extra,
    )


def history_entries(instance: models.Model) -> list[HistoryEntry]:
    """Newest first. Costs a fixed number of queries: the history rows with their
    users, then one query per kind of related record named in the changes."""
    records = list(
        instance.history.select_related("history_user").order_by("history_date", "history_id")
    )
    tracked = tracked_fields(type(instance))
    wanted: dict[type, set] = {}
    mentioned_ids(tracked, records, wanted)
    names = related_names(wanted)
    entries = []
    previous = None
    for record in records:
        entries.append(history_entry(record, previous, tracked, names))
        previous = record
    entries.reverse()
    return entries
