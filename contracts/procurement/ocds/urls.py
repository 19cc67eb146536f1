"""URLs of the OCDS exports of notices and contracts."""

from django.urls import path

from contracts.procurement.ocds.views import BulkReleasePackage, ContractRecord, NoticeRelease

urlpatterns = [
    path("notices/<int:pk>/ocds/", NoticeRelease.as_view(), name="notice_ocds"),
    path("contracts/<int:pk>/ocds/", ContractRecord.as_view(), name="contract_ocds"),
    path("notices/ocds/", BulkReleasePackage.as_view(), name="notice_ocds_bulk"),
]
