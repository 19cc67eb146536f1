"""The risk log, which also holds issues (risks that have happened), and its reviews."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from governance.core.datepolicy import DatePolicyMixin
from governance.core.dates import add_months
from governance.core.permissions import RestrictedQuerySet
from governance.core.roles import Role
from risks.choices import (
    FREQUENCY_MONTHS,
    Allocation,
    Impact,
    Likelihood,
    ReviewFrequency,
    RiskCategory,
    RiskKind,
    RiskLevel,
    RiskStatus,
)
from risks.scoring import SCORE_VALUES, Band, band_for

REFERENCE_PREFIX = {RiskKind.RISK: "R", RiskKind.ISSUE: "I"}


def risk_reference(pk: int | None, kind: str = RiskKind.RISK) -> str:
    return f"{REFERENCE_PREFIX.get(kind, 'R')}-{pk:05d}" if pk else ""


def score(likelihood, impact) -> int | None:
    """likelihood x impact, or None while either is missing or outside 1-5."""
    if likelihood in SCORE_VALUES and impact in SCORE_VALUES:
        return likelihood * impact
    return None


def next_review_after(
    day: datetime.date, frequency: str, every_days: int | None = None
) -> datetime.date:
    if frequency == ReviewFrequency.DAYS:
        return day + datetime.timedelta(days=every_days or 1)
    return add_months(day, FREQUENCY_MONTHS[frequency])


def _score_part_field(verbose_name: str, scale, message: str):
    """A likelihood or an impact, scored on ``scale``; ``message`` when it is not."""
    return models.PositiveSmallIntegerField(
        verbose_name,
        choices=scale.choices,
        error_messages={"invalid_choice": message, "null": message},
    )


def _likelihood_field(verbose_name: str):
    return _score_part_field(
        verbose_name, Likelihood, "Choose a likelihood from 1 (rare) to 5 (almost certain)."
    )


def _impact_field(verbose_name: str):
    return _score_part_field(
        verbose_name, Impact, "Choose an impact from 1 (negligible) to 5 (severe)."
    )


def _one_to_five(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": 1, f"{field}__lte": 5}),
        name=name,
        violation_error_message="Likelihood and impact are each scored from 1 to 5.",
    )


class RiskQuerySet(RestrictedQuerySet):
    def scope(self, user, action):
        """Commissioner roles see the whole log. Provider staff see only the shared
        risks of their own organisation's contracts, and change nothing. A contract's
        risks are changed by its lead and deputy officers; a portfolio-level risk by
        its owner or a policy development manager."""
        if user.is_provider_user:
            if action != "view" or user.organisation_id is None:
                return self.none()
            return self.filter(
                allocation=Allocation.SHARED,
                contract__isnull=False,
                contract__provider_id=user.organisation_id,
            )
        if action == "view":
            return self
        rule = Q(contract__lead_officer=user) | Q(contract__deputy_officer=user)
        portfolio = Q(contract__isnull=True, owner=user)
        if user.has_role(Role.PDM):
            portfolio = Q(contract__isnull=True)
        return self.filter(rule | portfolio)

    def open(self):
        return self.filter(status=RiskStatus.OPEN)


class Risk(DatePolicyMixin, models.Model):
    """A risk (or issue) to one contract, or to the portfolio when no contract is named.

    Scores are stored (likelihood x impact) so lists can filter, sort and count by
    them; ``save()`` and ``full_clean()`` keep them in step and the database refuses a
    row where they are not.
    """

    contract = models.ForeignKey(
        "contracts.Contract",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="risks",
        help_text="Leave blank for a risk to the whole portfolio.",
    )
    kind = models.CharField(max_length=10, choices=RiskKind.choices, default=RiskKind.RISK)
    title = models.CharField(max_length=200)
    description = models.TextField()
    category = models.CharField(max_length=30, choices=RiskCategory.choices)
    level = models.CharField(max_length=20, choices=RiskLevel.choices)
    allocation = models.CharField(
        "Allocated to",
        max_length=20,
        choices=Allocation.choices,
        help_text="The party best placed to manage it. Shared risks are visible to the provider.",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="risks_owned"
    )
    inherent_likelihood = _likelihood_field("Inherent likelihood")
    inherent_impact = _impact_field("Inherent impact")
    inherent_score = models.PositiveSmallIntegerField(editable=False)
    mitigations = models.TextField(blank=True)
    residual_likelihood = _likelihood_field("Residual likelihood")
    residual_impact = _impact_field("Residual impact")
    residual_score = models.PositiveSmallIntegerField(editable=False)
    residual_above_inherent_reason = models.TextField(
        "Why the residual score is higher than the inherent score",
        blank=True,
        help_text="Needed only when the score after mitigation is higher than before it.",
    )
    target_score = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[
            MinValueValidator(1, "The target score must be from 1 to 25."),
            MaxValueValidator(25, "The target score must be from 1 to 25."),
        ],
        help_text="The score you aim to bring the risk down to, from 1 to 25.",
    )
    status = models.CharField(
        max_length=10, choices=RiskStatus.choices, default=RiskStatus.OPEN, editable=False
    )
    closed_reason = models.TextField(blank=True, editable=False)
    closed_on = models.DateField(null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    review_frequency = models.CharField(
        "How often it is reviewed",
        max_length=20,
        choices=ReviewFrequency.choices,
        default=ReviewFrequency.QUARTERLY,
    )
    review_every_days = models.PositiveSmallIntegerField(
        "Days between reviews",
        null=True,
        blank=True,
        validators=[
            MinValueValidator(1, "Reviews must be at least 1 day apart."),
            MaxValueValidator(366, "Reviews must be no more than 366 days apart."),
        ],
        help_text="Only when it is reviewed every set number of days.",
    )
    next_review_date = models.DateField()
    last_reviewed_on = models.DateField(null=True, blank=True, editable=False)
    raised_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="issues",
        verbose_name="Raised from risk",
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, editable=False, related_name="+"
    )
    # When the residual score last entered the top band; cleared when it leaves. Each
    # entry is a new occasion to tell the policy development managers.
    top_band_since = models.DateTimeField(
        "In the top band since", null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RiskQuerySet.as_manager()
    history = HistoricalRecords()

    DERIVED = ("inherent_score", "residual_score")

    class Meta:
        ordering = ["pk"]
        verbose_name = "risk"
        indexes = [
            models.Index(fields=["status", "next_review_date"]),
            models.Index(fields=["residual_likelihood", "residual_impact"]),
            # The log's default order: highest residual score first.
            models.Index(fields=["-residual_score", "id"], name="risk_residual_score_order"),
            # The dashboard's heatmap counts open risks by residual cell from this index
            # alone (PostgreSQL).
            models.Index(
                fields=["residual_likelihood", "residual_impact"],
                include=["id"],
                condition=Q(status="open"),
                name="risk_open_residual_cells",
            ),
        ]
        constraints = [
            _one_to_five("inherent_likelihood", "risk_inherent_likelihood_1_to_5"),
            _one_to_five("inherent_impact", "risk_inherent_impact_1_to_5"),
            _one_to_five("residual_likelihood", "risk_residual_likelihood_1_to_5"),
            _one_to_five("residual_impact", "risk_residual_impact_1_to_5"),
            models.CheckConstraint(
                condition=Q(inherent_score=F("inherent_likelihood") * F("inherent_impact"))
                & Q(residual_score=F("residual_likelihood") * F("residual_impact")),
                name="risk_scores_are_likelihood_times_impact",
                violation_error_message="A score must be its likelihood times its impact.",
            ),
            models.CheckConstraint(
                condition=Q(residual_score__lte=F("inherent_score"))
                | ~Q(residual_above_inherent_reason=""),
                name="risk_residual_above_inherent_has_reason",
                violation_error_message=(
                    "Explain why the residual score is higher than the inherent score."
                ),
            ),
            models.CheckConstraint(
                condition=Q(target_score__isnull=True)
                | Q(target_score__gte=1, target_score__lte=25),
                name="risk_target_score_1_to_25",
                violation_error_message="The target score must be from 1 to 25.",
            ),
            models.CheckConstraint(
                condition=Q(status=RiskStatus.OPEN, closed_on__isnull=True)
                | (Q(status=RiskStatus.CLOSED, closed_on__isnull=False) & ~Q(closed_reason="")),
                name="risk_closed_with_date_and_reason",
                violation_error_message="A closed risk needs the date and reason it closed.",
            ),
            models.CheckConstraint(
                # isnull=False: a NULL would make the comparison unknown, which passes.
                condition=Q(
                    review_frequency=ReviewFrequency.DAYS,
                    review_every_days__isnull=False,
                    review_every_days__gte=1,
                )
                | (~Q(review_frequency=ReviewFrequency.DAYS) & Q(review_every_days__isnull=True)),
                name="risk_review_days_only_with_days_frequency",
                violation_error_message="Enter how many days between reviews.",
            ),
            models.CheckConstraint(
                condition=Q(raised_from__isnull=True) | Q(kind=RiskKind.ISSUE),
                name="risk_only_issues_are_raised_from_risks",
                violation_error_message="Only an issue can be raised from a risk.",
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}" if self.pk else self.title

    def save(self, *args, **kwargs):
        self.refresh_scores()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("risks:risk_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return risk_reference(self.pk, self.kind)

    @property
    def inherent_band(self) -> Band | None:
        return band_for(self.inherent_score)

    @property
    def residual_band(self) -> Band | None:
        return band_for(self.residual_score)

    @property
    def is_open(self) -> bool:
        return self.status == RiskStatus.OPEN

    def review_overdue(self, today: datetime.date) -> bool:
        return self.is_open and self.next_review_date < today

    def next_review_from(self, day: datetime.date) -> datetime.date:
        return next_review_after(day, self.review_frequency, self.review_every_days)

    def refresh_scores(self) -> None:
        self.inherent_score = score(self.inherent_likelihood, self.inherent_impact)
        self.residual_score = score(self.residual_likelihood, self.residual_impact)

    def clean_fields(self, exclude=None):
        # The scores follow from likelihood and impact: an error belongs on those.
        self.refresh_scores()
        super().clean_fields(exclude={*(exclude or ()), *self.DERIVED})

    def clean(self):
        errors = {}
        if self.review_frequency == ReviewFrequency.DAYS:
            if not self.review_every_days:
                errors["review_every_days"] = "Enter how many days between reviews."
        else:
            self.review_every_days = None
        self.residual_above_inherent_reason = self.residual_above_inherent_reason.strip()
        if (
            self.inherent_score
            and self.residual_score
            and self.residual_score > self.inherent_score
            and not self.residual_above_inherent_reason
        ):
            errors["residual_above_inherent_reason"] = (
                f"The residual score ({self.residual_score}) is higher than the inherent "
                f"score ({self.inherent_score}). Mitigation normally lowers a risk: explain "
                "why it is higher, or correct the scores."
            )
        if self.raised_from_id and self.kind != RiskKind.ISSUE:
            errors["kind"] = "Only an issue can be raised from a risk."
        if errors:
            raise ValidationError(errors)


class RiskReviewQuerySet(RestrictedQuerySet):
    def scope(self, user, action):
        visible = Risk.objects.all().scope(user, action)
        return self.filter(risk__in=visible)


class RiskReview(DatePolicyMixin, models.Model):
    """One review of a risk: what its residual likelihood and impact were found to be.
    Kept for ever, so the log shows how the risk moved."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField("Date of the review")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    likelihood = _likelihood_field("Likelihood")
    impact = _impact_field("Impact")
    score = models.PositiveSmallIntegerField(editable=False)
    previous_score = models.PositiveSmallIntegerField(editable=False)
    notes = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RiskReviewQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-reviewed_on", "-pk"]
        constraints = [
            _one_to_five("likelihood", "riskreview_likelihood_1_to_5"),
            _one_to_five("impact", "riskreview_impact_1_to_5"),
            models.CheckConstraint(
                condition=Q(score=F("likelihood") * F("impact")),
                name="riskreview_score_is_likelihood_times_impact",
                violation_error_message="A score must be its likelihood times its impact.",
            ),
        ]

    def __str__(self):
        return f"Review of {self.risk.reference} on {self.reviewed_on:%-d %B %Y}"

    def save(self, *args, **kwargs):
        self.score = score(self.likelihood, self.impact)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("risks:risk_reviews", args=[self.risk_id])

    @property
    def band(self) -> Band | None:
        return band_for(self.score)

    def clean_fields(self, exclude=None):
        self.score = score(self.likelihood, self.impact)
        super().clean_fields(exclude={*(exclude or ()), "score"})
