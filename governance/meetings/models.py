"""Meetings with their agenda and minutes, decisions raised in them (the decision log
builds on these), and actions from any source."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from contracts.register.models.contracts import contract_scope
from governance.core.datepolicy import DatePolicyMixin
from governance.core.permissions import RestrictedQuerySet
from governance.core.stamp_fields import stamped_by
from governance.meetings.choices import (
    ActionSource,
    ActionStatus,
    DecisionLevel,
    DecisionStatus,
    MeetingKind,
    MeetingStatus,
)


def contract_record_scope(queryset, user, action: str, path: str = "contract"):
    """Records that may belong to a contract (or to the whole portfolio when blank):
    provider staff see their own contracts' records; changes are for the contract's
    officers, and portfolio-level records for anyone holding the permission."""

    if user.is_provider_user:
        if action != "view":
            return queryset.none()
        return queryset.filter(**{f"{path}__provider_id": user.organisation_id})
    if action == "view":
        return queryset
    return contract_scope(queryset, user, action, path) | queryset.filter(
        **{f"{path}__isnull": True}
    )


class ContractRecordQuerySet(RestrictedQuerySet):
    def scope(self, user, action):
        return contract_record_scope(self, user, action)


class Meeting(DatePolicyMixin, models.Model):
    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField(max_length=20, choices=MeetingKind.choices)
    status = models.CharField(
        max_length=20,
        choices=MeetingStatus.choices,
        default=MeetingStatus.SCHEDULED,
        editable=False,
    )
    starts_at = models.DateTimeField("Date and time")
    location = models.CharField(max_length=200, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The contract's lead officer unless someone else chairs.",
    )
    note_taker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="meetings_attended",
        verbose_name="Commissioner attendees",
    )
    provider_attendees = models.ManyToManyField(
        "contracts.Contact",
        blank=True,
        related_name="meetings_attended",
        verbose_name="Provider attendees",
    )
    agenda = models.TextField(help_text="One item per line.")
    minutes = models.TextField(blank=True)

    objects = ContractRecordQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_at"]

    def __str__(self):
        return f"{self.get_kind_display()}, {self.contract.reference}"

    def get_absolute_url(self):
        return reverse("governance:meeting_detail", args=[self.pk])


class Decision(DatePolicyMixin, models.Model):
    """A key decision, approval or milestone. Raised in a meeting or recorded on its own;
    per contract or, with no contract, for the whole portfolio."""

    contract = models.ForeignKey(
        "contracts.Contract",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    decided_on = models.DateField()
    title = models.CharField(max_length=200)
    decision = models.TextField("What was decided")
    rationale = models.TextField(blank=True)
    decided_by = models.CharField(
        max_length=200, help_text="A person or a body, such as the Senior Management Group."
    )
    level = models.CharField(max_length=20, choices=DecisionLevel.choices)
    status = models.CharField(
        max_length=20,
        choices=DecisionStatus.choices,
        default=DecisionStatus.APPROVED,
        editable=False,
    )
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        editable=False,
    )
    recorded_by = stamped_by()

    objects = ContractRecordQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_on", "-pk"]

    def __str__(self):
        return f"{self.reference}: {self.title}"

    def get_absolute_url(self):
        return reverse("governance:decision_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"D{self.pk:05d}" if self.pk else "D(new)"


class ActionQuerySet(ContractRecordQuerySet):
    def scope(self, user, action):
        scoped = super().scope(user, action)
        if action == "change":
            # Whoever owns an action may update its progress and outcome.
            return scoped | self.filter(owner=user)
        if user.is_provider_user and action == "view":
            return scoped | self.filter(owner=user)
        return scoped


class Action(DatePolicyMixin, models.Model):
    """Something someone has to do by a date, from a meeting, an audit, an improvement
    plan or (later) a dispute's action plan."""

    contract = models.ForeignKey(
        "contracts.Contract",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
    )
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="actions_owned"
    )
    raised_on = models.DateField()
    due_on = models.DateField("Due date")
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    outcome = models.TextField(blank=True)
    completed_on = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=20, choices=ActionSource.choices)
    source_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source_record = GenericForeignKey("source_type", "source_id")

    objects = ActionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["owner", "status", "due_on"]),
            models.Index(fields=["source_type", "source_id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=F("raised_on")),
                name="action_due_on_or_after_raised",
                violation_error_message=(
                    "The due date cannot be before the date the action was raised."
                ),
            )
        ]

    def __str__(self):
        return self.description[:80]

    def get_absolute_url(self):
        return reverse("governance:action_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
