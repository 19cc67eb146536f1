"""The procedure's rules in one place: ``TRANSITIONS`` (from one stage to another,
including closing) and ``STEPS`` (within a stage), each naming who may take the move
and the guards it must pass. A guard returns what is missing; empty means allowed."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from disputes.choices import (
    OPEN_STAGES,
    STAGE_ORDER,
    ArbitratorAppointment,
    EndorsementKind,
    EventKind,
    InformalOutcome,
    Outcome,
    Party,
    Stage,
)
from disputes.models.disputes import MEETING_BUSINESS_DAYS, Dispute
from disputes.services.common import (
    ANYONE,
    DISPUTE_CONTRACT_STATUSES,
    GENERAL,
    OFFICER,
    SMG,
    Problems,
    _check_date,
    _check_text,
    _check_written_evidence,
    _check_written_record,
    _endorsed,
    _on,
    plan_actions,
)
from governance.contactlog.models import WRITTEN_CHANNELS
from governance.meetings.choices import ActionStatus


def _leave_informal(dispute: Dispute, data: dict) -> Problems:
    if dispute.informal_outcome == InformalOutcome.ESCALATE:
        return {}
    if dispute.is_significant and _endorsed(dispute, EndorsementKind.SKIP, Stage.STAGE_1):
        return {}
    return {
        GENERAL: "The informal route has not recommended formal escalation. Record the "
        "informal route's outcome first or, for a significant dispute, record SMG's "
        "endorsement to skip the informal route."
    }


def _leave_stage_2(dispute: Dispute, data: dict) -> Problems:
    if dispute.receipt_confirmed_on is None:
        return {GENERAL: "Record when the provider confirmed receipt of the notice first."}
    return {}


def _leave_stage_3(dispute: Dispute, data: dict) -> Problems:
    if dispute.meeting_resolved:
        return {
            GENERAL: "The dispute meeting resolved the dispute: close it with the outcome "
            "once SMG has endorsed it."
        }
    return {}


def _leave_stage_4(dispute: Dispute, data: dict) -> Problems:
    errors: Problems = {}
    _check_text(
        data,
        "action_plan_failed_reason",
        errors,
        "Say why the action plan failed or could not be agreed.",
    )
    return errors


def _leave_stage_5(dispute: Dispute, data: dict) -> Problems:
    if dispute.settled:
        return {GENERAL: "Mediation reached a signed settlement: close the dispute instead."}
    if dispute.mediation_ended_on is None:
        return {GENERAL: "Record that mediation ended without a settlement first."}
    return {}


def _leave_stage_6(dispute: Dispute, data: dict) -> Problems:
    errors: Problems = {}
    _check_text(
        data,
        "litigation_reason",
        errors,
        "Say why the dispute goes to court although it went to arbitration.",
    )
    return errors


def _skip_endorsed(target: str) -> Callable[[Dispute, dict], Problems]:
    def guard(dispute: Dispute, data: dict) -> Problems:
        if not dispute.is_significant:
            return {
                GENERAL: "Only a significant dispute may skip stages: the latest "
                "significance assessment did not find it significant."
            }
        if not _endorsed(dispute, EndorsementKind.SKIP, target):
            return {
                GENERAL: f"Stages are taken in order. Going straight to "
                f"{Stage(target).label.lower()} needs SMG's recorded endorsement."
            }
        return {}

    return guard


def _enter_stage_1(dispute: Dispute, data: dict) -> Problems:
    errors: Problems = {}
    _check_date(dispute, data, "endorsed_on", errors, "SMG agreed")
    _check_written_evidence(dispute, data, errors)
    return errors


def _enter_stage_2(dispute: Dispute, data: dict) -> Problems:
    errors: Problems = {}
    contract = dispute.contract
    _check_date(dispute, data, "notice_date", errors, "of the notice")
    entry = data.get("notice_entry")
    if entry is None:
        errors["notice_entry"] = "Link the notice (the email or letter) in the contact log."
    elif entry.contract_id != dispute.contract_id or entry.channel not in WRITTEN_CHANNELS:
        errors["notice_entry"] = (
            f"{entry.reference} is not an email or letter on this contract's contact log."
        )
    if contract.provider_contract_manager_id is None or contract.escalation_contact_id is None:
        errors[GENERAL] = (
            "The notice goes to the provider's contract manager and escalation contact: "
            "name both on the contract first."
        )
    if not data.get("receipt_requested"):
        errors["receipt_requested"] = (
            "The notice must ask the provider to confirm receipt: confirm that it did."
        )
    return errors


def _enter_stage_3(dispute: Dispute, data: dict) -> Problems:
    errors: Problems = {}
    held = _check_date(
        dispute,
        data,
        "meeting_held_on",
        errors,
        "of the meeting",
        not_before=(dispute.notice_date, "the notice"),
    )
    if (
        held
        and dispute.meeting_deadline
        and held > dispute.meeting_deadline
        and not (data.get("late_meeting_reason") or "").strip()
    ):
        errors["late_meeting_reason"] = (
            f"The meeting was due by {_on(dispute.meeting_deadline)}, "
            f"{MEETING_BUSINESS_DAYS} business days "
            "after the notice: say why it was held later."
        )
    meeting = data.get("dispute_meeting")
    if meeting is not None and meeting.contract_id != dispute.contract_id:
        errors["dispute_meeting"] = f"{meeting} is another contract's meeting."
    if data.get("meeting_resolved") is None:
        errors["meeting_resolved"] = "Say whether the meeting resolved the dispute."
    _check_text(data, "meeting_outcome", errors, "Record what the meeting concluded.")
    return errors


def _enter_stage_4(dispute: Dispute, data: dict) -> Problems:
    errors: Problems = {}
    _check_date(dispute, data, "action_plan_agreed_on", errors, "the action plan was agreed")
    return errors


def _enter_stage_5(dispute: Dispute, data: dict) -> Problems:
    errors: Problems = {}
    _check_text(data, "mediator", errors, "Name the mediator.")
    _check_date(dispute, data, "mediation_started_on", errors, "mediation started")
    return errors


def _enter_stage_6(dispute: Dispute, data: dict) -> Problems:
    errors: Problems = {}
    _check_text(data, "arbitrator", errors, "Name the arbitrator.")
    if data.get("arbitrator_appointment") not in ArbitratorAppointment.values:
        errors["arbitrator_appointment"] = (
            "Say how the arbitrator was appointed: agreed by both parties or, failing "
            "agreement, by the President of the Law Society of England and Wales."
        )
    _check_date(dispute, data, "arbitrator_appointed_on", errors, "the arbitrator was appointed")
    return errors


def _enter_stage_7(dispute: Dispute, data: dict) -> Problems:
    errors: Problems = {}
    _check_date(dispute, data, "litigation_started_on", errors, "proceedings were issued")
    if dispute.stage != Stage.STAGE_6:
        _check_text(data, "litigation_reason", errors, "Say why arbitration was not chosen.")
    return errors


ENTRY_GUARDS = {
    Stage.STAGE_1: _enter_stage_1,
    Stage.STAGE_2: _enter_stage_2,
    Stage.STAGE_3: _enter_stage_3,
    Stage.STAGE_4: _enter_stage_4,
    Stage.STAGE_5: _enter_stage_5,
    Stage.STAGE_6: _enter_stage_6,
    Stage.STAGE_7: _enter_stage_7,
}


def _close(dispute: Dispute, data: dict) -> Problems:
    """Closing records the outcome; a resolution needs what its stage requires."""
    errors: Problems = {}
    outcome = data.get("outcome")
    _check_text(data, "outcome_summary", errors, "Summarise the outcome.")
    if outcome not in Outcome.values:
        errors["outcome"] = "Select the outcome."
        return errors
    stage = dispute.stage
    if outcome == Outcome.TERMINATED:
        if dispute.termination_recorded_on is None:
            errors["outcome"] = "Record the termination of the contract first."
        return errors
    if outcome == Outcome.WITHDRAWN:
        if dispute.is_formal and not _endorsed(dispute, EndorsementKind.OUTCOME, stage):
            errors["outcome"] = (
                "The formal procedure was approved by SMG: SMG must endorse the "
                "withdrawal before the dispute is closed."
            )
        return errors
    missing = {
        Stage.INFORMAL: (
            "Record the informal route's outcome as resolved, and that SMG was told, first."
            if dispute.informal_outcome != InformalOutcome.RESOLVED
            or dispute.smg_informed_on is None
            or dispute.smg_informed_on < dispute.informal_outcome_on
            else ""
        ),
        Stage.STAGE_1: "A formal dispute is resolved at the dispute meeting (stage 3) or later.",
        Stage.STAGE_2: "A formal dispute is resolved at the dispute meeting (stage 3) or later.",
        Stage.STAGE_3: (
            "The meeting did not resolve the dispute: agree an action plan (stage 4)."
            if not dispute.meeting_resolved
            else "SMG must endorse the meeting's outcome before the dispute is closed."
            if not _endorsed(dispute, EndorsementKind.OUTCOME, stage)
            else ""
        ),
        Stage.STAGE_4: (
            "Record the action plan's completion report first."
            if dispute.completion_report_on is None
            else "SMG must sign off the completion report first."
            if not _endorsed(dispute, EndorsementKind.SIGN_OFF, stage)
            else "Record when the provider was sent the completion report first."
            if dispute.provider_informed_on is None
            else ""
        ),
        Stage.STAGE_5: (
            ""
            if dispute.settled
            else "Mediation resolves a dispute only by a settlement written and signed by "
            "both parties: record it first."
        ),
        Stage.STAGE_6: (
            "" if dispute.arbitration_award_on else "Record the arbitrator's award first."
        ),
        Stage.STAGE_7: "" if dispute.judgment_on else "Record the court's judgment first.",
    }[stage]
    if missing:
        errors["outcome"] = missing
    return errors


@dataclass(frozen=True)
class Rule:
    who: str
    guards: tuple[Callable[[Dispute, dict], Problems], ...]


def _transitions() -> dict[tuple[str, str], Rule]:
    table = {
        (Stage.INFORMAL, Stage.STAGE_1): Rule(SMG, (_leave_informal, _enter_stage_1)),
        (Stage.STAGE_1, Stage.STAGE_2): Rule(OFFICER, (_enter_stage_2,)),
        (Stage.STAGE_2, Stage.STAGE_3): Rule(OFFICER, (_leave_stage_2, _enter_stage_3)),
        (Stage.STAGE_3, Stage.STAGE_4): Rule(OFFICER, (_leave_stage_3, _enter_stage_4)),
        (Stage.STAGE_4, Stage.STAGE_5): Rule(OFFICER, (_leave_stage_4, _enter_stage_5)),
        (Stage.STAGE_5, Stage.STAGE_6): Rule(OFFICER, (_leave_stage_5, _enter_stage_6)),
        (Stage.STAGE_5, Stage.STAGE_7): Rule(OFFICER, (_leave_stage_5, _enter_stage_7)),
        (Stage.STAGE_6, Stage.STAGE_7): Rule(OFFICER, (_leave_stage_6, _enter_stage_7)),
    }
    # A significant dispute may go straight to a higher stage with SMG's endorsement.
    # Stage 1 is SMG's own agreement, so a skip lands on stage 2 or above.
    for frm in OPEN_STAGES:
        for to in ENTRY_GUARDS:
            if STAGE_ORDER[to] > STAGE_ORDER[frm] + 1 and to != Stage.STAGE_1:
                table.setdefault((frm, to), Rule(OFFICER, (_skip_endorsed(to), ENTRY_GUARDS[to])))
    for frm in OPEN_STAGES:
        table[(frm, Stage.CLOSED)] = Rule(OFFICER, (_close,))
    return table


#: (from, to) -> who may make the move and the guards it must pass.
TRANSITIONS = _transitions()


def who_moves_to(stage: str) -> str:
    """Who takes a dispute into ``stage``, from whichever stage it comes: SMG agrees to
    stage 1, the contract's officers make every other move."""
    movers = {rule.who for (_, to), rule in TRANSITIONS.items() if to == stage}
    return movers.pop() if len(movers) == 1 else OFFICER


