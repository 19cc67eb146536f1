"""The provider's script (scripts/submit_returns.py) against a running service: it
submits a quarter's performance return and financial return with a token, and the
contract manager sees both on the contract's pages."""

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from contracts.performance.choices import ReturnStatus
from governance.accounts import services as account_services
from governance.core.roles import Role
from tests.contracts.performance import test_returns as return_tests
from tests.contracts.performance.return_factories import period_with_returns
from tests.contracts.register.factories import ContractFactory

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "submit_returns.py"


def run(live_server, key, *args):
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--url", live_server.url, *args],
        env={"GOVERNANCE_API_TOKEN": key, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.django_db(transaction=True)
def test_the_script_submits_a_quarter_and_the_contract_page_shows_it(
    live_server, make_user, tmp_path, client
):
    officer = make_user(role=Role.CONTRACT_MANAGER)
    contract = ContractFactory(lead_officer=officer)
    return_tests.percentage_kpi(contract)
    return_tests.days_kpi(contract)
    period = period_with_returns(contract=contract, financial_year=2026, quarter=1)
    provider = make_user(role=Role.PROVIDER, organisation=contract.provider)
    _, key = account_services.api_token_create(user=provider, name="Case system", days=30)
    quarter = ["--contract", contract.reference, "--year", "2026", "--quarter", "1"]
    money = ["--budget", "125000", "--actual-spend", "118,400.50", "--payments-made", "110000"]
    args = [*quarter, *money]

    # A KPI the contract does not have: nothing is sent.
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("kpi,actual,commentary\nWaiting times,3,\n")
    refused = run(live_server, key, *args, "--results", str(wrong))
    assert refused.returncode != 0 and "no KPI called 'Waiting times'" in refused.stderr

    # A figure the form refuses: its message, by field, and the return stays a draft.
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "kpi,actual,commentary\nVictims satisfied with support,ninety,\nDays to first contact,4,\n"
    )
    refused = run(live_server, key, *args, "--results", str(bad))
    assert refused.returncode == 1
    assert "enter the actual as a number, like 92.5." in refused.stderr

    good = tmp_path / "q1.csv"
    good.write_text(
        "kpi,actual,commentary\n"
        "Victims satisfied with support,92.5,Above target\n"
        "Days to first contact,4,\n"
    )

    # Without the financial figures (and not --performance-only): nothing is sent.
    refused = run(live_server, key, *quarter, "--results", str(good))
    assert refused.returncode == 2 and "--budget, --actual-spend" in refused.stderr

    # A financial figure the form refuses: its message, and neither return is submitted.
    refused = run(
        live_server, key, *quarter, *money[:4], "--payments-made", "lots", "--results", str(good)
    )
    assert refused.returncode == 1
    assert "refused the financial return" in refused.stderr
    assert "Enter the payments made in pounds, like 125000 or 125,000.00." in refused.stderr
    for made in (period.performance_return, period.financial_return):
        made.refresh_from_db()
        assert made.status == ReturnStatus.DRAFT, made

    done = run(
        live_server,
        key,
        *args,
        "--results",
        str(good),
        "--commentary",
        "A steady quarter.",
        "--finance-commentary",
        "Two posts vacant in May.",
    )
    assert done.returncode == 0, done.stderr
    assert "performance return submitted" in done.stdout
    assert "financial return submitted" in done.stdout

    performance = period.performance_return
    performance.refresh_from_db()
    assert (performance.status, performance.submitted_by) == (ReturnStatus.SUBMITTED, provider)

    client.force_login(officer)
    periods = client.get(reverse("contracts:contract_periods", args=[contract.pk]))
    row = periods.content.decode().split('data-testid="period-2026-q1"')[1].split("</tr>")[0]
    assert "Submitted" in row
    page = client.get(performance.get_absolute_url()).content.decode()
    assert "A steady quarter." in page and "Above target" in page

    financial = period.financial_return
    financial.refresh_from_db()
    assert (financial.status, financial.submitted_by) == (ReturnStatus.SUBMITTED, provider)
    assert (financial.budget, financial.actual_spend, financial.payments_made) == (
        Decimal("125000"),
        Decimal("118400.50"),
        Decimal("110000"),
    )
    page = client.get(financial.get_absolute_url()).content.decode()
    assert "Two posts vacant in May." in page and "118,400.50" in page
    assert page.count("Submitted") >= 1


@pytest.mark.django_db(transaction=True)
def test_the_script_can_send_the_performance_return_alone(live_server, make_user, tmp_path):
    contract = ContractFactory(lead_officer=make_user(role=Role.CONTRACT_MANAGER))
    return_tests.days_kpi(contract)
    period = period_with_returns(contract=contract, financial_year=2026, quarter=2)
    provider = make_user(role=Role.PROVIDER, organisation=contract.provider)
    _, key = account_services.api_token_create(user=provider, name="Case system", days=30)
    results = tmp_path / "q2.csv"
    results.write_text("kpi,actual,commentary\nDays to first contact,3,\n")
    args = ["--contract", contract.reference, "--year", "2026", "--quarter", "2"]
    done = run(live_server, key, *args, "--results", str(results), "--performance-only")
    assert done.returncode == 0, done.stderr
    assert "financial return" not in done.stdout
    period.performance_return.refresh_from_db()
    period.financial_return.refresh_from_db()
    assert period.performance_return.status == ReturnStatus.SUBMITTED
    assert period.financial_return.status == ReturnStatus.DRAFT
