"""The benchmark command, run tiny: it seeds, measures every page, a pack and the sweep,
and prints a line for each."""

import io

import pytest
from django.core.management import call_command

from contracts.models import Contract, KpiResult
from governance.management.commands.benchmark import percentile
from governance.models import ContactLogEntry
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
    for name in ["Dashboard", "Contract list", "Contract detail", "Risk log", "Auditor pack"]:
        line = next(line for line in text.splitlines() if line.startswith(name))
        assert " ms" in line or " s" in line
    assert "Daily sweep:" in text
    # Run again: the seed is reused, not repeated.
    again = io.StringIO()
    call_command("benchmark", scale=2, iterations=1, pack_iterations=1, no_sweep=True, stdout=again)
    assert "Reusing 2 benchmark contracts" in again.getvalue()
    assert bench.count() == 2