def allowed_transitions(dispute: Dispute) -> list[str]:
    return [to for (frm, to) in TRANSITIONS if frm == dispute.stage]


#: Stands for the evidence a move's form asks for, when asking what stops the move before
#: the form is filled in.
FORM_GIVES_EVIDENCE = object()


def transition_blockers(dispute: Dispute, to: str) -> list[str]:
    """What stops the move to ``to`` before its form is filled in: the move's own guards
    run on the dispute as it stands, keeping the problems no answer on the form can put
    right (those not about a field). Empty: the form is worth filling in. The service
    runs the same guards again on submission."""
    rule = TRANSITIONS[(dispute.stage, to)]
    reasons = []
    for guard in rule.guards:
        # The written evidence of a decision is given on the move's own form (an entry,
        # minutes or an upload), so its absence does not stop anyone starting.
        problem = guard(dispute, {"upload": FORM_GIVES_EVIDENCE}).get(GENERAL)
        if problem and str(problem) not in reasons:
            reasons.append(str(problem))
    return reasons


def _already(day, already: str) -> Problems:
    """A step that happens once in a dispute's life: refused once it is recorded (two
    people, or one double click, must not put it on the timeline twice)."""
    if day is None:
        return {}
    return {GENERAL: f"{already}, on {_on(day)}."}


