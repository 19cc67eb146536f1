from celery import shared_task

from governance.core import maintenance


@shared_task
def purge_expired_sessions() -> dict:
    """Daily housekeeping: expired sessions and stale sign-in attempt records."""
    return maintenance.purge_expired_sessions()


@shared_task
def run_daily_sweep() -> str:
    """Find everything due today and tell the right people, once."""
    from governance.core.services.alerts import daily_sweep

    return str(daily_sweep())


@shared_task
def build_auditor_pack(job_id: int) -> str:
    """Build one contract's auditor pack (the job says which, and for whom)."""
    from governance.reports.pack import pack_build

    return pack_build(job_id=job_id).status


@shared_task
def build_list_export(job_id: int) -> str:
    """Prepare one long list export (the job says which list, filters and format)."""
    from governance.core.services.exports import export_build

    return export_build(job_id=job_id).status


@shared_task
def purge_old_exports() -> int:
    """Daily housekeeping: list exports past their keeping time, and their files."""
    from governance.core.services.exports import export_purge

    return export_purge()
