"""The quarterly cycle: reporting periods on the UK financial year, performance
returns (one actual per KPI), financial returns, complaints and audits."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from contracts.performance.choices import ReturnSource, ReturnStatus
from contracts.performance.models.kpis import ContractKpi
from contracts.register.choices import Rag
from contracts.register.models.contracts import Contract, ContractChildQuerySet, contract_scope
from governance.core.datepolicy import DatePolicyMixin
from governance.core.stamp_fields import stamped_by

money = {"max_digits": 14, "decimal_places": 2}


class ReportingPeriod(DatePolicyMixin, models.Model):
    """One financial-year quarter of one contract (Q1 April-June ... Q4 January-March),
    with the due dates of its returns in business days after the quarter ends."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="periods")
    financial_year = models.PositiveSmallIntegerField(
        help_text="The calendar year the financial year starts in: 2026 is 2026-27."
    )
    quarter = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    performance_due_on = models.DateField("Performance return due")
    finance_due_on = models.DateField("Financial return due")

    objects = ContractChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "-starts_on"]
        # The dashboard counts across the portfolio by quarter; the register and the
        # dashboard read each contract's latest quarter. (An index on the start date alone
        # led PostgreSQL to scan every period for each contract on the register.)
        indexes = [
            models.Index(fields=["financial_year", "quarter"], name="period_year_quarter"),
            models.Index(fields=["contract", "-starts_on"], name="period_contract_latest"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "financial_year", "quarter"],
                name="period_unique_per_contract_quarter",
            )
        ]

    def __str__(self):
        return f"{self.label}, {self.contract.reference}"

    def get_absolute_url(self):
        return reverse("contracts:period_detail", args=[self.pk])

    @property
    def label(self) -> str:
        return f"Q{self.quarter} {self.financial_year}-{(self.financial_year + 1) % 100:02d}"


class ReturnQuerySet(ContractChildQuerySet):
    """Returns are written by the provider's staff as well as the contract's officers:
    provider users may change their own organisation's returns."""

    contract_path = "period__contract"

    def scope(self, user, action):
        if user.is_provider_user:
            return self.filter(period__contract__provider_id=user.organisation_id)
        return contract_scope(self, user, action, self.contract_path)


#: How a source reads within a sentence: "entered ... from an email received on ...".
_SOURCE_PHRASES = {
    ReturnSource.EMAIL: "an email received",
    ReturnSource.LETTER: "a letter received",
    ReturnSource.UPLOAD: "a portal or file upload received",
    ReturnSource.MEETING: "a meeting held",
    ReturnSource.OTHER: "a source received",
}


def _author_field(**kwargs):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        **kwargs,
    )


class CommentaryAuthor(DatePolicyMixin, models.Model):
    """Who last wrote a piece of commentary, and whether they were the provider's staff
    (kept as it was when they wrote it, so a later change of role does not relabel
    it). Reports say "Provider's commentary" only for words the provider wrote."""

    commentary_by = _author_field(verbose_name="Commentary written by")
    commentary_by_provider = models.BooleanField(default=False, editable=False)

    class Meta:
        abstract = True

    def set_commentary_author(self, actor) -> None:
        self.commentary_by = actor
        self.commentary_by_provider = bool(actor is not None and actor.is_provider_user)

    def commentary_entered_by(self, return_) -> str:
        """ "Entered by <name> (commissioner) from <source>" when the commissioner's
        staff wrote it; "" when the provider did or nobody is recorded."""
        if self.commentary_by_id is None or self.commentary_by_provider:
            return ""
        source = return_.source_phrase
        return f"entered by {self.commentary_by} (commissioner)" + (
            f" from {source}" if source else ""
        )


class ReturnWorkflow(CommentaryAuthor):
    """Who submitted a return and when, and the officer's decision on it: shared by the
    performance and financial returns, which move through the same steps.

    A return comes from the provider. Their staff submit it themselves, or the
    contract's officers enter it for them from what the provider sent, recording how it
    came (``source``). Whoever submitted it cannot also accept it, and it is accepted
    only once its quarter has ended unless the reason for accepting early is recorded.
    """

    submitted_by = stamped_by(optional=True)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    decided_by = stamped_by(optional=True)
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    return_reason = models.TextField(
        "Why it was returned for correction", blank=True, editable=False
    )
    source = models.CharField(
        "How the provider's return reached us",
        max_length=20,
        choices=ReturnSource.choices,
        blank=True,
        editable=False,
        help_text="Recorded when the commissioner's staff submit the return for the provider.",
    )
    source_received_on = models.DateField("Date received", null=True, blank=True, editable=False)
    source_note = models.TextField("About the source", blank=True, editable=False)
    early_acceptance_reason = models.TextField(
        "Why it was accepted before the quarter ended", blank=True, editable=False
    )

    class Meta:
        abstract = True

    @property
    def entered_for_provider(self) -> bool:
        """Submitted by the commissioner's staff on the provider's behalf."""
        return bool(self.source)

    @property
    def source_phrase(self) -> str:
        """ "an email received on 3 January 2027", or "" when the provider submitted it."""
        if not self.source:
            return ""
        phrase = _SOURCE_PHRASES.get(self.source, "a source received")
        if self.source_received_on:
            phrase += f" on {self.source_received_on:%-d %B %Y}"
        return phrase

    def commentary_heading(self, noun: str = "commentary") -> str:
        """The heading over the return's commentary, naming who wrote it."""
        if self.commentary_by_id is None:
            return noun[:1].upper() + noun[1:]
        if self.commentary_by_provider:
            return f"Provider's {noun}"
        return f"{noun[:1].upper()}{noun[1:]} {self.commentary_entered_by(self)}"

    @property
    def overall_commentary_heading(self) -> str:
        return self.commentary_heading("overall commentary")

    @property
    def variance_commentary_heading(self) -> str:
        return self.commentary_heading("commentary on the variance")


