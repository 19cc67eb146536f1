"""Actions: raised from meetings, audits and improvement plans (or anything else), kept
up to date by their owners, and listed for each person on "My actions". Every rule of
the services refuses with its sentence and saves nothing."""

import datetime

import pytest
from django.urls import reverse

from contracts.assurance.choices import AuditStatus
from governance.core.roles import Role
from governance.meetings.choices import ActionSource, ActionStatus, MeetingStatus
from governance.meetings.models import Action
from governance.meetings.services import meetings as services
from tests.checks import date_data, refused
from tests.contracts.assurance.audit_factories import AuditFactory, CompletedAuditFactory
from tests.contracts.assurance.sla_factories import ImprovementFactory, SlaFactory
from tests.contracts.register.factories import OrganisationFactory
from tests.governance.meetings.helpers import (
    first_change,
    latest_change,
    outsiders,
)
from tests.governance.meetings.meeting_factories import (
    ActionFactory,
    HeldMeetingFactory,
    MeetingFactory,
    at,
)
from tests.view_cases import ContractRecordViews, ModelViewTests, count_queries, form_errors

D = datetime.date

TODAY = datetime.date(2026, 6, 15)
FROZEN_AT = at(2026, 6, 15, 11)  # the clock of every test here (see conftest.py)


@pytest.fixture
def owner(make_user):
    return make_user(role=Role.CONTRACT_MANAGER)


def raise_action(actor, **overrides) -> Action:
    fields = {
        "owner": actor,
        "description": "Send the waiting-time figures",
        "due_on": datetime.date(2026, 7, 1),
        **overrides,
    }
    return services.action_raise(actor=actor, **fields)


def raise_refused(actor, **overrides):
    """Why raising an action that ``actor`` owns, described as "x" and due today (unless
    told), is refused."""
    fields = {"owner": actor, "description": "x", "due_on": TODAY, **overrides}
    return refused(services.action_raise, actor=actor, **fields)


def update_refused(action, actor, **changes):
    """Why ``actor``'s update of ``action`` is refused."""
    return refused(services.action_update, instance=action, actor=actor, **changes)


# -- Raising ------------------------------------------------------------------------------


