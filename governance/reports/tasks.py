"""The auditor pack is built in the background. The task keeps the name it was
registered under, so packs already queued still find it."""

from celery import shared_task

from governance.reports.pack import pack_build


@shared_task(name="governance.tasks.build_auditor_pack")
def build_auditor_pack(job_id: int) -> str:
    """Build one contract's auditor pack (the job says which, and for whom)."""
    return pack_build(job_id=job_id).status
