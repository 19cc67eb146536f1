"""Template helpers for GOV.UK markup and British formats. Loaded as a builtin."""

import copy
from decimal import Decimal, InvalidOperation

import django_filters
from django import forms, template
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import LazyObject, empty
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from governance.core import wording
from governance.core.deadlines import Deadline, classify
from governance.core.forms import GovukDateWidget
from governance.templatetags._components import register_components

register = template.Library()

_WIDGET_CLASSES = {
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
    forms.SelectMultiple: "govuk-select",
    forms.ClearableFileInput: "govuk-file-upload",
    forms.FileInput: "govuk-file-upload",
    forms.CheckboxInput: "govuk-checkboxes__input",
}


def widget_kind(widget) -> str:

    if isinstance(widget, GovukDateWidget):
        return "date"
    # CheckboxSelectMultiple is a subclass of RadioSelect: ask about it first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    return "input"


@register.filter
def field_kind(bound_field) -> str:
    return widget_kind(bound_field.field.widget)


@register.filter
def field_anchor(bound_field) -> str:
    """The id the error summary links to: the first real option of a radio or checkbox
    group (blank choices are not shown), otherwise the input itself."""
    kind = widget_kind(bound_field.field.widget)
    if kind == "date":
        return f"{bound_field.auto_id}_0"
    if kind in ("radios", "checkboxes"):
        for option in bound_field:
            if str(option.data["value"]) != "":
                return option.id_for_label
    return bound_field.auto_id


@register.simple_tag
def date_parts(bound_field) -> list[dict]:
    """Day, month and year inputs of a GOV.UK date field, with their submitted values."""
    context = bound_field.field.widget.get_context(
        bound_field.html_name, bound_field.value(), {"id": bound_field.auto_id}
    )
    labels, widths = ("Day", "Month", "Year"), (2, 2, 4)
    return [
        {
            "label": label,
            "width": width,
            "name": sub["name"],
            "id": sub["attrs"]["id"],
            "value": "" if sub["value"] is None else sub["value"],
        }
        for label, width, sub in zip(labels, widths, context["widget"]["subwidgets"], strict=True)
    ]


@register.simple_tag
def govuk_widget(bound_field):
    """Render a field's widget with GOV.UK classes and the right aria-describedby."""
    widget = bound_field.field.widget
    css = next(
        (cls for kind, cls in _WIDGET_CLASSES.items() if isinstance(widget, kind)), "govuk-input"
    )
    if bound_field.errors and css != "govuk-checkboxes__input":
        css += f" {css}--error"
    extra = widget.attrs.get("class")
    attrs = {"class": f"{css} {extra}" if extra else css}
    described_by = []
    if bound_field.help_text:
        described_by.append(f"{bound_field.auto_id}-hint")
    if bound_field.errors:
        described_by.append(f"{bound_field.auto_id}-error")
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if type(widget) in (forms.Select, forms.SelectMultiple):
        return _select(bound_field, attrs)
    return bound_field.as_widget(attrs=attrs)


class _Rows(list):
    """A queryset's rows, read at once, in the shape ModelChoiceIterator iterates."""

    _prefetch_related_lookups = ()

    def iterator(self):
        return iter(self)

    def count(self):
        return len(self)


def _choices(widget):
    """The widget's choices. A model's are read with one plain query: ModelChoiceIterator
    reads through ``QuerySet.iterator()``, which on PostgreSQL opens a server-side cursor
    (declare, fetch, close, and held past the commit when the page renders after its
    transaction) for what is a short list."""
    choices = widget.choices
    if isinstance(choices, ModelChoiceIterator):
        choices = copy.copy(choices)
        choices.queryset = _Rows(choices.queryset)
    return choices


def _select(bound_field, attrs) -> str:
    """A select written out directly: the same markup as Django's templates, without a
    template render per option (a filter offering every contract has thousands)."""
    widget = bound_field.field.widget
    final_attrs = widget.build_attrs(widget.attrs, {**attrs, "id": bound_field.auto_id})
    if widget.allow_multiple_selected:
        final_attrs["multiple"] = True
    value = bound_field.value()
    values = value if isinstance(value, (list, tuple)) else [value]
    selected = {str(item) for item in values if item is not None}

    def options(choices) -> str:
        return format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (
                    "" if option is None else str(option),
                    " selected" if str("" if option is None else option) in selected else "",
                    label,
                )
                for option, label in choices
            ),
        )

    parts = []
    for option, label in _choices(widget):
        if isinstance(label, (list, tuple)):
            parts.append(format_html('<optgroup label="{}">{}</optgroup>', option, options(label)))
        else:
            parts.append(options([(option, label)]))
    return format_html(
        "<select {}>{}</select>",
        flatatt({"name": bound_field.html_name, **final_attrs}),
        mark_safe("".join(parts)),
    )


