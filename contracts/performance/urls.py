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
from governance.core.views.imports import import_urls

urlpatterns = [
    path("performance-menu/", KpiDefinitionList.as_view(), name="kpidefinition_list"),
    *import_urls("performance-menu/import", KpiDefinitionImporter, "kpidefinition"),
    path("performance-menu/add/", KpiDefinitionFormView.as_view(), name="kpidefinition_create"),
    path("performance-menu/<int:pk>/", KpiDefinitionDetail.as_view(), name="kpidefinition_detail"),
    path(
        "performance-menu/<int:pk>/edit/",
        KpiDefinitionFormView.as_view(),
        name="kpidefinition_update",
    ),
    path(
        "performance-menu/<int:pk>/history/",
        KpiDefinitionHistory.as_view(),
        name="kpidefinition_history",
    ),
    path("contracts/<int:pk>/kpis/", ContractKpis.as_view(), name="contract_kpis"),
    path(
        "contracts/<int:parent_pk>/kpis/add/",
        ContractKpiFormView.as_view(),
        name="contractkpi_create",
    ),
    path("kpis/", ContractKpiList.as_view(), name="contractkpi_list"),
    *import_urls("kpis/import", ContractKpiImporter, "contractkpi"),
    path("kpis/<int:pk>/", ContractKpiDetail.as_view(), name="contractkpi_detail"),
    path("kpis/<int:pk>/edit/", ContractKpiFormView.as_view(), name="contractkpi_update"),
    path("kpis/<int:pk>/history/", ContractKpiHistory.as_view(), name="contractkpi_history"),
    path("contracts/<int:pk>/returns/", ContractPeriods.as_view(), name="contract_periods"),
    path("contracts/<int:pk>/returns/open/", PeriodsOpen.as_view(), name="contract_periods_open"),
    path("periods/<int:pk>/", PeriodDetail.as_view(), name="period_detail"),
    path("periods/<int:pk>/history/", PeriodHistory.as_view(), name="period_history"),
    path("returns/performance/", PerformanceReturnList.as_view(), name="performancereturn_list"),
    *import_urls("returns/performance/import", KpiResultImporter, "kpiresult"),
    path(
        "returns/performance/<int:pk>/",
        PerformanceReturnDetail.as_view(),
        name="performancereturn_detail",
    ),
    path(
        "returns/performance/<int:pk>/history/",
        PerformanceReturnHistory.as_view(),
        name="performancereturn_history",
    ),
    path(
        "returns/performance/<int:pk>/edit/",
        PerformanceReturnUpdate.as_view(),
        name="performancereturn_update",
    ),
    path(
        "returns/performance/<int:pk>/<slug:to>/",
        PerformanceReturnTransition.as_view(),
        name="performancereturn_transition",
    ),
    path("returns/finance/", FinancialReturnList.as_view(), name="financialreturn_list"),
    path(
        "returns/finance/<int:pk>/",
        FinancialReturnDetail.as_view(),
        name="financialreturn_detail",
    ),
    path(
        "returns/finance/<int:pk>/history/",
        FinancialReturnHistory.as_view(),
        name="financialreturn_history",
    ),
    path(
        "returns/finance/<int:pk>/edit/",
        FinancialReturnUpdate.as_view(),
        name="financialreturn_update",
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
