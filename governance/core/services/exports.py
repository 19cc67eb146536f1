"""Long list exports, prepared in the background for the person who asked.

A job records the list (its URL name) and the query string of the page (filters and
sort). When it runs, the list page's own view is set up for that person with that
query, so the export holds exactly what the page would list for them at that moment:
the same selector, filters and sort. Someone who may no longer see the list gets no
export, and no download of one made before.
"""

from datetime import timedelta
from typing import BinaryIO

from celery import shared_task
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, QueryDict
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import timezone

from governance.core.jobs import JobRefused, job_run, job_start, job_update
from governance.core.models.exports import EXPORT_QUERY_LENGTH, ExportFormat, ExportJob

NO_LONGER_VISIBLE = (
    "You can no longer see this list, so it was not exported. If you think you should, "
    "ask an administrator to check your role."
)
NOT_FINISHED = (
    "Something went wrong while preparing this export, so it was not finished. Try again "
    "from the list. If it fails again, tell the team that runs this service."
)


def list_view(*, list_name: str, query: str, user):
    """The list page ``list_name`` set up as ``user`` asking for it with ``query``, or
    None when there is no such list, it cannot be exported, or the user may not see it."""
    try:
        path = reverse(list_name)
        match = resolve(path)
    except (NoReverseMatch, Resolver404):
        return None
    view_class = getattr(match.func, "view_class", None)
    if view_class is None or not hasattr(view_class, "write_export"):
        return None
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = path
    request.GET = QueryDict(query)
    request.user = user
    request.resolver_match = match
    view = view_class(**match.func.view_initkwargs)
    view.setup(request, *match.args, **match.kwargs)
    if not (user.is_active and view.has_permission()):
        return None
    return view


def export_request(
    *, user, list_name: str, query: str, export_format: str, title: str
) -> tuple[ExportJob, bool]:
    """Queue the export of a list, or return the identical one of the user's already
    under way. Returns (job, whether this request created it)."""
    if export_format not in ExportFormat.values:
        raise ValidationError("Choose CSV, PDF or a spreadsheet to export.")
    if len(query) > EXPORT_QUERY_LENGTH:
        raise ValidationError("Too many filters to export: remove some and try again.")
    if list_view(list_name=list_name, query=query, user=user) is None:
        raise PermissionDenied
    return job_start(
        ExportJob,
        task=build_list_export,
        same=("requested_by", "list_name", "query", "format"),
        requested_by=user,
        list_name=list_name,
        query=query,
        format=export_format,
        title=title[:200],
    )


def export_build(*, job_id: int) -> ExportJob:
    """Write the job's file, recording how many rows are done as it goes."""

    def build(job: ExportJob, target: BinaryIO) -> str:
        view = list_view(list_name=job.list_name, query=job.query, user=job.requested_by)
        if view is None:
            raise JobRefused(NO_LONGER_VISIBLE)

        def progress(done: int, total: int) -> None:
            job_update(job, rows_done=done, rows_total=total)

        view.write_export(job.format, target, progress=progress)
        return view.export_filename(job.format)

    return job_run(
        ExportJob.objects.select_related("requested_by"),
        job_id,
        build=build,
        failure_message=lambda _error: NOT_FINISHED,
    )


# The task sits beside the service it calls, so the service can queue it. It keeps the
# name it was registered under, so jobs already queued still find it.
@shared_task(name="governance.tasks.build_list_export")
def build_list_export(job_id: int) -> str:
    """Prepare one long list export (the job says which list, filters and format)."""
    return export_build(job_id=job_id).status


def may_download(*, job: ExportJob, user) -> bool:
    """The file is the asker's alone, and only while they may still see the list."""
    return job.requested_by_id == user.pk and (
        list_view(list_name=job.list_name, query=job.query, user=user) is not None
    )


def export_purge(*, now=None) -> int:
    """Delete the exports finished more than EXPORT_RETENTION_DAYS ago, with their files:
    they hold copies of records that the lists keep up to date. Returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.EXPORT_RETENTION_DAYS)
    purged = 0
    for job in ExportJob.objects.filter(finished_at__lt=cutoff).iterator():
        if job.file:
            job.file.delete(save=False)
        job.delete()
        purged += 1
    return purged
