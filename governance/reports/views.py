"""A contract's reports: the Reports tab, each report as a PDF, the quarterly
performance report of a period, and the auditor pack (requested, built in the
background with its progress shown, then downloaded). Every report generated or
downloaded is logged with who, when and which contract."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.generic import View

from contracts.performance.models.returns import ReportingPeriod
from contracts.register.models.contracts import Contract
from contracts.register.tabs import ContractTabs
from governance.core.access import log_access
from governance.core.models.access import ReportAccess, ReportKind
from governance.core.pdf import render_pdf
from governance.core.views.base import ObjectDetailView, ObjectMixin
from governance.core.views.jobs import JobDetailView, JobDownloadView
from governance.reports import contract as reports
from governance.reports import features
from governance.reports.models import PackJob, PackStatus
from governance.reports.pack import PACK_PERMISSION, may_request, pack_request

#: kind -> (URL slug, title, builder(user, contract) -> section context, section template)
CONTRACT_REPORTS = {
    ReportKind.CONTRACT_SUMMARY: (
        "summary",
        "Contract summary",
        reports.summary_context,
        "pdf/sections/_summary.html",
    ),
    ReportKind.RISK_LOG: (
        "risk-log",
        "Risk log",
        reports.risk_log_context,
        "pdf/sections/_risk_log.html",
    ),
    ReportKind.DECISION_LOG: (
        "decision-log",
        "Decision log",
        reports.decision_log_context,
        "pdf/sections/_decision_log.html",
    ),
    ReportKind.CONTACT_LOG: (
        "contact-log",
        "Contact log",
        reports.contact_log_context,
        "pdf/sections/_contact_log.html",
    ),
    ReportKind.CHANGE_HISTORY: (
        "change-history",
        "Change history",
        reports.history_context,
        "pdf/sections/_history.html",
    ),
}
SLUGS = {slug: kind for kind, (slug, *_rest) in CONTRACT_REPORTS.items()}

#: Feature reports: kind -> (URL slug, title, feature section builder, feature key)
FEATURE_REPORTS = {
    ReportKind.DISPUTE_FILE: ("disputes", "Dispute file", features.disputes_section, "disputes"),
    ReportKind.HEALTH_CHECK: (
        "health-checks",
        "Health checks",
        features.health_section,
        "health",
    ),
    ReportKind.EXIT: ("exit", "Exit", features.exit_section, "exit"),
}
FEATURE_SLUGS = {slug: kind for kind, (slug, *_rest) in FEATURE_REPORTS.items()}


def _stamp() -> str:
    return timezone.localdate().isoformat()


def _report_pdf(request, contract, title, section, section_template, *, reference, filename):
    """A report of the contract as a PDF: its title, then the one section."""
    return render_pdf(
        request=request,
        template_name="pdf/contract_report.html",
        context={
            "contract": contract,
            "title": title,
            "section": section,
            "section_template": section_template,
        },
        reference=reference,
        filename=filename,
    )


class ContractReports(ContractTabs, ObjectDetailView):
    """The contract's Reports tab: every report, the auditor pack and who has read them."""

    template_name = "governance/reports/contract_reports.html"

    def get_context_data(self, **kwargs):
        contract = self.object
        user = self.request.user
        periods = list(
            ReportingPeriod.objects.filter(contract=contract)
            .select_related("performance_return", "financial_return")
            .order_by("-starts_on")
        )
        feature_links = [
            {"title": title, "url": reverse("governance:contract_report", args=[contract.pk, slug])}
            for _kind, (slug, title, _builder, key) in FEATURE_REPORTS.items()
            if reports.feature_template(key)
        ]
        may_see_log = user.has_perm("governance.view_reportaccess")
        return super().get_context_data(
            reports=[
                {
                    "title": title,
                    "url": reverse("governance:contract_report", args=[contract.pk, slug]),
                }
                for _kind, (slug, title, _builder, _template) in CONTRACT_REPORTS.items()
            ],
            feature_reports=feature_links,
            periods=periods,
            may_pack=may_request(user, contract),
            jobs=list(PackJob.objects.filter(contract=contract).select_related("requested_by")[:5]),
            may_see_log=may_see_log,
            accesses=list(ReportAccess.objects.for_contract(contract)[:20]) if may_see_log else [],
            **kwargs,
        )


