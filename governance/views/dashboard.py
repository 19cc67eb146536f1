"""The SMG dashboard and its PDF, the portfolio report."""

from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils import timezone
from django.views.generic import TemplateView, View

from ..dashboard import panels
from ..models import ReportKind
from ..pdf import render_pdf
from ..reports.access import log_access


class DashboardMixin:
    permission = "governance.view_dashboard"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def board(self):
        return panels.build(self.request.user, scope=self.request.GET.get("scope"))


class DashboardView(DashboardMixin, TemplateView):
    template_name = "governance/dashboard/dashboard.html"

    def get_context_data(self, **kwargs):
        board = self.board()
        return super().get_context_data(
            title="Dashboard", board=board, panels=board.panels, totals=board.totals, **kwargs
        )


class PortfolioReportView(DashboardMixin, View):
    """The dashboard as a PDF for SMG papers: the same figures and charts."""

    def get(self, request, *args, **kwargs):
        board = self.board()
        stamp = timezone.localdate().isoformat()
        scope = "your contracts" if board.scope == "mine" else "the whole portfolio"
        log_access(user=request.user, contract=None, kind=ReportKind.PORTFOLIO, detail=scope)
        return render_pdf(
            request=request,
            template_name="pdf/portfolio.html",
            context={
                "board": board,
                "panels": board.panels,
                "totals": board.totals,
                "scope": scope,
            },
            reference=f"Portfolio report {stamp}",
            filename=f"portfolio-report-{stamp}.pdf",
        )


urlpatterns = [
    path("dashboard/", DashboardView.as_view(), name="dashboard"),
    path("dashboard/report.pdf", PortfolioReportView.as_view(), name="portfolio_report"),
]
