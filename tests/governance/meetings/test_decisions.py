"""The decision log: decisions recorded on their own for a contract or the portfolio,
proposed then approved or rejected by someone holding their level, never edited once
approved but superseded by a new decision, both kept. Every rule refuses with its
sentence and saves nothing; the pages keep to scope and cost a constant number of
queries."""

import datetime
import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from governance.core.models.base import Document
from governance.core.roles import Role
from governance.meetings.choices import DecisionLevel, DecisionStatus
from governance.meetings.models import Decision
from governance.meetings.services import decisions as services
from governance.meetings.services.meetings import decision_raise
from tests.checks import date_data, refused
from tests.contracts.register.factories import ContractFactory
from tests.governance.contactlog.log_factories import LogDecisionFactory
from tests.governance.meetings.helpers import (
    first_change,
    latest_change,
    outsiders,
    provider_user_holding,
    refused_unchanged,
)
from tests.governance.meetings.meeting_factories import DecisionFactory, HeldMeetingFactory, at
from tests.upload_files import pdf_bytes
from tests.view_cases import ContractRecordViews, ModelViewTests, count_queries, form_errors

TODAY = datetime.date(2026, 6, 15)
FROZEN_AT = at(2026, 6, 15, 11)  # the clock of every test here (see conftest.py)


def fields(**overrides) -> dict:
    return {
        "title": "Move budget to the rural hubs",
        "decision": "Move 5% of the outreach budget to the rural hubs.",
        "rationale": "Rural referrals doubled last quarter.",
        "decided_by": "Lead officer",
        "level": DecisionLevel.CONTRACT_MANAGER,
        "decided_on": datetime.date(2026, 6, 12),
        **overrides,
    }


def new_fields(**overrides) -> dict:
    """What decision_supersede takes: the wording of the new decision is
    ``what_was_decided``, since ``decision`` names the one superseded."""
    values = fields(**overrides)
    values["what_was_decided"] = values.pop("decision")
    return values


def form_data(**overrides) -> dict:
    data = fields(**overrides)
    return {**data, **date_data("decided_on", data.pop("decided_on"))}


def snapshot(decision: Decision) -> tuple:
    decision.refresh_from_db()
    return (decision.status, decision.title, decision.decided_on, decision.history.count())


def record(contract, actor, **overrides) -> Decision:
    """Record a decision on ``contract`` (None for the portfolio) through the service."""
    return services.decision_record(contract=contract, actor=actor, **fields(**overrides))


def decide(decision, actor, status=DecisionStatus.APPROVED, **more) -> Decision:
    """Approve ``decision`` (or move it to ``status``) through the service."""
    return services.decision_transition(decision=decision, actor=actor, status=status, **more)


def supersede(old, actor, **overrides) -> Decision:
    """Record a new decision that supersedes ``old`` through the service."""
    return services.decision_supersede(decision=old, actor=actor, **new_fields(**overrides))


def update_refused(decision, actor, **changes) -> ValidationError:
    """Why ``actor``'s change to ``decision`` is refused; nothing is written."""
    return refused_unchanged(
        services.decision_update, snapshot, decision, instance=decision, actor=actor, **changes
    )


def decide_refused(decision, actor, status=DecisionStatus.APPROVED, **more) -> ValidationError:
    """Why ``actor`` may not approve ``decision`` (or move it to ``status``); nothing is
    written."""
    return refused_unchanged(
        decide, snapshot, decision, decision=decision, actor=actor, status=status, **more
    )


# -- Recording ----------------------------------------------------------------------------


