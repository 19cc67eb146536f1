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


def refused(call, contains: str, *args, **kwargs):
    """``call(*args, **kwargs)`` raises a ValidationError mentioning ``contains``; nothing
    is written."""
    events = DisputeEvent.objects.count()
    with pytest.raises(ValidationError) as raised:
        call(*args, **kwargs)
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


def emailed(*day):
    """An email about the dispute's contract (on ``day`` if given), logged when the move or
    step is made."""
    return lambda dispute: email(dispute.contract, *day)


def filled(dispute, usual: dict, data: dict) -> dict:
    """The test's ``data`` over the ``usual`` data: None leaves a field out, and an
    ``emailed`` value logs its email now."""
    data = {**usual, **data}
    return {
        field: value(dispute) if callable(value) else value
        for field, value in data.items()
        if value is not None
    }


def moving_to(stage, **usual):
    """A move to ``stage`` with ``usual`` data unless the test says otherwise."""

    def call(dispute, actor, **data):
        return move(dispute, stage, actor, **filled(dispute, usual, data))

    return call


def taking(name, **usual):
    """Step ``name`` with ``usual`` data unless the test says otherwise."""

    def call(dispute, actor, **data):
        return step(dispute, name, actor, **filled(dispute, usual, data))

    return call


to_stage_1 = moving_to(Stage.STAGE_1, endorsed_on=D(2026, 6, 11), evidence_entry=emailed())
to_stage_2 = moving_to(
    Stage.STAGE_2, notice_date=D(2026, 6, 12), notice_entry=emailed(), receipt_requested=True
)
to_stage_3 = moving_to(
    Stage.STAGE_3, meeting_held_on=D(2026, 6, 22), meeting_resolved=False, meeting_outcome="x"
)
to_stage_4 = moving_to(Stage.STAGE_4, action_plan_agreed_on=D(2026, 6, 23))
to_stage_5 = moving_to(Stage.STAGE_5, mediator="M", mediation_started_on=D(2026, 6, 5))
to_stage_6 = moving_to(
    Stage.STAGE_6,
    arbitrator="A",
    arbitrator_appointment="agreed",
    arbitrator_appointed_on=D(2026, 7, 9),
)
to_stage_7 = moving_to(Stage.STAGE_7, litigation_started_on=D(2026, 7, 20), litigation_reason="x")
close = moving_to(Stage.CLOSED, outcome=Outcome.RESOLVED)
endorse_skip = taking(
    "endorse_skip", target_stage=Stage.STAGE_5, endorsed_on=D(2026, 6, 3), evidence_entry=emailed()
)
endorse_outcome = taking(
    "endorse_outcome", endorsed_on=D(2026, 6, 24), evidence_entry=emailed(D(2026, 6, 24))
)
settle = taking(
    "settlement",
    terms="Service credits of £20,000",
    signed_commissioner_on=D(2026, 7, 6),
    signed_provider_on=D(2026, 7, 7),
)


# -- Order ---------------------------------------------------------------------------------


@pytest.mark.parametrize("to", [Stage.STAGE_2, Stage.STAGE_3, Stage.STAGE_7])
def test_stages_cannot_be_skipped_without_endorsement(dispute, lead, to):
    assess(dispute, lead, significant=True)
    refused(move, "needs SMG's recorded endorsement", dispute, to, lead)
    assert stage_of(dispute) == Stage.INFORMAL


def test_moving_backwards_is_refused(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.STAGE_3)
    refused(move, "stages are taken in order", dispute, Stage.STAGE_2, lead)


def test_a_closed_dispute_never_moves(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.STAGE_3, resolve_at_meeting=True)
    endorse_outcome(dispute, smg)
    close(dispute, lead, outcome_summary="Agreed")
    refused(move, "is closed", dispute, Stage.STAGE_4, lead)


# -- Informal route -----------------------------------------------------------------------


def test_smg_is_briefed_after_the_pdm_is_told(dispute, lead):
    message = "policy development manager is told first"
    refused(step, message, dispute, "smg_briefed", lead, on=D(2026, 6, 2))


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
    refused(step, message, dispute, name, lead, **data)
    assert dispute.history.count() == before


