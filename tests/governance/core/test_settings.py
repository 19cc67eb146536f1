"""Settings come from the environment; production refuses to start half-configured."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def run_manage(*args, env_overrides: dict, drop=()) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    for name in drop:
        env.pop(name, None)
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "k3y-for-the-deployment-check-" + "x7Q9vR2mZ4pL8sT1wN6yB3cF5hJ0dG",
    "DJANGO_ALLOWED_HOSTS": "governance.example.org",
}


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_required_settings(missing):
    settings = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = run_manage("check", env_overrides=settings)
    assert result.returncode != 0
    assert f"{missing} must be set when DJANGO_ENV=production" in result.stderr


def test_production_settings_pass_the_deployment_checklist_without_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_unknown_environment_name_is_refused():
    result = run_manage("check", env_overrides={"DJANGO_ENV": "staging"})
    assert result.returncode != 0
    assert "DJANGO_ENV must be" in result.stderr


def test_development_defaults(settings):
    from django.conf import settings as live

    assert live.TIME_ZONE == "Europe/London"
    assert live.LANGUAGE_CODE == "en-gb"
    assert live.DEFAULT_AUTO_FIELD == "django.db.models.BigAutoField"
    assert live.DATABASES["default"]["ATOMIC_REQUESTS"] is True


def test_celery_is_eager_without_a_broker():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='governance.settings';"
        "django.setup(); from django.conf import settings as s;"
        "print(s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL)"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CELERY_BROKER_URL")}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["True", "memory://"]


def test_sqlite_makes_concurrent_writes_wait_rather_than_fail(tmp_path):
    """Each transaction takes the write lock as it begins and waits up to 20 seconds
    for it; the write-ahead log lets readers carry on meanwhile."""
    code = (
        "from django.db import connection; cursor = connection.cursor();"
        "print(cursor.execute('PRAGMA journal_mode').fetchone()[0],"
        " cursor.execute('PRAGMA busy_timeout').fetchone()[0], connection.transaction_mode)"
    )
    result = run_manage(
        "shell",
        "-v",
        "0",
        "-c",
        code,
        env_overrides={"DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "20000", "IMMEDIATE"]


def test_development_runs_with_debug_off_and_logs_each_line_once():
    """As ``make run`` starts it: no DJANGO_* variables, DEBUG off; a Django log line
    (from the ``django`` and ``django.server`` loggers, which carry handlers of their own
    in Django's defaults) is printed once."""
    code = (
        "import django, logging, os; os.environ['DJANGO_SETTINGS_MODULE']='governance.settings';"
        "django.setup(); from django.conf import settings as s; print('DEBUG', s.DEBUG);"
        "logging.getLogger('django').warning('one line from django');"
        "logging.getLogger('django.server').warning('one line from the server')"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "LOG_"))}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert "DEBUG False" in result.stdout
    output = result.stdout + result.stderr
    assert output.count("one line from django") == 1
    assert output.count("one line from the server") == 1


def test_production_pages_carry_hsts_and_send_plain_http_to_https():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='governance.settings';"
        "django.setup(); from django.test import Client;"
        "c = Client(HTTP_HOST='governance.example.org');"
        "r = c.get('/accounts/login/'); print('PLAIN', r.status_code, r.headers.get('Location'));"
        "r = c.get('/contracts/', secure=True);"
        "print('HSTS', r.headers.get('Strict-Transport-Security'))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(PRODUCTION)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "max-age=" in result.stdout.split("HSTS", 1)[1]
    assert "includeSubDomains" in result.stdout
    assert "PLAIN 301 https://governance.example.org/accounts/login/" in result.stdout
