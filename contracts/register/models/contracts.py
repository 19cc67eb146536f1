from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from contracts.register.choices import (
    ContractStatus,
    ExtensionStatus,
    LifecycleStage,
    Party,
    Tier,
    VariationStatus,
)
from governance.core.datepolicy import DatePolicyMixin
from governance.core.permissions import RestrictedQuerySet
from governance.core.stamp_fields import stamped_by

money_field = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(Decimal(0))]}


def contract_scope(queryset, user, action: str, path: str = ""):
    """Rows of records that belong to a contract, by the contract's rules: provider
    staff see their organisation's contracts and change nothing; commissioner roles see
    every contract; only the lead and deputy officers change one."""
    prefix = f"{path}__" if path else ""
    if user.is_provider_user:
        if action != "view":
            return queryset.none()
        return queryset.filter(**{f"{prefix}provider_id": user.organisation_id})
    if action == "view":
        return queryset
    return queryset.filter(
        Q(**{f"{prefix}lead_officer": user}) | Q(**{f"{prefix}deputy_officer": user})
    )


class ContractChildQuerySet(RestrictedQuerySet):
    contract_path = "contract"

    def scope(self, user, action):
        return contract_scope(self, user, action, self.contract_path)


class ServiceArea(DatePolicyMixin, models.Model):
    """Reference data kept by administrators: the kinds of service commissioned."""

    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ContractQuerySet(RestrictedQuerySet):
    def scope(self, user, action):
        return contract_scope(self, user, action)

    def officered_by(self, user):
        return self.filter(Q(lead_officer=user) | Q(deputy_officer=user))