@pytest.mark.django_db
class TestRecording:
    def test_a_proposal_on_a_contract_records_who_and_why(self, contract, officer):
        decision = record(contract, officer, reason="Raised at the catch-up")
        assert (decision.status, decision.contract, decision.meeting) == (
            DecisionStatus.PROPOSED,
            contract,
            None,
        )
        assert decision.recorded_by == officer
        assert decision.reference == f"D{decision.pk:05d}"
        assert first_change(decision) == (officer, "Raised at the catch-up")

    def test_a_decision_already_taken_is_recorded_as_approved(self, contract, officer):
        decision = record(contract, officer, status=DecisionStatus.APPROVED)
        assert decision.status == DecisionStatus.APPROVED
        assert decision.history.get().history_change_reason == "Decision recorded"

    def test_a_portfolio_decision_has_no_contract(self, make_user):
        pdm = make_user(role=Role.PDM)
        policy = {"level": DecisionLevel.PDM, "decided_by": "Policy team"}
        decision = record(None, pdm, **policy)
        assert decision.contract is None
        approved = record(None, pdm, status=DecisionStatus.APPROVED, **policy)
        assert approved.status == DecisionStatus.APPROVED

    def test_only_someone_holding_the_level_records_it_as_approved(self, contract, officer):
        error = refused(
            record,
            contract=contract,
            actor=officer,
            status=DecisionStatus.APPROVED,
            level=DecisionLevel.SMG,
            decided_by="SMG",
        )
        assert error.messages == [
            "Only a member of the Senior Management Group can approve an SMG decision: "
            "record it as proposed, for them to approve."
        ]
        assert not Decision.objects.exists()

    def test_only_the_contracts_officers_record_its_decisions(self, contract, make_user):
        roles = (Role.CONTRACT_MANAGER, Role.AUDITOR, Role.PROVIDER)
        for outsider in outsiders(make_user, contract, roles):
            error = refused(record, contract=contract, actor=outsider)
            assert error.messages == [
                "Only the contract's lead or deputy officer can record its decisions."
            ]
        error = refused(record, contract=None, actor=make_user(role=Role.AUDITOR))
        assert error.messages == [
            "You do not have permission to record decisions for the portfolio."
        ]
        assert not Decision.objects.exists()

    def test_a_decision_cannot_be_dated_in_the_future(self, contract, officer):
        error = refused(
            record, contract=contract, actor=officer, decided_on=datetime.date(2026, 6, 16)
        )
        assert error.message_dict == {
            "decided_on": ["The date of the decision cannot be in the future."]
        }
        assert not Decision.objects.exists()

    def test_missing_answers_are_named(self, contract, officer):
        blanks = {"title": " ", "decision": "", "decided_by": "", "level": "", "decided_on": None}
        error = refused(record, contract=contract, actor=officer, **blanks)
        assert error.message_dict == {
            "title": ["Enter a short title for the decision."],
            "decision": ["Enter what was decided."],
            "decided_by": ["Enter who decided: a person or a body such as SMG."],
            "level": ["Select the level at which it was decided."],
            "decided_on": ["Enter the date of the decision."],
        }

    @pytest.mark.parametrize("status", [DecisionStatus.REJECTED, DecisionStatus.SUPERSEDED])
    def test_a_new_decision_is_proposed_or_approved(self, contract, officer, status):
        error = refused(record, contract=contract, actor=officer, status=status)
        assert error.message_dict == {
            "status": ["Say whether the decision is proposed or has already been approved."]
        }
        assert not Decision.objects.exists()


# -- Editing ------------------------------------------------------------------------------


@pytest.mark.django_db
class TestEditing:
    def test_a_proposal_is_corrected_with_who_and_why(self, contract, officer):
        decision = LogDecisionFactory(contract=contract)
        changed = services.decision_update(
            instance=decision, actor=officer, reason="Typo", title="Corrected title"
        )
        assert changed == ["title"]
        assert latest_change(decision) == (officer, "Typo")

    def test_an_approved_decision_cannot_be_changed(self, contract, officer):
        decision = LogDecisionFactory(contract=contract, status=DecisionStatus.APPROVED)
        error = update_refused(decision, officer, reason="Change of heart", title="Something else")
        assert error.messages == [
            "An approved decision cannot be changed: record a new decision that supersedes it."
        ]

    def test_decisions_from_meetings_are_approved_and_final_too(self, contract, officer):
        decision = DecisionFactory(meeting=HeldMeetingFactory(contract=contract))
        error = update_refused(decision, officer, reason="x", title="y")
        assert error.messages == [services.APPROVED_IS_FINAL]

    def test_rejected_and_superseded_decisions_are_final(self, contract, officer):
        rejected = LogDecisionFactory(contract=contract, status=DecisionStatus.REJECTED)
        error = update_refused(rejected, officer, reason="x", title="y")
        assert error.messages == [
            "A rejected decision cannot be changed: record a new proposal instead."
        ]
        old = LogDecisionFactory(contract=contract, status=DecisionStatus.APPROVED)
        new = supersede(old, officer)
        error = update_refused(old, officer, reason="x", title="y")
        assert error.messages == [
            f"This decision has been superseded by {new.reference} and can no longer be changed."
        ]

    def test_only_the_officers_change_a_contracts_proposal(self, contract, make_user):
        decision = LogDecisionFactory(contract=contract)
        for outsider in outsiders(make_user, contract, (Role.CONTRACT_MANAGER, Role.SMG)):
            error = update_refused(decision, outsider, reason="x", title="y")
            assert error.messages == [
                "Only the contract's lead or deputy officer can change its decisions."
            ]

    def test_a_correction_is_checked_like_a_new_decision(self, contract, officer):
        decision = LogDecisionFactory(contract=contract)
        error = update_refused(
            decision, officer, reason="Date", title="", decided_on=datetime.date(2026, 7, 1)
        )
        assert error.message_dict == {
            "title": ["Enter a short title for the decision."],
            "decided_on": ["The date of the decision cannot be in the future."],
        }


