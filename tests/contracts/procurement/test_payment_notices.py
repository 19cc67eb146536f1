"""The payments notices owed by the daily sweep: the six-monthly payments compliance
notice and the quarterly publication of payments over £30,000, at the 31 March and
30 September boundaries, on weekends and bank holidays, and switched off by the regime."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from contracts.procurement.choices import NoticeKind, NoticeStatus, Regime
from contracts.procurement.models import Notice
from contracts.procurement.payments.notices import (
    compliance_periods,
    half_year,
    large_payment_quarters,
    notice_payment_figures,
    payments_sweep,
    quarter,
)
from contracts.register.choices import ContractStatus
from governance.core.dates import is_business_day
from governance.core.services.alerts import daily_sweep
from tests.contracts.procurement.factories import act_contract
from tests.contracts.procurement.invoice_factories import InvoiceFactory, PaidInvoiceFactory

D = datetime.date
COMPLIANCE = NoticeKind.PAYMENTS_COMPLIANCE
LARGE = NoticeKind.PAYMENTS_OVER_30K


def owed(kind=COMPLIANCE):
    return list(
        Notice.objects.filter(kind=kind)
        .order_by("period_end")
        .values_list("period_start", "period_end", "due_on")
    )


def contract_under_act(*, payments=True, **fields):
    """A contract under the Act; with ``payments``, one invoice paid in each half-year
    from January 2026 to September 2029 (the notice is owed for a period with payments)."""
    fields.setdefault("start_date", D(2025, 4, 1))
    fields.setdefault("initial_end_date", D(2029, 3, 31))
    fields.setdefault("original_end_date", fields["initial_end_date"])
    fields.setdefault("current_end_date", fields["initial_end_date"])
    contract = act_contract(**fields)
    if payments:
        for year in range(2026, 2030):
            for month in (1, 4, 10):
                received = D(year, month, 10)
                PaidInvoiceFactory(contract=contract, received_on=received)
    return contract


class TestPeriods:
    @pytest.mark.parametrize(
        "day, period",
        [
            (D(2026, 3, 31), (D(2025, 10, 1), D(2026, 3, 31))),
            (D(2026, 4, 1), (D(2026, 4, 1), D(2026, 9, 30))),
            (D(2026, 9, 30), (D(2026, 4, 1), D(2026, 9, 30))),
            (D(2026, 10, 1), (D(2026, 10, 1), D(2027, 3, 31))),
            (D(2027, 1, 15), (D(2026, 10, 1), D(2027, 3, 31))),
        ],
    )
    def test_half_years_end_on_31_march_and_30_september(self, day, period):
        assert half_year(day) == period

    @pytest.mark.parametrize(
        "day, period",
        [
            (D(2026, 6, 30), (D(2026, 4, 1), D(2026, 6, 30))),
            (D(2026, 7, 1), (D(2026, 7, 1), D(2026, 9, 30))),
            (D(2027, 3, 31), (D(2027, 1, 1), D(2027, 3, 31))),
        ],
    )
    def test_quarters_of_the_financial_year(self, day, period):
        assert quarter(day) == period

    def test_the_first_half_year_starts_with_the_duty(self):
        assert compliance_periods(D(2026, 3, 31)) == []
        assert compliance_periods(D(2026, 4, 1)) == [(D(2026, 1, 1), D(2026, 3, 31))]
        assert compliance_periods(D(2026, 10, 1)) == [
            (D(2026, 1, 1), D(2026, 3, 31)),
            (D(2026, 4, 1), D(2026, 9, 30)),
        ]

    def test_large_payments_are_published_from_april_2026(self, settings):
        assert large_payment_quarters(D(2026, 6, 30)) == []
        assert large_payment_quarters(D(2026, 7, 1)) == [(D(2026, 4, 1), D(2026, 6, 30))]
        settings.PROCUREMENT_LARGE_PAYMENTS_FROM = D(2026, 7, 1)
        assert large_payment_quarters(D(2026, 7, 1)) == []


@pytest.mark.django_db
class TestTheSweepOwesThePaymentsComplianceNotice:
    def test_not_on_31_march_but_on_1_april_due_30_days_later(self):
        contract_under_act()
        payments_sweep(today=D(2026, 3, 31))
        assert owed() == []
        payments_sweep(today=D(2026, 4, 1))
        assert owed() == [(D(2026, 1, 1), D(2026, 3, 31), D(2026, 4, 30))]

    def test_at_the_30_september_boundary(self):
        contract_under_act()
        payments_sweep(today=D(2026, 9, 30))
        assert [row[1] for row in owed()] == [D(2026, 3, 31)]
        payments_sweep(today=D(2026, 10, 1))
        assert owed()[-1] == (D(2026, 4, 1), D(2026, 9, 30), D(2026, 10, 30))

    def test_a_due_date_on_a_weekend_stays_there(self):
        # 30 days after 30 September 2027 is Saturday 30 October 2027: the Act counts
        # calendar days, so the notice is due that Saturday, not the Monday after.
        contract_under_act()
        payments_sweep(today=D(2027, 10, 1))
        due_on = owed()[-1][2]
        assert due_on == D(2027, 10, 30)
        assert due_on.weekday() == 5

    def test_a_due_date_on_a_bank_holiday_stays_there(self, settings):
        settings.PROCUREMENT_UK17_DUE_DAYS = 34  # 31 March 2026 + 34 = 4 May, a bank holiday
        contract_under_act()
        payments_sweep(today=D(2026, 4, 1))
        due_on = owed()[0][2]
        assert due_on == D(2026, 5, 4)
        assert not is_business_day(due_on)

    def test_the_sweep_on_a_bank_holiday_owes_it_once(self):
        # Easter Monday 2029 is 2 April: the sweep runs that day and again the next.
        contract_under_act()
        with time_machine.travel(datetime.datetime(2029, 4, 2, 6, 0), tick=False):
            assert not is_business_day(D(2029, 4, 2))
            daily_sweep(today=D(2029, 4, 2))
            first = owed()
        assert first[-1] == (D(2028, 10, 1), D(2029, 3, 31), D(2029, 4, 30))
        with time_machine.travel(datetime.datetime(2029, 4, 3, 6, 0), tick=False):
            daily_sweep(today=D(2029, 4, 3))
        assert owed() == first

    def test_a_second_run_owes_nothing_twice(self):
        contract_under_act()
        contract_under_act()
        assert payments_sweep(today=D(2026, 10, 1))["payments compliance"] == 2
        assert payments_sweep(today=D(2026, 10, 1))["payments compliance"] == 0
        assert Notice.objects.filter(kind=COMPLIANCE).count() == 2

    def test_one_notice_for_the_whole_authority_each_half_year(self):
        first, second = contract_under_act(), contract_under_act()
        payments_sweep(today=D(2026, 10, 1))
        notices = Notice.objects.filter(kind=COMPLIANCE)
        assert notices.count() == 2
        assert set(notices.values_list("contract", flat=True)) == {None}
        notice = notices.get(period_end=D(2026, 9, 30))
        figures = notice_payment_figures(notice)
        assert [contract for contract, _ in figures["contracts"]] == [first, second]
        assert figures["performance"].paid == 2  # one in the half-year under each
        assert "all contracts, 1 April 2026 to 30 September 2026" in str(notice)

    def test_the_code_and_due_days_are_settings(self, settings):
        from contracts.procurement.services import notice_code

        settings.PROCUREMENT_PAYMENTS_COMPLIANCE_CODE = "UK18"
        settings.PROCUREMENT_UK17_DUE_DAYS = 20
        contract_under_act()
        payments_sweep(today=D(2026, 4, 1))
        assert owed()[0][2] == D(2026, 4, 20)
        assert notice_code(COMPLIANCE) == "UK18"

    def test_contracts_under_the_earlier_regime_owe_nothing(self):
        contract_under_act(procurement__regime=Regime.EARLIER)
        payments_sweep(today=D(2026, 10, 1))
        assert owed() == []

    def test_owed_only_for_a_half_year_with_a_payment_made_or_falling_due(self):
        # Section 69(1): owed when a payment was made, or a sum became payable, under a
        # contract it covers. Draft contracts and the earlier regime do not count.
        contract = contract_under_act(payments=False)
        draft = contract_under_act(status=ContractStatus.DRAFT)
        earlier = contract_under_act(procurement__regime=Regime.EARLIER)
        payments_sweep(today=D(2026, 10, 1))
        assert owed() == []
        # Received 20 September, due 20 October: neither paid nor due in the half-year.
        InvoiceFactory(contract=contract, received_on=D(2026, 9, 20))
        payments_sweep(today=D(2026, 10, 1))
        assert owed() == []
        # Received 25 August, due 24 September and not paid: a sum became payable.
        InvoiceFactory(contract=contract, received_on=D(2026, 8, 25))
        payments_sweep(today=D(2026, 10, 1))
        assert [row[:2] for row in owed()] == [(D(2026, 4, 1), D(2026, 9, 30))]
        notice = Notice.objects.get(kind=COMPLIANCE)
        figures = notice_payment_figures(notice)
        assert [c for c, _ in figures["contracts"]] == [contract]
        assert draft not in dict(figures["contracts"]) and earlier not in dict(figures["contracts"])
        assert (figures["performance"].payable, figures["performance"].payable_unpaid) == (1, 1)


@pytest.mark.django_db
class TestTheFigures:
    def test_share_paid_on_time_and_average_days_for_the_half_year(self):
        contract = contract_under_act(payments=False)
        for received, paid in [
            (D(2026, 3, 2), D(2026, 4, 1)),  # day 30, paid in the period: on time
            (D(2026, 8, 1), D(2026, 9, 30)),  # day 60, the period's last day: late
            (D(2026, 9, 1), D(2026, 10, 1)),  # paid after the period: not counted
        ]:
            PaidInvoiceFactory(contract=contract, received_on=received, paid_on=paid)
        payments_sweep(today=D(2026, 10, 1))
        notice = Notice.objects.get(kind=COMPLIANCE, period_end=D(2026, 9, 30))
        performance = notice_payment_figures(notice)["performance"]
        assert (performance.paid, performance.paid_on_time) == (2, 1)
        assert performance.share_on_time == Decimal("50.0")
        assert performance.average_days == Decimal("45.0")
        # Regulation 38's bands: day 30 and day 60 (day 1 is the day after receipt).
        assert (performance.within_30, performance.within_31_60, performance.after_60) == (1, 1, 0)
        # Two fell due in the half-year (1 April and 31 August) and both were paid in it;
        # the third falls due on 1 October, after it.
        assert (performance.payable, performance.payable_unpaid) == (2, 0)


@pytest.mark.django_db
class TestPaymentsOverTheThreshold:
    def test_owed_for_a_quarter_with_a_payment_over_30000_due_30_days_after(self):
        contract = contract_under_act()
        PaidInvoiceFactory(
            contract=contract,
            amount=Decimal("30000.01"),
            received_on=D(2026, 6, 1),
            paid_on=D(2026, 6, 30),
        )
        PaidInvoiceFactory(  # exactly £30,000 is not over it
            contract=contract,
            amount=Decimal("30000.00"),
            received_on=D(2026, 7, 1),
            paid_on=D(2026, 7, 20),
        )
        payments_sweep(today=D(2026, 6, 30))
        assert owed(LARGE) == []
        payments_sweep(today=D(2026, 10, 1))
        assert owed(LARGE) == [(D(2026, 4, 1), D(2026, 6, 30), D(2026, 7, 30))]
        notice = Notice.objects.get(kind=LARGE)
        figures = notice_payment_figures(notice)
        assert [i.amount for i in figures["payments"]] == [Decimal("30000.01")]
        assert notice.status == NoticeStatus.DUE

    def test_not_before_april_2026(self):
        contract = contract_under_act()
        PaidInvoiceFactory(
            contract=contract,
            amount=Decimal("90000"),
            received_on=D(2026, 3, 1),
            paid_on=D(2026, 3, 31),
        )
        payments_sweep(today=D(2026, 10, 1))
        assert owed(LARGE) == []

    def test_a_payment_recorded_late_is_owed_on_the_next_sweep(self):
        contract = contract_under_act()
        payments_sweep(today=D(2026, 10, 1))
        assert owed(LARGE) == []
        PaidInvoiceFactory(
            contract=contract,
            amount=Decimal("45000"),
            received_on=D(2026, 8, 3),
            paid_on=D(2026, 8, 28),
        )
        payments_sweep(today=D(2026, 10, 2))
        assert owed(LARGE) == [(D(2026, 7, 1), D(2026, 9, 30), D(2026, 10, 30))]
