"""The overview's figures: one query of the contract's row, its SQL written once, giving
what the ORM's own query gives; lists read only for a contract that has something in them."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contracts.assurance.choices import ChecklistStatus, SlaStatus
from contracts.overview import selectors
from contracts.register.choices import VariationStatus
from contracts.register.models.contracts import Contract, ExtensionOption, Variation
from tests.contracts.assurance.sla_factories import (
    AgreedSlaFactory,
    ChecklistItemFactory,
    SlaFactory,
)
from tests.contracts.exit.exit_factories import ExitNoticeFactory
from tests.contracts.performance.kpi_factories import ContractKpiFactory
from tests.contracts.register.factories import ContractFactory
from tests.governance.core.factories import UserFactory

pytestmark = pytest.mark.django_db

EXPIRES = datetime.date(2026, 6, 30)


def holding_everything(**fields):
    """A contract with something in every figure the overview counts."""
    contract = ContractFactory(**fields)
    for _ in range(3):
        ContractKpiFactory(contract=contract, is_key_indicator=True)
    ContractKpiFactory(contract=contract, is_key_indicator=False)
    AgreedSlaFactory(
        contract=contract,
        version=1,
        agreed_on=datetime.date(2025, 4, 1),
        status=SlaStatus.SUPERSEDED,
    )
    AgreedSlaFactory(contract=contract, version=2, agreed_on=datetime.date(2026, 4, 1))
    SlaFactory(contract=contract, version=3)  # a draft of the next version
    ChecklistItemFactory(contract=contract)  # outstanding
    ChecklistItemFactory(
        contract=contract,
        title="Insurance certificate",
        status=ChecklistStatus.VERIFIED,
        verified_on=datetime.date(2025, 7, 1),
        verified_by=UserFactory(),
        expires_on=EXPIRES,
    )
    ExtensionOption.objects.create(
        contract=contract, sequence=1, length_months=12, decision_deadline=EXPIRES
    )
    Variation.objects.create(
        contract=contract,
        number=1,
        summary="Evening clinics",
        justification="Demand has grown.",
        requested_by="commissioner",
        status=VariationStatus.PROPOSED,
        proposed_by=UserFactory(),
    )
    ExitNoticeFactory(contract=contract)
    return contract


def as_the_page_reads_it(contract):
    """The contract with the relations the page reads with it."""
    return Contract.objects.select_related(*selectors.TERMS).get(pk=contract.pk)


@pytest.mark.parametrize(
    "today", [EXPIRES, EXPIRES + datetime.timedelta(days=1), datetime.date(2031, 1, 1)]
)
def test_the_figures_are_what_the_orms_query_gives(today):
    full, empty = holding_everything(), ContractFactory()
    for contract in (full, empty):
        expected = selectors._figures_query(contract.pk, today).first()
        assert selectors._FIGURES.one(contract_id=contract.pk, today=today) == expected
    figures = selectors._FIGURES.one(contract_id=full.pk, today=today)
    assert figures["key_indicators"] == 3 and figures["outstanding"] == 1
    assert figures["expired_count"] == (1 if today > EXPIRES else 0)
    assert (figures["sla_version"], figures["sla_agreed_on"]) == (2, datetime.date(2026, 4, 1))
    assert figures["pending_variations"] == figures["extension_count"] == 1
    assert figures["exit_notice_count"] == 1
    assert selectors._FIGURES.one(contract_id=full.pk + empty.pk + 1, today=today) is None


def test_the_overview_reads_a_list_only_when_the_contract_has_something_in_it():
    today = EXPIRES + datetime.timedelta(days=1)
    empty = as_the_page_reads_it(ContractFactory(status="active"))
    with CaptureQueriesContext(connection) as plain:
        overview = selectors.contract_overview(empty, today)
    assert overview["extensions"] == [] and overview["exit_notice"]["notice"] is None
    assert overview["current_sla"] is None
    assert "The contract has no agreed service level agreement." in overview["warnings"]
    # The figures and the latest return.
    assert len(plain) == 2

    full = as_the_page_reads_it(holding_everything(status="active"))
    with CaptureQueriesContext(connection) as one_each:
        overview = selectors.contract_overview(full, today)
    assert len(one_each) == 5
    assert (overview["current_sla"].version, overview["key_indicators"]) == (2, 3)
    assert "Checklist evidence has expired: Insurance certificate." in overview["warnings"]
    assert [option.sequence for option in overview["extensions"]] == [1]
    assert overview["exit_notice"]["notice"] is not None
    assert overview["pending_variations"] == 1

    for sequence in range(2, 6):
        ExtensionOption.objects.create(
            contract=full, sequence=sequence, length_months=6, decision_deadline=EXPIRES
        )
        ExitNoticeFactory(contract=full, sent_on=datetime.date(2026, sequence, 1))
    with CaptureQueriesContext(connection) as many:
        selectors.contract_overview(full, today)
    assert len(many) == len(one_each)
