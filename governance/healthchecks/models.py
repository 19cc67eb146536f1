"""Partnership health checks: questionnaires kept as versioned data, and assessments of
a contract against one version, answered by the commissioner and, where the
questionnaire allows, separately by the provider.

A version is never changed once an assessment uses it: administrators publish a new
version instead, and assessments already under way keep the version they started on.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from contracts.register.models.contracts import contract_scope
from governance.core.datepolicy import DatePolicyMixin
from governance.core.permissions import RestrictedQuerySet
from governance.core.stamp_fields import stamped_by


class QuestionnaireKind(models.TextChoices):
    GATE_0 = "gate_0", "Relationship questions before gate 0 (strategic assessment)"
    GATE_1 = "gate_1", "Relationship questions before gate 1 (business justification)"
    GATE_2 = "gate_2", "Relationship questions before gate 2 (procurement strategy)"
    GATE_3 = "gate_3", "Relationship questions before gate 3 (investment decision)"
    FIRST_YEAR = "first_year", "First year after award"
    ANNUAL = "annual", "Annual relationship health check"
    READINESS = "readiness", "Readiness to partner checklist"
    ONGOING = "ongoing", "Ongoing relationship checklist"
    OUTSOURCING = "outsourcing", "Outsourcing self-evaluation"
    LIFECYCLE = "lifecycle", "Partnership review by theme and stage"


class AnswerScale(models.TextChoices):
    YES_NO = "yes_no", "Yes or no"
    EXTENT = "extent", "Fully, largely, partly or not at all"
    AGREEMENT = "agreement", "Agreement from 1 (strongly disagree) to 5 (strongly agree)"


#: Each scale's answers, best first: (value, label, points). A side's score is the
#: points it earned as a percentage of the most it could have earned.
SCALE_ANSWERS: dict[str, list[tuple[str, str, int]]] = {
    AnswerScale.YES_NO: [("yes", "Yes", 1), ("no", "No", 0)],
    AnswerScale.EXTENT: [
        ("fully", "Fully", 3),
        ("largely", "Largely", 2),
        ("partly", "Partly", 1),
        ("not_at_all", "Not at all", 0),
    ],
    AnswerScale.AGREEMENT: [
        ("5", "5 Strongly agree", 4),
        ("4", "4 Agree", 3),
        ("3", "3 Neither agree nor disagree", 2),
        ("2", "2 Disagree", 1),
        ("1", "1 Strongly disagree", 0),
    ],
}

#: Answers that need attention: any "no", partly or not at all, and disagreement.
FLAGGED_ANSWERS = frozenset({"no", "partly", "not_at_all", "2", "1"})

ANSWER_CHOICES = sorted(
    {(value, label) for answers in SCALE_ANSWERS.values() for value, label, _ in answers}
)


def scale_max(scale: str) -> int:
    return SCALE_ANSWERS[scale][0][2]


def answer_points(scale: str, value: str) -> int | None:
    for code, _label, points in SCALE_ANSWERS[scale]:
        if code == value:
            return points
    return None


def score_percent(earned: int, possible: int) -> Decimal | None:
    """Points earned as a percentage of those possible, to one decimal place."""
    if not possible:
        return None
    return (Decimal(earned) * 100 / Decimal(possible)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def answer_label(scale: str, value: str) -> str:
    for code, label, _points in SCALE_ANSWERS[scale]:
        if code == value:
            return label
    return ""


class Side(models.TextChoices):
    COMMISSIONER = "commissioner", "Commissioner"
    PROVIDER = "provider", "Provider"


class SideStatus(models.TextChoices):
    NOT_ASKED = "not_asked", "Not asked"
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


class QuestionnaireQuerySet(RestrictedQuerySet):
    def scope(self, user, action):
        # Questionnaires are reference data: whoever holds the permission sees them all.
        return self


class QuestionnaireTemplate(DatePolicyMixin, models.Model):
    """One questionnaire (the annual health check, the readiness checklist...)."""

    kind = models.CharField(max_length=20, choices=QuestionnaireKind.choices, unique=True)
    name = models.CharField(max_length=200)
    purpose = models.TextField(help_text="When to use it and what it tells you.")
    scale = models.CharField(
        "Answer scale",
        max_length=20,
        choices=AnswerScale.choices,
        help_text="How its questions are answered, unless a question says otherwise.",
    )
    provider_answers = models.BooleanField(
        "The provider answers too",
        default=True,
        help_text="Whether the provider answers its own side, for comparison.",
    )
    partnerships_only = models.BooleanField(
        default=False, help_text="Only strategic partnerships are assessed with it."
    )
    order = models.PositiveSmallIntegerField(default=0)

    objects = QuestionnaireQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("governance:questionnaire_detail", args=[self.pk])


class TemplateVersion(DatePolicyMixin, models.Model):
    template = models.ForeignKey(
        QuestionnaireTemplate, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveSmallIntegerField()
    published_on = models.DateField(null=True, blank=True)
    notes = models.TextField("What changed", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = QuestionnaireQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "number"], name="template_version_number_unique"
            )
        ]

    def __str__(self):
        return f"{self.template}, version {self.number}"

    def get_absolute_url(self):
        return f"{self.template.get_absolute_url()}?version={self.number}"

    @property
    def in_use(self) -> bool:
        return self.assessments.exists()


class QuestionArea(DatePolicyMixin, models.Model):
    version = models.ForeignKey(TemplateVersion, on_delete=models.CASCADE, related_name="areas")
    title = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="area_order_unique")
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.pk and self.version_id and self.version.in_use:
            raise ValidationError(
                "This version of the questionnaire has been used in an assessment and can no "
                "longer be changed: publish a new version instead."
            )


class Question(DatePolicyMixin, models.Model):
    area = models.ForeignKey(QuestionArea, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField()
    text = models.TextField()
    scale = models.CharField("Answer scale", max_length=20, choices=AnswerScale.choices)
    stage = models.CharField(
        max_length=30,
        blank=True,
        choices=[
            ("initiation", "Initiation"),
            ("procurement", "Procurement"),
            ("contract_management", "Contract management"),
        ],
        help_text="For the review by theme and stage: the stage of the partnership it covers.",
    )
    ask_provider = models.BooleanField(
        "The provider answers it too",
        default=True,
        help_text="Ignored unless the questionnaire has a provider side.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["area__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["area", "order"], name="question_order_unique")
        ]

    def __str__(self):
        return self.text

    def clean(self):
        if self.pk and self.area_id and self.area.version.in_use:
            raise ValidationError(
                "This version of the questionnaire has been used in an assessment and can no "
                "longer be changed: publish a new version instead."
            )

    @property
    def choices(self) -> list[tuple[str, str]]:
        return [(value, label) for value, label, _ in SCALE_ANSWERS[self.scale]]


class AssessmentQuerySet(RestrictedQuerySet):
    contract_path = "contract"

    def scope(self, user, action):
        """Provider staff see, and answer their side of, their own organisation's
        assessments; commissioner roles see every one; the contract's lead and deputy
        officers start and answer them."""

        if user.is_provider_user:
            if action not in ("view", "change"):
                return self.none()
            return self.filter(**{f"{self.contract_path}__provider_id": user.organisation_id})
        return contract_scope(self, user, action, self.contract_path)


class AnswerQuerySet(AssessmentQuerySet):
    contract_path = "assessment__contract"


class Assessment(DatePolicyMixin, models.Model):
    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.PROTECT, related_name="health_checks"
    )
    version = models.ForeignKey(
        TemplateVersion, on_delete=models.PROTECT, related_name="assessments", editable=False
    )
    kind = models.CharField(
        max_length=20, choices=QuestionnaireKind.choices, editable=False, db_index=True
    )
    assessed_on = models.DateField(
        "Date of the assessment", help_text="The date the assessment looks at the relationship."
    )
    period = models.CharField(
        "Period covered", max_length=100, blank=True, help_text="For example, 2025 to 2026."
    )
    commissioner_status = models.CharField(
        max_length=20, choices=SideStatus.choices, default=SideStatus.DRAFT, editable=False
    )
    commissioner_submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    commissioner_submitted_by = stamped_by(optional=True)
    commissioner_score = models.DecimalField(
        max_digits=5, decimal_places=1, null=True, blank=True, editable=False
    )
    provider_status = models.CharField(
        max_length=20, choices=SideStatus.choices, default=SideStatus.DRAFT, editable=False
    )
    provider_submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    provider_submitted_by = stamped_by(optional=True)
    provider_score = models.DecimalField(
        max_digits=5, decimal_places=1, null=True, blank=True, editable=False
    )
    started_by = stamped_by()

    objects = AssessmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        verbose_name = "health check"
        indexes = [models.Index(fields=["contract", "kind", "assessed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(commissioner_score__isnull=True)
                | Q(commissioner_score__gte=0, commissioner_score__lte=100),
                name="assessment_commissioner_score_percentage",
            ),
            models.CheckConstraint(
                condition=Q(provider_score__isnull=True)
                | Q(provider_score__gte=0, provider_score__lte=100),
                name="assessment_provider_score_percentage",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}, {self.contract.reference}, {self.assessed_on:%-d %B %Y}"

    def get_absolute_url(self):
        return reverse("governance:assessment_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"HC{self.pk:05d}" if self.pk else "HC(new)"

    def status_of(self, side: str) -> str:
        return getattr(self, f"{side}_status")

    def score_of(self, side: str):
        return getattr(self, f"{side}_score")

    @property
    def has_provider_side(self) -> bool:
        return self.provider_status != SideStatus.NOT_ASKED

    @property
    def is_complete(self) -> bool:
        return self.commissioner_status == SideStatus.SUBMITTED and (
            self.provider_status in (SideStatus.SUBMITTED, SideStatus.NOT_ASKED)
        )


class AssessmentAnswer(DatePolicyMixin, models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    side = models.CharField(max_length=20, choices=Side.choices)
    value = models.CharField(max_length=20, choices=ANSWER_CHOICES)
    comment = models.TextField(blank=True)
    evidence = models.ForeignKey(
        "governance.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(auto_now=True)

    objects = AnswerQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["question__area__order", "question__order", "side"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question", "side"], name="one_answer_per_question_side"
            )
        ]

    def __str__(self):
        return f"{self.get_side_display()} answer to: {self.question.text[:60]}"

    def get_absolute_url(self):
        return self.assessment.get_absolute_url()

    @property
    def label(self) -> str:
        return answer_label(self.question.scale, self.value)
