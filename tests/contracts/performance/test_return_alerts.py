"""Reminders of quarterly returns: each window opens on the right business day around
weekends and bank holidays, reaches the right people, fires once under its key however
often the sweep runs (or skips a day), says nothing of submitted returns, and costs a
constant number of queries."""

import datetime
from unittest import mock

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contracts.performance import alerts
from contracts.performance.choices import ReturnStatus
from contracts.performance.models.returns import PerformanceReturn
from contracts.performance.services.returns import periods_ensure_all
from governance.core.models.alerts import Alert
from governance.core.roles import Role
from governance.core.services.alerts import daily_sweep
from tests.contracts.performance.return_factories import (
    FinancialReturnFactory,
    PerformanceReturnFactory,
    ReportingPeriodFactory,
)
from tests.contracts.register.factories import ContractFactory

D = datetime.date


def on(day: D):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(6)), tick=False)


def raised(day: D) -> dict[str, alerts.AlertSpec]:
    """Every alert both providers offer on ``day``, by key."""
    with on(day):
        specs = [spec for provider in alerts.PROVIDERS for spec in provider(day)]
    keys = [spec.key for spec in specs]
    assert len(keys) == len(set(keys)), keys
    return {spec.key: spec for spec in specs}


@pytest.fixture
def people(make_user):
    return {
        "lead": make_user(role=Role.CONTRACT_MANAGER),
        "deputy": make_user(role=Role.CONTRACT_MANAGER),
        "pdm": make_user(role=Role.PDM),
        "former_pdm": make_user(role=Role.PDM, is_active=False),
        "smg": make_user(role=Role.SMG),
    }


@pytest.fixture
def contract(people):
    return ContractFactory(
        lead_officer=people["lead"],
        deputy_officer=people["deputy"],
        provider_contract_manager__email="contracts@provider.example.org",
    )


def returns_due(contract, *, performance: D, finance: D, status=ReturnStatus.DRAFT):
    period = ReportingPeriodFactory(
        contract=contract,
        financial_year=2026,
        quarter=1,
        performance_due_on=performance,
        finance_due_on=finance,
    )
    return (
        PerformanceReturnFactory(period=period, status=status),
        FinancialReturnFactory(period=period, status=status),
    )


def window_keys(found: dict, return_) -> set[str]:
    """The windows raised for one return, like {"performance-due-10"}."""
    kind = "performance" if isinstance(return_, PerformanceReturn) else "finance"
    return {
        key.split(":")[0]
        for key in found
        if key.startswith(f"{kind}-") and key.split(":")[1] == str(return_.pk)
    }


