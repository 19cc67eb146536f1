"""Demo portfolio for ``seed_demo``: a dozen contracts across statuses and tiers, built
through the same services users go through, so history reads as it would in use.
``seed_scale`` adds bulk volume for benchmarks."""

import datetime
import io
from decimal import ROUND_CEILING, Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter
from simple_history.utils import bulk_create_with_history

from contracts.assurance.choices import ChecklistStatus
from contracts.assurance.services import checklist as checklist_services
from contracts.assurance.services import slas as sla_services
from contracts.performance.choices import KpiDirection, KpiFrequency, KpiUnit
from contracts.performance.models.kpis import ContractKpi, KpiDefinition
from contracts.performance.services import kpis as kpi_services
from contracts.register.choices import ContractStatus
from contracts.register.models.contracts import Contract, ServiceArea
from contracts.register.models.organisations import Organisation
from contracts.register.services import contracts as contract_services
from governance.core.dates import add_months, financial_quarter

D = Decimal

MENU = [
    # name, requirement, unit, direction, target, tolerance, method, key
    (
        "Victim satisfaction",
        "Victims are satisfied with the support received",
        KpiUnit.PERCENTAGE,
        KpiDirection.HIGHER,
        D(90),
        D(5),
        "Exit survey of victims who closed in the quarter.",
        True,
    ),
    (
        "Contact within two working days",
        "Referrals are contacted promptly",
        KpiUnit.PERCENTAGE,
        KpiDirection.HIGHER,
        D(95),
        D(3),
        "Referrals contacted within two working days, from the case system.",
        True,
    ),
    (
        "Cases closed with a recorded outcome",
        "Every closed case records its outcome",
        KpiUnit.PERCENTAGE,
        KpiDirection.HIGHER,
        D(90),
        D(5),
        "Closed cases with an outcome code.",
        False,
    ),
    (
        "Days from referral to first appointment",
        "People are seen quickly",
        KpiUnit.DAYS,
        KpiDirection.LOWER,
        D(5),
        D(2),
        "Median calendar days, from the case system.",
        True,
    ),
    (
        "Complaints upheld",
        "The service responds well to complaints",
        KpiUnit.COUNT,
        KpiDirection.LOWER,
        D(2),
        D(1),
        "Complaints upheld at any stage in the quarter.",
        False,
    ),
    (
        "First-time fix rate",
        "Service desk calls are resolved at first contact",
        KpiUnit.PERCENTAGE,
        KpiDirection.HIGHER,
        D(80),
        D(5),
        "Tickets closed without escalation, from the ITSM tool.",
        True,
    ),
    (
        "Priority 1 incidents resolved within 4 hours",
        "Critical systems are restored fast",
        KpiUnit.PERCENTAGE,
        KpiDirection.HIGHER,
        D(95),
        D(2),
        "P1 tickets resolved inside 4 hours.",
        True,
    ),
    (
        "Planned maintenance completed on time",
        "Buildings are maintained to plan",
        KpiUnit.PERCENTAGE,
        KpiDirection.HIGHER,
        D(95),
        D(3),
        "Planned jobs closed by their due date.",
        True,
    ),
    (
        "Staff vacancy rate",
        "The service is fully staffed",
        KpiUnit.PERCENTAGE,
        KpiDirection.LOWER,
        D(10),
        D(2),
        "Vacant posts over funded posts at quarter end.",
        False,
    ),
]

