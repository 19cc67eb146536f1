"""The dispute procedure's rules.

Every move of a dispute goes through one of two services: ``dispute_transition`` (from
one stage to another, including closing) and ``dispute_record_step`` (a step within a
stage: the informal route's steps, receipt of the notice, SMG's endorsements, the action
plan, mediation's end, the award, the judgment, termination, notes and corrections).
Both look the move up in one table (``TRANSITIONS`` or ``STEPS``) that names who may
take it and the guards it must pass; a guard returns what is missing, and nothing is
saved while anything is. Every move writes a timeline entry (``DisputeEvent``), which
is never changed afterwards.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone

from contracts.exit.services import termination_notice_record
from disputes.choices import EndorsementKind, EventKind, InformalOutcome, Party, Stage
from disputes.models.disputes import Dispute, meeting_deadline_for
from disputes.services.common import (
    Problems,
    _check_actor,
    _check_endorser,
    _lock,
    _on,
    _raise_if,
    _save_endorsement,
    _sentence_case,
    _short,
    _today,
    _upload,
    _write_event,
)
from disputes.services.guards import STEPS, TRANSITIONS
from governance.core.services import atomic_with_uploads, record_save
from governance.meetings.choices import ActionSource
from governance.meetings.services.meetings import action_raise

#: The steps that are SMG endorsements, with the kind each records.
ENDORSING_STEPS = {
    "endorse_skip": EndorsementKind.SKIP,
    "endorse_outcome": EndorsementKind.OUTCOME,
    "sign_off": EndorsementKind.SIGN_OFF,
}


@dataclass(frozen=True)
class DatedStep:
    """A step that records the day it was taken (``data["on"]``) in ``on_field`` and,
    where named, the text the form gives in ``text`` (stripped) in ``text_field``; the
    timeline entry says ``summary``, its notes led by that text."""

    on_field: str
    summary: str
    text: str = ""
    text_field: str = ""


#: The steps that record only a day, and perhaps a text, on the dispute.
DATED_STEPS = {
    "pdm_told": DatedStep("pdm_told_on", "The policy development manager was told"),
    "approach_agreed": DatedStep(
        "approach_agreed_on",
        "Both sides agreed how to address the concern",
        text="summary",
        text_field="approach_summary",
    ),
    "smg_informed": DatedStep("smg_informed_on", "SMG informed of progress"),
    "receipt_confirmed": DatedStep(
        "receipt_confirmed_on", "The provider confirmed receipt of the notice"
    ),
    "completion_report": DatedStep(
        "completion_report_on",
        "Action plan completion report sent to SMG for sign-off",
        text="report",
        text_field="completion_report",
    ),
    "provider_informed": DatedStep(
        "provider_informed_on", "Completion report sent to the provider"
    ),
    "mediation_ended": DatedStep("mediation_ended_on", "Mediation ended without a settlement"),
    "award": DatedStep(
        "arbitration_award_on",
        "The arbitrator made the award",
        text="summary",
        text_field="arbitration_award",
    ),
    "judgment": DatedStep(
        "judgment_on", "The court gave judgment", text="summary", text_field="judgment"
    ),
}


def _apply_dated_step(dispute: Dispute, step: DatedStep, data: dict) -> dict:
    on = data.get("on")
    setattr(dispute, step.on_field, on)
    event = {"occurred_on": on, "summary": step.summary}
    if step.text_field:
        setattr(dispute, step.text_field, data[step.text].strip())
        event["notes_prefix"] = getattr(dispute, step.text_field)
    return event


def _apply_transition(dispute: Dispute, to: str, data: dict, actor, document) -> dict:
    """Copy the stage's details onto the dispute; return the timeline entry's details."""
    event = {"occurred_on": _today()}
    if to == Stage.STAGE_1:
        endorsement = _save_endorsement(
            dispute, EndorsementKind.ESCALATION, Stage.STAGE_1, data, actor, document
        )
        event.update(
            occurred_on=endorsement.endorsed_on,
            summary=f"SMG agreed to the formal procedure ({endorsement.endorsed_by})",
            contact_entry=endorsement.evidence_entry,
            meeting=endorsement.evidence_meeting,
        )
    elif to == Stage.STAGE_2:
        contract = dispute.contract
        dispute.notice_date = data["notice_date"]
        dispute.notice_entry = data["notice_entry"]
        dispute.notice_to_contract_manager = contract.provider_contract_manager
        dispute.notice_to_escalation_contact = contract.escalation_contact
        dispute.receipt_requested = True
        dispute.meeting_deadline = meeting_deadline_for(dispute.notice_date)
        event.update(
            occurred_on=dispute.notice_date,
            summary=f"Written notice sent to {contract.provider_contract_manager.name} and "
            f"{contract.escalation_contact.name}; meeting requested by "
            f"{_on(dispute.meeting_deadline)}; receipt confirmation requested",
            contact_entry=dispute.notice_entry,
        )
    elif to == Stage.STAGE_3:
        dispute.meeting_held_on = data["meeting_held_on"]
        dispute.dispute_meeting = data.get("dispute_meeting")
        dispute.late_meeting_reason = (data.get("late_meeting_reason") or "").strip()
        dispute.meeting_resolved = bool(data["meeting_resolved"])
        dispute.meeting_outcome = data["meeting_outcome"].strip()
        verdict = "resolved the dispute" if dispute.meeting_resolved else "did not resolve it"
        event.update(
            occurred_on=dispute.meeting_held_on,
            summary=f"Dispute meeting held; it {verdict}",
            meeting=dispute.dispute_meeting,
            notes_prefix=dispute.meeting_outcome,
        )
    elif to == Stage.STAGE_4:
        dispute.action_plan_agreed_on = data["action_plan_agreed_on"]
        event.update(occurred_on=dispute.action_plan_agreed_on, summary="Action plan agreed")
    elif to == Stage.STAGE_5:
        if data.get("action_plan_failed_reason"):
            dispute.action_plan_failed_reason = data["action_plan_failed_reason"].strip()
        dispute.mediator = data["mediator"].strip()
        dispute.mediation_started_on = data["mediation_started_on"]
        event.update(
            occurred_on=dispute.mediation_started_on,
            summary=f"Mediation under the CEDR model procedure, mediator {dispute.mediator}",
            notes_prefix=dispute.action_plan_failed_reason,
        )
    elif to == Stage.STAGE_6:
        dispute.arbitrator = data["arbitrator"].strip()
        dispute.arbitrator_appointment = data["arbitrator_appointment"]
        dispute.arbitrator_appointed_on = data["arbitrator_appointed_on"]
        how = dispute.get_arbitrator_appointment_display()
        event.update(
            occurred_on=dispute.arbitrator_appointed_on,
            summary=f"Arbitrator {dispute.arbitrator} {_sentence_case(how)}",
        )
    elif to == Stage.STAGE_7:
        dispute.litigation_started_on = data["litigation_started_on"]
        dispute.litigation_reason = (data.get("litigation_reason") or "").strip()
        dispute.court_reference = (data.get("court_reference") or "").strip()
        event.update(
            occurred_on=dispute.litigation_started_on,
            summary="Court proceedings issued"
            + (f" ({dispute.court_reference})" if dispute.court_reference else ""),
            notes_prefix=dispute.litigation_reason,
        )
    elif to == Stage.CLOSED:
        dispute.outcome = data["outcome"]
        dispute.outcome_summary = data["outcome_summary"].strip()
        dispute.closed_on = _today()
        dispute.closed_by = actor
        event.update(
            kind=EventKind.CLOSED,
            summary=f"Closed: {dispute.get_outcome_display().lower()}",
            notes_prefix=dispute.outcome_summary,
        )
    return event


@atomic_with_uploads()
def dispute_transition(
    *,
    dispute: Dispute,
    to_stage: str,
    actor,
    notes: str = "",
    upload=None,
    upload_title: str = "",
    **data,
) -> Dispute:
    """Move a dispute to ``to_stage`` with the details that stage needs (``data``).
    Refused, with what is missing, unless the move is in ``TRANSITIONS``, the actor
    is the one it names and every guard passes."""
    dispute = _lock(dispute)
    if not dispute.is_open:
        raise ValidationError(f"{dispute.reference} is closed: it can no longer change.")
    rule = TRANSITIONS.get((dispute.stage, to_stage))
    if rule is None and dispute.stage == to_stage:
        raise ValidationError(f"This dispute is already at {dispute.get_stage_display().lower()}.")
    if rule is None:
        target = Stage(to_stage).label if to_stage in Stage.values else to_stage
        raise ValidationError(
            f"A dispute at {dispute.get_stage_display().lower()} cannot move to "
            f"{str(target).lower()}: stages are taken in order."
        )
    _check_actor(rule.who, actor, dispute)
    if to_stage == Stage.STAGE_1:
        _check_endorser(dispute, EndorsementKind.ESCALATION, actor)
    data = {**data, "upload": upload}
    errors: Problems = {}
    for guard in rule.guards:
        for field, message in guard(dispute, data).items():
            errors.setdefault(field, message)
    _raise_if(errors)
    document = _upload(dispute, upload, upload_title or "Dispute evidence", actor)
    from_stage = dispute.stage
    event = _apply_transition(dispute, to_stage, data, actor, document)
    dispute.stage = to_stage
    dispute.stage_entered_on = _today()
    record_save(
        instance=dispute,
        actor=actor,
        reason=_short(f"{Stage(from_stage).label} to {Stage(to_stage).label}"),
    )
    _write_event(
        dispute,
        actor,
        kind=event.pop("kind", EventKind.STAGE_CHANGE),
        stage_from=from_stage,
        stage_to=to_stage,
        notes=notes,
        document=document,
        **event,
    )
    return dispute


def _apply_step(dispute: Dispute, name: str, data: dict, actor, document) -> dict:
    """Record the step on the dispute; return the timeline entry's details."""
    if name in DATED_STEPS:
        return _apply_dated_step(dispute, DATED_STEPS[name], data)
    on = data.get("on")
    if name == "smg_briefed":
        dispute.smg_briefed_on = on
        dispute.smg_informed_on = on
        return {"occurred_on": on, "summary": "SMG briefed by the policy development manager"}
    if name == "concern_in_writing":
        entry, meeting = data.get("contact_entry"), data.get("meeting")
        dispute.concern_entry, dispute.concern_meeting = entry, meeting
        day = entry.occurred_on if entry else timezone.localtime(meeting.starts_at).date()
        dispute.concern_put_on = day
        if entry is not None:
            dispute.contact_entries.add(entry)
        return {
            "occurred_on": day,
            "summary": f"Concern put to the provider in writing ({entry or meeting})",
            "contact_entry": entry,
            "meeting": meeting,
        }
    if name == "informal_outcome":
        dispute.informal_outcome = data["outcome"]
        dispute.informal_outcome_on = on
        if data["outcome"] == InformalOutcome.ESCALATE:
            dispute.escalation_recommended_by = data["recommended_by"]
            summary = (
                f"Formal escalation recommended by {Party(data['recommended_by']).label.lower()}"
            )
        else:
            summary = "Resolved through the informal route"
        return {"occurred_on": on, "summary": summary}
    if name == "action_add":
        action = action_raise(
            actor=actor,
            owner=data.get("owner"),
            description=data.get("description", ""),
            due_on=data.get("due_on"),
            contract=dispute.contract,
            source=ActionSource.DISPUTE,
            source_record=dispute,
            reason=f"Action for {dispute.reference}",
        )
        return {
            "occurred_on": action.raised_on,
            "summary": f"Action for {action.owner}, due {_on(action.due_on)}: "
            f"{_short(action.description, 150)}",
        }
    if name == "settlement":
        dispute.settlement_terms = data["terms"].strip()
        dispute.settlement_signed_commissioner_on = data["signed_commissioner_on"]
        dispute.settlement_signed_provider_on = data["signed_provider_on"]
        dispute.mediation_ended_on = max(
            dispute.settlement_signed_commissioner_on, dispute.settlement_signed_provider_on
        )
        return {
            "occurred_on": dispute.mediation_ended_on,
            "summary": "Written settlement signed by both parties",
            "notes_prefix": dispute.settlement_terms,
        }
    if name == "termination":
        notice = termination_notice_record(
            contract=dispute.contract,
            actor=actor,
            extent=data["extent"],
            reason=data["reason"].strip(),
            notice_date=data["notice_date"],
            effective_date=data["effective_date"],
            served_by=data["served_by"],
            affected=(data.get("affected") or "").strip(),
        )
        dispute.termination_notice = notice
        dispute.termination_recorded_on = notice.notice_date
        return {
            "occurred_on": notice.notice_date,
            "summary": f"Termination notice ({notice.get_extent_display().lower()}) served by "
            f"{Party(notice.served_by).label.lower()}, taking effect "
            f"{_on(notice.effective_date)}",
            "notes_prefix": notice.reason,
        }
    if name in ("endorse_skip", "endorse_outcome", "sign_off"):
        kind, stage = {
            "endorse_skip": (EndorsementKind.SKIP, data.get("target_stage")),
            "endorse_outcome": (EndorsementKind.OUTCOME, dispute.stage),
            "sign_off": (EndorsementKind.SIGN_OFF, Stage.STAGE_4),
        }[name]
        endorsement = _save_endorsement(dispute, kind, stage, data, actor, document)
        summary = endorsement.get_kind_display()
        if kind == EndorsementKind.SKIP:
            summary = f"SMG endorsed going straight to {Stage(stage).label.lower()}"
        return {
            "occurred_on": endorsement.endorsed_on,
            "summary": f"{summary} ({actor})",
            "contact_entry": endorsement.evidence_entry,
            "meeting": endorsement.evidence_meeting,
        }
    if name == "note":
        return {"occurred_on": _today(), "summary": "Note added"}
    if name == "correction":
        corrects = data["corrects"]
        return {
            "occurred_on": _today(),
            "summary": f"Correction to the entry of {_on(corrects.occurred_on)}: "
            f"{_short(corrects.summary, 150)}",
            "corrects": corrects,
        }
    raise ValueError(f"Unknown step {name!r}")


