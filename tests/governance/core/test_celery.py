import os
from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from governance.celery import app


def test_beat_schedule_names_only_tasks_that_exist():
    app.loader.import_default_modules()
    assert app.conf.beat_schedule, "the beat schedule is empty"
    for name, entry in app.conf.beat_schedule.items():
        assert entry["task"] in app.tasks, f"{name} names a task that does not exist"


def make_sessions():
    expired = SessionStore()
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - timedelta(days=1)
    )
    current = SessionStore()
    current.create()
    return expired.session_key, current.session_key


@pytest.mark.django_db
def test_purge_removes_only_expired_sessions_and_old_attempts():
    from axes.models import AccessAttempt

    from governance.core.tasks import purge_expired_sessions

    _, current = make_sessions()
    old = AccessAttempt.objects.create(
        username="x",
        ip_address="127.0.0.1",
        failures_since_start=3,
        user_agent="",
        get_data="",
        post_data="",
        http_accept="",
        path_info="/",
    )
    AccessAttempt.objects.filter(pk=old.pk).update(attempt_time=timezone.now() - timedelta(days=91))
    result = purge_expired_sessions.delay().get()
    assert result == {"sessions": 1, "sign_in_attempts": 1}
    assert list(Session.objects.values_list("session_key", flat=True)) == [current]
    # Running it again finds nothing more to do.
    assert purge_expired_sessions.delay().get() == {"sessions": 0, "sign_in_attempts": 0}


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (set by CI)")
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_task_through_redis():
    from celery.contrib.testing.worker import start_worker

    from governance.core.tasks import purge_expired_sessions

    expired, _ = make_sessions()
    app.conf.task_always_eager = False
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        result = purge_expired_sessions.delay()
        assert result.get(timeout=30) == {"sessions": 1, "sign_in_attempts": 0}
    assert app.conf.broker_url.startswith("redis://")
    assert not Session.objects.filter(session_key=expired).exists()
