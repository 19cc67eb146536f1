"""Addresses of contract performance pages, included in the contracts app's URLs."""

from django.urls import path

from contracts.procurement.performance import views

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
    path(
        "performance-assessments/<int:pk>/",
        views.AssessmentDetail.as_view(),
        name="performanceassessment_detail",
    ),
    path(
        "performance-assessments/<int:pk>/edit/",
        views.AssessmentFormView.as_view(),
        name="performanceassessment_update",
    ),
    path(
        "performance-assessments/<int:pk>/history/",
        views.AssessmentHistory.as_view(),
        name="performanceassessment_history",
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
    path(
        "performance-failures/<int:pk>/",
        views.FailureDetail.as_view(),
        name="performancefailure_detail",
    ),
    path(
        "performance-failures/<int:pk>/edit/",
        views.FailureFormView.as_view(),
        name="performancefailure_update",
    ),
    path(
        "performance-failures/<int:pk>/history/",
        views.FailureHistory.as_view(),
        name="performancefailure_history",
    ),
    path(
        "performance-failures/<int:pk>/decide/<str:decision>/",
        views.FailureDecision.as_view(),
        name="performancefailure_decide",
    ),
]