@pytest.mark.django_db
class TestWindows:
    """Performance due Tuesday 21 July 2026; finance due Tuesday 28 July 2026."""

    @pytest.fixture(autouse=True)
    def _returns(self, contract):
        self.performance, self.finance = returns_due(
            contract, performance=D(2026, 7, 21), finance=D(2026, 7, 28)
        )

    @pytest.mark.parametrize(
        ("day", "expected"),
        [
            (D(2026, 7, 4), set()),  # Saturday: 11 business days left
            (D(2026, 7, 6), set()),  # Monday: 11 left
            (D(2026, 7, 7), {"performance-due-10"}),  # 10 left
            (D(2026, 7, 15), {"performance-due-10"}),  # 4 left: the window's last day
            (D(2026, 7, 16), {"performance-due-3"}),  # 3 left
            (D(2026, 7, 18), {"performance-due-3"}),  # Saturday: 2 left (Monday, Tuesday)
            (D(2026, 7, 21), {"performance-due-3"}),  # due today
            (D(2026, 7, 22), {"performance-overdue"}),  # the day after
            (D(2026, 8, 3), {"performance-overdue"}),  # 9 business days late
            (D(2026, 8, 4), {"performance-overdue", "performance-overdue-10"}),  # 10 late
        ],
    )
    def test_performance_windows(self, day, expected):
        assert window_keys(raised(day), self.performance) == expected

    @pytest.mark.parametrize(
        ("day", "expected"),
        [
            (D(2026, 7, 13), set()),
            (D(2026, 7, 14), {"finance-due-10"}),
            (D(2026, 7, 23), {"finance-due-3"}),
            (D(2026, 7, 29), {"finance-overdue"}),
        ],
    )
    def test_financial_windows(self, day, expected):
        assert window_keys(raised(day), self.finance) == expected

    def test_keys_hold_the_return_and_its_due_date(self):
        pk = self.performance.pk
        assert set(raised(D(2026, 7, 7))) == {f"performance-due-10:{pk}:2026-07-21"}
        assert f"finance-due-3:{self.finance.pk}:2026-07-28" in raised(D(2026, 7, 28))
        assert set(raised(D(2026, 8, 4))) >= {
            f"performance-overdue:{pk}:2026-07-21",
            f"performance-overdue-10:{pk}:2026-07-21",
        }

    @pytest.mark.parametrize("status", [ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED])
    def test_a_submitted_or_accepted_return_raises_nothing(self, status):
        for return_ in (self.performance, self.finance):
            return_.status = status
            return_.save()
        for day in (D(2026, 7, 7), D(2026, 7, 21), D(2026, 7, 22), D(2026, 8, 20)):
            assert raised(day) == {}, day

    def test_a_returned_return_is_still_chased(self):
        self.performance.status = ReturnStatus.RETURNED
        self.performance.save()
        assert window_keys(raised(D(2026, 7, 22)), self.performance) == {"performance-overdue"}


@pytest.mark.django_db
class TestBankHolidays:
    def test_easter_opens_both_windows_earlier(self, contract):
        # Due Tuesday 7 April 2026, the day after Easter Monday.
        performance, _ = returns_due(contract, performance=D(2026, 4, 7), finance=D(2026, 6, 1))
        assert window_keys(raised(D(2026, 3, 19)), performance) == set()
        assert window_keys(raised(D(2026, 3, 20)), performance) == {"performance-due-10"}
        assert window_keys(raised(D(2026, 3, 30)), performance) == {"performance-due-10"}
        # Good Friday and Easter Monday: 3 business days left a week before.
        assert window_keys(raised(D(2026, 3, 31)), performance) == {"performance-due-3"}
        assert window_keys(raised(D(2026, 4, 3)), performance) == {"performance-due-3"}

    def test_the_early_may_bank_holiday(self, contract):
        # Due Thursday 14 May 2026; Monday 4 May is a bank holiday.
        performance, _ = returns_due(contract, performance=D(2026, 5, 14), finance=D(2026, 6, 1))
        assert window_keys(raised(D(2026, 4, 28)), performance) == set()
        assert window_keys(raised(D(2026, 4, 29)), performance) == {"performance-due-10"}

    def test_christmas_and_the_boxing_day_substitute_delay_escalation(self, contract):
        # Due Thursday 17 December 2026: Christmas Day, Monday 28 December (for Boxing
        # Day) and New Year's Day do not count towards the 10 business days late.
        _, finance = returns_due(contract, performance=D(2026, 12, 1), finance=D(2026, 12, 17))
        assert window_keys(raised(D(2026, 12, 31)), finance) == {"finance-overdue"}
        assert window_keys(raised(D(2027, 1, 4)), finance) == {"finance-overdue"}
        assert window_keys(raised(D(2027, 1, 5)), finance) == {
            "finance-overdue",
            "finance-overdue-10",
        }


