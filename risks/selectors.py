"""Reads of the risk log, already restricted to what the user may see, each costing a
fixed number of queries."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Count, F, QuerySet

from governance.core.models.base import User
from governance.core.roles import COMMISSIONER_ROLES, Role
from risks.choices import Impact, Likelihood, ScoreBasis
from risks.models import Risk, RiskReview
from risks.scoring import Band, band_for


def risk_list(user) -> QuerySet[Risk]:
    return Risk.objects.restrict(user, "view").select_related("contract", "owner")


def contract_risks(user, contract) -> QuerySet[Risk]:
    """The contract's open risks and issues the user may see, highest residual first."""
    return (
        Risk.objects.restrict(user, "view")
        .open()
        .filter(contract=contract)
        .select_related("owner")
        .order_by("-residual_score", "pk")
    )


def risk_reviews(risk: Risk) -> QuerySet[RiskReview]:
    return risk.reviews.select_related("reviewer")


def possible_owners() -> QuerySet[User]:
    """Active commissioner staff: the people who may own a risk."""
    return (
        User.objects.filter(
            is_active=True, groups__name__in=[Role(role).label for role in COMMISSIONER_ROLES]
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


@dataclass(frozen=True)
class HeatmapCell:
    likelihood: int
    impact: int
    count: int
    url: str
    selected: bool = False

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def band(self) -> Band:
        return band_for(self.score)


@dataclass(frozen=True)
class HeatmapRow:
    impact: int
    label: str
    cells: list[HeatmapCell]


@dataclass(frozen=True)
class Heatmap:
    basis: str
    rows: list[HeatmapRow]  # highest impact first, as the grid is read
    likelihoods: list[tuple[int, str]]
    total: int

    @property
    def basis_label(self) -> str:
        return "inherent" if self.basis == ScoreBasis.INHERENT else "residual"


def risk_heatmap(
    queryset: QuerySet[Risk],
    *,
    basis: str,
    cell_url: Callable[[int, int], str],
    selected: tuple[int, int] | None = None,
) -> Heatmap:
    """Counts of ``queryset`` by likelihood (across) and impact (up), on the residual
    or inherent scores: one aggregate query whatever the number of risks. ``selected``
    (likelihood, impact) marks the cell the list is showing."""
    basis = basis if basis in ScoreBasis.values else ScoreBasis.RESIDUAL
    return heatmap_of(
        heatmap_counts(queryset, basis), basis=basis, cell_url=cell_url, selected=selected
    )


def heatmap_counts(queryset: QuerySet[Risk], basis: str) -> QuerySet:
    """The heatmap's read: ``queryset`` counted by likelihood and impact on ``basis``
    (rows of ``likelihood``, ``impact`` and ``count``)."""
    return (
        queryset.order_by()
        .values(likelihood=F(f"{basis}_likelihood"), impact=F(f"{basis}_impact"))
        .annotate(count=Count("pk"))
    )


def heatmap_of(
    counted: Iterable[dict],
    *,
    basis: str,
    cell_url: Callable[[int, int], str],
    selected: tuple[int, int] | None = None,
) -> Heatmap:
    """The grid from ``heatmap_counts`` rows."""
    counts = {(row["likelihood"], row["impact"]): row["count"] for row in counted}
    rows = [
        HeatmapRow(
            impact=impact,
            label=label,
            cells=[
                HeatmapCell(
                    likelihood=likelihood,
                    impact=impact,
                    count=counts.get((likelihood, impact), 0),
                    url=cell_url(likelihood, impact),
                    selected=selected == (likelihood, impact),
                )
                for likelihood in Likelihood.values
            ],
        )
        for impact, label in reversed(Impact.choices)
    ]
    return Heatmap(
        basis=basis, rows=rows, likelihoods=list(Likelihood.choices), total=sum(counts.values())
    )