class Contract(DatePolicyMixin, models.Model):
    reference = models.CharField(
        max_length=30, unique=True, help_text="The commissioner's reference, like NPCC-2024-017."
    )
    title = models.CharField(max_length=200)
    scope = models.TextField("Scope of services")
    provider = models.ForeignKey(
        "contracts.Organisation",
        on_delete=models.PROTECT,
        related_name="contracts",
        limit_choices_to={"kind": "provider"},
    )
    service_area = models.ForeignKey(ServiceArea, on_delete=models.PROTECT, related_name="+")
    total_value = models.DecimalField("Total contract value (£)", **money_field)
    annual_value = models.DecimalField("Annual contract value (£)", **money_field)
    original_total_value = models.DecimalField(editable=False, **money_field)
    original_annual_value = models.DecimalField(editable=False, **money_field)
    start_date = models.DateField()
    initial_end_date = models.DateField(
        help_text="The end of the term before any extension is exercised."
    )
    original_end_date = models.DateField(editable=False)
    current_end_date = models.DateField(
        editable=False, help_text="The initial end date plus the extensions exercised."
    )
    status = models.CharField(
        max_length=20, choices=ContractStatus.choices, default=ContractStatus.DRAFT, editable=False
    )
    tier = models.CharField(max_length=10, choices=Tier.choices)
    is_strategic_partnership = models.BooleanField("Strategic partnership", default=False)
    lifecycle_stage = models.CharField(
        "Partnership lifecycle stage", max_length=30, choices=LifecycleStage.choices, blank=True
    )
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts_led",
    )
    deputy_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts_deputised",
    )
    senior_responsible_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts_owned",
        verbose_name="Senior responsible owner (SRO)",
    )
    provider_executive = models.ForeignKey(
        "contracts.Contact",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Senior responsible industry executive (SRIE)",
    )
    provider_contract_manager = models.ForeignKey(
        "contracts.Contact",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Provider's contract manager",
    )
    escalation_contact = models.ForeignKey(
        "contracts.Contact",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Provider's escalation contact",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContractQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["reference"]
        permissions = [
            ("approve_material_variation", "Can approve variations that need SMG approval"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(total_value__gte=0) & Q(annual_value__gte=0),
                name="contract_values_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(initial_end_date__gt=F("start_date")),
                name="contract_ends_after_it_starts",
                violation_error_message="The end date must be after the start date.",
            ),
            models.CheckConstraint(
                condition=Q(lead_officer__isnull=True)
                | Q(deputy_officer__isnull=True)
                | ~Q(lead_officer=F("deputy_officer")),
                name="contract_deputy_differs_from_lead",
                violation_error_message=(
                    "The deputy officer must be a different person from the lead officer."
                ),
            ),
        ]
        indexes = [models.Index(fields=["status", "current_end_date"])]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return reverse("contracts:contract_detail", args=[self.pk])

    def is_officer(self, user) -> bool:
        return user.pk is not None and user.pk in (self.lead_officer_id, self.deputy_officer_id)

    @property
    def officers(self) -> tuple:
        """The lead and deputy officers named on the contract, lead first: who its alerts go to."""
        return tuple(p for p in (self.lead_officer, self.deputy_officer) if p is not None)

    @property
    def is_live(self) -> bool:
        return self.status in (ContractStatus.ACTIVE, ContractStatus.IN_EXIT)

    @property
    def overall_status(self):
        """The stored overall status with its reasons (``ContractOverallStatus``); one not
        yet worked out reads as not yet reported until the next refresh or sweep."""
        try:
            return self.overall
        except ObjectDoesNotExist:
            stored = self._meta.get_field("overall").related_model
            return stored(contract=self, reasons=[])


class ExtensionOption(DatePolicyMixin, models.Model):
    """An option to extend the term, decided by its deadline."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="extensions")
    sequence = models.PositiveSmallIntegerField(editable=False)
    length_months = models.PositiveSmallIntegerField(
        "Length (months)", validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    decision_deadline = models.DateField(
        help_text="The last day on which the commissioner may exercise the option."
    )
    status = models.CharField(
        max_length=20,
        choices=ExtensionStatus.choices,
        default=ExtensionStatus.PENDING,
        editable=False,
    )
    decided_on = models.DateField(null=True, blank=True, editable=False)
    decided_by = stamped_by(optional=True)
    decision_notes = models.TextField(blank=True, editable=False)

    objects = ContractChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "sequence"], name="extension_sequence_unique_per_contract"
            )
        ]

    def __str__(self):
        return f"Extension option {self.sequence} ({self.length_months} months)"

    def get_absolute_url(self):
        return reverse("contracts:contract_extensions", args=[self.contract_id])


class Variation(DatePolicyMixin, models.Model):
    """A proposed change to the contract's terms: value, annual value, end date or scope."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="variations")
    number = models.PositiveSmallIntegerField(editable=False)
    summary = models.CharField(max_length=200)
    justification = models.TextField("Why the change is needed")
    requested_by = models.CharField("Requested by", max_length=20, choices=Party.choices)
    new_total_value = models.DecimalField(
        "New total contract value (£)", null=True, blank=True, **money_field
    )
    new_annual_value = models.DecimalField(
        "New annual contract value (£)", null=True, blank=True, **money_field
    )
    new_end_date = models.DateField("New end date (before extensions)", null=True, blank=True)
    new_scope = models.TextField("New scope of services", blank=True)
    status = models.CharField(
        max_length=20,
        choices=VariationStatus.choices,
        default=VariationStatus.PROPOSED,
        editable=False,
    )
    proposed_by = stamped_by()
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = stamped_by(optional=True)
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    decision_notes = models.TextField(blank=True, editable=False)
    needs_smg_approval = models.BooleanField(default=False, editable=False)
    # Recorded on approval: the contract against its original terms, for change notices.
    cumulative_value_change = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, editable=False
    )
    cumulative_value_change_percent = models.DecimalField(
        max_digits=7, decimal_places=2, null=True, blank=True, editable=False
    )
    cumulative_term_change_months = models.IntegerField(null=True, blank=True, editable=False)
    # When the approved change reached the contract's terms: at approval, or later where a
    # contract change notice must be published (and any standstill end) first.
    applied_at = models.DateTimeField("Took effect", null=True, blank=True, editable=False)

    objects = ContractChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "number"], name="variation_number_unique_per_contract"
            )
        ]

    def __str__(self):
        return f"{self.reference}: {self.summary}"

    def get_absolute_url(self):
        return reverse("contracts:variation_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"{self.contract.reference}/V{self.number}"

    @property
    def is_waiting(self) -> bool:
        """Approved, but not yet part of the contract's terms."""
        return self.status == VariationStatus.APPROVED and self.applied_at is None
