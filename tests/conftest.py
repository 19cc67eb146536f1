import os
from pathlib import Path

import pytest

# Browser tests run Playwright's sync API (an event loop in the main thread) next to
# Django's ORM in the same process.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_sessionstart(session):
    """On SQLite the test database is a file in write-ahead-log mode. A run that was
    killed leaves the log beside it; the next run's new database must not replay it."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3" or session.config.getoption(
        "reuse_db", False
    ):
        return
    name = database.get("TEST", {}).get("NAME")
    if name:
        for suffix in ("-wal", "-shm"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # A cache of each test's own, with the dashboard kept as in production, so every
    # test that changes a record and then reads the dashboard proves it is replaced.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": str(tmp_path),
        }
    }
    settings.DASHBOARD_CACHE_SECONDS = 600
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Account rules a test turns on for itself: no idle sign-out (a test's clock may be
    # frozen or moved on), no second factor required.
    settings.SESSION_IDLE_MINUTES = 0
    settings.REQUIRE_TWO_FACTOR_ROLES = []


@pytest.fixture(autouse=True)
def _eager_celery():
    """Tasks run inline in tests, even where a broker is configured; the one test of a
    real worker turns this off for itself."""
    from governance.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def make_user(db):
    from tests.governance.core.factories import UserFactory

    def make(role=None, **kwargs):
        return UserFactory(roles=[role] if role else [], **kwargs)

    return make


@pytest.fixture
def login(client):
    def do(user):
        client.force_login(user)
        return client

    return do


@pytest.fixture
def officer(make_user):
    """A contract manager: the lead officer of ``contract``."""
    from governance.core.roles import Role

    return make_user(role=Role.CONTRACT_MANAGER)


@pytest.fixture
def contract(officer):
    """A contract that ``officer`` leads."""
    from tests.contracts.register.factories import ContractFactory

    return ContractFactory(lead_officer=officer)
