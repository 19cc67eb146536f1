"""Reads for governance's own lists (decisions, meetings and actions, the contact log):
querysets restricted to what the user may see, with what each page shows joined in."""

from django.db.models import QuerySet

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
