"""Addresses of contract performance pages, included in the contracts app's URLs."""

from django.urls import path

from contracts.procurement.performance import views
from governance.core.record_urls import record_urls

urlpatterns = [
    path(
        "contracts/<int:pk>/performance/",
        views.ContractPerformance.as_view(),
        name="contract_performance",
    ),
    path(
        "contracts/<int:parent_pk>/performance/assessments/add/",
        views.AssessmentFormView.as_view(),
        name="performanceassessment_create",
    ),
    path(
        "performance-assessments/",
        views.AssessmentList.as_view(),
        name="performanceassessment_list",
    ),
    *record_urls(
        "performance-assessments",
        "performanceassessment",
        detail=views.AssessmentDetail,
        update=views.AssessmentFormView,
        history=views.AssessmentHistory,
    ),
    path(
        "performance-assessments/<int:pk>/<str:step>/",
        views.AssessmentStep.as_view(),
        name="performanceassessment_step",
    ),
    path(
        "contracts/<int:parent_pk>/performance/failures/add/",
        views.FailureFormView.as_view(),
        name="performancefailure_create",
    ),
    path(
        "performance-failures/",
        views.FailureList.as_view(),
        name="performancefailure_list",
    ),
    *record_urls(
        "performance-failures",
        "performancefailure",
        detail=views.FailureDetail,
        update=views.FailureFormView,
        history=views.FailureHistory,
    ),
    path(
        "performance-failures/<int:pk>/decide/<str:decision>/",
        views.FailureDecision.as_view(),
        name="performancefailure_decide",
    ),
]
