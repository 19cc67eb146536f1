"""The alerts governance offers the daily sweep: actions due within 3 business days and
overdue, and contract monitoring meetings still to schedule this quarter. Dates are
frozen; weekends and bank holidays are counted out of business days."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contracts.register.choices import ContractStatus
from governance import alerts as governance_alerts
from governance.core.alerting import AlertSpec
from governance.core.roles import Role
from governance.meetings import alerts as meetings_alerts
from governance.meetings.choices import ActionStatus, MeetingKind, MeetingStatus
from tests.contracts.register.factories import ContractFactory
from tests.governance.meetings.meeting_factories import ActionFactory, MeetingFactory, at

# Easter 2026: Good Friday 3 April and Easter Monday 6 April are bank holidays.
MAUNDY_THURSDAY = datetime.date(2026, 4, 2)


def run(provider, day: datetime.date) -> list[AlertSpec]:
    with time_machine.travel(at(day.year, day.month, day.day, 6), tick=False):
        return list(provider(day))


def keys(specs) -> set[str]:
    return {spec.key for spec in specs}


def queries(provider, day: datetime.date) -> int:
    with CaptureQueriesContext(connection) as captured:
        run(provider, day)
    return len(captured)


def test_every_provider_is_offered_to_the_sweep():
    offered = [provider.__name__ for provider in governance_alerts.PROVIDERS]
    assert offered == [
        "actions_due_soon",
        "actions_overdue",
        "monitoring_meetings_to_schedule",
        "contact_follow_ups_overdue",
        "annual_health_checks_due",
        "annual_health_checks_overdue",
    ]


@pytest.mark.django_db
class TestActionsDueSoon:
    def test_three_business_days_skip_the_easter_bank_holidays(self):
        due_today = ActionFactory(raised_on=MAUNDY_THURSDAY, due_on=MAUNDY_THURSDAY)
        # Thursday + 3 business days: Tuesday 7, Wednesday 8, Thursday 9 April.
        last_day = ActionFactory(raised_on=MAUNDY_THURSDAY, due_on=datetime.date(2026, 4, 9))
        too_far = ActionFactory(raised_on=MAUNDY_THURSDAY, due_on=datetime.date(2026, 4, 10))
        specs = run(meetings_alerts.actions_due_soon, MAUNDY_THURSDAY)
        assert keys(specs) == {
            f"action-due:{due_today.pk}:2026-04-02",
            f"action-due:{last_day.pk}:2026-04-09",
        }
        assert too_far.pk not in {int(spec.key.split(":")[1]) for spec in specs}

    def test_a_weekend_is_not_counted(self):
        # From Friday 12 June 2026: Monday 15, Tuesday 16, Wednesday 17.
        wednesday = ActionFactory(due_on=datetime.date(2026, 6, 17))
        thursday = ActionFactory(due_on=datetime.date(2026, 6, 18))
        friday = datetime.date(2026, 6, 12)
        assert keys(run(meetings_alerts.actions_due_soon, friday)) == {
            f"action-due:{wednesday.pk}:2026-06-17"
        }
        saturday = datetime.date(2026, 6, 13)
        assert keys(run(meetings_alerts.actions_due_soon, saturday)) == {
            f"action-due:{wednesday.pk}:2026-06-17"
        }
        monday = datetime.date(2026, 6, 15)
        assert keys(run(meetings_alerts.actions_due_soon, monday)) == {
            f"action-due:{wednesday.pk}:2026-06-17",
            f"action-due:{thursday.pk}:2026-06-18",
        }

    def test_the_owner_is_told_and_closed_actions_are_not(self, make_user):
        owner = make_user(role=Role.CONTRACT_MANAGER)
        action = ActionFactory(owner=owner, due_on=datetime.date(2026, 6, 16))
        ActionFactory(due_on=datetime.date(2026, 6, 16), status=ActionStatus.DONE, outcome="x")
        ActionFactory(due_on=datetime.date(2026, 6, 16), status=ActionStatus.CANCELLED)
        ActionFactory(due_on=datetime.date(2026, 6, 16), owner=make_user(is_active=False))
        (spec,) = run(meetings_alerts.actions_due_soon, datetime.date(2026, 6, 15))
        assert spec.users == (owner,)
        assert spec.url == action.get_absolute_url()
        assert spec.kind == "action_due"
        assert "Tuesday 16 June 2026" in spec.subject
        assert action.contract.reference in spec.subject

    def test_the_same_occasion_keeps_its_key_and_a_new_due_date_makes_a_new_one(self):
        action = ActionFactory(due_on=datetime.date(2026, 6, 17))
        first = keys(run(meetings_alerts.actions_due_soon, datetime.date(2026, 6, 15)))
        again = keys(run(meetings_alerts.actions_due_soon, datetime.date(2026, 6, 16)))
        assert first == again
        action.due_on = datetime.date(2026, 6, 18)
        action.save()
        moved = keys(run(meetings_alerts.actions_due_soon, datetime.date(2026, 6, 16)))
        assert moved == {f"action-due:{action.pk}:2026-06-18"}
        assert moved != first

    def test_one_query_whatever_the_number_of_actions(self):
        ActionFactory(due_on=datetime.date(2026, 6, 16))
        few = queries(meetings_alerts.actions_due_soon, datetime.date(2026, 6, 15))
        ActionFactory.create_batch(8, due_on=datetime.date(2026, 6, 17))
        assert queries(meetings_alerts.actions_due_soon, datetime.date(2026, 6, 15)) == few == 1


@pytest.mark.django_db
class TestActionsOverdue:
    def test_overdue_from_the_day_after_the_due_date(self):
        # Due on Good Friday: a bank holiday does not delay the overdue alert.
        action = ActionFactory(raised_on=MAUNDY_THURSDAY, due_on=datetime.date(2026, 4, 3))
        assert run(meetings_alerts.actions_overdue, datetime.date(2026, 4, 3)) == []
        (spec,) = run(meetings_alerts.actions_overdue, datetime.date(2026, 4, 4))
        assert spec.key == f"action-overdue:{action.pk}:2026-04-03"
        assert spec.users == (action.owner,)
        assert spec.kind == "action_overdue"
        # The same occasion on later days: the sweep records it once.
        (later,) = run(meetings_alerts.actions_overdue, datetime.date(2026, 4, 20))
        assert later.key == spec.key

    def test_a_new_due_date_is_a_new_occasion(self):
        action = ActionFactory(due_on=datetime.date(2026, 6, 1))
        first = keys(run(meetings_alerts.actions_overdue, datetime.date(2026, 6, 15)))
        action.due_on = datetime.date(2026, 6, 10)
        action.save()
        assert (
            keys(run(meetings_alerts.actions_overdue, datetime.date(2026, 6, 15)))
            == {f"action-overdue:{action.pk}:2026-06-10"}
            != first
        )

    def test_closed_actions_are_never_overdue(self):
        ActionFactory(due_on=datetime.date(2026, 6, 1), status=ActionStatus.DONE, outcome="x")
        ActionFactory(due_on=datetime.date(2026, 6, 1), status=ActionStatus.CANCELLED)
        in_progress = ActionFactory(
            due_on=datetime.date(2026, 6, 1), status=ActionStatus.IN_PROGRESS
        )
        assert keys(run(meetings_alerts.actions_overdue, datetime.date(2026, 6, 15))) == {
            f"action-overdue:{in_progress.pk}:2026-06-01"
        }

    def test_one_query_whatever_the_number_of_actions(self):
        ActionFactory(due_on=datetime.date(2026, 6, 1))
        few = queries(meetings_alerts.actions_overdue, datetime.date(2026, 6, 15))
        ActionFactory.create_batch(8, due_on=datetime.date(2026, 6, 2), contract=None)
        assert queries(meetings_alerts.actions_overdue, datetime.date(2026, 6, 15)) == few == 1


@pytest.mark.django_db
class TestMonitoringMeetingsToSchedule:
    @pytest.fixture
    def lead(self, make_user):
        return make_user(role=Role.CONTRACT_MANAGER)

    def test_the_lead_officer_is_told_once_per_contract_per_quarter(self, lead):
        contract = ContractFactory(lead_officer=lead)
        (spec,) = run(meetings_alerts.monitoring_meetings_to_schedule, datetime.date(2026, 4, 1))
        assert spec.key == f"meeting-to-schedule:{contract.pk}:2026-Q1"
        assert spec.users == (lead,)
        assert spec.kind == "meeting_to_schedule"
        assert "Q1 2026-27" in spec.subject
        assert spec.url == f"/contracts/{contract.pk}/meetings/"
        # Later in the same quarter: the same key, so nothing new is sent.
        (later,) = run(meetings_alerts.monitoring_meetings_to_schedule, datetime.date(2026, 6, 30))
        assert later.key == spec.key
        # The next quarter is a new occasion; Q4 runs January to March.
        (q2,) = run(meetings_alerts.monitoring_meetings_to_schedule, datetime.date(2026, 7, 1))
        assert q2.key == f"meeting-to-schedule:{contract.pk}:2026-Q2"
        (q4,) = run(meetings_alerts.monitoring_meetings_to_schedule, datetime.date(2027, 2, 1))
        assert q4.key == f"meeting-to-schedule:{contract.pk}:2026-Q4"

    def test_a_monitoring_meeting_in_the_quarter_satisfies_it(self, lead):
        scheduled = ContractFactory(lead_officer=lead)
        MeetingFactory(contract=scheduled, starts_at=at(2026, 6, 30, 14))
        held = ContractFactory(lead_officer=lead)
        MeetingFactory(contract=held, status=MeetingStatus.HELD, starts_at=at(2026, 4, 2))
        # Just after midnight on 1 April in London is still 31 March in UTC.
        first_hour = ContractFactory(lead_officer=lead)
        MeetingFactory(contract=first_hour, starts_at=at(2026, 4, 1, 0, 30))
        assert (
            run(meetings_alerts.monitoring_meetings_to_schedule, datetime.date(2026, 6, 15)) == []
        )

    def test_meetings_that_do_not_count(self, lead):
        cancelled = ContractFactory(lead_officer=lead)
        MeetingFactory(
            contract=cancelled, status=MeetingStatus.CANCELLED, starts_at=at(2026, 6, 30)
        )
        strategic_only = ContractFactory(lead_officer=lead)
        MeetingFactory(
            contract=strategic_only, kind=MeetingKind.SIX_MONTHLY, starts_at=at(2026, 6, 30)
        )
        last_quarter = ContractFactory(lead_officer=lead)
        MeetingFactory(contract=last_quarter, starts_at=at(2026, 3, 31, 23, 30))
        next_quarter = ContractFactory(lead_officer=lead)
        MeetingFactory(contract=next_quarter, starts_at=at(2026, 7, 1, 9))
        specs = run(meetings_alerts.monitoring_meetings_to_schedule, datetime.date(2026, 6, 15))
        assert keys(specs) == {
            f"meeting-to-schedule:{c.pk}:2026-Q1"
            for c in (cancelled, strategic_only, last_quarter, next_quarter)
        }

    def test_only_active_contracts_with_a_lead_officer(self, lead):
        ContractFactory(lead_officer=lead, status=ContractStatus.DRAFT)
        ContractFactory(lead_officer=lead, status=ContractStatus.IN_EXIT)
        ContractFactory(lead_officer=lead, status=ContractStatus.ENDED)
        ContractFactory(lead_officer=None)
        ContractFactory(lead_officer=lead, start_date=datetime.date(2026, 7, 1))
        assert (
            run(meetings_alerts.monitoring_meetings_to_schedule, datetime.date(2026, 6, 15)) == []
        )

    def test_one_query_whatever_the_number_of_contracts(self, lead):
        ContractFactory(lead_officer=lead)
        few = queries(meetings_alerts.monitoring_meetings_to_schedule, datetime.date(2026, 6, 15))
        for _ in range(6):
            contract = ContractFactory(lead_officer=lead)
            MeetingFactory(contract=contract, kind=MeetingKind.ANNUAL)
        assert (
            queries(meetings_alerts.monitoring_meetings_to_schedule, datetime.date(2026, 6, 15))
            == few
        )
        assert few == 1


@pytest.mark.django_db
def test_the_daily_sweep_tells_the_owner_once(make_user):
    from governance.core.models.alerts import Alert, Notification
    from governance.core.services.alerts import daily_sweep

    owner = make_user(role=Role.CONTRACT_MANAGER)
    action = ActionFactory(owner=owner, due_on=datetime.date(2026, 6, 1))
    day = datetime.date(2026, 6, 15)
    with time_machine.travel(at(2026, 6, 15, 6), tick=False):
        daily_sweep(today=day)
        daily_sweep(today=day)
    alert = Alert.objects.get(key=f"action-overdue:{action.pk}:2026-06-01")
    assert list(Notification.objects.filter(alert=alert).values_list("user", flat=True)) == [
        owner.pk
    ]