def _dated_step(
    dispute: Dispute,
    data: dict,
    what: str,
    *,
    once: tuple[datetime.date | None, str] | None = None,
    after: tuple[datetime.date | None, str] | None = None,
    first: str = "",
    text: tuple[str, str] | None = None,
) -> Problems:
    """A step dated ``data["on"]`` (``what`` happened): refused once recorded (``once``:
    its recorded day and the refusal), refused with ``first`` while the step it follows
    has not happened, and never dated before that step (``after``: its day and name).
    ``text``: the field of the text the step needs and what to ask for when it is blank."""
    errors: Problems = _already(*once) if once else {}
    if errors:
        return errors
    if first and after and after[0] is None:
        return {GENERAL: first}
    _check_date(dispute, data, "on", errors, what, not_before=after)
    if text and GENERAL not in errors:
        field, message = text
        _check_text(data, field, errors, message)
    return errors


def _step_pdm_told(dispute: Dispute, data: dict) -> Problems:
    return _dated_step(
        dispute,
        data,
        "the policy development manager was told",
        once=(dispute.pdm_told_on, "The policy development manager was already told"),
    )


def _step_smg_briefed(dispute: Dispute, data: dict) -> Problems:
    return _dated_step(
        dispute,
        data,
        "SMG was briefed",
        once=(dispute.smg_briefed_on, "SMG was already briefed"),
        after=(dispute.pdm_told_on, "the policy development manager was told"),
        first="The policy development manager is told first, and briefs SMG.",
    )


