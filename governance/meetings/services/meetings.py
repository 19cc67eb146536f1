"""Meetings, the decisions raised in them, and actions from any source.

A contract's lead or deputy officer schedules its meetings, records their minutes and
the decisions and actions that come out of them. Whoever owns an action keeps its
progress and outcome up to date. Every rule a user can trip over raises a
ValidationError whose sentence says what is wrong and what to do; nothing is saved
when one is raised.
"""

import copy
import datetime
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from contracts.assurance.choices import AuditStatus, ComplaintCategory
from contracts.assurance.models.audits import Audit, Complaint
from contracts.assurance.models.slas import ImprovementPlanItem
from contracts.register.choices import ContractStatus
from contracts.register.models.contracts import Contract
from governance.core.permissions import officer_may, permission_name, require_officer
from governance.core.services import record_save, record_update
from governance.core.services.many_to_many import (
    record_save_with_links,
    record_update_with_links,
)
from governance.meetings.choices import (
    ActionSource,
    ActionStatus,
    DecisionStatus,
    MeetingKind,
    MeetingStatus,
)
from governance.meetings.models import Action, Decision, Meeting
from governance.meetings.services.decisions import may_decide_at

STRATEGIC_KINDS = (MeetingKind.SIX_MONTHLY, MeetingKind.ANNUAL)
OPEN_ACTION_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
#: Actions whose due date still has to be met.
ACTION_OPEN = Q(status__in=OPEN_ACTION_STATUSES)

#: Meetings are held while a contract is being set up, runs, or is in exit.
MEETING_CONTRACT_STATUSES = (ContractStatus.DRAFT, ContractStatus.ACTIVE, ContractStatus.IN_EXIT)

DUE_BEFORE_RAISED = "The due date cannot be before the date the action was raised."
NO_CHAIR = "Name who chairs the meeting."

# -- Agendas ------------------------------------------------------------------------------

_MONITORING_AGENDA = [
    "Performance report: results against the agreed indicators this quarter",
    "Financial report: budget, spend, payments and any variance",
    "Actions from the last meeting: progress and anything overdue",
    "Issues and risks raised by either party",
    "Any other business",
]

_STRATEGIC_AGENDA = [
    "Review of the risk log: new, changed and closed risks",
    "Overview of complaints received since the last strategic meeting",
    "Action and improvement plans: progress and what is still to do",
    "Future service development: needs, demand and changes to consider",
    "Any other business",
]

AGENDA_TEMPLATES: dict[str, list[str]] = {
    MeetingKind.MONITORING: _MONITORING_AGENDA,
    MeetingKind.SIX_MONTHLY: _STRATEGIC_AGENDA,
    MeetingKind.ANNUAL: [
        "The year in review: performance, value for money and the relationship",
        *_STRATEGIC_AGENDA,
    ],
}

#: What every strategic meeting's agenda covers: (how it is named to a user, words one
#: line of the agenda must contain). Words rather than exact lines, so an officer can
#: reword an item without being refused.
STRATEGIC_AGENDA_ITEMS = [
    ("a review of the risk log", ("risk log",)),
    ("an overview of complaints received", ("complaint",)),
    ("action and improvement plans", ("action", "improvement")),
    ("future service development", ("service development",)),
]


def default_agenda(kind: str) -> str:
    return "\n".join(AGENDA_TEMPLATES.get(kind, []))


def agenda_lines(agenda: str) -> list[str]:
    return [line.strip() for line in agenda.splitlines() if line.strip()]


def missing_agenda_items(kind: str, agenda: str) -> list[str]:
    """The items a strategic meeting must cover that ``agenda`` leaves out."""
    if kind not in STRATEGIC_KINDS:
        return []
    lines = [line.casefold() for line in agenda_lines(agenda)]
    return [
        label
        for label, words in STRATEGIC_AGENDA_ITEMS
        if not any(all(word in line for word in words) for line in lines)
    ]


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


# -- Who may do what ----------------------------------------------------------------------


def _today() -> datetime.date:
    return timezone.localdate()


def _holds(actor, model: type[models.Model], action: str) -> bool:
    return actor.has_perm(permission_name(model, action))