class ContractReportPdf(ObjectMixin, View):
    """One report of a contract as a PDF (404 for a contract the user may not see)."""

    model = Contract

    def get(self, request, pk, slug):
        contract = self.object
        if slug in SLUGS:
            kind = SLUGS[slug]
            _slug, title, builder, template = CONTRACT_REPORTS[kind]
            section = builder(request.user, contract)
        elif slug in FEATURE_SLUGS:
            kind = FEATURE_SLUGS[slug]
            _slug, title, builder, _key = FEATURE_REPORTS[kind]
            section = builder(request.user, contract)
            if section is None:
                raise Http404
            template = "pdf/sections/_feature.html"
        else:
            raise Http404
        log_access(user=request.user, contract=contract, kind=kind)
        return _report_pdf(
            request,
            contract,
            title,
            section,
            template,
            reference=f"{title} {contract.reference}",
            filename=f"{slugify(title)}-{slugify(contract.reference)}-{_stamp()}.pdf",
        )


class QuarterlyReportPdf(ObjectMixin, View):
    """The quarterly performance report of one reporting period."""

    model = ReportingPeriod

    def prepare_queryset(self, queryset):
        return queryset.select_related(
            "contract",
            "contract__provider",
            "contract__lead_officer",
            "performance_return",
            "performance_return__submitted_by",
            "performance_return__commentary_by",
            "financial_return",
            "financial_return__commentary_by",
        )

    def get(self, request, pk):
        period = self.object
        contract = period.contract
        log_access(
            user=request.user, contract=contract, kind=ReportKind.QUARTERLY, detail=period.label
        )
        return _report_pdf(
            request,
            contract,
            f"Quarterly performance report, {period.label}",
            reports.quarterly_context(request.user, period),
            "pdf/sections/_quarterly.html",
            reference=f"Quarterly report {contract.reference} {period.label}",
            filename=(
                f"quarterly-report-{slugify(contract.reference)}-{slugify(period.label)}.pdf"
            ),
        )


class PackRequest(ObjectMixin, View):
    """The one button: build the contract's auditor pack. In the embedded default the
    task runs at once and the download starts; with a worker, the job's page shows
    its progress until the pack is ready."""

    model = Contract
    http_method_names = ["post"]

    def has_permission(self):
        return self.request.user.has_perm(PACK_PERMISSION)

    def post(self, request, pk):
        job, created = pack_request(contract=self.object, user=request.user)
        job.refresh_from_db()
        if not created:
            messages.info(request, "A pack for this contract is already being built.")
        if job.status == PackStatus.READY:
            return HttpResponseRedirect(reverse("governance:pack_download", args=[job.pk]))
        return HttpResponseRedirect(job.get_absolute_url())


class PackMixin:
    """A pack job of a contract the user may see (404 otherwise)."""

    def get_job(self) -> PackJob:
        if not self.request.user.has_perm(PACK_PERMISSION):
            raise PermissionDenied
        visible = Contract.objects.restrict(self.request.user, "view")
        return get_object_or_404(
            PackJob.objects.select_related("contract", "requested_by").filter(contract__in=visible),
            pk=self.kwargs["pk"],
        )


class PackDetail(PackMixin, JobDetailView):
    """The job's progress; htmx polls the progress fragment until the pack is ready."""

    template_name = "governance/reports/pack_detail.html"
    fragment_template_name = "governance/reports/_pack_progress.html"

    def get_context_data(self, *, job, **kwargs):
        return super().get_context_data(
            job=job, contract=job.contract, title="Auditor pack", **kwargs
        )


class PackDownload(PackMixin, JobDownloadView):
    content_type = "application/pdf"

    def log_download(self, job: PackJob) -> None:
        log_access(
            user=self.request.user,
            contract=job.contract,
            kind=ReportKind.AUDITOR_PACK,
            detail=f"Pack {job.pk}",
        )