def test_later_one_off_steps_are_not_recorded_twice(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.STAGE_4)
    finish_action_plan(dispute, lead, smg)
    today = D(2026, 8, 3)
    message = "The completion report was already recorded, on 3 August 2026."
    refused(step, message, dispute, "completion_report", lead, on=today, report="Again")
    message = "The provider was already sent the report, on 3 August 2026."
    refused(step, message, dispute, "provider_informed", lead, on=today)


def test_the_award_and_the_judgment_are_recorded_once(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.STAGE_6)
    step(dispute, "award", lead, on=D(2026, 7, 15), summary="Credits to the commissioner")
    message = "The arbitration award was already recorded, on 15 July 2026."
    refused(step, message, dispute, "award", lead, on=D(2026, 7, 16), summary="Again")
    to_stage_7(dispute, lead)
    step(dispute, "judgment", lead, on=D(2026, 7, 30), summary="Upheld")
    message = "The judgment was already recorded, on 30 July 2026."
    refused(step, message, dispute, "judgment", lead, on=D(2026, 7, 31), summary="Again")


def test_the_approach_is_agreed_once(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.INFORMAL)
    step(dispute, "approach_agreed", lead, on=D(2026, 6, 5), summary="Weekly checks")
    message = "The approach was already agreed, on 5 June 2026."
    refused(
        step, message, dispute, "approach_agreed", lead, on=D(2026, 6, 6), summary="Daily checks"
    )


def test_moving_to_the_stage_it_is_at_says_so(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.STAGE_4)
    refused(to_stage_4, "This dispute is already at stage 4: action plan.", dispute, lead)


def test_a_step_date_in_the_future_is_refused(dispute, lead):
    error = refused(step, "cannot be in the future", dispute, "pdm_told", lead, on=D(2026, 8, 4))
    assert "on" in error.message_dict


def test_a_step_before_the_dispute_was_raised_is_refused(dispute, lead):
    message = "before the dispute was raised"
    refused(step, message, dispute, "pdm_told", lead, on=D(2026, 5, 31))


@pytest.mark.parametrize("channel", [ContactChannel.PHONE, ContactChannel.IN_PERSON])
def test_a_concern_raised_only_verbally_is_not_in_writing(dispute, lead, channel):
    entry = email(dispute.contract, channel=channel)
    refused(step, "not in writing", dispute, "concern_in_writing", lead, contact_entry=entry)


def test_the_concern_needs_a_written_record(dispute, lead):
    refused(step, "Link the written record", dispute, "concern_in_writing", lead)


def test_minutes_of_a_meeting_count_once_recorded(dispute, lead):
    scheduled = MeetingFactory(contract=dispute.contract)
    refused(step, "no minutes", dispute, "concern_in_writing", lead, meeting=scheduled)
    held = HeldMeetingFactory(contract=dispute.contract)
    step(dispute, "concern_in_writing", lead, meeting=held)
    assert Dispute.objects.get(pk=dispute.pk).concern_meeting == held


def test_another_contracts_email_is_refused(dispute, lead):
    other = email(ContractFactory(lead_officer=lead))
    refused(step, "another contract", dispute, "concern_in_writing", lead, contact_entry=other)


def test_the_approach_follows_the_concern_in_writing(dispute, lead):
    data = {"on": D(2026, 6, 5), "summary": "Weekly checks"}
    refused(step, "in writing first", dispute, "approach_agreed", lead, **data)


def test_the_informal_outcome_needs_the_route(dispute, lead):
    data = {"on": D(2026, 6, 5), "outcome": InformalOutcome.ESCALATE, "recommended_by": "provider"}
    refused(step, "brief SMG", dispute, "informal_outcome", lead, **data)