def _check_commissioner_user(user, field: str, errors: dict, role: str) -> None:
    if user is None:
        return
    if not user.is_active:
        errors[field] = f"{user} no longer has an account in use."
    elif user.is_provider_user:
        errors[field] = f"The {role} must be one of the commissioner's staff."


def _check_provider_contacts(contract: Contract, contacts, errors: dict) -> None:
    strangers = [c.name for c in contacts if c.organisation_id != contract.provider_id]
    if strangers:
        verb = "is not a contact" if len(strangers) == 1 else "are not contacts"
        errors["provider_attendees"] = f"{_join(strangers)} {verb} at {contract.provider}."


def _raise_if(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


# -- Meetings -----------------------------------------------------------------------------

MEETING_FIELDS = ("kind", "starts_at", "location", "chair", "note_taker", "agenda")
MEETING_M2M = ("attendees", "provider_attendees")


def _validate_meeting(meeting: Meeting, provider_attendees, errors: dict) -> None:
    contract = meeting.contract
    if meeting.chair_id is None:
        errors["chair"] = NO_CHAIR
    else:
        _check_commissioner_user(meeting.chair, "chair", errors, "chair")
    _check_commissioner_user(meeting.note_taker, "note_taker", errors, "note-taker")
    if meeting.starts_at is None:
        errors["starts_at"] = "Enter the date and time of the meeting."
    if not meeting.kind:
        errors["kind"] = "Select the kind of meeting."
    if not meeting.agenda.strip():
        errors.setdefault("agenda", "Enter the agenda, one item per line.")
    missing = missing_agenda_items(meeting.kind, meeting.agenda)
    if missing:
        errors["agenda"] = (
            f"A strategic meeting's agenda must include {_join(missing)}: add "
            f"{'it' if len(missing) == 1 else 'them'} to the agenda."
        )
    _check_provider_contacts(contract, provider_attendees, errors)
    try:
        meeting.full_clean(exclude=[*errors, "contract", "chair"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, messages)
    _raise_if(errors)


@transaction.atomic
def meeting_schedule(
    *,
    contract: Contract,
    actor,
    kind: str,
    starts_at: datetime.datetime,
    chair=None,
    location: str = "",
    note_taker=None,
    agenda: str = "",
    attendees: Iterable = (),
    provider_attendees: Iterable = (),
    reason: str = "",
) -> Meeting:
    """Schedule a meeting of the contract. The lead officer chairs unless someone else is
    named; a blank agenda is filled from the standard agenda for the kind of meeting."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    require_officer(
        actor,
        contract,
        Meeting,
        "add",
        "Only the contract's lead or deputy officer can schedule its meetings.",
    )
    if contract.status not in MEETING_CONTRACT_STATUSES:
        raise ValidationError(
            f"The contract is {contract.get_status_display().lower()}: no more meetings "
            "can be scheduled for it."
        )
    attendees, provider_attendees = list(attendees or ()), list(provider_attendees or ())
    meeting = Meeting(
        contract=contract,
        kind=kind or "",
        starts_at=starts_at,
        chair=chair or contract.lead_officer,
        location=(location or "").strip(),
        note_taker=note_taker,
        agenda=(agenda or "").strip() or default_agenda(kind),
    )
    _validate_meeting(meeting, provider_attendees, {})
    return record_save_with_links(
        instance=meeting,
        links={"attendees": attendees, "provider_attendees": provider_attendees},
        actor=actor,
        reason=reason or "Meeting scheduled",
    )


def _meeting_for_update(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("contract")
        .get(pk=meeting.pk)
    )


def _meeting_officer_may(
    meeting: Meeting, actor, to: str, model=Meeting, action: str = "change"
) -> Meeting:
    """The meeting, locked, once the actor is found to be one of its contract's officers
    (refused otherwise: "Only the contract's lead or deputy officer can ``to``.")."""
    meeting = _meeting_for_update(meeting)
    require_officer(
        actor,
        meeting.contract,
        model,
        action,
        f"Only the contract's lead or deputy officer can {to}.",
    )
    return meeting


@transaction.atomic
def meeting_update(*, instance: Meeting, actor, reason: str, **fields) -> list[str]:
    """Change a meeting's arrangements. Once held, its kind and date are the record of
    what happened; a cancelled meeting is not changed at all."""
    unknown = set(fields) - {*MEETING_FIELDS, *MEETING_M2M}
    if unknown:
        raise TypeError(f"Unexpected fields: {', '.join(sorted(unknown))}")
    meeting = _meeting_officer_may(instance, actor, "change its meetings")
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError("This meeting was cancelled and can no longer be changed.")
    if meeting.status == MeetingStatus.HELD:
        moved = [
            name
            for name in ("kind", "starts_at")
            if name in fields and fields[name] != getattr(meeting, name)
        ]
        if moved:
            raise ValidationError(
                dict.fromkeys(
                    moved, "The meeting has been held: its kind and date can no longer change."
                )
            )
    m2m = {name: list(fields.pop(name)) for name in MEETING_M2M if name in fields}
    if "chair" in fields and fields["chair"] is None:
        raise ValidationError({"chair": NO_CHAIR})
    if "agenda" in fields:
        fields["agenda"] = (fields["agenda"] or "").strip()
    if "location" in fields:
        fields["location"] = (fields["location"] or "").strip()
    candidate = copy.copy(meeting)
    for name, value in fields.items():
        setattr(candidate, name, value)
    provider_attendees = m2m.get("provider_attendees", list(meeting.provider_attendees.all()))
    _validate_meeting(candidate, provider_attendees, {})
    return record_update_with_links(
        instance=meeting, fields=fields, links=m2m, actor=actor, reason=reason
    )


def _starts_on(meeting: Meeting) -> datetime.date:
    return timezone.localtime(meeting.starts_at).date()


@transaction.atomic
def meeting_record_minutes(
    *, meeting: Meeting, actor, minutes: str, held: bool = True, reason: str = ""
) -> Meeting:
    """Record (or correct) the minutes. ``held`` marks a scheduled meeting as held;
    without it the minutes are kept as a draft and the meeting stays scheduled."""
    meeting = _meeting_officer_may(meeting, actor, "record the minutes of its meetings")
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError("This meeting was cancelled, so it has no minutes.")
    minutes = (minutes or "").strip()
    if not minutes:
        raise ValidationError({"minutes": "Enter the minutes of the meeting."})
    becoming_held = held and meeting.status == MeetingStatus.SCHEDULED
    if becoming_held and meeting.starts_at > timezone.now():
        raise ValidationError(
            f"The meeting is on {_starts_on(meeting):%-d %B %Y}: record it as held once it "
            "has taken place."
        )
    if becoming_held:
        meeting.status = MeetingStatus.HELD
        default = "Minutes recorded: the meeting was held"
    elif meeting.status == MeetingStatus.HELD:
        default = "Minutes corrected"
    else:
        default = "Draft minutes saved"
    meeting.minutes = minutes
    return record_save(instance=meeting, actor=actor, reason=reason or default)


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, actor, reason: str) -> Meeting:
    meeting = _meeting_officer_may(meeting, actor, "cancel its meetings")
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationError(
            f"This meeting is {meeting.get_status_display().lower()}: only a scheduled "
            "meeting can be cancelled."
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": "Give the reason the meeting is cancelled."})
    meeting.status = MeetingStatus.CANCELLED
    return record_save(instance=meeting, actor=actor, reason=f"Cancelled: {reason.strip()}")


def previous_strategic_meeting(meeting: Meeting) -> Meeting | None:
    """The strategic meeting of the same contract held before this one."""
    return (
        Meeting.objects.filter(
            contract_id=meeting.contract_id,
            kind__in=STRATEGIC_KINDS,
            status=MeetingStatus.HELD,
            starts_at__lt=meeting.starts_at,
        )
        .exclude(pk=meeting.pk)
        .order_by("-starts_at")
        .first()
    )


def complaints_overview(meeting: Meeting) -> dict | None:
    """What a strategic meeting reviews of the complaints received since the previous
    strategic meeting of the contract (or since the contract started): how many were
    received, how many of those were closed and upheld by the meeting's date, and how
    many fall in each category. Three queries; None for other kinds of meeting."""
    if meeting.kind not in STRATEGIC_KINDS:
        return None
    previous = previous_strategic_meeting(meeting)
    since = _starts_on(previous) if previous else None
    until = _starts_on(meeting)
    complaints = Complaint.objects.filter(contract_id=meeting.contract_id, received_on__lte=until)
    if since is not None:
        complaints = complaints.filter(received_on__gt=since)
    # Aliases differ from the field names: an aggregate may not shadow a field.
    totals = complaints.aggregate(
        received_count=Count("pk"),
        closed_count=Count("pk", filter=Q(closed_on__lte=until)),
        upheld_count=Count("pk", filter=Q(upheld=True)),
        not_upheld_count=Count("pk", filter=Q(upheld=False)),
    )
    counts = dict(
        complaints.order_by()
        .values_list("category")
        .annotate(n=Count("pk"))
        .values_list("category", "n")
    )
    return {
        **{name.removesuffix("_count"): count for name, count in totals.items()},
        "previous": previous,
        "since": since,
        "until": until,
        "by_category": [
            {"category": label, "count": counts[value]}
            for value, label in ComplaintCategory.choices
            if counts.get(value)
        ],
    }


# -- Decisions ----------------------------------------------------------------------------


@transaction.atomic
def decision_raise(
    *,
    meeting: Meeting,
    actor,
    title: str,
    decision: str,
    rationale: str = "",
    decided_by: str,
    level: str,
    decided_on: datetime.date,
    reason: str = "",
) -> Decision:
    """Record a decision taken in a held meeting; it joins the contract's decision log."""
    meeting = _meeting_officer_may(
        meeting, actor, "record decisions from its meetings", Decision, "add"
    )
    if meeting.status != MeetingStatus.HELD:
        raise ValidationError(
            "Decisions are recorded once the meeting has been held: record its minutes first."
        )
    errors = {}
    for name, value, message in (
        ("title", title, "Enter a short title for the decision."),
        ("decision", decision, "Enter what was decided."),
        ("decided_by", decided_by, "Enter who decided: a person or a body such as SMG."),
        ("level", level, "Select the level at which it was decided."),
    ):
        if not (value or "").strip():
            errors[name] = message
    held_on = _starts_on(meeting)
    if decided_on is None:
        errors["decided_on"] = "Enter the date of the decision."
    elif decided_on > _today():
        errors["decided_on"] = "The date of the decision cannot be in the future."
    elif decided_on < held_on:
        errors["decided_on"] = (
            f"A decision from this meeting cannot be dated before the meeting, {held_on:%-d %B %Y}."
        )
    record = Decision(
        contract=meeting.contract,
        meeting=meeting,
        title=(title or "").strip(),
        decision=(decision or "").strip(),
        rationale=(rationale or "").strip(),
        decided_by=(decided_by or "").strip(),
        level=level or "",
        decided_on=decided_on,
        recorded_by=actor,
    )
    # A decision above the recorder's authority is logged as proposed, for someone
    # holding that level to approve in the decision log.

    if level and not may_decide_at(actor, level, meeting.contract):
        record.status = DecisionStatus.PROPOSED
    try:
        record.full_clean(exclude=list(errors))
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, messages)
    _raise_if(errors)
    return record_save(instance=record, actor=actor, reason=reason or "Decision recorded")


# -- Actions ------------------------------------------------------------------------------

#: The kind of record each source names, where the source is one of this app's.
SOURCE_MODELS: dict[str, type[models.Model]] = {
    ActionSource.MEETING: Meeting,
    ActionSource.AUDIT: Audit,
    ActionSource.IMPROVEMENT_PLAN: ImprovementPlanItem,
}


def source_contract_id(record: models.Model) -> int | None:
    """The contract a source record belongs to."""
    if isinstance(record, ImprovementPlanItem):
        return record.sla.contract_id
    return getattr(record, "contract_id", None)


def _source_kind(record: models.Model) -> str:
    for kind, model in SOURCE_MODELS.items():
        if isinstance(record, model):
            return kind
    return ActionSource.OTHER


def _check_source(source: str, record, contract: Contract | None, errors: dict) -> None:
    expected = SOURCE_MODELS.get(source)
    if record is None:
        if expected is not None:
            errors["source"] = (
                f"Name the {ActionSource(source).label.lower()} the action comes from."
            )
        return
    if expected is not None and not isinstance(record, expected):
        label = ActionSource(source).label.lower()
        article = "an" if label[0] in "aeiou" else "a"
        errors["source"] = f"The record the action comes from is not {article} {label}."
        return
    if contract is not None and source_contract_id(record) != contract.pk:
        errors["source"] = f"{record} belongs to another contract."
    elif isinstance(record, Meeting) and record.status == MeetingStatus.CANCELLED:
        errors["source"] = "The meeting was cancelled, so no actions can come from it."
    elif isinstance(record, Audit) and record.status == AuditStatus.CANCELLED:
        errors["source"] = "The audit was cancelled, so no actions can come from it."


def _check_owner(owner, contract: Contract | None, errors: dict) -> None:
    if owner is None:
        errors["owner"] = "Name who owns the action."
    elif not owner.is_active:
        errors["owner"] = f"{owner} no longer has an account in use."
    elif owner.is_provider_user:
        if contract is None:
            errors["owner"] = (
                "Actions for the whole portfolio are owned by the commissioner's staff."
            )
        elif owner.organisation_id != contract.provider_id:
            errors["owner"] = f"{owner} works for another organisation, not {contract.provider}."


def may_manage_action(actor, action: Action) -> bool:
    """Who may change what an action is, who owns it and when it is due: the
    contract's officers (anyone of the commissioner's staff allowed to change actions,
    for the whole portfolio). Owners update only its progress and outcome."""
    return officer_may(actor, action.contract, Action, "change")


@transaction.atomic
def action_raise(
    *,
    actor,
    owner,
    description: str,
    due_on: datetime.date,
    contract: Contract | None = None,
    source: str | None = None,
    source_record: models.Model | None = None,
    reason: str = "",
) -> Action:
    """Raise an action, from a meeting, an audit, an improvement plan item or anything
    else. The contract follows from the source record when it is not given."""
    if contract is None and source_record is not None:
        contract_id = source_contract_id(source_record)
        contract = Contract.objects.get(pk=contract_id) if contract_id else None
    source = source or _source_kind(source_record)
    require_officer(
        actor,
        contract,
        Action,
        "add",
        "Only the contract's lead or deputy officer can raise actions on this contract."
        if contract is not None
        else "You do not have permission to raise actions.",
    )
    raised_on = _today()
    description = (description or "").strip()
    errors = {}
    if not description:
        errors["description"] = "Describe what has to be done."
    _check_owner(owner, contract, errors)
    if due_on is None:
        errors["due_on"] = "Enter the date the action is due."
    elif due_on < raised_on:
        errors["due_on"] = DUE_BEFORE_RAISED
    if source not in ActionSource.values:
        errors["source"] = "Select where the action comes from."
    else:
        _check_source(source, source_record, contract, errors)
    _raise_if(errors)
    action = Action(
        contract=contract,
        description=description,
        owner=owner,
        raised_on=raised_on,
        due_on=due_on,
        source=source,
    )
    if source_record is not None:
        action.source_type = ContentType.objects.get_for_model(source_record)
        action.source_id = source_record.pk
    return record_save(instance=action, actor=actor, reason=reason or "Action raised")


#: (from, to) pairs an action may move between. Closed actions are reopened first.
ACTION_TRANSITIONS = {
    (ActionStatus.OPEN, ActionStatus.IN_PROGRESS),
    (ActionStatus.OPEN, ActionStatus.DONE),
    (ActionStatus.OPEN, ActionStatus.CANCELLED),
    (ActionStatus.IN_PROGRESS, ActionStatus.OPEN),
    (ActionStatus.IN_PROGRESS, ActionStatus.DONE),
    (ActionStatus.IN_PROGRESS, ActionStatus.CANCELLED),
    (ActionStatus.DONE, ActionStatus.OPEN),
    (ActionStatus.DONE, ActionStatus.IN_PROGRESS),
    (ActionStatus.CANCELLED, ActionStatus.OPEN),
    (ActionStatus.CANCELLED, ActionStatus.IN_PROGRESS),
}

ACTION_FIELDS = ("description", "owner", "due_on", "status", "outcome")
#: What only the contract's officers change; the owner keeps status and outcome.
ACTION_TERMS = ("description", "owner", "due_on")


@transaction.atomic
def action_update(*, instance: Action, actor, reason: str, **fields) -> list[str]:
    """Update an action: its progress and outcome (its owner or the contract's
    officers), or what it is, who owns it and when it is due (the officers)."""
    unknown = set(fields) - set(ACTION_FIELDS)
    if unknown:
        raise TypeError(f"Unexpected fields: {', '.join(sorted(unknown))}")
    action = (
        Action.objects.select_for_update(of=("self",))
        .select_related("contract", "owner")
        .get(pk=instance.pk)
    )
    if not Action.objects.restrict(actor, "change").filter(pk=action.pk).exists():
        raise ValidationError(
            "Only the action's owner or the contract's lead or deputy officer can update it."
        )
    if "description" in fields:
        fields["description"] = (fields["description"] or "").strip()
    if "outcome" in fields:
        fields["outcome"] = (fields["outcome"] or "").strip()
    changing_terms = [
        name
        for name in ACTION_TERMS
        if name in fields
        and (fields[name].pk if isinstance(fields[name], models.Model) else fields[name])
        != getattr(action, "owner_id" if name == "owner" else name)
    ]
    if changing_terms and not may_manage_action(actor, action):
        raise ValidationError(
            "Only the contract's lead or deputy officer can change what the action is, who "
            "owns it or when it is due."
        )
    errors = {}
    if "description" in fields and not fields["description"]:
        errors["description"] = "Describe what has to be done."
    if "owner" in changing_terms:
        _check_owner(fields["owner"], action.contract, errors)
    due_on = fields.get("due_on", action.due_on)
    if due_on is None:
        errors["due_on"] = "Enter the date the action is due."
    elif due_on < action.raised_on:
        errors["due_on"] = DUE_BEFORE_RAISED
    status = fields.get("status") or action.status
    outcome = fields.get("outcome", action.outcome)
    if status != action.status:
        if (action.status, status) not in ACTION_TRANSITIONS:
            errors["status"] = (
                f"This action is {action.get_status_display().lower()}: reopen it before "
                f"marking it {ActionStatus(status).label.lower()}."
                if status in ActionStatus.values
                else "Select the action's status."
            )
        fields["completed_on"] = _today() if status == ActionStatus.DONE else None
    fields["status"] = status
    if status == ActionStatus.DONE and not outcome:
        errors["outcome"] = "Record the outcome before marking the action done."
    _raise_if(errors)
    return record_update(instance=action, fields=fields, actor=actor, reason=reason)


# -- Reads --------------------------------------------------------------------------------


def open_first(queryset: QuerySet[Action]) -> QuerySet[Action]:
    """Open and in-progress actions first, soonest due; then closed ones, latest first."""
    return queryset.annotate(
        closed=Case(
            When(status__in=OPEN_ACTION_STATUSES, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("closed", "due_on", "pk")


def my_actions(user) -> QuerySet[Action]:
    """The user's own actions, whatever their role."""
    return open_first(Action.objects.filter(owner=user).select_related("contract"))


def is_overdue(action: Action, today: datetime.date | None = None) -> bool:
    return action.is_open and action.due_on < (today or _today())


def actions_from(record: models.Model, user) -> QuerySet[Action]:
    """The actions raised from ``record`` (a meeting, an audit, an improvement plan
    item) that ``user`` may see."""
    return (
        Action.objects.restrict(user, "view")
        .filter(source_type=ContentType.objects.get_for_model(record), source_id=record.pk)
        .select_related("owner")
        .order_by("due_on", "pk")
    )
