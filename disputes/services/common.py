"""What the dispute services share: who may act, the checks guards are built from,
and writing the timeline."""

import datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone

from contracts.register.choices import ContractStatus
from disputes.choices import EndorsementKind, EventKind, InformalOutcome, Stage
from disputes.models.disputes import Dispute, DisputeEndorsement, DisputeEvent
from governance.contactlog.models import WRITTEN_CHANNELS, ContactLogEntry
from governance.core.duties import different_person_refusal, require_different_person
from governance.core.models.base import Document, DocumentCategory
from governance.core.permissions import officer_may
from governance.core.roles import Role
from governance.core.services import document_upload, record_save
from governance.meetings.choices import ActionSource, MeetingStatus
from governance.meetings.models import Action, Meeting

Problems = dict[str, str]


OFFICER = "officer"


SMG = "smg"


ANYONE = "anyone"  # the contract's officers or SMG


#: Contracts a dispute may be raised on.
DISPUTE_CONTRACT_STATUSES = (ContractStatus.ACTIVE, ContractStatus.IN_EXIT)


GENERAL = NON_FIELD_ERRORS


def _today() -> datetime.date:
    return timezone.localdate()


def _on(day: datetime.date) -> str:
    return f"{day:%-d %B %Y}"


def _short(text: str, limit: int = 100) -> str:
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def _sentence_case(text: str) -> str:
    """ "Agreed by..." within a sentence: only the first letter is lowered, so names
    such as the Law Society keep their capitals."""
    return text[:1].lower() + text[1:]


def _raise_if(errors: Problems) -> None:
    if errors:
        raise ValidationError(errors)


def is_officer(actor, dispute: Dispute) -> bool:
    """The contract's lead or deputy officer, holding the permission to run disputes."""
    return officer_may(actor, dispute.contract, Dispute, "change")


def is_smg(actor) -> bool:
    return (
        actor.is_active
        and actor.has_role(Role.SMG)
        and actor.has_perm("disputes.add_disputeendorsement")
    )


def _check_actor(who: str, actor, dispute: Dispute) -> None:
    if who == SMG and not is_smg(actor):
        raise ValidationError(
            "Only a member of the Senior Management Group can record this decision."
        )
    if who == OFFICER and not is_officer(actor, dispute):
        raise ValidationError("Only the contract's lead or deputy officer can run this dispute.")
    if who == ANYONE and not (is_officer(actor, dispute) or is_smg(actor)):
        raise ValidationError(
            "Only the contract's lead or deputy officer or a member of the Senior "
            "Management Group can add to this dispute's timeline."
        )


def _check_date(
    dispute: Dispute,
    data: dict,
    field: str,
    errors: Problems,
    what: str,
    *,
    not_before: tuple[datetime.date | None, str] | None = None,
) -> datetime.date | None:
    """``data[field]`` is a date that has happened, not before the dispute was raised
    (or ``not_before``)."""
    day = data.get(field)
    if day is None:
        errors[field] = f"Enter the date {what}."
        return None
    if day > _today():
        errors[field] = f"The date {what} cannot be in the future."
        return None
    if day < dispute.raised_on:
        errors[field] = (
            f"The date {what} cannot be before the dispute was raised, on {_on(dispute.raised_on)}."
        )
        return None
    if not_before and not_before[0] and day < not_before[0]:
        errors[field] = f"The date {what} cannot be before {not_before[1]}, {_on(not_before[0])}."
        return None
    return day


def _check_text(data: dict, field: str, errors: Problems, message: str) -> str:
    text = (data.get(field) or "").strip()
    if not text:
        errors[field] = message
    return text


def _written_entry_problem(entry: ContactLogEntry | None, dispute: Dispute) -> str:
    """Why a contact log entry is not a written record of what was said (or "")."""
    if entry is None:
        return ""
    if entry.contract_id != dispute.contract_id:
        return f"{entry.reference} is on another contract's contact log."
    if entry.channel in WRITTEN_CHANNELS:
        return ""
    if entry.meeting_id and entry.meeting.minutes.strip():
        return ""
    return (
        f"{entry.reference} was a {entry.get_channel_display().lower()}: something said "
        "only out loud is not in writing. Link the email or letter, or the minutes of "
        "the meeting."
    )


def _minuted_meeting_problem(meeting: Meeting | None, dispute: Dispute) -> str:
    if meeting is None:
        return ""
    if meeting.contract_id != dispute.contract_id:
        return f"{meeting} is another contract's meeting."
    if meeting.status != MeetingStatus.HELD or not meeting.minutes.strip():
        return f"{meeting} has no minutes recorded yet: record them first."
    return ""


def _check_written_record(
    dispute: Dispute, data: dict, errors: Problems, entry_field: str, meeting_field: str
) -> tuple:
    """The contact log entry (``data[entry_field]``) and the meeting (``data[meeting_field]``)
    given as the written record: each, when given, must be one. Returns them."""
    entry, meeting = data.get(entry_field), data.get(meeting_field)
    problem = _written_entry_problem(entry, dispute)
    if problem:
        errors[entry_field] = problem
    problem = _minuted_meeting_problem(meeting, dispute)
    if problem:
        errors[meeting_field] = problem
    return entry, meeting