class PerformanceReturn(ReturnWorkflow):
    period = models.OneToOneField(
        ReportingPeriod, on_delete=models.PROTECT, related_name="performance_return"
    )
    status = models.CharField(
        max_length=20, choices=ReturnStatus.choices, default=ReturnStatus.DRAFT, editable=False
    )
    rag = models.CharField(
        "RAG for the quarter", max_length=10, choices=Rag.choices, default=Rag.NONE, editable=False
    )
    commentary = models.TextField("Overall commentary", blank=True)

    objects = ReturnQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-period__starts_on"]
        # Few returns are outstanding at any time: the sweep and the dashboard find them
        # by status.
        indexes = [models.Index(fields=["status"], name="performance_return_status")]

    def __str__(self):
        return f"Performance return {self.period}"

    def get_absolute_url(self):
        return reverse("contracts:performancereturn_detail", args=[self.pk])


class KpiResultQuerySet(ReturnQuerySet):
    contract_path = "performance_return__period__contract"

    def scope(self, user, action):
        if user.is_provider_user:
            return self.filter(
                performance_return__period__contract__provider_id=user.organisation_id
            )
        return contract_scope(self, user, action, self.contract_path)


class KpiResult(CommentaryAuthor):
    """The actual value of one KPI for one period, with its commentary and who wrote it."""

    performance_return = models.ForeignKey(
        PerformanceReturn, on_delete=models.CASCADE, related_name="results"
    )
    kpi = models.ForeignKey(ContractKpi, on_delete=models.PROTECT, related_name="results")
    actual = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    commentary = models.TextField(blank=True)
    rag = models.CharField(max_length=10, choices=Rag.choices, default=Rag.NONE, editable=False)

    objects = KpiResultQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["kpi__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["performance_return", "kpi"], name="kpi_result_unique_per_return"
            )
        ]
        indexes = [
            # The dashboard's red indicators: about one result in 250 is red, so the
            # dashboard counts them from this small index alone (PostgreSQL).
            models.Index(
                fields=["performance_return"],
                include=["id"],
                condition=models.Q(rag="red"),
                name="kpi_result_red",
            )
        ]

    def __str__(self):
        return f"{self.kpi.name}: {self.actual}"

    def get_absolute_url(self):
        return self.performance_return.get_absolute_url()

    @property
    def commentary_attribution(self) -> str:
        """ "Entered by <name> (commissioner) from <source>" under commentary the
        commissioner's staff wrote; "" under the provider's own."""
        if not self.commentary:
            return ""
        entered = self.commentary_entered_by(self.performance_return)
        return entered[:1].upper() + entered[1:]


class FinancialReturn(ReturnWorkflow):
    period = models.OneToOneField(
        ReportingPeriod, on_delete=models.PROTECT, related_name="financial_return"
    )
    status = models.CharField(
        max_length=20, choices=ReturnStatus.choices, default=ReturnStatus.DRAFT, editable=False
    )
    budget = models.DecimalField("Budget for the quarter (£)", null=True, blank=True, **money)
    actual_spend = models.DecimalField("Actual spend (£)", null=True, blank=True, **money)
    payments_made = models.DecimalField("Payments made (£)", null=True, blank=True, **money)
    commentary = models.TextField(
        "Commentary on the variance",
        blank=True,
        help_text="Required when spend differs from budget by more than the set percentage.",
    )

    objects = ReturnQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-period__starts_on"]
        indexes = [models.Index(fields=["status"], name="financial_return_status")]

    def __str__(self):
        return f"Financial return {self.period}"

    def get_absolute_url(self):
        return reverse("contracts:financialreturn_detail", args=[self.pk])

    @property
    def variance(self) -> Decimal | None:
        if self.budget is None or self.actual_spend is None:
            return None
        return self.actual_spend - self.budget

    @property
    def variance_percent(self) -> Decimal | None:
        if self.variance is None or not self.budget:
            return None
        return (self.variance * 100 / self.budget).quantize(Decimal("0.1"))


class FinancialLineQuerySet(ReturnQuerySet):
    contract_path = "financial_return__period__contract"

    def scope(self, user, action):
        if user.is_provider_user:
            return self.filter(financial_return__period__contract__provider_id=user.organisation_id)
        return contract_scope(self, user, action, self.contract_path)


class FinancialLine(DatePolicyMixin, models.Model):
    """A unit-priced line: units delivered in the quarter at the agreed unit price."""

    financial_return = models.ForeignKey(
        FinancialReturn, on_delete=models.CASCADE, related_name="lines"
    )
    description = models.CharField(max_length=200)
    unit_price = models.DecimalField(
        "Unit price (£)", validators=[MinValueValidator(Decimal(0))], **money
    )
    units_delivered = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )

    objects = FinancialLineQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.description

    def get_absolute_url(self):
        return self.financial_return.get_absolute_url()

    @property
    def amount(self) -> Decimal:
        return (self.unit_price * self.units_delivered).quantize(Decimal("0.01"))