@register.filter
def money(value, pence: bool = True):
    """£1,234.56 (or £1,235 with pence=False); blank for None."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return value
    sign = "-" if amount < 0 else ""
    text = f"{abs(amount):,.2f}" if pence else f"{abs(amount):,.0f}"
    return f"{sign}£{text}"


@register.filter
def share_percent(share) -> str:
    """A share as a percentage: Decimal("0.10") -> "10%", Decimal("0.125") -> "12.5%"."""
    return f"{(Decimal(share) * 100).normalize():f}%"


@register.filter
def govuk_date(value):
    """4 December 2026."""
    return wording.date_words(value)


@register.filter
def govuk_datetime(value):
    """4 December 2026 at 1:34pm."""
    return wording.datetime_words(value)


@register.filter
def govuk_time(value):
    """1:34pm, 9am, midday."""
    return wording.time_words(value) if value else ""


@register.filter
def yes_no(value):
    return wording.yes_no(value)


@register.filter
def counted(count, nouns: str):
    """``{{ n|counted:"return" }}`` -> "1 return", "2 returns"; an irregular plural
    after a comma: ``{{ n|counted:"body,bodies" }}``."""
    singular, _, plural = nouns.partition(",")
    try:
        number = int(count)
    except (TypeError, ValueError):
        number = len(count)
    return wording.count_words(number, singular, plural)


@register.simple_tag(takes_context=True)
def query_with(context, **params):
    """The current query string with ``params`` replaced (None removes); page resets."""
    query = context["request"].GET.copy()
    if "page" not in params:
        query.pop("page", None)
    for key, value in params.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag
def govuk_tag(text, colour=""):
    css = f"govuk-tag govuk-tag--{colour}" if colour else "govuk-tag"
    return format_html('<strong class="{}">{}</strong>', css, text)


@register.simple_tag
def deadline_tag(value, kind="", today=None, show_date=True, applies=True):
    """A deadline's date and a tag saying in words whether it is missed, due or coming
    up ("Missed 65 days ago", "Due today"), so colour is never the only signal.
    ``value`` is a date, classified as ``kind`` on ``today`` (default: today), or a
    Deadline already classified; an empty value renders nothing. Where the deadline no
    longer ``applies`` (the action is done, the return submitted) only the date shows."""
    if not value:
        return ""
    if not applies:
        on = value.on if isinstance(value, Deadline) else value
        return date_format(on, "DATE_FORMAT")
    if not isinstance(value, Deadline):
        value = classify(value, today=today or timezone.localdate(), kind=kind)
    tag = format_html(
        '<strong class="govuk-tag govuk-tag--{} app-deadline__tag">{}</strong>',
        value.colour,
        value.label,
    )
    if not show_date:
        return format_html(
            '<span class="app-deadline" data-deadline="{}">{}</span>', value.state, tag
        )
    return format_html(
        '<span class="app-deadline" data-deadline="{}">'
        '<span class="app-deadline__date">{}</span> {}</span>',
        value.state,
        date_format(value.on, "DATE_FORMAT"),
        tag,
    )


# Summary lists and tables: summary_list, summary_row, table, row, cell (see _components).
register_components(register)


@register.simple_tag(takes_context=True)
def error_prefix(context) -> str:
    """ "Error: " when a form on the page was sent back with errors, for the start of the
    page title, so screen reader users hear at once that something needs fixing.
    Values still waiting to be worked out (a kept page's lazy figures) are left alone:
    a form is never one, and looking would build what the cache is there to spare."""
    for value in context.flatten().values():
        if isinstance(value, LazyObject) and value._wrapped is empty:
            continue
        if isinstance(value, forms.BaseForm) and value.is_bound and value.errors:
            return "Error: "
        if isinstance(value, django_filters.FilterSet) and value.is_bound and value.form.errors:
            return "Error: "  # a list's filters
    return ""