def _step_concern_in_writing(dispute: Dispute, data: dict) -> Problems:
    errors: Problems = _already(dispute.concern_put_on, "The concern was already put in writing")
    if errors:
        return errors
    if not (data.get("contact_entry") or data.get("meeting")):
        errors[GENERAL] = (
            "Link the written record of the concern: the email or letter in the contact "
            "log, or the minutes of the meeting where it was raised."
        )
    _check_written_record(dispute, data, errors, "contact_entry", "meeting")
    return errors


def _step_approach_agreed(dispute: Dispute, data: dict) -> Problems:
    return _dated_step(
        dispute,
        data,
        "the approach was agreed",
        once=(dispute.approach_agreed_on, "The approach was already agreed"),
        after=(dispute.concern_put_on, "the concern was put in writing"),
        first="Put the concern to the provider in writing first.",
        text=("summary", "Describe how both sides agreed to address it."),
    )


def _step_smg_informed(dispute: Dispute, data: dict) -> Problems:
    return _dated_step(
        dispute,
        data,
        "SMG was informed",
        after=(dispute.smg_briefed_on, "SMG was briefed"),
        first="Record that SMG was briefed first.",
    )


def _step_informal_outcome(dispute: Dispute, data: dict) -> Problems:
    errors: Problems = _already(
        dispute.informal_outcome_on, "The informal route's outcome was already recorded"
    )
    if errors:
        return errors
    missing = [
        label
        for label, done in (
            ("tell the policy development manager", dispute.pdm_told_on),
            ("brief SMG", dispute.smg_briefed_on),
            ("put the concern to the provider in writing", dispute.concern_put_on),
        )
        if not done
    ]
    outcome = data.get("outcome")
    if outcome == InformalOutcome.RESOLVED and not dispute.approach_agreed_on:
        missing.append("agree with the provider how to address it")
    if missing:
        return {GENERAL: f"Before the informal route ends: {'; '.join(missing)}."}
    if outcome not in InformalOutcome.values:
        errors["outcome"] = "Select the outcome of the informal route."
    elif outcome == InformalOutcome.ESCALATE and data.get("recommended_by") not in Party.values:
        errors["recommended_by"] = "Say which side recommends formal escalation."
    _check_date(dispute, data, "on", errors, "of the outcome")
    return errors


