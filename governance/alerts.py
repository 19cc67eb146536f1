"""What governance offers the daily sweep: actions coming due and overdue (to their
owners), and contract monitoring meetings still to be scheduled this quarter (to the
lead officer). Each provider runs one query whatever the number of records."""

import datetime
from collections.abc import Iterator

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from contracts.register.choices import ContractStatus
from contracts.register.models.contracts import Contract
from governance import overall_status
from governance.choices import MeetingKind, MeetingStatus
from governance.core.alerting import AlertSpec
from governance.core.dates import add_business_days, financial_quarter, quarter_bounds
from governance.healthcheck_alerts import PROVIDERS as HEALTH_CHECK_PROVIDERS
from governance.models import Action, ContactLogEntry, Meeting
from governance.services.contactlog import follow_ups_overdue
from governance.services.meetings import OPEN_ACTION_STATUSES

#: Owners hear of an action this many business days before it is due.
ACTION_DUE_WARNING_BUSINESS_DAYS = 3


def _on(day: datetime.date) -> str:
    return f"{day:%A %-d %B %Y}"


def _action_context(action: Action) -> str:
    return f" on {action.contract.reference}" if action.contract_id else ""


def _open_actions():
    return Action.objects.filter(status__in=OPEN_ACTION_STATUSES, owner__is_active=True)


def actions_due_soon(today: datetime.date) -> Iterator[AlertSpec]:
    """Open actions due within the next 3 business days (or today)."""
    horizon = add_business_days(today, ACTION_DUE_WARNING_BUSINESS_DAYS)
    due = (
        _open_actions()
        .filter(due_on__gte=today, due_on__lte=horizon)
        .select_related("owner", "contract")
        .order_by("due_on", "pk")
    )
    for action in due.iterator(chunk_size=500):
        yield AlertSpec(
            key=f"action-due:{action.pk}:{action.due_on.isoformat()}",
            kind="action_due",
            subject=f"Action due {'today' if action.due_on == today else _on(action.due_on)}"
            f"{_action_context(action)}",
            body=(
                f"Your action{_action_context(action)} is due on {_on(action.due_on)}:\n\n"
                f"{action.description}\n\nUpdate its progress, or record its outcome once it "
                "is done."
            ),
            url=action.get_absolute_url(),
            users=(action.owner,),
        )


def actions_overdue(today: datetime.date) -> Iterator[AlertSpec]:
    """Open actions whose due date has passed: from the day after it."""
    overdue = (
        _open_actions()
        .filter(due_on__lt=today)
        .select_related("owner", "contract")
        .order_by("due_on", "pk")
    )
    for action in overdue.iterator(chunk_size=500):
        yield AlertSpec(
            key=f"action-overdue:{action.pk}:{action.due_on.isoformat()}",
            kind="action_overdue",
            subject=f"Action overdue{_action_context(action)}",
            body=(
                f"Your action{_action_context(action)} was due on {_on(action.due_on)} and "
                f"is still {action.get_status_display().lower()}:\n\n{action.description}\n\n"
                "Record its outcome, or agree a new due date with the contract's lead officer."
            ),
            url=action.get_absolute_url(),
            users=(action.owner,),
        )


def monitoring_meetings_to_schedule(today: datetime.date) -> Iterator[AlertSpec]:
    """Active contracts with no contract monitoring meeting (scheduled or held) in the
    current financial quarter: the lead officer is told once per quarter."""
    year, quarter = financial_quarter(today)
    first, last = quarter_bounds(year, quarter)
    zone = timezone.get_current_timezone()
    starts = datetime.datetime.combine(first, datetime.time.min, tzinfo=zone)
    ends = datetime.datetime.combine(
        last + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    in_quarter = Meeting.objects.filter(
        contract=OuterRef("pk"),
        kind=MeetingKind.MONITORING,
        starts_at__gte=starts,
        starts_at__lt=ends,
    ).exclude(status=MeetingStatus.CANCELLED)
    contracts = (
        Contract.objects.filter(
            status=ContractStatus.ACTIVE, lead_officer__isnull=False, start_date__lte=today
        )
        .exclude(Exists(in_quarter))
        .select_related("lead_officer")
        .order_by("pk")
    )
    label = f"Q{quarter} {year}-{(year + 1) % 100:02d}"
    for contract in contracts.iterator(chunk_size=500):
        yield AlertSpec(
            key=f"meeting-to-schedule:{contract.pk}:{year}-Q{quarter}",
            kind="meeting_to_schedule",
            subject=f"Schedule the {label} contract monitoring meeting for {contract.reference}",
            body=(
                f"{contract} has no contract monitoring meeting scheduled for {label} "
                f"({first:%-d %B} to {last:%-d %B %Y}). Schedule one with the provider."
            ),
            url=reverse("governance:contract_meetings", args=[contract.pk]),
            users=(contract.lead_officer,),
        )


def contact_follow_ups_overdue(today: datetime.date) -> Iterator[AlertSpec]:
    """Concerns raised by phone, video, in person or in a meeting not in the meetings log
    with no written follow-up 2 business days after the contact: the entry's author is
    told once (the contract's lead officer, if the author has left)."""
    entries = follow_ups_overdue(ContactLogEntry.objects.all(), today).select_related(
        "contract", "contract__provider", "contract__lead_officer", "recorded_by"
    )
    for entry in entries.order_by("occurred_at", "pk").iterator(chunk_size=500):
        due = entry.follow_up_due_on
        author = entry.recorded_by
        told = author if author.is_active else entry.contract.lead_officer
        subject = f"Written follow-up overdue: {entry.contract.reference}, {entry.subject}"
        yield AlertSpec(
            key=f"contact-follow-up-overdue:{entry.pk}:{due.isoformat()}",
            kind="contact_follow_up_overdue",
            subject=subject[:200],
            body=(
                f"A concern was raised with {entry.contract.provider} by "
                f"{entry.get_channel_display().lower()} on {_on(entry.occurred_on)} "
                f"({entry.reference}: {entry.subject}). A written summary should have gone to "
                f"the provider by {_on(due)}, and none is recorded.\n\nSend it, then record "
                "the date it went or the e-mail or letter in the contact log."
            ),
            url=entry.get_absolute_url(),
            users=(told,) if told is not None else (),
        )


PROVIDERS = [
    actions_due_soon,
    actions_overdue,
    monitoring_meetings_to_schedule,
    contact_follow_ups_overdue,
    *HEALTH_CHECK_PROVIDERS,
]


def overall_statuses(today: datetime.date) -> dict[str, int]:
    """Every contract's stored overall status, worked out again for today: a return
    falls overdue or a deadline passes with no one saving anything."""
    return {"overall statuses": overall_status.refresh_all(today)}


#: Statuses are worked out once, at the end, for every contract: not again for each
#: contract whose periods the sweep opens.
AROUND = [overall_status.deferred]
FINISH = [overall_statuses]
