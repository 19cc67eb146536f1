"""The rules of the contracts register: terms, the status machine, extension options
and variations. Each guard has a test that it refuses, and that nothing is saved."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from contracts.register.choices import ContractStatus, ExtensionStatus, VariationStatus
from contracts.register.models.contracts import Contract, ExtensionOption, Variation
from contracts.register.services import contracts as services
from governance.core.roles import Role
from tests.contracts.exit.exit_factories import PostContractReviewFactory
from tests.contracts.register.factories import ContactFactory, ContractFactory, OrganisationFactory
from tests.governance.core.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(make_user):
    return make_user(role=Role.CONTRACT_MANAGER, first_name="Morgan", last_name="Lee")


@pytest.fixture
def deputy(make_user):
    return make_user(role=Role.CONTRACT_MANAGER)


@pytest.fixture
def smg(make_user):
    return make_user(role=Role.SMG)


@pytest.fixture
def contract(lead, deputy):
    return ContractFactory(lead_officer=lead, deputy_officer=deputy)


def new_contract_fields(**overrides):
    provider = OrganisationFactory()
    fields = {
        "reference": "NPCC-2026-001",
        "title": "Victims' referral hub",
        "scope": "Assessment and support",
        "provider": provider,
        "service_area": ContractFactory.build().service_area,
        "total_value": Decimal("900000"),
        "annual_value": Decimal("300000"),
        "start_date": datetime.date(2026, 4, 1),
        "initial_end_date": datetime.date(2029, 3, 31),
        "tier": "gold",
    }
    fields.update(overrides)
    return fields


class TestCreateAndEdit:
    def test_create_records_original_terms_and_history(self, lead):
        contract = services.contract_create(actor=lead, lead_officer=lead, **new_contract_fields())
        assert contract.status == ContractStatus.DRAFT
        assert contract.original_total_value == Decimal("900000")
        assert contract.current_end_date == contract.original_end_date == datetime.date(2029, 3, 31)
        record = contract.history.get()
        assert (record.history_user, record.history_change_reason) == (lead, "Contract registered")

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"total_value": Decimal("-1")}, "total_value", "greater than or equal to 0"),
            (
                {"initial_end_date": datetime.date(2026, 3, 1)},
                "initial_end_date",
                "The initial end date must be between 2 April 2026 and 31 March 2041.",
            ),
            ({"is_strategic_partnership": True}, "lifecycle_stage", "lifecycle stage"),
        ],
    )
    def test_bad_terms_are_refused(self, lead, overrides, field, message):
        with pytest.raises(ValidationError) as caught:
            services.contract_create(actor=lead, **new_contract_fields(**overrides))
        assert message in str(caught.value)
        if field:
            assert field in caught.value.message_dict
        assert not Contract.objects.exists()

    def test_deputy_must_differ_from_lead(self, lead):
        with pytest.raises(ValidationError, match="different person"):
            services.contract_create(
                actor=lead, lead_officer=lead, deputy_officer=lead, **new_contract_fields()
            )
        assert not Contract.objects.exists()

    def test_officers_must_be_contract_managers(self, lead, smg):
        with pytest.raises(ValidationError) as caught:
            services.contract_create(
                actor=lead, lead_officer=lead, deputy_officer=smg, **new_contract_fields()
            )
        assert "is not a contract manager" in caught.value.message_dict["deputy_officer"][0]

    def test_provider_contacts_must_work_for_the_provider(self, lead):
        stranger = ContactFactory()
        with pytest.raises(ValidationError) as caught:
            services.contract_create(
                actor=lead, provider_contract_manager=stranger, **new_contract_fields()
            )
        assert "is not a contact at" in caught.value.message_dict["provider_contract_manager"][0]

    def test_active_terms_change_only_by_variation(self, contract, lead):
        with pytest.raises(ValidationError, match="propose a variation"):
            services.contract_update(
                instance=contract, actor=lead, reason="Uplift", total_value=Decimal("2000000")
            )
        contract.refresh_from_db()
        assert contract.total_value == Decimal("1200000.00")

    def test_active_contract_other_fields_may_change(self, contract, lead):
        changed = services.contract_update(
            instance=contract, actor=lead, reason="Regraded", tier="gold"
        )
        assert changed == ["tier"]
        assert contract.history.first().history_change_reason == "Regraded"

    def test_draft_terms_may_change_and_reset_the_original(self, contract, lead):
        Contract.objects.filter(pk=contract.pk).update(status=ContractStatus.DRAFT)
        contract.refresh_from_db()
        services.contract_update(
            instance=contract, actor=lead, reason="Final price", total_value=Decimal("1500000")
        )
        contract.refresh_from_db()
        assert contract.original_total_value == Decimal("1500000")

    def test_only_the_officers_may_edit(self, contract, make_user):
        other_manager = make_user(role=Role.CONTRACT_MANAGER)
        with pytest.raises(ValidationError, match="lead or deputy officer"):
            services.contract_update(
                instance=contract, actor=other_manager, reason="x", tier="gold"
            )


class TestStatusMachine:
    def test_activation_needs_both_officers_and_the_providers_manager(self, lead):
        contract = ContractFactory(
            status=ContractStatus.DRAFT, lead_officer=lead, provider_contract_manager=None
        )
        with pytest.raises(ValidationError) as caught:
            services.contract_transition(
                contract=contract, to_status="active", actor=lead, reason="Signed"
            )
        assert caught.value.messages == [
            "Name the deputy officer.",
            "Name the provider's contract manager.",
        ]
        contract.refresh_from_db()
        assert contract.status == ContractStatus.DRAFT

    def test_activation(self, lead, deputy):
        contract = ContractFactory(
            status=ContractStatus.DRAFT, lead_officer=lead, deputy_officer=deputy
        )
        services.contract_transition(
            contract=contract, to_status="active", actor=deputy, reason="Signed by both"
        )
        contract.refresh_from_db()
        assert contract.status == ContractStatus.ACTIVE
        latest = contract.history.first()
        assert (latest.history_user, latest.history_change_reason) == (deputy, "Signed by both")

    @pytest.mark.parametrize(
        ("start", "to"),
        [("draft", "ended"), ("draft", "terminated"), ("ended", "active"), ("terminated", "ended")],
    )
    def test_illegal_transitions_are_refused(self, lead, start, to):
        contract = ContractFactory(status=start, lead_officer=lead)
        with pytest.raises(ValidationError, match="cannot become"):
            services.contract_transition(contract=contract, to_status=to, actor=lead, reason="x")
        contract.refresh_from_db()
        assert contract.status == start

    def test_a_step_already_taken_says_so(self, contract, lead):
        before = contract.history.count()
        with pytest.raises(ValidationError, match=r"^\['This contract is already active\.'\]$"):
            services.contract_transition(
                contract=contract, to_status="active", actor=lead, reason="Again"
            )
        assert contract.history.count() == before

    def test_a_contract_cannot_end_before_its_end_date(self, contract, lead):
        with time_machine.travel(datetime.date(2028, 3, 30)):
            with pytest.raises(ValidationError, match=r"runs until 31 March 2028\. Terminate it"):
                services.contract_transition(
                    contract=contract, to_status="ended", actor=lead, reason="Expired"
                )
        PostContractReviewFactory(contract=contract, recorded_by=lead)
        with time_machine.travel(datetime.date(2028, 3, 31)):
            services.contract_transition(
                contract=contract, to_status="ended", actor=lead, reason="Expired"
            )
        contract.refresh_from_db()
        assert contract.status == ContractStatus.ENDED

    def test_termination_ends_early(self, contract, lead):
        PostContractReviewFactory(contract=contract, recorded_by=lead)
        services.contract_transition(
            contract=contract, to_status="terminated", actor=lead, reason="Breach of contract"
        )
        contract.refresh_from_db()
        assert contract.status == ContractStatus.TERMINATED

    def test_only_officers_change_status(self, contract, smg):
        with pytest.raises(ValidationError, match="lead or deputy officer"):
            services.contract_transition(
                contract=contract, to_status="terminated", actor=smg, reason="x"
            )

    def test_allowed_transitions_follow_the_table(self, contract):
        assert set(services.allowed_transitions(contract)) == {"in_exit", "ended", "terminated"}


class TestExtensionOptions:
    def add(self, contract, lead, months=12, deadline=datetime.date(2027, 9, 30)):
        return services.extension_add(
            contract=contract, actor=lead, length_months=months, decision_deadline=deadline
        )

    def test_options_are_numbered_in_order(self, contract, lead):
        first = self.add(contract, lead)
        second = self.add(contract, lead, deadline=datetime.date(2028, 9, 30))
        assert (first.sequence, second.sequence) == (1, 2)

    @pytest.mark.parametrize(
        ("deadline", "message"),
        [
            (datetime.date(2025, 3, 1), "cannot be before the contract starts"),
            (datetime.date(2028, 3, 31), "must be before 31 March 2028"),
            (datetime.date(2028, 6, 1), "must be before 31 March 2028"),
        ],
    )
    def test_option_window_must_fall_inside_the_term(self, contract, lead, deadline, message):
        with pytest.raises(ValidationError, match=message):
            self.add(contract, lead, deadline=deadline)
        assert not ExtensionOption.objects.exists()

    def test_later_option_deadline_must_follow_the_earlier(self, contract, lead):
        self.add(contract, lead, deadline=datetime.date(2027, 9, 30))
        with pytest.raises(ValidationError, match="after the previous option's deadline"):
            self.add(contract, lead, deadline=datetime.date(2027, 6, 30))
        assert ExtensionOption.objects.count() == 1

    def test_a_second_option_may_be_decided_inside_the_first_extension(self, contract, lead):
        self.add(contract, lead, months=12)
        second = self.add(contract, lead, deadline=datetime.date(2028, 12, 31))
        assert second.sequence == 2

    def test_exercising_moves_the_end_date_with_the_reason_in_history(self, contract, lead):
        option = self.add(contract, lead, months=18)
        with time_machine.travel(datetime.date(2027, 9, 30)):  # the deadline day itself
            services.extension_exercise(option=option, actor=lead, notes="Good performance")
        contract.refresh_from_db()
        assert contract.current_end_date == datetime.date(2029, 9, 30)
        assert contract.initial_end_date == datetime.date(2028, 3, 31)
        assert "Extension option 1 exercised" in contract.history.first().history_change_reason

    def test_exercise_after_the_deadline_is_refused(self, contract, lead):
        option = self.add(contract, lead)
        with time_machine.travel(datetime.date(2027, 10, 1)):
            with pytest.raises(ValidationError, match="30 September 2027, has passed"):
                services.extension_exercise(option=option, actor=lead)
        option.refresh_from_db()
        contract.refresh_from_db()
        assert option.status == ExtensionStatus.PENDING
        assert contract.current_end_date == datetime.date(2028, 3, 31)

    def test_options_are_exercised_in_order(self, contract, lead):
        self.add(contract, lead)
        second = self.add(contract, lead, deadline=datetime.date(2028, 9, 30))
        with time_machine.travel(datetime.date(2027, 1, 5)):
            with pytest.raises(ValidationError, match="earlier option must be exercised"):
                services.extension_exercise(option=second, actor=lead)

    def test_an_option_is_decided_once(self, contract, lead):
        option = self.add(contract, lead)
        with time_machine.travel(datetime.date(2027, 1, 5)):
            services.extension_exercise(option=option, actor=lead)
            with pytest.raises(ValidationError, match="already been exercised"):
                services.extension_exercise(option=option, actor=lead)

    def test_declining_needs_a_reason_and_lapses_later_options(self, contract, lead):
        first = self.add(contract, lead)
        second = self.add(contract, lead, deadline=datetime.date(2028, 9, 30))
        with pytest.raises(ValidationError, match="reason"):
            services.extension_decline(option=first, actor=lead, notes=" ")
        services.extension_decline(option=first, actor=lead, notes="Re-commissioning instead")
        second.refresh_from_db()
        assert second.status == ExtensionStatus.DECLINED
        assert "Lapsed" in second.decision_notes
        with pytest.raises(ValidationError, match="earlier option was declined"):
            self.add(contract, lead, deadline=datetime.date(2028, 1, 31))

    def test_an_ended_contract_is_not_extended(self, lead):
        contract = ContractFactory(lead_officer=lead)
        option = self.add(contract, lead)
        Contract.objects.filter(pk=contract.pk).update(status=ContractStatus.TERMINATED)
        with time_machine.travel(datetime.date(2027, 1, 5)):
            with pytest.raises(ValidationError, match="Only an active contract"):
                services.extension_exercise(option=option, actor=lead)


class TestVariations:
    def propose(self, contract, actor, **changes):
        return services.variation_propose(
            contract=contract,
            actor=actor,
            summary="Change",
            justification="Demand has grown",
            requested_by="commissioner",
            **changes,
        )

    def test_a_variation_must_change_something(self, contract, lead):
        with pytest.raises(ValidationError, match="Enter at least one change"):
            self.propose(contract, lead, new_total_value=contract.total_value)
        assert not Variation.objects.exists()

    def test_only_live_contracts_are_varied(self, lead):
        contract = ContractFactory(status=ContractStatus.DRAFT, lead_officer=lead)
        with pytest.raises(ValidationError, match="only for an active contract"):
            self.propose(contract, lead, new_total_value=Decimal(1))

    def test_a_change_of_exactly_ten_percent_is_for_the_officers(self, contract, lead, deputy):
        variation = self.propose(contract, lead, new_total_value=Decimal("1320000.00"))
        assert not variation.needs_smg_approval
        services.variation_approve(variation=variation, actor=deputy, notes="Within delegation")
        contract.refresh_from_db()
        assert contract.total_value == Decimal("1320000.00")

    def test_more_than_ten_percent_needs_smg(self, contract, lead, smg):
        variation = self.propose(contract, lead, new_total_value=Decimal("1320000.01"))
        assert variation.needs_smg_approval
        with pytest.raises(ValidationError, match="Senior Management Group must decide"):
            services.variation_approve(variation=variation, actor=lead)
        contract.refresh_from_db()
        assert contract.total_value == Decimal("1200000.00")
        services.variation_approve(variation=variation, actor=smg, notes="Agreed at SMG")
        contract.refresh_from_db()
        assert contract.total_value == Decimal("1320000.01")

    def test_moving_the_end_date_needs_smg(self, contract, lead, smg):
        variation = self.propose(contract, lead, new_end_date=datetime.date(2028, 9, 30))
        assert variation.needs_smg_approval
        with pytest.raises(ValidationError, match="Senior Management Group"):
            services.variation_approve(variation=variation, actor=lead)
        services.variation_approve(variation=variation, actor=smg)
        contract.refresh_from_db()
        assert contract.initial_end_date == contract.current_end_date == datetime.date(2028, 9, 30)

    def test_approval_changes_the_contract_with_the_variation_as_reason(
        self, contract, lead, deputy
    ):
        variation = self.propose(
            contract, lead, new_annual_value=Decimal("450000"), new_scope="Wider scope"
        )
        services.variation_approve(variation=variation, actor=deputy)
        contract.refresh_from_db()
        assert (contract.annual_value, contract.scope) == (Decimal("450000"), "Wider scope")
        latest = contract.history.first()
        assert latest.history_change_reason == f"Variation {variation.reference} approved: Change"
        assert latest.history_user == deputy

    def test_whoever_proposed_it_cannot_approve_it(self, contract, lead, deputy):
        variation = self.propose(contract, lead, new_annual_value=Decimal("450000"))
        contract_rows = contract.history.count()
        variation_rows = variation.history.count()
        with pytest.raises(ValidationError) as refused:
            services.variation_approve(variation=variation, actor=lead, notes="Mine")
        assert refused.value.messages == [
            "You proposed this variation, so someone else must approve it."
        ]
        variation.refresh_from_db()
        contract.refresh_from_db()
        assert (variation.status, variation.decided_by) == (VariationStatus.PROPOSED, None)
        assert contract.annual_value == Decimal("400000.00")
        assert (contract.history.count(), variation.history.count()) == (
            contract_rows,
            variation_rows,
        )
        services.variation_approve(variation=variation, actor=deputy)
        variation.refresh_from_db()
        assert (variation.status, variation.decided_by) == (VariationStatus.APPROVED, deputy)

    def test_an_smg_member_who_proposed_it_cannot_approve_it(self, make_user):
        """The rule holds at every level: an SMG member who is also the contract's lead
        officer proposes a material change; another SMG member approves it."""
        both = UserFactory(roles=[Role.SMG, Role.CONTRACT_MANAGER])
        contract = ContractFactory(lead_officer=both, deputy_officer=make_user())
        variation = self.propose(contract, both, new_total_value=Decimal("2000000"))
        assert variation.needs_smg_approval
        with pytest.raises(ValidationError, match="You proposed this variation"):
            services.variation_approve(variation=variation, actor=both)
        with pytest.raises(ValidationError, match="You proposed this variation"):
            services.variation_approve(variation=variation, actor=both)
        services.variation_approve(variation=variation, actor=make_user(role=Role.SMG))
        variation.refresh_from_db()
        assert variation.status == VariationStatus.APPROVED

    def test_whoever_proposed_it_may_still_withdraw_it(self, contract, lead):
        variation = self.propose(contract, lead, new_annual_value=Decimal("450000"))
        services.variation_withdraw(variation=variation, actor=lead, notes="Not needed")
        variation.refresh_from_db()
        assert variation.status == VariationStatus.WITHDRAWN

    def test_cumulative_change_against_the_original_terms(self, contract, lead, deputy, smg):
        first = self.propose(contract, lead, new_total_value=Decimal("1300000"))
        services.variation_approve(variation=first, actor=deputy)
        second = self.propose(
            contract,
            lead,
            new_total_value=Decimal("1500000"),
            new_end_date=datetime.date(2028, 9, 30),
        )
        services.variation_approve(variation=second, actor=smg)
        second.refresh_from_db()
        assert second.cumulative_value_change == Decimal("300000.00")
        assert second.cumulative_value_change_percent == Decimal("25.00")
        assert second.cumulative_term_change_months == 6

    def test_a_contract_manager_of_another_contract_cannot_decide(self, contract, lead, make_user):
        variation = self.propose(contract, lead, new_annual_value=Decimal("410000"))
        with pytest.raises(ValidationError, match="lead or deputy officer, or SMG"):
            services.variation_approve(
                variation=variation, actor=make_user(role=Role.CONTRACT_MANAGER)
            )

    def test_rejection_needs_a_reason_and_changes_nothing(self, contract, lead):
        variation = self.propose(contract, lead, new_annual_value=Decimal("410000"))
        with pytest.raises(ValidationError, match="reason"):
            services.variation_reject(variation=variation, actor=lead, notes="")
        services.variation_reject(variation=variation, actor=lead, notes="Not affordable")
        variation.refresh_from_db()
        contract.refresh_from_db()
        assert variation.status == VariationStatus.REJECTED
        assert contract.annual_value == Decimal("400000.00")

    def test_a_decided_variation_cannot_be_decided_again(self, contract, lead):
        variation = self.propose(contract, lead, new_annual_value=Decimal("410000"))
        services.variation_withdraw(variation=variation, actor=lead)
        with pytest.raises(ValidationError, match="already been withdrawn"):
            services.variation_approve(variation=variation, actor=lead)

    def test_withdrawal_by_someone_unconnected_is_refused(self, contract, lead, make_user):
        variation = self.propose(contract, lead, new_annual_value=Decimal("410000"))
        with pytest.raises(ValidationError, match="proposed it"):
            services.variation_withdraw(variation=variation, actor=make_user(role=Role.SMG))