@pytest.mark.django_db
class TestRaising:
    def test_an_action_from_a_meeting_takes_its_contract(self, contract, officer, owner):
        meeting = HeldMeetingFactory(contract=contract)
        action = raise_action(officer, owner=owner, source_record=meeting, reason="Minute 4")
        assert (action.contract, action.source, action.source_record) == (
            contract,
            ActionSource.MEETING,
            meeting,
        )
        assert (action.raised_on, action.status) == (TODAY, ActionStatus.OPEN)
        assert first_change(action) == (officer, "Minute 4")

    def test_an_action_from_an_audit_and_from_an_improvement_plan(self, contract, officer):
        audit = CompletedAuditFactory(contract=contract)
        from_audit = raise_action(officer, source=ActionSource.AUDIT, source_record=audit)
        assert (from_audit.contract, from_audit.source) == (contract, ActionSource.AUDIT)
        item = ImprovementFactory(sla=SlaFactory(contract=contract))
        from_plan = raise_action(officer, source_record=item)
        assert (from_plan.contract, from_plan.source, from_plan.source_record) == (
            contract,
            ActionSource.IMPROVEMENT_PLAN,
            item,
        )

    def test_a_due_date_before_today_is_refused(self, contract, officer):
        error = raise_refused(
            officer, contract=contract, description="Late already", due_on=D(2026, 6, 14)
        )
        assert error.message_dict == {"due_on": [services.DUE_BEFORE_RAISED]}
        assert not Action.objects.exists()
        assert raise_action(officer, contract=contract, due_on=TODAY).due_on == TODAY

    def test_missing_answers_are_named(self, contract, officer):
        error = raise_refused(officer, contract=contract, owner=None, description="  ", due_on=None)
        assert error.message_dict == {
            "description": ["Describe what has to be done."],
            "owner": ["Name who owns the action."],
            "due_on": ["Enter the date the action is due."],
        }
        assert not Action.objects.exists()

    def test_provider_staff_own_only_their_own_contracts_actions(
        self, contract, officer, make_user
    ):
        theirs = make_user(role=Role.PROVIDER, organisation=contract.provider)
        assert raise_action(officer, contract=contract, owner=theirs).owner == theirs
        stranger = make_user(role=Role.PROVIDER, organisation=OrganisationFactory())
        error = raise_refused(officer, contract=contract, owner=stranger)
        assert error.message_dict == {
            "owner": [f"{stranger} works for another organisation, not {contract.provider}."]
        }
        assert Action.objects.count() == 1

    def test_inactive_people_cannot_own_actions(self, contract, officer, make_user):
        gone = make_user(role=Role.CONTRACT_MANAGER, is_active=False)
        error = raise_refused(officer, contract=contract, owner=gone)
        assert error.message_dict == {"owner": [f"{gone} no longer has an account in use."]}

    def test_the_source_must_belong_to_the_contract(self, contract, officer):
        elsewhere = HeldMeetingFactory()
        error = raise_refused(officer, contract=contract, source_record=elsewhere)
        assert error.message_dict == {"source": [f"{elsewhere} belongs to another contract."]}
        assert not Action.objects.exists()

    def test_the_source_must_be_of_its_kind_and_not_cancelled(self, contract, officer):
        meeting = MeetingFactory(contract=contract, status=MeetingStatus.CANCELLED)
        error = raise_refused(officer, source_record=meeting)
        assert error.message_dict == {
            "source": ["The meeting was cancelled, so no actions can come from it."]
        }
        audit = AuditFactory(contract=contract, status=AuditStatus.CANCELLED)
        error = raise_refused(officer, source_record=audit)
        assert error.message_dict == {
            "source": ["The audit was cancelled, so no actions can come from it."]
        }
        error = raise_refused(
            officer, source=ActionSource.AUDIT, source_record=HeldMeetingFactory(contract=contract)
        )
        assert error.message_dict == {
            "source": ["The record the action comes from is not an audit."]
        }
        error = raise_refused(officer, contract=contract, source=ActionSource.MEETING)
        assert error.message_dict == {"source": ["Name the meeting the action comes from."]}
        assert not Action.objects.exists()

    def test_only_the_contracts_officers_raise_its_actions(self, contract, make_user):
        for outsider in outsiders(make_user, contract):
            error = raise_refused(outsider, contract=contract)
            assert error.messages == [
                "Only the contract's lead or deputy officer can raise actions on this contract."
            ]
        assert not Action.objects.exists()

    def test_portfolio_actions_are_for_the_commissioners_staff(self, make_user):
        pdm = make_user(role=Role.PDM)
        action = raise_action(pdm)
        assert action.contract is None
        provider_user = make_user(role=Role.PROVIDER, organisation=OrganisationFactory())
        error = raise_refused(pdm, owner=provider_user)
        assert error.message_dict == {
            "owner": ["Actions for the whole portfolio are owned by the commissioner's staff."]
        }


# -- Updating -----------------------------------------------------------------------------


@pytest.mark.django_db
class TestUpdating:
    def test_the_owner_records_progress_and_the_outcome(self, contract, owner):
        action = ActionFactory(contract=contract, owner=owner)
        services.action_update(
            instance=action, actor=owner, reason="Started", status=ActionStatus.IN_PROGRESS
        )
        changed = services.action_update(
            instance=action,
            actor=owner,
            reason="Figures sent",
            status=ActionStatus.DONE,
            outcome="Sent on 15 June.",
        )
        assert set(changed) == {"status", "outcome", "completed_on"}
        action.refresh_from_db()
        assert (action.status, action.completed_on) == (ActionStatus.DONE, TODAY)
        assert latest_change(action) == (owner, "Figures sent")

    def test_an_action_is_done_only_with_its_outcome(self, contract, owner):
        action = ActionFactory(contract=contract, owner=owner)
        before = action.history.count()
        error = update_refused(action, owner, reason="Done", status=ActionStatus.DONE, outcome=" ")
        assert error.message_dict == {
            "outcome": ["Record the outcome before marking the action done."]
        }
        action.refresh_from_db()
        assert (action.status, action.completed_on) == (ActionStatus.OPEN, None)
        assert action.history.count() == before

    def test_reopening_clears_the_completion_date(self, contract, owner):
        action = ActionFactory(
            contract=contract,
            owner=owner,
            status=ActionStatus.DONE,
            outcome="Sent",
            completed_on=datetime.date(2026, 6, 10),
        )
        services.action_update(
            instance=action, actor=owner, reason="Figures wrong", status=ActionStatus.OPEN
        )
        action.refresh_from_db()
        assert (action.status, action.completed_on) == (ActionStatus.OPEN, None)

    def test_a_closed_action_is_reopened_before_it_changes_state(self, contract, owner):
        action = ActionFactory(contract=contract, owner=owner, status=ActionStatus.CANCELLED)
        error = update_refused(
            action, owner, reason="Done after all", status=ActionStatus.DONE, outcome="Done"
        )
        assert error.message_dict == {
            "status": ["This action is cancelled: reopen it before marking it done."]
        }

    def test_the_owner_cannot_move_the_due_date(self, contract, owner):
        action = ActionFactory(contract=contract, owner=owner)
        error = update_refused(action, owner, reason="More time", due_on=D(2026, 9, 1))
        assert error.messages == [
            "Only the contract's lead or deputy officer can change what the action is, who "
            "owns it or when it is due."
        ]
        action.refresh_from_db()
        assert action.due_on == datetime.date(2026, 7, 31)

    def test_the_officer_moves_the_due_date_but_not_before_it_was_raised(self, contract, officer):
        action = ActionFactory(contract=contract)
        error = update_refused(action, officer, reason="Earlier", due_on=D(2026, 5, 31))
        assert error.message_dict == {"due_on": [services.DUE_BEFORE_RAISED]}
        services.action_update(
            instance=action, actor=officer, reason="Agreed", due_on=datetime.date(2026, 9, 1)
        )
        action.refresh_from_db()
        assert action.due_on == datetime.date(2026, 9, 1)

    def test_people_who_neither_own_nor_run_it_change_nothing(self, contract, make_user):
        action = ActionFactory(contract=contract)
        for outsider in outsiders(make_user, contract):
            error = update_refused(action, outsider, reason="x", status=ActionStatus.IN_PROGRESS)
            assert error.messages == [
                "Only the action's owner or the contract's lead or deputy officer can update it."
            ]
        action.refresh_from_db()
        assert action.status == ActionStatus.OPEN