# -- Approving and rejecting ----------------------------------------------------------------


@pytest.mark.django_db
class TestTransitions:
    def test_the_officer_approves_a_contract_manager_decision(self, contract, officer):
        decision = LogDecisionFactory(contract=contract)
        decide(decision, officer)
        decision.refresh_from_db()
        assert (decision.status, decision.decided_on) == (DecisionStatus.APPROVED, TODAY)
        assert latest_change(decision) == (officer, "Approved")

    def test_an_smg_decision_needs_an_smg_member(self, contract, officer, make_user):
        decision = LogDecisionFactory(contract=contract, level=DecisionLevel.SMG)
        for actor in (officer, make_user(role=Role.PDM)):
            error = decide_refused(decision, actor)
            assert error.messages == [
                "Only a member of the Senior Management Group can approve an SMG decision."
            ]
        smg = make_user(role=Role.SMG)  # not an officer of the contract: SMG's authority
        decide(decision, smg, decided_on=datetime.date(2026, 6, 10))
        decision.refresh_from_db()
        assert (decision.status, decision.decided_on) == (
            DecisionStatus.APPROVED,
            datetime.date(2026, 6, 10),
        )

    def test_a_pdm_decides_pdm_decisions_and_those_below(self, contract, make_user):
        pdm = make_user(role=Role.PDM)
        for level in (DecisionLevel.PDM, DecisionLevel.CONTRACT_MANAGER):
            decide(LogDecisionFactory(contract=contract, level=level), pdm)
        commissioner = LogDecisionFactory(contract=contract, level=DecisionLevel.COMMISSIONER)
        error = decide_refused(commissioner, pdm, DecisionStatus.REJECTED, reason="No budget")
        assert error.messages == [
            "Only a member of the Senior Management Group can reject a commissioner decision."
        ]

    def test_other_contract_managers_and_auditors_decide_nothing(self, contract, make_user):
        decision = LogDecisionFactory(contract=contract)
        for actor in (make_user(role=Role.CONTRACT_MANAGER), make_user(role=Role.AUDITOR)):
            error = decide_refused(decision, actor)
            assert "can approve a contract manager decision" in error.messages[0]
        assert Decision.objects.get().status == DecisionStatus.PROPOSED

    def test_a_rejection_says_why(self, contract, officer):
        decision = LogDecisionFactory(contract=contract)
        error = decide_refused(decision, officer, DecisionStatus.REJECTED, reason="  ")
        assert error.message_dict == {"reason": ["Give the reason the proposal is rejected."]}
        assert snapshot(decision)[0] == DecisionStatus.PROPOSED
        decide(decision, officer, DecisionStatus.REJECTED, reason="Not affordable this year")
        decision.refresh_from_db()
        assert decision.status == DecisionStatus.REJECTED
        assert latest_change(decision)[1] == "Rejected: Not affordable this year"

    def test_only_a_proposal_moves(self, contract, officer):
        approved = LogDecisionFactory(contract=contract, status=DecisionStatus.APPROVED)
        error = decide_refused(
            approved, officer, DecisionStatus.REJECTED, reason="Changed our minds"
        )
        assert error.messages == [services.APPROVED_IS_FINAL]
        rejected = LogDecisionFactory(contract=contract, status=DecisionStatus.REJECTED)
        error = decide_refused(rejected, officer)
        assert error.messages == [
            "This decision is rejected: only a proposed decision can be approved or rejected."
        ]
        assert snapshot(approved)[0] == DecisionStatus.APPROVED
        assert snapshot(rejected)[0] == DecisionStatus.REJECTED

    def test_superseding_is_not_a_transition(self, contract, officer):
        decision = LogDecisionFactory(contract=contract)
        error = decide_refused(decision, officer, DecisionStatus.SUPERSEDED)
        assert list(error.message_dict) == ["status"]
        assert "recording the decision that replaces it" in error.messages[0]

    @pytest.mark.parametrize(
        ("day", "message"),
        [
            (datetime.date(2026, 6, 16), "The date of the decision cannot be in the future."),
            (
                datetime.date(2026, 5, 31),
                "The decision cannot be dated before it was proposed, 1 June 2026.",
            ),
        ],
    )
    def test_the_date_decided_is_checked(self, contract, officer, day, message):
        decision = LogDecisionFactory(contract=contract)
        error = decide_refused(decision, officer, decided_on=day)
        assert error.message_dict == {"decided_on": [message]}