@pytest.mark.django_db
class TestRecipients:
    def test_reminders_go_to_the_providers_contract_manager_and_the_lead(self, contract, people):
        performance, _ = returns_due(contract, performance=D(2026, 7, 21), finance=D(2026, 9, 1))
        for day in (D(2026, 7, 7), D(2026, 7, 16)):
            [spec] = raised(day).values()
            assert spec.users == (people["lead"],)
            assert spec.emails == ("contracts@provider.example.org",)
            assert spec.url == performance.get_absolute_url()
            assert contract.reference in spec.subject
            assert "21 July 2026" in spec.body

    def test_a_contact_who_has_left_is_not_emailed(self, contract):
        contract.provider_contract_manager.is_active = False
        contract.provider_contract_manager.save()
        returns_due(contract, performance=D(2026, 7, 21), finance=D(2026, 9, 1))
        [spec] = raised(D(2026, 7, 7)).values()
        assert spec.emails == ()

    def test_overdue_goes_to_the_lead_and_deputy(self, contract, people):
        returns_due(contract, performance=D(2026, 7, 21), finance=D(2026, 9, 1))
        [spec] = raised(D(2026, 7, 22)).values()
        assert spec.users == (people["lead"], people["deputy"])
        assert spec.emails == ()
        assert spec.kind == "return-overdue"

    def test_long_overdue_goes_to_every_active_policy_development_manager(
        self, contract, people, make_user
    ):
        other_pdm = make_user(role=Role.PDM)
        performance, _ = returns_due(contract, performance=D(2026, 7, 21), finance=D(2026, 9, 1))
        found = raised(D(2026, 8, 4))
        spec = found[f"performance-overdue-10:{performance.pk}:2026-07-21"]
        assert set(spec.users) == {people["pdm"], other_pdm}
        assert "10 business days" in spec.subject


@pytest.mark.django_db
class TestTheSweep:
    def test_each_alert_fires_once_however_often_the_sweep_runs(self, contract):
        returns_due(contract, performance=D(2026, 7, 21), finance=D(2026, 7, 28))
        every_day = [D(2026, 7, 1) + datetime.timedelta(days=n) for n in range(45)]
        with mock.patch(
            "governance.core.services.alerts.collect", return_value=([], alerts.PROVIDERS)
        ):
            for day in every_day:
                with on(day):
                    daily_sweep(today=day)
                    daily_sweep(today=day)  # and a re-run the same day
        kinds = sorted(key.split(":")[0] for key in Alert.objects.values_list("key", flat=True))
        assert kinds == [
            "finance-due-10",
            "finance-due-3",
            "finance-overdue",
            "finance-overdue-10",
            "performance-due-10",
            "performance-due-3",
            "performance-overdue",
            "performance-overdue-10",
        ]

    def test_a_sweep_that_skips_days_still_sends_each_reminder(self, contract):
        returns_due(contract, performance=D(2026, 7, 21), finance=D(2026, 7, 28))
        # Weekdays only, and nothing at all from 7 to 10 July or on 16 and 17 July.
        days = [
            D(2026, 7, 1) + datetime.timedelta(days=n)
            for n in range(45)
            if (D(2026, 7, 1) + datetime.timedelta(days=n)).weekday() < 5
        ]
        skipped = {D(2026, 7, 7), D(2026, 7, 8), D(2026, 7, 9), D(2026, 7, 10)}
        skipped |= {D(2026, 7, 16), D(2026, 7, 17)}
        with mock.patch(
            "governance.core.services.alerts.collect", return_value=([], alerts.PROVIDERS)
        ):
            for day in days:
                if day not in skipped:
                    with on(day):
                        daily_sweep(today=day)
        assert Alert.objects.count() == 8

    def test_the_sweep_opens_periods_first(self):
        assert periods_ensure_all in alerts.PREPARE


@pytest.mark.django_db
class TestCost:
    def _many(self, count: int, make_user) -> None:
        for _ in range(count):
            contract = ContractFactory(
                lead_officer=make_user(role=Role.CONTRACT_MANAGER),
                deputy_officer=make_user(role=Role.CONTRACT_MANAGER),
            )
            returns_due(contract, performance=D(2026, 7, 21), finance=D(2026, 7, 14))

    @pytest.mark.parametrize(
        "day",
        [D(2026, 7, 7), D(2026, 7, 20), D(2026, 8, 4)],  # due soon, due now, long overdue
    )
    def test_queries_do_not_grow_with_returns(self, make_user, day, people):
        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                raised(day)
            return len(captured)

        self._many(1, make_user)
        few = queries()
        self._many(6, make_user)
        assert queries() == few
        assert len(raised(day)) >= 7
