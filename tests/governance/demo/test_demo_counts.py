"""The demo's KPI results are whole numbers where the thing counted is whole (nobody
upholds half a complaint), and still earn the status each was made to earn."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from contracts.performance.choices import KpiDirection, KpiUnit
from contracts.performance.services.returns import rag_for
from governance.demo.contracts import MENU, _scale_actual
from governance.demo.quarterly import _actual

D = Decimal


def menu_kpi(name: str) -> SimpleNamespace:
    """A KPI as the demo seeds it from its menu."""
    row = next(row for row in MENU if row[0] == name)
    _, _, unit, direction, target, tolerance, *_ = row
    return SimpleNamespace(
        name=name, unit=unit, direction=direction, target=target, amber_tolerance=tolerance
    )


def status(kpi, actual) -> str:
    return rag_for(
        direction=kpi.direction, target=kpi.target, tolerance=kpi.amber_tolerance, actual=actual
    )


def count_kpis() -> list[SimpleNamespace]:
    upheld = menu_kpi("Complaints upheld")
    assert upheld.unit == KpiUnit.COUNT
    higher = SimpleNamespace(**{**vars(upheld), "direction": KpiDirection.HIGHER})
    odd = SimpleNamespace(**{**vars(upheld), "amber_tolerance": D(3), "target": D(5)})
    return [upheld, higher, odd]


@pytest.mark.parametrize("roll", range(100))
def test_seeded_quarterly_counts_are_whole(roll):
    for kpi in count_kpis():
        actual = _actual(kpi, roll)
        assert actual == actual.to_integral_value(), (kpi, roll, actual)
    # The amber rolls still make an amber result, not a rounded-away green one.
    if 82 <= roll < 96:
        assert {status(kpi, _actual(kpi, roll)) for kpi in count_kpis()} == {"amber"}


@pytest.mark.parametrize("rag", ["red", "amber", "green"])
def test_benchmark_counts_are_whole_and_earn_their_status(rag):
    for kpi in count_kpis():
        actual = _scale_actual(kpi, rag)
        assert actual == actual.to_integral_value(), (kpi, rag, actual)
        assert status(kpi, actual) == rag


def test_percentages_keep_their_decimals():
    kpi = SimpleNamespace(
        unit=KpiUnit.PERCENTAGE,
        direction=KpiDirection.HIGHER,
        target=D(95),
        amber_tolerance=D(3),
    )
    assert _actual(kpi, 90) == D("93.5")