@pytest.mark.django_db
class TestWhoeverProposesDoesNotApprove:
    def test_the_officer_who_proposed_it_cannot_approve_it(self, contract, officer, make_user):
        decision = record(contract, officer)
        error = decide_refused(decision, officer)
        assert error.messages == ["You proposed this decision, so someone else must approve it."]
        deputy = make_user(role=Role.CONTRACT_MANAGER)
        contract.deputy_officer = deputy
        contract.save()
        decide(decision, deputy)
        decision.refresh_from_db()
        assert decision.status == DecisionStatus.APPROVED
        assert latest_change(decision)[0] == deputy

    def test_the_proposer_may_still_reject_their_own_proposal(self, contract, officer):
        decision = record(contract, officer)
        decide(decision, officer, DecisionStatus.REJECTED, reason="Overtaken by events")
        assert snapshot(decision)[0] == DecisionStatus.REJECTED

    def test_an_smg_member_does_not_approve_their_own_proposal(self, make_user):
        proposer, colleague = make_user(role=Role.SMG), make_user(role=Role.SMG)
        decision = record(None, proposer, level=DecisionLevel.SMG, decided_by="SMG")
        error = decide_refused(decision, proposer)
        assert error.messages == ["You proposed this decision, so someone else must approve it."]
        decide(decision, colleague)
        assert snapshot(decision)[0] == DecisionStatus.APPROVED

    def test_a_decision_from_a_meeting_above_the_recorder_waits_for_someone_else(
        self, contract, officer, make_user
    ):
        """Raised in a meeting by the officer at SMG level, it is proposed; an SMG member,
        not the officer who recorded it, approves it."""
        meeting = HeldMeetingFactory(contract=contract)
        decision = decision_raise(
            meeting=meeting,
            actor=officer,
            title="Extend the outreach pilot",
            decision="Run the pilot for another year.",
            decided_by="SMG",
            level=DecisionLevel.SMG,
            decided_on=TODAY,
        )
        assert decision.status == DecisionStatus.PROPOSED
        decide(decision, make_user(role=Role.SMG))
        assert snapshot(decision)[0] == DecisionStatus.APPROVED

    def test_the_page_offers_the_proposer_no_approval(self, contract, officer, make_user, login):
        decision = record(contract, officer)
        client = login(officer)
        url = reverse("governance:decision_transition", args=[decision.pk])
        page = client.get(decision.get_absolute_url()).content.decode()
        assert url not in page
        assert (
            "You proposed this decision, so someone else must approve it: the contract&#x27;s "
            "lead or deputy officer, a policy development manager or SMG."
        ) in page
        response = client.post(url, {"status": DecisionStatus.APPROVED})
        assert response.status_code == 400
        assert form_errors(response) == [
            "Error: You proposed this decision, so someone else must approve it."
        ]
        assert snapshot(decision)[0] == DecisionStatus.PROPOSED
        page = login(make_user(role=Role.PDM)).get(decision.get_absolute_url()).content.decode()
        assert url in page
        assert 'data-testid="approval-note"' not in page

    def test_the_proposer_sees_the_move_disabled_with_the_services_refusal(
        self, contract, officer, make_user, login
    ):
        decision = record(contract, officer)
        why = decide_refused(decision, officer).messages
        assert services.decision_moves(decision=decision, user=officer) == {"decide": why}
        page = html.unescape(login(officer).get(decision.get_absolute_url()).content.decode())
        assert f"Approve or reject is not available yet: {why[0]}</p>" in page
        assert 'aria-disabled="true"' in page and "govuk-button--disabled" in page

        pdm = make_user(role=Role.PDM)
        assert services.decision_moves(decision=decision, user=pdm) == {"decide": []}
        url = reverse("governance:decision_transition", args=[decision.pk])
        client = login(pdm)
        assert url in client.get(decision.get_absolute_url()).content.decode()
        assert client.post(url, {"status": DecisionStatus.APPROVED}).status_code == 302
        assert snapshot(decision)[0] == DecisionStatus.APPROVED
        decision.refresh_from_db()
        assert services.decision_moves(decision=decision, user=pdm) == {}


