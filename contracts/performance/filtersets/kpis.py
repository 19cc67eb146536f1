"""Filters of the performance menu and the portfolio's KPIs."""

import django_filters

from contracts.performance.choices import KpiDirection, KpiFrequency, KpiUnit
from contracts.performance.models.kpis import ContractKpi, KpiDefinition
from governance.core.filtersets import ContractFilter, GovernanceFilterSet, NameContainsFilter


class KpiDefinitionFilterSet(GovernanceFilterSet):
    search_fields = ("name", "service_requirement", "measurement_method")
    unit = django_filters.ChoiceFilter(choices=KpiUnit.choices, empty_label="Any")
    direction = django_filters.ChoiceFilter(choices=KpiDirection.choices, empty_label="Either")
    frequency = django_filters.ChoiceFilter(choices=KpiFrequency.choices, empty_label="Any")
    is_key_indicator = django_filters.BooleanFilter(
        label="Key performance indicator", widget=django_filters.widgets.BooleanWidget()
    )
    is_active = django_filters.BooleanFilter(
        label="Offered for new contracts", widget=django_filters.widgets.BooleanWidget()
    )

    class Meta:
        model = KpiDefinition
        fields = ["q", "unit", "direction", "frequency", "is_key_indicator", "is_active"]


class ContractKpiFilterSet(GovernanceFilterSet):
    search_fields = (
        "name",
        "service_requirement",
        "measurement_method",
        "contract__reference",
        "contract__title",
    )
    contract = ContractFilter()
    provider = NameContainsFilter(
        field_name="contract__provider__name", label="Provider name contains"
    )
    unit = django_filters.ChoiceFilter(choices=KpiUnit.choices, empty_label="Any")
    is_key_indicator = django_filters.BooleanFilter(
        label="Key performance indicator", widget=django_filters.widgets.BooleanWidget()
    )
    frequency = django_filters.ChoiceFilter(choices=KpiFrequency.choices, empty_label="Any")

    class Meta:
        model = ContractKpi
        fields = ["q", "contract", "provider", "unit", "is_key_indicator", "frequency"]