# reference, title, provider, area, tier, total, annual, start, end, status, menu KPIs,
# strategic stage
PORTFOLIO = [
    (
        "NPCC-2023-001",
        "Victims' referral and support hub",
        "Northshire Victim Care CIC",
        "Victims' services",
        "gold",
        D("4800000"),
        D("1200000"),
        (2023, 4, 1),
        (2027, 3, 31),
        ContractStatus.ACTIVE,
        [0, 1, 2, 4],
        "contract_management",
    ),
    (
        "NPCC-2022-004",
        "Independent domestic violence advisers",
        "Safer Futures Trust",
        "Domestic abuse and sexual violence",
        "gold",
        D("6300000"),
        D("1260000"),
        (2022, 7, 1),
        (2027, 6, 30),
        ContractStatus.ACTIVE,
        [0, 1, 3, 8],
        "",
    ),
    (
        "NPCC-2024-002",
        "Managed IT service desk",
        "Brightline Digital Services Ltd",
        "Information technology",
        "silver",
        D("2400000"),
        D("800000"),
        (2024, 4, 1),
        (2027, 3, 31),
        ContractStatus.ACTIVE,
        [5, 6, 4],
        "",
    ),
    (
        "NPCC-2021-007",
        "Estates cleaning and maintenance",
        "Castle Facilities Management Ltd",
        "Facilities management",
        "bronze",
        D("1500000"),
        D("300000"),
        (2022, 4, 1),
        (2027, 3, 31),
        ContractStatus.IN_EXIT,
        [7, 4],
        "",
    ),
    (
        "NPCC-2025-003",
        "Custody healthcare",
        "Northshire Victim Care CIC",
        "Custody health care",
        "gold",
        D("9000000"),
        D("1800000"),
        (2025, 4, 1),
        (2030, 3, 31),
        ContractStatus.ACTIVE,
        [3, 4, 8],
        "contract_management",
    ),
    (
        "NPCC-2024-006",
        "Arrest referral for substance misuse",
        "Safer Futures Trust",
        "Substance misuse",
        "silver",
        D("960000"),
        D("320000"),
        (2024, 10, 1),
        (2027, 9, 30),
        ContractStatus.ACTIVE,
        [1, 3, 2],
        "",
    ),
    (
        "NPCC-2023-009",
        "Youth diversion programme",
        "Safer Futures Trust",
        "Youth diversion",
        "silver",
        D("750000"),
        D("250000"),
        (2023, 10, 1),
        (2027, 5, 31),
        ContractStatus.ACTIVE,
        [0, 2],
        "",
    ),
    (
        "NPCC-2026-001",
        "Restorative justice service",
        "Northshire Victim Care CIC",
        "Restorative justice",
        "bronze",
        D("450000"),
        D("150000"),
        (2027, 4, 1),
        (2030, 3, 31),
        ContractStatus.DRAFT,
        [],
        "",
    ),
    (
        "NPCC-2019-002",
        "Witness care",
        "Northshire Victim Care CIC",
        "Victims' services",
        "silver",
        D("1100000"),
        D("275000"),
        (2019, 4, 1),
        (2023, 3, 31),
        ContractStatus.ENDED,
        [0],
        "",
    ),
    (
        "NPCC-2020-005",
        "Hate crime reporting centre",
        "Safer Futures Trust",
        "Community safety",
        "bronze",
        D("360000"),
        D("120000"),
        (2020, 4, 1),
        (2024, 3, 31),
        ContractStatus.TERMINATED,
        [0],
        "",
    ),
    (
        "NPCC-2024-010",
        "Body-worn video storage",
        "Brightline Digital Services Ltd",
        "Information technology",
        "silver",
        D("1800000"),
        D("600000"),
        (2024, 7, 1),
        (2027, 6, 30),
        ContractStatus.ACTIVE,
        [6, 5],
        "",
    ),
    (
        "NPCC-2025-008",
        "Fleet vehicle maintenance",
        "Castle Facilities Management Ltd",
        "Facilities management",
        "bronze",
        D("840000"),
        D("280000"),
        (2025, 4, 1),
        (2028, 3, 31),
        ContractStatus.ACTIVE,
        [7],
        "",
    ),
]