def _step_action_add(dispute: Dispute, data: dict) -> Problems:
    # The action's own rules (owner, due date) are checked by action_raise.
    return {}


def _step_receipt_confirmed(dispute: Dispute, data: dict) -> Problems:
    if dispute.receipt_confirmed_on is not None:
        return {GENERAL: f"Receipt was already confirmed on {_on(dispute.receipt_confirmed_on)}."}
    return _dated_step(
        dispute, data, "receipt was confirmed", after=(dispute.notice_date, "the notice")
    )


def _step_completion_report(dispute: Dispute, data: dict) -> Problems:
    errors: Problems = _already(
        dispute.completion_report_on, "The completion report was already recorded"
    )
    if errors:
        return errors
    actions = plan_actions(dispute)
    if not actions.exists():
        return {GENERAL: "Add the action plan's actions first."}
    still_open = actions.filter(status__in=(ActionStatus.OPEN, ActionStatus.IN_PROGRESS)).count()
    if still_open:
        return {
            GENERAL: f"{still_open} of the action plan's actions "
            f"{'is' if still_open == 1 else 'are'} still open: the completion report "
            "comes when every action is done or cancelled."
        }
    _check_date(
        dispute,
        data,
        "on",
        errors,
        "of the report",
        not_before=(dispute.action_plan_agreed_on, "the plan was agreed"),
    )
    _check_text(data, "report", errors, "Summarise what the action plan achieved.")
    return errors


def _step_provider_informed(dispute: Dispute, data: dict) -> Problems:
    errors: Problems = _already(
        dispute.provider_informed_on, "The provider was already sent the report"
    )
    if errors:
        return errors
    if not _endorsed(dispute, EndorsementKind.SIGN_OFF, Stage.STAGE_4):
        return {GENERAL: "SMG signs off the completion report before it goes to the provider."}
    _check_date(
        dispute,
        data,
        "on",
        errors,
        "the provider was sent the report",
        not_before=(dispute.completion_report_on, "the report"),
    )
    return errors


def _step_mediation_ended(dispute: Dispute, data: dict) -> Problems:
    if dispute.mediation_ended_on is not None:
        return {GENERAL: f"Mediation already ended on {_on(dispute.mediation_ended_on)}."}
    return _dated_step(
        dispute, data, "mediation ended", after=(dispute.mediation_started_on, "it started")
    )


def _step_settlement(dispute: Dispute, data: dict) -> Problems:
    errors: Problems = {}
    if dispute.settled:
        return {GENERAL: "A settlement is already recorded."}
    _check_text(
        data,
        "terms",
        errors,
        "A settlement is recorded only once it is in writing: enter its terms.",
    )
    for field, party in (
        ("signed_commissioner_on", "the commissioner"),
        ("signed_provider_on", "the provider"),
    ):
        if data.get(field) is None:
            errors[field] = (
                f"A settlement counts only when signed by both parties: enter the date "
                f"{party} signed."
            )
        else:
            _check_date(
                dispute,
                data,
                field,
                errors,
                f"{party} signed",
                not_before=(dispute.mediation_started_on, "mediation started"),
            )
    return errors


def _step_award(dispute: Dispute, data: dict) -> Problems:
    return _dated_step(
        dispute,
        data,
        "of the award",
        once=(dispute.arbitration_award_on, "The arbitration award was already recorded"),
        after=(dispute.arbitrator_appointed_on, "the arbitrator's appointment"),
        text=("summary", "Summarise the award."),
    )


