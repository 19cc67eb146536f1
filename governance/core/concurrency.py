"""No lost update: a form carries the version of the record it was drawn from, and a
save is refused when the record has changed since, naming who changed it, when, and
which fields now differ from what the form showed.

A record's version is its latest history row (every change to a governed record goes
through ``record_save`` and leaves one). The check locks the record's row and runs in
the same transaction as the save that follows it, so two people saving at once are
taken in turn and the second is told. A form posted without a version (another client)
is not checked.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from governance.core.history import changed_by
from governance.core.wording import datetime_words

VERSION_FIELD = "record_version"


def current_version(instance: models.Model) -> str:
    """The id of the record's latest history row ("" for a record without history)."""
    history = getattr(instance, "history", None)
    if history is None or instance.pk is None:
        return ""
    latest = history.order_by("-history_id").values_list("history_id", flat=True).first()
    return str(latest or "")


def add_version_field(form: forms.BaseForm, instance: models.Model) -> forms.BaseForm:
    """Carry the record's version in the form as a hidden field (the version the page
    shows when drawn; the submitted one when the form is posted back)."""
    form.fields[VERSION_FIELD] = forms.CharField(required=False, widget=forms.HiddenInput)
    form.initial[VERSION_FIELD] = current_version(instance)
    return form


def take_version(form: forms.BaseForm) -> str:
    """The version a valid posted form was drawn from, taken out of its cleaned data so
    services never see it."""
    return (form.cleaned_data.pop(VERSION_FIELD, "") or "").strip()


class StaleRecord(ValidationError):
    """The record changed after the form was drawn; nothing was saved."""

    def __init__(self, message: str, *, current: str, fields: list[str]):
        super().__init__(message)
        self.current = current
        self.fields = fields


def _verbose(model: type[models.Model], name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:  # a history-only field
        return name.replace("_", " ")


def check_unchanged(instance: models.Model, seen: str) -> None:
    """Lock the record and refuse when it has changed since version ``seen``. Call it in
    the transaction that then saves."""
    if not seen or getattr(instance, "history", None) is None:
        return
    model = type(instance)
    # No ordering: a model ordered through a nullable relation would join it, and
    # PostgreSQL refuses to lock the nullable side of an outer join.
    locked = model._base_manager.select_for_update(of=("self",)).filter(pk=instance.pk)
    list(locked.order_by().values_list("pk"))
    current = current_version(instance)
    if current == seen:
        return
    rows = instance.history.select_related("history_user").order_by("-history_id")
    newer = list(rows.filter(history_id__gt=seen)) if seen.isdigit() else []
    latest = newer[0] if newer else rows.first()
    seen_row = rows.filter(history_id=seen).first() if seen.isdigit() else None
    fields: list[str] = []
    if seen_row is not None and latest is not None:
        fields = [
            field.name
            for field in seen_row.tracked_fields
            if field.name not in ("created_at", "updated_at")
            and getattr(latest, field.attname) != getattr(seen_row, field.attname)
        ]
    people = []
    for row in newer or [latest]:
        name = changed_by(row, nobody="someone")
        if name not in people:
            people.append(name)
    when = datetime_words(latest.history_date)
    who = " and ".join(people) if len(people) < 3 else f"{', '.join(people[:-1])} and {people[-1]}"
    what = (
        f": {', '.join(_verbose(model, name) for name in fields)} "
        f"{'differs' if len(fields) == 1 else 'differ'} from what you saw"
        if fields
        else ""
    )
    raise StaleRecord(
        f"{who[0].upper()}{who[1:]} changed this record on {when}, after you opened this "
        f"page{what}. Nothing you entered has been saved. Check the record as it is now; "
        "to keep your changes, save the form again.",
        current=current,
        fields=fields,
    )


def show_stale(form: forms.BaseForm, stale: StaleRecord) -> None:
    """Put the refusal on the form: in its summary, and beside each field that changed;
    the form now carries the current version, so saving again is a deliberate choice."""
    form.add_error(None, stale.messages[0])
    for name in stale.fields:
        if name in form.fields and name != VERSION_FIELD:
            form.add_error(name, "Someone else changed this since you opened the page.")
    if form.is_bound:
        form.data = form.data.copy()
        form.data[VERSION_FIELD] = stale.current
