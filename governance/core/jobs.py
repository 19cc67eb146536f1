"""Building a background job's file: the one way a Celery task runs a job (an auditor
pack, a long list export). The job is marked running, built, and then either holds its
file and is ready, or holds a sentence saying why it failed. A job that is already
finished is left alone, so a task delivered twice builds once; a job a crashed worker
left running is built again."""

import logging
import tempfile
from collections.abc import Callable
from typing import BinaryIO

from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from governance.core.models.jobs import ACTIVE_JOB_STATUSES, BackgroundJob, JobStatus

logger = logging.getLogger(__name__)


class JobRefused(Exception):
    """The job may not be built; the message tells the person who asked why."""


#: build(job, target) -> file name: writes the job's file to the binary file ``target``.
Builder = Callable[[BackgroundJob, BinaryIO], str]


def job_start(model: type[BackgroundJob], *, task, same: tuple[str, ...], **fields):
    """A new job of ``model`` queued for ``task``, or the one already under way with the
    same ``same`` fields: the model's constraint allows one, so two requests at once
    share it. Returns (job, whether this request created it). The task is sent once
    the job is committed, so the worker finds it."""
    try:
        with transaction.atomic():
            job = model.objects.create(**fields)
    except IntegrityError:
        match = {name: fields[name] for name in same}
        return model.objects.get(status__in=ACTIVE_JOB_STATUSES, **match), False
    transaction.on_commit(lambda: task.delay(job.pk))
    return job, True


def job_update(job: BackgroundJob, **fields) -> None:
    """Record progress at once, where the job's page reads it."""
    type(job).objects.filter(pk=job.pk).update(**fields)


def job_run(
    jobs: QuerySet,
    job_id: int,
    *,
    build: Builder,
    failure_message: Callable[[Exception], str],
    started: dict | None = None,
    finished: dict | None = None,
) -> BackgroundJob:
    """Build job ``job_id`` of ``jobs``. ``started`` and ``finished`` are fields to set
    as it starts and when it is ready; ``failure_message(error)`` is what the person
    reads when ``build`` fails unexpectedly (a ``JobRefused`` says its own)."""
    job = jobs.get(pk=job_id)
    if job.status not in ACTIVE_JOB_STATUSES:
        return job
    job_update(job, status=JobStatus.RUNNING, **(started or {}))
    try:
        # Written to a temporary file first, so a long file is never held in memory.
        with tempfile.TemporaryFile() as target:
            filename = build(job, target)
            target.seek(0)
            job.file.save(filename, File(target), save=False)
        size = job.file.size
    except JobRefused as refusal:
        _fail(job, str(refusal))
    except Exception as error:  # recorded on the job for the person waiting
        logger.exception("%s failed", job)
        _fail(job, failure_message(error))
    else:
        job_update(
            job,
            file=job.file.name,
            size=size,
            status=JobStatus.READY,
            finished_at=timezone.now(),
            **(finished or {}),
        )
    job.refresh_from_db()
    return job


def _fail(job: BackgroundJob, message: str) -> None:
    job_update(job, status=JobStatus.FAILED, error=message[:1000], finished_at=timezone.now())
