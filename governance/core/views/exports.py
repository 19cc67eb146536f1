"""Long list exports prepared in the background: the job's page, with its progress, and
the file. Both are for the person who asked alone (anyone else gets 404), and the file
only while they may still see the list."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from governance.core.access import log_access
from governance.core.models.access import ReportKind
from governance.core.models.exports import ExportFormat, ExportJob
from governance.core.services.exports import may_download
from governance.core.views.jobs import JobDetailView, JobDownloadView
from governance.core.xlsx import XLSX_CONTENT_TYPE

#: format -> (what the file is called on the page, its content type)
FILE_KINDS = {
    ExportFormat.CSV: ("CSV file", "text/csv; charset=utf-8"),
    ExportFormat.XLSX: ("spreadsheet", XLSX_CONTENT_TYPE),
    ExportFormat.PDF: ("PDF", "application/pdf"),
}


class ExportMixin:
    def get_job(self) -> ExportJob:
        return get_object_or_404(
            ExportJob.objects.filter(requested_by=self.request.user), pk=self.kwargs["pk"]
        )


class ExportDetail(ExportMixin, JobDetailView):
    template_name = "governance/exports/export_detail.html"
    fragment_template_name = "governance/exports/_export_progress.html"

    def get_context_data(self, *, job, **kwargs):
        ready = not job.is_active and bool(job.file)
        return super().get_context_data(
            job=job,
            title=f"{job.title}: export",
            file_kind=FILE_KINDS[job.format][0],
            may_download=ready and may_download(job=job, user=self.request.user),
            **kwargs,
        )


class ExportDownload(ExportMixin, JobDownloadView):
    def get_job(self) -> ExportJob:
        job = super().get_job()
        if not may_download(job=job, user=self.request.user):
            raise PermissionDenied
        return job

    def get_content_type(self, job: ExportJob) -> str:
        return FILE_KINDS[job.format][1]

    def log_download(self, job: ExportJob) -> None:
        log_access(
            user=self.request.user,
            contract=None,
            kind=ReportKind.LIST_EXPORT,
            detail=f"{job.title} as {job.get_format_display()} (export {job.pk})",
        )
