"""URLs of the Procurement Act 2023 pages, in the contracts app's namespace."""

from django.urls import path

from contracts.procurement import views
from contracts.procurement.imports import ContractImporter
from governance.core.record_urls import record_urls
from governance.core.views.imports import import_urls

urlpatterns = [
    *import_urls("contracts/import", ContractImporter, "contract"),
    # A contract is registered with what the Act asks of it.
    path(
        "contracts/add/",
        views.ContractRegistrationView.as_view(),
        name="contract_create",
    ),
    path(
        "contracts/<int:pk>/edit/",
        views.ContractRegistrationView.as_view(),
        name="contract_update",
    ),
    path("notices/", views.NoticeList.as_view(), name="notice_list"),
    *record_urls("notices", "notice", detail=views.NoticeDetail, history=views.NoticeHistory),
    path("notices/<int:pk>/step/<str:to>/", views.NoticeStep.as_view(), name="notice_step"),
    path(
        "contracts/<int:pk>/procurement/",
        views.ContractProcurementTab.as_view(),
        name="contract_procurement",
    ),
    path(
        "contracts/<int:pk>/procurement/kpi-exemption/",
        views.KpiExemptionRequest.as_view(),
        name="kpidutyexemption_create",
    ),
    path(
        "kpi-exemptions/<int:pk>/<str:decision>/",
        views.KpiExemptionDecision.as_view(),
        name="kpidutyexemption_decide",
    ),
    path(
        "procurement/variations/<int:pk>/change-notice/",
        views.ChangeNoticeRecord.as_view(),
        name="changenotice_record",
    ),
    path(
        "contracts/<int:parent_pk>/procurement/ending/",
        views.ContractEndingRecord.as_view(),
        name="contractending_record",
    ),
]
