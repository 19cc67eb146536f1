"""Who may not take a step on a contract's records is refused its form, not only its
submit: variations, quarterly returns and the service transfer plan."""

import datetime
from decimal import Decimal

from django.urls import reverse

from contracts.exit.models import TransferPlanStatus
from contracts.performance.choices import ReturnStatus
from contracts.performance.models.returns import FinancialReturn
from contracts.register.services import contracts as contract_services
from governance.core.roles import Role
from tests.contracts.exit.exit_factories import ServiceTransferPlanFactory
from tests.contracts.performance.return_factories import period_with_returns
from tests.contracts.register.factories import ContractFactory
from tests.view_cases import ActionPage, ActionPageTests


def _propose(contract, actor, **change):
    return contract_services.variation_propose(
        contract=contract,
        actor=actor,
        summary="Change of terms",
        justification="Demand has grown.",
        requested_by="provider",
        **change,
    )


class TestContractStepPages(ActionPageTests):
    def action_pages(self, make_user):
        lead = make_user(role=Role.CONTRACT_MANAGER)
        other_manager = make_user(role=Role.CONTRACT_MANAGER)
        smg = make_user(role=Role.SMG)
        auditor = make_user(role=Role.AUDITOR)
        contract = ContractFactory(lead_officer=lead)
        staff = make_user(role=Role.PROVIDER, organisation=contract.provider)

        # Moving the end date is material (SMG decides); a small change of the annual
        # value is not (the contract's officers decide).
        material = _propose(contract, lead, new_end_date=datetime.date(2029, 3, 31))
        minor = _propose(contract, lead, new_annual_value=Decimal("410000"))

        def decide(variation, decision):
            return reverse("contracts:variation_decide", args=[variation.pk, decision])

        period = period_with_returns(contract=contract)
        performance = period.performance_return
        finance = period.financial_return
        FinancialReturn.objects.filter(pk=finance.pk).update(status=ReturnStatus.SUBMITTED)

        def finance_step(to):
            return reverse("contracts:financialreturn_transition", args=[finance.pk, to])

        submitted = ServiceTransferPlanFactory(
            termination_notice__contract=contract, status=TransferPlanStatus.SUBMITTED
        )
        approved = ServiceTransferPlanFactory(
            termination_notice__contract=contract, status=TransferPlanStatus.APPROVED
        )

        def plan_step(plan, action):
            return reverse("contracts:transferplan_step", args=[plan.pk, action])

        return {
            "approve a material variation": ActionPage(
                decide(material, "approve"),
                material,
                allowed=smg,
                refused={"lead officer": lead, "another manager": other_manager},
            ),
            "reject a material variation": ActionPage(
                decide(material, "reject"), material, allowed=smg, refused={"lead officer": lead}
            ),
            "approve a minor variation": ActionPage(
                decide(minor, "approve"),
                minor,
                allowed=lead,
                refused={"another manager": other_manager, "auditor": auditor},
            ),
            "withdraw a variation": ActionPage(
                decide(minor, "withdraw"),
                minor,
                allowed=lead,
                refused={"SMG": smg, "another manager": other_manager},
            ),
            "submit a performance return": ActionPage(
                reverse("contracts:performancereturn_transition", args=[performance.pk, "submit"]),
                performance,
                allowed=staff,
                refused={"SMG": smg, "auditor": auditor},
            ),
            "accept a financial return": ActionPage(
                finance_step("accept"), finance, allowed=lead, refused={"provider": staff}
            ),
            "return a financial return": ActionPage(
                finance_step("return"), finance, allowed=lead, refused={"provider": staff}
            ),
            "approve a transfer plan": ActionPage(
                plan_step(submitted, "approve"),
                submitted,
                allowed=lead,
                refused={"provider": staff},
            ),
            "return a transfer plan": ActionPage(
                plan_step(submitted, "return"), submitted, allowed=lead, refused={"provider": staff}
            ),
            "sign a transfer plan": ActionPage(
                plan_step(approved, "sign"),
                approved,
                allowed=staff,
                refused={"SMG": smg, "auditor": auditor},
            ),
            "edit a transfer plan": ActionPage(
                reverse("contracts:transferplan_update", args=[approved.pk]),
                approved,
                allowed=staff,
                refused={"auditor": auditor},
            ),
        }
