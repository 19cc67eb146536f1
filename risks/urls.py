from django.urls import path

from governance.core.views.imports import import_urls
from risks import views
from risks.imports import RiskImporter

app_name = "risks"

urlpatterns = [
    path("risks/", views.RiskList.as_view(), name="risk_list"),
    path("risks/add/", views.RiskFormView.as_view(), name="risk_create"),
    *import_urls("risks/import", RiskImporter, "risk"),
    path("risks/<int:pk>/", views.RiskDetail.as_view(), name="risk_detail"),
    path("risks/<int:pk>/reviews/", views.RiskReviews.as_view(), name="risk_reviews"),
    path("risks/<int:pk>/history/", views.RiskHistory.as_view(), name="risk_history"),
    path("risks/<int:pk>/edit/", views.RiskFormView.as_view(), name="risk_update"),
    path("risks/<int:pk>/review/", views.RiskReviewView.as_view(), name="risk_review"),
    path("risks/<int:pk>/close/", views.RiskCloseView.as_view(), name="risk_close"),
    path("risks/<int:pk>/raise-issue/", views.IssueRaiseView.as_view(), name="issue_raise"),
    path("contracts/<int:pk>/risks/", views.ContractRisks.as_view(), name="contract_risks"),
    path(
        "contracts/<int:parent_pk>/risks/add/",
        views.RiskFormView.as_view(),
        name="contract_risk_create",
    ),
]
