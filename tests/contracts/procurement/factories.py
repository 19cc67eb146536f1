import datetime

import factory

from contracts.procurement.choices import ContractKind, NoticeKind, Regime
from contracts.procurement.models import ContractProcurement, Notice
from governance.demo.procurement import publish_notice as demo_publish
from tests.contracts.register.factories import ContractFactory


class ContractProcurementFactory(factory.django.DjangoModelFactory):
    """A contract procured under the Procurement Act 2023 (pass regime=Regime.EARLIER
    for one that owes nothing)."""

    class Meta:
        model = ContractProcurement

    contract = factory.SubFactory(ContractFactory)
    regime = Regime.ACT_2023
    procurement_started_on = datetime.date(2025, 3, 3)
    kind = ContractKind.SERVICES
    entered_into_on = datetime.date(2025, 3, 20)


def act_contract(**contract_fields):
    """An active contract under the Act, with its procurement record."""
    procurement_fields = {
        name[len("procurement__") :]: contract_fields.pop(name)
        for name in list(contract_fields)
        if name.startswith("procurement__")
    }
    contract = ContractFactory(**contract_fields)
    ContractProcurementFactory(contract=contract, **procurement_fields)
    return contract


class NoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notice

    contract = factory.LazyFunction(act_contract)
    kind = NoticeKind.CONTRACT_DETAILS
    key = factory.Sequence(lambda n: f"key-{n}")
    due_on = datetime.date(2025, 4, 19)


def publish_notice(notice, *, author, approver, published_on, identifier="2026/S 000-012345"):
    """An owed notice drafted, approved and published, as the notices register does it."""
    return demo_publish(
        notice, author=author, approver=approver, published_on=published_on, identifier=identifier
    )
