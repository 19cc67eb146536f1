"""The base of every list's filters: a free-text ``q`` searched across named fields."""

from functools import reduce
from operator import or_

import django_filters
from django.db.models import Q


class GovernanceFilterSet(django_filters.FilterSet):
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
        that let a user remove one filter at a time."""
        if not self.is_bound or not self.is_valid():
            return []
        active = []
        for name, value in self.form.cleaned_data.items():
            if value in (None, "", [], ()):
                continue
            field = self.form[name]
            if hasattr(field.field, "choices") and not isinstance(value, (list, tuple)):
                shown = dict(field.field.choices).get(value, value)
            else:
                shown = value
            if hasattr(shown, "all") or isinstance(shown, (list, tuple)):
                shown = ", ".join(str(item) for item in shown)
            active.append((name, str(field.label), str(shown)))
        return active
