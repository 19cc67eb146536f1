"""The SMG dashboard and its PDF, the portfolio report."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.generic import TemplateView, View

from governance.core.access import log_access
from governance.core.models.access import ReportKind
from governance.core.pdf import render_pdf
from governance.dashboard import cache as dashboard_cache
from governance.dashboard import panels, selectors


class DashboardMixin:
    permission = "governance.view_dashboard"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def board(self):
        return panels.build(self.request.user, scope=self.request.GET.get("scope"))


class DashboardView(DashboardMixin, TemplateView):
    """The page is kept, once rendered, until a record changes or the day turns; the
    figures are read only when it is rendered afresh."""

    template_name = "governance/dashboard/dashboard.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        scope = panels.resolve_scope(user, self.request.GET.get("scope"))
        today = timezone.localdate()
        board = SimpleLazyObject(lambda: panels.build(user, scope=scope, today=today))
        return super().get_context_data(
            title="Dashboard",
            board=board,
            panels=SimpleLazyObject(lambda: board.panels),
            totals=SimpleLazyObject(lambda: board.totals),
            board_key=dashboard_cache.key(user, scope, today),
            board_seconds=settings.DASHBOARD_CACHE_SECONDS,
            **kwargs,
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


class MyContractsView(TemplateView):
    """A contract manager's own contracts, each with what needs doing on it."""

    template_name = "governance/dashboard/my_contracts.html"
    permission = "contracts.change_contract"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        contracts = list(selectors.my_contracts(self.request.user, today))
        rows = [
            {"contract": contract, "todo": selectors.what_needs_doing(contract, today)}
            for contract in contracts
        ]
        return super().get_context_data(title="My contracts", rows=rows, **kwargs)
