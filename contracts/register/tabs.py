"""The tabs of a contract's page. Each tab is a view of its own; every record that
belongs to a contract is reached from one of these."""

from contracts.register.models.contracts import Contract
from governance.core.views.base import ObjectMixin, Tab

OVERVIEW = "Overview"
PERFORMANCE = "Performance"
MONEY = "Money"
MEETINGS = "Meetings and logs"
RISKS = "Risks and disputes"
EXIT = "Exit"
RECORDS = "Documents and history"

# Grouped into a few sections, so the page shows seven headings rather than twenty-odd tabs;
# the tabs of the section in view are listed under them.
CONTRACT_TABS = [
    Tab("Overview", "contracts:contract_detail", section=OVERVIEW),
    Tab("SLA", "contracts:contract_slas", section=OVERVIEW),
    Tab("Checklist", "contracts:contract_checklist", section=OVERVIEW),
    Tab(
        "Health checks",
        "governance:contract_health_checks",
        "governance.view_assessment",
        section=OVERVIEW,
    ),
    Tab("Returns", "contracts:contract_periods", section=PERFORMANCE),
    Tab("KPIs", "contracts:contract_kpis", section=PERFORMANCE),
    Tab("Performance notices", "contracts:contract_performance", section=PERFORMANCE),
    Tab("Complaints", "contracts:contract_complaints", section=PERFORMANCE),
    Tab("Audits", "contracts:contract_audits", section=PERFORMANCE),
    Tab("Invoices", "contracts:contract_invoices", section=MONEY),
    Tab("Variations", "contracts:contract_variations", section=MONEY),
    Tab("Extensions", "contracts:contract_extensions", section=MONEY),
    Tab("Procurement", "contracts:contract_procurement", section=MONEY),
    Tab("Meetings", "governance:contract_meetings", section=MEETINGS),
    Tab("Actions", "governance:contract_actions", section=MEETINGS),
    Tab("Decisions", "governance:contract_decisions", "governance.view_decision", section=MEETINGS),
    Tab(
        "Contact log",
        "governance:contract_contact_log",
        "governance.view_contactlogentry",
        section=MEETINGS,
    ),
    Tab("Risks", "risks:contract_risks", section=RISKS),
    Tab("Disputes", "disputes:contract_disputes", "disputes.view_dispute", section=RISKS),
    Tab("Exit", "contracts:contract_exit", section=EXIT),
    Tab("Documents", "contracts:contract_documents", section=RECORDS),
    Tab("Reports", "governance:contract_reports", "governance.view_auditor_pack", section=RECORDS),
    Tab("History", "contracts:contract_history", section=RECORDS),
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


class ContractRecordTabs(ObjectMixin):
    """Mix into a view of one record that belongs to a contract (``pk`` in the URL): the
    contract and its provider are read with the record, with the further relations the
    page shows (``related``), and the page gets ``contract`` and, where one is named,
    the ``object_template`` it extends."""

    related: tuple[str, ...] = ()
    object_template: str | None = None

    def prepare_queryset(self, queryset):
        return queryset.select_related("contract", "contract__provider", *self.related)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("contract", self.object.contract)
        if self.object_template:
            kwargs.setdefault("object_template", self.object_template)
        return super().get_context_data(**kwargs)
