from celery import shared_task

from . import maintenance


@shared_task
def purge_expired_sessions() -> dict:
    """Daily housekeeping: expired sessions and stale sign-in attempt records."""
    return maintenance.purge_expired_sessions()
