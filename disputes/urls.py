from django.urls import path

from disputes.views import disputes as views
from disputes.views import exclusions as exclusion_views
from disputes.views import provider as provider_views

app_name = "disputes"

urlpatterns = [
    path("disputes/", views.DisputeList.as_view(), name="dispute_list"),
    path("disputes/<int:pk>/", views.DisputeDetail.as_view(), name="dispute_detail"),
    path("disputes/<int:pk>/edit/", views.DisputeFormView.as_view(), name="dispute_update"),
    path(
        "disputes/<int:pk>/history/",
        views.DisputeHistory.as_view(),
        name="dispute_history",
    ),
    path(
        "disputes/<int:pk>/documents/",
        views.DisputeDocuments.as_view(),
        name="dispute_documents",
    ),
    path("disputes/<int:pk>/file.pdf", views.DisputePdf.as_view(), name="dispute_pdf"),
    path("disputes/<int:pk>/assess/", views.AssessView.as_view(), name="dispute_assess"),
    path(
        "disputes/<int:pk>/move/<str:to>/",
        views.DisputeTransitionView.as_view(),
        name="dispute_transition",
    ),
    path(
        "disputes/<int:pk>/step/<str:step>/",
        views.DisputeStepView.as_view(),
        name="dispute_step",
    ),
    path(
        "contracts/<int:pk>/disputes/",
        views.ContractDisputes.as_view(),
        name="contract_disputes",
    ),
    path(
        "contracts/<int:parent_pk>/disputes/add/",
        views.DisputeFormView.as_view(),
        name="dispute_create",
    ),
    path(
        "provider/disputes/",
        provider_views.ProviderDisputeList.as_view(),
        name="provider_dispute_list",
    ),
    path(
        "provider/disputes/<int:pk>/",
        provider_views.ProviderDisputeDetail.as_view(),
        name="provider_dispute_detail",
    ),
    path(
        "provider/disputes/<int:pk>/confirm-receipt/",
        provider_views.ProviderReceiptConfirm.as_view(),
        name="provider_dispute_receipt_confirm",
    ),
    path("exclusions/", exclusion_views.ExclusionList.as_view(), name="exclusion_list"),
    path("exclusions/add/", exclusion_views.ExclusionFormView.as_view(), name="exclusion_create"),
    path(
        "exclusions/<int:pk>/", exclusion_views.ExclusionDetail.as_view(), name="exclusion_detail"
    ),
    path(
        "exclusions/<int:pk>/history/",
        exclusion_views.ExclusionHistory.as_view(),
        name="exclusion_history",
    ),
    path(
        "exclusions/<int:pk>/end/",
        exclusion_views.ExclusionEndView.as_view(),
        name="exclusion_end",
    ),
    path(
        "exclusions/<int:pk>/confirm/",
        exclusion_views.ExclusionConfirmView.as_view(),
        name="exclusion_confirm",
    ),
]
