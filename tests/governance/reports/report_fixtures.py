"""A small portfolio for the dashboard and report tests: contracts with a finished
quarter's returns, risks, actions, checklist evidence and log entries, on a frozen
day (20 November 2026, in Q3 2026-27; the last finished quarter is Q2)."""

import datetime
from decimal import Decimal

from contracts.assurance.choices import ChecklistStatus
from contracts.assurance.models.slas import ChecklistItem
from contracts.performance.choices import KpiDirection, KpiUnit, ReturnStatus
from contracts.register.choices import Rag, Tier
from governance.core.roles import Role
from tests.contracts.performance.kpi_factories import ContractKpiFactory
from tests.contracts.performance.return_factories import (
    FinancialReturnFactory,
    KpiResultFactory,
    PerformanceReturnFactory,
    ReportingPeriodFactory,
)
from tests.contracts.register.factories import ContractFactory
from tests.governance.meetings.meeting_factories import ActionFactory
from tests.risks.factories import RiskFactory

TODAY = datetime.date(2026, 11, 20)
NOW = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)


def reported_quarter(contract, *, rags, year=2026, quarter=2, status=ReturnStatus.ACCEPTED):
    """A finished quarter with one KPI result per RAG in ``rags``."""
    period = ReportingPeriodFactory(contract=contract, financial_year=year, quarter=quarter)
    overall = (
        Rag.RED
        if Rag.RED in rags
        else Rag.AMBER
        if Rag.AMBER in rags
        else Rag.GREEN
        if rags
        else Rag.NONE
    )
    performance = PerformanceReturnFactory(
        period=period, status=status, rag=overall, commentary="Steady quarter overall."
    )
    kpis = list(contract.kpis.order_by("pk"))
    for index, rag in enumerate(rags):
        if index >= len(kpis):
            kpis.append(
                ContractKpiFactory(
                    contract=contract,
                    name=f"Indicator {contract.pk}-{index}",
                    unit=KpiUnit.PERCENTAGE,
                    direction=KpiDirection.HIGHER,
                    target=Decimal(90),
                    amber_tolerance=Decimal(5),
                )
            )
        actual = {Rag.RED: Decimal(70), Rag.AMBER: Decimal(88), Rag.GREEN: Decimal(95)}[rag]
        KpiResultFactory(
            performance_return=performance,
            kpi=kpis[index],
            actual=actual,
            rag=rag,
            commentary=f"Commentary on {kpis[index].name}",
        )
    FinancialReturnFactory(
        period=period,
        status=status,
        budget=Decimal(100000),
        actual_spend=Decimal(104000),
        payments_made=Decimal(100000),
        commentary="Agency cover for vacancies.",
    )
    return period


def build_portfolio(size: int, *, officer, other_officer) -> list:
    """``size`` contracts; every third red, every third amber (one return overdue), the
    rest green. Half are run by ``officer``."""
    contracts = []
    for number in range(size):
        lead = officer if number % 2 == 0 else other_officer
        contract = ContractFactory(
            lead_officer=lead,
            tier=(Tier.GOLD, Tier.SILVER, Tier.BRONZE)[number % 3],
            annual_value=Decimal(100000),
            total_value=Decimal(300000),
        )
        kind = number % 3
        if kind == 0:
            reported_quarter(contract, rags=[Rag.GREEN, Rag.RED])
        elif kind == 1:
            reported_quarter(contract, rags=[Rag.GREEN], quarter=1)
            # Q2's performance return, due in October, is overdue and still in draft:
            # one return overdue for less than a quarter.
            period = ReportingPeriodFactory(contract=contract, financial_year=2026, quarter=2)
            PerformanceReturnFactory(period=period, status=ReturnStatus.DRAFT)
            FinancialReturnFactory(period=period, status=ReturnStatus.ACCEPTED)
        else:
            reported_quarter(contract, rags=[Rag.GREEN, Rag.GREEN])
        RiskFactory(
            contract=contract,
            owner=lead,
            inherent_likelihood=2 + number % 3,
            inherent_impact=3,
            residual_likelihood=1 + number % 3,
            residual_impact=3,
        )
        ActionFactory(contract=contract, owner=lead, due_on=datetime.date(2026, 10, 1))
        ChecklistItem.objects.create(
            contract=contract,
            title=f"Insurance certificate {number}",
            status=ChecklistStatus.VERIFIED,
            verified_on=datetime.date(2025, 12, 1),
            verified_by=lead,
            expires_on=TODAY + datetime.timedelta(days=20 + number),
        )
        contracts.append(contract)
    return contracts


def report_people(make_user) -> dict:
    return {
        "lead": make_user(
            role=Role.CONTRACT_MANAGER, username="morgan", first_name="Morgan", last_name="Lee"
        ),
        "smg": make_user(role=Role.SMG, username="sandra", first_name="Sandra", last_name="Grey"),
        "auditor": make_user(
            role=Role.AUDITOR, username="alex", first_name="Alex", last_name="Turner"
        ),
    }


def rich_contract(people):
    """A contract with two reported quarters, a variation SMG approved and an entry in
    every log."""
    from contracts.register.services import contracts as contract_services
    from tests.governance.contactlog.log_factories import ContactLogEntryFactory, LogDecisionFactory

    contract = ContractFactory(
        reference="NPCC-2025-017", title="Victims' referral hub", lead_officer=people["lead"]
    )
    reported_quarter(contract, rags=[Rag.GREEN, Rag.AMBER], year=2026, quarter=1)
    reported_quarter(contract, rags=[Rag.GREEN, Rag.RED], year=2026, quarter=2)
    variation = contract_services.variation_propose(
        contract=contract,
        actor=people["lead"],
        summary="Add a rural outreach worker",
        justification="Referrals from rural areas doubled.",
        requested_by="commissioner",
        new_total_value=Decimal("1500000"),
    )
    contract_services.variation_approve(
        variation=variation, actor=people["smg"], notes="Approved at SMG on 12 November"
    )
    RiskFactory(contract=contract, owner=people["lead"], title="Caseworkers leave")
    LogDecisionFactory(contract=contract, title="Reprofile the outreach budget")
    ContactLogEntryFactory(contract=contract, subject="Waiting times in the north hub")
    ActionFactory(
        contract=contract,
        owner=people["lead"],
        description="Send the referral backlog figures",
        raised_on=datetime.date(2026, 7, 15),
        due_on=datetime.date(2026, 12, 1),
    )
    contract.refresh_from_db()
    return contract
