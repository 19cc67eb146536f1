"""The Celery application: configured from Django settings, with the one beat schedule."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "governance.settings")

app = Celery("governance")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Tasks sit beside the services they call, in these packages' tasks modules; each keeps
# the name it was first registered under (name=...), which the schedule below uses.
app.autodiscover_tasks(["governance.core", "governance.reports"])

# Every periodic job lives here, in one place. Each entry names a task that exists;
# tests/governance/core/test_celery.py checks it.
app.conf.beat_schedule = {
    "daily-governance-sweep": {
        "task": "governance.tasks.run_daily_sweep",
        # Early, so reminders are waiting when people start work.
        "schedule": crontab(hour=6, minute=0),
    },
    "purge-expired-sessions-and-sign-in-attempts": {
        "task": "governance.tasks.purge_expired_sessions",
        "schedule": crontab(hour=2, minute=30),
    },
    "purge-old-list-exports": {
        "task": "governance.tasks.purge_old_exports",
        "schedule": crontab(hour=2, minute=45),
    },
    "purge-unconfirmed-import-uploads": {
        "task": "governance.tasks.purge_import_uploads",
        "schedule": crontab(hour=2, minute=50),
    },
}
