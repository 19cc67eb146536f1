from decimal import Decimal

import factory

from contracts.performance.choices import KpiDirection, KpiFrequency, KpiUnit
from contracts.performance.models.kpis import ContractKpi, KpiDefinition
from tests.contracts.register.factories import ContractFactory


class KpiDefinitionFactory(factory.django.DjangoModelFactory):
    """A percentage indicator on the performance menu, offered for new contracts."""

    class Meta:
        model = KpiDefinition

    # Zero-padded so no name is part of another ("Indicator 1" is in "Indicator 10").
    name = factory.Sequence(lambda n: f"Menu indicator {n:04d}")
    service_requirement = "Victims are satisfied with the support they receive."
    unit = KpiUnit.PERCENTAGE
    direction = KpiDirection.HIGHER
    target = Decimal("85.00")
    amber_tolerance = Decimal("5.00")
    frequency = KpiFrequency.QUARTERLY
    measurement_method = "Exit survey responses scoring 4 or 5 out of 5, as a share of all."
    is_key_indicator = False
    is_active = True


class ContractKpiFactory(factory.django.DjangoModelFactory):
    """A contract's KPI written for the contract; pass ``definition`` for one from the menu."""

    class Meta:
        model = ContractKpi

    contract = factory.SubFactory(ContractFactory)
    definition = None
    name = factory.Sequence(lambda n: f"Contract indicator {n:04d}")
    service_requirement = "Referrals are contacted promptly."
    unit = KpiUnit.DAYS
    direction = KpiDirection.LOWER
    target = Decimal("5.00")
    amber_tolerance = Decimal("2.00")
    frequency = KpiFrequency.MONTHLY
    measurement_method = "Working days from referral to first contact, from the case system."
    is_key_indicator = False
    is_active = True