def test_escalation_names_who_recommends_it(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.INFORMAL)
    other = DisputeFactory()
    other_lead = other.contract.lead_officer
    step(other, "pdm_told", other_lead, on=D(2026, 6, 1))
    step(other, "smg_briefed", other_lead, on=D(2026, 6, 1))
    step(other, "concern_in_writing", other_lead, contact_entry=email(other.contract))
    data = {"on": D(2026, 6, 5), "outcome": InformalOutcome.ESCALATE}
    refused(step, "which side", other, "informal_outcome", other_lead, **data)


def test_informal_resolution_closes_once_smg_is_told(dispute, lead):
    step(dispute, "pdm_told", lead, on=D(2026, 6, 1))
    step(dispute, "smg_briefed", lead, on=D(2026, 6, 2))
    step(dispute, "concern_in_writing", lead, contact_entry=email(dispute.contract))
    step(dispute, "approach_agreed", lead, on=D(2026, 6, 4), summary="Daily referral check")
    step(dispute, "action_add", lead, description="Daily check", owner=lead, due_on=D(2026, 8, 10))
    step(dispute, "informal_outcome", lead, on=D(2026, 6, 20), outcome=InformalOutcome.RESOLVED)
    refused(close, "SMG was told", dispute, lead, outcome_summary="Fixed")
    step(dispute, "smg_informed", lead, on=D(2026, 6, 21))
    close(dispute, lead, outcome_summary="Fixed")
    assert stage_of(dispute) == Stage.CLOSED


# -- Stage 1 ------------------------------------------------------------------------------


def test_stage_1_needs_escalation_recommended(dispute, smg):
    refused(to_stage_1, "not recommended formal escalation", dispute, smg)


def test_only_smg_records_stage_1(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.INFORMAL)
    refused(to_stage_1, "Senior Management Group", dispute, lead)
    pdm = UserFactory(roles=[Role.PDM])
    refused(to_stage_1, "Senior Management Group", dispute, pdm)


def test_stage_1_needs_written_evidence(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.INFORMAL)
    refused(to_stage_1, "written evidence", dispute, smg, evidence_entry=None)
    phone = email(dispute.contract, channel=ContactChannel.PHONE)
    refused(to_stage_1, "not in writing", dispute, smg, evidence_entry=phone)
    assert stage_of(dispute) == Stage.INFORMAL
    assert not dispute.endorsements.exists()


# -- Stage 2 ------------------------------------------------------------------------------


def test_notice_needs_a_written_entry_and_receipt_requested(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.STAGE_1)
    unsent = {"notice_entry": None, "receipt_requested": None}
    error = refused(to_stage_2, "confirm receipt", dispute, lead, **unsent)
    assert "notice_entry" in error.message_dict
    phone = email(dispute.contract, channel=ContactChannel.PHONE)
    refused(to_stage_2, "not an email or letter", dispute, lead, notice_entry=phone)


def test_notice_needs_both_provider_contacts(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.STAGE_1)
    dispute.contract.escalation_contact = None
    dispute.contract.save()
    refused(to_stage_2, "escalation contact", dispute, lead)


def test_the_meeting_deadline_is_ten_business_days_after_the_notice(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.STAGE_2)
    assert Dispute.objects.get(pk=dispute.pk).meeting_deadline == D(2026, 6, 26)


def test_meeting_waits_for_receipt(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.STAGE_2)
    refused(to_stage_3, "confirmed receipt", dispute, lead)


def test_receipt_cannot_precede_the_notice(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.STAGE_2)
    refused(step, "before the notice", dispute, "receipt_confirmed", lead, on=D(2026, 6, 11))


# -- Stage 3 ------------------------------------------------------------------------------


@pytest.fixture
def at_stage_2_with_receipt(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.STAGE_2)
    step(dispute, "receipt_confirmed", lead, on=D(2026, 6, 15))
    return dispute


def test_a_late_meeting_needs_a_reason(at_stage_2_with_receipt, lead):
    dispute = at_stage_2_with_receipt
    late = D(2026, 6, 29)
    error = refused(to_stage_3, "due by 26 June 2026", dispute, lead, meeting_held_on=late)
    assert "late_meeting_reason" in error.message_dict
    reason = "Provider's chief executive was ill."
    to_stage_3(dispute, lead, meeting_held_on=late, late_meeting_reason=reason)
    assert stage_of(dispute) == Stage.STAGE_3


