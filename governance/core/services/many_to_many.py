"""Updating a record together with the lists of other records it links to."""

from django.db import models

from governance.core.services import record_save, record_update


def record_update_with_links(
    *, instance: models.Model, fields: dict, links: dict, actor, reason: str
) -> list[str]:
    """``record_update`` of ``fields``, then each many-to-many field named in ``links``
    set to its list of records where that list differs. Returns the names of what
    changed. When only the links changed, a history row still says who and why."""
    changed = record_update(instance=instance, fields=fields, actor=actor, reason=reason)
    for name, items in links.items():
        manager = getattr(instance, name)
        if {item.pk for item in items} != set(manager.values_list("pk", flat=True)):
            manager.set(items)
            changed.append(name)
    if changed and not set(changed) & set(fields):
        record_save(instance=instance, actor=actor, reason=reason)
    return changed


def record_save_with_links(*, instance: models.Model, links: dict, actor, reason: str):
    """``record_save`` of a new record, then each many-to-many field named in ``links``
    set to its list of records."""
    record_save(instance=instance, actor=actor, reason=reason)
    for name, items in links.items():
        getattr(instance, name).set(items)
    return instance
