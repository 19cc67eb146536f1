"""Reads for governance's own lists (decisions, meetings and actions, the contact log):
querysets restricted to what the user may see, with what each page shows joined in."""

from django.db.models import QuerySet

from governance.core.ical import Occasion
from governance.meetings.choices import MeetingStatus
from governance.meetings.models import Action, Decision, Meeting


def decision_list(user) -> QuerySet[Decision]:
    return Decision.objects.restrict(user, "view").select_related(
        "contract",
        "meeting",
        "meeting__contract",
        "supersedes",
        "superseded_by",
        "recorded_by",
    )


def meeting_list(user) -> QuerySet[Meeting]:
    return Meeting.objects.restrict(user, "view").select_related(
        "contract", "contract__provider", "chair"
    )


def action_list(user) -> QuerySet[Action]:
    return Action.objects.restrict(user, "view").select_related(
        "contract", "contract__provider", "owner"
    )


def meeting_occasion(meeting: Meeting) -> Occasion:
    """The meeting as a calendar entry: its invitation, and its entry in a feed."""
    contract = meeting.contract
    chair = meeting.chair.get_full_name() or meeting.chair.get_username()
    return Occasion(
        key=f"meeting-{meeting.pk}",
        summary=f"{meeting.get_kind_display()}: {contract.reference}",
        starts_at=meeting.starts_at,
        location=meeting.location,
        path=meeting.get_absolute_url(),
        description=(
            f"{meeting.get_kind_display()} for {contract.reference} {contract.title}, "
            f"chaired by {chair}.\n\nAgenda:\n{meeting.agenda}"
        ),
        cancelled=meeting.status == MeetingStatus.CANCELLED,
    )
