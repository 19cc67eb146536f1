from django.conf import settings
from django.db import models

from governance.core.datepolicy import DatePolicyMixin
from governance.core.wording import datetime_words


class ReportKind(models.TextChoices):
    CONTRACT_SUMMARY = "contract_summary", "Contract summary"
    QUARTERLY = "quarterly", "Quarterly performance report"
    RISK_LOG = "risk_log", "Risk log"
    DECISION_LOG = "decision_log", "Decision log"
    CONTACT_LOG = "contact_log", "Contact log"
    DISPUTE_FILE = "dispute_file", "Dispute file"
    HEALTH_CHECK = "health_check", "Health check"
    EXIT = "exit", "Exit report"
    CHANGE_HISTORY = "change_history", "Change history"
    AUDITOR_PACK = "auditor_pack", "Auditor pack"
    PORTFOLIO = "portfolio", "Portfolio report"
    LIST_EXPORT = "list_export", "List export"


class ReportAccessQuerySet(models.QuerySet):
    def for_contract(self, contract):
        return self.filter(contract=contract).select_related("user")


class ReportAccess(DatePolicyMixin, models.Model):
    """One report generated or downloaded: who, when, which contract (none for the
    portfolio report) and which report. Written by the report views, never edited."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="report_accesses"
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_accesses",
    )
    kind = models.CharField(max_length=30, choices=ReportKind.choices)
    detail = models.CharField(max_length=200, blank=True)
    accessed_at = models.DateTimeField(auto_now_add=True)

    objects = ReportAccessQuerySet.as_manager()

    class Meta:
        ordering = ["-accessed_at", "-pk"]
        verbose_name = "report access"
        verbose_name_plural = "report accesses"
        # The dashboard and the portfolio report are the commissioner's view of the
        # portfolio (they roll up disputes and internal risks), not the provider's.
        permissions = [("view_dashboard", "Can read the portfolio dashboard and report")]
        indexes = [models.Index(fields=["contract", "accessed_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} by {self.user} at {datetime_words(self.accessed_at)}"
