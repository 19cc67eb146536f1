"""The shared base's Celery tasks: thin, each calls a service. Every task keeps the name
it was registered under, so the beat schedule and jobs already queued still find it."""

from celery import shared_task

from governance.core import maintenance
from governance.core.services.alerts import daily_sweep
from governance.core.services.exports import export_build, export_purge


@shared_task(name="governance.tasks.purge_expired_sessions")
def purge_expired_sessions() -> dict:
    """Daily housekeeping: expired sessions and stale sign-in attempt records."""
    return maintenance.purge_expired_sessions()


@shared_task(name="governance.tasks.run_daily_sweep")
def run_daily_sweep() -> str:
    """Find everything due today and tell the right people, once."""
    return str(daily_sweep())


@shared_task(name="governance.tasks.build_list_export")
def build_list_export(job_id: int) -> str:
    """Prepare one long list export (the job says which list, filters and format)."""
    return export_build(job_id=job_id).status


@shared_task(name="governance.tasks.purge_old_exports")
def purge_old_exports() -> int:
    """Daily housekeeping: list exports past their keeping time, and their files."""
    return export_purge()
