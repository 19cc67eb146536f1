"""The tabs of a contract's page. Each tab is a view of its own; every record that
belongs to a contract is reached from one of these."""

from contracts.register.models.contracts import Contract
from governance.core.views.base import ObjectMixin, Tab

CONTRACT_TABS = [
    Tab("Overview", "contracts:contract_detail"),
    Tab("Returns", "contracts:contract_periods"),
    Tab("Meetings", "governance:contract_meetings"),
    Tab("Actions", "governance:contract_actions"),
    Tab("Decisions", "governance:contract_decisions", "governance.view_decision"),
    Tab("Contact log", "governance:contract_contact_log", "governance.view_contactlogentry"),
    Tab("Extensions", "contracts:contract_extensions"),
    Tab("Variations", "contracts:contract_variations"),
    Tab("Procurement", "contracts:contract_procurement"),
    Tab("Exit", "contracts:contract_exit"),
    Tab("SLA", "contracts:contract_slas"),
    Tab("KPIs", "contracts:contract_kpis"),
    Tab("Checklist", "contracts:contract_checklist"),
    Tab("Complaints", "contracts:contract_complaints"),
    Tab("Audits", "contracts:contract_audits"),
    Tab("Invoices", "contracts:contract_invoices"),
    Tab("Performance notices", "contracts:contract_performance"),
    Tab("Risks", "risks:contract_risks"),
    Tab("Disputes", "disputes:contract_disputes", "disputes.view_dispute"),
    Tab("Health checks", "governance:contract_health_checks", "governance.view_assessment"),
    Tab("Documents", "contracts:contract_documents"),
    Tab("Reports", "governance:contract_reports", "governance.view_auditor_pack"),
    Tab("History", "contracts:contract_history"),
]


class ContractTabs(ObjectMixin):
    """Mix into a view of one contract (``pk`` in the URL) to get its tabs and scope."""

    model = Contract
    tabs = CONTRACT_TABS

    def prepare_queryset(self, queryset):
        # The people are read by the overview alone (selectors.with_people): joining them
        # here made a ten-table join that PostgreSQL took longer to plan than to run.
        return queryset.select_related("provider", "service_area", "overall")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            contract=self.object, object_template="contracts/contract_base.html", **kwargs
        )
