"""URLs of health checks."""

from django.urls import path

from governance.healthchecks.views import (
    AreaActionCreate,
    AssessmentAnswerView,
    AssessmentComparison,
    AssessmentDetail,
    AssessmentDocuments,
    AssessmentHistory,
    AssessmentList,
    AssessmentPdf,
    AssessmentStart,
    AssessmentSubmit,
    AssessmentTrend,
    ContractHealthChecks,
    HealthChecksDue,
    QuestionnaireDetail,
    QuestionnaireList,
    TemplateVersionCreate,
)

urlpatterns = [
    path(
        "contracts/<int:pk>/health-checks/",
        ContractHealthChecks.as_view(),
        name="contract_health_checks",
    ),
    path(
        "contracts/<int:parent_pk>/health-checks/start/",
        AssessmentStart.as_view(),
        name="assessment_create",
    ),
    path("health-checks/", AssessmentList.as_view(), name="assessment_list"),
    path("health-checks/due/", HealthChecksDue.as_view(), name="health_checks_due"),
    path("health-checks/<int:pk>/", AssessmentDetail.as_view(), name="assessment_detail"),
    path(
        "health-checks/<int:pk>/comparison/",
        AssessmentComparison.as_view(),
        name="assessment_comparison",
    ),
    path("health-checks/<int:pk>/trend/", AssessmentTrend.as_view(), name="assessment_trend"),
    path(
        "health-checks/<int:pk>/documents/",
        AssessmentDocuments.as_view(),
        name="assessment_documents",
    ),
    path("health-checks/<int:pk>/history/", AssessmentHistory.as_view(), name="assessment_history"),
    path("health-checks/<int:pk>/pdf/", AssessmentPdf.as_view(), name="assessment_pdf"),
    path(
        "health-checks/<int:pk>/answer/<str:side>/",
        AssessmentAnswerView.as_view(),
        name="assessment_answer",
    ),
    path(
        "health-checks/<int:pk>/submit/<str:side>/",
        AssessmentSubmit.as_view(),
        name="assessment_submit",
    ),
    path(
        "health-checks/<int:pk>/areas/<int:area_pk>/action/",
        AreaActionCreate.as_view(),
        name="assessment_area_action",
    ),
    path(
        "health-checks/questionnaires/",
        QuestionnaireList.as_view(),
        name="questionnaire_list",
    ),
    path(
        "health-checks/questionnaires/<int:pk>/",
        QuestionnaireDetail.as_view(),
        name="questionnaire_detail",
    ),
    path(
        "health-checks/questionnaires/<int:pk>/new-version/",
        TemplateVersionCreate.as_view(),
        name="questionnaire_version_create",
    ),
]