# -- Superseding --------------------------------------------------------------------------


@pytest.mark.django_db
class TestSuperseding:
    def test_the_new_decision_points_back_and_both_are_kept(self, contract, officer):
        old = LogDecisionFactory(contract=contract, status=DecisionStatus.APPROVED)
        new = supersede(
            old,
            officer,
            reason="Rural demand fell back",
            title="Return the budget to the centre",
            decided_on=TODAY,
        )
        old.refresh_from_db()
        assert (new.supersedes, new.status, new.contract) == (
            old,
            DecisionStatus.APPROVED,
            contract,
        )
        assert old.status == DecisionStatus.SUPERSEDED
        assert old.superseded_by == new
        assert old.title.startswith("Reprofile the outreach budget")  # kept as it was
        assert Decision.objects.count() == 2
        assert new.history.get().history_change_reason == (
            f"Supersedes {old.reference}: Rural demand fell back"
        )
        assert latest_change(old) == (officer, f"Superseded by {new.reference}")

    def test_a_decision_from_a_meeting_is_superseded_on_its_own(self, contract, officer):
        old = DecisionFactory(meeting=HeldMeetingFactory(contract=contract))
        new = supersede(old, officer)
        assert (new.contract, new.meeting, new.supersedes) == (contract, None, old)

    def test_a_portfolio_decision_stays_with_the_portfolio(self, make_user):
        pdm = make_user(role=Role.PDM)
        old = LogDecisionFactory(
            contract=None, level=DecisionLevel.PDM, status=DecisionStatus.APPROVED
        )
        new = supersede(old, pdm, level=DecisionLevel.PDM)
        assert new.contract is None

    @pytest.mark.parametrize(
        ("status", "message"),
        [
            (
                DecisionStatus.PROPOSED,
                "This decision is proposed: only an approved decision can be superseded. "
                "Edit the proposal instead.",
            ),
            (
                DecisionStatus.REJECTED,
                "This decision is rejected: only an approved decision can be superseded.",
            ),
            (
                DecisionStatus.SUPERSEDED,
                "This decision is superseded: only an approved decision can be superseded.",
            ),
        ],
    )
    def test_only_an_approved_decision_is_superseded(self, contract, officer, status, message):
        old = LogDecisionFactory(contract=contract, status=status)
        error = refused(supersede, old=old, actor=officer)
        assert error.messages == [message]
        assert Decision.objects.count() == 1
        assert snapshot(old)[0] == status

    def test_the_new_decision_cannot_predate_the_old(self, contract, officer):
        old = LogDecisionFactory(contract=contract, status=DecisionStatus.APPROVED)
        error = refused(supersede, old=old, actor=officer, decided_on=datetime.date(2026, 5, 20))
        assert error.message_dict == {
            "decided_on": [
                "The new decision cannot be dated before the one it replaces, 1 June 2026."
            ]
        }
        assert Decision.objects.count() == 1
        assert snapshot(old)[0] == DecisionStatus.APPROVED

    def test_superseding_needs_the_authority_of_both_levels(self, contract, officer, make_user):
        smg_decision = LogDecisionFactory(
            contract=contract, level=DecisionLevel.SMG, status=DecisionStatus.APPROVED
        )
        error = refused(supersede, old=smg_decision, actor=officer)
        assert error.messages == [
            "Only a member of the Senior Management Group can supersede an SMG decision."
        ]
        own = LogDecisionFactory(contract=contract, status=DecisionStatus.APPROVED)
        error = refused(supersede, old=own, actor=officer, level=DecisionLevel.SMG)
        assert error.messages == [
            "Only a member of the Senior Management Group can approve an SMG decision."
        ]
        assert Decision.objects.count() == 2
        new = supersede(smg_decision, make_user(role=Role.SMG))
        assert new.supersedes == smg_decision


