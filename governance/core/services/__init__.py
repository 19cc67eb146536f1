"""Shared write operations: every change to a governed record goes through here, so
it is validated, attributed to a person and given a reason in its history."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models.fields.files import FieldFile

from governance.core.documents import CheckedUpload, check_upload
from governance.core.documents.extract import extract_text
from governance.core.models.base import Document

#: How many characters a history's reason column holds, unless its model says otherwise.
HISTORY_REASON_LENGTH = 100


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
    instance._change_reason = fitted_reason(reason.strip(), type(instance))
    instance.save()
    return instance


def fitted_reason(reason: str, model: type[models.Model] | None = None) -> str:
    """``reason`` as a history keeps it: one longer than the history's reason column
    (``model``'s, else the usual 100 characters) is cut at a word and ends in an
    ellipsis, rather than refused by the database after everything else was checked."""
    history = getattr(model, "history", None)
    limit = (
        history.model._meta.get_field("history_change_reason").max_length
        if history is not None
        else HISTORY_REASON_LENGTH
    )
    if len(reason) <= limit:
        return reason
    cut = reason[: limit - 1]
    if not reason[limit - 1].isspace():
        # Drop the word cut in two, unless that leaves less than half the room.
        whole_words = cut.rsplit(" ", 1)[0]
        if len(whole_words) >= limit // 2:
            cut = whole_words
    return cut.rstrip(" ,;:(") + "…"


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


# The files stored so far inside the innermost atomic_with_uploads block.
_stored_files: ContextVar[list[FieldFile] | None] = ContextVar("stored_files", default=None)


@contextmanager
def atomic_with_uploads() -> Iterator[None]:
    """A transaction in which files stored by ``document_upload`` are deleted again if
    it rolls back, so a refused or failed change leaves no file behind on disk.

    Use it instead of ``transaction.atomic`` on a service that stores a document and
    then does more that may fail. Files stored in a block that commits are handed to
    the enclosing block, if any, so they go if that one rolls back.
    """
    stored: list[FieldFile] = []
    token = _stored_files.set(stored)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        for file in stored:
            file.storage.delete(file.name)
        raise
    finally:
        _stored_files.reset(token)
    enclosing = _stored_files.get()
    if enclosing is not None:
        enclosing.extend(stored)


def _words_of(checked: CheckedUpload) -> str:
    checked.file.seek(0)
    data = checked.file.read()
    checked.file.seek(0)
    return extract_text(data, checked.kind.media_type)


def document_text_refresh(*, document: Document) -> bool:
    """Reads the words of a document uploaded before its text was kept; True when it
    found any. Only the text changes: no new version, nothing in the history."""
    with document.file.open("rb") as stored:
        text = extract_text(stored.read(), document.media_type)
    if text != document.text:
        Document.objects.filter(pk=document.pk).update(text=text)
        document.text = text
    return bool(text)


@atomic_with_uploads()
def document_upload(
    *,
    attached_to: models.Model,
    upload: UploadedFile | CheckedUpload,
    title: str,
    category: str,
    actor,
) -> Document:
    """Attach a checked file to a record. Uploading the same title again adds a version.

    ``upload`` may have been checked already with ``check_upload``: a service storing
    several files checks them all first, so one refused file leaves the others unstored
    and every refusal is reported at once.
    """
    if isinstance(upload, CheckedUpload):
        checked = upload
    else:
        try:
            checked = check_upload(upload)
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
        file=checked.file,
        original_filename=checked.original_name[:255],
        media_type=checked.kind.media_type,
        size_bytes=checked.size,
        uploaded_by=actor,
        text=_words_of(checked),
    )
    reason = f"Version {document.version} uploaded" if latest else "Document uploaded"
    record_save(instance=document, actor=actor, reason=reason)
    _stored_files.get().append(document.file)
    return document