def _step_judgment(dispute: Dispute, data: dict) -> Problems:
    return _dated_step(
        dispute,
        data,
        "of the judgment",
        once=(dispute.judgment_on, "The judgment was already recorded"),
        after=(dispute.litigation_started_on, "proceedings were issued"),
        text=("summary", "Summarise the judgment."),
    )


def _step_termination(dispute: Dispute, data: dict) -> Problems:
    errors: Problems = {}
    if dispute.termination_notice_id is not None:
        return {GENERAL: "A termination is already recorded for this dispute."}
    if dispute.contract.status not in DISPUTE_CONTRACT_STATUSES:
        return {
            GENERAL: f"The contract is {dispute.contract.get_status_display().lower()}: "
            "it can no longer be terminated."
        }
    _check_text(data, "reason", errors, "Give the reason for the termination.")
    if data.get("extent") not in ("full", "partial"):
        errors["extent"] = "Say whether the whole contract or part of it is terminated."
    if data.get("served_by") not in Party.values:
        errors["served_by"] = "Say which party served the notice."
    _check_date(dispute, data, "notice_date", errors, "of the termination notice")
    if data.get("effective_date") is None:
        errors["effective_date"] = "Enter the date the termination takes effect."
    return errors


def _step_endorse_skip(dispute: Dispute, data: dict) -> Problems:
    errors: Problems = {}
    if not dispute.is_significant:
        return {
            GENERAL: "Only a significant dispute may skip the informal route or start at a "
            "higher stage: assess its significance first."
        }
    target = data.get("target_stage")
    if target not in ENTRY_GUARDS or STAGE_ORDER[target] <= STAGE_ORDER[dispute.stage]:
        errors["target_stage"] = "Select a formal stage above the dispute's current stage."
    elif STAGE_ORDER[target] == STAGE_ORDER[dispute.stage] + 1 and dispute.stage != Stage.INFORMAL:
        errors["target_stage"] = "That is the next stage: no skip is needed to reach it."
    _check_date(dispute, data, "endorsed_on", errors, "SMG endorsed it")
    _check_written_evidence(dispute, data, errors)
    return errors


def _step_endorse_outcome(dispute: Dispute, data: dict) -> Problems:
    errors: Problems = {}
    if _endorsed(dispute, EndorsementKind.OUTCOME, dispute.stage):
        return {GENERAL: "SMG has already endorsed the outcome at this stage."}
    if dispute.stage == Stage.STAGE_3 and not dispute.meeting_outcome:
        return {GENERAL: "The meeting's outcome must be recorded before SMG endorses it."}
    _check_date(dispute, data, "endorsed_on", errors, "SMG endorsed it")
    _check_written_evidence(dispute, data, errors)
    return errors


def _step_sign_off(dispute: Dispute, data: dict) -> Problems:
    errors: Problems = {}
    if dispute.completion_report_on is None:
        return {GENERAL: "The completion report must be recorded before SMG signs it off."}
    if _endorsed(dispute, EndorsementKind.SIGN_OFF, Stage.STAGE_4):
        return {GENERAL: "SMG has already signed off the completion report."}
    _check_date(
        dispute,
        data,
        "endorsed_on",
        errors,
        "SMG signed it off",
        not_before=(dispute.completion_report_on, "the report"),
    )
    _check_written_evidence(dispute, data, errors)
    return errors


def _step_note(dispute: Dispute, data: dict) -> Problems:
    errors: Problems = {}
    _check_text(data, "notes", errors, "Enter the note.")
    return errors


def _step_correction(dispute: Dispute, data: dict) -> Problems:
    errors: Problems = {}
    corrects = data.get("corrects")
    if corrects is None or corrects.dispute_id != dispute.pk:
        errors["corrects"] = "Select the entry of this dispute's timeline that is corrected."
    _check_text(data, "notes", errors, "Say what was wrong and what is right.")
    return errors


@dataclass(frozen=True)
class Step:
    label: str
    stages: tuple[str, ...]
    who: str
    guard: Callable[[Dispute, dict], Problems]
    event_kind: str


