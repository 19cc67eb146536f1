"""The shared base's Celery tasks: thin, each calls a service. Every task keeps the name
it was registered under, so the beat schedule and jobs already queued still find it.
A task that its own service queues is defined beside that service and listed here, where
Celery finds the package's tasks."""

from celery import shared_task

from governance.core import maintenance
from governance.core.services.alerts import daily_sweep
from governance.core.services.exports import build_list_export, export_purge

__all__ = [
    "build_list_export",
    "purge_expired_sessions",
    "purge_old_exports",
    "run_daily_sweep",
]


@shared_task(name="governance.tasks.purge_expired_sessions")
def purge_expired_sessions() -> dict:
    """Daily housekeeping: expired sessions and stale sign-in attempt records."""
    return maintenance.purge_expired_sessions()


@shared_task(name="governance.tasks.run_daily_sweep")
def run_daily_sweep() -> str:
    """Find everything due today and tell the right people, once."""
    return str(daily_sweep())


@shared_task(name="governance.tasks.purge_old_exports")
def purge_old_exports() -> int:
    """Daily housekeeping: list exports past their keeping time, and their files."""
    return export_purge()


@shared_task(name="governance.tasks.purge_import_uploads")
def purge_import_uploads() -> int:
    """Daily housekeeping: spreadsheets uploaded for imports never confirmed."""
    return maintenance.purge_import_uploads()
