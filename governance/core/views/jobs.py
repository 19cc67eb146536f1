"""The pages of a background job (see governance/jobs.py): its progress, which htmx
refreshes until the job is finished, and its file once ready. A feature's job pages
say how to find the job for the person asking (``get_job``, 404 otherwise) and what
the progress fragment says."""

from django.http import FileResponse, Http404
from django.views.generic import TemplateView, View

from governance.core.models.jobs import BackgroundJob, JobStatus


class JobDetailView(TemplateView):
    """The job's page; an htmx request gets the progress fragment alone."""

    fragment_template_name = ""

    def get_job(self) -> BackgroundJob:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        self.job = self.get_job()
        template = self.fragment_template_name if request.htmx else self.template_name
        return self.response_class(
            request=request, template=[template], context=self.get_context_data(job=self.job)
        )


class JobDownloadView(View):
    """The job's file, once ready (404 before)."""

    content_type = "application/octet-stream"

    def get_job(self) -> BackgroundJob:
        raise NotImplementedError

    def log_download(self, job: BackgroundJob) -> None:
        """Record who downloaded the file, where the feature keeps such a record."""

    def get_content_type(self, job: BackgroundJob) -> str:
        return self.content_type

    def get(self, request, *args, **kwargs):
        job = self.get_job()
        if job.status != JobStatus.READY or not job.file:
            raise Http404
        self.log_download(job)
        return FileResponse(
            job.file.open("rb"),
            as_attachment=True,
            filename=job.filename,
            content_type=self.get_content_type(job),
        )
