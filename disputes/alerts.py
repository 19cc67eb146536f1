"""What the dispute procedure tells people each day: the stage 2 meeting deadline
approaching and missed, receipt of the notice not confirmed, action-plan actions
overdue, and SMG decisions awaited. Recipients are the contract's lead and deputy
officers and the policy development managers, and SMG where SMG must act. Each
provider costs a fixed number of queries."""

import datetime
from collections.abc import Iterator

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from disputes.choices import EndorsementKind, InformalOutcome, Stage
from disputes.models.disputes import Dispute, DisputeEndorsement
from governance.core.alerting import AlertSpec, Urgency
from governance.core.dates import add_business_days
from governance.core.models.base import User
from governance.core.roles import Role
from governance.meetings.choices import ActionSource, ActionStatus
from governance.meetings.models import Action

#: The meeting deadline is "approaching" from this many business days before it.
MEETING_WARNING_BUSINESS_DAYS = 3
#: Receipt of the notice should be confirmed within this many business days.
RECEIPT_BUSINESS_DAYS = 2
#: An SMG decision is chased once this many business days have passed without it.
ENDORSEMENT_BUSINESS_DAYS = 5


def _on(day: datetime.date) -> str:
    return f"{day:%-d %B %Y}"


def _people(role: Role) -> tuple:
    return tuple(User.objects.filter(is_active=True, groups__name=role.label).distinct())


def _recipients(dispute: Dispute, *groups: tuple) -> tuple:
    seen, people = set(), []
    for person in (*dispute.contract.officers, *(p for group in groups for p in group)):
        if person.pk not in seen and person.is_active:
            seen.add(person.pk)
            people.append(person)
    return tuple(people)


def _latest_start_past(today: datetime.date, business_days: int) -> datetime.date:
    """The latest start date whose ``business_days`` are over by ``today``: for a
    start on this day or earlier, ``add_business_days(start, n)`` is before today."""
    day = today - datetime.timedelta(days=1)
    while add_business_days(day, business_days) >= today:
        day -= datetime.timedelta(days=1)
    return day


def _open_disputes():
    return Dispute.objects.open().select_related(
        "contract", "contract__lead_officer", "contract__deputy_officer"
    )


def meeting_deadline_alerts(today: datetime.date) -> Iterator[AlertSpec]:
    """Stage 2: the dispute meeting is due within 10 business days of the notice.
    Approaching from 3 business days before the deadline; missed from the day after."""
    horizon = add_business_days(today, MEETING_WARNING_BUSINESS_DAYS)
    disputes = list(
        _open_disputes()
        .filter(stage=Stage.STAGE_2, meeting_held_on__isnull=True, meeting_deadline__lte=horizon)
        .order_by("meeting_deadline", "pk")
    )
    if not disputes:
        return
    managers = _people(Role.PDM)
    for dispute in disputes:
        deadline = dispute.meeting_deadline
        where = f"{dispute.reference} ({dispute.title}) on {dispute.contract.reference}"
        if deadline < today:
            yield AlertSpec(
                key=f"dispute-meeting-missed:{dispute.pk}:{deadline.isoformat()}",
                kind="dispute_meeting_missed",
                urgency=Urgency.MISSED,
                subject=f"Dispute meeting deadline missed: {dispute.reference}",
                body=f"The dispute meeting for {where} was due by {_on(deadline)}, 10 "
                f"business days after the notice of {_on(dispute.notice_date)}. Record the "
                "meeting, with the reason it was late.",
                url=dispute.get_absolute_url(),
                users=_recipients(dispute, managers),
            )
        else:
            yield AlertSpec(
                key=f"dispute-meeting-due:{dispute.pk}:{deadline.isoformat()}",
                kind="dispute_meeting_due",
                urgency=Urgency.DUE_SOON,
                subject=f"Dispute meeting due by {_on(deadline)}: {dispute.reference}",
                body=f"The dispute meeting for {where} must be held by {_on(deadline)}, 10 "
                f"business days after the notice of {_on(dispute.notice_date)}.",
                url=dispute.get_absolute_url(),
                users=_recipients(dispute, managers),
            )


