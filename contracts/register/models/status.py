"""Where each contract's overall status is kept, with the reasons for it.

The status is worked out by one rule in ``governance/overall_status.py`` and written
here by that module alone: in the same transaction as any change to what it rests on,
and by the daily sweep for what the passing of time alone changes. Every page, filter,
export and report reads it from here, so they cannot disagree."""

from django.db import models

from contracts.register.choices import OverallStatus, Rag
from contracts.register.models.contracts import Contract
from governance.core.datepolicy import DatePolicyMixin
from governance.core.dates import quarter_label


class ContractOverallStatus(DatePolicyMixin, models.Model):
    contract = models.OneToOneField(
        Contract, on_delete=models.CASCADE, primary_key=True, related_name="overall"
    )
    status = models.CharField(
        "Overall status",
        max_length=20,
        choices=OverallStatus.choices,
        default=OverallStatus.NOT_YET_REPORTED,
    )
    #: Why, worst first, in sentences a reader understands ("2 performance returns overdue").
    reasons = models.JSONField(default=list)
    #: The latest accepted quarter's own RAG and the day that quarter started.
    quarter_rag = models.CharField(max_length=10, choices=Rag.choices, blank=True)
    quarter_starts_on = models.DateField(null=True)
    #: The day the status was worked out for.
    as_of = models.DateField()
    refreshed_at = models.DateTimeField()

    class Meta:
        verbose_name = "contract overall status"
        verbose_name_plural = "contract overall statuses"
        indexes = [models.Index(fields=["status"], name="contract_overall_status_idx")]

    def __str__(self):
        return f"{self.contract_id}: {self.get_status_display()}"

    @property
    def quarter_summary(self) -> str:
        """The latest accepted quarter's own RAG, named with its quarter ("Q2 2026-27:
        Green"), so it is never taken for the overall status."""
        if not self.quarter_rag:
            return "No quarter accepted yet"
        return f"{quarter_label(self.quarter_starts_on)}: {self.get_quarter_rag_display()}"
