"""Every guard of the dispute procedure refuses, with a sentence, and saves nothing."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from contracts.register.choices import ContractStatus
from disputes import services
from disputes.choices import EndorsementKind, EventKind, InformalOutcome, Outcome, Stage
from disputes.models.disputes import Dispute, DisputeEvent
from disputes.models.exclusions import Exclusion
from governance.contactlog.models import ContactChannel
from governance.core.roles import Role
from tests.contracts.register.factories import ContractFactory, OrganisationFactory
from tests.disputes.factories import D, DisputeFactory, assess, email, finish_action_plan, walk
from tests.governance.core.factories import UserFactory
from tests.governance.meetings.meeting_factories import HeldMeetingFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime.datetime(2026, 8, 3, 12), tick=False):
        yield


@pytest.fixture
def dispute():
    return DisputeFactory()


@pytest.fixture
def lead(dispute):
    return dispute.contract.lead_officer


@pytest.fixture
def smg():
    return UserFactory(roles=[Role.SMG])


def refused(call, contains: str, **kwargs):
    """``call`` raises a ValidationError mentioning ``contains``; nothing is written."""
    events = DisputeEvent.objects.count()
    with pytest.raises(ValidationError) as raised:
        call(**kwargs)
    text = " ".join(raised.value.messages)
    assert contains in text, text
    assert DisputeEvent.objects.count() == events
    return raised.value


def move(dispute, to, actor, **data):
    return services.dispute_transition(dispute=dispute, to_stage=to, actor=actor, **data)


def step(dispute, name, actor, **data):
    return services.dispute_record_step(dispute=dispute, step=name, actor=actor, **data)


def stage_of(dispute) -> str:
    return Dispute.objects.get(pk=dispute.pk).stage


# -- Order ---------------------------------------------------------------------------------


@pytest.mark.parametrize("to", [Stage.STAGE_2, Stage.STAGE_3, Stage.STAGE_7])
def test_stages_cannot_be_skipped_without_endorsement(dispute, lead, to):
    assess(dispute, lead, significant=True)
    refused(move, "needs SMG's recorded endorsement", dispute=dispute, to=to, actor=lead)
    assert stage_of(dispute) == Stage.INFORMAL


def test_moving_backwards_is_refused(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.STAGE_3)
    refused(move, "stages are taken in order", dispute=dispute, to=Stage.STAGE_2, actor=lead)


def test_a_closed_dispute_never_moves(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.STAGE_3, resolve_at_meeting=True)
    step(
        dispute,
        "endorse_outcome",
        smg,
        endorsed_on=D(2026, 6, 24),
        evidence_entry=email(dispute.contract, D(2026, 6, 24)),
    )
    move(dispute, Stage.CLOSED, lead, outcome=Outcome.RESOLVED, outcome_summary="Agreed")
    refused(move, "is closed", dispute=dispute, to=Stage.STAGE_4, actor=lead)


# -- Informal route -----------------------------------------------------------------------


def test_smg_is_briefed_after_the_pdm_is_told(dispute, lead):
    refused(
        step,
        "policy development manager is told first",
        dispute=dispute,
        name="smg_briefed",
        actor=lead,
        on=D(2026, 6, 2),
    )


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("pdm_told", {"on": D(2026, 6, 1)}, "policy development manager was already told"),
        ("smg_briefed", {"on": D(2026, 6, 2)}, "SMG was already briefed"),
        ("concern_in_writing", {}, "The concern was already put in writing"),
        (
            "informal_outcome",
            {"on": D(2026, 6, 10), "outcome": InformalOutcome.RESOLVED},
            "The informal route's outcome was already recorded",
        ),
    ],
)
def test_a_step_taken_once_is_not_recorded_twice(dispute, lead, smg, name, data, message):
    walk(dispute, lead, smg, Stage.INFORMAL)
    if name == "concern_in_writing":
        data = {"contact_entry": email(dispute.contract, D(2026, 6, 4))}
    before = dispute.history.count()
    refused(step, message, dispute=dispute, name=name, actor=lead, **data)
    assert dispute.history.count() == before


def test_later_one_off_steps_are_not_recorded_twice(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.STAGE_4)
    finish_action_plan(dispute, lead, smg)
    today = D(2026, 8, 3)
    refused(
        step,
        "The completion report was already recorded, on 3 August 2026.",
        dispute=dispute,
        name="completion_report",
        actor=lead,
        on=today,
        report="Again",
    )
    refused(
        step,
        "The provider was already sent the report, on 3 August 2026.",
        dispute=dispute,
        name="provider_informed",
        actor=lead,
        on=today,
    )


def test_the_award_and_the_judgment_are_recorded_once(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.STAGE_6)
    step(dispute, "award", lead, on=D(2026, 7, 15), summary="Credits to the commissioner")
    refused(
        step,
        "The arbitration award was already recorded, on 15 July 2026.",
        dispute=dispute,
        name="award",
        actor=lead,
        on=D(2026, 7, 16),
        summary="Again",
    )
    move(dispute, Stage.STAGE_7, lead, litigation_started_on=D(2026, 7, 20), litigation_reason="x")
    step(dispute, "judgment", lead, on=D(2026, 7, 30), summary="Upheld")
    refused(
        step,
        "The judgment was already recorded, on 30 July 2026.",
        dispute=dispute,
        name="judgment",
        actor=lead,
        on=D(2026, 7, 31),
        summary="Again",
    )


def test_the_approach_is_agreed_once(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.INFORMAL)
    step(dispute, "approach_agreed", lead, on=D(2026, 6, 5), summary="Weekly checks")
    refused(
        step,
        "The approach was already agreed, on 5 June 2026.",
        dispute=dispute,
        name="approach_agreed",
        actor=lead,
        on=D(2026, 6, 6),
        summary="Daily checks",
    )


def test_moving_to_the_stage_it_is_at_says_so(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.STAGE_4)
    refused(
        move,
        "This dispute is already at stage 4: action plan.",
        dispute=dispute,
        to=Stage.STAGE_4,
        actor=lead,
        action_plan_agreed_on=D(2026, 6, 23),
    )


def test_a_step_date_in_the_future_is_refused(dispute, lead):
    error = refused(
        step,
        "cannot be in the future",
        dispute=dispute,
        name="pdm_told",
        actor=lead,
        on=D(2026, 8, 4),
    )
    assert "on" in error.message_dict


def test_a_step_before_the_dispute_was_raised_is_refused(dispute, lead):
    refused(
        step,
        "before the dispute was raised",
        dispute=dispute,
        name="pdm_told",
        actor=lead,
        on=D(2026, 5, 31),
    )


@pytest.mark.parametrize("channel", [ContactChannel.PHONE, ContactChannel.IN_PERSON])
def test_a_concern_raised_only_verbally_is_not_in_writing(dispute, lead, channel):
    entry = email(dispute.contract, channel=channel)
    refused(
        step,
        "not in writing",
        dispute=dispute,
        name="concern_in_writing",
        actor=lead,
        contact_entry=entry,
    )


def test_the_concern_needs_a_written_record(dispute, lead):
    refused(step, "Link the written record", dispute=dispute, name="concern_in_writing", actor=lead)


def test_minutes_of_a_meeting_count_once_recorded(dispute, lead):
    scheduled = MeetingFactory(contract=dispute.contract)
    refused(
        step,
        "no minutes",
        dispute=dispute,
        name="concern_in_writing",
        actor=lead,
        meeting=scheduled,
    )
    held = HeldMeetingFactory(contract=dispute.contract)
    step(dispute, "concern_in_writing", lead, meeting=held)
    assert Dispute.objects.get(pk=dispute.pk).concern_meeting == held


def test_another_contracts_email_is_refused(dispute, lead):
    other = email(ContractFactory(lead_officer=lead))
    refused(
        step,
        "another contract",
        dispute=dispute,
        name="concern_in_writing",
        actor=lead,
        contact_entry=other,
    )


def test_the_approach_follows_the_concern_in_writing(dispute, lead):
    refused(
        step,
        "in writing first",
        dispute=dispute,
        name="approach_agreed",
        actor=lead,
        on=D(2026, 6, 5),
        summary="Weekly checks",
    )


def test_the_informal_outcome_needs_the_route(dispute, lead):
    refused(
        step,
        "brief SMG",
        dispute=dispute,
        name="informal_outcome",
        actor=lead,
        on=D(2026, 6, 5),
        outcome=InformalOutcome.ESCALATE,
        recommended_by="provider",
    )


def test_escalation_names_who_recommends_it(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.INFORMAL)
    other = DisputeFactory()
    other_lead = other.contract.lead_officer
    step(other, "pdm_told", other_lead, on=D(2026, 6, 1))
    step(other, "smg_briefed", other_lead, on=D(2026, 6, 1))
    step(other, "concern_in_writing", other_lead, contact_entry=email(other.contract))
    refused(
        step,
        "which side",
        dispute=other,
        name="informal_outcome",
        actor=other_lead,
        on=D(2026, 6, 5),
        outcome=InformalOutcome.ESCALATE,
    )


def test_informal_resolution_closes_once_smg_is_told(dispute, lead):
    step(dispute, "pdm_told", lead, on=D(2026, 6, 1))
    step(dispute, "smg_briefed", lead, on=D(2026, 6, 2))
    step(dispute, "concern_in_writing", lead, contact_entry=email(dispute.contract))
    step(dispute, "approach_agreed", lead, on=D(2026, 6, 4), summary="Daily referral check")
    step(dispute, "action_add", lead, description="Daily check", owner=lead, due_on=D(2026, 8, 10))
    step(dispute, "informal_outcome", lead, on=D(2026, 6, 20), outcome=InformalOutcome.RESOLVED)
    refused(
        move,
        "SMG was told",
        dispute=dispute,
        to=Stage.CLOSED,
        actor=lead,
        outcome=Outcome.RESOLVED,
        outcome_summary="Fixed",
    )
    step(dispute, "smg_informed", lead, on=D(2026, 6, 21))
    move(dispute, Stage.CLOSED, lead, outcome=Outcome.RESOLVED, outcome_summary="Fixed")
    assert stage_of(dispute) == Stage.CLOSED


# -- Stage 1 ------------------------------------------------------------------------------


def test_stage_1_needs_escalation_recommended(dispute, smg):
    refused(
        move,
        "not recommended formal escalation",
        dispute=dispute,
        to=Stage.STAGE_1,
        actor=smg,
        endorsed_on=D(2026, 6, 11),
        evidence_entry=email(dispute.contract),
    )


def test_only_smg_records_stage_1(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.INFORMAL)
    refused(
        move,
        "Senior Management Group",
        dispute=dispute,
        to=Stage.STAGE_1,
        actor=lead,
        endorsed_on=D(2026, 6, 11),
        evidence_entry=email(dispute.contract),
    )
    pdm = UserFactory(roles=[Role.PDM])
    refused(
        move,
        "Senior Management Group",
        dispute=dispute,
        to=Stage.STAGE_1,
        actor=pdm,
        endorsed_on=D(2026, 6, 11),
        evidence_entry=email(dispute.contract),
    )


def test_stage_1_needs_written_evidence(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.INFORMAL)
    refused(
        move,
        "written evidence",
        dispute=dispute,
        to=Stage.STAGE_1,
        actor=smg,
        endorsed_on=D(2026, 6, 11),
    )
    phone = email(dispute.contract, channel=ContactChannel.PHONE)
    refused(
        move,
        "not in writing",
        dispute=dispute,
        to=Stage.STAGE_1,
        actor=smg,
        endorsed_on=D(2026, 6, 11),
        evidence_entry=phone,
    )
    assert stage_of(dispute) == Stage.INFORMAL
    assert not dispute.endorsements.exists()


# -- Stage 2 ------------------------------------------------------------------------------


def test_notice_needs_a_written_entry_and_receipt_requested(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.STAGE_1)
    error = refused(
        move,
        "confirm receipt",
        dispute=dispute,
        to=Stage.STAGE_2,
        actor=lead,
        notice_date=D(2026, 6, 12),
    )
    assert "notice_entry" in error.message_dict
    phone = email(dispute.contract, channel=ContactChannel.PHONE)
    refused(
        move,
        "not an email or letter",
        dispute=dispute,
        to=Stage.STAGE_2,
        actor=lead,
        notice_date=D(2026, 6, 12),
        notice_entry=phone,
        receipt_requested=True,
    )


def test_notice_needs_both_provider_contacts(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.STAGE_1)
    dispute.contract.escalation_contact = None
    dispute.contract.save()
    refused(
        move,
        "escalation contact",
        dispute=dispute,
        to=Stage.STAGE_2,
        actor=lead,
        notice_date=D(2026, 6, 12),
        notice_entry=email(dispute.contract),
        receipt_requested=True,
    )


def test_the_meeting_deadline_is_ten_business_days_after_the_notice(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.STAGE_2)
    assert Dispute.objects.get(pk=dispute.pk).meeting_deadline == D(2026, 6, 26)


def test_meeting_waits_for_receipt(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.STAGE_2)
    refused(
        move,
        "confirmed receipt",
        dispute=dispute,
        to=Stage.STAGE_3,
        actor=lead,
        meeting_held_on=D(2026, 6, 22),
        meeting_resolved=False,
        meeting_outcome="x",
    )


def test_receipt_cannot_precede_the_notice(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.STAGE_2)
    refused(
        step,
        "before the notice",
        dispute=dispute,
        name="receipt_confirmed",
        actor=lead,
        on=D(2026, 6, 11),
    )


# -- Stage 3 ------------------------------------------------------------------------------


@pytest.fixture
def at_stage_2_with_receipt(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.STAGE_2)
    step(dispute, "receipt_confirmed", lead, on=D(2026, 6, 15))
    return dispute


def test_a_late_meeting_needs_a_reason(at_stage_2_with_receipt, lead):
    dispute = at_stage_2_with_receipt
    error = refused(
        move,
        "due by 26 June 2026",
        dispute=dispute,
        to=Stage.STAGE_3,
        actor=lead,
        meeting_held_on=D(2026, 6, 29),
        meeting_resolved=False,
        meeting_outcome="x",
    )
    assert "late_meeting_reason" in error.message_dict
    move(
        dispute,
        Stage.STAGE_3,
        lead,
        meeting_held_on=D(2026, 6, 29),
        meeting_resolved=False,
        meeting_outcome="x",
        late_meeting_reason="Provider's chief executive was ill.",
    )
    assert stage_of(dispute) == Stage.STAGE_3


def test_a_meeting_on_the_deadline_needs_no_reason(at_stage_2_with_receipt, lead):
    move(
        at_stage_2_with_receipt,
        Stage.STAGE_3,
        lead,
        meeting_held_on=D(2026, 6, 26),
        meeting_resolved=False,
        meeting_outcome="x",
    )


def test_the_meeting_says_whether_it_resolved_it(at_stage_2_with_receipt, lead):
    error = refused(
        move,
        "whether the meeting resolved",
        dispute=at_stage_2_with_receipt,
        to=Stage.STAGE_3,
        actor=lead,
        meeting_held_on=D(2026, 6, 22),
    )
    assert "meeting_outcome" in error.message_dict


def test_a_resolved_meeting_closes_only_with_smg_endorsement(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.STAGE_3, resolve_at_meeting=True)
    refused(
        move,
        "resolved the dispute",
        dispute=dispute,
        to=Stage.STAGE_4,
        actor=lead,
        action_plan_agreed_on=D(2026, 6, 23),
    )
    refused(
        move,
        "SMG must endorse",
        dispute=dispute,
        to=Stage.CLOSED,
        actor=lead,
        outcome=Outcome.RESOLVED,
        outcome_summary="Agreed",
    )
    refused(
        step,
        "Senior Management Group",
        dispute=dispute,
        name="endorse_outcome",
        actor=lead,
        endorsed_on=D(2026, 6, 24),
        evidence_entry=email(dispute.contract),
    )
    step(
        dispute,
        "endorse_outcome",
        smg,
        endorsed_on=D(2026, 6, 24),
        evidence_entry=email(dispute.contract, D(2026, 6, 24)),
    )
    move(dispute, Stage.CLOSED, lead, outcome=Outcome.RESOLVED, outcome_summary="Agreed")
    assert stage_of(dispute) == Stage.CLOSED


# -- Stage 4 ------------------------------------------------------------------------------


def test_completion_report_needs_every_action_closed(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.STAGE_4)
    refused(
        step,
        "Add the action plan's actions",
        dispute=dispute,
        name="completion_report",
        actor=lead,
        on=D(2026, 7, 1),
        report="Done",
    )
    step(
        dispute, "action_add", lead, description="Retrain staff", owner=lead, due_on=D(2026, 8, 20)
    )
    refused(
        step,
        "still open",
        dispute=dispute,
        name="completion_report",
        actor=lead,
        on=D(2026, 7, 1),
        report="Done",
    )


def test_provider_is_informed_after_smg_signs_off(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.STAGE_4)
    refused(
        step,
        "must be recorded before SMG signs",
        dispute=dispute,
        name="sign_off",
        actor=smg,
        endorsed_on=D(2026, 7, 2),
        evidence_entry=email(dispute.contract),
    )
    refused(
        step,
        "signs off the completion report",
        dispute=dispute,
        name="provider_informed",
        actor=lead,
        on=D(2026, 7, 3),
    )
    refused(
        move,
        "completion report",
        dispute=dispute,
        to=Stage.CLOSED,
        actor=lead,
        outcome=Outcome.RESOLVED,
        outcome_summary="Plan done",
    )
    finish_action_plan(dispute, lead, smg)
    move(dispute, Stage.CLOSED, lead, outcome=Outcome.RESOLVED, outcome_summary="Plan done")
    assert stage_of(dispute) == Stage.CLOSED


def test_mediation_needs_the_reason_the_plan_failed(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.STAGE_4)
    error = refused(
        move,
        "action plan failed",
        dispute=dispute,
        to=Stage.STAGE_5,
        actor=lead,
        mediation_started_on=D(2026, 7, 1),
    )
    assert "mediator" in error.message_dict


# -- Stages 5-7 ---------------------------------------------------------------------------


def test_a_settlement_must_be_written_and_signed_by_both(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.STAGE_5)
    error = refused(
        step,
        "signed by both parties",
        dispute=dispute,
        name="settlement",
        actor=lead,
        terms="Service credits of £20,000",
        signed_commissioner_on=D(2026, 7, 6),
    )
    assert "signed_provider_on" in error.message_dict
    refused(
        step,
        "in writing",
        dispute=dispute,
        name="settlement",
        actor=lead,
        signed_commissioner_on=D(2026, 7, 6),
        signed_provider_on=D(2026, 7, 7),
    )
    refused(
        move,
        "settlement written and signed",
        dispute=dispute,
        to=Stage.CLOSED,
        actor=lead,
        outcome=Outcome.RESOLVED,
        outcome_summary="Settled",
    )
    step(
        dispute,
        "settlement",
        lead,
        terms="Service credits of £20,000",
        signed_commissioner_on=D(2026, 7, 6),
        signed_provider_on=D(2026, 7, 7),
    )
    refused(
        move,
        "close the dispute instead",
        dispute=dispute,
        to=Stage.STAGE_6,
        actor=lead,
        arbitrator="A",
        arbitrator_appointment="agreed",
        arbitrator_appointed_on=D(2026, 7, 8),
    )
    move(dispute, Stage.CLOSED, lead, outcome=Outcome.RESOLVED, outcome_summary="Settled")


def test_arbitration_follows_mediation_ending(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.STAGE_5)
    refused(
        move,
        "ended without a settlement",
        dispute=dispute,
        to=Stage.STAGE_6,
        actor=lead,
        arbitrator="A",
        arbitrator_appointment="agreed",
        arbitrator_appointed_on=D(2026, 7, 9),
    )
    step(dispute, "mediation_ended", lead, on=D(2026, 7, 8))
    refused(
        move,
        "President of the Law Society",
        dispute=dispute,
        to=Stage.STAGE_6,
        actor=lead,
        arbitrator="A",
        arbitrator_appointed_on=D(2026, 7, 9),
    )
    move(
        dispute,
        Stage.STAGE_6,
        lead,
        arbitrator="A",
        arbitrator_appointment="law_society",
        arbitrator_appointed_on=D(2026, 7, 9),
    )
    refused(
        move,
        "award",
        dispute=dispute,
        to=Stage.CLOSED,
        actor=lead,
        outcome=Outcome.RESOLVED,
        outcome_summary="Award",
    )
    step(dispute, "award", lead, on=D(2026, 7, 30), summary="Provider pays £30,000")
    move(dispute, Stage.CLOSED, lead, outcome=Outcome.RESOLVED, outcome_summary="Award")


def test_litigation_when_arbitration_is_not_chosen(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.STAGE_5)
    step(dispute, "mediation_ended", lead, on=D(2026, 7, 8))
    refused(
        move,
        "arbitration was not chosen",
        dispute=dispute,
        to=Stage.STAGE_7,
        actor=lead,
        litigation_started_on=D(2026, 7, 20),
    )
    move(
        dispute,
        Stage.STAGE_7,
        lead,
        litigation_started_on=D(2026, 7, 20),
        litigation_reason="The commissioner chose the courts.",
    )
    refused(
        move,
        "judgment",
        dispute=dispute,
        to=Stage.CLOSED,
        actor=lead,
        outcome=Outcome.RESOLVED,
        outcome_summary="Judgment",
    )
    step(dispute, "judgment", lead, on=D(2026, 7, 31), summary="Found for the commissioner")
    move(dispute, Stage.CLOSED, lead, outcome=Outcome.RESOLVED, outcome_summary="Judgment")


def test_litigation_after_arbitration_needs_a_reason(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.STAGE_6)
    refused(
        move,
        "went to arbitration",
        dispute=dispute,
        to=Stage.STAGE_7,
        actor=lead,
        litigation_started_on=D(2026, 7, 20),
    )


# -- Skips --------------------------------------------------------------------------------


def test_only_a_significant_dispute_may_skip(dispute, lead, smg):
    assess(dispute, lead, significant=False)
    refused(
        step,
        "Only a significant dispute",
        dispute=dispute,
        name="endorse_skip",
        actor=smg,
        target_stage=Stage.STAGE_5,
        endorsed_on=D(2026, 6, 3),
        evidence_entry=email(dispute.contract),
    )


def test_a_significant_dispute_skips_with_smg_endorsement(dispute, lead, smg):
    assess(dispute, lead, significant=True)
    refused(
        move,
        "needs SMG's recorded endorsement",
        dispute=dispute,
        to=Stage.STAGE_5,
        actor=lead,
        mediator="M",
        mediation_started_on=D(2026, 6, 5),
    )
    refused(
        step,
        "Senior Management Group",
        dispute=dispute,
        name="endorse_skip",
        actor=lead,
        target_stage=Stage.STAGE_5,
        endorsed_on=D(2026, 6, 3),
        evidence_entry=email(dispute.contract),
    )
    step(
        dispute,
        "endorse_skip",
        smg,
        target_stage=Stage.STAGE_5,
        endorsed_on=D(2026, 6, 3),
        evidence_entry=email(dispute.contract),
    )
    move(dispute, Stage.STAGE_5, lead, mediator="M", mediation_started_on=D(2026, 6, 5))
    assert stage_of(dispute) == Stage.STAGE_5


def test_skipping_the_informal_route_to_stage_1(dispute, lead, smg):
    assess(dispute, lead, significant=True)
    step(
        dispute,
        "endorse_skip",
        smg,
        target_stage=Stage.STAGE_1,
        endorsed_on=D(2026, 6, 3),
        evidence_entry=email(dispute.contract),
    )
    move(
        dispute,
        Stage.STAGE_1,
        smg,
        endorsed_on=D(2026, 6, 3),
        evidence_entry=email(dispute.contract),
    )
    assert stage_of(dispute) == Stage.STAGE_1


def test_a_reassessment_that_is_not_significant_withdraws_the_skip(dispute, lead, smg):
    assess(dispute, lead, significant=True)
    step(
        dispute,
        "endorse_skip",
        smg,
        target_stage=Stage.STAGE_5,
        endorsed_on=D(2026, 6, 3),
        evidence_entry=email(dispute.contract),
    )
    assess(dispute, lead, significant=False, on=D(2026, 6, 4))
    refused(
        move,
        "did not find it significant",
        dispute=dispute,
        to=Stage.STAGE_5,
        actor=lead,
        mediator="M",
        mediation_started_on=D(2026, 6, 5),
    )
    assert dispute.assessments.count() == 2


# -- Closing ------------------------------------------------------------------------------


def test_a_formal_withdrawal_needs_smg(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.STAGE_2)
    refused(
        move,
        "SMG must endorse the withdrawal",
        dispute=dispute,
        to=Stage.CLOSED,
        actor=lead,
        outcome=Outcome.WITHDRAWN,
        outcome_summary="Provider improved",
    )
    refused(
        move,
        "resolved at the dispute meeting",
        dispute=dispute,
        to=Stage.CLOSED,
        actor=lead,
        outcome=Outcome.RESOLVED,
        outcome_summary="x",
    )


def test_closing_as_terminated_needs_the_termination(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.STAGE_1)
    refused(
        move,
        "Record the termination",
        dispute=dispute,
        to=Stage.CLOSED,
        actor=lead,
        outcome=Outcome.TERMINATED,
        outcome_summary="Ended",
    )
    step(
        dispute,
        "termination",
        lead,
        extent="full",
        served_by="commissioner",
        reason="Repeated safeguarding failures",
        notice_date=D(2026, 8, 3),
        effective_date=D(2026, 11, 3),
    )
    dispute.refresh_from_db()
    assert dispute.termination_notice is not None
    assert dispute.contract.status == ContractStatus.IN_EXIT
    move(dispute, Stage.CLOSED, lead, outcome=Outcome.TERMINATED, outcome_summary="Ended")


# -- Who, timeline and significance -------------------------------------------------------


def test_other_managers_cannot_run_the_dispute(dispute):
    stranger = UserFactory(roles=[Role.CONTRACT_MANAGER])
    refused(
        step,
        "lead or deputy officer",
        dispute=dispute,
        name="pdm_told",
        actor=stranger,
        on=D(2026, 6, 1),
    )
    auditor = UserFactory(roles=[Role.AUDITOR])
    refused(
        step,
        "lead or deputy officer",
        dispute=dispute,
        name="note",
        actor=auditor,
        notes="I was here",
    )


def test_the_deputy_runs_it_too(dispute):
    step(dispute, "pdm_told", dispute.contract.deputy_officer, on=D(2026, 6, 1))


def test_steps_outside_their_stage_are_refused(dispute, lead):
    refused(
        step,
        "cannot be recorded while the dispute is at informal",
        dispute=dispute,
        name="receipt_confirmed",
        actor=lead,
        on=D(2026, 6, 1),
    )


def test_timeline_entries_never_change(dispute, lead):
    step(dispute, "pdm_told", lead, on=D(2026, 6, 1))
    event = dispute.events.get()
    event.summary = "Rewritten"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        DisputeEvent.objects.filter(pk=event.pk).update(summary="Rewritten")
    with pytest.raises(TypeError):
        DisputeEvent.objects.all().delete()
    assert DisputeEvent.objects.get().summary != "Rewritten"


def test_a_correction_refers_to_an_earlier_entry_of_the_same_dispute(dispute, lead):
    step(dispute, "pdm_told", lead, on=D(2026, 6, 1))
    other = DisputeFactory()
    step(other, "pdm_told", other.contract.lead_officer, on=D(2026, 6, 1))
    refused(
        step,
        "Select the entry",
        dispute=dispute,
        name="correction",
        actor=lead,
        corrects=other.events.get(),
        notes="Wrong date",
    )
    step(dispute, "correction", lead, corrects=dispute.events.get(), notes="It was 2 June")
    correction = dispute.events.get(kind=EventKind.CORRECTION)
    assert correction.corrects.kind == EventKind.PDM_TOLD
    assert "It was 2 June" in correction.notes


def test_every_move_is_on_the_timeline_with_who(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.STAGE_7)
    kinds = list(dispute.events.values_list("kind", flat=True))
    assert kinds.count(EventKind.STAGE_CHANGE) == 7
    assert set(dispute.events.values_list("recorded_by", flat=True)) == {lead.pk, smg.pk}
    stage_1 = dispute.events.get(stage_to=Stage.STAGE_1, kind=EventKind.STAGE_CHANGE)
    assert stage_1.contact_entry is not None and stage_1.recorded_by == smg
    assert dispute.endorsements.get().kind == EndorsementKind.ESCALATION
    assert dispute.history.filter(history_user=smg).exists()


@pytest.mark.parametrize(
    ("effect", "share", "harm", "reputation", "significant"),
    [
        (Decimal("40000.00"), Decimal("0"), False, False, True),  # exactly 10% of £400,000
        (Decimal("39999.99"), Decimal("9.99"), False, False, False),
        (Decimal("0"), Decimal("10"), False, False, True),
        (Decimal("0"), Decimal("0"), True, False, True),
        (Decimal("0"), Decimal("0"), False, True, True),
    ],
)
def test_significance_criteria(dispute, lead, effect, share, harm, reputation, significant):
    assessment = services.significance_assess(
        dispute=dispute,
        actor=lead,
        assessed_on=D(2026, 6, 2),
        financial_effect=effect,
        clients_affected_percent=share,
        negligent_harm=harm,
        negligent_harm_note="n" * harm,
        reputational_risk=reputation,
        reputational_risk_note="r" * reputation,
    )
    assert assessment.is_significant is significant
    assert Dispute.objects.get(pk=dispute.pk).is_significant is significant


def test_harm_needs_its_description(dispute, lead):
    with pytest.raises(ValidationError) as raised:
        services.significance_assess(
            dispute=dispute,
            actor=lead,
            assessed_on=D(2026, 6, 2),
            financial_effect=0,
            clients_affected_percent=0,
            negligent_harm=True,
            reputational_risk=False,
        )
    assert "negligent_harm_note" in raised.value.message_dict
    assert not dispute.assessments.exists()


# -- Exclusions ---------------------------------------------------------------------------


def exclude(actor, **kwargs):
    defaults = {
        "organisation": OrganisationFactory(),
        "reason": "performance",
        "details": "Poor",
        "start_date": D(2026, 8, 1),
        "decided_on": D(2026, 7, 30),
    }
    return services.exclusion_create(actor=actor, **{**defaults, **kwargs})


def test_exclusions_are_smg_decisions(lead, smg):
    with pytest.raises(ValidationError, match="Senior Management Group"):
        exclude(lead, period_months=12)
    assert exclude(smg, period_months=12).end_date == D(2027, 7, 31)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"period_months": 61}, "no more than 5 years"),
        ({"end_date": D(2031, 8, 1)}, "between 1 August 2026 and 31 July 2031"),
        ({"period_months": 12, "end_date": D(2027, 1, 1)}, "not both"),
        ({}, "period in months or the end date"),
    ],
)
def test_exclusion_period_rules(smg, kwargs, message):
    with pytest.raises(ValidationError) as raised:
        exclude(smg, **kwargs)
    assert message in " ".join(raised.value.messages)
    assert not Exclusion.objects.exists()


def test_five_years_to_the_day_is_allowed(smg):
    assert exclude(smg, end_date=D(2031, 7, 31)).end_date == D(2031, 7, 31)


def test_exclusion_of_a_commissioner_is_refused(smg):
    with pytest.raises(ValidationError, match="not a provider"):
        exclude(smg, organisation=OrganisationFactory(kind="commissioner"), period_months=6)