def _check_written_evidence(dispute: Dispute, data: dict, errors: Problems) -> None:
    """SMG's decisions are in writing: an email or letter in the contact log, a
    meeting's minutes, or an uploaded document."""
    entry, meeting = _check_written_record(
        dispute, data, errors, "evidence_entry", "evidence_meeting"
    )
    if not (entry or meeting or data.get("upload")):
        errors[GENERAL] = (
            "Give the written evidence of the decision: the email or letter in the "
            "contact log, the minutes of the meeting, or upload the document."
        )


def _endorsed(dispute: Dispute, kind: str, stage: str) -> bool:
    return dispute.endorsements.filter(kind=kind, target_stage=stage).exists()


def plan_actions(dispute: Dispute):
    return Action.objects.filter(
        source=ActionSource.DISPUTE,
        source_type__app_label="disputes",
        source_type__model="dispute",
        source_id=dispute.pk,
    )


def _lock(dispute: Dispute) -> Dispute:
    return (
        Dispute.objects.select_for_update(of=("self",))
        .select_related("contract")
        .get(pk=dispute.pk)
    )


def _upload(dispute: Dispute, upload, title: str, actor) -> Document | None:
    if upload is None:
        return None
    try:
        return document_upload(
            attached_to=dispute,
            upload=upload,
            title=title or upload.name,
            category=DocumentCategory.EVIDENCE,
            actor=actor,
        )
    except ValidationError as exc:
        # Shown by the form's file field, which is called "upload" here.
        raise ValidationError({"upload": exc.message_dict.get("file", exc.messages)}) from exc


def _write_event(dispute: Dispute, actor, *, kind: str, notes: str = "", **details) -> DisputeEvent:
    prefix = details.pop("notes_prefix", "") or ""
    notes = "\n\n".join(part for part in (prefix, (notes or "").strip()) if part)
    event = DisputeEvent(
        dispute=dispute,
        kind=kind,
        recorded_by=actor,
        notes=notes,
        summary=_short(details.pop("summary"), 300),
        **details,
    )
    event.full_clean()
    event.save()
    return event


def _save_endorsement(
    dispute: Dispute, kind: str, stage: str, data: dict, actor, document
) -> DisputeEndorsement:
    endorsement = DisputeEndorsement(
        dispute=dispute,
        kind=kind,
        target_stage=stage,
        endorsed_on=data["endorsed_on"],
        endorsed_by=actor,
        evidence_entry=data.get("evidence_entry"),
        evidence_meeting=data.get("evidence_meeting"),
        evidence_document=document,
        notes=(data.get("notes") or "").strip(),
    )
    return record_save(
        instance=endorsement, actor=actor, reason=f"{endorsement.get_kind_display()} recorded"
    )


# -- Who asked for an endorsement --------------------------------------------------------------
# SMG endorses what someone else put forward: whoever asked for an endorsement, or
# recorded the step it endorses, does not give it (``governance.duties``).


def _last_recorder(dispute: Dispute, kind: str, **filters) -> int | None:
    return (
        dispute.events.filter(kind=kind, **filters)
        .order_by("-recorded_at", "-pk")
        .values_list("recorded_by_id", flat=True)
        .first()
    )


def endorsement_requesters(dispute: Dispute, kind: str) -> list[tuple[int | None, str]]:
    """(person, what they did) for everyone who asked for an endorsement of ``kind`` at
    the dispute's current stage, or recorded what it endorses."""
    if kind == EndorsementKind.ESCALATION:
        if dispute.informal_outcome == InformalOutcome.ESCALATE:
            recorder = _last_recorder(dispute, EventKind.INFORMAL_OUTCOME)
            return [(recorder, "recorded the recommendation to escalate this dispute")]
        return [(dispute.raised_by_id, "raised this dispute")]
    if kind == EndorsementKind.SKIP:
        assessor = (
            dispute.assessments.order_by("-assessed_on", "-pk")
            .values_list("assessed_by_id", flat=True)
            .first()
        )
        return [
            (dispute.raised_by_id, "raised this dispute"),
            (assessor, "assessed this dispute as significant"),
        ]
    if kind == EndorsementKind.OUTCOME:
        entered = _last_recorder(dispute, EventKind.STAGE_CHANGE, stage_to=dispute.stage)
        if dispute.stage == Stage.STAGE_3:
            return [(entered, "recorded the dispute meeting's outcome")]
        return [(entered, f"moved this dispute to {dispute.get_stage_display().lower()}")]
    if kind == EndorsementKind.SIGN_OFF:
        return [
            (
                _last_recorder(dispute, EventKind.COMPLETION_REPORT),
                "recorded the action plan's completion report",
            )
        ]
    return []


_ENDORSE = {
    EndorsementKind.ESCALATION: "agree to the formal procedure",
    EndorsementKind.SKIP: "endorse skipping stages",
    EndorsementKind.OUTCOME: "endorse the outcome",
    EndorsementKind.SIGN_OFF: "sign off the completion report",
}


def endorsement_refusal(dispute: Dispute, kind: str, actor) -> str:
    """Why ``actor`` may not give this endorsement ("" when they may)."""
    for person, did in endorsement_requesters(dispute, kind):
        refusal = different_person_refusal(
            actor=actor, proposer=person, did=did, step=_ENDORSE[kind]
        )
        if refusal:
            return refusal
    return ""


def _check_endorser(dispute: Dispute, kind: str, actor) -> None:
    for person, did in endorsement_requesters(dispute, kind):
        require_different_person(actor=actor, proposer=person, did=did, step=_ENDORSE[kind])
