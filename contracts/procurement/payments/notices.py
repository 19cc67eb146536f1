"""The payments notices a contract under the Procurement Act 2023 owes, owed by the
daily sweep through the shared notices register (``notice_owe``):

- the payments compliance notice (section 69; Find a Tender's code is the setting
  ``PROCUREMENT_PAYMENTS_COMPLIANCE_CODE``) for each six-month period ending 31 March
  and 30 September, due within ``PROCUREMENT_UK17_DUE_DAYS`` (30) days of the period's
  end, with the share of invoices paid on time and the average days taken to pay. The
  first period owed is the one the duty starts in (``PROCUREMENT_PAYMENTS_COMPLIANCE_FROM``),
  counted from that day;
- the publication of each payment over ``PROCUREMENT_LARGE_PAYMENT_THRESHOLD`` (£30,000)
  made in a quarter of the financial year (section 70), due within
  ``PROCUREMENT_PAY30K_DUE_DAYS`` (30) days of the quarter's end, for quarters from
  ``PROCUREMENT_LARGE_PAYMENTS_FROM`` (1 April 2026); owed for a quarter only when such a
  payment was made in it (a payment recorded late owes it on the next sweep).

Deadlines count calendar days, as the Act does: one falling on a weekend or a bank
holiday stays there. A notice is owed once the period has ended; the sweep can run any
number of times and owes nothing twice (each notice's key names its period).
"""

import datetime
from collections.abc import Iterator
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from contracts.procurement.choices import NoticeKind, Regime
from contracts.procurement.payments.models import Invoice
from contracts.procurement.payments.selectors import payment_performance, payments_over
from contracts.procurement.services import days_after, notice_owe, owes_duty
from contracts.register.choices import ContractStatus
from contracts.register.models.contracts import Contract
from governance.core.dates import add_months

Period = tuple[datetime.date, datetime.date]


def _last_day_before(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=1)


def half_year(day: datetime.date) -> Period:
    """The six-month reporting period ``day`` falls in: 1 October to 31 March, or
    1 April to 30 September."""
    if 4 <= day.month <= 9:
        return datetime.date(day.year, 4, 1), datetime.date(day.year, 9, 30)
    start_year = day.year if day.month >= 10 else day.year - 1
    return datetime.date(start_year, 10, 1), datetime.date(start_year + 1, 3, 31)


def quarter(day: datetime.date) -> Period:
    """The quarter of the financial year ``day`` falls in."""
    start = datetime.date(day.year, ((day.month - 1) // 3) * 3 + 1, 1)
    return start, _last_day_before(add_months(start, 3))


def ended_periods(
    first: datetime.date, today: datetime.date, period_of, length_months: int
) -> Iterator[Period]:
    """Every period from the one ``first`` falls in that has ended before ``today``."""
    start, end = period_of(first)
    while end < today:
        yield start, end
        start = add_months(start, length_months)
        end = _last_day_before(add_months(start, length_months))


def compliance_periods(today: datetime.date) -> list[Period]:
    """The six-month periods owed so far, the first starting the day the duty did."""
    duty_from = settings.PROCUREMENT_PAYMENTS_COMPLIANCE_FROM
    return [
        (max(start, duty_from), end) for start, end in ended_periods(duty_from, today, half_year, 6)
    ]


def large_payment_quarters(today: datetime.date) -> list[Period]:
    return list(ended_periods(settings.PROCUREMENT_LARGE_PAYMENTS_FROM, today, quarter, 3))


def compliance_due_on(period_end: datetime.date) -> datetime.date:
    return days_after(period_end, settings.PROCUREMENT_UK17_DUE_DAYS)


def large_payments_due_on(period_end: datetime.date) -> datetime.date:
    return days_after(period_end, settings.PROCUREMENT_PAY30K_DUE_DAYS)


def period_key(prefix: str, period: Period) -> str:
    return f"{prefix}-{period[0].isoformat()}-{period[1].isoformat()}"


def large_payment_threshold() -> Decimal:
    return Decimal(settings.PROCUREMENT_LARGE_PAYMENT_THRESHOLD)


def _describe(period: Period) -> str:
    start, end = period
    return f"{start:%-d %B %Y} to {end:%-d %B %Y}"


def owe_payments_compliance(*, contract: Contract, period: Period, actor=None):
    start, end = period
    notice, created = notice_owe(
        contract=contract,
        kind=NoticeKind.PAYMENTS_COMPLIANCE,
        due_on=compliance_due_on(end),
        key=period_key("half-year", period),
        actor=actor,
        reason=f"Payments compliance notice owed for {_describe(period)}",
        period_start=start,
        period_end=end,
    )
    return notice, created


def owe_large_payments(*, contract: Contract, period: Period, actor=None):
    start, end = period
    return notice_owe(
        contract=contract,
        kind=NoticeKind.PAYMENTS_OVER_30K,
        due_on=large_payments_due_on(end),
        key=period_key("quarter", period),
        actor=actor,
        reason=f"Payments over £{settings.PROCUREMENT_LARGE_PAYMENT_THRESHOLD:,} made from "
        f"{_describe(period)} to publish",
        period_start=start,
        period_end=end,
    )


def _act_contracts():
    return (
        Contract.objects.filter(procurement__regime=Regime.ACT_2023)
        .exclude(status=ContractStatus.DRAFT)
        .select_related("procurement")
        .order_by("pk")
    )


def payments_sweep(*, today: datetime.date | None = None) -> dict[str, int]:
    """Owe every payments notice that has fallen due to be prepared. Idempotent."""
    today = today or timezone.localdate()
    owed = {"payments compliance": 0, "payments over the threshold": 0}
    half_years = compliance_periods(today)
    quarters = large_payment_quarters(today)
    threshold = large_payment_threshold()
    for contract in _act_contracts():
        if not owes_duty(contract, "payments"):
            continue
        for start, end in half_years:
            # A contract owes the periods it ran in (and any in which it paid invoices
            # after its end).
            ran = contract.start_date <= end and contract.current_end_date >= start
            if ran or contract.invoices.paid_between(start, end).exists():
                owed["payments compliance"] += owe_payments_compliance(
                    contract=contract, period=(start, end)
                )[1]
        if not quarters:
            continue
        paid_quarters = set()
        large = Invoice.objects.filter(
            contract=contract, amount__gt=threshold, paid_on__gte=quarters[0][0]
        ).values_list("paid_on", flat=True)
        for paid_on in large:
            paid_quarters.add(quarter(paid_on))
        for period in quarters:
            if period in paid_quarters:
                owed["payments over the threshold"] += owe_large_payments(
                    contract=contract, period=period
                )[1]
    return owed


def notice_payment_figures(notice) -> dict:
    """What a payments notice publishes, worked out from the invoice register: for the
    compliance notice the share paid on time and the average days to pay; for the
    quarterly publication the payments over the threshold."""
    period = (notice.period_start, notice.period_end)
    if notice.kind == NoticeKind.PAYMENTS_COMPLIANCE:
        return {"performance": payment_performance(notice.contract, *period)}
    if notice.kind == NoticeKind.PAYMENTS_OVER_30K:
        return {
            "payments": list(payments_over(notice.contract, *period, large_payment_threshold())),
            "threshold": large_payment_threshold(),
        }
    return {}
