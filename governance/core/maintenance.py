"""Housekeeping run daily by Celery beat."""

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

#: How long failed sign-in attempts are kept for review after their lockout expired.
SIGN_IN_ATTEMPT_RETENTION = timedelta(days=90)


@transaction.atomic
def purge_expired_sessions(*, now=None) -> dict:
    from axes.models import AccessAttempt

    now = now or timezone.now()
    sessions, _ = Session.objects.filter(expire_date__lt=now).delete()
    attempts, _ = AccessAttempt.objects.filter(
        attempt_time__lt=now - SIGN_IN_ATTEMPT_RETENTION
    ).delete()
    return {"sessions": sessions, "sign_in_attempts": attempts}
