"""Forms in GOV.UK Design System markup: every form renders through these templates,
with an error summary at the top and each error message beside its field."""

import datetime
import functools
import re

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import fields as model_fields
from django.forms import fields as form_fields
from django.forms import models as model_forms
from django.forms.renderers import TemplatesSetting
from django.utils import timezone

from governance.core.datepolicy import validate_in_default_range
from governance.core.models.base import DocumentCategory


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "govuk/forms/form.html"
    field_template_name = "govuk/forms/field.html"


# -- Error messages written for their field ---------------------------------------------
#
# Django's own messages ("This field is required.", "Enter a whole number.", "Select a
# valid choice. 7 is not one of the available choices.") do not say which answer is
# wrong or how to put it right. Every form built on the bases below has them replaced,
# just before it validates, with messages made from the field's label, as the GOV.UK
# Design System writes them: "Enter the inherent likelihood, from 1 to 5". A message a
# form sets itself is kept.

_QUESTION_WORDS = ("is ", "are ", "does ", "do ", "has ", "have ", "was ", "were ", "will ")
_OWN_ARTICLE = ("the ", "a ", "an ", "your ", "who ", "what ", "when ", "where ", "why ")
_OWN_ARTICLE += ("how ", "which ", "whether ", "any ", "each ", "every ", "all ")
_PREPOSITIONS = {"to", "by", "for", "on", "after", "before", "from", "with", "of", "at", "in"}


@functools.cache
def django_messages() -> frozenset[str]:
    """Every message Django's form fields, validators and model fields give by default."""
    found = set()
    for module in (form_fields, model_forms):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, forms.Field):
                found.update(str(m) for m in value.default_error_messages.values())
    for value in vars(validators).values():
        if isinstance(value, type):
            messages = [getattr(value, "message", "")]
            if isinstance(getattr(value, "messages", None), dict):
                messages += list(value.messages.values())
            found.update(str(message) for message in messages if message)
    found.update(str(m) for m in model_fields.Field.default_error_messages.values())
    # The date field's own "Enter the date." does not say which date either.
    found.add("Enter the date.")
    return frozenset(found)


def _noun(label: str) -> str:
    """The label as it reads inside a sentence: "Inherent likelihood" -> "inherent
    likelihood"; an abbreviation stays as it is ("KPI name")."""
    first = label.split(" ", 1)[0]
    if len(first) > 1 and first[:2].isupper():
        return label
    return label[:1].lower() + label[1:]


def _limits(field, model_field=None) -> tuple:
    """The lowest and highest values ``field`` accepts, where both are known: from its
    bounds, its validators (and its model field's), or whole-number choices in a run."""
    low = getattr(field, "min_value", None)
    high = getattr(field, "max_value", None)
    checks = [*field.validators, *getattr(model_field, "validators", ())]
    for check in checks:
        if isinstance(check, validators.MinValueValidator) and not callable(check.limit_value):
            low = check.limit_value if low is None else max(low, check.limit_value)
        elif isinstance(check, validators.MaxValueValidator) and not callable(check.limit_value):
            high = check.limit_value if high is None else min(high, check.limit_value)
    # A model's choices are rows: reading them would cost a query per form.
    given = () if isinstance(field, forms.ModelChoiceField) else getattr(field, "choices", ())
    choices = [value for value, _ in given if value not in ("", None)]
    whole = choices and all(isinstance(value, int) for value in choices)
    if whole and sorted(choices) == list(range(min(choices), max(choices) + 1)):
        low, high = min(choices), max(choices)
    return low, high


