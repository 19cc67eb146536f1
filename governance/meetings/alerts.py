import datetime
from collections.abc import Iterator

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from contracts.register.choices import ContractStatus
from contracts.register.models.contracts import Contract
from governance.core.alerting import AlertSpec, Urgency
from governance.core.dates import add_business_days, financial_quarter, quarter_bounds
from governance.meetings.choices import MeetingKind, MeetingStatus
from governance.meetings.models import Action, Meeting
from governance.meetings.services.meetings import OPEN_ACTION_STATUSES

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
            urgency=Urgency.DUE_SOON,
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
            urgency=Urgency.MISSED,
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
            urgency=Urgency.DUE_SOON,
            subject=f"Schedule the {label} contract monitoring meeting for {contract.reference}",
            body=(
                f"{contract} has no contract monitoring meeting scheduled for {label} "
                f"({first:%-d %B} to {last:%-d %B %Y}). Schedule one with the provider."
            ),
            url=reverse("governance:contract_meetings", args=[contract.pk]),
            users=(contract.lead_officer,),
        )


PROVIDERS = [actions_due_soon, actions_overdue, monitoring_meetings_to_schedule]
