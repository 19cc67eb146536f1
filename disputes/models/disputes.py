"""Disputes with a contract's provider: the significance test, the informal route, the
seven formal stages, SMG's endorsements, an append-only timeline, and the register of
providers excluded from tenders."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from contracts.register.models.contracts import contract_scope
from disputes.choices import (
    OPEN_STAGES,
    STAGE_ORDER,
    ArbitratorAppointment,
    DisputeNature,
    EndorsementKind,
    EventKind,
    InformalOutcome,
    Outcome,
    Party,
    Stage,
)
from governance.core.datepolicy import DatePolicyMixin
from governance.core.dates import add_business_days
from governance.core.permissions import RestrictedQuerySet
from governance.core.stamp_fields import stamped_by

#: The dispute meeting is asked for within this many business days of the notice.
MEETING_BUSINESS_DAYS = 10
#: A dispute is significant when its financial effect reaches this share of the annual
#: contract value, or this share of the client group is affected.
SIGNIFICANT_SHARE = Decimal("0.10")


def significant_amount(annual_value: Decimal) -> Decimal:
    """The financial effect that makes a dispute significant on this annual value."""
    return (annual_value * SIGNIFICANT_SHARE).quantize(Decimal("0.01"))


def dispute_reference(pk: int | None) -> str:
    return f"DSP-{pk:05d}" if pk else "DSP-(new)"


def meeting_deadline_for(notice_date: datetime.date) -> datetime.date:
    return add_business_days(notice_date, MEETING_BUSINESS_DAYS)


class DisputeQuerySet(RestrictedQuerySet):
    """Disputes are the commissioner's business: provider staff see none. The
    commissioner's staff read every dispute; the contract's officers run it."""

    contract_path = "contract"

    def scope(self, user, action):
        if user.is_provider_user:
            return self.none()
        return contract_scope(self, user, action, self.contract_path)

    def open(self):
        return self.exclude(stage=Stage.CLOSED)


class Dispute(DatePolicyMixin, models.Model):
    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.PROTECT, related_name="disputes"
    )
    title = models.CharField(max_length=200)
    nature = models.CharField(max_length=30, choices=DisputeNature.choices)
    description = models.TextField()
    raised_on = models.DateField("Date raised")
    raised_by = stamped_by()
    risks = models.ManyToManyField(
        "risks.Risk", blank=True, related_name="disputes", verbose_name="Linked risks and issues"
    )
    contact_entries = models.ManyToManyField(
        "governance.ContactLogEntry",
        blank=True,
        related_name="disputes",
        verbose_name="Linked contact log entries",
    )
    stage = models.CharField(
        max_length=20, choices=Stage.choices, default=Stage.INFORMAL, editable=False
    )
    stage_entered_on = models.DateField(editable=False)
    is_significant = models.BooleanField("Significant", default=False, editable=False)

    # The informal route.
    pdm_told_on = models.DateField("Policy development manager told on", null=True, editable=False)
    smg_briefed_on = models.DateField("SMG briefed on", null=True, editable=False)
    concern_entry = models.ForeignKey(
        "governance.ContactLogEntry",
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="+",
        verbose_name="Concern in writing (contact log)",
    )
    concern_meeting = models.ForeignKey(
        "governance.Meeting",
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="+",
        verbose_name="Concern in writing (meeting minutes)",
    )
    concern_put_on = models.DateField("Concern put in writing on", null=True, editable=False)
    approach_agreed_on = models.DateField(null=True, editable=False)
    approach_summary = models.TextField(blank=True, editable=False)
    smg_informed_on = models.DateField("SMG last informed on", null=True, editable=False)
    informal_outcome = models.CharField(
        max_length=20, choices=InformalOutcome.choices, blank=True, editable=False
    )
    informal_outcome_on = models.DateField(null=True, editable=False)
    escalation_recommended_by = models.CharField(
        max_length=20, choices=Party.choices, blank=True, editable=False
    )

    # Stage 2: the written notice.
    notice_date = models.DateField(null=True, editable=False)
    notice_entry = models.ForeignKey(
        "governance.ContactLogEntry",
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="+",
        verbose_name="Notice (contact log)",
    )
    notice_to_contract_manager = models.ForeignKey(
        "contracts.Contact", on_delete=models.PROTECT, null=True, editable=False, related_name="+"
    )
    notice_to_escalation_contact = models.ForeignKey(
        "contracts.Contact", on_delete=models.PROTECT, null=True, editable=False, related_name="+"
    )
    receipt_requested = models.BooleanField(default=False, editable=False)
    receipt_confirmed_on = models.DateField(null=True, editable=False)
    meeting_deadline = models.DateField(null=True, editable=False)

    # Stage 3: the dispute meeting.
    meeting_held_on = models.DateField(null=True, editable=False)
    dispute_meeting = models.ForeignKey(
        "governance.Meeting", on_delete=models.PROTECT, null=True, editable=False, related_name="+"
    )
    late_meeting_reason = models.TextField(blank=True, editable=False)
    meeting_resolved = models.BooleanField(null=True, editable=False)
    meeting_outcome = models.TextField(blank=True, editable=False)

    # Stage 4: the action plan.
    action_plan_agreed_on = models.DateField(null=True, editable=False)
    completion_report_on = models.DateField(null=True, editable=False)
    completion_report = models.TextField(blank=True, editable=False)
    provider_informed_on = models.DateField(null=True, editable=False)
    action_plan_failed_reason = models.TextField(blank=True, editable=False)

    # Stage 5: mediation (CEDR model procedure).
    mediator = models.CharField(max_length=200, blank=True, editable=False)
    mediation_started_on = models.DateField(null=True, editable=False)
    mediation_ended_on = models.DateField(null=True, editable=False)
    settlement_terms = models.TextField(blank=True, editable=False)
    settlement_signed_commissioner_on = models.DateField(null=True, editable=False)
    settlement_signed_provider_on = models.DateField(null=True, editable=False)

    # Stage 6: arbitration.
    arbitrator = models.CharField(max_length=200, blank=True, editable=False)
    arbitrator_appointment = models.CharField(
        max_length=20, choices=ArbitratorAppointment.choices, blank=True, editable=False
    )
    arbitrator_appointed_on = models.DateField(null=True, editable=False)
    arbitration_award_on = models.DateField(null=True, editable=False)
    arbitration_award = models.TextField(blank=True, editable=False)

    # Stage 7: litigation.
    litigation_started_on = models.DateField(null=True, editable=False)
    litigation_reason = models.TextField(blank=True, editable=False)
    court_reference = models.CharField(max_length=100, blank=True, editable=False)
    judgment_on = models.DateField(null=True, editable=False)
    judgment = models.TextField(blank=True, editable=False)

    # Termination and closure.
    termination_recorded_on = models.DateField(null=True, editable=False)
    termination_notice = models.ForeignKey(
        "contracts.TerminationNotice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="disputes",
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True, editable=False)
    outcome_summary = models.TextField(blank=True, editable=False)
    closed_on = models.DateField(null=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DisputeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_on", "-pk"]
        indexes = [models.Index(fields=["stage", "meeting_deadline"])]
        # Provider staff never hold "view_dispute": the commissioner's pages show
        # internal notes and SMG's decisions. These let them see, on pages of their
        # own, what has been put to them, and confirm receipt of a notice.
        permissions = [
            ("see_own_disputes", "See the disputes put to their organisation"),
            ("confirm_dispute_receipt", "Confirm receipt of a dispute notice"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(stage=Stage.CLOSED, closed_on__isnull=False) & ~Q(outcome="")
                | (~Q(stage=Stage.CLOSED) & Q(closed_on__isnull=True)),
                name="dispute_closed_with_date_and_outcome",
                violation_error_message="A closed dispute needs its closing date and outcome.",
            ),
            models.CheckConstraint(
                condition=Q(settlement_terms="")
                | Q(
                    settlement_signed_commissioner_on__isnull=False,
                    settlement_signed_provider_on__isnull=False,
                ),
                name="dispute_settlement_signed_by_both",
                violation_error_message="A settlement must be signed by both parties.",
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}" if self.pk else self.title

    def get_absolute_url(self):
        return reverse("disputes:dispute_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return dispute_reference(self.pk)

    @property
    def is_open(self) -> bool:
        return self.stage != Stage.CLOSED

    @property
    def stage_number(self) -> int:
        return STAGE_ORDER[self.stage]

    @property
    def is_formal(self) -> bool:
        return self.stage in OPEN_STAGES and self.stage != Stage.INFORMAL

    @property
    def concern_in_writing(self):
        return self.concern_entry or self.concern_meeting

    @property
    def meeting_late(self) -> bool:
        return bool(
            self.meeting_held_on
            and self.meeting_deadline
            and self.meeting_held_on > self.meeting_deadline
        )

    @property
    def settled(self) -> bool:
        return bool(self.settlement_terms)

    @property
    def stage_label(self) -> str:
        return self.get_stage_display()

    @property
    def next_deadline(self) -> datetime.date | None:
        """The next date the dispute must meet: the dispute meeting while it is awaited,
        or the earliest open action of the action plan (from the selectors'
        ``plan_action_due`` annotation, so no query is made here)."""
        if self.stage == Stage.STAGE_2 and self.meeting_held_on is None:
            return self.meeting_deadline
        if self.stage == Stage.STAGE_4:
            return getattr(self, "plan_action_due", None)
        return None


class SignificanceQuerySet(RestrictedQuerySet):
    def scope(self, user, action):
        return self.filter(dispute__in=Dispute.objects.all().scope(user, action))


class SignificanceAssessment(DatePolicyMixin, models.Model):
    """One assessment of whether a dispute is significant. Re-assessing adds a row; the
    latest is current and the earlier ones are kept."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField("Date of the assessment")
    assessed_by = stamped_by()
    financial_effect = models.DecimalField(
        "Estimated financial effect (£)",
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0), "The financial effect cannot be negative.")],
    )
    annual_value = models.DecimalField(
        "Annual contract value at the time (£)", max_digits=14, decimal_places=2, editable=False
    )
    clients_affected_percent = models.DecimalField(
        "Share of the client group affected (%)",
        max_digits=5,
        decimal_places=2,
        validators=[
            # Django fills in the limit with %-formatting: a percent sign is written %%.
            MinValueValidator(Decimal(0), "The share affected must be from 0 to 100%%."),
            MaxValueValidator(Decimal(100), "The share affected must be from 0 to 100%%."),
        ],
    )
    negligent_harm = models.BooleanField(
        "Harm to a client or member of staff through the provider's negligence"
    )
    negligent_harm_note = models.TextField(blank=True)
    reputational_risk = models.BooleanField("Reputational risk to the commissioner")
    reputational_risk_note = models.TextField(blank=True)
    is_significant = models.BooleanField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SignificanceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-assessed_on", "-pk"]

    def __str__(self):
        return f"Assessment of {self.dispute.reference} on {self.assessed_on:%-d %B %Y}"

    def get_absolute_url(self):
        return self.dispute.get_absolute_url()

    @property
    def significant_share(self) -> Decimal:
        return SIGNIFICANT_SHARE

    @property
    def financial_threshold(self) -> Decimal:
        return significant_amount(self.annual_value)

    @property
    def financial_met(self) -> bool:
        return self.financial_effect >= self.financial_threshold

    @property
    def clients_met(self) -> bool:
        return self.clients_affected_percent >= SIGNIFICANT_SHARE * 100

    def criteria_met(self) -> list[str]:
        met = []
        if self.financial_met:
            met.append("financial effect")
        if self.clients_met:
            met.append("clients affected")
        if self.negligent_harm:
            met.append("harm through negligence")
        if self.reputational_risk:
            met.append("reputational risk")
        return met

    def refresh_significance(self) -> None:
        self.is_significant = bool(
            self.annual_value is not None
            and self.financial_effect is not None
            and self.clients_affected_percent is not None
            and self.criteria_met()
        )

    def clean(self):
        errors = {}
        if self.negligent_harm and not self.negligent_harm_note.strip():
            errors["negligent_harm_note"] = "Describe the harm and the negligence behind it."
        if self.reputational_risk and not self.reputational_risk_note.strip():
            errors["reputational_risk_note"] = "Describe the risk to the commissioner's reputation."
        if errors:
            raise ValidationError(errors)