def _evidence_pdf() -> bytes:
    """A one-page blank A4 PDF: uploads are opened as PDFs, so the demo's must be real."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


#: The portfolio's dates are written as seen from this financial quarter (2026-27 Q3,
#: October to December 2026); a demo seeded in a later quarter moves every date forward
#: by whole quarters, so it shows the same picture: live contracts still running, the same
#: decisions coming up, quarters still aligned.
WRITTEN_IN_QUARTER = (2026, 3)


def quarters_since_written(today: datetime.date) -> int:
    year, quarter = financial_quarter(today)
    return (year - WRITTEN_IN_QUARTER[0]) * 4 + quarter - WRITTEN_IN_QUARTER[1]


def _date(parts, today: datetime.date) -> datetime.date:
    """A date of the portfolio as of ``today``; the last day of a month stays the last
    day of its month (30 September moves to 31 December, not the 30th)."""
    day, months = datetime.date(*parts), 3 * quarters_since_written(today)
    next_day = day + datetime.timedelta(days=1)
    if next_day.month != day.month:
        return add_months(next_day, months) - datetime.timedelta(days=1)
    return add_months(day, months)


def seed_menu(actor) -> list[KpiDefinition]:
    menu = []
    for name, requirement, unit, direction, target, tolerance, method, key in MENU:
        existing = KpiDefinition.objects.filter(name=name).first()
        menu.append(
            existing
            or kpi_services.kpidefinition_create(
                actor=actor,
                reason="Performance menu set up",
                name=name,
                service_requirement=requirement,
                unit=unit,
                direction=direction,
                target=target,
                amber_tolerance=tolerance,
                frequency=KpiFrequency.QUARTERLY,
                measurement_method=method,
                is_key_indicator=key,
            )
        )
    return menu


def seed_portfolio(*, users: dict, today: datetime.date) -> int:
    """Create the demo contracts that are not there yet. Returns how many were added."""
    lead, deputy, smg = users["manager"], users["deputy"], users["smg"]
    menu = seed_menu(lead)
    added = 0
    for number, row in enumerate(PORTFOLIO):
        (
            reference,
            title,
            provider_name,
            area,
            tier,
            total,
            annual,
            start,
            end,
            status,
            kpi_rows,
            stage,
        ) = row
        if Contract.objects.filter(reference=reference).exists():
            continue
        provider = Organisation.objects.get(name=provider_name)
        contacts = {c.role: c for c in provider.contacts.all()}
        officer, second = (lead, deputy) if number % 3 else (deputy, lead)
        contract = contract_services.contract_create(
            actor=officer,
            reference=reference,
            title=title,
            scope=f"{title}: the services described in schedule 1, across the force area.",
            provider=provider,
            service_area=ServiceArea.objects.get_or_create(name=area)[0],
            total_value=total,
            annual_value=annual,
            start_date=_date(start, today),
            initial_end_date=_date(end, today),
            tier=tier,
            is_strategic_partnership=bool(stage),
            lifecycle_stage=stage,
            lead_officer=officer,
            deputy_officer=second,
            senior_responsible_owner=smg,
            provider_contract_manager=contacts.get("contract_manager"),
            escalation_contact=contacts.get("escalation"),
            provider_executive=contacts.get("senior_responsible"),
        )
        added += 1
        if status == ContractStatus.DRAFT:
            continue
        contract_services.contract_transition(
            contract=contract,
            to_status=ContractStatus.ACTIVE,
            actor=officer,
            reason="Contract signed by both parties",
        )
        _seed_sla(contract, officer, smg, contacts, _date(start, today))
        _seed_checklist(contract, officer, today)
        for index in kpi_rows:
            kpi_services.contract_kpi_create(
                contract=contract,
                actor=officer,
                definition=menu[index],
                reason="Agreed in the SLA",
            )
        if status == ContractStatus.IN_EXIT:
            contract_services.contract_transition(
                contract=contract,
                to_status=status,
                actor=officer,
                reason="Decision not to extend: service to be re-commissioned",
            )
        elif status in (ContractStatus.ENDED, ContractStatus.TERMINATED):
            from governance.demo.exit import seed_post_contract_review

            seed_post_contract_review(contract, officer, today)
            contract_services.contract_transition(
                contract=contract,
                to_status=status,
                actor=officer,
                reason="Term expired"
                if status == ContractStatus.ENDED
                else "Persistent failure to meet reporting requirements",
            )
    _seed_changes(lead, smg, today)
    return added


def _seed_sla(contract, officer, smg, contacts, start):
    sla = sla_services.sla_create_draft(
        contract=contract,
        actor=officer,
        service_requirements="Accept referrals from every source named in the contract\n"
        "Contact each referral promptly and agree a support plan\n"
        "Report performance and finance every quarter",
        report_due_business_days=15,
        meeting_cadence="quarterly",
        reporting_arrangements="Quarterly returns through the service; finance with invoices.",
        commissioner_contacts=[officer],
        provider_contacts=list(contacts.values())[:2],
    )
    sla_services.improvement_add(
        sla=sla,
        actor=officer,
        description="Reduce waiting times for first appointment",
        target="Median under 5 days",
        due_date=add_months(start, 12),
    )
    sla_services.sla_agree(
        sla=sla,
        actor=officer,
        agreed_on=start,
        signed_for_commissioner=smg,
        signed_for_provider=contacts.get("contract_manager"),
    )


def _seed_checklist(contract, officer, today):
    checklist_services.checklist_add_standard(contract=contract, actor=officer)
    items = list(contract.checklist.select_related("item_type").order_by("title"))
    for position, item in enumerate(items):
        if position == len(items) - 1:
            continue  # one item still waiting for evidence
        expires = item.item_type and item.item_type.expires
        verified = contract.start_date
        expiry = None
        if expires:
            # One certificate lapsed last month; the rest run to next year.
            expiry = (
                today - datetime.timedelta(days=20)
                if position == 1 and contract.reference.endswith("001")
                else add_months(today, 9)
            )
        checklist_services.checklist_record(
            item=item,
            actor=officer,
            reason="Evidence checked",
            status=ChecklistStatus.VERIFIED,
            verified_on=verified,
            expires_on=expiry,
            notes="",
            evidence=SimpleUploadedFile(
                f"{item.title.lower().replace(' ', '-')}.pdf", _evidence_pdf()
            )
            if position == 0
            else None,
        )


def _seed_changes(lead, smg, today):
    """One approved variation and options decided and pending, for the demo."""
    hub = Contract.objects.get(reference="NPCC-2023-001")
    if not hub.variations.exists():
        officer = hub.lead_officer
        variation = contract_services.variation_propose(
            contract=hub,
            actor=officer,
            summary="Uplift for additional outreach hours",
            justification="Referrals from the rural north rose by a fifth; two more outreach "
            "days a week are needed.",
            requested_by="provider",
            new_total_value=D("5184000"),
            new_annual_value=D("1296000"),
        )
        # The lead officer proposed it, so the deputy officer approves it.
        contract_services.variation_approve(
            variation=variation,
            actor=hub.deputy_officer,
            notes="Within the officers' delegation (8%)",
        )
    advisers = Contract.objects.get(reference="NPCC-2022-004")
    if not advisers.variations.exists():
        contract_services.variation_propose(
            contract=advisers,
            actor=advisers.lead_officer,
            summary="Align end date with the refuge contract",
            justification="A common end date lets both services be re-commissioned together.",
            requested_by="commissioner",
            new_end_date=_date((2027, 9, 30), today),
        )
    for reference, months, deadline in [
        ("NPCC-2024-002", 12, add_months(today, 2)),
        ("NPCC-2023-001", 24, add_months(today, 1)),
        ("NPCC-2025-003", 24, _date((2029, 3, 31), today)),
    ]:
        contract = Contract.objects.get(reference=reference)
        if not contract.extensions.exists():
            contract_services.extension_add(
                contract=contract,
                actor=contract.lead_officer,
                length_months=months,
                decision_deadline=deadline,
            )


def seed_scale(*, count: int, actor, kpis_per_contract: int = 20) -> int:
    """``count`` more contracts spread over the benchmark providers, each with KPIs.
    Bulk-created (with history rows) for speed; returns how many were added."""
    providers = list(Organisation.objects.filter(name__startswith="Benchmark Provider "))
    if not providers:
        return 0
    area = ServiceArea.objects.get_or_create(name="Victims' services")[0]
    existing = Contract.objects.filter(reference__startswith="BENCH-").count()
    new = []
    for number in range(existing + 1, count + 1):
        # Every benchmark contract is live today; starts from 2019 to 2021 give each one
        # five to seven and a half years of quarterly returns.
        start = datetime.date(2019 + number % 3, 4, 1)
        end = datetime.date(2027 + number % 3, 3, 31)
        total = D(250000 + (number * 7919) % 9000000)
        new.append(
            Contract(
                reference=f"BENCH-{number:05d}",
                title=f"Benchmark service {number}",
                scope="Generated for load measurement.",
                provider=providers[number % len(providers)],
                service_area=area,
                total_value=total,
                annual_value=(total / 3).quantize(D("0.01")),
                original_total_value=total,
                original_annual_value=(total / 3).quantize(D("0.01")),
                start_date=start,
                initial_end_date=end,
                original_end_date=end,
                current_end_date=end,
                status=ContractStatus.ACTIVE,
                tier=("gold", "silver", "bronze")[number % 3],
                lead_officer=actor,
            )
        )
    created = bulk_create_with_history(
        new, Contract, batch_size=500, default_user=actor, default_change_reason="Benchmark data"
    )
    menu = list(KpiDefinition.objects.all()[:9]) or seed_menu(actor)
    kpis = [
        ContractKpi(
            contract=contract,
            definition=menu[index % len(menu)],
            name=f"{menu[index % len(menu)].name} ({index + 1})",
            service_requirement=menu[index % len(menu)].service_requirement,
            unit=menu[index % len(menu)].unit,
            direction=menu[index % len(menu)].direction,
            target=menu[index % len(menu)].target,
            amber_tolerance=menu[index % len(menu)].amber_tolerance,
            frequency=KpiFrequency.QUARTERLY,
            measurement_method=menu[index % len(menu)].measurement_method,
            is_key_indicator=index < 3,
        )
        for contract in created
        for index in range(kpis_per_contract)
    ]
    bulk_create_with_history(
        kpis,
        ContractKpi,
        batch_size=2000,
        default_user=actor,
        default_change_reason="Benchmark data",
    )
    return len(created)


# -- Volume for the benchmark: returns, results, risks and the contact log -------------------


def _scale_actual(kpi, rag: str):
    """A KPI actual that earns ``rag`` against the KPI's target and tolerance."""
    tolerance = kpi.amber_tolerance or D(1)
    sign = 1 if kpi.direction == KpiDirection.HIGHER else -1
    whole = kpi.unit == KpiUnit.COUNT  # counts are whole numbers: no half a complaint
    if rag == "red":
        actual = kpi.target - sign * (tolerance + 1)
    elif rag == "amber":
        half = tolerance / 2
        actual = kpi.target - sign * (half.to_integral_value(ROUND_CEILING) if whole else half)
    else:
        actual = kpi.target + sign * (D(1) if whole else D("0.5"))
    ceiling = D(100) if kpi.unit == KpiUnit.PERCENTAGE else None
    actual = max(actual, D(0)) if ceiling is None else min(max(actual, D(0)), ceiling)
    return actual.quantize(D("0.01"))


