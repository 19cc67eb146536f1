"""The one table of which kind of contract switches off which duty of the Procurement
Act 2023: each flag switches off the duties the Act exempts it from, through the
services that owe each notice, and the register's help shows the table."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from contracts.procurement.choices import NoticeKind
from contracts.procurement.models import Notice
from contracts.procurement.payments.notices import covered_contracts, payments_sweep
from contracts.procurement.performance.services.common import owes_assessments, owes_breach_notices
from contracts.procurement.services import (
    FLAGS,
    exemption_table,
    kpi_duty_applies,
    owe_contract_details,
    owe_termination,
    owes_duty,
)
from governance.core.roles import Role
from tests.contracts.procurement.factories import act_contract
from tests.contracts.procurement.invoice_factories import PaidInvoiceFactory

pytestmark = pytest.mark.django_db
D = datetime.date

#: What the Act says, duty by duty: the flags that switch each off.
EXPECTED = {
    "kpi": {"light_touch", "framework", "concession", "utilities"},  # s.52
    "uk7": set(),  # s.53: every public contract
    "uk9": {"light_touch", "framework", "concession", "utilities"},  # s.71(2) follows s.52
    "uk9_breach": {"utilities"},  # s.71: not a private utility's contracts
    "uk10": {"light_touch", "utilities"},  # s.75(6)
    "uk11": {"utilities"},  # s.80
    "payments": {"concession", "utilities"},  # s.69(6)
    "payments_30k": {"concession", "utilities"},  # s.70, as s.69
}


def flagged(flag: str | None, **fields):
    procurement = {f"procurement__{flag}": True} if flag else {}
    return act_contract(
        total_value=Decimal("6000000"),
        start_date=D(2026, 1, 1),
        initial_end_date=D(2028, 12, 31),
        original_end_date=D(2028, 12, 31),
        current_end_date=D(2028, 12, 31),
        procurement__entered_into_on=D(2025, 12, 1),
        **procurement,
        **fields,
    )


@pytest.mark.parametrize("flag", FLAGS)
@pytest.mark.parametrize("duty", sorted(EXPECTED))
def test_each_flag_switches_off_the_duties_the_act_exempts_it_from(duty, flag):
    contract = flagged(flag)
    assert owes_duty(contract, duty) is (flag not in EXPECTED[duty])
    assert owes_duty(flagged(None), duty)


@pytest.mark.parametrize("flag", FLAGS)
def test_the_services_follow_the_table(flag):
    contract = flagged(flag)
    assert kpi_duty_applies(contract) is False
    assert owes_assessments(contract) is False
    assert owes_breach_notices(contract) is (flag != "utilities")
    # UK7 is owed whatever the flag.
    assert owe_contract_details(contract=contract) is not None
    # UK11 is owed except for a private utility's contract.
    ended = owe_termination(contract=contract, ended_on=D(2026, 11, 30), expiry=True)
    assert (ended is None) is (flag == "utilities")


@pytest.mark.parametrize("flag", FLAGS)
def test_payments_notices_leave_out_concessions_and_private_utilities(flag):
    contract = flagged(flag)
    PaidInvoiceFactory(
        contract=contract,
        amount=Decimal("45000"),
        received_on=D(2026, 5, 1),
        paid_on=D(2026, 5, 20),
    )
    payments_sweep(today=D(2026, 10, 1))
    exempt = flag in {"concession", "utilities"}
    assert (contract not in covered_contracts((D(2026, 4, 1), D(2026, 9, 30)))) is exempt
    assert Notice.objects.filter(kind=NoticeKind.PAYMENTS_COMPLIANCE).exists() is not exempt
    assert Notice.objects.filter(kind=NoticeKind.PAYMENTS_OVER_30K).exists() is not exempt


def test_the_table_is_a_setting(settings):
    contract = flagged("framework")
    assert owe_contract_details(contract=contract) is not None
    other = flagged("framework")
    settings.PROCUREMENT_DUTY_EXEMPT_FLAGS = {
        **settings.PROCUREMENT_DUTY_EXEMPT_FLAGS,
        "uk7": ["framework"],
    }
    assert owe_contract_details(contract=other) is None


def test_the_register_help_and_the_form_show_the_table(make_user, login):
    rows = {row["duty"]: row["flags"] for row in exemption_table()}
    assert rows["Contract change notice (UK10)"] == [
        "Light-touch contract",
        "Utilities contract awarded by a private utility",
    ]
    assert rows["Contract details notice (UK7)"] == []
    page = login(make_user(role=Role.AUDITOR)).get(reverse("contracts:notice_list"))
    text = page.content.decode()
    assert 'data-testid="exemption-table"' in text
    assert "every contract under the Act owes it" in text


def test_a_light_touch_contract_has_120_days_for_its_contract_details_notice(settings):
    # Entered into 1 December 2025: 30 days is 31 December; 120 days is 31 March 2026.
    assert owe_contract_details(contract=flagged(None)).due_on == D(2025, 12, 31)
    assert owe_contract_details(contract=flagged("light_touch")).due_on == D(2026, 3, 31)
    settings.PROCUREMENT_UK7_LIGHT_TOUCH_DUE_DAYS = 90
    assert owe_contract_details(contract=flagged("light_touch")).due_on == D(2026, 3, 1)