# -- Pages --------------------------------------------------------------------------------

ACTION_CSV_HEADER = (
    "Action",
    "Contract",
    "Owner",
    "Raised",
    "Due date",
    "Due date: missed or due",
    "Status",
    "Overdue",
    "Comes from",
    "Completed",
    "Outcome",
)


def raise_url(contract, query: str = "") -> str:
    """The page raising an action on ``contract``, with ``query`` to pre-fill it."""
    return reverse("governance:action_create", args=[contract.pk]) + query


def action_form(owner, due=datetime.date(2026, 7, 10), **overrides) -> dict:
    return {
        "description": "Send the quarterly complaints log",
        "owner": owner.pk,
        **date_data("due_on", due),
        "source": ActionSource.OTHER,
        **overrides,
    }


class TestActionViews(ContractRecordViews, ModelViewTests):
    model = Action
    list_url_name = "governance:action_list"
    detail_url_name = "governance:action_detail"
    tab_url_names = ("governance:action_history",)
    update_url_name = "governance:action_update"
    contract_create_url_name = "governance:action_create"
    # SMG may update actions it owns or that cover the whole portfolio: tested below.
    non_writer_roles = (Role.AUDITOR, Role.ADMINISTRATOR)
    csv_header = ACTION_CSV_HEADER

    def make(self, **kwargs):
        return ActionFactory(contract=self.writers_contract(), **kwargs)

    def create_data(self):
        return action_form(self.writer)

    def update_data(self, obj):
        return {
            "description": obj.description,
            "owner": obj.owner_id,
            **date_data("due_on", obj.due_on),
            "status": ActionStatus.IN_PROGRESS,
            "outcome": "",
        }


