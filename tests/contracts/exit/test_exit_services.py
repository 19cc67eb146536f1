"""The rules of exit planning: the notice deadline, notices of plans, the exit plan and
its tasks and risks, termination notices, the service transfer plan's steps and the
post-contract review that guards the end of a contract. Every guard has a test that it
refuses, with nothing saved."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contracts.exit import models as exit_rules
from contracts.exit import services
from contracts.exit.alerts import BREACH_WINDOW, notice_window
from contracts.exit.models import (
    ExitNotice,
    ExitPlan,
    ExitPlanStatus,
    ExitTask,
    ExitTaskStatus,
    PostContractReview,
    ServiceTransferPlan,
    TerminationNotice,
    TransferPlanEventKind,
    TransferPlanStatus,
    exit_notice_deadline,
)
from contracts.exit.selectors import contract_exit, contracts_ending, exit_notice_status
from contracts.register.choices import ContractStatus, Party
from contracts.register.models.contracts import Contract
from contracts.register.services import contracts as contract_services
from governance.core.models.base import Document
from governance.core.roles import Role
from governance.dashboard import status as overall_status
from risks.models import Risk
from tests.contracts.exit.exit_factories import (
    ExitNoticeFactory,
    ExitPlanFactory,
    ExitTaskFactory,
    PostContractReviewFactory,
    ServiceTransferPlanFactory,
)
from tests.contracts.register.factories import ContactFactory, ContractFactory, OrganisationFactory
from tests.governance.contactlog.log_factories import ContactLogEntryFactory
from tests.risks.factories import RiskFactory
from tests.upload_files import pdf_bytes

pytestmark = pytest.mark.django_db

D = datetime.date


def on(day: D):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(10)), tick=False)


@pytest.fixture
def lead(make_user):
    return make_user(role=Role.CONTRACT_MANAGER, first_name="Morgan", last_name="Lee")


@pytest.fixture
def deputy(make_user):
    return make_user(role=Role.CONTRACT_MANAGER)


@pytest.fixture
def contract(lead, deputy):
    return ContractFactory(lead_officer=lead, deputy_officer=deputy)


@pytest.fixture
def provider_user(make_user, contract):
    return make_user(role=Role.PROVIDER, organisation=contract.provider)


def pdf_upload(name="notice.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


# -- The deadline ---------------------------------------------------------------------------


class TestExitNoticeDeadline:
    @pytest.mark.parametrize(
        ("end", "deadline"),
        [
            (D(2028, 3, 31), D(2027, 9, 30)),
            (D(2027, 8, 31), D(2027, 2, 28)),  # clipped to February's end
            (D(2028, 8, 31), D(2028, 2, 29)),  # a leap year
            (D(2027, 12, 31), D(2027, 6, 30)),
            (D(2027, 1, 15), D(2026, 7, 15)),
        ],
    )
    def test_six_calendar_months_before_the_end_date(self, end, deadline, lead):
        assert exit_notice_deadline(end) == deadline
        # The database computes the same date for lists (sorting and filtering).
        contract = ContractFactory(initial_end_date=end, start_date=D(2024, 4, 1))
        row = contracts_ending(lead, within_months=None).get(pk=contract.pk)
        assert row.exit_notice_deadline == deadline

    def test_every_reader_follows_the_one_setting(self, monkeypatch, lead):
        """The number of months is written once: the Python rule, the database's
        expression, the contract page's breach, the reminders and the overall status all
        move with it (a copy with its own "6 months" would not)."""
        monkeypatch.setattr(exit_rules, "EXIT_NOTICE_MONTHS", 3)
        end, deadline = D(2027, 5, 31), D(2027, 2, 28)  # clipped to February's end
        day_before = deadline - datetime.timedelta(days=1)
        assert exit_notice_deadline(end) == deadline
        contract = ContractFactory(initial_end_date=end, start_date=D(2024, 4, 1))
        row = contracts_ending(lead, within_months=None).get(pk=contract.pk)
        assert row.exit_notice_deadline == deadline
        assert exit_notice_status(contract, today=day_before)["breach"] is False
        assert exit_notice_status(contract, today=deadline)["breach"] is True
        assert notice_window(end, day_before) != BREACH_WINDOW
        assert notice_window(end, deadline) == BREACH_WINDOW
        assert (
            overall_status.gather([contract.pk], day_before)[contract.pk].exit_notice_missed_on
            is None
        )
        missed = overall_status.gather([contract.pk], deadline)[contract.pk]
        assert missed.exit_notice_missed_on == deadline

    def test_contracts_ending_are_restricted_windowed_and_annotated(self, make_user, lead):
        soon = ContractFactory(initial_end_date=D(2027, 6, 30))
        later = ContractFactory(initial_end_date=D(2029, 3, 31))
        ended = ContractFactory(initial_end_date=D(2027, 5, 31), status=ContractStatus.ENDED)
        ExitNoticeFactory(contract=soon, sent_on=D(2026, 10, 1))
        rows = list(contracts_ending(lead, within_months=9, today=D(2026, 11, 1)))
        assert [row.pk for row in rows] == [soon.pk]
        assert rows[0].notice_recorded is True
        assert later.pk in {c.pk for c in contracts_ending(lead, within_months=None)}
        assert ended.pk not in {c.pk for c in contracts_ending(lead, within_months=None)}
        stranger = make_user(role=Role.PROVIDER, organisation=OrganisationFactory())
        assert not contracts_ending(stranger, within_months=None).exists()


# -- Notice of plans -------------------------------------------------------------------------


class TestExitNotice:
    def record(self, contract, actor, **overrides):
        fields = {
            "sent_on": D(2027, 6, 1),
            "intention": "recommission",
            "recipient_name": "Chief executive",
            "contact_log_entry": ContactLogEntryFactory(contract=contract),
        }
        fields.update(overrides)
        return services.exit_notice_record(contract=contract, actor=actor, **fields)

    def test_recorded_against_the_current_end_date(self, contract, lead):
        with on(D(2027, 6, 2)):
            notice = self.record(contract, lead)
        assert notice.end_date == D(2028, 3, 31)
        assert notice.history.get().history_user == lead
        assert services.notice_satisfies_deadline(contract)

    def test_a_copy_of_the_notice_can_be_the_evidence(self, contract, lead):
        with on(D(2027, 6, 2)):
            notice = self.record(contract, lead, contact_log_entry=None, evidence_file=pdf_upload())
        assert notice.evidence.attached_to == contract

    def test_a_recipient_contact_must_work_at_the_provider(self, contract, lead):
        elsewhere = ContactFactory()
        with on(D(2027, 6, 2)), pytest.raises(ValidationError) as error:
            self.record(contract, lead, recipient_name="", recipient_contact=elsewhere)
        assert "recipient_contact" in error.value.message_dict
        with on(D(2027, 6, 2)):
            notice = self.record(
                contract,
                lead,
                recipient_name="",
                recipient_contact=contract.provider_contract_manager,
            )
        assert notice.recipient == str(contract.provider_contract_manager)

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"sent_on": D(2027, 7, 1)}, "sent_on", "cannot be in the future"),
            ({"sent_on": D(2025, 1, 1)}, "sent_on", "before the contract started"),
            ({"recipient_name": ""}, "recipient_contact", "Select the provider contact"),
            ({"contact_log_entry": None}, "evidence_file", "Upload a copy"),
        ],
    )
    def test_bad_input_is_refused(self, contract, lead, overrides, field, message):
        with on(D(2027, 6, 2)), pytest.raises(ValidationError) as error:
            self.record(contract, lead, **overrides)
        assert message in " ".join(error.value.message_dict[field])
        assert not ExitNotice.objects.exists()

    def test_a_log_entry_of_another_contract_is_refused(self, contract, lead):
        other = ContactLogEntryFactory()
        with on(D(2027, 6, 2)), pytest.raises(ValidationError, match="another contract"):
            self.record(contract, lead, contact_log_entry=other)

    def test_a_notice_sent_after_the_contract_ended_is_refused(self, contract, lead):
        with on(D(2028, 5, 1)), pytest.raises(ValidationError) as error:
            self.record(contract, lead, sent_on=D(2028, 4, 2))
        assert "ended on 31 March 2028" in error.value.message_dict["sent_on"][0]
        assert not ExitNotice.objects.exists()

    @pytest.mark.parametrize("status", [ContractStatus.ENDED, ContractStatus.TERMINATED])
    def test_a_closed_contract_takes_no_notice(self, lead, status):
        closed = ContractFactory(lead_officer=lead, status=status)
        with on(D(2027, 6, 2)), pytest.raises(ValidationError, match="no longer be recorded"):
            self.record(closed, lead)
        assert not ExitNotice.objects.exists()

    def test_only_the_officers_record_it(self, contract, make_user):
        for user in (make_user(role=Role.SMG), make_user(role=Role.CONTRACT_MANAGER)):
            with on(D(2027, 6, 2)), pytest.raises(ValidationError, match="lead or deputy"):
                self.record(contract, user)

    def test_a_variation_moving_the_end_date_needs_a_new_notice(self, contract, lead, make_user):
        with on(D(2027, 6, 2)):
            self.record(contract, lead)
        smg = make_user(role=Role.SMG)
        with on(D(2027, 7, 1)):
            variation = contract_services.variation_propose(
                contract=contract,
                actor=lead,
                summary="Extend to cover the procurement",
                justification="Procurement delayed",
                requested_by=Party.COMMISSIONER,
                new_end_date=D(2028, 9, 30),
            )
            contract_services.variation_approve(variation=variation, actor=smg)
        contract.refresh_from_db()
        assert not services.notice_satisfies_deadline(contract)
        row = contracts_ending(lead, within_months=None).get(pk=contract.pk)
        assert row.notice_recorded is False
        assert row.exit_notice_deadline == D(2028, 3, 30)


# -- Exit plan ---------------------------------------------------------------------------------


class TestExitPlan:
    def add_task(self, plan, actor, **overrides):
        fields = {
            "area": "data",
            "description": "Export case records",
            "owner": actor,
            "due_date": D(2027, 2, 1),
        }
        fields.update(overrides)
        return services.exit_task_add(plan=plan, actor=actor, **fields)

    def create(self, contract, lead, **overrides):
        fields = {
            "plan_type": "decommission",
            "approach": "Close referrals three months before the end.",
            "incumbent_obligations": "Keep staffing at contracted levels.",
        }
        fields.update(overrides)
        return services.exit_plan_create(contract=contract, actor=lead, **fields)

    def test_create_with_exit_risks(self, contract, lead):
        risk = RiskFactory(contract=contract, category="exit", owner=lead)
        plan = self.create(contract, lead, risks=[risk])
        assert list(plan.risks.all()) == [risk]
        assert plan.history.get().history_user == lead

    def test_one_plan_per_contract(self, contract, lead):
        self.create(contract, lead)
        with pytest.raises(ValidationError, match="already has an exit plan"):
            self.create(contract, lead)

    def test_incoming_provider_only_when_recommissioning(self, contract, lead):
        incoming = OrganisationFactory()
        with pytest.raises(ValidationError) as error:
            self.create(contract, lead, incoming_provider=incoming)
        assert "incoming_provider" in error.value.message_dict
        with pytest.raises(ValidationError, match="different organisation"):
            self.create(
                contract, lead, plan_type="recommission", incoming_provider=contract.provider
            )
        plan = self.create(contract, lead, plan_type="recommission", incoming_provider=incoming)
        assert plan.incoming_provider == incoming

    def test_only_exit_risks_of_the_contract_link(self, contract, lead):
        other_category = RiskFactory(contract=contract, category="financial", owner=lead)
        with pytest.raises(ValidationError, match="not in the exit category"):
            self.create(contract, lead, risks=[other_category])
        elsewhere = RiskFactory(contract=ContractFactory(), category="exit", owner=lead)
        with pytest.raises(ValidationError, match="not one of this contract's risks"):
            self.create(contract, lead, risks=[elsewhere])
        assert not ExitPlan.objects.exists()

    def test_a_closed_contract_gets_no_plan(self, lead):
        closed = ContractFactory(lead_officer=lead, status=ContractStatus.ENDED)
        with pytest.raises(ValidationError, match="only for an active contract"):
            self.create(closed, lead)

    def test_raising_an_exit_risk_links_it(self, contract, lead):
        plan = ExitPlanFactory(contract=contract)
        risk = services.exit_risk_create(
            plan=plan,
            actor=lead,
            title="Staff leave before the end",
            description="Key workers find other jobs, leaving cases unsupported.",
            level="operational",
            allocation="shared",
            owner=lead,
            inherent_likelihood=4,
            inherent_impact=4,
            residual_likelihood=3,
            residual_impact=3,
        )
        assert risk.category == "exit"
        assert risk.contract == contract
        assert list(plan.risks.all()) == [risk]

    def test_update_changes_risks_and_records_why(self, contract, lead):
        plan = ExitPlanFactory(contract=contract)
        risk = RiskFactory(contract=contract, category="exit", owner=lead)
        changed = services.exit_plan_update(
            instance=plan, actor=lead, reason="Risk added", risks=[risk]
        )
        assert changed == ["risks"]
        assert plan.history.first().history_change_reason == "Risk added"

    def test_status_machine_and_its_guards(self, contract, lead):
        plan = ExitPlanFactory(contract=contract)
        with pytest.raises(ValidationError, match="Add the plan's tasks"):
            services.exit_plan_transition(plan=plan, to_status="agreed", actor=lead, reason="x")
        with pytest.raises(ValidationError, match="cannot become complete"):
            services.exit_plan_transition(plan=plan, to_status="complete", actor=lead, reason="x")
        with pytest.raises(ValidationError, match="This exit plan is already draft"):
            services.exit_plan_transition(plan=plan, to_status="draft", actor=lead, reason="x")
        task = ExitTaskFactory(plan=plan, owner=lead)
        for status in ("agreed", "in_progress"):
            plan = services.exit_plan_transition(
                plan=plan, to_status=status, actor=lead, reason="Agreed at the meeting"
            )
        with pytest.raises(ValidationError, match="1 task is not done"):
            services.exit_plan_transition(plan=plan, to_status="complete", actor=lead, reason="x")
        services.exit_task_update(
            instance=task, actor=lead, reason="Done", status=ExitTaskStatus.DONE
        )
        plan = services.exit_plan_transition(
            plan=plan, to_status="complete", actor=lead, reason="All done"
        )
        assert plan.status == ExitPlanStatus.COMPLETE
        with pytest.raises(ValidationError, match="complete"):
            self.add_task(plan, lead, area="staff", description="Late task", due_date=D(2099, 1, 1))

    def test_tasks_have_an_owner_from_the_commissioner_and_a_future_date(
        self, contract, lead, provider_user
    ):
        plan = ExitPlanFactory(contract=contract)
        with on(D(2027, 1, 10)):
            with pytest.raises(ValidationError) as error:
                self.add_task(plan, lead, due_date=D(2027, 1, 9))
            assert "due_date" in error.value.message_dict
            with pytest.raises(ValidationError) as error:
                self.add_task(plan, lead, owner=provider_user)
            assert "owner" in error.value.message_dict
            assert not ExitTask.objects.exists()
            task = self.add_task(plan, lead)
        assert task.history.get().history_user == lead


# -- Termination notice and service transfer plan ------------------------------------------------


class TestTerminationNotice:
    def serve(self, contract, actor, **overrides):
        fields = {
            "extent": "full",
            "reason": "Repeated failure to meet the service levels.",
            "notice_date": D(2026, 6, 1),
            "effective_date": D(2026, 9, 1),
            "served_by": "commissioner",
        }
        fields.update(overrides)
        return services.termination_notice_record(contract=contract, actor=actor, **fields)

    def test_moves_the_contract_to_exit_and_opens_the_transfer_plan(self, contract, lead):
        with on(D(2026, 6, 2)):
            notice = self.serve(contract, lead)
        contract.refresh_from_db()
        assert contract.status == ContractStatus.IN_EXIT
        plan = notice.transfer_plan
        assert plan.status == TransferPlanStatus.DRAFT
        assert [e.kind for e in plan.events.all()] == [TransferPlanEventKind.OPENED]
        assert "Termination notice dated 1 June 2026" in (
            contract.history.order_by("-history_id").first().history_change_reason
        )

    def test_a_contract_in_exit_stays_in_exit(self, lead):
        contract = ContractFactory(lead_officer=lead, status=ContractStatus.IN_EXIT)
        with on(D(2026, 6, 2)):
            self.serve(contract, lead, extent="partial", affected="The north hub")
        contract.refresh_from_db()
        assert contract.status == ContractStatus.IN_EXIT

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"effective_date": D(2026, 5, 31)}, "effective_date", "before the date of the notice"),
            ({"notice_date": D(2026, 6, 3)}, "notice_date", "cannot be in the future"),
            ({"extent": "partial"}, "affected", "partial termination affects"),
            ({"reason": " "}, "reason", "Give the reason"),
        ],
    )
    def test_bad_input_is_refused(self, contract, lead, overrides, field, message):
        with on(D(2026, 6, 2)), pytest.raises(ValidationError) as error:
            self.serve(contract, lead, **overrides)
        assert message in " ".join(error.value.message_dict[field])
        assert not TerminationNotice.objects.exists()
        contract.refresh_from_db()
        assert contract.status == ContractStatus.ACTIVE

    def test_a_closed_contract_cannot_be_terminated_again(self, lead):
        closed = ContractFactory(lead_officer=lead, status=ContractStatus.TERMINATED)
        with on(D(2026, 6, 2)), pytest.raises(ValidationError, match="active contract"):
            self.serve(closed, lead)

    def test_only_the_officers_record_it(self, contract, make_user):
        with on(D(2026, 6, 2)), pytest.raises(ValidationError, match="lead or deputy"):
            self.serve(contract, make_user(role=Role.SMG))


class TestServiceTransferPlan:
    @pytest.fixture
    def plan(self, contract):
        return ServiceTransferPlanFactory(termination_notice__contract=contract)

    def step(self, plan, action, actor, comments=""):
        return services.transfer_plan_transition(
            plan=plan, action=action, actor=actor, comments=comments
        )

    def test_the_whole_journey(self, plan, lead, provider_user):
        plan = self.step(plan, "submit", provider_user)
        plan = self.step(plan, "return", lead, "Add the data transfer dates.")
        assert plan.review_comments == "Add the data transfer dates."
        services.transfer_plan_update(
            plan=plan,
            actor=provider_user,
            reason="Dates added",
            documentation="Case files by 1 August",
            service_details=plan.service_details,
            priority_clients=plan.priority_clients,
        )
        plan = self.step(plan, "submit", provider_user)
        plan = self.step(plan, "approve", lead)
        plan = self.step(plan, "sign", provider_user)
        assert plan.status == TransferPlanStatus.APPROVED
        assert plan.provider_signed_by == provider_user
        plan = self.step(plan, "sign", lead)
        assert plan.status == TransferPlanStatus.SIGNED
        assert plan.commissioner_signed_by == lead and plan.commissioner_signed_at
        kinds = [e.kind for e in plan.events.all()]
        assert kinds == [
            "submitted",
            "returned",
            "submitted",
            "approved",
            "signed_provider",
            "signed_commissioner",
        ]
        assert plan.history.count() >= 7

    def test_approving_before_submission_is_refused(self, plan, lead):
        with pytest.raises(ValidationError, match="cannot be approved before it is submitted"):
            self.step(plan, "approve", lead)
        plan.refresh_from_db()
        assert plan.status == TransferPlanStatus.DRAFT
        assert plan.events.count() == 0

    def test_approving_a_returned_plan_is_refused(self, plan, lead, provider_user):
        self.step(plan, "submit", provider_user)
        self.step(plan, "return", lead, "Missing the client list.")
        with pytest.raises(ValidationError, match="resubmitted"):
            self.step(plan, "approve", lead)

    @pytest.mark.parametrize("status", ["draft", "submitted", "returned"])
    def test_signing_before_approval_is_refused(self, plan, lead, status):
        ServiceTransferPlan.objects.filter(pk=plan.pk).update(status=status)
        with pytest.raises(ValidationError, match="cannot be signed before the commissioner"):
            self.step(plan, "sign", lead)
        plan.refresh_from_db()
        assert plan.commissioner_signed_by is None

    def test_each_party_signs_once(self, plan, lead, deputy, provider_user):
        ServiceTransferPlan.objects.filter(pk=plan.pk).update(status="approved")
        self.step(plan, "sign", lead)
        with pytest.raises(ValidationError, match="already signed for the commissioner"):
            self.step(plan, "sign", deputy)

    def test_submitting_twice_is_refused(self, plan, provider_user):
        self.step(plan, "submit", provider_user)
        with pytest.raises(ValidationError, match="already been submitted"):
            self.step(plan, "submit", provider_user)

    def test_returning_needs_comments(self, plan, lead, provider_user):
        self.step(plan, "submit", provider_user)
        with pytest.raises(ValidationError, match="needs to change"):
            self.step(plan, "return", lead, "  ")

    def test_an_empty_plan_cannot_be_submitted_without_a_document(self, contract, lead):
        plan = ServiceTransferPlanFactory(
            termination_notice__contract=contract, documentation="", priority_clients=""
        )
        with pytest.raises(ValidationError, match="Fill in the documentation to transfer"):
            self.step(plan, "submit", lead)
        services.transfer_plan_update(
            plan=plan,
            actor=lead,
            reason="Plan uploaded for the provider",
            documentation="",
            service_details=plan.service_details,
            priority_clients="",
            document=pdf_upload("stp.pdf"),
        )
        assert Document.objects.for_object(plan).count() == 1
        assert self.step(plan, "submit", lead).status == TransferPlanStatus.SUBMITTED

    def test_who_may_take_each_step(self, plan, lead, make_user, provider_user):
        other_provider = make_user(role=Role.PROVIDER, organisation=OrganisationFactory())
        with pytest.raises(ValidationError, match="cannot change this service transfer plan"):
            self.step(plan, "submit", other_provider)
        smg = make_user(role=Role.SMG)
        with pytest.raises(ValidationError, match="cannot change this service transfer plan"):
            self.step(plan, "submit", smg)
        plan = self.step(plan, "submit", provider_user)
        with pytest.raises(ValidationError, match="Only the contract's lead or deputy"):
            self.step(plan, "approve", provider_user)
        assert services.transfer_plan_steps(plan, provider_user) == []
        assert set(services.transfer_plan_steps(plan, lead)) == {"return", "approve"}

    def test_the_officer_who_submitted_it_for_the_provider_does_not_approve_it(
        self, plan, lead, deputy
    ):
        plan = self.step(plan, "submit", lead)
        rows, events = plan.history.count(), plan.events.count()
        assert set(services.transfer_plan_steps(plan, lead)) == {"return"}
        with pytest.raises(ValidationError) as refused:
            self.step(plan, "approve", lead, "Looks complete")
        assert refused.value.messages == [
            "You submitted this plan, so someone else must approve it."
        ]
        plan.refresh_from_db()
        assert (plan.status, plan.approved_by) == (TransferPlanStatus.SUBMITTED, None)
        assert (plan.history.count(), plan.events.count()) == (rows, events)
        assert set(services.transfer_plan_steps(plan, deputy)) == {"return", "approve"}
        plan = self.step(plan, "approve", deputy)
        assert (plan.status, plan.approved_by) == (TransferPlanStatus.APPROVED, deputy)

    def test_after_a_resubmission_the_new_submitter_counts(self, plan, lead, deputy, provider_user):
        """Returned with comments and resubmitted by the provider: the officer who first
        submitted it for the provider may now approve the provider's version."""
        self.step(plan, "submit", lead)
        self.step(plan, "return", deputy, "Add the data transfer dates.")
        plan = self.step(plan, "submit", provider_user)
        plan = self.step(plan, "approve", lead)
        assert plan.approved_by == lead

    def test_the_page_says_who_approves_instead(self, plan, lead, deputy, login):
        self.step(plan, "submit", lead)
        url = reverse("contracts:transferplan_step", args=[plan.pk, "approve"])
        page = login(lead).get(plan.get_absolute_url()).content.decode()
        assert url not in page
        assert (
            "You submitted this plan, so someone else must approve it: the contract&#x27;s "
            "other officer (lead or deputy) can."
        ) in page
        page = login(deputy).get(plan.get_absolute_url()).content.decode()
        assert url in page
        assert 'data-testid="approval-note"' not in page

    def test_contents_are_fixed_once_submitted(self, plan, provider_user):
        self.step(plan, "submit", provider_user)
        with pytest.raises(ValidationError, match="can be changed only while"):
            services.transfer_plan_update(
                plan=plan,
                actor=provider_user,
                reason="More",
                documentation="x",
                service_details="y",
                priority_clients="z",
            )

    def test_an_unknown_step_is_refused(self, plan, lead):
        with pytest.raises(ValidationError, match="not a step"):
            self.step(plan, "publish", lead)