@atomic_with_uploads()
def dispute_record_step(
    *,
    dispute: Dispute,
    step: str,
    actor,
    notes: str = "",
    upload=None,
    upload_title: str = "",
    **data,
) -> Dispute:
    """Record a step within the dispute's current stage (see ``STEPS``)."""
    dispute = _lock(dispute)
    rule = STEPS.get(step)
    if rule is None:
        raise ValueError(f"Unknown step {step!r}")
    if dispute.stage not in rule.stages:
        raise ValidationError(
            f"“{rule.label}” cannot be recorded while the dispute is at "
            f"{dispute.get_stage_display().lower()}."
        )
    _check_actor(rule.who, actor, dispute)
    if step in ENDORSING_STEPS:
        _check_endorser(dispute, ENDORSING_STEPS[step], actor)
    data = {**data, "upload": upload, "notes": notes}
    errors = rule.guard(dispute, data)
    _raise_if(errors)
    document = _upload(dispute, upload, upload_title or rule.label, actor)
    event = _apply_step(dispute, step, data, actor, document)
    if step not in ("note", "correction", "action_add") and step not in (
        "endorse_skip",
        "endorse_outcome",
        "sign_off",
    ):
        record_save(instance=dispute, actor=actor, reason=_short(rule.label))
    note_text = "" if step in ("note", "correction") else notes
    if step in ("note", "correction"):
        event["notes_prefix"] = notes.strip()
    _write_event(
        dispute,
        actor,
        kind=rule.event_kind,
        stage_from=dispute.stage,
        stage_to=dispute.stage,
        notes=note_text,
        document=document,
        **event,
    )
    return dispute
