import datetime

import factory

from contracts.procurement.choices import ContractKind, NoticeKind, NoticeStatus, Regime
from contracts.procurement.models import ContractProcurement, Notice
from contracts.procurement.services import notice_transition
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
    """Take an owed notice through drafting (by ``author``), approval (by ``approver``)
    and publication on Find a Tender, as the notices register does."""
    notice_transition(notice=notice, to=NoticeStatus.DRAFTED, actor=author, summary="Details")
    notice_transition(notice=notice, to=NoticeStatus.APPROVED, actor=approver)
    notice_transition(
        notice=notice,
        to=NoticeStatus.PUBLISHED,
        actor=author,
        fts_identifier=identifier,
        published_on=published_on,
    )
    return notice
