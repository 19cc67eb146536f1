from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from governance.accounts import views as account_views
from governance.calendars import views as calendar_views
from governance.contactlog import views as contactlog_views
from governance.core.views import exports as export_views
from governance.core.views import notifications as notification_views
from governance.core.views.base import DocumentDownloadView
from governance.core.views.pages import HomeView
from governance.dashboard import views as dashboard_views
from governance.healthchecks import views as healthcheck_views
from governance.meetings.views import decisions as decision_views
from governance.meetings.views import meetings as meeting_views
from governance.reports import views as report_views
from governance.search import views as search_views

governance_patterns = (
    [
        path(
            "documents/<int:pk>/download/", DocumentDownloadView.as_view(), name="document_download"
        ),
        *decision_views.urlpatterns,
        *contactlog_views.urlpatterns,
        *meeting_views.urlpatterns,
        *notification_views.urlpatterns,
        *healthcheck_views.urlpatterns,
        *dashboard_views.urlpatterns,
        *report_views.urlpatterns,
        *export_views.urlpatterns,
    ],
    "governance",
)

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="home", permanent=False)),
    path("home/", HomeView.as_view(), name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    *account_views.urlpatterns,
    *calendar_views.urlpatterns,
    *search_views.urlpatterns,
    path("", include(governance_patterns)),
    path("", include("contracts.urls")),
    path("", include("risks.urls")),
    path("", include("disputes.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "governance.core.views.pages.permission_denied"
handler404 = "governance.core.views.pages.page_not_found"
handler500 = "governance.core.views.pages.server_error"