_ANY_OPEN = OPEN_STAGES


_FORMAL = tuple(s for s in OPEN_STAGES if s != Stage.INFORMAL)


#: step -> where it may be taken, by whom, and its guard.
STEPS: dict[str, Step] = {
    "pdm_told": Step(
        "Policy development manager told",
        (Stage.INFORMAL,),
        OFFICER,
        _step_pdm_told,
        EventKind.PDM_TOLD,
    ),
    "smg_briefed": Step(
        "SMG briefed", (Stage.INFORMAL,), OFFICER, _step_smg_briefed, EventKind.SMG_BRIEFED
    ),
    "concern_in_writing": Step(
        "Concern put in writing",
        (Stage.INFORMAL,),
        OFFICER,
        _step_concern_in_writing,
        EventKind.CONCERN_IN_WRITING,
    ),
    "approach_agreed": Step(
        "Approach agreed",
        (Stage.INFORMAL,),
        OFFICER,
        _step_approach_agreed,
        EventKind.APPROACH_AGREED,
    ),
    "smg_informed": Step(
        "SMG kept informed", _ANY_OPEN, OFFICER, _step_smg_informed, EventKind.SMG_INFORMED
    ),
    "informal_outcome": Step(
        "Informal route outcome",
        (Stage.INFORMAL,),
        OFFICER,
        _step_informal_outcome,
        EventKind.INFORMAL_OUTCOME,
    ),
    "action_add": Step(
        "Action added",
        (Stage.INFORMAL, Stage.STAGE_4),
        OFFICER,
        _step_action_add,
        EventKind.ACTION_ADDED,
    ),
    "receipt_confirmed": Step(
        "Receipt confirmed",
        (Stage.STAGE_2,),
        OFFICER,
        _step_receipt_confirmed,
        EventKind.RECEIPT_CONFIRMED,
    ),
    "completion_report": Step(
        "Completion report",
        (Stage.STAGE_4,),
        OFFICER,
        _step_completion_report,
        EventKind.COMPLETION_REPORT,
    ),
    "provider_informed": Step(
        "Provider sent the report",
        (Stage.STAGE_4,),
        OFFICER,
        _step_provider_informed,
        EventKind.PROVIDER_INFORMED,
    ),
    "mediation_ended": Step(
        "Mediation ended without settlement",
        (Stage.STAGE_5,),
        OFFICER,
        _step_mediation_ended,
        EventKind.MEDIATION_ENDED,
    ),
    "settlement": Step(
        "Settlement", (Stage.STAGE_5,), OFFICER, _step_settlement, EventKind.SETTLEMENT
    ),
    "award": Step(
        "Arbitration award", (Stage.STAGE_6,), OFFICER, _step_award, EventKind.ARBITRATION_AWARD
    ),
    "judgment": Step("Judgment", (Stage.STAGE_7,), OFFICER, _step_judgment, EventKind.JUDGMENT),
    "termination": Step(
        "Termination", _ANY_OPEN, OFFICER, _step_termination, EventKind.TERMINATION
    ),
    "endorse_skip": Step(
        "SMG endorsement to skip stages",
        tuple(s for s in OPEN_STAGES if s not in (Stage.STAGE_6, Stage.STAGE_7)),
        SMG,
        _step_endorse_skip,
        EventKind.ENDORSEMENT,
    ),
    "endorse_outcome": Step(
        "SMG endorsement of the outcome",
        _FORMAL,
        SMG,
        _step_endorse_outcome,
        EventKind.ENDORSEMENT,
    ),
    "sign_off": Step(
        "SMG sign-off of the completion report",
        (Stage.STAGE_4,),
        SMG,
        _step_sign_off,
        EventKind.ENDORSEMENT,
    ),
    "note": Step("Note", tuple(Stage), ANYONE, _step_note, EventKind.NOTE),
    "correction": Step("Correction", tuple(Stage), ANYONE, _step_correction, EventKind.CORRECTION),
}


def available_steps(dispute: Dispute) -> list[str]:
    return [name for name, step in STEPS.items() if dispute.stage in step.stages]
