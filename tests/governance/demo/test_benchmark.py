"""The benchmark command, run tiny: it seeds, measures every page, a pack and the sweep,
and prints a line for each."""

import io
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest
from django.core.management import call_command

from contracts.performance.models.returns import KpiResult
from contracts.register.models.contracts import Contract
from governance.contactlog.models import ContactLogEntry
from governance.demo.benchmark import load, reference, sql
from governance.management.commands.benchmark import percentile
from risks.models import Risk


def test_percentile_is_nearest_rank():
    assert percentile([5, 1, 3, 2, 4], 0.5) == 3
    assert percentile(list(range(1, 21)), 0.95) == 19
    assert percentile([7], 0.95) == 7


@pytest.mark.django_db
def test_benchmark_at_scale_two(settings):
    settings.ALLOWED_HOSTS = ["localhost"]
    out = io.StringIO()
    call_command("benchmark", scale=2, iterations=2, pack_iterations=1, stdout=out)
    text = out.getvalue()
    bench = Contract.objects.filter(reference__startswith="BENCH-")
    assert bench.count() == 2
    # Five or more years of quarters for the pack's contract, with every KPI's result.
    assert KpiResult.objects.filter(kpi__contract__in=bench).count() >= 2 * 20 * 20
    assert Risk.objects.filter(contract__in=bench).count() == 20
    assert ContactLogEntry.objects.filter(contract__in=bench).count() == 100
    # Seeding stores every benchmark contract's overall status, so the sweep that follows
    # finds none to correct: the stored status agrees with the rule at scale.
    assert "overall statuses stored" in text
    assert "0 overall statuses corrected" in text
    assert "Machine yardstick: 10,000 additions in pure Python" in text
    for name in [
        "Dashboard",
        "Contract list",
        "Contract detail",
        "Risk log",
        "Search",
        "Auditor pack",
        "Dashboard, built afresh",
        "Contract detail, built afresh",
        "Dashboard's SQL on a bare cursor",
        "Contract list (as administrator)",
        "Admin changelist, same rows and columns",
    ]:
        line = next(line for line in text.splitlines() if line.startswith(name))
        assert " ms" in line or " s" in line
    assert "Daily sweep:" in text
    # The goals, each measured against its goal and its baseline, with a verdict.
    for name in [
        "Dashboard, median (kept between changes)",
        "Dashboard built afresh against its SQL",
        "Contract list against admin changelist",
        "Contract page, median",
        "Contract page built afresh, median",
        "Search, median",
    ]:
        line = next(line for line in text.splitlines() if line.startswith(name))
        assert line.endswith(("met", "MISSED")), line
    assert "(add --load)" in text
    assert "By CPU instead of time: dashboard" in text
    # Built afresh, the contract page reads its overview; kept, it does not.
    afresh = next(line for line in text.splitlines() if line.startswith("Contract detail, built"))
    kept_page = next(line for line in text.splitlines() if line.startswith("Contract detail  "))

    def queries(line: str) -> list[int]:
        # The last column is the query counts; a slow run adds "(over target)" after it.
        counts = line.split("(over target)")[0].split()[-1]
        return [int(count) for count in counts.split("/")]

    assert queries(afresh)[0] > queries(kept_page)[-1]
    # Run again: the seed is reused, not repeated.
    again = io.StringIO()
    call_command("benchmark", scale=2, iterations=1, pack_iterations=1, no_sweep=True, stdout=again)
    assert "Reusing 2 benchmark contracts" in again.getvalue()
    assert bench.count() == 2


class _Pages(BaseHTTPRequestHandler):
    """A stand-in for gunicorn: 200 with the right session cookie, else a redirect to
    sign in."""

    def do_GET(self):
        signed_in = self.headers.get("Cookie") == "sessionid=abc"
        self.send_response(200 if signed_in else 302)
        if not signed_in:
            self.send_header("Location", "/accounts/login/")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def pages():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield SimpleNamespace(port=server.server_address[1], host="127.0.0.1", workers=1, process=None)
    server.shutdown()
    server.server_close()


def test_load_run_stops_at_its_request_budget(pages):
    result = load.run(
        server=pages, path="/", cookie="sessionid=abc", clients=4, seconds=60, max_requests=12
    )
    assert (result.ok, result.errors) == (12, 0)
    assert len(result.latencies_ms) == 12
    assert result.per_second > 0


def test_load_run_stops_at_its_deadline(pages):
    result = load.run(
        server=pages,
        path="/",
        cookie="sessionid=abc",
        clients=2,
        seconds=0.3,
        max_requests=10_000_000,
    )
    assert result.ok > 0 and result.errors == 0
    assert result.ok < 10_000_000


def test_load_run_counts_a_redirect_to_sign_in_as_an_error(pages):
    result = load.run(
        server=pages, path="/", cookie="sessionid=wrong", clients=2, seconds=60, max_requests=5
    )
    assert (result.ok, result.errors) == (0, 5)
    assert result.error_samples[0] == "HTTP 302 /accounts/login/"


def test_load_run_counts_a_refused_connection_as_an_error():
    closed = SimpleNamespace(port=load.free_port(), host="127.0.0.1", workers=1, process=None)
    result = load.run(server=closed, path="/", cookie="", clients=1, seconds=60, max_requests=3)
    assert (result.ok, result.errors) == (0, 3)
    assert result.error_samples[0].startswith("ConnectionRefusedError")


def test_replayed_sql_keeps_the_reads_only():
    captured = [
        {"sql": "BEGIN"},
        {"sql": 'SELECT "a" FROM "t" WHERE "b" = 1'},
        {"sql": 'DECLARE "_django_curs_1_sync_2" NO SCROLL CURSOR WITH HOLD FOR SELECT "c"'},
        {"sql": "WITH x AS (SELECT 1) SELECT * FROM x"},
        {"sql": 'UPDATE "t" SET "a" = 1'},
        {"sql": "COMMIT"},
    ]
    assert sql.reads(captured) == [
        'SELECT "a" FROM "t" WHERE "b" = 1',
        'SELECT "c"',
        "WITH x AS (SELECT 1) SELECT * FROM x",
    ]


def test_cpu_seconds_read_a_process_and_are_zero_for_one_gone():
    sum(range(200_000))  # some work of our own to count
    assert load.cpu_seconds(os.getpid()) > 0
    assert load.cpu_seconds(2**22 + 12345) == 0.0


def test_redis_answers_only_where_a_server_does():
    assert not load.redis_answers(f"redis://127.0.0.1:{load.free_port()}/0")
    if os.environ.get("REDIS_URL"):
        assert load.redis_answers(os.environ["REDIS_URL"])


@pytest.mark.django_db
def test_machine_yardstick_measures_both():
    assert reference.python_seconds(repeat=1, loop=1000) > 0
    assert reference.round_trip_ms(repeat=5) > 0
    assert "SELECT 1 round trip" in reference.describe(loop=1000)
