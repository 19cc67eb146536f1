"""URLs of reports and report packs."""

from django.db import transaction
from django.urls import path

from governance.reports.views import (
    ContractReportPdf,
    ContractReports,
    PackDetail,
    PackDownload,
    PackRequest,
    QuarterlyReportPdf,
)

urlpatterns = [
    path("contracts/<int:pk>/reports/", ContractReports.as_view(), name="contract_reports"),
    path(
        "contracts/<int:pk>/reports/<slug:slug>.pdf",
        ContractReportPdf.as_view(),
        name="contract_report",
    ),
    path("periods/<int:pk>/report.pdf", QuarterlyReportPdf.as_view(), name="period_report"),
    # Outside the request's transaction, so the job is committed (and, in the embedded
    # default's eager mode, built) before the response says where to go.
    path(
        "contracts/<int:pk>/pack/",
        transaction.non_atomic_requests(PackRequest.as_view()),
        name="pack_request",
    ),
    path("packs/<int:pk>/", PackDetail.as_view(), name="pack_detail"),
    path("packs/<int:pk>/download/", PackDownload.as_view(), name="pack_download"),
]
