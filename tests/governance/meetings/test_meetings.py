"""Meetings and the decisions raised in them: every rule of governance.services.meetings
refuses with its sentence and saves nothing; the pages keep to the contract's scope and
cost a constant number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from contracts.assurance.choices import ComplaintCategory
from contracts.register.choices import ContractStatus
from governance.core.roles import Role
from governance.meetings.choices import DecisionLevel, DecisionStatus, MeetingKind, MeetingStatus
from governance.meetings.models import Decision, Meeting
from governance.meetings.services import meetings as services
from tests.checks import date_data, refused
from tests.contracts.assurance.audit_factories import ComplaintFactory
from tests.contracts.register.factories import ContactFactory, ContractFactory
from tests.governance.meetings.helpers import (
    first_change,
    latest_change,
    outsiders,
    refused_unchanged,
)
from tests.governance.meetings.meeting_factories import (
    DecisionFactory,
    HeldMeetingFactory,
    MeetingFactory,
    at,
)
from tests.view_cases import ContractRecordViews, ModelViewTests, count_queries, form_errors

TODAY = datetime.date(2026, 6, 15)
FROZEN_AT = at(2026, 6, 15, 11)  # the clock of every test here (see conftest.py)


def schedule(contract, actor, **overrides) -> Meeting:
    fields = {"kind": MeetingKind.MONITORING, "starts_at": at(2026, 6, 30, 14), **overrides}
    return services.meeting_schedule(contract=contract, actor=actor, **fields)


def schedule_refused(contract, actor, **overrides):
    """Why scheduling a monitoring meeting at 10am on 1 July 2026 (unless told) is
    refused."""
    fields = {"starts_at": at(2026, 7, 1), **overrides}
    return refused(schedule, contract=contract, actor=actor, **fields)


def history_count(meeting) -> int:
    return meeting.history.count()


def update_refused(meeting, actor, **changes):
    """Why ``actor``'s change to ``meeting`` is refused; checks that its history is as it
    was."""
    return refused_unchanged(
        services.meeting_update, history_count, meeting, instance=meeting, actor=actor, **changes
    )


def minutes_refused(meeting, actor, minutes: str):
    """Why recording ``minutes`` of ``meeting`` is refused."""
    return refused(services.meeting_record_minutes, meeting=meeting, actor=actor, minutes=minutes)


# -- Scheduling -------------------------------------------------------------------------


@pytest.mark.django_db
class TestScheduling:
    def test_the_lead_officer_chairs_and_the_standard_agenda_is_used(self, contract, officer):
        deputy_contact = ContactFactory(organisation=contract.provider)
        meeting = schedule(
            contract,
            officer,
            reason="Quarterly cycle",
            attendees=[officer],
            provider_attendees=[contract.provider_contract_manager, deputy_contact],
        )
        assert meeting.status == MeetingStatus.SCHEDULED
        assert meeting.chair == officer
        assert services.agenda_lines(meeting.agenda) == [
            "Performance report: results against the agreed indicators this quarter",
            "Financial report: budget, spend, payments and any variance",
            "Actions from the last meeting: progress and anything overdue",
            "Issues and risks raised by either party",
            "Any other business",
        ]
        assert set(meeting.provider_attendees.all()) == {
            contract.provider_contract_manager,
            deputy_contact,
        }
        assert first_change(meeting) == (officer, "Quarterly cycle")

    @pytest.mark.parametrize("kind", [MeetingKind.SIX_MONTHLY, MeetingKind.ANNUAL])
    def test_strategic_agendas_cover_what_the_strategy_requires(self, contract, officer, kind):
        meeting = schedule(contract, officer, kind=kind)
        agenda = meeting.agenda.casefold()
        for words in ("risk log", "complaints received since the last strategic meeting"):
            assert words in agenda
        assert "action and improvement plans" in agenda
        assert "future service development" in agenda
        assert services.missing_agenda_items(kind, meeting.agenda) == []

    def test_an_edited_agenda_is_kept(self, contract, officer):
        meeting = schedule(contract, officer, agenda="  Performance\nFinance\n\nAOB  ")
        assert services.agenda_lines(meeting.agenda) == ["Performance", "Finance", "AOB"]

    def test_a_strategic_agenda_without_the_required_items_is_refused(self, contract, officer):
        error = schedule_refused(
            contract,
            officer,
            kind=MeetingKind.ANNUAL,
            starts_at=at(2026, 9, 1),
            agenda="Review of the risk log\nAny other business",
        )
        assert error.message_dict == {
            "agenda": [
                "A strategic meeting's agenda must include an overview of complaints "
                "received, action and improvement plans and future service development: "
                "add them to the agenda."
            ]
        }
        assert not Meeting.objects.exists()

    def test_a_reworded_strategic_agenda_is_accepted(self, contract, officer):
        agenda = (
            "Our risk log: what changed\nComplaint themes this half-year\n"
            "Where the action plan and improvement plan stand\nService development ahead"
        )
        meeting = schedule(contract, officer, kind=MeetingKind.SIX_MONTHLY, agenda=agenda)
        assert meeting.agenda == agenda

    def test_a_meeting_without_a_chair_is_refused(self, make_user):
        deputy = make_user(role=Role.CONTRACT_MANAGER)
        unled = ContractFactory(lead_officer=None, deputy_officer=deputy)
        error = schedule_refused(unled, deputy)
        assert error.message_dict == {"chair": [services.NO_CHAIR]}
        assert not Meeting.objects.exists()
        meeting = schedule(unled, deputy, chair=deputy)
        assert meeting.chair == deputy

    def test_provider_attendees_must_be_the_providers_contacts(self, contract, officer):
        stranger = ContactFactory(name="Ada Jones")
        error = schedule_refused(
            contract, officer, provider_attendees=[contract.provider_contract_manager, stranger]
        )
        assert error.message_dict == {
            "provider_attendees": [f"Ada Jones is not a contact at {contract.provider}."]
        }
        assert not Meeting.objects.exists()

    def test_provider_staff_cannot_chair(self, contract, officer, make_user):
        provider_user = make_user(role=Role.PROVIDER, organisation=contract.provider)
        error = schedule_refused(contract, officer, chair=provider_user)
        assert error.message_dict == {
            "chair": ["The chair must be one of the commissioner's staff."]
        }

    def test_missing_kind_and_date_are_named(self, contract, officer):
        error = schedule_refused(contract, officer, kind="", starts_at=None)
        assert error.message_dict["kind"] == ["Select the kind of meeting."]
        assert error.message_dict["starts_at"] == ["Enter the date and time of the meeting."]

    def test_only_the_lead_or_deputy_officer_schedules(self, contract, make_user):
        deputy = make_user(role=Role.CONTRACT_MANAGER)
        contract.deputy_officer = deputy
        contract.save()
        for outsider in outsiders(make_user, contract):
            error = schedule_refused(contract, outsider)
            assert error.messages == [
                "Only the contract's lead or deputy officer can schedule its meetings."
            ]
        assert not Meeting.objects.exists()
        assert schedule(contract, deputy).chair == contract.lead_officer

    def test_no_meetings_for_a_contract_that_has_ended(self, officer):
        ended = ContractFactory(lead_officer=officer, status=ContractStatus.ENDED)
        error = schedule_refused(ended, officer)
        assert error.messages == [
            "The contract is ended: no more meetings can be scheduled for it."
        ]


@pytest.mark.django_db
class TestChangingAMeeting:
    def test_update_records_who_and_why(self, contract, officer):
        meeting = schedule(contract, officer)
        changed = services.meeting_update(
            instance=meeting,
            actor=officer,
            reason="Room changed",
            location="Room 4",
            starts_at=at(2026, 7, 2, 10),
        )
        assert set(changed) == {"location", "starts_at"}
        assert latest_change(meeting) == (officer, "Room changed")

    def test_changing_only_who_attends_still_leaves_history(self, contract, officer, make_user):
        meeting = schedule(contract, officer)
        colleague = make_user(role=Role.CONTRACT_MANAGER)
        changed = services.meeting_update(
            instance=meeting, actor=officer, reason="Deputy invited", attendees=[colleague]
        )
        assert changed == ["attendees"]
        assert list(meeting.attendees.all()) == [colleague]
        assert latest_change(meeting)[1] == "Deputy invited"

    def test_a_held_meeting_keeps_its_kind_and_date(self, contract, officer):
        meeting = HeldMeetingFactory(contract=contract)
        error = update_refused(meeting, officer, reason="Typo", starts_at=at(2026, 6, 2))
        assert error.message_dict == {
            "starts_at": ["The meeting has been held: its kind and date can no longer change."]
        }

    def test_a_strategic_meetings_agenda_cannot_lose_its_items(self, contract, officer):
        meeting = schedule(contract, officer, kind=MeetingKind.ANNUAL)
        error = update_refused(meeting, officer, reason="Shorter", agenda="Any other business")
        assert list(error.message_dict) == ["agenda"]

    def test_a_cancelled_meeting_is_not_changed(self, contract, officer):
        meeting = MeetingFactory(contract=contract, status=MeetingStatus.CANCELLED)
        error = update_refused(meeting, officer, reason="x", location="y")
        assert error.messages == ["This meeting was cancelled and can no longer be changed."]

    def test_update_needs_a_reason_and_the_officer(self, contract, officer, make_user):
        meeting = schedule(contract, officer)
        error = update_refused(meeting, officer, reason="", location="Hall")
        assert error.message_dict == {"change_reason": ["Give a reason for this change."]}
        error = update_refused(
            meeting, make_user(role=Role.CONTRACT_MANAGER), reason="Moved", location="Hall"
        )
        assert error.messages == [
            "Only the contract's lead or deputy officer can change its meetings."
        ]
        meeting.refresh_from_db()
        assert meeting.location == ""


@pytest.mark.django_db
class TestMinutesAndCancelling:
    def test_recording_minutes_marks_the_meeting_held(self, contract, officer):
        meeting = schedule(contract, officer, starts_at=at(2026, 6, 12, 10))
        services.meeting_record_minutes(meeting=meeting, actor=officer, minutes=" Notes. ")
        meeting.refresh_from_db()
        assert (meeting.status, meeting.minutes) == (MeetingStatus.HELD, "Notes.")
        assert latest_change(meeting) == (officer, "Minutes recorded: the meeting was held")

    def test_draft_minutes_keep_the_meeting_scheduled(self, contract, officer):
        meeting = schedule(contract, officer, starts_at=at(2026, 6, 12, 10))
        services.meeting_record_minutes(meeting=meeting, actor=officer, minutes="Draft", held=False)
        meeting.refresh_from_db()
        assert (meeting.status, meeting.minutes) == (MeetingStatus.SCHEDULED, "Draft")

    def test_a_meeting_still_to_come_cannot_be_recorded_as_held(self, contract, officer):
        meeting = schedule(contract, officer, starts_at=at(2026, 6, 15, 14))
        error = minutes_refused(meeting, officer, "Notes")
        assert error.messages == [
            "The meeting is on 15 June 2026: record it as held once it has taken place."
        ]
        meeting.refresh_from_db()
        assert (meeting.status, meeting.minutes) == (MeetingStatus.SCHEDULED, "")

    def test_blank_minutes_are_refused(self, contract, officer):
        meeting = schedule(contract, officer, starts_at=at(2026, 6, 12, 10))
        error = minutes_refused(meeting, officer, "  ")
        assert error.message_dict == {"minutes": ["Enter the minutes of the meeting."]}
        assert meeting.history.count() == 1

    def test_a_cancelled_meeting_has_no_minutes(self, contract, officer):
        meeting = MeetingFactory(contract=contract, status=MeetingStatus.CANCELLED)
        error = minutes_refused(meeting, officer, "Notes")
        assert error.messages == ["This meeting was cancelled, so it has no minutes."]

    def test_cancelling_keeps_the_reason(self, contract, officer):
        meeting = schedule(contract, officer)
        services.meeting_cancel(meeting=meeting, actor=officer, reason="Provider unavailable")
        meeting.refresh_from_db()
        assert meeting.status == MeetingStatus.CANCELLED
        assert latest_change(meeting)[1] == "Cancelled: Provider unavailable"

    def test_cancelling_needs_a_reason_and_a_scheduled_meeting(self, contract, officer):
        meeting = schedule(contract, officer)
        error = refused(services.meeting_cancel, meeting=meeting, actor=officer, reason=" ")
        assert error.message_dict == {"reason": ["Give the reason the meeting is cancelled."]}
        held = HeldMeetingFactory(contract=contract)
        error = refused(services.meeting_cancel, meeting=held, actor=officer, reason="Oops")
        assert error.messages == [
            "This meeting is held: only a scheduled meeting can be cancelled."
        ]
        held.refresh_from_db()
        assert held.status == MeetingStatus.HELD


# -- Decisions ----------------------------------------------------------------------------


def decision_fields(**overrides) -> dict:
    return {
        "title": "Extend the outreach pilot",
        "decision": "Run the pilot for another quarter.",
        "rationale": "More referrals from rural areas.",
        "decided_by": "Contract monitoring meeting",
        "level": DecisionLevel.CONTRACT_MANAGER,
        "decided_on": datetime.date(2026, 6, 1),
        **overrides,
    }


def raise_decision(meeting, actor, **overrides) -> Decision:
    """Raise a decision in ``meeting`` through the service."""
    return services.decision_raise(meeting=meeting, actor=actor, **decision_fields(**overrides))


@pytest.mark.django_db
class TestDecisions:
    def test_a_decision_is_linked_to_the_meeting_and_its_contract(self, contract, officer):
        meeting = HeldMeetingFactory(contract=contract)
        decision = raise_decision(meeting, officer, reason="Agreed at the meeting")
        assert (decision.meeting, decision.contract) == (meeting, contract)
        assert decision.recorded_by == officer
        assert first_change(decision) == (officer, "Agreed at the meeting")
        assert decision.get_absolute_url() == f"/decisions/{decision.pk}/"

    def test_decisions_come_only_from_held_meetings(self, contract, officer):
        for status in (MeetingStatus.SCHEDULED, MeetingStatus.CANCELLED):
            meeting = MeetingFactory(contract=contract, status=status)
            error = refused(raise_decision, meeting=meeting, actor=officer)
            assert error.messages == [
                "Decisions are recorded once the meeting has been held: record its minutes first."
            ]
        assert not Decision.objects.exists()

    @pytest.mark.parametrize(
        ("decided_on", "message"),
        [
            (datetime.date(2026, 6, 16), "The date of the decision cannot be in the future."),
            (
                datetime.date(2026, 5, 31),
                "A decision from this meeting cannot be dated before the meeting, 1 June 2026.",
            ),
        ],
    )
    def test_the_decision_date_is_checked(self, contract, officer, decided_on, message):
        meeting = HeldMeetingFactory(contract=contract)
        error = refused(raise_decision, meeting=meeting, actor=officer, decided_on=decided_on)
        assert error.message_dict == {"decided_on": [message]}
        assert not Decision.objects.exists()

    def test_missing_answers_are_named(self, contract, officer):
        meeting = HeldMeetingFactory(contract=contract)
        blanks = {"title": " ", "decision": "", "decided_by": "", "level": ""}
        error = refused(raise_decision, meeting=meeting, actor=officer, **blanks)
        assert set(error.message_dict) == {"title", "decision", "decided_by", "level"}
        assert error.message_dict["decided_by"] == [
            "Enter who decided: a person or a body such as SMG."
        ]

    def test_only_the_officers_record_decisions(self, contract, make_user):
        meeting = HeldMeetingFactory(contract=contract)
        for outsider in (make_user(role=Role.CONTRACT_MANAGER), make_user(role=Role.SMG)):
            error = refused(raise_decision, meeting=meeting, actor=outsider)
            assert "lead or deputy officer" in error.messages[0]
        assert not Decision.objects.exists()


# -- The complaints overview of strategic meetings -------------------------------------------


@pytest.mark.django_db
class TestComplaintsOverview:
    def test_counts_complaints_since_the_last_strategic_meeting(self, contract):
        HeldMeetingFactory(
            contract=contract, kind=MeetingKind.SIX_MONTHLY, starts_at=at(2025, 12, 10)
        )
        # A cancelled strategic meeting and a monitoring meeting do not start the period.
        MeetingFactory(
            contract=contract,
            kind=MeetingKind.ANNUAL,
            status=MeetingStatus.CANCELLED,
            starts_at=at(2026, 3, 1),
        )
        HeldMeetingFactory(contract=contract, starts_at=at(2026, 4, 1))
        meeting = MeetingFactory(contract=contract, kind=MeetingKind.ANNUAL)  # 30 June 2026
        ComplaintFactory(contract=contract, received_on=datetime.date(2025, 12, 10))  # before
        ComplaintFactory(
            contract=contract,
            received_on=datetime.date(2025, 12, 11),
            category=ComplaintCategory.STAFF,
            upheld=True,
            outcome="Apology given.",
            closed_on=datetime.date(2026, 1, 5),
        )
        ComplaintFactory(
            contract=contract,
            received_on=datetime.date(2026, 6, 30),
            upheld=False,
            outcome="Explained.",
            closed_on=datetime.date(2026, 7, 2),  # after the meeting: still open then
        )
        ComplaintFactory(contract=contract, received_on=datetime.date(2026, 3, 3))
        ComplaintFactory(received_on=datetime.date(2026, 3, 3))  # another contract
        overview = services.complaints_overview(meeting)
        assert overview["since"] == datetime.date(2025, 12, 10)
        assert overview["until"] == datetime.date(2026, 6, 30)
        assert (overview["received"], overview["closed"], overview["upheld"]) == (3, 1, 1)
        assert overview["not_upheld"] == 1
        assert overview["by_category"] == [
            {"category": "Access and waiting times", "count": 2},
            {"category": "Staff conduct", "count": 1},
        ]

    def test_without_an_earlier_strategic_meeting_counts_from_the_start(self, contract):
        meeting = MeetingFactory(contract=contract, kind=MeetingKind.SIX_MONTHLY)
        ComplaintFactory(contract=contract, received_on=datetime.date(2025, 4, 2))
        overview = services.complaints_overview(meeting)
        assert (overview["previous"], overview["received"]) == (None, 1)

    def test_monitoring_meetings_have_no_overview(self, contract):
        assert services.complaints_overview(MeetingFactory(contract=contract)) is None

    def test_costs_three_queries_whatever_the_complaints(self, contract, django_assert_num_queries):
        meeting = MeetingFactory(contract=contract, kind=MeetingKind.ANNUAL)
        ComplaintFactory.create_batch(5, contract=contract)
        with django_assert_num_queries(3):
            services.complaints_overview(meeting)


# -- Pages ------------------------------------------------------------------------------------

MEETING_CSV_HEADER = (
    "Meeting",
    "Contract",
    "Contract title",
    "Provider",
    "Date and time",
    "Kind",
    "Status",
    "Chair",
    "Where",
)


def schedule_url(contract, query: str = "") -> str:
    """The page scheduling a meeting of ``contract``, with ``query`` to pre-fill it."""
    return reverse("governance:meeting_create", args=[contract.pk]) + query


def meeting_form(day=datetime.date(2026, 6, 30), **overrides) -> dict:
    return {
        "kind": MeetingKind.MONITORING,
        **date_data("starts_at", day),
        "start_time": "2:30pm",
        "location": "Room 2, Police HQ",
        "agenda": "",
        **overrides,
    }


class TestMeetingViews(ContractRecordViews, ModelViewTests):
    model = Meeting
    list_url_name = "governance:meeting_list"
    detail_url_name = "governance:meeting_detail"
    tab_url_names = (
        "governance:meeting_history",
        "governance:meeting_documents",
        "governance:meeting_invitation",
    )
    update_url_name = "governance:meeting_update"
    contract_create_url_name = "governance:meeting_create"
    csv_header = MEETING_CSV_HEADER

    def make(self, **kwargs):
        return MeetingFactory(contract=self.writers_contract(), **kwargs)

    def create_data(self):
        return meeting_form()

    def update_data(self, obj):
        return meeting_form(
            agenda=obj.agenda,
            chair=obj.chair_id,
            location="Room 9",
        )


@pytest.mark.django_db
class TestMeetingPages:
    def test_the_form_schedules_at_the_time_typed_in_london(self, contract, officer, login):
        client = login(officer)
        response = client.post(
            schedule_url(contract),
            meeting_form(
                day=datetime.date(2026, 7, 1),
                start_time="14:30",
                attendees=[officer.pk],
                provider_attendees=[contract.provider_contract_manager_id],
            ),
        )
        assert response.status_code == 302, form_errors(response)
        meeting = Meeting.objects.get()
        assert meeting.starts_at == at(2026, 7, 1, 14, 30)
        assert meeting.chair == officer
        assert list(meeting.provider_attendees.all()) == [contract.provider_contract_manager]
        assert response["Location"] == meeting.get_absolute_url()
        # Shown on the wall clock in London, not in UTC.
        page = client.get(meeting.get_absolute_url()).content.decode()
        assert "1 July 2026 at 2:30pm" in page
        tab = client.get(reverse("governance:contract_meetings", args=[contract.pk]))
        assert "1 July 2026 at 2:30pm" in tab.content.decode()

    def test_a_bad_time_is_refused_on_its_field(self, contract, officer, login):
        response = login(officer).post(schedule_url(contract), meeting_form(start_time="25:00"))
        assert response.status_code == 400
        assert "Error: Enter a real time, like 14:30." in form_errors(response)
        assert not Meeting.objects.exists()

    def test_the_service_refusal_is_shown_on_the_agenda(self, contract, officer, login):
        response = login(officer).post(
            schedule_url(contract),
            meeting_form(kind=MeetingKind.ANNUAL, agenda="Any other business"),
        )
        assert response.status_code == 400
        errors = form_errors(response)
        assert any("A strategic meeting&#x27;s agenda must" in e for e in errors), errors

    def test_choosing_the_kind_fills_in_its_agenda(self, contract, officer, login):
        url = schedule_url(contract, "?kind=annual")
        page = login(officer).get(url).content.decode()
        assert "The year in review" in page
        assert "Review of the risk log" in page
        manager = contract.provider_contract_manager_id
        assert f'name="provider_attendees" type="checkbox" value="{manager}" checked' in page

    def test_a_strategic_meeting_shows_its_complaints_overview(self, contract, officer, login):
        meeting = MeetingFactory(contract=contract, kind=MeetingKind.SIX_MONTHLY)
        ComplaintFactory(contract=contract, received_on=datetime.date(2026, 5, 1), upheld=True)
        page = login(officer).get(meeting.get_absolute_url()).content.decode()
        assert 'data-testid="complaints-overview"' in page
        assert "since the contract started" in page

    def test_the_meeting_page_offers_one_click_to_a_prefilled_action(
        self, contract, officer, login
    ):
        meeting = HeldMeetingFactory(contract=contract)
        client = login(officer)
        page = client.get(meeting.get_absolute_url()).content.decode()
        link = (
            reverse("governance:action_create", args=[contract.pk])
            + f"?source=meeting&amp;source_id={meeting.pk}"
        )
        assert link in page
        assert reverse("governance:decision_create", args=[meeting.pk]) in page

    def test_recording_minutes_on_the_page(self, contract, officer, login):
        meeting = MeetingFactory(contract=contract, starts_at=at(2026, 6, 10))
        client = login(officer)
        url = reverse("governance:meeting_minutes", args=[meeting.pk])
        assert client.get(url).status_code == 200
        response = client.post(url, {"minutes": "Discussed waiting times.", "held": "on"})
        assert response.status_code == 302
        meeting.refresh_from_db()
        assert meeting.status == MeetingStatus.HELD

    def test_cancelling_on_the_page_needs_a_reason(self, contract, officer, login):
        meeting = MeetingFactory(contract=contract)
        client = login(officer)
        url = reverse("governance:meeting_cancel", args=[meeting.pk])
        assert client.post(url, {"reason": ""}).status_code == 400
        assert client.post(url, {"reason": "Clash with an inspection"}).status_code == 302
        meeting.refresh_from_db()
        assert meeting.status == MeetingStatus.CANCELLED

    def test_recording_a_decision_on_the_page(self, contract, officer, login):
        meeting = HeldMeetingFactory(contract=contract)
        client = login(officer)
        url = reverse("governance:decision_create", args=[meeting.pk])
        assert client.get(url).status_code == 200
        data = {
            **decision_fields(),
            **date_data("decided_on", datetime.date(2026, 6, 2)),
        }
        del data["decided_on"]
        response = client.post(url, data)
        assert response.status_code == 302, form_errors(response)
        assert response["Location"] == meeting.get_absolute_url()
        decision = Decision.objects.get()
        assert (decision.meeting, decision.contract) == (meeting, contract)

    def test_decisions_wait_until_the_meeting_is_held(self, contract, officer, login):
        meeting = MeetingFactory(contract=contract)
        response = login(officer).get(reverse("governance:decision_create", args=[meeting.pk]))
        assert response.status_code == 302
        assert response["Location"] == meeting.get_absolute_url()

    def test_contract_tab_lists_meetings_and_offers_scheduling_to_officers(
        self, contract, officer, make_user, login
    ):
        upcoming = MeetingFactory(contract=contract)
        held = HeldMeetingFactory(contract=contract)
        url = reverse("governance:contract_meetings", args=[contract.pk])
        page = login(officer).get(url).content.decode()
        assert upcoming.get_absolute_url() in page
        assert held.get_absolute_url() in page
        assert schedule_url(contract, "?kind=annual") in page
        page = login(make_user(role=Role.SMG)).get(url).content.decode()
        assert upcoming.get_absolute_url() in page
        assert schedule_url(contract) not in page

    def test_provider_users_see_their_own_meetings_and_change_nothing(
        self, contract, make_user, login
    ):
        meeting = HeldMeetingFactory(contract=contract)
        DecisionFactory(meeting=meeting)
        other = MeetingFactory()
        client = login(make_user(role=Role.PROVIDER, organisation=contract.provider))
        page = client.get(meeting.get_absolute_url())
        assert page.status_code == 200
        assert "Decisions" not in page.content.decode()  # not theirs to read
        assert client.get(other.get_absolute_url()).status_code == 404
        listing = client.get(reverse("governance:meeting_list")).content.decode()
        assert meeting.get_absolute_url() in listing
        assert other.get_absolute_url() not in listing
        for url in (
            schedule_url(contract),
            reverse("governance:meeting_update", args=[meeting.pk]),
            reverse("governance:meeting_minutes", args=[meeting.pk]),
            reverse("governance:meeting_cancel", args=[meeting.pk]),
            reverse("governance:decision_create", args=[meeting.pk]),
        ):
            assert client.get(url).status_code == 403, url
            assert client.post(url, {"minutes": "x", "reason": "x"}).status_code == 403, url
        tab = client.get(reverse("governance:contract_meetings", args=[contract.pk]))
        assert tab.status_code == 200

    def test_other_contract_managers_cannot_reach_the_forms(self, contract, make_user, login):
        meeting = MeetingFactory(contract=contract)
        client = login(make_user(role=Role.CONTRACT_MANAGER))
        for url in (
            schedule_url(contract),
            reverse("governance:meeting_update", args=[meeting.pk]),
            reverse("governance:meeting_minutes", args=[meeting.pk]),
            reverse("governance:meeting_cancel", args=[meeting.pk]),
        ):
            assert client.get(url).status_code == 404, url
        assert client.get(meeting.get_absolute_url()).status_code == 200

    def test_the_meeting_page_costs_the_same_with_more_decisions_and_actions(
        self, contract, officer, login
    ):
        from tests.governance.meetings.meeting_factories import ActionFactory

        meeting = HeldMeetingFactory(contract=contract, kind=MeetingKind.ANNUAL)
        client = login(officer)
        url = meeting.get_absolute_url()
        DecisionFactory(meeting=meeting)
        ActionFactory(contract=contract, source_record=meeting, source="meeting")
        before = count_queries(client, url)
        DecisionFactory.create_batch(4, meeting=meeting)
        for _ in range(4):
            ActionFactory(contract=contract, source_record=meeting, source="meeting")
        ComplaintFactory.create_batch(3, contract=contract)
        assert count_queries(client, url) == before


# -- The decision page ------------------------------------------------------------------------


@pytest.mark.django_db
class TestDecisionPages:
    def urls(self, decision) -> list[str]:
        return [
            reverse("governance:decision_detail", args=[decision.pk]),
            reverse("governance:decision_history", args=[decision.pk]),
        ]

    def test_commissioner_roles_read_the_decision_and_its_history(self, make_user, login):
        decision = DecisionFactory()
        for role in (Role.CONTRACT_MANAGER, Role.PDM, Role.SMG, Role.AUDITOR):
            client = login(make_user(role=role))
            for url in self.urls(decision):
                response = client.get(url)
                assert response.status_code == 200, (role, url)
                assert decision.title in response.content.decode()

    def test_anonymous_users_sign_in_and_others_are_refused(self, client, make_user, login):
        decision = DecisionFactory()
        for url in self.urls(decision):
            assert client.get(url)["Location"].startswith(reverse("login"))
        for user in (make_user(role=None), make_user(role=Role.PROVIDER, organisation=None)):
            client = login(user)
            for url in self.urls(decision):
                assert client.get(url).status_code == 403, url

    def test_history_shows_who_and_why(self, contract, officer, login):
        meeting = HeldMeetingFactory(contract=contract)
        decision = raise_decision(meeting, officer, reason="Minuted in June")
        page = login(officer).get(self.urls(decision)[1]).content.decode()
        assert "Minuted in June" in page
        page = login(officer).get(self.urls(decision)[0]).content.decode()
        assert meeting.get_absolute_url() in page

    def test_queries_do_not_grow_with_history(self, officer, login):
        decision = DecisionFactory()
        client = login(officer)
        before = [count_queries(client, url) for url in self.urls(decision)]
        for number in range(5):
            decision._history_user = officer
            decision._change_reason = f"Review {number}"
            decision.save()
        assert [count_queries(client, url) for url in self.urls(decision)] == before


@pytest.mark.django_db
def test_a_decision_above_the_recorders_authority_is_logged_as_proposed(make_user):
    lead = make_user(role=Role.CONTRACT_MANAGER)
    meeting = HeldMeetingFactory(contract=ContractFactory(lead_officer=lead))

    def decide(title, decision, decided_by, level) -> Decision:
        return services.decision_raise(
            meeting=meeting,
            actor=lead,
            title=title,
            decision=decision,
            decided_by=decided_by,
            level=level,
            decided_on=timezone.localtime(meeting.starts_at).date(),
        )

    smg_level = decide(
        "Fund a second refuge", "Agreed in principle", "Senior Management Group", DecisionLevel.SMG
    )
    own_level = decide(
        "Move the meeting day", "Tuesdays", "The meeting", DecisionLevel.CONTRACT_MANAGER
    )
    assert smg_level.status == DecisionStatus.PROPOSED
    assert own_level.status == DecisionStatus.APPROVED
