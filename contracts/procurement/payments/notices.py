"""The payments notices owed under the Procurement Act 2023, owed by the daily sweep
through the shared notices register (``notice_owe``):

- the payments compliance notice (section 69; Find a Tender's code is the setting
  ``PROCUREMENT_PAYMENTS_COMPLIANCE_CODE``): one notice of the whole contracting
  authority for each six-month period ending 31 March and 30 September, due within
  ``PROCUREMENT_UK17_DUE_DAYS`` (30) days of the period's end, covering every contract
  that owes the payments duty (under the Act, no flag switching it off). It is owed
  when, in the period, a payment was made under one of them or a sum under one of them
  became payable (section 69(1)); it publishes the share of invoices paid on time, the
  average days taken to pay and the regulation 38 bands. The first period owed is the
  one the duty starts in (``PROCUREMENT_PAYMENTS_COMPLIANCE_FROM``), counted from that
  day;
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
from django.db.models import Q
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


def owe_payments_compliance(*, period: Period, actor=None):
    """The authority's payments compliance notice for ``period`` (one for all contracts)."""
    start, end = period
    return notice_owe(
        contract=None,
        kind=NoticeKind.PAYMENTS_COMPLIANCE,
        due_on=compliance_due_on(end),
        key=period_key("half-year", period),
        actor=actor,
        reason=f"Payments compliance notice owed for {_describe(period)}",
        period_start=start,
        period_end=end,
    )


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


def payments_duty_contracts() -> list[Contract]:
    """The contracts the payments duties cover: under the Act, out of draft, and not
    switched off by a flag (concession contracts and private utilities by default)."""
    return [contract for contract in _act_contracts() if owes_duty(contract, "payments")]


def covered_contracts(period: Period, contracts: list[Contract] | None = None) -> list[Contract]:
    """The contracts a payments compliance notice for ``period`` reports on: those the
    duty covers under which, in the period, a payment was made or an undisputed invoice
    fell due (section 69(1))."""
    start, end = period
    contracts = payments_duty_contracts() if contracts is None else contracts
    if not contracts:
        return []
    active = set(
        Invoice.objects.filter(contract__in=contracts)
        .filter(
            Q(paid_on__gte=start, paid_on__lte=end)
            | Q(disputed=False, due_on__gte=start, due_on__lte=end)
        )
        .values_list("contract_id", flat=True)
    )
    return [contract for contract in contracts if contract.pk in active]


def payments_sweep(*, today: datetime.date | None = None) -> dict[str, int]:
    """Owe every payments notice that has fallen due to be prepared. Idempotent."""
    today = today or timezone.localdate()
    owed = {"payments compliance": 0, "payments over the threshold": 0}
    quarters = large_payment_quarters(today)
    threshold = large_payment_threshold()
    contracts = payments_duty_contracts()
    for period in compliance_periods(today):
        if covered_contracts(period, contracts):
            owed["payments compliance"] += owe_payments_compliance(period=period)[1]
    if not quarters:
        return owed
    for contract in _act_contracts():
        if not owes_duty(contract, "payments_30k"):
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
    compliance notice the share paid on time and the average days to pay across every
    contract it covers, and each contract's figures behind them; for the
    quarterly publication the payments over the threshold."""
    period = (notice.period_start, notice.period_end)
    if notice.kind == NoticeKind.PAYMENTS_COMPLIANCE:
        contracts = covered_contracts(period)
        return {
            "performance": payment_performance(contracts, *period),
            "contracts": [
                (contract, payment_performance(contract, *period)) for contract in contracts
            ],
        }
    if notice.kind == NoticeKind.PAYMENTS_OVER_30K:
        return {
            "payments": list(payments_over(notice.contract, *period, large_payment_threshold())),
            "threshold": large_payment_threshold(),
        }
    return {}
