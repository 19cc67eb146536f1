"""A record's history as a person reads it: who, when, why, and each field's change."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db import models
from django.utils.text import capfirst

_TYPES = {"+": "Created", "~": "Changed", "-": "Deleted"}
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
    return str(value)


def history_entries(instance: models.Model) -> list[HistoryEntry]:
    """Newest first. Costs a fixed number of queries: the history rows with their
    users, then one query per kind of related record named in the changes."""
    records = list(
        instance.history.select_related("history_user").order_by("history_date", "history_id")
    )
    tracked = [
        f
        for f in instance._meta.concrete_fields
        # Fields users cannot edit (a status, a derived end date) still change through
        # services, and those changes are what a reader most needs to see.
        if f.name not in _SKIPPED and not f.many_to_many and not getattr(f, "auto_now", False)
    ]
    # Collect every foreign key value the rows mention, and name them in one query each.
    wanted: dict[type, set] = {}
    for record in records:
        for f in tracked:
            if f.is_relation:
                value = getattr(record, f.attname)
                if value is not None:
                    wanted.setdefault(f.related_model, set()).add(value)
    related_names = {}
    for model, ids in wanted.items():
        manager = model._base_manager
        for obj in manager.filter(pk__in=ids):
            related_names[(model, obj.pk)] = str(obj)

    entries = []
    previous = None
    for record in records:
        changes = []
        for f in tracked:
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
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=(user.get_full_name() or user.username) if user else "System",
                action=_TYPES.get(record.history_type, record.history_type),
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
        previous = record
    entries.reverse()
    return entries