@pytest.mark.django_db
class TestActionPages:
    def test_raising_from_an_audit_recommendation_is_prefilled(self, contract, officer, login):
        audit = CompletedAuditFactory(contract=contract)
        client = login(officer)
        url = raise_url(contract, f"?source=audit&source_id={audit.pk}&line=2")
        page = client.get(url).content.decode()
        assert "Check a sample of files each month." in page
        assert f'name="source_id" value="{audit.pk}"' in page
        response = client.post(
            url,
            action_form(
                officer,
                description="Check a sample of files each month.",
                source="audit",
                source_id=audit.pk,
            ),
        )
        assert response.status_code == 302, form_errors(response)
        action = Action.objects.get()
        assert (action.source, action.source_record) == (ActionSource.AUDIT, audit)

    def test_raising_from_an_improvement_plan_item_is_prefilled(self, contract, officer, login):
        item = ImprovementFactory(
            sla=SlaFactory(contract=contract),
            description="Cut waiting times.",
            due_date=datetime.date(2026, 12, 31),
        )
        url = raise_url(contract, f"?source=improvement_plan&source_id={item.pk}")
        page = login(officer).get(url).content.decode()
        assert f"Cut waiting times. Target: {item.target}." in page
        assert 'name="due_on_year" type="text" inputmode="numeric" value="2026"' in page
        assert 'name="due_on_month" type="text" inputmode="numeric" value="12"' in page

    def test_a_source_from_another_contract_is_refused(self, contract, officer, login):
        elsewhere = HeldMeetingFactory()
        url = raise_url(contract)
        response = login(officer).post(
            url, action_form(officer, source="meeting", source_id=elsewhere.pk)
        )
        assert response.status_code == 400
        assert not Action.objects.exists()

    def test_the_meeting_page_link_raises_an_action_from_the_meeting(
        self, contract, officer, login
    ):
        meeting = HeldMeetingFactory(contract=contract)
        client = login(officer)
        url = raise_url(contract, f"?source=meeting&source_id={meeting.pk}")
        response = client.post(url, action_form(officer, source="meeting", source_id=meeting.pk))
        assert response.status_code == 302, form_errors(response)
        assert response["Location"] == meeting.get_absolute_url()
        action = Action.objects.get()
        assert action.source_record == meeting
        page = client.get(meeting.get_absolute_url()).content.decode()
        assert action.get_absolute_url() in page

    def test_an_owner_changes_progress_but_not_what_the_action_is(self, contract, owner, login):
        action = ActionFactory(contract=contract, owner=owner)
        client = login(owner)
        url = reverse("governance:action_update", args=[action.pk])
        assert "Only the contract&#x27;s lead or deputy officer can change this." in (
            client.get(url).content.decode()
        )
        response = client.post(
            url,
            {
                "description": "Something else entirely",
                "owner": owner.pk,
                **date_data("due_on", datetime.date(2027, 1, 1)),
                "status": ActionStatus.DONE,
                "outcome": "Sent",
                "change_reason": "Finished",
            },
        )
        assert response.status_code == 302, form_errors(response)
        action.refresh_from_db()
        assert (action.status, action.outcome) == (ActionStatus.DONE, "Sent")
        assert action.due_on == datetime.date(2026, 7, 31)
        assert action.description.startswith("Send the referral backlog figures")

    def test_smg_updates_only_actions_it_owns(self, contract, make_user, login):
        smg = make_user(role=Role.SMG)
        theirs = ActionFactory(contract=contract, owner=smg)
        someone_elses = ActionFactory(contract=contract)
        client = login(smg)
        assert client.get(reverse("governance:action_update", args=[theirs.pk])).status_code == 200
        url = reverse("governance:action_update", args=[someone_elses.pk])
        assert client.get(url).status_code == 404

    def test_provider_users_see_their_contracts_actions_and_update_only_their_own(
        self, contract, make_user, login
    ):
        provider_user = make_user(role=Role.PROVIDER, organisation=contract.provider)
        theirs = ActionFactory(contract=contract, owner=provider_user)
        colleagues = ActionFactory(contract=contract)
        elsewhere = ActionFactory()
        client = login(provider_user)
        listing = client.get(reverse("governance:action_list")).content.decode()
        assert theirs.get_absolute_url() in listing
        assert colleagues.get_absolute_url() in listing
        assert elsewhere.get_absolute_url() not in listing
        assert client.get(elsewhere.get_absolute_url()).status_code == 404
        tab = client.get(reverse("governance:contract_actions", args=[contract.pk]))
        assert tab.status_code == 200
        assert colleagues.get_absolute_url() in tab.content.decode()
        assert "Raise an action" not in tab.content.decode()
        assert client.get(raise_url(contract)).status_code == 403
        update = reverse("governance:action_update", args=[colleagues.pk])
        assert client.post(update, {"status": "done"}).status_code == 404
        response = client.post(
            reverse("governance:action_update", args=[theirs.pk]),
            {"status": ActionStatus.IN_PROGRESS, "outcome": "", "change_reason": "Started"},
        )
        assert response.status_code == 302, form_errors(response)
        theirs.refresh_from_db()
        assert theirs.status == ActionStatus.IN_PROGRESS

    def test_the_contract_tab_flags_overdue_actions(self, contract, officer, login):
        late = ActionFactory(contract=contract, due_on=datetime.date(2026, 6, 12))
        ActionFactory(contract=contract)
        page = login(officer).get(reverse("governance:contract_actions", args=[contract.pk]))
        text = page.content.decode()
        assert "1 action is overdue." in text
        assert late.get_absolute_url() in text
        assert raise_url(contract) in text

    def test_the_list_filters_overdue_actions_by_owner_and_source(
        self, contract, owner, make_user, login
    ):
        owner.first_name, owner.last_name = "Rowan", "Quillfeather"
        owner.save()
        late = ActionFactory(contract=contract, owner=owner, due_on=datetime.date(2026, 6, 1))
        on_time = ActionFactory(contract=contract, owner=owner)
        late_but_done = ActionFactory(
            contract=contract,
            due_on=datetime.date(2026, 6, 1),
            status=ActionStatus.DONE,
            outcome="Done",
        )
        client = login(make_user(role=Role.AUDITOR))
        page = client.get(reverse("governance:action_list") + "?overdue=true").content.decode()
        assert late.get_absolute_url() in page
        assert on_time.get_absolute_url() not in page
        assert late_but_done.get_absolute_url() not in page
        page = client.get(
            reverse("governance:action_list") + "?owner=quillfeather&source=other"
        ).content.decode()
        assert late.get_absolute_url() in page and on_time.get_absolute_url() in page
        assert late_but_done.get_absolute_url() not in page


