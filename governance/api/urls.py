from django.urls import include, path
from rest_framework.routers import SimpleRouter

from governance.api import views

router = SimpleRouter()
router.register("contracts", views.ContractViewSet, basename="contract")
router.register("contracts-ending", views.ContractsEndingViewSet, basename="contract_ending")
router.register(
    "post-contract-reviews", views.PostContractReviewViewSet, basename="postcontractreview"
)
router.register("kpis", views.ContractKpiViewSet, basename="contractkpi")
router.register("performance-returns", views.PerformanceReturnViewSet, basename="performancereturn")
router.register("financial-returns", views.FinancialReturnViewSet, basename="financialreturn")
router.register("risks", views.RiskViewSet, basename="risk")
router.register("decisions", views.DecisionViewSet, basename="decision")
router.register("contact-log", views.ContactLogEntryViewSet, basename="contactlogentry")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("actions", views.ActionViewSet, basename="action")
router.register("disputes", views.DisputeViewSet, basename="dispute")
router.register("health-checks", views.AssessmentViewSet, basename="assessment")
router.register("notices", views.NoticeViewSet, basename="notice")
router.register("variations", views.VariationViewSet, basename="variation")
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("slas", views.ServiceLevelAgreementViewSet, basename="sla")
router.register("audits", views.AuditViewSet, basename="audit")
router.register("complaints", views.ComplaintViewSet, basename="complaint")
router.register("invoices", views.InvoiceViewSet, basename="invoice")
router.register(
    "performance-assessments",
    views.PerformanceAssessmentViewSet,
    basename="performanceassessment",
)

router.register("exit-plans", views.ExitPlanViewSet, basename="exitplan")
router.register("termination-notices", views.TerminationNoticeViewSet, basename="terminationnotice")
router.register(
    "service-transfer-plans", views.ServiceTransferPlanViewSet, basename="servicetransferplan"
)
router.register("kpi-results", views.KpiResultViewSet, basename="kpiresult")

app_name = "api"
urlpatterns = [
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.SwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", views.RedocView.as_view(url_name="api:schema"), name="redoc"),
    path("v1/", include(router.urls)),
]