def _scale_rag(period, index: int) -> str:
    """About one return in twelve has a red indicator and one in six an amber one."""
    mood = (period.contract_id * 37 + period.financial_year * 11 + period.quarter * 7) % 100
    if mood < 8 and index == mood % 20:
        return "red"
    if mood < 25 and index in (mood % 20, (mood + 5) % 20):
        return "amber"
    return "green"


def seed_scale_records(
    *,
    actor,
    today: datetime.date,
    risks_per_contract: int = 10,
    contact_entries_per_contract: int = 50,
    chunk: int = 100,
) -> dict[str, int]:
    """Quarterly periods with both returns and every KPI's result, risks and contact-log
    entries for each benchmark contract that has none yet. Plain bulk inserts (no history
    rows: these records were never changed), a hundred contracts at a time."""
    from contracts.performance.choices import ReturnStatus
    from contracts.performance.models.returns import (
        FinancialReturn,
        KpiResult,
        PerformanceReturn,
        ReportingPeriod,
    )
    from contracts.performance.services.returns import quarters_between
    from contracts.register.choices import Rag
    from governance.contactlog.models import ContactLogEntry
    from governance.core.dates import add_business_days, financial_quarter, quarter_bounds
    from risks.models import Risk

    counts = {"periods": 0, "results": 0, "risks": 0, "contact_log": 0}
    current = financial_quarter(today)
    last_finished = (current[0], current[1] - 1) if current[1] > 1 else (current[0] - 1, 4)
    due_dates = {}

    def quarter_dates(year, quarter):
        if (year, quarter) not in due_dates:
            starts, ends = quarter_bounds(year, quarter)
            due_dates[(year, quarter)] = (
                starts,
                ends,
                add_business_days(ends, 15),
                add_business_days(ends, 20),
            )
        return due_dates[(year, quarter)]

    pending = list(
        Contract.objects.filter(reference__startswith="BENCH-", periods__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for offset in range(0, len(pending), chunk):
        contracts = list(
            Contract.objects.filter(pk__in=pending[offset : offset + chunk]).prefetch_related(
                "kpis"
            )
        )
        periods = []
        for contract in contracts:
            for year, quarter in quarters_between(contract.start_date, today):
                starts, ends, performance_due, finance_due = quarter_dates(year, quarter)
                periods.append(
                    ReportingPeriod(
                        contract=contract,
                        financial_year=year,
                        quarter=quarter,
                        starts_on=starts,
                        ends_on=ends,
                        performance_due_on=performance_due,
                        finance_due_on=finance_due,
                    )
                )
        periods = ReportingPeriod.objects.bulk_create(periods, batch_size=2000)
        kpis = {contract.pk: list(contract.kpis.all()) for contract in contracts}
        performance, finance, results_by_return = [], [], []
        for index, period in enumerate(periods):
            is_current = (period.financial_year, period.quarter) == current
            # One contract in twenty is late with the last finished quarter's returns.
            late = (
                (period.financial_year, period.quarter) == last_finished
                and period.contract_id % 20 == 0
                and period.performance_due_on < today
            )
            open_return = is_current or late
            status = ReturnStatus.DRAFT if open_return else ReturnStatus.ACCEPTED
            results, rags = [], []
            if not open_return:
                for position, kpi in enumerate(kpis[period.contract_id]):
                    rag = _scale_rag(period, position)
                    rags.append(rag)
                    results.append(KpiResult(kpi=kpi, actual=_scale_actual(kpi, rag), rag=rag))
            rag = (
                Rag.RED
                if "red" in rags
                else Rag.AMBER
                if "amber" in rags
                else Rag.GREEN
                if rags
                else Rag.NONE
            )
            performance.append(
                PerformanceReturn(
                    period=period,
                    status=status,
                    rag=rag,
                    commentary="" if open_return else "Figures from the case system.",
                    submitted_by=None if open_return else actor,
                    commentary_by=None if open_return else actor,
                )
            )
            budget = (period.contract.annual_value / 4).quantize(D("0.01"))
            spend = (budget * (D(95) + D(index % 10)) / 100).quantize(D("0.01"))
            finance.append(
                FinancialReturn(
                    period=period,
                    status=status,
                    budget=None if open_return else budget,
                    actual_spend=None if open_return else spend,
                    payments_made=None if open_return else spend,
                )
            )
            results_by_return.append(results)
        performance = PerformanceReturn.objects.bulk_create(performance, batch_size=2000)
        FinancialReturn.objects.bulk_create(finance, batch_size=2000)
        results = []
        for return_, rows in zip(performance, results_by_return, strict=True):
            for row in rows:
                row.performance_return = return_
                results.append(row)
        KpiResult.objects.bulk_create(results, batch_size=5000)
        counts["periods"] += len(periods)
        counts["results"] += len(results)

        risks = []
        for contract in contracts:
            for number in range(risks_per_contract):
                likelihood = 1 + (contract.pk + number) % 5
                impact = 1 + (contract.pk * 3 + number) % 5
                residual_likelihood = max(1, likelihood - number % 2)
                risks.append(
                    Risk(
                        contract=contract,
                        title=f"Benchmark risk {number + 1} of {contract.reference}",
                        description="Generated for load measurement.",
                        category="service_delivery",
                        level="strategic" if number % 2 else "operational",
                        allocation=("commissioner", "provider", "shared")[number % 3],
                        owner=actor,
                        raised_by=actor,
                        inherent_likelihood=likelihood,
                        inherent_impact=impact,
                        inherent_score=likelihood * impact,
                        residual_likelihood=residual_likelihood,
                        residual_impact=impact,
                        residual_score=residual_likelihood * impact,
                        next_review_date=today + datetime.timedelta(days=(number * 17) % 120 - 20),
                    )
                )
        Risk.objects.bulk_create(risks, batch_size=5000)
        counts["risks"] += len(risks)

        entries = []
        for contract in contracts:
            for number in range(contact_entries_per_contract):
                when = datetime.datetime.combine(
                    contract.start_date + datetime.timedelta(days=number * 30 + contract.pk % 7),
                    datetime.time(10, 30),
                    tzinfo=datetime.UTC,
                )
                entries.append(
                    ContactLogEntry(
                        contract=contract,
                        occurred_at=when,
                        channel=("email", "phone", "letter")[number % 3],
                        direction=("to_provider", "from_provider")[number % 2],
                        subject=f"Monthly contact {number + 1}",
                        summary="Routine contact generated for load measurement.",
                        recorded_by=actor,
                        follow_up_sent_on=when.date() if number % 3 == 1 else None,
                    )
                )
        ContactLogEntry.objects.bulk_create(entries, batch_size=5000)
        counts["contact_log"] += len(entries)
    if pending:
        bulk_filled = (Contract, ContractKpi, ReportingPeriod, PerformanceReturn, FinancialReturn)
        _refresh_statistics([*bulk_filled, KpiResult, Risk, ContactLogEntry])
    return counts


def _refresh_statistics(models) -> None:
    """After bulk inserts PostgreSQL's planner still thinks the tables are small until
    autovacuum catches up; tell it now, so the first queries get good plans."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')
