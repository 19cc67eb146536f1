"""URLs of KPIs, reporting periods and performance and financial returns."""

from django.urls import path

from contracts.performance.imports import (
    ContractKpiImporter,
    KpiDefinitionImporter,
    KpiResultImporter,
)
from contracts.performance.views.kpis import (
    ContractKpiDetail,
    ContractKpiFormView,
    ContractKpiHistory,
    ContractKpiList,
    ContractKpis,
    KpiDefinitionDetail,
    KpiDefinitionFormView,
    KpiDefinitionHistory,
    KpiDefinitionList,
)
from contracts.performance.views.returns import (
    ContractPeriods,
    FinancialLineCreate,
    FinancialLineDelete,
    FinancialReturnDetail,
    FinancialReturnHistory,
    FinancialReturnList,
    FinancialReturnTransition,
    FinancialReturnUpdate,
    PerformanceReturnDetail,
    PerformanceReturnHistory,
    PerformanceReturnList,
    PerformanceReturnTransition,
    PerformanceReturnUpdate,
    PeriodDetail,
    PeriodHistory,
    PeriodsOpen,
)
from governance.core.record_urls import record_urls
from governance.core.views.imports import import_urls

urlpatterns = [
    path("performance-menu/", KpiDefinitionList.as_view(), name="kpidefinition_list"),
    *import_urls("performance-menu/import", KpiDefinitionImporter, "kpidefinition"),
    path("performance-menu/add/", KpiDefinitionFormView.as_view(), name="kpidefinition_create"),
    *record_urls(
        "performance-menu",
        "kpidefinition",
        detail=KpiDefinitionDetail,
        update=KpiDefinitionFormView,
        history=KpiDefinitionHistory,
    ),
    path("contracts/<int:pk>/kpis/", ContractKpis.as_view(), name="contract_kpis"),
    path(
        "contracts/<int:parent_pk>/kpis/add/",
        ContractKpiFormView.as_view(),
        name="contractkpi_create",
    ),
    path("kpis/", ContractKpiList.as_view(), name="contractkpi_list"),
    *import_urls("kpis/import", ContractKpiImporter, "contractkpi"),
    *record_urls(
        "kpis",
        "contractkpi",
        detail=ContractKpiDetail,
        update=ContractKpiFormView,
        history=ContractKpiHistory,
    ),
    path("contracts/<int:pk>/returns/", ContractPeriods.as_view(), name="contract_periods"),
    path("contracts/<int:pk>/returns/open/", PeriodsOpen.as_view(), name="contract_periods_open"),
    *record_urls("periods", "period", detail=PeriodDetail, history=PeriodHistory),
    path("returns/performance/", PerformanceReturnList.as_view(), name="performancereturn_list"),
    *import_urls("returns/performance/import", KpiResultImporter, "kpiresult"),
    *record_urls(
        "returns/performance",
        "performancereturn",
        detail=PerformanceReturnDetail,
        update=PerformanceReturnUpdate,
        history=PerformanceReturnHistory,
    ),
    path(
        "returns/performance/<int:pk>/<slug:to>/",
        PerformanceReturnTransition.as_view(),
        name="performancereturn_transition",
    ),
    path("returns/finance/", FinancialReturnList.as_view(), name="financialreturn_list"),
    *record_urls(
        "returns/finance",
        "financialreturn",
        detail=FinancialReturnDetail,
        update=FinancialReturnUpdate,
        history=FinancialReturnHistory,
    ),
    path(
        "returns/finance/<int:parent_pk>/lines/add/",
        FinancialLineCreate.as_view(),
        name="financialline_create",
    ),
    path(
        "returns/finance/lines/<int:pk>/delete/",
        FinancialLineDelete.as_view(),
        name="financialline_delete",
    ),
    path(
        "returns/finance/<int:pk>/<slug:to>/",
        FinancialReturnTransition.as_view(),
        name="financialreturn_transition",
    ),
]