# -- Pages --------------------------------------------------------------------------------

DECISION_CSV_HEADER = (
    "Reference",
    "Date",
    "Title",
    "Contract",
    "Contract title",
    "What was decided",
    "Why, and the evidence",
    "Decided by",
    "Level",
    "Status",
    "Meeting",
    "Supersedes",
    "Superseded by",
    "Recorded by",
)


class TestDecisionViews(ContractRecordViews, ModelViewTests):
    model = Decision
    list_url_name = "governance:decision_list"
    detail_url_name = "governance:decision_detail"
    tab_url_names = ("governance:decision_history", "governance:decision_documents")
    update_url_name = "governance:decision_update"
    contract_create_url_name = "governance:contract_decision_create"
    # PDM and SMG hold add and change on decisions (they decide at their levels), so only
    # the auditor is refused outright; the others' scope is tested below.
    non_writer_roles = (Role.AUDITOR,)
    csv_header = DECISION_CSV_HEADER

    def make(self, **kwargs):
        kwargs.setdefault("contract", self.writers_contract())
        return LogDecisionFactory(**kwargs)

    def make_many(self, count):
        for number in range(count):
            if number % 3 == 0:
                self.make(contract=None)
            elif number % 3 == 1:
                DecisionFactory(meeting=HeldMeetingFactory())
            else:
                old = self.make(status=DecisionStatus.APPROVED)
                LogDecisionFactory(contract=old.contract, supersedes=old)

    def list_text(self, obj):
        return obj.title

    def out_of_scope(self, make_user):
        # Provider staff hold no permission on decisions; given one directly, the object
        # scope still keeps them to their own organisation's contracts.
        user = provider_user_holding(make_user, "view_decision")
        LogDecisionFactory(contract=ContractFactory(provider=user.organisation))
        return user, self.make()

    def create_data(self):
        return {**form_data(), "status": DecisionStatus.PROPOSED}

    def update_data(self, obj):
        return form_data(title=f"{obj.title} (corrected)")