# -- Post-contract review and the end of the contract --------------------------------------------


class TestPostContractReview:
    def record(self, contract, lead, **overrides):
        fields = {
            "held_on": D(2028, 3, 1),
            "attendees": "Lead officer\nProvider's manager",
            "outcomes_assessment": "Targets met.",
            "lessons_learned": "Start the exit plan earlier.",
            "future_commissioning": "Specify data formats.",
        }
        fields.update(overrides)
        return services.post_contract_review_record(contract=contract, actor=lead, **fields)

    def test_ending_a_contract_needs_the_review(self, contract, lead):
        with on(D(2028, 4, 1)):
            with pytest.raises(ValidationError, match="Record the post-contract review"):
                contract_services.contract_transition(
                    contract=contract, to_status="ended", actor=lead, reason="Expired"
                )
            contract.refresh_from_db()
            assert contract.status == ContractStatus.ACTIVE
            self.record(contract, lead)
            contract_services.contract_transition(
                contract=contract, to_status="ended", actor=lead, reason="Expired"
            )
        contract.refresh_from_db()
        assert contract.status == ContractStatus.ENDED

    @pytest.mark.parametrize("start", [ContractStatus.ACTIVE, ContractStatus.IN_EXIT])
    def test_terminating_a_contract_needs_the_review(self, lead, start):
        contract = ContractFactory(lead_officer=lead, status=start)
        with pytest.raises(ValidationError, match="Record the post-contract review"):
            contract_services.contract_transition(
                contract=contract, to_status="terminated", actor=lead, reason="Breach"
            )
        assert Contract.objects.get(pk=contract.pk).status == start
        PostContractReviewFactory(contract=contract)
        contract_services.contract_transition(
            contract=contract, to_status="terminated", actor=lead, reason="Breach"
        )
        assert Contract.objects.get(pk=contract.pk).status == ContractStatus.TERMINATED

    def test_in_exit_to_ended_needs_the_review_too(self, lead):
        contract = ContractFactory(lead_officer=lead, status=ContractStatus.IN_EXIT)
        with on(D(2028, 4, 1)), pytest.raises(ValidationError, match="post-contract review"):
            contract_services.contract_transition(
                contract=contract, to_status="ended", actor=lead, reason="Expired"
            )

    def test_a_review_cannot_be_dated_in_the_future(self, contract, lead):
        with on(D(2028, 2, 1)), pytest.raises(ValidationError) as error:
            self.record(contract, lead)
        assert "held_on" in error.value.message_dict
        assert not PostContractReview.objects.exists()

    def test_one_review_per_contract_and_only_before_the_end(self, contract, lead):
        with on(D(2028, 3, 2)):
            self.record(contract, lead)
            with pytest.raises(ValidationError, match="already recorded"):
                self.record(contract, lead)
        ended = ContractFactory(lead_officer=lead, status=ContractStatus.ENDED)
        with on(D(2028, 3, 2)), pytest.raises(ValidationError, match="before it ends"):
            self.record(ended, lead)

    def test_update_records_why(self, contract, lead):
        with on(D(2028, 3, 2)):
            review = self.record(contract, lead)
            changed = services.post_contract_review_update(
                instance=review, actor=lead, reason="Typo", lessons_learned="Plan earlier."
            )
        assert changed == ["lessons_learned"]
        assert review.history.first().history_change_reason == "Typo"


