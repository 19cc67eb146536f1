import datetime

import factory
from django.utils import timezone

from contracts.procurement.performance.choices import (
    AssessmentOccasion,
    AssessmentStatus,
    BreachConsequence,
    FailureKind,
)
from contracts.procurement.performance.models import PerformanceAssessment, PerformanceFailure
from governance.core.roles import Role
from tests.contracts.performance.kpi_factories import ContractKpiFactory
from tests.contracts.procurement.factories import act_contract
from tests.governance.core.factories import UserFactory


def published_kpi(contract, **kwargs):
    return ContractKpiFactory(contract=contract, **{"is_key_indicator": True, **kwargs})


class AssessmentFactory(factory.django.DjangoModelFactory):
    """The first yearly assessment of a published KPI of a contract under the Act."""

    class Meta:
        model = PerformanceAssessment

    contract = factory.LazyFunction(act_contract)
    kpi = factory.LazyAttribute(lambda a: published_kpi(a.contract))
    occasion = AssessmentOccasion.ANNUAL
    period_start = datetime.date(2025, 4, 1)
    period_end = datetime.date(2026, 3, 31)
    due_on = datetime.date(2026, 3, 31)
    status = AssessmentStatus.DUE
    # Rated and sent to SMG: the day the assessment was made, which the UK9 runs from.
    submitted_at = factory.LazyAttribute(
        lambda a: (
            timezone.now()
            if a.status in (AssessmentStatus.SUBMITTED, AssessmentStatus.APPROVED)
            else None
        )
    )


def _officered_act_contract():
    return act_contract(lead_officer=UserFactory(roles=[Role.CONTRACT_MANAGER]))


class FailureFactory(factory.django.DjangoModelFactory):
    """A breach that led to damages, proposed by the contract's lead officer."""

    class Meta:
        model = PerformanceFailure

    contract = factory.LazyFunction(_officered_act_contract)
    kind = FailureKind.BREACH
    consequence = BreachConsequence.DAMAGES
    consequence_on = datetime.date(2026, 5, 1)
    requirement = "Out-of-hours helpline answered within 60 seconds"
    description = "The helpline went unanswered overnight for three weeks in March."
    proposed_by = factory.LazyAttribute(lambda f: f.contract.lead_officer)