def test_a_meeting_on_the_deadline_needs_no_reason(at_stage_2_with_receipt, lead):
    to_stage_3(at_stage_2_with_receipt, lead, meeting_held_on=D(2026, 6, 26))


def test_the_meeting_says_whether_it_resolved_it(at_stage_2_with_receipt, lead):
    unsaid = {"meeting_resolved": None, "meeting_outcome": None}
    dispute = at_stage_2_with_receipt
    error = refused(to_stage_3, "whether the meeting resolved", dispute, lead, **unsaid)
    assert "meeting_outcome" in error.message_dict


def test_a_resolved_meeting_closes_only_with_smg_endorsement(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.STAGE_3, resolve_at_meeting=True)
    refused(to_stage_4, "resolved the dispute", dispute, lead)
    refused(close, "SMG must endorse", dispute, lead, outcome_summary="Agreed")
    message = "Senior Management Group"
    refused(endorse_outcome, message, dispute, lead, evidence_entry=emailed())
    endorse_outcome(dispute, smg)
    close(dispute, lead, outcome_summary="Agreed")
    assert stage_of(dispute) == Stage.CLOSED


# -- Stage 4 ------------------------------------------------------------------------------


def test_completion_report_needs_every_action_closed(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.STAGE_4)
    report = {"on": D(2026, 7, 1), "report": "Done"}
    refused(step, "Add the action plan's actions", dispute, "completion_report", lead, **report)
    step(
        dispute, "action_add", lead, description="Retrain staff", owner=lead, due_on=D(2026, 8, 20)
    )
    refused(step, "still open", dispute, "completion_report", lead, **report)


def test_provider_is_informed_after_smg_signs_off(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.STAGE_4)
    sign_off = {"endorsed_on": D(2026, 7, 2), "evidence_entry": email(dispute.contract)}
    refused(step, "must be recorded before SMG signs", dispute, "sign_off", smg, **sign_off)
    message = "signs off the completion report"
    refused(step, message, dispute, "provider_informed", lead, on=D(2026, 7, 3))
    refused(close, "completion report", dispute, lead, outcome_summary="Plan done")
    finish_action_plan(dispute, lead, smg)
    close(dispute, lead, outcome_summary="Plan done")
    assert stage_of(dispute) == Stage.CLOSED


def test_mediation_needs_the_reason_the_plan_failed(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.STAGE_4)
    started = {"mediator": None, "mediation_started_on": D(2026, 7, 1)}
    error = refused(to_stage_5, "action plan failed", dispute, lead, **started)
    assert "mediator" in error.message_dict


# -- Stages 5-7 ---------------------------------------------------------------------------


def closes_once_recorded(dispute, lead, name, **data):
    """Closing is refused, naming step ``name`` (the award or the judgment), until that
    step is recorded with ``data``; then the dispute closes."""
    outcome_summary = name.capitalize()
    refused(close, name, dispute, lead, outcome_summary=outcome_summary)
    step(dispute, name, lead, **data)
    close(dispute, lead, outcome_summary=outcome_summary)


def test_a_settlement_must_be_written_and_signed_by_both(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.STAGE_5)
    error = refused(settle, "signed by both parties", dispute, lead, signed_provider_on=None)
    assert "signed_provider_on" in error.message_dict
    refused(settle, "in writing", dispute, lead, terms=None)
    refused(close, "settlement written and signed", dispute, lead, outcome_summary="Settled")
    settle(dispute, lead)
    message = "close the dispute instead"
    refused(to_stage_6, message, dispute, lead, arbitrator_appointed_on=D(2026, 7, 8))
    close(dispute, lead, outcome_summary="Settled")


def test_arbitration_follows_mediation_ending(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.STAGE_5)
    refused(to_stage_6, "ended without a settlement", dispute, lead)
    step(dispute, "mediation_ended", lead, on=D(2026, 7, 8))
    message = "President of the Law Society"
    refused(to_stage_6, message, dispute, lead, arbitrator_appointment=None)
    to_stage_6(dispute, lead, arbitrator_appointment="law_society")
    closes_once_recorded(dispute, lead, "award", on=D(2026, 7, 30), summary="Provider pays £30,000")


