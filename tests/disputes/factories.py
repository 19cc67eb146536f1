"""Factories and a walk through the dispute procedure for the disputes tests."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from contracts.register.choices import ContactRole
from disputes import services
from disputes.choices import DisputeNature, InformalOutcome, Outcome, Party, Stage
from disputes.models.disputes import Dispute
from governance.contactlog.models import ContactChannel
from governance.core.roles import Role
from governance.meetings.choices import ActionStatus
from tests.contracts.register.factories import ContactFactory, ContractFactory
from tests.governance.contactlog.log_factories import ContactLogEntryFactory
from tests.governance.core.factories import UserFactory
from tests.governance.meetings.meeting_factories import at


def contract_with_officers(**kwargs):
    """An active contract run by two contract managers, with the provider's contract
    manager and escalation contact named."""
    lead = kwargs.pop("lead_officer", None) or UserFactory(roles=[Role.CONTRACT_MANAGER])
    deputy = kwargs.pop("deputy_officer", None) or UserFactory(roles=[Role.CONTRACT_MANAGER])
    contract = ContractFactory(lead_officer=lead, deputy_officer=deputy, **kwargs)
    contract.escalation_contact = ContactFactory(
        organisation=contract.provider, role=ContactRole.ESCALATION, name="Erin Escalation"
    )
    contract.save()
    return contract


class DisputeFactory(factory.django.DjangoModelFactory):
    """A dispute on the informal route, raised by the contract's lead officer."""

    class Meta:
        model = Dispute
        skip_postgeneration_save = True

    contract = factory.LazyFunction(contract_with_officers)
    title = factory.Sequence(lambda n: f"Missed safeguarding referrals {n:04d}")
    nature = DisputeNature.SERVICE_FAILURE
    description = "Referrals were not passed on within a working day, three times in a month."
    raised_on = datetime.date(2026, 6, 1)
    raised_by = factory.LazyAttribute(lambda d: d.contract.lead_officer)
    stage_entered_on = factory.SelfAttribute("raised_on")


def email(contract, day=datetime.date(2026, 6, 3), **kwargs):
    return ContactLogEntryFactory(
        contract=contract,
        channel=kwargs.pop("channel", ContactChannel.EMAIL),
        occurred_at=at(day.year, day.month, day.day, 11),
        recorded_by=contract.lead_officer,
        **kwargs,
    )


D = datetime.date


def walk(dispute, lead, smg, upto: str, *, resolve_at_meeting=False) -> Dispute:
    """Take ``dispute`` from the informal route up to stage ``upto`` the proper way.
    Dates are in June-July 2026; call within a frozen day after them."""
    contract = dispute.contract
    step = services.dispute_record_step
    step(dispute=dispute, step="pdm_told", actor=lead, on=D(2026, 6, 1))
    step(dispute=dispute, step="smg_briefed", actor=lead, on=D(2026, 6, 2))
    step(dispute=dispute, step="concern_in_writing", actor=lead, contact_entry=email(contract))
    step(
        dispute=dispute,
        step="informal_outcome",
        actor=lead,
        on=D(2026, 6, 10),
        outcome=InformalOutcome.ESCALATE,
        recommended_by=Party.COMMISSIONER,
    )
    if upto == Stage.INFORMAL:
        return dispute
    move = services.dispute_transition
    move(
        dispute=dispute,
        to_stage=Stage.STAGE_1,
        actor=smg,
        endorsed_on=D(2026, 6, 11),
        evidence_entry=email(contract, D(2026, 6, 11)),
    )
    if upto == Stage.STAGE_1:
        return dispute
    move(
        dispute=dispute,
        to_stage=Stage.STAGE_2,
        actor=lead,
        notice_date=D(2026, 6, 12),
        notice_entry=email(contract, D(2026, 6, 12)),
        receipt_requested=True,
    )
    if upto == Stage.STAGE_2:
        return dispute
    step(dispute=dispute, step="receipt_confirmed", actor=lead, on=D(2026, 6, 15))
    move(
        dispute=dispute,
        to_stage=Stage.STAGE_3,
        actor=lead,
        meeting_held_on=D(2026, 6, 22),
        meeting_resolved=resolve_at_meeting,
        meeting_outcome="Both sides set out their positions.",
    )
    if upto == Stage.STAGE_3:
        return dispute
    move(dispute=dispute, to_stage=Stage.STAGE_4, actor=lead, action_plan_agreed_on=D(2026, 6, 23))
    if upto == Stage.STAGE_4:
        return dispute
    move(
        dispute=dispute,
        to_stage=Stage.STAGE_5,
        actor=lead,
        action_plan_failed_reason="The provider missed every milestone.",
        mediator="Morgan Mediator",
        mediation_started_on=D(2026, 7, 1),
    )
    if upto == Stage.STAGE_5:
        return dispute
    step(dispute=dispute, step="mediation_ended", actor=lead, on=D(2026, 7, 8))
    move(
        dispute=dispute,
        to_stage=Stage.STAGE_6,
        actor=lead,
        arbitrator="Alex Arbitrator",
        arbitrator_appointment="agreed",
        arbitrator_appointed_on=D(2026, 7, 10),
    )
    if upto == Stage.STAGE_6:
        return dispute
    move(
        dispute=dispute,
        to_stage=Stage.STAGE_7,
        actor=lead,
        litigation_started_on=D(2026, 7, 20),
        litigation_reason="The award was challenged in court.",
    )
    return dispute


def finish_action_plan(dispute, lead, smg):
    """Stage 4 to a signed-off completion report sent to the provider."""
    from governance.meetings.services.meetings import action_update

    step = services.dispute_record_step
    today = timezone.localdate()
    step(
        dispute=dispute,
        step="action_add",
        actor=lead,
        description="Retrain the referral team",
        owner=lead,
        due_on=timezone.localdate() + datetime.timedelta(days=14),
    )
    action = services.plan_actions(dispute).get()
    action_update(
        instance=action, actor=lead, reason="Done", status=ActionStatus.DONE, outcome="Done"
    )
    step(dispute=dispute, step="completion_report", actor=lead, on=today, report="All done")
    step(
        dispute=dispute,
        step="sign_off",
        actor=smg,
        endorsed_on=today,
        evidence_entry=email(dispute.contract, today),
    )
    step(dispute=dispute, step="provider_informed", actor=lead, on=today)


def assess(dispute, lead, significant=True, on=None):
    return services.significance_assess(
        dispute=dispute,
        actor=lead,
        assessed_on=on or D(2026, 6, 2),
        financial_effect=Decimal("50000") if significant else Decimal("100"),
        clients_affected_percent=Decimal("2"),
        negligent_harm=False,
        reputational_risk=False,
    )


__all__ = ["Outcome"]
