"""Exit: the written notice of the commissioner's plans before a contract ends, the exit
plan and its tasks, termination notices, the service transfer plan a termination opens,
and the post-contract review that must be held before a contract ends."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import DateField, F, Func, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from contracts.register.choices import Party
from contracts.register.models.contracts import Contract, ContractChildQuerySet, contract_scope
from governance.core.datepolicy import DatePolicyMixin
from governance.core.dates import add_months
from governance.core.stamp_fields import stamped_by
from governance.core.wording import datetime_words

#: The commissioner tells the provider its plans for the end of the contract no less
#: than this many months before the end date.
EXIT_NOTICE_MONTHS = 6


def exit_notice_deadline(end_date: datetime.date) -> datetime.date:
    """The last day for the written notice of the commissioner's plans: six calendar
    months before the end date, clipped to the month's end (31 August -> 28/29 February)."""
    return add_months(end_date, -EXIT_NOTICE_MONTHS)


def exit_notice_breached(*, deadline: datetime.date, today: datetime.date) -> bool:
    """Without a notice of plans, the deadline is breached from the day itself: on that
    day only six months remain."""
    return today >= deadline


class ExitNoticeDeadline(Func):
    """``exit_notice_deadline`` in the database, so lists can filter and sort by it:
    ``EXIT_NOTICE_MONTHS`` calendar months before a date, clipped to the month's end
    (31 August -> 28 or 29 February)."""

    output_field = DateField()

    def as_sql(self, compiler, connection, **extra_context):
        # PostgreSQL's interval arithmetic already clips to the month's end.
        sql, params = compiler.compile(self.source_expressions[0])
        return (
            f"CAST(({sql} - make_interval(months => %s)) AS date)",
            (*params, EXIT_NOTICE_MONTHS),
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        # SQLite rolls 31 August - 6 months over into March; the earlier of that and
        # the last day of the month the months take it back to is the clipped date.
        sql, params = compiler.compile(self.source_expressions[0])
        months_back = f"-{EXIT_NOTICE_MONTHS} months"
        to_month_end = f"-{EXIT_NOTICE_MONTHS - 1} months"
        return (
            f"MIN(DATE({sql}, %s), DATE({sql}, 'start of month', %s, '-1 day'))",
            (*params, months_back, *params, to_month_end),
        )


class ExitIntention(models.TextChoices):
    EXTEND = "extend", "Extend the contract"
    RECOMMISSION = "recommission", "Re-commission the service"
    DECOMMISSION = "decommission", "Decommission the service"
    LET_EXPIRE = "let_expire", "Let the contract expire"


class ExitPlanType(models.TextChoices):
    DECOMMISSION = "decommission", "Decommissioning"
    RECOMMISSION = "recommission", "Re-commissioning"


class ExitPlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AGREED = "agreed", "Agreed"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"


class ExitTaskArea(models.TextChoices):
    SERVICE_USERS = "service_users", "Service users"
    STAFF = "staff", "Staff"
    DATA = "data", "Data and records"
    ASSETS = "assets", "Assets"
    COMMUNICATIONS = "communications", "Communications"


class ExitTaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class TerminationExtent(models.TextChoices):
    FULL = "full", "The whole contract"
    PARTIAL = "partial", "Part of the contract"


class TransferPlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned with comments"
    APPROVED = "approved", "Approved"
    SIGNED = "signed", "Signed by both parties"


class TransferPlanEventKind(models.TextChoices):
    OPENED = "opened", "Opened"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned with comments"
    APPROVED = "approved", "Approved"
    SIGNED_PROVIDER = "signed_provider", "Signed for the provider"
    SIGNED_COMMISSIONER = "signed_commissioner", "Signed for the commissioner"


class ExitNotice(DatePolicyMixin, models.Model):
    """The commissioner's written notice to the provider of its plans for the end of
    the contract. It satisfies the notice deadline for the end date it was given
    against; if a variation later moves the end date, the stored date shows it."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="exit_notices")
    sent_on = models.DateField("Date sent")
    recipient_contact = models.ForeignKey(
        "contracts.Contact",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Sent to (provider contact)",
    )
    recipient_name = models.CharField(
        "Sent to (name and role)",
        max_length=200,
        blank=True,
        help_text="Only if the person is not in the provider's contacts.",
    )
    intention = models.CharField(
        "The commissioner's plans", max_length=20, choices=ExitIntention.choices
    )
    details = models.TextField(blank=True, help_text="Anything the notice said beyond the plan.")
    evidence = models.ForeignKey(
        "governance.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Copy of the notice",
    )
    contact_log_entry = models.ForeignKey(
        "governance.ContactLogEntry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Contact log entry",
    )
    end_date = models.DateField(
        "End date the notice was given against",
        editable=False,
        help_text="The contract's end date when the notice was recorded.",
    )
    recorded_by = stamped_by()
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ContractChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "-sent_on", "-pk"]
        verbose_name = "exit notice"
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient_contact__isnull=False) | ~Q(recipient_name=""),
                name="exit_notice_has_recipient",
                violation_error_message="Say who the notice was sent to.",
            ),
            models.CheckConstraint(
                condition=Q(evidence__isnull=False) | Q(contact_log_entry__isnull=False),
                name="exit_notice_has_evidence",
                violation_error_message=(
                    "Attach a copy of the notice or link the contact log entry that records it."
                ),
            ),
        ]

    def __str__(self):
        return f"Exit notice for {self.contract.reference} sent {self.sent_on:%-d %B %Y}"

    def get_absolute_url(self):
        return reverse("contracts:contract_exit", args=[self.contract_id])

    @property
    def recipient(self) -> str:
        if self.recipient_contact_id:
            return str(self.recipient_contact)
        return self.recipient_name

    @property
    def deadline(self) -> datetime.date:
        return exit_notice_deadline(self.end_date)

    @property
    def was_late(self) -> bool:
        return self.sent_on > self.deadline


class ExitPlanQuerySet(ContractChildQuerySet):
    pass


class ExitPlan(DatePolicyMixin, models.Model):
    """How the contract's end is handled with the provider so that service users and
    staff are affected as little as possible."""

    contract = models.OneToOneField(Contract, on_delete=models.PROTECT, related_name="exit_plan")
    plan_type = models.CharField("Type of exit", max_length=20, choices=ExitPlanType.choices)
    incoming_provider = models.ForeignKey(
        "contracts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "provider"},
        verbose_name="Incoming provider",
        help_text="When re-commissioning, if the new provider is known.",
    )
    status = models.CharField(
        max_length=20,
        choices=ExitPlanStatus.choices,
        default=ExitPlanStatus.DRAFT,
        editable=False,
    )
    approach = models.TextField(
        "How the exit will be handled", help_text="The plan in brief: phases, milestones."
    )
    incumbent_obligations = models.TextField(
        "The current provider's obligations during the transition"
    )
    risks = models.ManyToManyField(
        "risks.Risk",
        blank=True,
        related_name="exit_plans",
        limit_choices_to={"category": "exit"},
        verbose_name="Exit risks",
    )
    created_by = stamped_by()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ExitPlanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["contract"]
        verbose_name = "exit plan"
        constraints = [
            models.CheckConstraint(
                condition=Q(plan_type="recommission") | Q(incoming_provider__isnull=True),
                name="exit_plan_incoming_provider_only_when_recommissioning",
                violation_error_message=("Only a re-commissioning plan has an incoming provider."),
            )
        ]

    def __str__(self):
        return f"Exit plan for {self.contract.reference}"

    def get_absolute_url(self):
        return reverse("contracts:exitplan_detail", args=[self.pk])


class ExitTaskQuerySet(ContractChildQuerySet):
    contract_path = "plan__contract"


class ExitTask(DatePolicyMixin, models.Model):
    plan = models.ForeignKey(ExitPlan, on_delete=models.CASCADE, related_name="tasks")
    area = models.CharField(max_length=20, choices=ExitTaskArea.choices)
    description = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField()
    status = models.CharField(
        max_length=20, choices=ExitTaskStatus.choices, default=ExitTaskStatus.NOT_STARTED
    )

    objects = ExitTaskQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "due_date", "pk"]
        verbose_name = "exit task"

    def __str__(self):
        return f"{self.get_area_display()}: {self.description[:60]}"

    def get_absolute_url(self):
        return reverse("contracts:exitplan_detail", args=[self.plan_id])


class TerminationNotice(DatePolicyMixin, models.Model):
    """Notice, served by either party, that the contract (or part of it) will end
    before its term."""

    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="termination_notices"
    )
    extent = models.CharField(max_length=10, choices=TerminationExtent.choices)
    affected = models.TextField(
        "What the termination affects",
        blank=True,
        help_text="For a partial termination: the services, sites or lots that end.",
    )
    reason = models.TextField("Reason for termination")
    served_by = models.CharField("Served by", max_length=20, choices=Party.choices)
    notice_date = models.DateField("Date of notice")
    effective_date = models.DateField("Date termination takes effect")
    recorded_by = stamped_by()
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ContractChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "-notice_date", "-pk"]
        verbose_name = "termination notice"
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_date__gte=F("notice_date")),
                name="termination_effective_not_before_notice",
                violation_error_message=(
                    "The termination cannot take effect before the date of the notice."
                ),
            ),
            models.CheckConstraint(
                condition=Q(extent="full") | ~Q(affected=""),
                name="termination_partial_says_what_is_affected",
                violation_error_message="Say what the partial termination affects.",
            ),
        ]

    def __str__(self):
        return (
            f"Termination notice for {self.contract.reference} "
            f"({self.get_extent_display().lower()}) dated {self.notice_date:%-d %B %Y}"
        )

    def get_absolute_url(self):
        return reverse("contracts:contract_exit", args=[self.contract_id])


class TransferPlanQuerySet(ContractChildQuerySet):
    def scope(self, user, action):
        """Provider staff prepare and sign their own organisation's plans, so unlike
        other contract records they may change them; the commissioner's side follows the
        contract's rule."""
        if user.is_provider_user:
            if user.organisation_id is None:
                return self.none()
            return self.filter(contract__provider_id=user.organisation_id)
        return contract_scope(self, user, action, "contract")


class ServiceTransferPlan(DatePolicyMixin, models.Model):
    """The provider's plan for handing the service over after a termination notice:
    submitted by the provider, reviewed by the commissioner, signed by both."""

    termination_notice = models.OneToOneField(
        TerminationNotice, on_delete=models.PROTECT, related_name="transfer_plan", editable=False
    )
    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="transfer_plans", editable=False
    )
    status = models.CharField(
        max_length=20,
        choices=TransferPlanStatus.choices,
        default=TransferPlanStatus.DRAFT,
        editable=False,
    )
    documentation = models.TextField(
        "Documentation to transfer",
        blank=True,
        help_text="Records, case files, policies and manuals that pass to the commissioner "
        "or the next provider, and how.",
    )
    service_details = models.TextField(
        "Service details",
        blank=True,
        help_text="How the service runs today: locations, hours, systems, volumes.",
    )
    priority_clients = models.TextField(
        "Clients whose continued support matters most",
        blank=True,
        help_text="Who they are (no personal details here: use references) and what "
        "each needs so that support carries on without a break.",
    )
    review_comments = models.TextField(
        "Latest comments from the commissioner", blank=True, editable=False
    )
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    submitted_by = stamped_by(optional=True)
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    approved_by = stamped_by(optional=True)
    provider_signed_at = models.DateTimeField(null=True, blank=True, editable=False)
    provider_signed_by = stamped_by(optional=True, verbose_name="Signed for the provider by")
    commissioner_signed_at = models.DateTimeField(null=True, blank=True, editable=False)
    commissioner_signed_by = stamped_by(
        optional=True, verbose_name="Signed for the commissioner by"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TransferPlanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "-created_at"]
        verbose_name = "service transfer plan"
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="signed")
                | (Q(provider_signed_by__isnull=False) & Q(commissioner_signed_by__isnull=False)),
                name="transfer_plan_signed_by_both",
            )
        ]

    def __str__(self):
        return f"Service transfer plan for {self.contract.reference}"

    def get_absolute_url(self):
        return reverse("contracts:transferplan_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in (TransferPlanStatus.DRAFT, TransferPlanStatus.RETURNED)


class TransferPlanEventQuerySet(ContractChildQuerySet):
    contract_path = "plan__contract"

    def scope(self, user, action):
        if user.is_provider_user:
            if action != "view" or user.organisation_id is None:
                return self.none()
            return self.filter(plan__contract__provider_id=user.organisation_id)
        return super().scope(user, action)


class ServiceTransferPlanEvent(DatePolicyMixin, models.Model):
    """One step in the plan's life, with who took it, when, and what they said."""

    plan = models.ForeignKey(ServiceTransferPlan, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=TransferPlanEventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    comments = models.TextField(blank=True)

    objects = TransferPlanEventQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} by {self.actor} at {datetime_words(self.at)}"


class PostContractReviewQuerySet(ContractChildQuerySet):
    def scope(self, user, action):
        """The review is the commissioner's own learning for future commissioning:
        provider staff see none of it."""
        if user.is_provider_user:
            return self.none()
        return super().scope(user, action)


class PostContractReview(DatePolicyMixin, models.Model):
    """The review held as the contract ends: what it achieved against its intended
    outcomes and what the next commissioning should learn."""

    contract = models.OneToOneField(
        Contract, on_delete=models.PROTECT, related_name="post_contract_review"
    )
    held_on = models.DateField("Date of the review")
    attendees = models.TextField(help_text="Who took part, one per line, with their role.")
    outcomes_assessment = models.TextField(
        "Benefits or losses against the intended outcomes",
        help_text="What the contract delivered, or failed to, compared with what it set out "
        "to achieve.",
    )
    lessons_learned = models.TextField("Lessons learned")
    future_commissioning = models.TextField(
        "What this means for future commissioning",
    )
    recorded_by = stamped_by()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PostContractReviewQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "pk"]
        verbose_name = "post-contract review"

    def __str__(self):
        return f"Post-contract review of {self.contract.reference}"

    def get_absolute_url(self):
        return reverse("contracts:postcontractreview_detail", args=[self.pk])

    def attendee_lines(self) -> list[str]:
        return [line.strip() for line in self.attendees.splitlines() if line.strip()]
