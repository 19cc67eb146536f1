from celery import shared_task

from . import maintenance


@shared_task
def purge_expired_sessions() -> dict:
    """Daily housekeeping: expired sessions and stale sign-in attempt records."""
    return maintenance.purge_expired_sessions()


@shared_task
def run_daily_sweep() -> str:
    """Find everything due today and tell the right people, once."""
    from .services.alerts import daily_sweep

    return str(daily_sweep())
