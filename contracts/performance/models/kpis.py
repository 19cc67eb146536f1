from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from contracts.performance.choices import KpiDirection, KpiFrequency, KpiUnit
from contracts.register.models.contracts import Contract, ContractChildQuerySet
from governance.core.datepolicy import DatePolicyMixin
from governance.core.permissions import RestrictedQuerySet


class KpiFields(DatePolicyMixin, models.Model):
    """What defines an indicator, shared by the performance menu and contract KPIs."""

    name = models.CharField(max_length=200)
    service_requirement = models.CharField(
        max_length=300, help_text="The requirement this indicator measures."
    )
    unit = models.CharField(max_length=20, choices=KpiUnit.choices)
    direction = models.CharField(max_length=10, choices=KpiDirection.choices)
    target = models.DecimalField(max_digits=14, decimal_places=2)
    amber_tolerance = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text="How far short of the target still counts as amber rather than red.",
    )
    frequency = models.CharField(
        max_length=20, choices=KpiFrequency.choices, default=KpiFrequency.QUARTERLY
    )
    measurement_method = models.TextField(
        "Method of measurement", help_text="How the figure is counted and from which records."
    )
    is_key_indicator = models.BooleanField(
        "Published as a key performance indicator",
        default=False,
        help_text="Key indicators are the ones reported to SMG and published.",
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        errors = {}
        if (
            self.unit == KpiUnit.PERCENTAGE
            and self.target is not None
            and not (Decimal(0) <= self.target <= Decimal(100))
        ):
            errors["target"] = "A percentage target must be between 0 and 100."
        if self.unit != KpiUnit.CURRENCY and self.target is not None and self.target < 0:
            errors.setdefault("target", "The target cannot be negative.")
        if errors:
            raise ValidationError(errors)


class KpiDefinitionQuerySet(RestrictedQuerySet):
    def scope(self, user, action):
        # The performance menu is shared reference data: every role with the
        # permission reads it; writers are decided by the model permission.
        return self


class KpiDefinition(KpiFields):
    """An entry on the performance menu: a standard indicator contracts reuse."""

    is_active = models.BooleanField("Offered for new contracts", default=True)

    objects = KpiDefinitionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = "performance menu indicator"
        constraints = [
            models.UniqueConstraint(fields=["name"], name="kpi_definition_name_unique"),
            models.CheckConstraint(
                condition=Q(amber_tolerance__gte=0), name="kpi_definition_tolerance_not_negative"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("contracts:kpidefinition_detail", args=[self.pk])


class ContractKpi(KpiFields):
    """An indicator the provider reports on for one contract."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="kpis")
    definition = models.ForeignKey(
        KpiDefinition,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contract_kpis",
        verbose_name="From the performance menu",
    )
    is_active = models.BooleanField("Reported", default=True)

    objects = ContractChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "name"]
        verbose_name = "contract KPI"
        constraints = [
            models.UniqueConstraint(fields=["contract", "name"], name="contract_kpi_name_unique"),
            models.CheckConstraint(
                condition=Q(amber_tolerance__gte=0), name="contract_kpi_tolerance_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.contract.reference})"

    def get_absolute_url(self):
        return reverse("contracts:contractkpi_detail", args=[self.pk])