class EndorsementQuerySet(RestrictedQuerySet):
    def scope(self, user, action):
        if user.is_provider_user:
            return self.none()
        return self


class DisputeEndorsement(DatePolicyMixin, models.Model):
    """A Senior Management Group decision on a dispute, with its written evidence:
    agreement to the formal procedure, a skip to a higher stage, endorsement of an
    outcome, or sign-off of an action plan's completion report."""

    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="endorsements")
    kind = models.CharField(max_length=20, choices=EndorsementKind.choices)
    target_stage = models.CharField(
        "Stage endorsed", max_length=20, choices=Stage.choices, blank=True
    )
    endorsed_on = models.DateField("Date of the decision")
    endorsed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    evidence_entry = models.ForeignKey(
        "governance.ContactLogEntry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    evidence_meeting = models.ForeignKey(
        "governance.Meeting", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    evidence_document = models.ForeignKey(
        "governance.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EndorsementQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["endorsed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(evidence_entry__isnull=False)
                | Q(evidence_meeting__isnull=False)
                | Q(evidence_document__isnull=False),
                name="disputeendorsement_has_written_evidence",
                violation_error_message="An SMG decision needs its written evidence.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} by {self.endorsed_by} on {self.endorsed_on:%-d %B %Y}"

    def get_absolute_url(self):
        return self.dispute.get_absolute_url()


class DisputeEventQuerySet(RestrictedQuerySet):
    def scope(self, user, action):
        if action != "view":
            return self.none()
        return self.filter(dispute__in=Dispute.objects.all().scope(user, "view"))

    def update(self, **kwargs):
        raise TypeError("The dispute timeline is append-only: record a correction instead.")

    def delete(self):
        raise TypeError("The dispute timeline is append-only: record a correction instead.")


class DisputeEvent(DatePolicyMixin, models.Model):
    """One entry of a dispute's timeline. Once written it never changes: a mistake is
    put right by a later "correction" entry that refers to it."""

    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    occurred_on = models.DateField("Date it happened")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    stage_from = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    stage_to = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    summary = models.CharField(max_length=300)
    notes = models.TextField(blank=True)
    document = models.ForeignKey(
        "governance.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    contact_entry = models.ForeignKey(
        "governance.ContactLogEntry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    meeting = models.ForeignKey(
        "governance.Meeting", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )

    objects = DisputeEventQuerySet.as_manager()

    class Meta:
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | Q(kind=EventKind.CORRECTION),
                name="disputeevent_only_corrections_refer_back",
                violation_error_message="Only a correction refers to an earlier entry.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.summary}"

    def save(self, *args, **kwargs):
        if self.pk is not None or kwargs.get("force_update"):
            raise TypeError("A timeline entry cannot be changed: record a correction instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("A timeline entry cannot be deleted: record a correction instead.")


def _timeline(self):
    """The dispute's timeline in the order things happened, with what each entry
    shows loaded: for the page, the PDF and the auditor's pack."""
    return self.events.select_related(
        "recorded_by", "document", "contact_entry", "meeting", "corrects"
    ).order_by("occurred_on", "recorded_at", "pk")


Dispute.timeline = property(_timeline)
