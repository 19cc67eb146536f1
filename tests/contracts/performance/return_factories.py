from decimal import Decimal

import factory
from django.core.exceptions import ValidationError

from contracts.performance.choices import ReturnStatus
from contracts.performance.models.returns import (
    FinancialLine,
    FinancialReturn,
    KpiResult,
    PerformanceReturn,
    ReportingPeriod,
)
from contracts.performance.services.returns import (
    financial_return_transition,
    financial_return_update,
    kpi_due_in_quarter,
    performance_return_transition,
)
from contracts.register.choices import Rag
from governance.core.dates import add_business_days, quarter_bounds
from tests.checks import refused
from tests.contracts.register.factories import ContractFactory


class ReportingPeriodFactory(factory.django.DjangoModelFactory):
    """Q1 2025-26 of a new contract, due 15 and 20 business days after it ends; pass
    ``financial_year`` and ``quarter`` for another quarter."""

    class Meta:
        model = ReportingPeriod

    contract = factory.SubFactory(ContractFactory)
    financial_year = 2025
    quarter = 1
    starts_on = factory.LazyAttribute(lambda o: quarter_bounds(o.financial_year, o.quarter)[0])
    ends_on = factory.LazyAttribute(lambda o: quarter_bounds(o.financial_year, o.quarter)[1])
    performance_due_on = factory.LazyAttribute(lambda o: add_business_days(o.ends_on, 15))
    finance_due_on = factory.LazyAttribute(lambda o: add_business_days(o.ends_on, 20))


class PerformanceReturnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PerformanceReturn

    period = factory.SubFactory(ReportingPeriodFactory)
    status = ReturnStatus.DRAFT
    rag = Rag.NONE


class KpiResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KpiResult

    performance_return = factory.SubFactory(PerformanceReturnFactory)
    kpi = factory.SubFactory(
        "tests.contracts.performance.kpi_factories.ContractKpiFactory",
        contract=factory.SelfAttribute("..performance_return.period.contract"),
    )
    actual = None
    commentary = ""
    rag = Rag.NONE


class FinancialReturnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FinancialReturn

    period = factory.SubFactory(ReportingPeriodFactory)
    status = ReturnStatus.DRAFT


class FinancialLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FinancialLine

    financial_return = factory.SubFactory(FinancialReturnFactory)
    description = factory.Sequence(lambda n: f"Needs assessments, batch {n:04d}")
    unit_price = Decimal("45.50")
    units_delivered = Decimal("100")


def period_with_returns(**kwargs) -> ReportingPeriod:
    """A period as the service opens it: a draft performance return with a result for
    each of the contract's KPIs due in the quarter, and a draft financial return."""
    period = ReportingPeriodFactory(**kwargs)
    performance = PerformanceReturnFactory(period=period)
    for kpi in period.contract.kpis.all():
        if kpi_due_in_quarter(kpi, period.quarter):
            KpiResultFactory(performance_return=performance, kpi=kpi)
    FinancialReturnFactory(period=period)
    return period


def move(return_, to_status, actor, **extra):
    """Move a performance or financial return to ``to_status`` as ``actor``."""
    if isinstance(return_, FinancialReturn):
        financial_return_transition(
            financial_return=return_, to_status=to_status, actor=actor, **extra
        )
    else:
        performance_return_transition(
            performance_return=return_, to_status=to_status, actor=actor, **extra
        )


def refusal(return_, to_status, actor, **extra) -> ValidationError:
    """Why moving ``return_`` to ``to_status`` is refused (the test fails if it is not)."""
    return refused(move, return_=return_, to_status=to_status, actor=actor, **extra)


def update_finance(finance, actor, reason="Q1", **overrides):
    """Save a quarter's figures to a financial return as ``actor``: a £100,000 budget,
    £104,000 spent, £100,000 paid and no commentary, unless ``overrides`` say otherwise."""
    figures = {
        "budget": Decimal("100000"),
        "actual_spend": Decimal("104000"),
        "payments_made": Decimal("100000"),
        "commentary": "",
    }
    financial_return_update(
        financial_return=finance, actor=actor, reason=reason, **{**figures, **overrides}
    )