# -- My actions ---------------------------------------------------------------------------


@pytest.mark.django_db
class TestMyActions:
    url = "/actions/mine/"

    def test_shows_only_the_users_own_actions_open_first(self, owner, login):
        assert reverse("governance:my_actions") == self.url
        done = ActionFactory(
            owner=owner,
            status=ActionStatus.DONE,
            outcome="Sent",
            due_on=datetime.date(2026, 6, 1),
        )
        later = ActionFactory(owner=owner, due_on=datetime.date(2026, 8, 1))
        overdue = ActionFactory(owner=owner, due_on=datetime.date(2026, 6, 10))
        someone_elses = ActionFactory()
        page = login(owner).get(self.url).content.decode()
        positions = [page.index(a.get_absolute_url()) for a in (overdue, later, done)]
        assert positions == sorted(positions)
        assert someone_elses.get_absolute_url() not in page
        assert "1 of your actions is overdue." in page
        assert page.count('data-deadline="missed"') == 1
        assert page.index('data-testid="my-actions-missed"') < page.index(
            'data-testid="my-actions-upcoming"'
        )

    @pytest.mark.parametrize("role", [*Role, None])
    def test_every_signed_in_user_has_the_page(self, make_user, login, role):
        user = make_user(role=role, organisation=OrganisationFactory() if role else None)
        ActionFactory(owner=user)
        response = login(user).get(self.url)
        assert response.status_code == 200
        assert 'data-testid="open-actions"' in response.content.decode()

    def test_anonymous_users_sign_in(self, client):
        assert client.get(self.url)["Location"].startswith(reverse("login") + "?next=")

    def test_queries_do_not_grow_with_actions(self, owner, login):
        client = login(owner)
        ActionFactory(owner=owner)
        before = count_queries(client, self.url)
        ActionFactory.create_batch(10, owner=owner)
        ActionFactory.create_batch(3, owner=owner, status=ActionStatus.CANCELLED, contract=None)
        assert count_queries(client, self.url) == before


@pytest.mark.django_db
class TestActionDeadlines:
    """Monday 15 June 2026: due soon means by Thursday 18 June, three business days on."""

    def test_the_list_puts_missed_first_and_filters_by_deadline(self, make_user, login):
        done = ActionFactory(status=ActionStatus.DONE, outcome="Sent", due_on=D(2026, 6, 1))
        later = ActionFactory(due_on=D(2026, 6, 19))
        due = ActionFactory(due_on=D(2026, 6, 18))
        today = ActionFactory(due_on=D(2026, 6, 15))
        missed = ActionFactory(due_on=D(2026, 6, 12))
        client = login(make_user(role=Role.SMG))
        url = reverse("governance:action_list")
        response = client.get(url)
        assert list(response.context["page"].object_list) == [missed, today, due, later, done]
        html = response.content.decode()
        assert html.index(">Missed 3 days ago<") < html.index(">Due today<")
        assert html.index(">Due today<") < html.index(">Due in 3 days<")

        def listed(query):
            return set(client.get(url + query).context["page"].object_list)

        assert listed("?deadline=missed") == listed("?overdue=true") == {missed}
        assert listed("?deadline=due") == {today, due}
        assert listed("?deadline=upcoming") == {later}
        bad = client.get(url + "?deadline=soonish")
        assert bad.context["page"].paginator.count == 0
        assert "Select the due date" in bad.content.decode()

    def test_an_actions_page_says_when_it_was_missed(self, owner, login):
        action = ActionFactory(owner=owner, due_on=D(2026, 6, 14))
        html = login(owner).get(action.get_absolute_url()).content.decode()
        assert "14 June 2026" in html and ">Missed yesterday<" in html
