"""Demo disputes at several stages of the procedure, and one exclusion. Everything is
recorded through the services, so the demo follows the same rules as the service.
Safe to run again: a dispute is found by its contract and title and left as it is."""

import datetime
from decimal import Decimal

from django.db import transaction

from contracts.register.models.contracts import Contract
from contracts.register.models.organisations import Organisation
from disputes import services
from disputes.choices import InformalOutcome, Outcome, Stage
from disputes.models.disputes import Dispute
from disputes.models.exclusions import Exclusion
from governance.contactlog.models import ContactChannel, ContactDirection, ContactLogEntry
from governance.core.dates import add_business_days
from governance.core.services import record_save


def _at(day: datetime.date) -> datetime.datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 30)))


def _email(contract, officer, day, subject, summary) -> ContactLogEntry:
    entry = ContactLogEntry(
        contract=contract,
        occurred_at=_at(day),
        channel=ContactChannel.EMAIL,
        direction=ContactDirection.TO_PROVIDER,
        subject=subject,
        summary=summary,
        recorded_by=officer,
    )
    return record_save(instance=entry, actor=officer, reason="Demo data")


def _raise(contract, officer, title, nature, description, raised_on) -> Dispute | None:
    if Dispute.objects.filter(contract=contract, title=title).exists():
        return None
    return services.dispute_create(
        contract=contract,
        actor=officer,
        title=title,
        nature=nature,
        description=description,
        raised_on=raised_on,
    )


def _informal(dispute, officer, start, *, escalate: bool) -> None:
    step = services.dispute_record_step
    contract = dispute.contract
    step(dispute=dispute, step="pdm_told", actor=officer, on=start)
    step(dispute=dispute, step="smg_briefed", actor=officer, on=start + datetime.timedelta(1))
    concern = _email(
        contract,
        officer,
        start + datetime.timedelta(2),
        f"Concern: {dispute.title}",
        "Set out the concern in writing and asked for the provider's response.",
    )
    step(dispute=dispute, step="concern_in_writing", actor=officer, contact_entry=concern)
    step(
        dispute=dispute,
        step="approach_agreed",
        actor=officer,
        on=start + datetime.timedelta(3),
        summary="Weekly progress calls and a written recovery plan.",
    )
    if escalate:
        step(
            dispute=dispute,
            step="informal_outcome",
            actor=officer,
            on=start + datetime.timedelta(6),
            outcome=InformalOutcome.ESCALATE,
            recommended_by="commissioner",
        )


def _to_stage_2(dispute, officer, smg, agreed_on, notice_on) -> None:
    contract = dispute.contract
    services.dispute_transition(
        dispute=dispute,
        to_stage=Stage.STAGE_1,
        actor=smg,
        endorsed_on=agreed_on,
        evidence_entry=_email(
            contract,
            officer,
            agreed_on,
            f"SMG agreement: {dispute.title}",
            "SMG agreed by email to take the dispute into the formal procedure.",
        ),
    )
    services.dispute_transition(
        dispute=dispute,
        to_stage=Stage.STAGE_2,
        actor=officer,
        notice_date=notice_on,
        notice_entry=_email(
            contract,
            officer,
            notice_on,
            f"Formal notice of dispute: {dispute.title}",
            "Notice to the provider's contract manager and escalation contact asking to "
            "meet within 10 business days and to confirm receipt.",
        ),
        receipt_requested=True,
    )


def _to_stage_3(dispute, officer, smg, *, notice_on, held_on, resolved: bool, outcome: str):
    """Notice given (SMG agreeing the day before), its receipt confirmed the day after,
    and the dispute meeting held."""
    _to_stage_2(dispute, officer, smg, notice_on - datetime.timedelta(1), notice_on)
    services.dispute_record_step(
        dispute=dispute,
        step="receipt_confirmed",
        actor=officer,
        on=notice_on + datetime.timedelta(1),
    )
    services.dispute_transition(
        dispute=dispute,
        to_stage=Stage.STAGE_3,
        actor=officer,
        meeting_held_on=held_on,
        meeting_resolved=resolved,
        meeting_outcome=outcome,
    )


