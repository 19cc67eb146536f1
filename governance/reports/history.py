"""A contract's change history across every record that belongs to it: who changed
what, when and why, read from simple-history's tables.

The records are found by following foreign keys down from the contract: every tracked
model with a key to the contract (variations, KPIs, periods, risks, meetings...), then
every tracked model with a key to one of those (returns, KPI results, risk reviews,
dispute events...), and so on. One query per tracked model, plus one per kind of
record the changes name, whatever the number of changes.
"""

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.text import capfirst

from contracts.register.models.contracts import Contract
from governance.core.history import (
    HistoryEntry,
    history_entry,
    mentioned_ids,
    related_names,
    tracked_fields,
)

#: Fields whose value names a record in the history rows, tried in order.
_LABEL_FIELDS = ("reference", "title", "name", "summary", "subject", "description")
MAX_DEPTH = 4


@dataclass
class ChangeRow(HistoryEntry):
    """A history entry with the section and record it belongs to."""

    section: str = ""
    record: str = ""


def _tracked_models() -> list[type[models.Model]]:
    """Models whose changes simple-history records."""
    found = []
    for model in apps.get_models():
        history = getattr(model, "history", None)
        if (
            history is not None
            and hasattr(history, "model")
            and not model.__name__.startswith("Historical")
        ):
            found.append(model)
    return found


def _owned_by(model, parents: set) -> list[models.ForeignKey]:
    """Foreign keys of ``model`` pointing at one of ``parents`` (not at itself)."""
    return [
        f
        for f in model._meta.concrete_fields
        if f.many_to_one and f.related_model in parents and f.related_model is not model
    ]


def _text_field(obj) -> str:
    """The first naming field stored on the row itself (never a property that could
    follow a relation and cost a query)."""
    stored = {f.attname for f in obj._meta.concrete_fields}
    for attribute in _LABEL_FIELDS:
        value = getattr(obj, attribute, None) if attribute in stored else None
        if value and isinstance(value, str):
            return " ".join(value.split())[:80]
    return ""


def _label(record, model) -> str:
    name = capfirst(str(model._meta.verbose_name))
    text = _text_field(record)
    return f"{name} {record.id}: {text}" if text else f"{name} {record.id}"


def contract_change_history(contract) -> list[ChangeRow]:
    """Every change to the contract and the records beneath it, oldest first."""

    tracked = _tracked_models()
    ids: dict[type, set] = {Contract: {contract.pk}}
    records: dict[type, list] = {}
    frontier = {Contract}
    records[Contract] = list(
        Contract.history.filter(id=contract.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    for _ in range(MAX_DEPTH):
        found = set()
        for model in tracked:
            if model in ids:
                continue
            keys = _owned_by(model, frontier)
            if not keys:
                continue
            condition = models.Q()
            for key in keys:
                condition |= models.Q(**{f"{key.attname}__in": ids[key.related_model]})
            rows = list(
                model.history.filter(condition)
                .select_related("history_user")
                .order_by("history_date", "history_id")
            )
            ids[model] = {row.id for row in rows}
            records[model] = rows
            found.add(model)
        if not found:
            break
        frontier = found
    return _rows(records)


def _rows(records: dict[type, list]) -> list[ChangeRow]:
    wanted: dict[type, set] = {}
    fields_of = {}
    for model, rows in records.items():
        fields_of[model] = tracked_fields(model)
        mentioned_ids(fields_of[model], rows, wanted)
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    names = related_names(
        wanted, lambda obj: str(obj) if isinstance(obj, user_model) else _short(obj)
    )
    result = []
    for model, rows in records.items():
        section = capfirst(str(model._meta.verbose_name_plural))
        previous_by_id = {}
        for row in rows:
            result.append(
                history_entry(
                    row,
                    previous_by_id.get(row.id),
                    fields_of[model],
                    names,
                    entry=ChangeRow,
                    section=section,
                    record=_label(row, model),
                )
            )
            previous_by_id[row.id] = row
    result.sort(key=lambda change: change.when)
    return result


def _short(obj) -> str:
    """A record's name without following its own relations (no extra queries)."""
    return _text_field(obj) or f"{capfirst(str(obj._meta.verbose_name))} {obj.pk}"
