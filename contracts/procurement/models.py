"""Procurement Act 2023: the regime each contract was procured under, the notices it owes
on Find a Tender, the KPI duty's exemptions, how each variation was classified for a
change notice, and how a contract ended for its termination notice."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from contracts.procurement.choices import (
    OPEN_NOTICE_STATUSES,
    ContractKind,
    EndingReason,
    ExemptionStatus,
    NoticeKind,
    NoticeStatus,
    Regime,
)
from contracts.register.models.contracts import Contract, ContractChildQuerySet, Variation
from governance.core.datepolicy import DatePolicyMixin, on
from governance.core.stamp_fields import stamped_by


def act_commencement():
    """The day the Procurement Act 2023 came into force (a setting)."""
    return settings.PROCUREMENT_ACT_COMMENCEMENT


class ContractProcurement(DatePolicyMixin, models.Model):
    """How a contract was procured: the regime whose duties it carries and the facts
    that switch particular duties on or off."""

    contract = models.OneToOneField(Contract, on_delete=models.CASCADE, related_name="procurement")
    regime = models.CharField(
        "Procurement regime",
        max_length=20,
        choices=Regime.choices,
        default=Regime.EARLIER,
        help_text=(
            "Contracts procured under the Procurement Act 2023 owe notices on Find a Tender; "
            "contracts from earlier procurements owe none of them."
        ),
    )
    procurement_started_on = models.DateField(
        "Date the procurement started",
        null=True,
        blank=True,
        help_text=(
            "The day the first notice was published or the procurement otherwise began. "
            "Needed for a contract under the Act."
        ),
    )
    kind = models.CharField(
        "Type of contract",
        max_length=10,
        choices=ContractKind.choices,
        default=ContractKind.SERVICES,
        help_text="Works contracts may change by a larger share before a change notice is due.",
    )
    entered_into_on = models.DateField(
        "Date the contract was entered into",
        null=True,
        blank=True,
        help_text="The day both parties signed. The contract details notice is due 30 days later.",
    )
    light_touch = models.BooleanField(
        "Light-touch contract",
        default=False,
        help_text="Health, social, education and other services under the light-touch rules.",
    )
    framework = models.BooleanField("Framework agreement", default=False)
    concession = models.BooleanField("Concession contract", default=False)
    utilities = models.BooleanField(
        "Utilities contract awarded by a private utility", default=False
    )

    objects = ContractChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "contract procurement"
        constraints = [
            models.CheckConstraint(
                condition=Q(regime="earlier") | Q(procurement_started_on__isnull=False),
                name="procurement_act_needs_start_date",
                violation_error_message=(
                    "Enter the date the procurement started: a contract under the Act needs it."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.contract.reference}: {self.get_regime_display()}"

    def get_absolute_url(self):
        return reverse("contracts:contract_detail", args=[self.contract_id])

    @property
    def is_act(self) -> bool:
        return self.regime == Regime.ACT_2023

    def clean(self):
        super().clean()
        errors = {}
        if self.regime == Regime.ACT_2023:
            started = self.procurement_started_on
            if started is None:
                errors["procurement_started_on"] = (
                    "Enter the date the procurement started: a contract under the Act needs it."
                )
            elif started < act_commencement():
                errors["regime"] = (
                    f"A procurement that started before {on(act_commencement())} stays under "
                    "the earlier regime. Choose the earlier regime, or correct the date the "
                    "procurement started."
                )
        if (
            self.entered_into_on
            and self.procurement_started_on
            and self.entered_into_on < self.procurement_started_on
        ):
            errors["entered_into_on"] = (
                "The contract cannot be entered into before its procurement started."
            )
        if errors:
            raise ValidationError(errors)


#: Notices the contracting authority owes as a whole, not one contract: the payments
#: compliance notice covers every contract under the Act for its six months.
AUTHORITY_NOTICE_KINDS = (NoticeKind.PAYMENTS_COMPLIANCE,)


class NoticeQuerySet(ContractChildQuerySet):
    def open(self):
        return self.filter(status__in=OPEN_NOTICE_STATUSES)

    def authority_wide(self):
        return self.filter(contract__isnull=True)

    def scope(self, user, action):
        """A contract's notices follow the contract's rules. The authority's own
        notices (no contract) are seen and prepared by the commissioner's staff, never
        by providers."""
        scoped = super().scope(user, action)
        if user.is_provider_user:
            return scoped
        return scoped | self.filter(contract__isnull=True)


class Notice(DatePolicyMixin, models.Model):
    """A notice a contract owes on Find a Tender, from owed to published (or found not
    to be required). Created once per duty: ``key`` names the duty within the contract
    and kind ("contract" for a one-off notice, "variation-12", "2026-H1" ...). The
    payments compliance notice belongs to no contract: the authority owes one for each
    six months, covering all its contracts under the Act."""

    contract = models.ForeignKey(
        Contract,
        on_delete=models.PROTECT,
        related_name="notices",
        null=True,
        blank=True,
        help_text="Empty for a notice the authority owes as a whole.",
    )
    kind = models.CharField(max_length=30, choices=NoticeKind.choices)
    key = models.CharField(max_length=100, editable=False)
    due_on = models.DateField("Due by")
    status = models.CharField(
        max_length=20, choices=NoticeStatus.choices, default=NoticeStatus.DUE, editable=False
    )
    period_start = models.DateField("Period from", null=True, blank=True)
    period_end = models.DateField("Period to", null=True, blank=True)
    # What the notice is about, where it is more than the contract: a variation, an
    # assessment, a breach decision, a payments period.
    source_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    summary = models.TextField(
        "Notice text", blank=True, help_text="What the notice will say, drafted before approval."
    )
    fts_identifier = models.CharField(
        "Find a Tender notice identifier",
        max_length=60,
        blank=True,
        help_text="The identifier Find a Tender gave the published notice, like 2026/S 000-012345.",
    )
    published_on = models.DateField("Date published", null=True, blank=True)
    not_required_reason = models.TextField("Why the notice is not required", blank=True)
    drafted_by = stamped_by(optional=True)
    drafted_at = models.DateTimeField(null=True, blank=True, editable=False)
    approved_by = stamped_by(optional=True)
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NoticeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "contract", "kind", "pk"]
        permissions = [("approve_notice", "Can approve notices for publication")]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "kind", "key"], name="notice_owed_once_per_duty"
            ),
            models.UniqueConstraint(
                fields=["kind", "key"],
                condition=Q(contract__isnull=True),
                name="authority_notice_owed_once_per_duty",
            ),
            models.CheckConstraint(
                condition=(Q(kind__in=AUTHORITY_NOTICE_KINDS) & Q(contract__isnull=True))
                | (~Q(kind__in=AUTHORITY_NOTICE_KINDS) & Q(contract__isnull=False)),
                name="notice_authority_wide_by_kind",
                violation_error_message=(
                    "A payments compliance notice covers the whole authority; every other "
                    "notice belongs to one contract."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="published")
                | (~Q(fts_identifier="") & Q(published_on__isnull=False)),
                name="notice_published_has_identifier_and_date",
                violation_error_message=(
                    "A published notice needs its Find a Tender identifier and the date it "
                    "was published."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="not_required") | ~Q(not_required_reason=""),
                name="notice_not_required_has_reason",
                violation_error_message="Say why the notice is not required.",
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=F("period_start")),
                name="notice_period_ends_after_it_starts",
                violation_error_message="The period must end on or after the day it starts.",
            ),
            models.CheckConstraint(
                condition=Q(source_type__isnull=True, source_id__isnull=True)
                | Q(source_type__isnull=False, source_id__isnull=False),
                name="notice_source_complete",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.owner_label}"

    def get_absolute_url(self):
        return reverse("contracts:notice_detail", args=[self.pk])

    @property
    def is_authority_wide(self) -> bool:
        return self.contract_id is None

    @property
    def owner_label(self) -> str:
        """Whose notice it is: the contract's reference, or the whole authority with the
        period it covers."""
        if self.contract_id is not None:
            return self.contract.reference
        if self.period_start and self.period_end:
            return f"all contracts, {on(self.period_start)} to {on(self.period_end)}"
        return "all contracts"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_NOTICE_STATUSES

    def clean(self):
        super().clean()
        errors = {}
        if self.status == NoticeStatus.PUBLISHED:
            if not self.fts_identifier.strip():
                errors["fts_identifier"] = (
                    "Enter the notice identifier Find a Tender gave the published notice."
                )
            if self.published_on is None:
                errors["published_on"] = "Enter the date the notice was published."
        if self.status == NoticeStatus.NOT_REQUIRED and not self.not_required_reason.strip():
            errors["not_required_reason"] = "Say why the notice is not required."
        if errors:
            raise ValidationError(errors)


class KpiDutyExemption(DatePolicyMixin, models.Model):
    """An exemption from the KPI duty for one contract: asked for by its officers with a
    reason, recorded by a member of SMG who did not ask for it."""

    contract = models.OneToOneField(
        Contract, on_delete=models.CASCADE, related_name="kpi_duty_exemption"
    )
    reason = models.TextField("Why the contract is exempt")
    status = models.CharField(
        max_length=20,
        choices=ExemptionStatus.choices,
        default=ExemptionStatus.REQUESTED,
        editable=False,
    )
    requested_by = stamped_by()
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = stamped_by(optional=True)
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    decision_notes = models.TextField(blank=True, editable=False)

    objects = ContractChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "KPI duty exemption"
        permissions = [("decide_kpi_duty_exemption", "Can record exemptions from the KPI duty")]

    def __str__(self):
        return f"KPI duty exemption for {self.contract.reference}"

    def get_absolute_url(self):
        return reverse("contracts:contract_procurement", args=[self.contract_id])


class ChangeClassificationQuerySet(ContractChildQuerySet):
    contract_path = "variation__contract"


class ChangeClassification(DatePolicyMixin, models.Model):
    """How an approved variation was classified for a contract change notice, with the
    figures behind the decision (cumulative changes against the original terms)."""

    variation = models.OneToOneField(
        Variation, on_delete=models.CASCADE, related_name="change_classification"
    )
    kind = models.CharField(max_length=10, choices=ContractKind.choices)
    value_change_percent = models.DecimalField(
        "Change in total value (%)", max_digits=9, decimal_places=2
    )
    value_threshold_percent = models.DecimalField(
        "Value change allowed without a notice (%)", max_digits=5, decimal_places=2
    )
    term_change_percent = models.DecimalField("Change in term (%)", max_digits=9, decimal_places=2)
    term_threshold_percent = models.DecimalField(
        "Term change allowed without a notice (%)", max_digits=5, decimal_places=2
    )
    notice_required = models.BooleanField("Change notice required")
    explanation = models.TextField()
    voluntary_notice = models.BooleanField("Change notice published voluntarily", default=False)
    standstill_starts_on = models.DateField("Voluntary standstill from", null=True, blank=True)
    standstill_ends_on = models.DateField("Voluntary standstill until", null=True, blank=True)
    classified_at = models.DateTimeField(auto_now_add=True)

    objects = ChangeClassificationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "change notice classification"
        constraints = [
            models.CheckConstraint(
                condition=Q(standstill_starts_on__isnull=True, standstill_ends_on__isnull=True)
                | Q(standstill_starts_on__isnull=False, standstill_ends_on__isnull=False),
                name="change_standstill_has_both_dates",
                violation_error_message="Enter both the start and the end of the standstill.",
            ),
        ]

    def __str__(self):
        return f"Change notice classification for {self.variation.reference}"

    def get_absolute_url(self):
        return reverse("contracts:variation_detail", args=[self.variation_id])


class ContractEnding(DatePolicyMixin, models.Model):
    """Why and when a contract ended, for its termination notice; for a breach, what the
    notice must say about it."""

    contract = models.OneToOneField(Contract, on_delete=models.CASCADE, related_name="ending")
    ended_on = models.DateField("Date the contract ended")
    cause = models.CharField("Why the contract ended", max_length=20, choices=EndingReason.choices)
    details = models.TextField("More about why it ended", blank=True)
    breach_description = models.TextField(
        "The breach", blank=True, help_text="What the provider failed to do, and when."
    )
    breach_damages_or_settlement = models.BooleanField(
        "Damages were paid or a settlement was reached for the breach", default=False
    )
    breach_disputed = models.BooleanField("The provider disputes the breach", default=False)

    objects = ContractChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "contract ending"
        constraints = [
            models.CheckConstraint(
                condition=~Q(cause="breach") | ~Q(breach_description=""),
                name="ending_breach_is_described",
                violation_error_message="Describe the breach the contract was terminated for.",
            ),
        ]

    def __str__(self):
        return f"{self.contract.reference} ended {on(self.ended_on)}"

    def get_absolute_url(self):
        return reverse("contracts:contract_procurement", args=[self.contract_id])

    def clean(self):
        super().clean()
        if self.cause == EndingReason.BREACH and not self.breach_description.strip():
            raise ValidationError(
                {"breach_description": "Describe the breach the contract was terminated for."}
            )