def receipt_alerts(today: datetime.date) -> Iterator[AlertSpec]:
    """The provider has not confirmed receipt of the notice 2 business days after it."""
    latest_notice = _latest_start_past(today, RECEIPT_BUSINESS_DAYS)
    disputes = list(
        _open_disputes()
        .filter(
            stage=Stage.STAGE_2,
            receipt_confirmed_on__isnull=True,
            notice_date__lte=latest_notice,
        )
        .order_by("notice_date", "pk")
    )
    if not disputes:
        return
    managers = _people(Role.PDM)
    for dispute in disputes:
        yield AlertSpec(
            key=f"dispute-receipt-overdue:{dispute.pk}:{dispute.notice_date.isoformat()}",
            kind="dispute_receipt_overdue",
            urgency=Urgency.MISSED,
            subject=f"Receipt of the notice not confirmed: {dispute.reference}",
            body=f"No confirmation of receipt is recorded for the notice of "
            f"{_on(dispute.notice_date)} on {dispute.reference} ({dispute.title}). Chase the "
            "provider's contract manager and escalation contact, and record it when it comes.",
            url=dispute.get_absolute_url(),
            users=_recipients(dispute, managers),
        )


def action_plan_alerts(today: datetime.date) -> Iterator[AlertSpec]:
    """Open actions of a dispute's action plan past their due date."""
    actions = list(
        Action.objects.filter(
            source=ActionSource.DISPUTE,
            source_type=ContentType.objects.get_for_model(Dispute),
            status__in=(ActionStatus.OPEN, ActionStatus.IN_PROGRESS),
            due_on__lt=today,
        )
        .select_related("owner")
        .order_by("due_on", "pk")
    )
    if not actions:
        return
    disputes = {d.pk: d for d in _open_disputes().filter(pk__in={a.source_id for a in actions})}
    managers = _people(Role.PDM)
    for action in actions:
        dispute = disputes.get(action.source_id)
        if dispute is None:
            continue
        yield AlertSpec(
            key=f"dispute-action-overdue:{action.pk}:{action.due_on.isoformat()}",
            kind="dispute_action_overdue",
            urgency=Urgency.MISSED,
            subject=f"Dispute action overdue: {dispute.reference}",
            body=f"An action of the action plan for {dispute.reference} ({dispute.title}) "
            f"was due on {_on(action.due_on)}: {action.description[:200]} "
            f"(owner {action.owner}).",
            url=dispute.get_absolute_url(),
            users=_recipients(dispute, managers, (action.owner,)),
        )


def endorsement_alerts(today: datetime.date) -> Iterator[AlertSpec]:
    """SMG's decision awaited for more than 5 business days: agreement to the formal
    procedure once escalation is recommended, endorsement of an outcome the dispute
    meeting reached, and sign-off of an action plan's completion report."""
    latest_since = _latest_start_past(today, ENDORSEMENT_BUSINESS_DAYS)
    waiting = Q(
        stage=Stage.INFORMAL,
        informal_outcome=InformalOutcome.ESCALATE,
        informal_outcome_on__lte=latest_since,
    )
    waiting |= Q(stage=Stage.STAGE_3, meeting_resolved=True, meeting_held_on__lte=latest_since)
    waiting |= Q(stage=Stage.STAGE_4, completion_report_on__lte=latest_since)
    disputes = list(_open_disputes().filter(waiting).order_by("pk"))
    if not disputes:
        return
    done = set(
        DisputeEndorsement.objects.filter(dispute__in=disputes).values_list(
            "dispute_id", "kind", "target_stage"
        )
    )
    members, managers = _people(Role.SMG), _people(Role.PDM)
    for dispute in disputes:
        if dispute.stage == Stage.INFORMAL:
            kind, stage, since = EndorsementKind.ESCALATION, Stage.STAGE_1, "escalation"
            day, what = dispute.informal_outcome_on, "agreement to the formal procedure"
        elif dispute.stage == Stage.STAGE_3:
            kind, stage, since = EndorsementKind.OUTCOME, Stage.STAGE_3, "outcome"
            day, what = dispute.meeting_held_on, "endorsement of the dispute meeting's outcome"
        else:
            kind, stage, since = EndorsementKind.SIGN_OFF, Stage.STAGE_4, "sign-off"
            day, what = dispute.completion_report_on, "sign-off of the completion report"
        if (dispute.pk, kind, stage) in done:
            continue
        yield AlertSpec(
            key=f"dispute-smg-awaited:{dispute.pk}:{since}:{day.isoformat()}",
            kind="dispute_smg_awaited",
            urgency=Urgency.MISSED,
            subject=f"SMG decision awaited: {dispute.reference}",
            body=f"SMG's {what} on {dispute.reference} ({dispute.title}, "
            f"{dispute.contract.reference}) has been awaited since {_on(day)}, more than "
            f"{ENDORSEMENT_BUSINESS_DAYS} business days.",
            url=dispute.get_absolute_url(),
            users=_recipients(dispute, managers, members),
        )


PROVIDERS = [meeting_deadline_alerts, receipt_alerts, action_plan_alerts, endorsement_alerts]
