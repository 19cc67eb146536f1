import datetime

import factory
from django.db.models import Max

from contracts.assurance.choices import ChecklistStatus, SlaStatus
from contracts.assurance.models.slas import (
    ChecklistItem,
    ChecklistItemType,
    ImprovementPlanItem,
    ServiceLevelAgreement,
)
from contracts.register.choices import MeetingCadence
from tests.contracts.register.factories import ContractFactory
from tests.governance.core.factories import UserFactory


def _next_version(sla) -> int:
    return (sla.contract.slas.aggregate(latest=Max("version"))["latest"] or 0) + 1


class SlaFactory(factory.django.DjangoModelFactory):
    """A draft SLA; version follows the contract's latest."""

    class Meta:
        model = ServiceLevelAgreement
        skip_postgeneration_save = True

    contract = factory.SubFactory(ContractFactory)
    version = factory.LazyAttribute(_next_version)
    status = SlaStatus.DRAFT
    service_requirements = (
        "Contact every referral within 2 working days.\n"
        "Offer an assessment within 10 working days of referral."
    )
    report_due_business_days = 15
    meeting_cadence = MeetingCadence.QUARTERLY
    reporting_arrangements = "Quarterly report in the agreed template."
    clarifications = ""


class AgreedSlaFactory(SlaFactory):
    status = SlaStatus.AGREED
    agreed_on = datetime.date(2025, 5, 1)
    signed_for_commissioner = factory.SubFactory(UserFactory)
    signed_for_provider = factory.SelfAttribute("contract.provider_contract_manager")


class ImprovementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImprovementPlanItem

    sla = factory.SubFactory(SlaFactory)
    description = "Reduce waiting times for assessment."
    target = factory.Sequence(lambda n: f"95% of assessments within 10 days ({n})")
    due_date = datetime.date(2026, 12, 31)


class ChecklistItemTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChecklistItemType
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Standard evidence {n}")
    description = "Evidence every contract needs."
    expires = False


class ChecklistItemFactory(factory.django.DjangoModelFactory):
    """An item specific to one contract, still waiting for evidence."""

    class Meta:
        model = ChecklistItem

    contract = factory.SubFactory(ContractFactory)
    title = factory.Sequence(lambda n: f"Evidence item {n:04d}")
    status = ChecklistStatus.OUTSTANDING
