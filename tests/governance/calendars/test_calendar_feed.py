"""Each person's calendar feed: what it holds, whose it is, and its secret address."""

import datetime

import icalendar
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts.exit.models import exit_notice_deadline
from contracts.register.choices import ExtensionStatus
from contracts.register.models.contracts import ExtensionOption
from disputes.choices import Stage
from governance.calendars.models import CalendarFeed
from governance.calendars.services import calendar_feed_for
from governance.core.roles import Role
from governance.meetings.choices import ActionStatus, MeetingStatus
from tests.contracts.exit.exit_factories import ExitNoticeFactory
from tests.contracts.performance.return_factories import (
    FinancialReturnFactory,
    PerformanceReturnFactory,
    ReportingPeriodFactory,
)
from tests.contracts.procurement.factories import NoticeFactory, act_contract
from tests.disputes.factories import DisputeFactory, contract_with_officers, walk
from tests.governance.meetings.meeting_factories import ActionFactory, MeetingFactory, at

pytestmark = pytest.mark.django_db

D = datetime.date


def london(day: str):
    return time_machine.travel(datetime.datetime.fromisoformat(day + "T09:00+01:00"), tick=False)


@pytest.fixture
def contract(officer):
    return act_contract(lead_officer=officer, reference="NPCC-CAL-1", title="Victim support")


