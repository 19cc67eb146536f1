"""Measure long list exports: ``python manage.py benchmark_exports --rows 20000``.

Adds ``--rows`` risks to the risk log in a transaction that is rolled back at the end
(the database is left as it was; ``--keep`` keeps them), then, as an auditor, builds the
risk log as a background export job would (PDF by default) and prints the time it took,
the processor time, the peak memory of this process and the size of the file. With
``--immediate`` it also times the exports still sent at once, at their row limits.

Memory is the peak resident set of the whole process (Django, WeasyPrint and the job),
as ``resource.getrusage`` reports it; adding the rows happens in batches beforehand and
needs less.
"""

import datetime
import itertools
import random
import re
import resource
import shutil
import tempfile
import time
from pathlib import Path

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from contracts.register.models.contracts import Contract
from governance.core.models.base import User
from governance.core.models.exports import ExportFormat, ExportJob
from governance.core.models.jobs import JobStatus
from governance.core.pdf import PdfJoiner
from governance.core.roles import Role
from governance.core.services.exports import export_build, list_view
from risks.choices import Allocation, ReviewFrequency, RiskCategory, RiskLevel
from risks.models import Risk

TIME_GOAL_S = 60
MEMORY_GOAL_MB = 300
LIST_NAME = "risks:risk_list"

WORDS = [
    "waiting",
    "times",
    "referrals",
    "caseworkers",
    "staff",
    "leave",
    "budget",
    "overspend",
    "provider",
    "data",
    "breach",
    "delays",
    "premises",
    "lease",
    "safeguarding",
    "training",
    "outreach",
    "rural",
    "hub",
    "volunteers",
    "complaints",
    "reporting",
    "late",
    "quarterly",
    "returns",
    "subcontractor",
    "insolvency",
]


class _RollBack(Exception):
    pass


def peak_mb() -> float:
    # Linux reports kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 1024 / 1024


class Command(BaseCommand):
    help = "Time a long list export (the risk log) built as a background job."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=20_000, help="Risks to add first.")
        parser.add_argument(
            "--format", choices=ExportFormat.values, default=ExportFormat.PDF, dest="fmt"
        )
        parser.add_argument("--query", default="", help="The list's filters, as a query string.")
        parser.add_argument("--keep", action="store_true", help="Keep the risks added.")
        parser.add_argument("--output", help="Copy the file built here, to look at.")
        parser.add_argument(
            "--immediate", action="store_true", help="Also time the exports sent at once."
        )

    def handle(self, *args, rows, fmt, query, keep, output, immediate, **options):
        if rows < 0:
            raise CommandError("--rows cannot be negative.")
        media = tempfile.mkdtemp(prefix="benchmark-exports-")
        try:
            with override_settings(MEDIA_ROOT=media), transaction.atomic():
                self.run(rows, fmt, query, output, immediate)
                if not keep:
                    raise _RollBack
        except _RollBack:
            self.stdout.write("The risks added were removed again.")
        finally:
            shutil.rmtree(media, ignore_errors=True)

    def run(self, rows: int, fmt: str, query: str, output: str | None, immediate: bool) -> None:
        user = self.auditor()
        self.add_risks(rows, user)
        view = list_view(list_name=LIST_NAME, query=query, user=user)
        total = view.filtered()[1].count()
        self.stdout.write(
            f"Database: {transaction.get_connection().vendor}. The risk log holds "
            f"{Risk.objects.count():,} risks; the export lists {total:,}."
        )
        if immediate:
            self.measure_immediate(user, query)
        job = ExportJob.objects.create(
            requested_by=user, list_name=LIST_NAME, query=query, format=fmt, title="Risk log"
        )
        # A worker has WeasyPrint loaded after its first job: load it before timing.
        PdfJoiner(title="Warming up").add("<p>Warming up</p>")
        before = current_mb()
        wall, cpu = time.perf_counter(), time.process_time()
        job = export_build(job_id=job.pk)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        if job.status != JobStatus.READY:
            raise CommandError(f"The export failed: {job.error}")
        data = job.file.read()
        job.file.close()
        pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", data)) if fmt == "pdf" else None
        if output:
            Path(output).write_bytes(data)
        peak = peak_mb()
        self.stdout.write(
            f"{job.get_format_display()} of {job.rows_total:,} rows"
            + (f", {pages:,} pages" if pages is not None else "")
            + f", {len(data) / 1024 / 1024:.1f} MB: {wall:.1f} s "
            f"({cpu:.1f} s of processor time); memory {before:.0f} MB before, "
            f"peak {peak:.0f} MB."
        )
        self.stdout.write(
            f"Goals: at most {TIME_GOAL_S} s ({'met' if wall <= TIME_GOAL_S else 'missed'}), "
            f"at most {MEMORY_GOAL_MB} MB ({'met' if peak <= MEMORY_GOAL_MB else 'missed'})."
        )

    def auditor(self) -> User:
        user, _created = User.objects.get_or_create(
            username="benchmark-exports", defaults={"first_name": "Benchmark", "last_name": "Run"}
        )
        user.groups.set(Group.objects.filter(name=Role.AUDITOR.label))
        return user

    def add_risks(self, rows: int, owner: User) -> None:
        if not rows:
            return
        started = time.perf_counter()
        contracts = list(Contract.objects.order_by("pk").values_list("pk", flat=True)[:200])
        contract_ids = itertools.cycle(contracts or [None])
        randomly = random.Random(2026)
        today = timezone.localdate()
        batch = []
        for number in range(rows):
            inherent = (randomly.randint(2, 5), randomly.randint(2, 5))
            residual = (randomly.randint(1, inherent[0]), randomly.randint(1, inherent[1]))
            words = randomly.choices(WORDS, k=randomly.randint(3, 14))
            batch.append(
                Risk(
                    contract_id=next(contract_ids),
                    title=" ".join(words).capitalize()[:200],
                    description="Added to measure exports.",
                    category=randomly.choice(RiskCategory.values),
                    level=randomly.choice(RiskLevel.values),
                    allocation=randomly.choice(Allocation.values),
                    owner=owner,
                    raised_by=owner,
                    inherent_likelihood=inherent[0],
                    inherent_impact=inherent[1],
                    inherent_score=inherent[0] * inherent[1],
                    residual_likelihood=residual[0],
                    residual_impact=residual[1],
                    residual_score=residual[0] * residual[1],
                    review_frequency=ReviewFrequency.QUARTERLY,
                    next_review_date=today + datetime.timedelta(days=number % 365),
                )
            )
            if len(batch) == 2000:
                Risk.objects.bulk_create(batch)
                batch = []
        Risk.objects.bulk_create(batch)
        self.stdout.write(f"Added {rows:,} risks in {time.perf_counter() - started:.1f} s.")

    def measure_immediate(self, user: User, query: str) -> None:
        """The exports sent at once, each at its row limit: how long a request waits."""
        view = list_view(list_name=LIST_NAME, query=query, user=user)
        filterset, rows = view.filtered()
        for fmt in view.export_formats():
            # Warmed up first, as a web worker is after its first request.
            b"".join(view.export_now(fmt, filterset, rows[:1]))
            limit = view.immediate_export_limit(fmt)
            started = time.perf_counter()
            response = view.export_now(fmt, filterset, rows[:limit])
            size = sum(len(chunk) for chunk in response)
            elapsed = time.perf_counter() - started
            self.stdout.write(
                f"Sent at once: {fmt.upper()} of {min(limit, rows.count()):,} rows "
                f"({size / 1024:.0f} KB) in {elapsed:.1f} s."
            )
