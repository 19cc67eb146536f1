"""A contract manager's own contracts with what needs doing on each, and where each role
lands after signing in."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts.register.choices import ContractStatus
from governance.core.roles import Role
from governance.dashboard.selectors import my_contracts, what_needs_doing
from tests.contracts.exit.exit_factories import ExitNoticeFactory
from tests.contracts.performance.return_factories import (
    FinancialReturnFactory,
    PerformanceReturnFactory,
    ReportingPeriodFactory,
)
from tests.contracts.register.factories import ContractFactory
from tests.governance.meetings.meeting_factories import ActionFactory

pytestmark = pytest.mark.django_db

D = datetime.date
# Friday 20 November 2026.
NOW = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)
TODAY = D(2026, 11, 20)
URL = "/my-contracts/"


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def manager(make_user):
    return make_user(role=Role.CONTRACT_MANAGER, username="morgan")


def busy_contract(manager, **kwargs):
    """A contract with one performance return overdue (Q1 2026-27, due in July), one
    financial return due soon (Q2), one action overdue and one coming up."""
    contract = ContractFactory(lead_officer=manager, **kwargs)
    PerformanceReturnFactory(
        period=ReportingPeriodFactory(contract=contract, financial_year=2026, quarter=1)
    )
    FinancialReturnFactory(
        period=ReportingPeriodFactory(
            contract=contract,
            financial_year=2026,
            quarter=2,
            finance_due_on=D(2026, 11, 27),
            performance_due_on=D(2026, 11, 27),
        )
    )
    ActionFactory(contract=contract, due_on=D(2026, 11, 2))
    ActionFactory(contract=contract, due_on=D(2027, 2, 1))
    return contract


class TestWhatNeedsDoing:
    def test_overdue_counts_come_first_then_the_next_deadlines_soonest_first(self, frozen, manager):
        busy_contract(manager)
        [row] = my_contracts(manager, TODAY)
        items = what_needs_doing(row, TODAY)
        assert [item["text"] for item in items] == [
            "1 return overdue",
            "1 action overdue",
            "Next financial return",
            "Next action",
        ]
        assert items[2]["deadline"].on == D(2026, 11, 27)
        assert items[2]["deadline"].state == "due"
        assert items[3]["deadline"].state == "upcoming"

    def test_a_missed_exit_notice_deadline_shows_until_a_notice_is_recorded(self, frozen, manager):
        # Ends 31 March 2027: the notice was due by 30 September 2026.
        contract = ContractFactory(
            lead_officer=manager,
            initial_end_date=D(2027, 3, 31),
            current_end_date=D(2027, 3, 31),
        )
        [row] = my_contracts(manager, TODAY)
        [item] = what_needs_doing(row, TODAY)
        assert item["text"] == "Notice of plans for the end"
        assert item["deadline"].state == "missed"
        ExitNoticeFactory(contract=contract)
        [row] = my_contracts(manager, TODAY)
        assert what_needs_doing(row, TODAY) == []

    def test_only_live_contracts_the_person_leads_or_deputises_on(self, frozen, manager, make_user):
        other = make_user(role=Role.CONTRACT_MANAGER)
        mine = ContractFactory(lead_officer=manager)
        deputy = ContractFactory(lead_officer=other, deputy_officer=manager)
        ContractFactory(lead_officer=other)
        ContractFactory(lead_officer=manager, status=ContractStatus.ENDED)
        assert {c.pk for c in my_contracts(manager, TODAY)} == {mine.pk, deputy.pk}


class TestThePage:
    def test_anonymous_people_are_sent_to_sign_in(self, client):
        response = client.get(URL)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))

    @pytest.mark.parametrize("role", [Role.AUDITOR, Role.SMG, Role.PROVIDER, None])
    def test_people_who_run_no_contracts_are_refused(self, role, make_user, login):
        from tests.contracts.register.factories import OrganisationFactory

        extra = {"organisation": OrganisationFactory()} if role == Role.PROVIDER else {}
        response = login(make_user(role=role, **extra)).get(URL)
        assert response.status_code == 403

    def test_shows_each_contract_with_what_needs_doing(self, frozen, manager, login):
        contract = busy_contract(manager, reference="NPCC-2026-001")
        page = login(manager).get(URL).content.decode()
        assert "NPCC-2026-001" in page
        assert "1 return overdue" in page and "1 action overdue" in page
        assert reverse("contracts:contract_periods", args=[contract.pk]) in page
        assert "27 November 2026" in page

    def test_queries_do_not_grow_with_the_contracts(self, frozen, manager, login):
        client = login(manager)
        busy_contract(manager)

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(URL).status_code == 200
            return len(captured)

        few = queries()
        for _ in range(4):
            busy_contract(manager)
        assert queries() == few


class TestLanding:
    @pytest.mark.parametrize(
        ("role", "lands_on"),
        [
            (Role.SMG, "/dashboard/"),
            (Role.CONTRACT_MANAGER, "/my-contracts/"),
            (Role.PROVIDER, "/returns/performance/"),
            (Role.AUDITOR, "/home/"),
            (Role.PDM, "/home/"),
            (None, "/home/"),
        ],
    )
    def test_each_role_lands_where_its_work_is(self, role, lands_on, make_user, client):
        from tests.contracts.register.factories import OrganisationFactory

        extra = {"organisation": OrganisationFactory()} if role == Role.PROVIDER else {}
        user = make_user(role=role, **extra)
        response = client.post(
            reverse("login"), {"username": user.username, "password": "correct-horse-battery"}
        )
        assert response.status_code == 302
        assert client.get(response.url).url == lands_on

    def test_a_page_asked_for_before_signing_in_still_wins(self, make_user, client):
        user = make_user(role=Role.SMG)
        response = client.post(
            reverse("login") + "?next=/risks/",
            {"username": user.username, "password": "correct-horse-battery"},
        )
        assert response.url == "/risks/"
