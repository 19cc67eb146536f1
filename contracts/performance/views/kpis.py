"""Pages of the performance menu and of contracts' KPIs."""

from dataclasses import dataclass

from django.urls import reverse

from contracts.performance import selectors
from contracts.performance.filtersets import ContractKpiFilterSet, KpiDefinitionFilterSet
from contracts.performance.forms import ContractKpiCreateForm, ContractKpiForm, KpiDefinitionForm
from contracts.performance.models.kpis import ContractKpi, KpiDefinition
from contracts.performance.services import kpis as services
from contracts.performance.services.kpis import format_amount
from contracts.performance.views.returns import kpi_trend_context
from contracts.register.models.contracts import Contract
from contracts.register.tabs import ContractRecordTabs, ContractTabs
from governance.core.tables import Column
from governance.core.views.base import (
    ChildFormView,
    ObjectDetailView,
    ObjectFormView,
    ObjectHistoryView,
    ObjectListView,
    ObjectMixin,
    record_tabs,
)


@dataclass(frozen=True)
class AmountColumn(Column):
    """A target or tolerance: with its unit on the page ("95%", "£1,200.00", "5 days"),
    the bare number in the CSV, which has the unit in a column of its own."""

    tolerance: bool = False

    def text(self, obj) -> str:
        return format_amount(self.raw(obj), obj.unit, tolerance=self.tolerance)


def _measure(obj) -> dict:
    """Target and tolerance written with the indicator's unit, for the summary pages."""
    return {
        "target_text": format_amount(obj.target, obj.unit),
        "tolerance_text": format_amount(obj.amber_tolerance, obj.unit, tolerance=True),
    }


# -- The performance menu ---------------------------------------------------------------


class KpiDefinitionList(ObjectListView):
    model = KpiDefinition
    selector = selectors.kpidefinition_list
    filterset_class = KpiDefinitionFilterSet
    create_url_name = "contracts:kpidefinition_create"
    import_url_name = "contracts:kpidefinition_import"
    xlsx_export = True
    default_sort = "name"
    title = "Performance menu"
    empty_message = "No indicators on the performance menu match."
    columns = [
        Column("Name", "name", sort="name", link=True),
        Column("Service requirement", "service_requirement", in_table=False),
        Column("Unit", "unit", sort="unit"),
        Column("Direction", "direction", sort="direction"),
        AmountColumn("Target", "target", numeric=True),
        AmountColumn("Amber tolerance", "amber_tolerance", numeric=True, tolerance=True),
        Column("Frequency", "frequency", sort="frequency"),
        Column("Key indicator", "is_key_indicator", sort="is_key_indicator"),
        Column("Offered for new contracts", "is_active", sort="is_active"),
        Column("Method of measurement", "measurement_method", in_table=False),
    ]


class KpiDefinitionTabs(ObjectMixin):
    model = KpiDefinition
    tabs = record_tabs("contracts:kpidefinition")


class KpiDefinitionDetail(KpiDefinitionTabs, ObjectDetailView):
    template_name = "contracts/kpis/kpidefinition_detail.html"

    def get_context_data(self, **kwargs):
        using = [
            {"kpi": kpi, **_measure(kpi)}
            for kpi in services.contracts_using(self.object, self.request.user)
        ]
        return super().get_context_data(using=using, **_measure(self.object), **kwargs)


class KpiDefinitionHistory(KpiDefinitionTabs, ObjectHistoryView):
    pass


class KpiDefinitionFormView(ObjectFormView):
    model = KpiDefinition
    form_class = KpiDefinitionForm
    create_service = services.kpidefinition_create
    update_service = services.kpidefinition_update

    def get_title(self):
        return f"Edit {self.object_label}" if self.editing else "Add an indicator to the menu"

    def get_cancel_url(self):
        return super().get_cancel_url() or reverse("contracts:kpidefinition_list")


# -- Contract KPIs -----------------------------------------------------------------------


class ContractKpis(ContractTabs, ObjectDetailView):
    """The KPI tab of a contract: its indicators, how many it publishes as key
    indicators, and the warning when a large contract publishes too few."""

    template_name = "contracts/kpis/contract_kpis.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        summary = services.contract_kpi_summary(self.object)
        context.update(
            rows=[{"kpi": kpi, **_measure(kpi)} for kpi in summary["kpis"]],
            key_indicators=summary["key_indicators"],
            warnings=summary["warnings"],
            can_add=context["can_change"]
            and self.can("add", ContractKpi)
            and self.object.status in services.KPI_EDITABLE_STATUSES,
        )
        return context


class ContractKpiList(ObjectListView):
    model = ContractKpi
    selector = selectors.contract_kpi_list
    filterset_class = ContractKpiFilterSet
    import_url_name = "contracts:contractkpi_import"
    xlsx_export = True
    title = "KPIs"
    empty_message = "No KPIs match."
    columns = [
        Column("KPI", "name", sort="name", link=True),
        Column("Contract", "contract.reference", sort="contract__reference"),
        Column("Contract title", "contract.title", in_table=False),
        Column("Provider", "contract.provider.name", sort="contract__provider__name"),
        Column("Service requirement", "service_requirement", in_table=False),
        Column("Unit", "unit", sort="unit"),
        Column("Direction", "direction", in_table=False),
        AmountColumn("Target", "target", numeric=True),
        AmountColumn("Amber tolerance", "amber_tolerance", numeric=True, tolerance=True),
        Column("Frequency", "frequency", sort="frequency"),
        Column("Key indicator", "is_key_indicator", sort="is_key_indicator"),
        Column("Reported", "is_active", sort="is_active"),
        Column("From the performance menu", "definition.name", in_table=False),
    ]


class ContractKpiFormView(ChildFormView):
    """Adds a KPI to a contract (``parent_pk``) or changes one (``pk``)."""

    model = ContractKpi
    parent_model = Contract
    parent_tab = "contracts:contract_kpis"
    create_service = services.contract_kpi_create
    update_service = services.contract_kpi_update

    def get_template_names(self):
        if self.editing:
            return ["governance/object_form.html"]
        return ["contracts/kpis/contractkpi_form.html"]

    def get_form(self):
        form_class = ContractKpiForm if self.editing else ContractKpiCreateForm
        return form_class(**self.get_form_kwargs())

    def get_title(self):
        return f"Edit {self.object_label}" if self.editing else f"Add a KPI to {self.parent}"


class ContractKpiTabs(ContractRecordTabs):
    model = ContractKpi
    tabs = record_tabs("contracts:contractkpi")
    related = ("definition",)


class ContractKpiDetail(ContractKpiTabs, ObjectDetailView):
    template_name = "contracts/kpis/contractkpi_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**_measure(self.object), **kwargs)
        context["can_edit"] = (
            context["can_change"] and self.object.contract.status in services.KPI_EDITABLE_STATUSES
        )
        context["trend"] = kpi_trend_context(self.object)
        return context


class ContractKpiHistory(ContractKpiTabs, ObjectHistoryView):
    pass
