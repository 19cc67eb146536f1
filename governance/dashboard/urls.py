"""URLs of the dashboard and the portfolio report."""

from django.urls import path

from governance.dashboard.views import DashboardView, MyContractsView, PortfolioReportView

urlpatterns = [
    path("my-contracts/", MyContractsView.as_view(), name="my_contracts"),
    path("dashboard/", DashboardView.as_view(), name="dashboard"),
    path("dashboard/report.pdf", PortfolioReportView.as_view(), name="portfolio_report"),
]
