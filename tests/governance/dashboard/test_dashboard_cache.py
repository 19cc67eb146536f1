"""The dashboard is kept between requests and replaced as soon as a record changes."""

import datetime
import os
import uuid

import pytest
import time_machine
from django.core.cache.backends.redis import RedisCache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts.register.models.status import ContractOverallStatus
from governance.core.models.alerts import Alert, Notification
from governance.core.roles import Role
from governance.dashboard import cache as dashboard_cache
from governance.dashboard import status as overall_status
from tests.governance.reports.report_fixtures import NOW, build_portfolio
from tests.risks.factories import RiskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def officers(make_user):
    return (
        make_user(role=Role.CONTRACT_MANAGER, username="morgan"),
        make_user(role=Role.CONTRACT_MANAGER, username="dana"),
    )


@pytest.fixture
def smg(make_user, login):
    return login(make_user(role=Role.SMG))


def built(client) -> tuple[bool, object]:
    """Whether the request built the dashboard (read the KPI results), and its board."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("governance:dashboard"))
    assert response.status_code == 200
    read_results = any("contracts_kpiresult" in query["sql"] for query in queries)
    return read_results, response.context["board"]


def open_risks(board) -> int:
    return board.panels["risks"]["heatmap"].total


def test_a_kept_dashboard_is_served_without_reading_the_records(frozen, officers, smg):
    build_portfolio(3, officer=officers[0], other_officer=officers[1])
    first_built, first = built(smg)
    again_built, again = built(smg)
    assert first_built and not again_built
    assert again.totals["live"] == first.totals["live"] == 3
    assert [f.count for f in again.totals["by_rag"]] == [f.count for f in first.totals["by_rag"]]


def test_a_change_to_any_record_is_seen_on_the_next_request(frozen, officers, smg):
    contracts = build_portfolio(3, officer=officers[0], other_officer=officers[1])
    _, before = built(smg)
    RiskFactory(contract=contracts[0], owner=officers[0])
    rebuilt, after = built(smg)
    assert rebuilt
    assert open_risks(after) == open_risks(before) + 1


@pytest.mark.django_db(transaction=True)
def test_a_dashboard_built_before_a_commit_is_never_reused_after_it(frozen, officers):
    contracts = build_portfolio(1, officer=officers[0], other_officer=officers[1])
    with transaction.atomic():
        RiskFactory(contract=contracts[0], owner=officers[0])
        RiskFactory(contract=contracts[0], owner=officers[0])
        # Another request, which cannot see this transaction's rows yet, would keep
        # what it built under this generation.
        during = dashboard_cache.generation()
        # One replacement waits for the commit, however many records were written.
        waiting = [f for _, f, _ in connection.run_on_commit if f is dashboard_cache.invalidate]
        assert len(waiting) == 1
    assert dashboard_cache.generation() != during


def test_records_written_in_bulk_replace_it(frozen, officers, smg):
    """The daily sweep corrects stored statuses with bulk writes, which send no save
    signals: the correction still reaches the dashboard."""
    contracts = build_portfolio(3, officer=officers[0], other_officer=officers[1])
    true_red = sum(1 for c in contracts if c.overall_status.status == "red")
    not_green = sum(1 for c in contracts if c.overall_status.status != "green")
    ContractOverallStatus.objects.filter(contract__in=contracts).update(status="green")
    _, falsified = built(smg)
    assert {f.hint: f.count for f in falsified.totals["by_rag"]}["red"] == 0
    assert overall_status.refresh_all() == not_green
    rebuilt, corrected = built(smg)
    assert rebuilt
    assert {f.hint: f.count for f in corrected.totals["by_rag"]}["red"] == true_red > 0


def test_records_no_figure_reads_leave_it_kept(frozen, officers, smg, make_user, login):
    build_portfolio(2, officer=officers[0], other_officer=officers[1])
    other = make_user(role=Role.SMG, username="other-smg")
    built(smg)
    kept = dashboard_cache.generation()
    alert = Alert.objects.create(
        key="test:return-due",
        kind="return_due",
        subject="A return is due",
        body="Submit.",
        url="/",
        raised_on=NOW.date(),
    )
    Notification.objects.create(alert=alert, user=officers[0])
    signed_in = Client().post(
        reverse("login"), {"username": other.username, "password": "correct-horse-battery"}
    )
    assert signed_in.status_code == 302  # signing in stamps the user's last login
    assert dashboard_cache.generation() == kept
    rebuilt, _ = built(smg)
    assert not rebuilt


def test_each_user_and_scope_is_kept_apart(frozen, officers, smg, login):
    build_portfolio(4, officer=officers[0], other_officer=officers[1])
    _, everyone = built(smg)
    own = login(officers[0])
    own_built, own_board = built(own)
    assert own_built, "a user never gets another user's dashboard"
    assert own_board.scope == "mine" and own_board.totals["live"] == 2
    assert everyone.totals["live"] == 4
    response = own.get(reverse("governance:dashboard"), {"scope": "all"})
    assert response.context["board"].totals["live"] == 4


def test_a_new_day_builds_it_afresh(officers, make_user, login):
    with time_machine.travel(NOW, tick=False):
        build_portfolio(2, officer=officers[0], other_officer=officers[1])
        user = make_user(role=Role.SMG)
        built(login(user))
    with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):
        rebuilt, board = built(login(user))
    assert rebuilt and board.today == NOW.date() + datetime.timedelta(days=1)


def test_with_the_setting_at_zero_every_request_builds_it(frozen, officers, smg, settings):
    settings.DASHBOARD_CACHE_SECONDS = 0
    build_portfolio(2, officer=officers[0], other_officer=officers[1])
    assert built(smg)[0] and built(smg)[0]


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (set by CI)")
def test_every_worker_sees_a_change_through_redis(settings):
    """Two web workers hold their own connections to Redis: a change made through one
    replaces the generation the other reads."""
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": prefix,
        }
    }
    other_worker = RedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": prefix})
    token = dashboard_cache.generation()
    assert other_worker.get(dashboard_cache.GENERATION_KEY) == token
    dashboard_cache.record_changed()
    assert other_worker.get(dashboard_cache.GENERATION_KEY) not in (None, token)
    other_worker.delete(dashboard_cache.GENERATION_KEY)