@transaction.atomic
def seed_disputes(*, users: dict, today: datetime.date) -> int:
    """Four disputes (informal route, awaiting the stage 2 meeting, in an action plan,
    resolved at the meeting) and one exclusion. Returns the number of disputes added."""
    officer, smg = users.get("manager"), users.get("smg")
    if officer is None or smg is None:
        return 0
    contracts = list(
        Contract.objects.officered_by(officer)
        .filter(status="active", escalation_contact__isnull=False)
        .exclude(provider_contract_manager__isnull=True)
        .order_by("reference")[:4]
    )
    if len(contracts) < 4:
        return 0
    added = 0
    day = datetime.timedelta

    dispute = _raise(
        contracts[0],
        officer,
        "Late safeguarding referrals",
        "service_failure",
        "Safeguarding referrals were passed on two or three days late, four times in a month.",
        today - day(10),
    )
    if dispute:
        added += 1
        _informal(dispute, officer, today - day(9), escalate=False)

    dispute = _raise(
        contracts[1],
        officer,
        "Case records shared without consent",
        "breach_of_trust",
        "Case records were shared with a subcontractor without the consent the contract requires.",
        today - day(30),
    )
    if dispute:
        added += 1
        services.significance_assess(
            dispute=dispute,
            actor=officer,
            assessed_on=today - day(29),
            financial_effect=Decimal("15000"),
            clients_affected_percent=Decimal("12"),
            negligent_harm=False,
            reputational_risk=True,
            reputational_risk_note="Local press have asked about data sharing.",
        )
        _informal(dispute, officer, today - day(28), escalate=True)
        # Notice three business days ago: the meeting is still to come.
        notice_on = add_business_days(today, -3)
        _to_stage_2(dispute, officer, smg, notice_on - day(1), notice_on)

    dispute = _raise(
        contracts[2],
        officer,
        "Service desk targets missed for two quarters",
        "service_failure",
        "Priority incidents were resolved late in two consecutive quarters.",
        today - day(70),
    )
    if dispute:
        added += 1
        _informal(dispute, officer, today - day(69), escalate=True)
        notice_on = add_business_days(today - day(55), 0)
        _to_stage_3(
            dispute,
            officer,
            smg,
            notice_on=notice_on,
            held_on=add_business_days(notice_on, 8),
            resolved=False,
            outcome="The provider accepted the shortfall but not the remedy proposed.",
        )
        services.dispute_transition(
            dispute=dispute,
            to_stage=Stage.STAGE_4,
            actor=officer,
            action_plan_agreed_on=add_business_days(notice_on, 10),
        )
        for description, due in (
            ("Provider to add two service desk analysts at peak hours", day(7)),
            ("Weekly priority-incident report to the lead officer", day(21)),
        ):
            services.dispute_record_step(
                dispute=dispute,
                step="action_add",
                actor=officer,
                description=description,
                owner=officer,
                due_on=today + due,
            )

    dispute = _raise(
        contracts[3],
        officer,
        "Invoices billed for sessions not delivered",
        "other",
        "Invoices for the quarter included outreach sessions that did not take place.",
        today - day(60),
    )
    if dispute:
        added += 1
        _informal(dispute, officer, today - day(59), escalate=True)
        notice_on = add_business_days(today - day(45), 0)
        held = add_business_days(notice_on, 6)
        _to_stage_3(
            dispute,
            officer,
            smg,
            notice_on=notice_on,
            held_on=held,
            resolved=True,
            outcome="The provider will credit the sessions on the next invoice.",
        )
        services.dispute_record_step(
            dispute=dispute,
            step="endorse_outcome",
            actor=smg,
            endorsed_on=held + day(3),
            evidence_entry=_email(
                dispute.contract,
                officer,
                held + day(3),
                "SMG endorses the outcome of the dispute meeting",
                "SMG endorsed the credit agreed at the dispute meeting.",
            ),
        )
        services.dispute_transition(
            dispute=dispute,
            to_stage=Stage.CLOSED,
            actor=officer,
            outcome=Outcome.RESOLVED,
            outcome_summary="Credit of the undelivered sessions agreed and endorsed by SMG.",
        )

    provider = Organisation.objects.filter(name="Castle Facilities Management Ltd").first()
    if provider is not None and not Exclusion.objects.filter(organisation=provider).exists():
        exclusion = services.exclusion_create(
            actor=smg,
            organisation=provider,
            reason="performance",
            details="Repeated unsatisfactory performance on three contracts in two years.",
            decided_on=today - day(20),
            start_date=today - day(14),
            period_months=24,
        )
        # One SMG member records an exclusion; another confirms it.
        second = users.get("smg2")
        if second is not None:
            services.exclusion_confirm(
                exclusion=exclusion, actor=second, notes="As minuted at the SMG meeting."
            )
    return added
