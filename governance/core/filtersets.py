"""The base of every list's filters: a free-text ``q`` searched across named fields."""

import datetime
from functools import reduce
from operator import or_

import django_filters
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.forms import NullBooleanSelect
from django.utils import timezone
from django_filters.fields import ModelChoiceField
from django_filters.widgets import BooleanWidget

from governance.core import deadlines, wording
from governance.core.forms import PlainErrorsMixin

ANY_YES_NO = [("unknown", "Any"), ("true", "Yes"), ("false", "No")]


class ContractReferenceField(ModelChoiceField):
    """A contract picked by typing its reference. A drop-down of every contract would
    list the whole portfolio on each page (thousands of options at scale)."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid_choice": "No contract you can see has that reference. Enter a reference "
        "like NPCC-2024-017."
    }

    def to_python(self, value):
        value = str(value).strip() if value is not None else ""
        if value in self.empty_values:
            return None
        if self.null_label is not None and value.lower() in (self.null_value, "none"):
            return self.null_value
        try:
            return self.queryset.get(reference__iexact=value)
        except self.queryset.model.DoesNotExist:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None

    def prepare_value(self, value):
        if isinstance(value, models.Model):
            return value.reference
        return value


def _visible_contracts(request):
    return apps.get_model("contracts", "Contract").objects.restrict(request.user, "view")


class ContractFilter(django_filters.ModelChoiceFilter):
    """Filters a list by one contract, given by reference (``?contract=NPCC-2024-017``)."""

    field_class = ContractReferenceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", _visible_contracts)
        kwargs.setdefault("label", "Contract reference")
        kwargs.setdefault("help_text", "For example, NPCC-2024-017")
        super().__init__(*args, **kwargs)


class NameContainsFilter(django_filters.CharFilter):
    """Rows whose related organisation's name (at ``field_name``, say ``provider__name``)
    contains the typed text. Typed rather than picked: organisations grow with the
    portfolio, and a drop-down would list every one of them on each page."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("lookup_expr", "icontains")
        kwargs.setdefault("help_text", "Part of the name is enough, for example, Victim Care")
        super().__init__(*args, **kwargs)


class PersonNameFilter(django_filters.CharFilter):
    """Rows whose person (the user at ``field_name``, say ``owner``) has every typed word
    in their first name, last name or username. Typed rather than picked, for the same
    reason as ``NameContainsFilter``: the people who own records grow with the portfolio."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("help_text", "Part of their name is enough, for example, Morgan Lee")
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        for word in (value or "").split():
            qs = qs.filter(
                reduce(
                    or_,
                    (
                        Q(**{f"{self.field_name}__{part}__icontains": word})
                        for part in ("first_name", "last_name", "username")
                    ),
                )
            )
        return qs


class PlainFilterSet(django_filters.FilterSet):
    """Filters worded as every list words them: a yes/no filter not in use reads "Any"
    (django-filter's own widgets say "Unknown"), and errors are written for their field.
    A page whose filters need no free-text search starts from this."""

    def get_form_class(self):
        # Filters' errors are written for their field, as every form's are.
        base = super().get_form_class()
        form_class = type(base.__name__, (PlainErrorsMixin, base), {})
        for field in form_class.base_fields.values():
            # "Any" rather than "Unknown": the filter is simply not in use.
            if isinstance(field.widget, NullBooleanSelect):
                field.widget.choices = ANY_YES_NO
            elif isinstance(field.widget, BooleanWidget):
                field.widget.choices = [("", "Any"), *ANY_YES_NO[1:]]
        return form_class


class GovernanceFilterSet(PlainFilterSet):
    q = django_filters.CharFilter(method="search", label="Search")

    #: Fields searched by ``q`` (case-insensitive, contains). Subclasses set this.
    search_fields: tuple[str, ...] = ()

    def search(self, queryset, name, value):
        value = value.strip()
        if not value or not self.search_fields:
            return queryset
        terms = [Q(**{f"{field}__icontains": value}) for field in self.search_fields]
        return queryset.filter(reduce(or_, terms))

    def active_filters(self) -> list[tuple[str, str, str]]:
        """(field name, label, displayed value) for each filter in use, for the tags
        that let a user remove one filter at a time. Values are shown as people read
        them: a choice's label, never its stored code; Yes or No, never True or False."""
        if not self.is_bound or not self.is_valid():
            return []
        active = []
        for name, value in self.form.cleaned_data.items():
            if value in (None, "", [], ()):
                continue
            field = self.form[name]
            choices = getattr(field.field, "choices", None)
            if isinstance(value, bool):
                shown = wording.yes_no(value)
            elif isinstance(value, models.Model):
                shown = str(value)
            elif hasattr(value, "all") or isinstance(value, (list, tuple)):
                items = value.all() if hasattr(value, "all") else value
                shown = ", ".join(
                    str(item)
                    if isinstance(item, models.Model) or choices is None
                    else wording.choice_label(item, choices)
                    for item in items
                )
            elif choices is not None:
                shown = wording.choice_label(value, choices)
            elif isinstance(value, datetime.date):
                shown = wording.datetime_words(value)
            else:
                shown = str(value)
            active.append((name, str(field.label), shown))
        return active


class DeadlineFilter(django_filters.ChoiceFilter):
    """Rows whose deadline in ``deadline_field`` is missed, due soon or coming up today,
    by the rule every page uses (governance.deadlines). ``open_q`` selects the rows the
    deadline still applies to."""

    def __init__(self, *, deadline_field: str, kind: str, open_q=None, **kwargs):
        kwargs.setdefault("choices", deadlines.State.choices)
        kwargs.setdefault("empty_label", "Any")
        kwargs.setdefault("label", "Deadline")
        self.deadline_field, self.kind, self.open_q = deadline_field, kind, open_q
        super().__init__(**kwargs)

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        return qs.filter(
            deadlines.state_q(
                value,
                self.deadline_field,
                today=timezone.localdate(),
                kind=self.kind,
                open_q=self.open_q,
            )
        )
