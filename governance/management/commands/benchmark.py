"""Measure the service at scale: ``python manage.py benchmark`` (or ``make bench``).

Seeds ``seed_demo --scale N`` unless the benchmark contracts are already there, then
requests the dashboard, the contract list, a contract's page and the risk log as the
SMG demo user, builds one auditor pack (a contract with five years of returns) and
runs the daily sweep, printing the median and 95th percentile server time and the
number of database queries of each.
"""

import datetime
import math
import statistics
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from contracts.models import Contract, KpiResult
from governance.models import ContactLogEntry, User
from risks.models import Risk

#: The benchmark's auditor pack covers a contract that started this day (five years and
#: more of quarterly returns by 2026).
PACK_CONTRACT_START = datetime.date(2021, 4, 1)

PAGE_TARGET_MS = 150
PACK_TARGET_S = 5


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (``share`` from 0 to 1) of ``values``."""
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


class Command(BaseCommand):
    help = "Seed (or reuse) a large portfolio and time the main pages, a pack and the sweep."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=2000, help="Contracts to measure with.")
        parser.add_argument(
            "--iterations", type=int, default=30, help="Requests per page (after one warm-up)."
        )
        parser.add_argument("--pack-iterations", type=int, default=3)
        parser.add_argument(
            "--no-seed", action="store_true", help="Measure whatever the database holds."
        )
        parser.add_argument("--no-sweep", action="store_true", help="Skip the daily sweep.")

    def handle(self, *args, scale, iterations, pack_iterations, no_seed, no_sweep, **options):
        if iterations < 1 or pack_iterations < 1:
            raise CommandError("Iterations must be at least 1.")
        self.seed(scale, no_seed)
        user = User.objects.filter(username="smg").first()
        if user is None:
            raise CommandError("The SMG demo user is missing: run seed_demo first.")
        contract = self.pack_contract()
        self.stdout.write(
            f"Database: {connection.vendor}. Holding {Contract.objects.count():,} contracts, "
            f"{KpiResult.objects.count():,} KPI results, {Risk.objects.count():,} risks and "
            f"{ContactLogEntry.objects.count():,} contact-log entries."
        )
        client = Client(HTTP_HOST=self.host())
        client.force_login(user)
        pages = [
            ("Dashboard", reverse("governance:dashboard")),
            ("Contract list", reverse("contracts:contract_list")),
            ("Contract detail", reverse("contracts:contract_detail", args=[contract.pk])),
            ("Risk log", reverse("risks:risk_list")),
        ]
        rows = [self.measure_page(client, name, url, iterations) for name, url in pages]
        rows.append(self.measure_pack(user, contract, pack_iterations))
        self.report(rows)
        if not no_sweep:
            self.measure_sweep()

    def host(self) -> str:
        """A host name the settings accept, so requests pass the host check."""
        for host in settings.ALLOWED_HOSTS:
            if host and host != "*" and not host.startswith("."):
                return host
        return "localhost"

    def seed(self, scale: int, no_seed: bool) -> None:
        have = Contract.objects.filter(reference__startswith="BENCH-").count()
        if no_seed or have >= scale:
            self.stdout.write(f"Reusing {have:,} benchmark contracts (asked for {scale:,}).")
            return
        self.stdout.write(f"Seeding scale {scale:,} ({have:,} benchmark contracts so far)...")
        started = time.perf_counter()
        call_command("seed_demo", scale=scale, stdout=self.stdout)
        self.stdout.write(f"Seeded in {time.perf_counter() - started:.1f}s.")

    def pack_contract(self) -> Contract:
        bench = Contract.objects.filter(reference__startswith="BENCH-")
        contract = bench.filter(start_date=PACK_CONTRACT_START).order_by("pk").first()
        contract = contract or bench.order_by("start_date", "pk").first()
        contract = contract or Contract.objects.order_by("start_date", "pk").first()
        if contract is None:
            raise CommandError("There are no contracts to measure.")
        return contract

    def measure_page(self, client, name: str, url: str, iterations: int) -> dict:
        response = client.get(url)  # warm-up: templates compiled, caches filled
        if response.status_code != 200:
            raise CommandError(f"{name} ({url}) answered {response.status_code}.")
        times, queries = [], set()
        for _ in range(iterations):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            queries.add(len(captured))
        return {"name": name, "times": times, "queries": queries, "unit": "ms"}

    def measure_pack(self, user, contract: Contract, iterations: int) -> dict:
        from governance.reports.pack import pack_pdf

        periods = contract.periods.count()
        times, queries, size = [], set(), 0
        for _ in range(iterations):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                size = len(pack_pdf(user, contract))
                times.append(time.perf_counter() - started)
            queries.add(len(captured))
        return {
            "name": f"Auditor pack ({contract.reference}, {periods} quarters, {size // 1024} KB)",
            "times": times,
            "queries": queries,
            "unit": "s",
        }

    def report(self, rows: list[dict]) -> None:
        self.stdout.write("")
        self.stdout.write(f"{'Measured':<58} {'median':>10} {'p95':>10} {'queries':>9}")
        for row in rows:
            median = statistics.median(row["times"])
            p95 = percentile(row["times"], 0.95)
            unit = row["unit"]
            fmt = "{:.1f} ms" if unit == "ms" else "{:.2f} s"
            queries = "/".join(str(q) for q in sorted(row["queries"]))
            target = PAGE_TARGET_MS if unit == "ms" else PACK_TARGET_S
            flag = "" if p95 <= target else "  (over target)"
            self.stdout.write(
                f"{row['name']:<58} {fmt.format(median):>10} {fmt.format(p95):>10} "
                f"{queries:>9}{flag}"
            )

    def measure_sweep(self) -> None:
        from governance.services.alerts import daily_sweep

        # E-mails are counted, not sent: the sweep is timed, not the mail server.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            started = time.perf_counter()
            result = daily_sweep(today=timezone.localdate())
        elapsed = time.perf_counter() - started
        self.stdout.write(f"Daily sweep: {elapsed:.2f}s ({result})")
