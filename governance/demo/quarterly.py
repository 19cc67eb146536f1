"""Demo data for the quarterly cycle: past quarters of returns with realistic values
(mostly green, some amber, a few red), meetings with minutes, decisions and actions,
complaints and audits, and a risk log. Built through the services users go through."""

import datetime
import hashlib
from decimal import ROUND_CEILING, Decimal

from django.utils import timezone

from contracts.assurance.choices import AuditStatus, AuditType, ComplaintCategory
from contracts.assurance.services import audits as audit_services
from contracts.performance.choices import KpiDirection, KpiUnit, ReturnSource, ReturnStatus
from contracts.performance.services import returns as return_services
from contracts.register.choices import ContractStatus, Party
from contracts.register.models.contracts import Contract
from governance.core.dates import add_months, financial_quarter, quarter_bounds
from governance.meetings.choices import DecisionLevel, MeetingKind
from governance.meetings.services import meetings as meeting_services

D = Decimal


def _roll(*parts) -> int:
    """A stable number 0-99 from the parts: the demo looks the same every time."""
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()
    return int(digest[:8], 16) % 100


def _actual(kpi, roll: int) -> Decimal:
    target, tolerance = kpi.target, kpi.amber_tolerance or D(1)
    if roll < 82:
        miss = D(0) - D(roll % 3)  # met or beaten
    elif roll < 96:
        miss = tolerance / 2
        if kpi.unit == KpiUnit.COUNT:  # nobody upholds half a complaint
            miss = miss.to_integral_value(rounding=ROUND_CEILING)
    else:
        miss = tolerance * 2 + 1
    value = target - miss if kpi.direction == KpiDirection.HIGHER else target + miss
    if kpi.unit == KpiUnit.PERCENTAGE:
        value = min(max(value, D(0)), D(100))
    return max(value, D(0)).quantize(D("0.01"))


def seed_returns(*, contract: Contract, lead, provider_user, today: datetime.date) -> int:
    """Fill every past quarter's returns; the current quarter stays a draft.

    The demo provider's staff submit their own organisation's returns and the lead
    officer accepts them. Other providers email theirs in: the lead officer enters each
    one for them, recording the email, and the deputy officer accepts it, since nobody
    accepts a return they entered themselves."""
    return_services.periods_ensure(contract=contract, today=today, actor=lead)
    current = financial_quarter(today)
    filled = 0
    own_staff = provider_user.organisation_id == contract.provider_id
    filler = provider_user if own_staff else lead
    accepter = lead if own_staff else contract.deputy_officer
    for period in return_services.contract_periods(contract):
        source = (
            {}
            if own_staff
            else {
                "source": ReturnSource.EMAIL,
                "source_received_on": min(period.ends_on + datetime.timedelta(days=10), today),
                "source_note": "Sent by the provider's service director.",
            }
        )
        if (period.financial_year, period.quarter) == current:
            continue
        performance = period.performance_return
        if performance.status != ReturnStatus.DRAFT:
            continue
        results = {}
        for result in performance.results.select_related("kpi"):
            roll = _roll(contract.reference, period.label, result.kpi.name)
            note = "" if roll < 82 else "Staff vacancies affected capacity this quarter."
            results[result.kpi_id] = (_actual(result.kpi, roll), note)
        return_services.performance_return_update(
            performance_return=performance,
            actor=filler,
            reason="Quarterly figures",
            results=results,
            commentary="Figures from the case management system.",
        )
        return_services.performance_return_transition(
            performance_return=performance, to_status="submitted", actor=filler, **source
        )
        if _roll(contract.reference, period.label, "returned") < 8:
            return_services.performance_return_transition(
                performance_return=performance,
                to_status="returned",
                actor=accepter,
                reason="Commentary missing for the indicators below target",
            )
            if period.performance_due_on < add_months(today, -3):
                # Corrected long ago: only a return due in the last quarter may still be
                # with the provider (overdue, but for less than a quarter).
                return_services.performance_return_update(
                    performance_return=performance,
                    actor=filler,
                    reason="Commentary added as asked",
                    results=results,
                    commentary="Figures from the case management system, with the "
                    "reasons for each indicator below target.",
                )
                return_services.performance_return_transition(
                    performance_return=performance, to_status="submitted", actor=filler, **source
                )
                return_services.performance_return_transition(
                    performance_return=performance, to_status="accepted", actor=accepter
                )
        else:
            return_services.performance_return_transition(
                performance_return=performance, to_status="accepted", actor=accepter
            )
        budget = (contract.annual_value / 4).quantize(D("0.01"))
        swing = D(_roll(contract.reference, period.label, "spend") - 50) / 1000  # ±5%
        spend = (budget * (1 + swing)).quantize(D("0.01"))
        finance = period.financial_return
        return_services.financial_return_update(
            financial_return=finance,
            actor=filler,
            reason="Quarterly finance",
            budget=budget,
            actual_spend=spend,
            payments_made=budget,
            commentary="Spend follows the staffing plan." if abs(swing) > D("0.04") else "",
        )
        return_services.financial_return_transition(
            financial_return=finance, to_status="submitted", actor=filler, **source
        )
        return_services.financial_return_transition(
            financial_return=finance, to_status="accepted", actor=accepter
        )
        filled += 1
    return filled


