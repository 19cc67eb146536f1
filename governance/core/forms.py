"""Forms in GOV.UK Design System markup: every form renders through these templates,
with an error summary at the top and each error message beside its field."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.renderers import TemplatesSetting
from django.utils import timezone

from governance.core.datepolicy import validate_in_default_range
from governance.core.models.base import DocumentCategory


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "govuk/forms/form.html"
    field_template_name = "govuk/forms/field.html"


class ChangeReasonMixin(forms.Form):
    """Asks why a record is changed; the answer is kept in the record's history."""

    change_reason = forms.CharField(
        label="Reason for this change",
        max_length=100,
        help_text="Kept in the record's history with your name and the time.",
        widget=forms.TextInput(),
        error_messages={"required": "Give a reason for this change."},
    )

    def __init__(self, *args, require_reason: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not require_reason:
            field = self.fields["change_reason"]
            field.required = False
            field.label = "Reason for adding this record"


class DocumentUploadForm(forms.Form):
    title = forms.CharField(
        max_length=200,
        help_text="Uploading a file with the same title as an existing one adds a new version.",
    )
    category = forms.ChoiceField(choices=DocumentCategory.choices)
    file = forms.FileField(
        label="File",
        help_text="PDF, DOCX, XLSX, CSV, PNG or JPEG, without macros or scripts. Photos are "
        "kept without their hidden details, such as where they were taken.",
        error_messages={"required": "Choose a file to upload."},
    )


class GovukDateWidget(forms.MultiWidget):
    """Day, month and year boxes, as the GOV.UK date input pattern asks."""

    def __init__(self, attrs=None):
        numeric = {"inputmode": "numeric"}
        super().__init__(
            {
                "day": forms.TextInput(attrs=numeric),
                "month": forms.TextInput(attrs=numeric),
                "year": forms.TextInput(attrs=numeric),
            },
            attrs,
        )

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateField(forms.Field):
    """A date typed as day, month and year, with the GOV.UK error messages. A date
    outside the date policy's outer range is refused here, before anything computes
    with it; the model's own range is checked when the record is validated."""

    widget = GovukDateWidget
    default_error_messages = {"required": "Enter the date."}
    default_validators = [validate_in_default_range]

    def __init__(self, *args, **kwargs):
        if not kwargs.get("help_text"):
            kwargs["help_text"] = "For example, 31 3 2027"
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if isinstance(value, datetime.date):
            return value
        if not value:
            return None
        label = str(self.label or "The date")
        if not isinstance(value, list | tuple) or len(value) != 3:
            raise ValidationError(f"{label} must be a real date.")
        parts = [str(part or "").strip() for part in value]
        if not any(parts):
            return None
        missing = [
            name for name, part in zip(("day", "month", "year"), parts, strict=True) if not part
        ]
        if missing:
            raise ValidationError(f"{label} must include a {' and a '.join(missing)}.")
        # ASCII digits only: str.isdigit() also accepts digits int() cannot read ("²").
        if not all(part.isascii() and part.isdigit() for part in parts):
            raise ValidationError(f"{label} must be a real date, written in numbers.")
        if len(parts[2]) != 4:
            raise ValidationError(
                f"Year must include 4 numbers, like {datetime.date.today().year}."
            )
        if any(len(part.lstrip("0")) > 2 for part in parts[:2]):
            raise ValidationError(f"{label} must be a real date.")
        day, month, year = (int(part.lstrip("0") or "0") for part in parts)
        try:
            return datetime.date(year, month, day)
        except ValueError:
            raise ValidationError(f"{label} must be a real date.") from None


class GovukDecimalField(forms.DecimalField):
    """Numbers as people type them: "£1,250,000.00" and "1250000" are the same. A text
    box, not type=number, as GOV.UK asks: browsers reject commas in number inputs."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"})

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", "").replace("£", "").replace(" ", "")
        return super().to_python(value)


def govuk_formfield(model_field, **kwargs):
    """ModelForm fields in GOV.UK patterns: dates as day, month and year boxes, and
    numbers that accept thousands separators and a pound sign."""
    if isinstance(model_field, models.DateField) and not isinstance(
        model_field, models.DateTimeField
    ):
        kwargs["form_class"] = GovukDateField
    elif isinstance(model_field, models.DecimalField):
        kwargs["form_class"] = GovukDecimalField
    return model_field.formfield(**kwargs)


class GovukModelForm(forms.ModelForm):
    class Meta:
        formfield_callback = govuk_formfield


_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*([ap]\.?m\.?)?$", re.IGNORECASE)


def parse_time(text: str) -> datetime.time:
    """A time as people type it: 14:30, 14.30, 2:30pm or 2pm."""
    match = _TIME.match(text.strip().replace(" ", ""))
    if not match:
        raise ValidationError("Enter the time like 14:30 or 2:30pm.")
    hour, minute = int(match[1]), int(match[2] or 0)
    suffix = (match[3] or "").replace(".", "").lower()
    if suffix:
        if not 1 <= hour <= 12:
            raise ValidationError("Enter the time like 14:30 or 2:30pm.")
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    if hour > 23 or minute > 59:
        raise ValidationError("Enter a real time, like 14:30.")
    return datetime.time(hour, minute)


class GovukTimeField(forms.CharField):
    """A time of day in a short text box, typed as people write it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "For example, 14:30 or 2:30pm")
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"class": "govuk-input--width-5", "maxlength": 10})
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        return parse_time(text) if text else None


def join_date_and_time(cleaned: dict, date_name: str, time_name: str) -> dict:
    """Put a date field and a time field typed apart back into one aware datetime under
    the date field's name (dropped when either part is missing or wrong)."""
    day, time = cleaned.get(date_name), cleaned.pop(time_name, None)
    if day is not None and time is not None:
        cleaned[date_name] = timezone.make_aware(datetime.datetime.combine(day, time))
    else:
        cleaned.pop(date_name, None)
    return cleaned
