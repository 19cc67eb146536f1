"""A status change whose precondition is not met is shown disabled with what is missing,
worked out by the status machine's own guards; posting it anyway is still refused."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils.html import escape

from contracts.register.choices import ContractStatus
from governance.core.roles import Role
from tests.contracts.exit.exit_factories import ExitPlanFactory, ExitTaskFactory
from tests.contracts.register.factories import ContractFactory
from tests.governance.core.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime.datetime(2026, 8, 3, 12), tick=False):
        yield


def officers():
    return UserFactory(roles=[Role.CONTRACT_MANAGER]), UserFactory(roles=[Role.CONTRACT_MANAGER])


class TestContractStatus:
    def test_a_blocked_activation_is_disabled_with_why_and_still_refused(self, login):
        lead, _ = officers()
        contract = ContractFactory(
            status=ContractStatus.DRAFT, lead_officer=lead, provider_contract_manager=None
        )
        client = login(lead)
        page = client.get(contract.get_absolute_url()).content.decode()
        activate = reverse("contracts:contract_transition", args=[contract.pk, "active"])
        assert 'data-testid="transition-disabled"' in page and activate not in page
        assert (
            escape(
                "Activate is not available yet: Name the deputy officer. Name the provider's "
                "contract manager."
            )
            in page
        )
        response = client.post(activate, {"reason": "Signed"})
        assert response.status_code == 400
        assert "Name the deputy officer." in response.content.decode()
        contract.refresh_from_db()
        assert contract.status == ContractStatus.DRAFT

    def test_a_move_whose_guard_passes_is_offered(self, login):
        lead, deputy = officers()
        contract = ContractFactory(
            status=ContractStatus.DRAFT, lead_officer=lead, deputy_officer=deputy
        )
        page = login(lead).get(contract.get_absolute_url()).content.decode()
        assert reverse("contracts:contract_transition", args=[contract.pk, "active"]) in page
        assert 'data-testid="transition-disabled"' not in page

    def test_ending_early_says_to_terminate_instead(self, login):
        lead, deputy = officers()
        contract = ContractFactory(lead_officer=lead, deputy_officer=deputy)
        page = login(lead).get(contract.get_absolute_url()).content.decode()
        assert "Record the end is not available yet: The contract runs until 31 March 2028." in (
            page
        )

    def test_people_who_cannot_change_the_contract_see_no_moves(self, login):
        lead, deputy = officers()
        contract = ContractFactory(lead_officer=lead, deputy_officer=deputy)
        page = login(UserFactory(roles=[Role.AUDITOR])).get(contract.get_absolute_url())
        assert 'data-testid="transition-' not in page.content.decode()


class TestExitPlan:
    def test_agreeing_a_plan_without_tasks_is_disabled_with_why(self, login):
        lead, deputy = officers()
        plan = ExitPlanFactory(contract=ContractFactory(lead_officer=lead, deputy_officer=deputy))
        client = login(lead)
        page = client.get(plan.get_absolute_url()).content.decode()
        agree = reverse("contracts:exitplan_transition", args=[plan.pk, "agreed"])
        assert agree not in page
        assert escape("Not available yet: Add the plan's tasks before it is agreed.") in page
        ExitTaskFactory(plan=plan)
        page = client.get(plan.get_absolute_url()).content.decode()
        assert agree in page and 'data-testid="transition-disabled"' not in page