def seed_meetings(*, contract: Contract, lead, owner, today: datetime.date) -> None:
    """Last quarter's monitoring meeting (held, with minutes, a decision and actions), a
    strategic review, and next quarter's monitoring meeting scheduled."""
    if contract.meetings.exists():
        return
    year, quarter = financial_quarter(today)
    _, previous_end = quarter_bounds(
        year if quarter > 1 else year - 1, quarter - 1 if quarter > 1 else 4
    )
    held_on = timezone.make_aware(
        datetime.datetime.combine(previous_end - datetime.timedelta(days=20), datetime.time(10))
    )
    attendees = [contract.deputy_officer] if contract.deputy_officer else []
    provider = [contract.provider_contract_manager] if contract.provider_contract_manager else []
    meeting = meeting_services.meeting_schedule(
        contract=contract,
        actor=lead,
        kind=MeetingKind.MONITORING,
        starts_at=held_on,
        location="Police headquarters, meeting room 2",
        attendees=attendees,
        provider_attendees=provider,
    )
    meeting_services.meeting_record_minutes(
        meeting=meeting,
        actor=lead,
        minutes="Performance reviewed indicator by indicator. Waiting times improved; "
        "the provider explained the dip in satisfaction. Finance on budget.",
    )
    meeting_services.decision_raise(
        meeting=meeting,
        actor=lead,
        title="Accept the revised referral pathway",
        decision="The revised referral pathway is accepted from next quarter.",
        rationale="It removes a duplicate assessment and shortens waiting times.",
        decided_by="Contract monitoring meeting",
        level=DecisionLevel.CONTRACT_MANAGER,
        decided_on=held_on.date(),
    )
    for description, days in [
        ("Send the updated referral form to all referring agencies", 10),
        ("Share the staff recruitment plan for the next two quarters", 30),
    ]:
        meeting_services.action_raise(
            actor=lead,
            owner=owner,
            description=description,
            due_on=today + datetime.timedelta(days=days),
            source_record=meeting,
        )
    next_start, _ = quarter_bounds(year, quarter)
    upcoming = max(today + datetime.timedelta(days=14), next_start)
    meeting_services.meeting_schedule(
        contract=contract,
        actor=lead,
        kind=MeetingKind.MONITORING,
        starts_at=timezone.make_aware(datetime.datetime.combine(upcoming, datetime.time(14))),
        location="Provider's offices",
        attendees=attendees,
        provider_attendees=provider,
    )


def seed_complaints_and_audits(*, contract: Contract, lead, owner, today: datetime.date) -> None:
    if contract.complaints.exists():
        return
    for offset, summary, category, upheld in [
        (80, "Waited three weeks for a first appointment", ComplaintCategory.ACCESS, True),
        (45, "Caseworker did not return calls", ComplaintCategory.COMMUNICATION, False),
        (12, "Letter sent to the wrong address", ComplaintCategory.DATA, None),
    ]:
        complaint = audit_services.complaint_record(
            contract=contract,
            actor=lead,
            received_on=today - datetime.timedelta(days=offset),
            summary=summary,
            category=category,
        )
        if upheld is not None:
            audit_services.complaint_close(
                complaint=complaint,
                actor=lead,
                closed_on=today - datetime.timedelta(days=offset - 10),
                outcome="Apology given and process changed." if upheld else "Not upheld.",
                upheld=upheld,
            )
    audit = audit_services.audit_propose(
        contract=contract,
        actor=lead,
        audit_type=AuditType.CASE_FILES,
        proposed_by=Party.COMMISSIONER,
        scope="A sample of 20 closed case files.",
        planned_on=today - datetime.timedelta(days=60),
    )
    audit_services.audit_transition(
        audit=audit,
        actor=lead,
        to_status=AuditStatus.PLANNED,
        planned_on=today - datetime.timedelta(days=60),
        auditor="Internal audit",
    )
    audit_services.audit_transition(
        audit=audit,
        actor=lead,
        to_status=AuditStatus.COMPLETED,
        conducted_on=today - datetime.timedelta(days=55),
        auditor="Internal audit",
        findings="Files were complete; two lacked a recorded outcome.",
        recommendations="Record an outcome code on every closed case\n"
        "Check a sample of closures each month",
    )
    for line in audit_services.recommendation_lines(audit):
        meeting_services.action_raise(
            actor=lead,
            owner=owner,
            description=line,
            due_on=today + datetime.timedelta(days=45),
            source_record=audit,
        )


