"""Housekeeping run daily by Celery beat."""

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from governance.core.models.imports import ImportBatch, ImportStatus

#: How long failed sign-in attempts are kept for review after their lockout expired.
SIGN_IN_ATTEMPT_RETENTION = timedelta(days=90)
#: How long an uploaded spreadsheet waits for its import to be confirmed.
IMPORT_UPLOAD_RETENTION = timedelta(days=1)


@transaction.atomic
def purge_expired_sessions(*, now=None) -> dict:
    from axes.models import AccessAttempt

    now = now or timezone.now()
    sessions, _ = Session.objects.filter(expire_date__lt=now).delete()
    attempts, _ = AccessAttempt.objects.filter(
        attempt_time__lt=now - SIGN_IN_ATTEMPT_RETENTION
    ).delete()
    return {"sessions": sessions, "sign_in_attempts": attempts}


@transaction.atomic
def purge_import_uploads(*, now=None) -> int:
    """Delete spreadsheets uploaded for an import that was never confirmed, a day on:
    they hold copies of records that were never added. Returns how many."""
    cutoff = (now or timezone.now()) - IMPORT_UPLOAD_RETENTION
    purged, _ = ImportBatch.objects.filter(
        status=ImportStatus.PREVIEWED, uploaded_at__lt=cutoff
    ).delete()
    return purged
