"""Shared write operations: every change to a governed record goes through here, so
it is validated, attributed to a person and given a reason in its history."""

from django.core.exceptions import ValidationError
from django.db import models, transaction


@transaction.atomic
def record_create(
    *, model: type[models.Model], fields: dict, actor, reason: str = ""
) -> models.Model:
    instance = model(**fields)
    record_save(instance=instance, actor=actor, reason=reason or "Record created")
    return instance


@transaction.atomic
def record_save(*, instance: models.Model, actor, reason: str) -> models.Model:
    """Validate and save ``instance``, stamping its history row with who and why."""
    if not reason or not reason.strip():
        raise ValidationError({"change_reason": "Give a reason for this change."})
    instance.full_clean()
    instance._history_user = actor
    instance._change_reason = reason.strip()
    instance.save()
    return instance


@transaction.atomic
def record_update(*, instance: models.Model, fields: dict, actor, reason: str) -> list[str]:
    """Apply ``fields`` to ``instance``; save only when something changed.

    Returns the names of the fields that changed (empty: nothing was saved).
    """
    changed = []
    for name, value in fields.items():
        field = instance._meta.get_field(name)
        if field.many_to_many:
            raise ValueError(f"{name} is many-to-many; update it in its own service")
        if getattr(instance, field.attname if field.is_relation else name) != (
            value.pk if field.is_relation and isinstance(value, models.Model) else value
        ):
            setattr(instance, name, value)
            changed.append(name)
    if changed:
        record_save(instance=instance, actor=actor, reason=reason)
    return changed


@transaction.atomic
def document_upload(*, attached_to: models.Model, upload, title: str, category: str, actor):
    """Attach a checked file to a record. Uploading the same title again adds a version."""
    from django.contrib.contenttypes.models import ContentType

    from ..documents import validate_upload
    from ..models import Document

    try:
        kind = validate_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    content_type = ContentType.objects.get_for_model(attached_to)
    latest = (
        Document.objects.select_for_update()
        .filter(content_type=content_type, object_id=attached_to.pk, title=title)
        .order_by("-version")
        .first()
    )
    document = Document(
        content_type=content_type,
        object_id=attached_to.pk,
        title=title,
        category=category,
        version=latest.version + 1 if latest else 1,
        file=upload,
        original_filename=upload.name[:255],
        media_type=kind.media_type,
        size_bytes=upload.size,
        uploaded_by=actor,
    )
    reason = f"Version {document.version} uploaded" if latest else "Document uploaded"
    return record_save(instance=document, actor=actor, reason=reason)