def seed_quarterly(*, users: dict, today: datetime.date) -> int:
    filled = 0
    live = Contract.objects.filter(
        status__in=[ContractStatus.ACTIVE, ContractStatus.IN_EXIT], reference__startswith="NPCC-"
    ).select_related("lead_officer", "deputy_officer", "provider")
    for contract in live:
        lead = contract.lead_officer
        filled += seed_returns(
            contract=contract, lead=lead, provider_user=users["provider"], today=today
        )
        seed_meetings(
            contract=contract, lead=lead, owner=contract.deputy_officer or lead, today=today
        )
        if contract.reference in ("NPCC-2023-001", "NPCC-2022-004", "NPCC-2024-002"):
            seed_complaints_and_audits(contract=contract, lead=lead, owner=lead, today=today)
    return filled


RISKS = [
    # contract, title, category, level, allocation, inherent (l, i), residual (l, i)
    (
        "NPCC-2023-001",
        "Caseworker vacancies lengthen waiting times",
        "service_delivery",
        "operational",
        "provider",
        (4, 4),
        (3, 3),
    ),
    (
        "NPCC-2023-001",
        "Referral data shared without a lawful basis",
        "data",
        "strategic",
        "shared",
        (3, 5),
        (2, 5),
    ),
    (
        "NPCC-2022-004",
        "Refuge capacity falls short of demand",
        "safeguarding",
        "strategic",
        "shared",
        (5, 5),
        (4, 5),
    ),
    (
        "NPCC-2024-002",
        "Service desk supplier exits the market",
        "exit",
        "strategic",
        "commissioner",
        (2, 5),
        (2, 4),
    ),
    (
        "NPCC-2025-003",
        "Healthcare staff not vetted in time",
        "legal_compliance",
        "operational",
        "provider",
        (3, 4),
        (2, 3),
    ),
    (
        "",
        "Budget reductions across the portfolio next year",
        "financial",
        "strategic",
        "commissioner",
        (4, 4),
        (4, 3),
    ),
]


def seed_risks(*, users: dict, today: datetime.date) -> int:
    from risks.models import Risk
    from risks.services import risk_create

    added = 0
    for reference, title, category, level, allocation, inherent, residual in RISKS:
        contract = Contract.objects.filter(reference=reference).first() if reference else None
        if Risk.objects.filter(contract=contract, title=title).exists():
            continue
        actor = contract.lead_officer if contract else users["pdm"]
        risk_create(
            actor=actor,
            contract=contract,
            kind="risk",
            title=title,
            description=f"{title}. Recorded from the quarterly review.",
            category=category,
            level=level,
            allocation=allocation,
            owner=actor,
            inherent_likelihood=inherent[0],
            inherent_impact=inherent[1],
            mitigations="Monthly monitoring; contingency agreed with the provider.",
            residual_likelihood=residual[0],
            residual_impact=residual[1],
            review_frequency="quarterly",
            next_review_date=today + datetime.timedelta(days=30),
        )
        added += 1
    return added


def seed_contact_log(*, today: datetime.date) -> int:
    """A few key communications: an email, and a concern raised by phone that was
    followed up in writing, and one still waiting for its written summary."""
    from governance.contactlog.models import ContactLogEntry
    from governance.contactlog.services import contact_log_record

    if ContactLogEntry.objects.exists():
        return 0
    added = 0
    for reference in ("NPCC-2023-001", "NPCC-2022-004"):
        contract = Contract.objects.get(reference=reference)
        lead = contract.lead_officer
        provider = (
            [contract.provider_contract_manager] if contract.provider_contract_manager else []
        )
        for days_ago, channel, subject, summary, concern in [
            (
                40,
                "email",
                "Quarterly return reminder",
                "Reminded the provider that the return is due in ten working days.",
                False,
            ),
            (
                9,
                "phone",
                "Referrals from custody arriving late",
                "The provider reported that custody referrals arrive up to four days late.",
                True,
            ),
        ]:
            moment = timezone.make_aware(
                datetime.datetime.combine(
                    today - datetime.timedelta(days=days_ago), datetime.time(11)
                )
            )
            contact_log_record(
                contract=contract,
                actor=lead,
                occurred_at=moment,
                channel=channel,
                direction="from_provider",
                subject=subject,
                summary=summary,
                is_concern=concern,
                commissioner_participants=[lead],
                provider_participants=provider,
            )
            added += 1
    return added