def test_the_auditor_section_selector_reads_every_exit_record(contract, lead, make_user):
    ExitNoticeFactory(contract=contract)
    plan = ExitPlanFactory(contract=contract)
    ExitTaskFactory(plan=plan, owner=lead)
    plan.risks.add(RiskFactory(contract=contract, category="exit", owner=lead))
    ServiceTransferPlanFactory(termination_notice__contract=contract)
    PostContractReviewFactory(contract=contract)
    auditor = make_user(role=Role.AUDITOR)
    found = contract_exit(auditor, contract)
    assert len(found["notices"]) == 1
    assert found["plan"] == plan and len(found["tasks"]) == 1 and len(found["risks"]) == 1
    assert found["terminations"][0].transfer_plan.contract == contract
    assert found["review"] is not None
    provider = make_user(role=Role.PROVIDER, organisation=contract.provider)
    assert contract_exit(provider, contract)["review"] is None
    assert Risk.objects.filter(category="exit").count() == 1


def refusal_of(service, **kwargs) -> list[str]:
    with pytest.raises(ValidationError) as raised:
        service(**kwargs)
    return raised.value.messages


class TestMovesShowTheServicesRefusal:
    def test_notices_on_a_draft_contract_are_shown_disabled_with_why(self, lead, login):
        draft = ContractFactory(lead_officer=lead, status=ContractStatus.DRAFT)
        today = datetime.date.today()
        notice = refusal_of(
            services.exit_notice_record,
            contract=draft,
            actor=lead,
            sent_on=today,
            intention="retender",
            recipient_name="Jo Smith",
            evidence_file=pdf_upload(),
        )
        termination = refusal_of(
            services.termination_notice_record,
            contract=draft,
            actor=lead,
            extent="full",
            reason="Breach",
            notice_date=today,
            effective_date=today,
            served_by=Party.COMMISSIONER,
        )
        assert services.exit_notice_moves(contract=draft, user=lead) == {
            "notice": notice,
            "termination": termination,
        }
        page = login(lead).get(reverse("contracts:contract_exit", args=[draft.pk])).content
        page = page.decode()
        assert f"Record a notice of plans is not available yet: {notice[0]}</p>" in page
        assert f"Record a termination notice is not available yet: {termination[0]}</p>" in page
        assert reverse("contracts:exitnotice_create", args=[draft.pk]) not in page

    def test_on_a_live_contract_the_notices_are_offered_and_taken(self, contract, lead, login):
        assert services.exit_notice_moves(contract=contract, user=lead) == {
            "notice": [],
            "termination": [],
        }
        page = login(lead).get(reverse("contracts:contract_exit", args=[contract.pk]))
        assert reverse("contracts:terminationnotice_create", args=[contract.pk]) in (
            page.content.decode()
        )
        services.termination_notice_record(
            contract=contract,
            actor=lead,
            extent="full",
            reason="Breach",
            notice_date=contract.start_date,
            effective_date=contract.start_date,
            served_by=Party.COMMISSIONER,
        )

    def test_the_submitter_sees_approve_disabled_with_the_four_eyes_refusal(
        self, contract, lead, deputy, login
    ):
        plan = ServiceTransferPlanFactory(termination_notice__contract=contract)
        services.transfer_plan_transition(plan=plan, action="submit", actor=lead)
        plan.refresh_from_db()
        why = refusal_of(services.transfer_plan_transition, plan=plan, action="approve", actor=lead)
        assert why == ["You submitted this plan, so someone else must approve it."]
        assert services.transfer_plan_moves(plan=plan, user=lead) == {
            "return": [],
            "approve": why,
        }
        page = login(lead).get(plan.get_absolute_url()).content.decode()
        assert f"Approve plan is not available yet: {why[0]}</p>" in page
        assert 'aria-disabled="true"' in page
        assert services.transfer_plan_moves(plan=plan, user=deputy) == {
            "return": [],
            "approve": [],
        }
        services.transfer_plan_transition(plan=plan, action="approve", actor=deputy)
