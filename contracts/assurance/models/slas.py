from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from contracts.assurance.choices import ChecklistStatus, SlaStatus
from contracts.register.choices import MeetingCadence
from contracts.register.models.contracts import Contract, ContractChildQuerySet
from governance.core.datepolicy import DatePolicyMixin
from governance.core.stamp_fields import stamped_by


class SlaQuerySet(ContractChildQuerySet):
    def current(self):
        return self.filter(status=SlaStatus.AGREED)


class ServiceLevelAgreement(DatePolicyMixin, models.Model):
    """The flexible part of a contract, agreed between the parties and versioned: a new
    version supersedes the old, and both stay readable."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="slas")
    version = models.PositiveSmallIntegerField(editable=False)
    status = models.CharField(
        max_length=20, choices=SlaStatus.choices, default=SlaStatus.DRAFT, editable=False
    )
    commissioner_contacts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name="Commissioner's points of contact",
    )
    provider_contacts = models.ManyToManyField(
        "contracts.Contact",
        blank=True,
        related_name="+",
        verbose_name="Provider's points of contact",
    )
    service_requirements = models.TextField(
        help_text="What the provider must deliver, one requirement per line."
    )
    report_due_business_days = models.PositiveSmallIntegerField(
        "Quarterly reports due (business days after quarter end)",
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    finance_due_business_days = models.PositiveSmallIntegerField(
        "Quarterly financial returns due (business days after quarter end)",
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    meeting_cadence = models.CharField(
        "Contract monitoring meetings",
        max_length=20,
        choices=MeetingCadence.choices,
        default=MeetingCadence.QUARTERLY,
    )
    reporting_arrangements = models.TextField(
        blank=True, help_text="Anything else about how and when the provider reports."
    )
    clarifications = models.TextField(
        "Other agreed clarifications",
        blank=True,
        help_text="Agreed interpretations that do not change the contract's terms.",
    )
    agreed_on = models.DateField(null=True, blank=True, editable=False)
    signed_for_commissioner = stamped_by(optional=True)
    signed_for_provider = models.ForeignKey(
        "contracts.Contact",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SlaQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "-version"]
        verbose_name = "service level agreement"
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "version"], name="sla_version_unique_per_contract"
            ),
            models.UniqueConstraint(
                fields=["contract"],
                condition=Q(status="agreed"),
                name="sla_one_current_per_contract",
                violation_error_message="This contract already has a current SLA.",
            ),
            models.UniqueConstraint(
                fields=["contract"],
                condition=Q(status="draft"),
                name="sla_one_draft_per_contract",
                violation_error_message="This contract already has a draft SLA.",
            ),
        ]

    def __str__(self):
        return f"SLA version {self.version} for {self.contract.reference}"

    def get_absolute_url(self):
        return reverse("contracts:sla_detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == SlaStatus.DRAFT

    def requirement_lines(self) -> list[str]:
        return [line.strip() for line in self.service_requirements.splitlines() if line.strip()]


class ImprovementQuerySet(ContractChildQuerySet):
    contract_path = "sla__contract"


class ImprovementPlanItem(DatePolicyMixin, models.Model):
    """A continuous-improvement commitment in an SLA, with its target and date."""

    sla = models.ForeignKey(
        ServiceLevelAgreement, on_delete=models.CASCADE, related_name="improvements"
    )
    description = models.TextField()
    target = models.CharField(max_length=200)
    due_date = models.DateField()

    objects = ImprovementQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self):
        return self.target

    def get_absolute_url(self):
        return self.sla.get_absolute_url()


class ChecklistItemType(DatePolicyMixin, models.Model):
    """Reference data: the standard evidence every contract is checked for."""

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    expires = models.BooleanField(
        "Evidence expires", default=False, help_text="Certificates and policies that lapse."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ChecklistQuerySet(ContractChildQuerySet):
    def expired(self, today=None):
        today = today or timezone.localdate()
        return self.filter(status=ChecklistStatus.VERIFIED, expires_on__lt=today)

    def outstanding(self):
        return self.filter(status=ChecklistStatus.OUTSTANDING)


class ChecklistItem(DatePolicyMixin, models.Model):
    """Evidence that one of the contract's terms is met."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="checklist")
    item_type = models.ForeignKey(
        ChecklistItemType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Standard item",
    )
    title = models.CharField(max_length=200)
    status = models.CharField(
        max_length=20, choices=ChecklistStatus.choices, default=ChecklistStatus.OUTSTANDING
    )
    verified_on = models.DateField("Date verified", null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    evidence = models.ForeignKey(
        "governance.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    expires_on = models.DateField("Evidence expires on", null=True, blank=True)
    notes = models.TextField(blank=True)

    objects = ChecklistQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "title"],
                name="checklist_title_unique_per_contract",
                violation_error_message="This contract's checklist already has that item.",
            ),
            models.CheckConstraint(
                condition=~Q(status="verified")
                | (Q(verified_on__isnull=False) & Q(verified_by__isnull=False)),
                name="checklist_verified_has_date_and_verifier",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("contracts:checklistitem_history", args=[self.pk])

    def is_expired(self, today=None) -> bool:
        today = today or timezone.localdate()
        return (
            self.status == ChecklistStatus.VERIFIED
            and self.expires_on is not None
            and self.expires_on < today
        )
