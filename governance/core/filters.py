"""A filter the dashboard's links rely on: records of the contracts a person runs, so a
contract manager's figures open lists restricted the same way."""

import django_filters
from django.db.models import Q

from governance.core.models.base import User
from governance.core.roles import Role


def _contract_managers(request):
    return User.objects.filter(groups__name=Role.CONTRACT_MANAGER.label).distinct()


def officer_filter(contract_path: str) -> django_filters.ModelChoiceFilter:
    """Rows whose contract (at ``contract_path``) has the chosen person as its lead or
    deputy officer."""

    def method(queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(
            Q(**{f"{contract_path}__lead_officer": value})
            | Q(**{f"{contract_path}__deputy_officer": value})
        )

    return django_filters.ModelChoiceFilter(
        label="Lead or deputy officer",
        queryset=_contract_managers,
        method=method,
        empty_label="Anyone",
    )