def test_litigation_when_arbitration_is_not_chosen(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.STAGE_5)
    step(dispute, "mediation_ended", lead, on=D(2026, 7, 8))
    refused(to_stage_7, "arbitration was not chosen", dispute, lead, litigation_reason=None)
    to_stage_7(dispute, lead, litigation_reason="The commissioner chose the courts.")
    summary = "Found for the commissioner"
    closes_once_recorded(dispute, lead, "judgment", on=D(2026, 7, 31), summary=summary)


def test_litigation_after_arbitration_needs_a_reason(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.STAGE_6)
    refused(to_stage_7, "went to arbitration", dispute, lead, litigation_reason=None)


# -- Skips --------------------------------------------------------------------------------


def test_only_a_significant_dispute_may_skip(dispute, lead, smg):
    assess(dispute, lead, significant=False)
    refused(endorse_skip, "Only a significant dispute", dispute, smg)


def test_a_significant_dispute_skips_with_smg_endorsement(dispute, lead, smg):
    assess(dispute, lead, significant=True)
    refused(to_stage_5, "needs SMG's recorded endorsement", dispute, lead)
    refused(endorse_skip, "Senior Management Group", dispute, lead)
    endorse_skip(dispute, smg)
    to_stage_5(dispute, lead)
    assert stage_of(dispute) == Stage.STAGE_5


def test_skipping_the_informal_route_to_stage_1(dispute, lead, smg):
    assess(dispute, lead, significant=True)
    endorse_skip(dispute, smg, target_stage=Stage.STAGE_1)
    to_stage_1(dispute, smg, endorsed_on=D(2026, 6, 3))
    assert stage_of(dispute) == Stage.STAGE_1


def test_a_reassessment_that_is_not_significant_withdraws_the_skip(dispute, lead, smg):
    assess(dispute, lead, significant=True)
    endorse_skip(dispute, smg)
    assess(dispute, lead, significant=False, on=D(2026, 6, 4))
    refused(to_stage_5, "did not find it significant", dispute, lead)
    assert dispute.assessments.count() == 2


# -- Closing ------------------------------------------------------------------------------


def test_a_formal_withdrawal_needs_smg(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.STAGE_2)
    withdrawn = {"outcome": Outcome.WITHDRAWN, "outcome_summary": "Provider improved"}
    refused(close, "SMG must endorse the withdrawal", dispute, lead, **withdrawn)
    refused(close, "resolved at the dispute meeting", dispute, lead, outcome_summary="x")


def test_closing_as_terminated_needs_the_termination(dispute, lead, smg):
    walk(dispute, lead, smg, Stage.STAGE_1)
    terminated = {"outcome": Outcome.TERMINATED, "outcome_summary": "Ended"}
    refused(close, "Record the termination", dispute, lead, **terminated)
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
    close(dispute, lead, **terminated)


# -- Who, timeline and significance -------------------------------------------------------


def test_other_managers_cannot_run_the_dispute(dispute):
    stranger = UserFactory(roles=[Role.CONTRACT_MANAGER])
    refused(step, "lead or deputy officer", dispute, "pdm_told", stranger, on=D(2026, 6, 1))
    auditor = UserFactory(roles=[Role.AUDITOR])
    refused(step, "lead or deputy officer", dispute, "note", auditor, notes="I was here")


def test_the_deputy_runs_it_too(dispute):
    step(dispute, "pdm_told", dispute.contract.deputy_officer, on=D(2026, 6, 1))


def test_steps_outside_their_stage_are_refused(dispute, lead):
    message = "cannot be recorded while the dispute is at informal"
    refused(step, message, dispute, "receipt_confirmed", lead, on=D(2026, 6, 1))


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
    wrong = {"corrects": other.events.get(), "notes": "Wrong date"}
    refused(step, "Select the entry", dispute, "correction", lead, **wrong)
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