@pytest.mark.django_db
class TestDecisionPages:
    def test_recording_a_portfolio_decision(self, make_user, login):
        pdm = make_user(role=Role.PDM)
        client = login(pdm)
        url = reverse("governance:portfolio_decision_create")
        assert reverse("governance:decision_list") == "/decisions/"
        assert url == "/decisions/add/"
        assert url in client.get(reverse("governance:decision_list")).content.decode()
        data = {
            **form_data(level=DecisionLevel.PDM),
            "status": DecisionStatus.APPROVED,
        }
        response = client.post(url, data)
        assert response.status_code == 302, form_errors(response)
        decision = Decision.objects.get()
        assert (decision.contract, decision.status) == (None, DecisionStatus.APPROVED)
        assert response["Location"] == decision.get_absolute_url()

    def test_a_refused_approval_is_shown_on_the_form(self, contract, officer, login):
        url = reverse("governance:contract_decision_create", args=[contract.pk])
        assert url == f"/contracts/{contract.pk}/decisions/add/"
        response = login(officer).post(
            url, {**form_data(level=DecisionLevel.SMG), "status": DecisionStatus.APPROVED}
        )
        assert response.status_code == 400
        assert "record it as proposed, for them to approve" in response.content.decode()
        assert not Decision.objects.exists()

    def test_an_approved_decision_is_not_edited_on_the_page(self, contract, officer, login):
        decision = LogDecisionFactory(contract=contract, status=DecisionStatus.APPROVED)
        client = login(officer)
        url = reverse("governance:decision_update", args=[decision.pk])
        response = client.get(url, follow=True)
        assert response.redirect_chain == [(decision.get_absolute_url(), 302)]
        page = response.content.decode()
        assert "An approved decision cannot be changed: record a new decision that" in page
        assert url not in page
        assert reverse("governance:decision_supersede", args=[decision.pk]) in page
        before = snapshot(decision)
        response = client.post(url, {**form_data(title="New"), "change_reason": "Try"})
        assert response.status_code == 400
        assert "An approved decision cannot be changed" in response.content.decode()
        assert snapshot(decision) == before

    def test_approving_on_the_page(self, contract, officer, login):
        decision = LogDecisionFactory(contract=contract)
        client = login(officer)
        page = client.get(decision.get_absolute_url()).content.decode()
        url = reverse("governance:decision_transition", args=[decision.pk])
        assert url in page
        assert reverse("governance:decision_update", args=[decision.pk]) in page
        assert client.get(url).status_code == 200
        response = client.post(url, {"status": DecisionStatus.APPROVED})
        assert response.status_code == 302, form_errors(response)
        assert snapshot(decision)[0] == DecisionStatus.APPROVED
        response = client.get(url)
        assert response.status_code == 302  # nothing left to decide

    def test_a_rejection_without_a_reason_is_refused_on_the_page(self, contract, officer, login):
        decision = LogDecisionFactory(contract=contract)
        url = reverse("governance:decision_transition", args=[decision.pk])
        response = login(officer).post(url, {"status": DecisionStatus.REJECTED})
        assert response.status_code == 400
        assert "Error: Give the reason the proposal is rejected." in form_errors(response)
        assert snapshot(decision)[0] == DecisionStatus.PROPOSED

    def test_who_reaches_the_decide_page(self, contract, make_user, login):
        smg_level = LogDecisionFactory(contract=contract, level=DecisionLevel.SMG)
        url = reverse("governance:decision_transition", args=[smg_level.pk])
        assert login(make_user(role=Role.SMG)).get(url).status_code == 200
        assert login(contract.lead_officer).get(url).status_code == 404
        assert login(make_user(role=Role.AUDITOR)).get(url).status_code == 403
        page = login(contract.lead_officer).get(smg_level.get_absolute_url()).content.decode()
        assert url not in page

    def test_superseding_on_the_page(self, contract, officer, login):
        old = LogDecisionFactory(contract=contract, status=DecisionStatus.APPROVED)
        client = login(officer)
        url = reverse("governance:decision_supersede", args=[old.pk])
        form = client.get(url).content.decode()
        assert old.title in form  # pre-filled with the old decision's words
        data = {
            **form_data(title="Return the budget", decided_on=TODAY),
            "change_reason": "Demand fell back",
        }
        response = client.post(url, data)
        assert response.status_code == 302, form_errors(response)
        new = Decision.objects.get(supersedes=old)
        assert response["Location"] == new.get_absolute_url()
        old_page = client.get(old.get_absolute_url()).content.decode()
        assert 'data-testid="superseded-by"' in old_page
        assert new.get_absolute_url() in old_page
        new_page = client.get(new.get_absolute_url()).content.decode()
        assert old.get_absolute_url() in new_page

    def test_superseding_needs_a_reason(self, contract, officer, login):
        old = LogDecisionFactory(contract=contract, status=DecisionStatus.APPROVED)
        url = reverse("governance:decision_supersede", args=[old.pk])
        response = login(officer).post(url, form_data())
        assert response.status_code == 400
        assert "Error: Give the reason the decision is superseded." in form_errors(response)
        assert Decision.objects.count() == 1

    def test_evidence_is_the_meeting_and_the_documents(self, contract, officer, login):
        from django.core.files.uploadedfile import SimpleUploadedFile

        decision = DecisionFactory(meeting=HeldMeetingFactory(contract=contract))
        client = login(officer)
        url = reverse("governance:decision_documents", args=[decision.pk])
        response = client.post(
            url,
            {
                "title": "SMG paper",
                "category": "evidence",
                "file": SimpleUploadedFile("paper.pdf", pdf_bytes(), "application/pdf"),
            },
        )
        assert response.status_code == 302, form_errors(response)
        assert Document.objects.for_object(decision).count() == 1
        evidence = client.get(decision.get_absolute_url()).content.decode()
        assert decision.meeting.get_absolute_url() in evidence
        assert "1 document attached to the decision" in evidence

    def test_the_contract_tab_lists_its_decisions(self, contract, officer, make_user, login):
        own = LogDecisionFactory(contract=contract)
        from_meeting = DecisionFactory(meeting=HeldMeetingFactory(contract=contract))
        elsewhere = LogDecisionFactory()
        portfolio = LogDecisionFactory(contract=None)
        url = reverse("governance:contract_decisions", args=[contract.pk])
        assert url == f"/contracts/{contract.pk}/decisions/"
        page = login(officer).get(url).content.decode()
        assert own.get_absolute_url() in page
        assert from_meeting.get_absolute_url() in page
        assert elsewhere.get_absolute_url() not in page
        assert portfolio.get_absolute_url() not in page
        create = reverse("governance:contract_decision_create", args=[contract.pk])
        assert create in page
        page = login(make_user(role=Role.SMG)).get(url).content.decode()
        assert own.get_absolute_url() in page
        assert create not in page

    def test_the_contract_tab_costs_the_same_with_more_decisions(self, contract, officer, login):
        url = reverse("governance:contract_decisions", args=[contract.pk])
        client = login(officer)
        LogDecisionFactory(contract=contract)
        before = count_queries(client, url)
        for _ in range(5):
            old = LogDecisionFactory(contract=contract, status=DecisionStatus.APPROVED)
            LogDecisionFactory(contract=contract, supersedes=old)
            DecisionFactory(meeting=HeldMeetingFactory(contract=contract))
        assert count_queries(client, url) == before

    def test_the_log_filters(self, contract, officer, login):
        portfolio = LogDecisionFactory(contract=None, title="Portfolio commissioning approach")
        smg = LogDecisionFactory(
            contract=contract,
            level=DecisionLevel.SMG,
            status=DecisionStatus.APPROVED,
            decided_on=datetime.date(2026, 4, 2),
            title="Extend to March 2029",
        )
        rejected = LogDecisionFactory(
            contract=contract, status=DecisionStatus.REJECTED, title="Close the north hub"
        )
        client = login(officer)
        url = reverse("governance:decision_list")

        def titles(query: str) -> set[str]:
            page = client.get(f"{url}?{query}").content.decode()
            return {d.title for d in (portfolio, smg, rejected) if d.title in page}

        assert titles("portfolio=only") == {portfolio.title}
        assert titles("portfolio=none") == {smg.title, rejected.title}
        assert titles(f"contract={contract.reference}") == {smg.title, rejected.title}
        assert titles("level=smg") == {smg.title}
        assert titles("status=rejected&status=approved") == {smg.title, rejected.title}
        assert titles("after=2026-04-01&before=2026-04-30") == {smg.title}
        assert titles("q=north+hub") == {rejected.title}

    def test_provider_users_see_no_decisions(self, contract, make_user, login):
        decision = LogDecisionFactory(contract=contract)
        client = login(make_user(role=Role.PROVIDER, organisation=contract.provider))
        for url in (
            reverse("governance:decision_list"),
            reverse("governance:contract_decisions", args=[contract.pk]),
            decision.get_absolute_url(),
            reverse("governance:decision_documents", args=[decision.pk]),
            reverse("governance:portfolio_decision_create"),
        ):
            assert client.get(url).status_code == 403, url

    def test_other_contract_managers_reach_no_form(self, contract, make_user, login):
        proposal = LogDecisionFactory(contract=contract)
        approved = LogDecisionFactory(contract=contract, status=DecisionStatus.APPROVED)
        client = login(make_user(role=Role.CONTRACT_MANAGER))
        for url in (
            reverse("governance:contract_decision_create", args=[contract.pk]),
            reverse("governance:decision_update", args=[proposal.pk]),
            reverse("governance:decision_transition", args=[proposal.pk]),
            reverse("governance:decision_supersede", args=[approved.pk]),
        ):
            assert client.get(url).status_code == 404, url
        assert client.get(proposal.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_the_decision_log_as_pdf_for_auditors(contract, make_user, login):
    from tests.governance.reports.test_pdf import pdf_pages

    smg = LogDecisionFactory(contract=contract, level=DecisionLevel.SMG, title="Extend to 2029")
    LogDecisionFactory(contract=contract, title="Close the north hub")
    auditor = make_user(role=Role.AUDITOR, first_name="Alex", last_name="Turner")
    response = login(auditor).get(reverse("governance:decision_list") + "?level=smg&export=pdf")
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(pdf_pages(response)).split())  # table cells wrap
    assert smg.title in text and "Close the north hub" not in text
    assert "generated by Alex Turner" in text
