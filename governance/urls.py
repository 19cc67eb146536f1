from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from governance.accounts import urls as accounts
from governance.accounts.forms import SignInForm
from governance.calendars import urls as calendars
from governance.contactlog import urls as contactlog
from governance.core import urls as core
from governance.core.views.base import DocumentDownloadView
from governance.core.views.pages import HomeView, LandingView
from governance.dashboard import urls as dashboard
from governance.healthchecks import urls as healthchecks
from governance.meetings import urls as meetings
from governance.reports import urls as reports
from governance.search import urls as search

governance_patterns = (
    [
        path(
            "documents/<int:pk>/download/", DocumentDownloadView.as_view(), name="document_download"
        ),
        *meetings.urlpatterns,
        *contactlog.urlpatterns,
        *core.urlpatterns,
        *healthchecks.urlpatterns,
        *dashboard.urlpatterns,
        *reports.urlpatterns,
    ],
    "governance",
)

urlpatterns = [
    path("", LandingView.as_view(), name="landing"),
    path("home/", HomeView.as_view(), name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=SignInForm
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    *accounts.urlpatterns,
    *calendars.urlpatterns,
    *search.urlpatterns,
    path("", include(governance_patterns)),
    path("", include("contracts.urls")),
    path("", include("risks.urls")),
    path("", include("disputes.urls")),
    path("api/", include("governance.api.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "governance.core.views.pages.permission_denied"
handler404 = "governance.core.views.pages.page_not_found"
handler500 = "governance.core.views.pages.server_error"