def field_messages(field, name: str, model_field=None) -> dict[str, str]:
    """Messages for each way ``field`` can be wrong, made from its label."""
    label = str(field.label or name.replace("_", " ").capitalize()).strip().rstrip(":")
    if label.endswith("?") or label.lower().startswith(_QUESTION_WORDS):
        answer = f"Answer the question “{label}”"
        return dict.fromkeys(("required", "invalid", "invalid_choice", "null", "blank"), answer)
    noun = _noun(label)
    the_noun = noun if noun.lower().startswith(_OWN_ARTICLE) else f"the {noun}"
    if label.lower().rsplit(" ", 1)[-1] in _PREPOSITIONS:
        # "Allocated to", "Ends on or after": not a thing to name, so quote it.
        the_noun = f"“{label}”"
    subject = label[:1].upper() + label[1:]
    low, high = _limits(field, model_field)
    span = f", from {low} to {high}" if low is not None and high is not None else ""
    if isinstance(field, forms.BooleanField):
        required = f"Select “{label}” to continue"
        messages = {}
    elif isinstance(field, forms.FileField):
        required = f"Select {the_noun}"
        messages = {
            "missing": required,
            "invalid": f"{subject} could not be read: select the file again",
            "empty": f"{subject} is empty",
            "max_length": f"The name of {the_noun} must be %(max)d characters or fewer",
        }
    elif isinstance(field, (forms.ChoiceField, forms.ModelChoiceField)):
        required = f"Select {the_noun}{span}"
        messages = {"invalid_choice": required, "invalid_pk_value": required}
        if isinstance(field, (forms.MultipleChoiceField, forms.ModelMultipleChoiceField)):
            messages["invalid_list"] = required
    elif isinstance(field, (forms.IntegerField, forms.DecimalField, forms.FloatField)):
        # Django's DecimalField and FloatField are IntegerFields too.
        whole = not isinstance(field, forms.DecimalField | forms.FloatField)
        if span:
            required = f"Enter {the_noun}{span}"
            messages = {"invalid": required, "min_value": required, "max_value": required}
        else:
            required = f"Enter {the_noun}"
            messages = {
                "invalid": f"{subject} must be {'a whole number' if whole else 'a number'}",
                "min_value": f"{subject} must be %(limit_value)s or more",
                "max_value": f"{subject} must be %(limit_value)s or less",
            }
        messages |= {
            "step_size": f"{subject} must be a multiple of %(limit_value)s",
            "max_digits": f"{subject} must be %(max)s digits or fewer",
            "max_decimal_places": f"{subject} must have no more than %(max)s decimal places",
            "max_whole_digits": f"{subject} is too large: it must be %(max)s digits or "
            "fewer before the decimal point",
        }
    elif isinstance(field, forms.DateTimeField):
        required = f"Enter {the_noun}"
        messages = {"invalid": f"Enter {the_noun} as a date and time, like 4 12 2026 14:30"}
    elif isinstance(field, forms.DateField):
        required = f"Enter {the_noun}"
        # Typed in one box (filters): the formats settings.DATE_INPUT_FORMATS reads.
        messages = {"invalid": f"Enter a real date for “{label}”, like 4/12/2026"}
    elif isinstance(field, forms.TimeField):
        required = f"Enter {the_noun}"
        messages = {"invalid": f"Enter {the_noun} like 14:30"}
    elif isinstance(field, forms.EmailField):
        required = f"Enter {the_noun}"
        messages = {"invalid": f"Enter {the_noun} in the correct format, like name@example.gov.uk"}
    elif isinstance(field, forms.URLField):
        required = f"Enter {the_noun}"
        messages = {
            "invalid": f"Enter {the_noun} in the correct format, like https://www.example.gov.uk"
        }
    else:
        required = f"Enter {the_noun}"
        messages = {"invalid": f"Enter {the_noun} in the correct format"}
    return _escaped(
        field,
        {
            "required": required,
            "null": required,
            "blank": required,
            "max_length": f"{subject} must be %(limit_value)d characters or fewer",
            "min_length": f"{subject} must be %(limit_value)d characters or more",
            "unique": f"There is already a record with this {noun}",
            "null_characters_not_allowed": f"{subject} must not contain a null character",
            **messages,
        },
    )


#: Messages Django fills in from the error's params (``message % params``): a "%" of the
#: label's own ("Change in term (%)") must be doubled there, and only there.
_WITH_PARAMS = {
    "invalid_choice",
    "invalid_pk_value",
    "max_length",
    "min_length",
    "min_value",
    "max_value",
    "step_size",
    "max_digits",
    "max_decimal_places",
    "max_whole_digits",
    "unique",
    "null_characters_not_allowed",
}
_LONE_PERCENT = re.compile(r"%(?!\((?:limit_value|max)\)[sd])")


def _escaped(field, messages: dict[str, str]) -> dict[str, str]:
    with_params = set(_WITH_PARAMS)
    if isinstance(field, forms.EmailField | forms.URLField):
        with_params.add("invalid")  # raised by a validator, with the value as a param
    return {
        key: _LONE_PERCENT.sub("%%", message) if key in with_params else message
        for key, message in messages.items()
    }


def _validator_codes(checks) -> tuple[set[str], set[str]]:
    """The error codes of ``checks`` that give Django's own message, and those whose
    message someone wrote (which stay)."""
    default, written = set(), set()
    for check in checks:
        if isinstance(check, validators.DecimalValidator):
            default.update(check.messages)
            continue
        code = getattr(check, "code", None)
        if code is None:
            continue
        own = getattr(type(check), "message", None)
        (default if getattr(check, "message", None) is own else written).add(code)
    return default, written


def plain_error_messages(form) -> None:
    """Replace every Django default message of ``form``'s fields by one made for the
    field; messages the form, the field's validators or the model wrote stay."""
    meta = getattr(getattr(form, "_meta", None), "model", None)
    model_fields = {f.name: f for f in meta._meta.get_fields()} if meta is not None else {}
    for name, field in form.fields.items():
        model_field = model_fields.get(name)
        generated = field_messages(field, name, model_field)
        current = field.error_messages
        checks = [*field.validators, *getattr(model_field, "validators", ())]
        default_codes, written_codes = _validator_codes(checks)
        model_messages = getattr(model_field, "error_messages", {}) or {}
        for key, message in generated.items():
            if key in current:
                if str(current[key]) in django_messages():
                    current[key] = message
            elif key in written_codes:
                continue
            elif key in default_codes or key in ("null", "blank", "unique"):
                # Model-level codes: only where the model keeps Django's own message.
                if key in model_messages and str(model_messages[key]) not in django_messages():
                    continue
                current[key] = message


class PlainErrorsMixin:
    """Field-specific error messages for every form built on it. They are made when
    the form validates, so a label or requirement set in a form's ``__init__`` counts."""

    def full_clean(self):
        # Each field's messages are its own copy (Field.__init__ builds the dict).
        plain_error_messages(self)
        super().full_clean()


class GovukForm(PlainErrorsMixin, forms.Form):
    """The base of every form that is not a model's."""


class ChangeReasonMixin(PlainErrorsMixin, forms.Form):
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


class GovukModelForm(PlainErrorsMixin, forms.ModelForm):
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
