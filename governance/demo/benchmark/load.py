"""A bounded load run: gunicorn on loopback, a fixed number of clients for a fixed time.

Pure Python (threads and ``http.client``) so it runs wherever the project does. Every
part stops by itself: each client stops at the deadline or when the run's request budget
is spent, a request gives up after ``REQUEST_TIMEOUT`` seconds, and gunicorn is stopped
when the run ends, whatever happened.
"""

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection

#: Seconds a single request may take before it counts as an error.
REQUEST_TIMEOUT = 30
#: Seconds gunicorn has to start answering.
START_TIMEOUT = 60
#: Requests per worker, one after another, before the timed run: templates compiled,
#: database connections open.
WARM_UP_PER_WORKER = 3


@dataclass
class LoadResult:
    path: str
    clients: int
    seconds: float  # wall time from the first request to the last answer
    ok: int = 0
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    #: CPU seconds the run cost gunicorn's workers and their database connections.
    app_cpu: float = 0.0
    database_cpu: float = 0.0

    @property
    def per_second(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms_per_request(self) -> tuple[float, float]:
        """(application, database) CPU milliseconds per answered request."""
        if not self.ok:
            return 0.0, 0.0
        return self.app_cpu * 1000 / self.ok, self.database_cpu * 1000 / self.ok


def redis_answers(url: str) -> bool:
    """Whether a Redis server answers PING at ``url`` within a second."""
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_timeout=1).ping())
    except redis.RedisError:
        return False


def cpu_seconds(pid: int) -> float:
    """User and system CPU seconds a process has used so far (Linux; 0 elsewhere)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class CpuMeter:
    """CPU used by gunicorn's workers and by the PostgreSQL connections serving them: a
    cost per request that other work on the machine does not stretch, as it stretches
    the time."""

    def __init__(self, server: "Gunicorn"):
        self.server = server

    def workers(self) -> list[int]:
        master = self.server.process.pid if self.server.process else None
        try:
            with open(f"/proc/{master}/task/{master}/children") as children:
                return [int(pid) for pid in children.read().split()]
        except OSError:
            return []

    def backends(self) -> list[int]:
        """The server processes of the other connections to this database (gunicorn's;
        the benchmark's own is left out). None for a server the benchmark did not start,
        which has no connections of its own to this database."""
        if connection.vendor != "postgresql" or self.server.process is None:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
            )
            return [row[0] for row in cursor.fetchall()]

    def sample(self) -> tuple[float, float]:
        return (
            sum(cpu_seconds(pid) for pid in self.workers()),
            sum(cpu_seconds(pid) for pid in self.backends()),
        )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ServerError(Exception):
    """gunicorn would not start or answer."""


def fetch(server: "Gunicorn", path: str, cookie: str) -> tuple[int, str]:
    """GET ``path`` with the session cookie: (status, location of a redirect)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=REQUEST_TIMEOUT)
    try:
        connection.request("GET", path, headers={"Cookie": cookie, "Host": server.host})
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Location", "")
    finally:
        connection.close()


class Gunicorn:
    """gunicorn serving the project on 127.0.0.1, DEBUG off, stopped on leaving."""

    def __init__(self, *, workers: int, host: str = "127.0.0.1", env: dict | None = None):
        self.workers = workers
        self.extra_env = env or {}
        self.host = host  # sent as the Host header: one the settings allow
        self.port = free_port()
        self.process = None
        # gunicorn's own messages, shown if it fails; closed (and so deleted) on leaving.
        self.log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115

    def __enter__(self) -> "Gunicorn":
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get(
                "DJANGO_SETTINGS_MODULE", "governance.settings"
            ),
            "DJANGO_DEBUG": "false",
            # Each worker keeps its database connection for the whole run, so the
            # connection's CPU can be counted from start to end.
            "DATABASE_CONN_MAX_AGE": "600",
            # Plain HTTP on loopback: no redirect to HTTPS even with production settings.
            "SECURE_SSL_REDIRECT": "false",
            "PYTHONUNBUFFERED": "1",
            **self.extra_env,
        }
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "governance.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--timeout",
            str(REQUEST_TIMEOUT * 2),
            "--log-level",
            "warning",
        ]
        self.process = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdout=self.log, stderr=subprocess.STDOUT
        )
        try:
            self.wait_until_ready()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def wait_until_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerError(f"gunicorn stopped at start:\n{self.output()}")
            try:
                status, _ = fetch(self, "/accounts/login/", "")
            except OSError:
                time.sleep(0.2)
                continue
            if status != 200:
                raise ServerError(f"gunicorn answered {status} for the sign-in page.")
            return
        raise ServerError(f"gunicorn did not answer within {START_TIMEOUT}s:\n{self.output()}")

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read()[-2000:]

    def __exit__(self, *exc) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log.close()


def warm_up(server: Gunicorn, path: str, cookie: str) -> None:
    """Requests before timing, enough for every worker to have served the page."""

    def request() -> None:
        # The timed run counts errors; the warm-up only warms.
        with contextlib.suppress(OSError):
            fetch(server, path, cookie)

    threads = [
        threading.Thread(target=request, daemon=True)
        for _ in range(server.workers * WARM_UP_PER_WORKER)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(REQUEST_TIMEOUT)


def run(
    *, server: Gunicorn, path: str, cookie: str, clients: int, seconds: float, max_requests: int
) -> LoadResult:
    """``clients`` threads each requesting ``path`` in a loop until ``seconds`` have
    passed or ``max_requests`` have been sent in all. A request counts as an error unless
    it answers 200 (a redirect to sign in is an error)."""
    result = LoadResult(path=path, clients=clients, seconds=0.0)
    lock = threading.Lock()
    budget = [max_requests]
    started = time.monotonic()
    deadline = started + seconds

    def take_one() -> bool:
        with lock:
            if budget[0] <= 0 or time.monotonic() >= deadline:
                return False
            budget[0] -= 1
            return True

    def client() -> None:
        while take_one():
            sent = time.perf_counter()
            try:
                status, location = fetch(server, path, cookie)
                problem = "" if status == 200 else f"HTTP {status} {location}".strip()
            except OSError as error:
                problem = f"{type(error).__name__}: {error}"
            elapsed = (time.perf_counter() - sent) * 1000
            with lock:
                if problem:
                    result.errors += 1
                    if len(result.error_samples) < 5:
                        result.error_samples.append(problem)
                else:
                    result.ok += 1
                    result.latencies_ms.append(elapsed)

    meter = CpuMeter(server)
    app_before, database_before = meter.sample()
    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        # A client's last request started before the deadline and gives up after
        # REQUEST_TIMEOUT: nothing waits longer than that.
        thread.join(max(0.0, deadline - time.monotonic()) + REQUEST_TIMEOUT + 1)
    app_after, database_after = meter.sample()
    result.app_cpu = max(0.0, app_after - app_before)
    result.database_cpu = max(0.0, database_after - database_before)
    with lock:
        result.seconds = time.monotonic() - started
        stuck = sum(thread.is_alive() for thread in threads)
        if stuck:
            result.errors += stuck
            result.error_samples.append(f"{stuck} clients still waiting at the end")
    return result