def feed_of(client, user) -> icalendar.Calendar:
    """The user's feed as a calendar application reads it: without signing in."""
    client.logout()
    response = client.get(reverse("calendar_feed", args=[calendar_feed_for(user=user).token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def events(calendar) -> dict[str, icalendar.Event]:
    return {str(event["UID"]).split("@")[0]: event for event in calendar.walk("VEVENT")}


def day_of(event) -> datetime.date:
    """The whole day an all-day entry takes (a date, not a time; it ends the next day)."""
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert not isinstance(start, datetime.datetime), "a deadline is an all-day entry"
    assert end - start == datetime.timedelta(days=1)
    return start


class TestWhatTheFeedHolds:
    def test_returns_due_across_easter_on_the_periods_due_dates(self, client, officer, contract):
        # Q4 2025-26 ends on 31 March 2026; Good Friday and Easter Monday are not
        # business days, so 15 and 20 business days later fall on 23 and 30 April.
        period = ReportingPeriodFactory(contract=contract, financial_year=2025, quarter=4)
        performance = PerformanceReturnFactory(period=period)
        financial = FinancialReturnFactory(period=period)
        submitted_period = ReportingPeriodFactory(contract=contract, financial_year=2025, quarter=3)
        PerformanceReturnFactory(period=submitted_period, status="submitted")
        with london("2026-04-01"):
            found = events(feed_of(client, officer))
        perf = found[f"performance-return-{performance.pk}"]
        assert day_of(perf) == D(2026, 4, 23) == period.performance_due_on
        assert str(perf["SUMMARY"]) == "Performance return due: NPCC-CAL-1 Q4 2025-26"
        assert str(perf["URL"]).endswith(performance.get_absolute_url())
        assert day_of(found[f"financial-return-{financial.pk}"]) == D(2026, 4, 30)
        # A return already submitted is no longer a deadline.
        assert not [
            k
            for k in found
            if k.startswith("performance-return-") and k != f"performance-return-{performance.pk}"
        ]

    def test_meetings_at_their_time_and_open_actions_on_their_day(self, client, officer, contract):
        meeting = MeetingFactory(contract=contract, starts_at=at(2026, 6, 30, 14))
        cancelled = MeetingFactory(
            contract=contract, starts_at=at(2026, 7, 2, 10), status=MeetingStatus.CANCELLED
        )
        action = ActionFactory(contract=contract, due_on=D(2026, 7, 31))
        done = ActionFactory(
            contract=contract, status=ActionStatus.DONE, completed_on=D(2026, 6, 2)
        )
        with london("2026-06-15"):
            found = events(feed_of(client, officer))
        entry = found[f"meeting-{meeting.pk}"]
        assert entry.decoded("DTSTART") == at(2026, 6, 30, 14)
        assert str(entry["LOCATION"]) == meeting.location
        assert str(entry["STATUS"]) == "CONFIRMED"
        assert str(found[f"meeting-{cancelled.pk}"]["STATUS"]) == "CANCELLED"
        assert day_of(found[f"action-{action.pk}"]) == D(2026, 7, 31)
        assert f"action-{done.pk}" not in found

    def test_exit_notice_and_extension_decision_deadlines(self, client, officer, contract):
        option = ExtensionOption.objects.create(
            contract=contract, sequence=1, length_months=12, decision_deadline=D(2027, 9, 30)
        )
        decided = ExtensionOption.objects.create(
            contract=contract,
            sequence=2,
            length_months=12,
            decision_deadline=D(2027, 10, 29),
            status=ExtensionStatus.DECLINED,
        )
        with london("2026-06-15"):
            found = events(feed_of(client, officer))
        # The exit-notice rule: six months before the end date (31 March 2028).
        exit_key = f"exit-notice-{contract.pk}-20280331"
        assert day_of(found[exit_key]) == exit_notice_deadline(D(2028, 3, 31)) == D(2027, 9, 30)
        assert day_of(found[f"extension-option-{option.pk}"]) == D(2027, 9, 30)
        assert f"extension-option-{decided.pk}" not in found
        # Once the notice is given, the deadline leaves the feed.
        ExitNoticeFactory(contract=contract, end_date=contract.current_end_date)
        with london("2026-06-15"):
            assert exit_key not in events(feed_of(client, officer))

    def test_the_dispute_meeting_deadline_is_ten_business_days_after_the_notice(
        self, client, make_user
    ):
        contract = contract_with_officers()
        lead, smg = contract.lead_officer, make_user(role=Role.SMG)
        with london("2026-06-12"):
            dispute = walk(DisputeFactory(contract=contract), lead, smg, Stage.STAGE_2)
        dispute.refresh_from_db()
        with london("2026-06-15"):
            found = events(feed_of(client, lead))
        # Notice on Friday 12 June 2026: two weekends later, Friday 26 June.
        entry = found[f"dispute-meeting-{dispute.pk}"]
        assert day_of(entry) == dispute.meeting_deadline == D(2026, 6, 26)
        assert str(entry["URL"]).endswith(dispute.get_absolute_url())

    def test_statutory_notices_still_owed(self, client, officer, contract):
        owed = NoticeFactory(contract=contract, due_on=D(2026, 7, 1))
        published = NoticeFactory(
            contract=contract,
            due_on=D(2026, 6, 20),
            status="published",
            published_on=D(2026, 6, 10),
            fts_identifier="2026/S 000-012345",
        )
        with london("2026-06-15"):
            found = events(feed_of(client, officer))
        assert day_of(found[f"notice-{owed.pk}"]) == D(2026, 7, 1)
        assert f"notice-{published.pk}" not in found

    def test_entries_keep_their_uid_when_their_date_moves(self, client, officer, contract):
        action = ActionFactory(contract=contract, due_on=D(2026, 7, 31))
        with london("2026-06-15"):
            before = events(feed_of(client, officer))[f"action-{action.pk}"]
            action.due_on = D(2026, 8, 14)
            action.save()
            after = events(feed_of(client, officer))[f"action-{action.pk}"]
        assert before["UID"] == after["UID"]
        assert day_of(after) == D(2026, 8, 14)


class TestWhoseFeed:
    def test_another_officers_contract_is_not_in_the_feed(
        self, client, officer, contract, make_user
    ):
        mine = ActionFactory(contract=contract, due_on=D(2026, 7, 31))
        other = act_contract(lead_officer=make_user(role=Role.CONTRACT_MANAGER))
        theirs = ActionFactory(contract=other, due_on=D(2026, 7, 31))
        their_meeting = MeetingFactory(contract=other)
        with london("2026-06-15"):
            found = events(feed_of(client, officer))
        assert f"action-{mine.pk}" in found
        assert f"action-{theirs.pk}" not in found
        assert f"meeting-{their_meeting.pk}" not in found
        assert not [key for key in found if key.startswith(f"exit-notice-{other.pk}-")]

    def test_oversight_roles_see_every_contract_and_owners_their_actions(
        self, client, officer, contract, make_user
    ):
        other = act_contract(lead_officer=make_user(role=Role.CONTRACT_MANAGER))
        theirs = ActionFactory(contract=other, due_on=D(2026, 7, 31))
        owned = ActionFactory(contract=other, due_on=D(2026, 7, 31), owner=officer)
        with london("2026-06-15"):
            mine = events(feed_of(client, officer))
            smg = events(feed_of(client, make_user(role=Role.SMG)))
        assert f"action-{owned.pk}" in mine
        assert f"action-{theirs.pk}" in smg and f"action-{owned.pk}" in smg
        assert f"exit-notice-{other.pk}-20280331" in smg

    def test_a_provider_sees_only_their_own_organisations_contracts(
        self, client, contract, make_user
    ):
        other = act_contract()
        ours = MeetingFactory(contract=contract)
        not_ours = MeetingFactory(contract=other)
        provider = make_user(role=Role.PROVIDER, organisation=contract.provider)
        with london("2026-06-15"):
            found = events(feed_of(client, provider))
        assert f"meeting-{ours.pk}" in found
        assert f"meeting-{not_ours.pk}" not in found

    def test_a_person_without_a_role_gets_an_empty_calendar(self, client, make_user, contract):
        ActionFactory(contract=contract, due_on=D(2026, 7, 31))
        with london("2026-06-15"):
            assert events(feed_of(client, make_user(role=None))) == {}

    def test_unknown_addresses_are_not_found(self, client):
        for token in ("not-a-feed", "x" * 200):
            assert client.get(reverse("calendar_feed", args=[token])).status_code == 404

    def test_an_inactive_account_has_no_feed(self, client, officer):
        token = calendar_feed_for(user=officer).token
        officer.is_active = False
        officer.save()
        assert client.get(reverse("calendar_feed", args=[token])).status_code == 404


class TestAccountCalendarPage:
    def test_anonymous_people_are_sent_to_sign_in(self, client):
        response = client.get(reverse("account_calendar"))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    def test_it_shows_the_address_and_how_to_subscribe(self, login, make_user):
        user = make_user(role=Role.AUDITOR)
        client = login(user)
        page = client.get(reverse("account_calendar")).content.decode()
        token = CalendarFeed.objects.get(user=user).token
        assert len(token) >= 40
        assert f"/calendar/{token}.ics" in page
        assert "How to subscribe" in page
        assert reverse("account_calendar") in client.get(reverse("account")).content.decode()
        # Asking again shows the same address.
        client.get(reverse("account_calendar"))
        assert CalendarFeed.objects.get(user=user).token == token

    def test_a_new_address_replaces_the_old_one(self, login, make_user, client):
        user = make_user(role=Role.AUDITOR)
        old = calendar_feed_for(user=user).token
        login(user)
        response = client.post(reverse("account_calendar"))
        assert response.status_code == 302
        new = CalendarFeed.objects.get(user=user).token
        assert new != old
        client.logout()
        assert client.get(reverse("calendar_feed", args=[old])).status_code == 404
        assert client.get(reverse("calendar_feed", args=[new])).status_code == 200


class TestMeetingInvitation:
    def test_the_meeting_page_offers_an_invitation(self, login, officer, contract):
        meeting = MeetingFactory(contract=contract, starts_at=at(2026, 6, 30, 14))
        client = login(officer)
        url = reverse("governance:meeting_invitation", args=[meeting.pk])
        assert url in client.get(meeting.get_absolute_url()).content.decode()
        response = client.get(url)
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        calendar = icalendar.Calendar.from_ical(response.content)
        assert str(calendar["METHOD"]) == "PUBLISH"
        (event,) = calendar.walk("VEVENT")
        assert event.decoded("DTSTART") == at(2026, 6, 30, 14)
        assert event.decoded("DTEND") == at(2026, 6, 30, 15)
        assert str(event["SUMMARY"]) == f"Contract monitoring (quarterly): {contract.reference}"
        assert meeting.agenda.splitlines()[0] in str(event["DESCRIPTION"])


def test_the_feed_costs_the_same_queries_however_many_entries(client, make_user):
    smg = make_user(role=Role.SMG)
    token = calendar_feed_for(user=smg).token

    def add_records():
        contract = act_contract(lead_officer=make_user(role=Role.CONTRACT_MANAGER))
        period = ReportingPeriodFactory(contract=contract, financial_year=2026, quarter=1)
        PerformanceReturnFactory(period=period)
        FinancialReturnFactory(period=period)
        MeetingFactory(contract=contract)
        ActionFactory(contract=contract, due_on=D(2026, 7, 31))
        NoticeFactory(contract=contract, due_on=D(2026, 7, 1))
        DisputeFactory(contract=contract, stage=Stage.STAGE_2, meeting_deadline=D(2026, 6, 26))

    def count() -> int:
        with london("2026-06-15"), CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("calendar_feed", args=[token])).status_code == 200
        return len(queries)

    add_records()
    once = count()
    add_records()
    add_records()
    assert count() == once
