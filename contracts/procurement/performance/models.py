from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from contracts.performance.models.kpis import ContractKpi
from contracts.procurement.performance.choices import (
    AssessmentOccasion,
    AssessmentRating,
    AssessmentStatus,
    BreachConsequence,
    FailureKind,
    FailureStatus,
    PenaltyType,
)
from contracts.register.models.contracts import Contract, ContractChildQuerySet
from governance.core.datepolicy import DatePolicyMixin
from governance.core.stamp_fields import stamped_by


class PublishedOnlyToProviders(ContractChildQuerySet):
    """Provider staff see a contract's records once they are settled for publication;
    drafts and records waiting for SMG stay with the commissioner."""

    published_statuses: tuple[str, ...] = ()

    def scope(self, user, action):
        rows = super().scope(user, action)
        if user.is_provider_user:
            rows = rows.filter(status__in=self.published_statuses)
        return rows


class AssessmentQuerySet(PublishedOnlyToProviders):
    published_statuses = (AssessmentStatus.APPROVED,)


class FailureQuerySet(PublishedOnlyToProviders):
    published_statuses = (FailureStatus.RECORDED,)


class PerformanceAssessment(DatePolicyMixin, models.Model):
    """One published KPI's performance over a period of at most 12 months, rated by the
    contract's officer and approved by SMG before its contract performance notice."""

    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="performance_assessments"
    )
    kpi = models.ForeignKey(
        ContractKpi,
        on_delete=models.PROTECT,
        related_name="performance_assessments",
        verbose_name="Key performance indicator",
    )
    occasion = models.CharField(
        max_length=20, choices=AssessmentOccasion.choices, default=AssessmentOccasion.ANNUAL
    )
    period_start = models.DateField("Start of the period assessed")
    period_end = models.DateField("End of the period assessed")
    due_on = models.DateField("Assessment due by")
    status = models.CharField(
        max_length=20,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.DUE,
        editable=False,
    )
    rating = models.CharField(max_length=30, choices=AssessmentRating.choices, blank=True)
    explanation = models.TextField(
        blank=True,
        help_text="Why the provider earned this rating. Needed when the rating is Other.",
    )
    proposed_rating = models.CharField(
        "Rating the RAG history suggests",
        max_length=30,
        choices=AssessmentRating.choices,
        blank=True,
        editable=False,
    )
    proposal_basis = models.CharField(
        "What the suggestion rests on", max_length=300, blank=True, editable=False
    )
    assessed_by = stamped_by(optional=True)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    approved_by = stamped_by(optional=True)
    approved_on = models.DateField(null=True, blank=True, editable=False)
    decision_notes = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AssessmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-due_on", "pk"]
        verbose_name = "performance assessment"
        permissions = [
            ("approve_performanceassessment", "Can approve KPI performance assessments"),
        ]
        constraints = [
            # The daily sweep owes each period once: this is its key.
            models.UniqueConstraint(
                fields=["kpi", "occasion", "period_end"],
                name="performance_assessment_once_per_period",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="performance_assessment_period_in_order",
                violation_error_message="The period must end on or after the day it starts.",
            ),
            models.CheckConstraint(
                condition=Q(rating="") | Q(rating__in=AssessmentRating.values),
                name="performance_assessment_rating_known",
                violation_error_message="Choose one of the five ratings.",
            ),
            models.CheckConstraint(
                condition=~Q(rating=AssessmentRating.OTHER) | ~Q(explanation=""),
                name="performance_assessment_other_explained",
                violation_error_message="Explain a rating of Other.",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[AssessmentStatus.SUBMITTED, AssessmentStatus.APPROVED])
                | ~Q(rating=""),
                name="performance_assessment_rated_once_submitted",
                violation_error_message="An assessment is rated before it goes to SMG.",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self):
        return f"{self.kpi.name}, {self.period_start:%-d %b %Y} to {self.period_end:%-d %b %Y}"

    def get_absolute_url(self):
        return reverse("contracts:performanceassessment_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"{self.contract.reference}/PA{self.pk}"


class PerformanceFailure(DatePolicyMixin, models.Model):
    """A breach, or poor performance the provider did not put right, that the
    commissioner decides to publish in a contract performance notice."""

    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="performance_failures"
    )
    kind = models.CharField("What happened", max_length=20, choices=FailureKind.choices)
    consequence = models.CharField(
        "What the breach led to", max_length=30, choices=BreachConsequence.choices, blank=True
    )
    consequence_on = models.DateField(
        "Date of the termination, damages or settlement", null=True, blank=True
    )
    partial_termination = models.TextField("What part of the contract was terminated", blank=True)
    improvement_notice_on = models.DateField(
        "Date the provider was told to improve", null=True, blank=True
    )
    requirement = models.CharField("The requirement not met", max_length=300)
    description = models.TextField("What went wrong")
    penalty_type = models.CharField(
        "How the penalty was decided", max_length=20, choices=PenaltyType.choices, blank=True
    )
    penalty_value = models.DecimalField(
        "Penalty (£)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    status = models.CharField(
        max_length=20,
        choices=FailureStatus.choices,
        default=FailureStatus.PROPOSED,
        editable=False,
    )
    proposed_by = stamped_by()
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = stamped_by(optional=True)
    decided_on = models.DateField("Date of the decision", null=True, blank=True, editable=False)
    decision_notes = models.TextField(blank=True, editable=False)

    objects = FailureQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-proposed_at", "pk"]
        verbose_name = "breach or poor performance"
        verbose_name_plural = "breaches and poor performance"
        permissions = [
            (
                "decide_performancefailure",
                "Can decide to publish a breach or poor performance",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(penalty_value__isnull=True) | Q(penalty_value__gte=0),
                name="performance_failure_penalty_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(kind=FailureKind.POOR_PERFORMANCE, consequence="")
                | (Q(kind=FailureKind.BREACH) & ~Q(consequence="")),
                name="performance_failure_breach_has_consequence",
                violation_error_message="Say what the breach led to, and only for a breach.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.requirement}"

    def get_absolute_url(self):
        return reverse("contracts:performancefailure_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"{self.contract.reference}/PF{self.pk}"
