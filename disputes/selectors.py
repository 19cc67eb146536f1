"""Reads of disputes and the exclusion register, already restricted to what the user
may see, each costing a fixed number of queries."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, DateField, F, Min, OuterRef, Q, QuerySet, Subquery, When
from django.utils import timezone

from disputes.choices import EventKind, Stage
from disputes.models.disputes import Dispute, DisputeEvent
from disputes.models.exclusions import Exclusion
from governance.core import deadlines
from governance.meetings.choices import ActionSource, ActionStatus
from governance.meetings.models import Action

#: Disputes whose next deadline still has to be met.
OPEN = ~Q(stage=Stage.CLOSED)


def _plan_action_due() -> Subquery:
    """The earliest due date of the dispute's open action-plan actions."""
    dispute_type = ContentType.objects.get_for_model(Dispute)
    return Subquery(
        Action.objects.filter(
            source=ActionSource.DISPUTE,
            source_type=dispute_type,
            source_id=OuterRef("pk"),
            status__in=(ActionStatus.OPEN, ActionStatus.IN_PROGRESS),
        )
        .order_by()
        .values("source_id")
        .annotate(due=Min("due_on"))
        .values("due")[:1]
    )


def _next_deadline() -> Case:
    """``Dispute.next_deadline`` in the database, so lists can filter and sort by it."""
    return Case(
        When(stage=Stage.STAGE_2, meeting_held_on__isnull=True, then=F("meeting_deadline")),
        When(stage=Stage.STAGE_4, then=F("plan_action_due")),
        default=None,
        output_field=DateField(),
    )


def dispute_list(user) -> QuerySet[Dispute]:
    return (
        Dispute.objects.restrict(user, "view")
        .select_related("contract", "contract__provider", "raised_by")
        .annotate(plan_action_due=_plan_action_due())
        .annotate(next_deadline_on=_next_deadline())
    )


def next_deadline_state(dispute: Dispute, today: datetime.date) -> deadlines.Deadline | None:
    """Whether the dispute's next deadline is missed, due or coming up (None: none set)."""
    if not dispute.is_open:
        return None
    return deadlines.classify(dispute.next_deadline, today=today, kind=deadlines.DISPUTE)


def next_deadline_ordering(today: datetime.date) -> list:
    """Missed deadlines first, then due, then coming up; disputes without one last."""
    return deadlines.ordering("next_deadline_on", today=today, kind=deadlines.DISPUTE, open_q=OPEN)


def open_disputes(user) -> QuerySet[Dispute]:
    """Open disputes the user may see; each exposes ``stage_label`` and
    ``next_deadline`` (the dispute meeting's deadline while it is awaited, or the
    earliest open action-plan action) without further queries."""
    return dispute_list(user).open().order_by("meeting_deadline", "-raised_on", "pk")


def contract_disputes(user, contract) -> QuerySet[Dispute]:
    return dispute_list(user).filter(contract=contract).order_by("-raised_on", "-pk")


def dispute_timeline(dispute: Dispute) -> QuerySet[DisputeEvent]:
    return dispute.events.select_related(
        "recorded_by", "document", "contact_entry", "meeting", "corrects"
    ).order_by("occurred_on", "recorded_at", "pk")


def dispute_actions(dispute: Dispute) -> QuerySet[Action]:
    return Action.objects.filter(
        source=ActionSource.DISPUTE,
        source_type=ContentType.objects.get_for_model(Dispute),
        source_id=dispute.pk,
    ).select_related("owner")


# -- What the provider sees -------------------------------------------------------------------
# A dispute is the provider's to see once it has been put to them: the concern in
# writing, the formal notice, or any stage past SMG's agreement. Of its timeline they see
# what happened between the parties, never the commissioner's notes, assessments, or
# SMG's briefings and decisions.

#: Timeline entries shared with the provider (their summaries, never their notes).
PROVIDER_EVENT_KINDS = (
    EventKind.CONCERN_IN_WRITING,
    EventKind.APPROACH_AGREED,
    EventKind.INFORMAL_OUTCOME,
    EventKind.STAGE_CHANGE,
    EventKind.RECEIPT_CONFIRMED,
    EventKind.ACTION_ADDED,
    EventKind.PROVIDER_INFORMED,
    EventKind.MEDIATION_ENDED,
    EventKind.SETTLEMENT,
    EventKind.ARBITRATION_AWARD,
    EventKind.JUDGMENT,
    EventKind.TERMINATION,
    EventKind.CLOSED,
)

PUT_TO_PROVIDER = (
    Q(concern_put_on__isnull=False)
    | Q(notice_date__isnull=False)
    | ~Q(stage__in=(Stage.INFORMAL, Stage.STAGE_1, Stage.CLOSED))
)


def provider_disputes(user) -> QuerySet[Dispute]:
    """Disputes put to the user's organisation on its own contracts; none for anyone
    who is not provider staff allowed to see them."""
    if not (user.is_provider_user and user.has_perm("disputes.see_own_disputes")):
        return Dispute.objects.none()
    return (
        Dispute.objects.filter(PUT_TO_PROVIDER, contract__provider_id=user.organisation_id)
        .select_related(
            "contract",
            "contract__provider",
            "notice_to_contract_manager",
            "notice_to_escalation_contact",
        )
        .order_by("-raised_on", "-pk")
    )


def provider_timeline(dispute: Dispute) -> QuerySet[DisputeEvent]:
    """The entries of the timeline the provider sees, in the order things happened.
    SMG's agreement to the formal procedure (the move to stage 1) is internal."""
    return (
        dispute.events.filter(kind__in=PROVIDER_EVENT_KINDS)
        .exclude(kind=EventKind.STAGE_CHANGE, stage_to=Stage.STAGE_1)
        .select_related("recorded_by", "recorded_by__organisation")
        .order_by("occurred_on", "recorded_at", "pk")
    )


def exclusion_list(user) -> QuerySet[Exclusion]:
    return Exclusion.objects.restrict(user, "view").select_related(
        "organisation", "dispute", "recorded_by", "confirmed_by"
    )


def active_exclusions(user, day: datetime.date | None = None) -> QuerySet[Exclusion]:
    """Exclusions in force today (or on ``day``) that the user may see."""
    return (
        exclusion_list(user)
        .active_on(day or timezone.localdate())
        .order_by("end_date", "organisation__name")
    )


def organisation_exclusions(user, organisation) -> QuerySet[Exclusion]:
    return active_exclusions(user).filter(organisation=organisation)
