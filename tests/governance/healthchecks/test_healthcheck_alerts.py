"""The annual health check schedule: due 12 months after the last one (or after the
contract starts), alerts 30 days before and once overdue, the dashboard selector."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contracts.register.choices import ContractStatus
from governance.core.models.alerts import Alert, Notification
from governance.core.roles import Role
from governance.core.services import alerts as engine
from governance.healthchecks import alerts, selectors
from governance.healthchecks.models import Side
from governance.healthchecks.selectors import health_checks_due
from tests.contracts.register.factories import OrganisationFactory
from tests.governance.core.factories import UserFactory
from tests.governance.healthchecks.healthcheck_factories import (
    complete,
    completed,
    officer,
    partnership,
    provider_user,
    start,
)

pytestmark = pytest.mark.django_db


def keys(specs) -> list[str]:
    return [spec.key for spec in specs]


def only_health_check_alerts(monkeypatch):
    monkeypatch.setattr(engine, "collect", lambda: ([], list(alerts.PROVIDERS)))


def due_and_overdue(today):
    return keys(alerts.annual_health_checks_due(today)), keys(
        alerts.annual_health_checks_overdue(today)
    )


class TestDueDate:
    def test_first_one_falls_due_a_year_after_the_contract_starts(self):
        contract = partnership(start_date=datetime.date(2026, 2, 2))
        assert selectors.next_annual_due(contract) == datetime.date(2027, 2, 2)

    def test_next_one_falls_due_a_year_after_the_last_submitted(self):
        assessment = completed(assessed_on=datetime.date(2026, 3, 10))
        assert selectors.next_annual_due(assessment.contract) == datetime.date(2027, 3, 10)

    def test_a_draft_or_another_questionnaire_does_not_count(self):
        contract = partnership(start_date=datetime.date(2025, 4, 1))
        start(contract, assessed_on=datetime.date(2026, 3, 1))
        completed(contract, kind="ongoing", assessed_on=datetime.date(2026, 3, 1))
        assert selectors.next_annual_due(contract) == datetime.date(2026, 4, 1)

    def test_only_the_commissioners_submission_counts(self):
        contract = partnership(start_date=datetime.date(2025, 4, 1))
        assessment = start(contract, assessed_on=datetime.date(2026, 3, 1))
        complete(assessment, Side.PROVIDER, provider_user(contract))
        assert selectors.next_annual_due(contract) == datetime.date(2026, 4, 1)
        complete(assessment, Side.COMMISSIONER, contract.lead_officer)
        assert selectors.next_annual_due(contract) == datetime.date(2027, 3, 1)

    def test_a_leap_day_start_falls_due_at_the_end_of_february(self):
        contract = partnership(start_date=datetime.date(2024, 2, 29))
        assert selectors.next_annual_due(contract) == datetime.date(2025, 2, 28)

    def test_ordinary_contracts_and_closed_partnerships_have_no_schedule(self):
        assert selectors.next_annual_due(partnership(is_strategic_partnership=False)) is None
        assert selectors.next_annual_due(partnership(status=ContractStatus.ENDED)) is None


class TestAlerts:
    @pytest.mark.parametrize(
        ("today", "expected"),
        [
            # 31 days before: nothing yet.
            (datetime.date(2027, 3, 9), (None, None)),
            # 30 days before: due.
            (datetime.date(2027, 3, 10), ("due", None)),
            # On the day: still due, not overdue.
            (datetime.date(2027, 4, 9), ("due", None)),
            # The day after: overdue.
            (datetime.date(2027, 4, 10), (None, "overdue")),
        ],
    )
    def test_due_then_overdue(self, today, expected):
        assessment = completed(assessed_on=datetime.date(2026, 4, 9))
        pk = assessment.contract.pk
        due, overdue = due_and_overdue(today)
        assert due == ([f"health-check-due:{pk}:2027-04-09"] if expected[0] else [])
        assert overdue == ([f"health-check-overdue:{pk}:2027-04-09"] if expected[1] else [])

    def test_weekends_and_bank_holidays_do_not_move_the_date(self):
        # 25 December 2027 is a Saturday and the bank holiday is on Monday 27th: the check
        # is still due on the 25th, and overdue from the 26th.
        contract = partnership(start_date=datetime.date(2026, 12, 25))
        assert due_and_overdue(datetime.date(2027, 12, 25)) == (
            [f"health-check-due:{contract.pk}:2027-12-25"],
            [],
        )
        assert due_and_overdue(datetime.date(2027, 12, 26))[1] == [
            f"health-check-overdue:{contract.pk}:2027-12-25"
        ]

    def test_the_lead_and_deputy_officers_are_told(self):
        deputy = officer()
        contract = partnership(start_date=datetime.date(2026, 5, 1), deputy_officer=deputy)
        spec = next(alerts.annual_health_checks_due(datetime.date(2027, 4, 20)))
        assert set(spec.users) == {contract.lead_officer, deputy}
        assert "due on Saturday 1 May 2027" in spec.body
        assert spec.url.endswith(f"/contracts/{contract.pk}/health-checks/")

    def test_the_sweep_records_each_once_and_a_new_due_date_is_a_new_alert(self, monkeypatch):
        only_health_check_alerts(monkeypatch)
        contract = partnership(start_date=datetime.date(2025, 4, 1))
        with time_machine.travel(datetime.datetime(2026, 4, 2, 6, 0), tick=False):
            assert engine.daily_sweep().raised == 1
            assert engine.daily_sweep().raised == 0
        alert = Alert.objects.get()
        assert alert.key == f"health-check-overdue:{contract.pk}:2026-04-01"
        assert Notification.objects.filter(user=contract.lead_officer).count() == 1
        completed(contract, assessed_on=datetime.date(2026, 4, 20))
        with time_machine.travel(datetime.datetime(2027, 3, 25, 6, 0), tick=False):
            assert engine.daily_sweep().raised == 1
        assert Alert.objects.order_by("-pk").first().key == (
            f"health-check-due:{contract.pk}:2027-04-20"
        )

    def test_each_provider_runs_one_query(self):
        for _ in range(3):
            partnership(start_date=datetime.date(2025, 1, 1))
        with CaptureQueriesContext(connection) as few:
            list(alerts.annual_health_checks_overdue(datetime.date(2026, 6, 1)))
        for _ in range(5):
            partnership(start_date=datetime.date(2025, 1, 1))
        with CaptureQueriesContext(connection) as many:
            specs = list(alerts.annual_health_checks_overdue(datetime.date(2026, 6, 1)))
        assert len(specs) == 8
        assert len(many) == len(few) == 1


class TestDashboardSelector:
    def test_due_within_the_window_and_overdue_soonest_first(self):
        lead = officer()
        soon = partnership(lead, start_date=datetime.date(2025, 7, 1))
        late = partnership(lead, start_date=datetime.date(2025, 3, 1))
        partnership(lead, start_date=datetime.date(2025, 12, 1))  # due December 2026
        rows = health_checks_due(lead, within_days=60, today=datetime.date(2026, 6, 1))
        assert [row.contract for row in rows] == [late, soon]
        assert rows[0].overdue and rows[0].days == -92
        assert not rows[1].overdue

    def test_restricted_to_what_the_user_may_see(self):
        own = partnership(start_date=datetime.date(2025, 1, 1))
        partnership(start_date=datetime.date(2025, 1, 1))
        staff = provider_user(own)
        assert [r.contract for r in health_checks_due(staff, today=datetime.date(2026, 6, 1))] == [
            own
        ]
        nobody = UserFactory(roles=[])
        assert health_checks_due(nobody, today=datetime.date(2026, 6, 1)) == []
        other = UserFactory(roles=[Role.PROVIDER], organisation=OrganisationFactory())
        assert health_checks_due(other, today=datetime.date(2026, 6, 1)) == []

    def test_constant_queries(self):
        reader = UserFactory(roles=[Role.SMG])
        partnership(start_date=datetime.date(2025, 1, 1))
        health_checks_due(reader, today=datetime.date(2026, 6, 1))  # permissions cached
        with CaptureQueriesContext(connection) as few:
            health_checks_due(reader, today=datetime.date(2026, 6, 1))
        for _ in range(6):
            partnership(start_date=datetime.date(2025, 1, 1))
        with CaptureQueriesContext(connection) as many:
            rows = health_checks_due(reader, today=datetime.date(2026, 6, 1))
        assert len(rows) == 7
        assert len(many) == len(few)
