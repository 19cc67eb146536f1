"""A contract's overall status, rolled up from its latest performance return, overdue
returns, open risks and open disputes.

Red: the latest submitted return is red, a dispute is open, or an open risk scores in
the top band. Amber: the latest return is amber, a return is overdue, or an open risk
scores in the band below the top. Green: the latest return is green and nothing above
applies. Not rated: nothing reported lately and nothing above applies.

The latest return is the newest submitted or accepted one among the quarters that
started in the last fifteen months: a rating older than that says nothing about today
(and a contract that has stopped reporting has overdue returns, which make it amber).

``overall_figures`` reads the figures of any set of contracts in five grouped queries,
whatever the number of contracts or of their records.
"""

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.db.models import CharField, Count, Max, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from contracts.choices import Rag, ReturnStatus
from contracts.models import Contract, FinancialReturn, PerformanceReturn, ReportingPeriod
from contracts.services.returns import OPEN_STATUSES
from governance.dates import financial_quarter
from risks.choices import RiskStatus
from risks.models import Risk
from risks.scoring import risk_bands

RAG_LABELS = {
    Rag.RED: "Red",
    Rag.AMBER: "Amber",
    Rag.GREEN: "Green",
    Rag.NONE: "Not rated",
}
RAG_ORDER = (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.NONE)
REPORTED = (ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED)
#: How far back the latest return is looked for.
LATEST_WITHIN_DAYS = 460


def risk_thresholds() -> tuple[int, int]:
    """(lowest score of the top band, lowest score of the band below it)."""
    bands = risk_bands()
    top = bands[-1].lowest
    high = bands[-2].lowest if len(bands) > 1 else top
    return top, high


def dispute_model():
    try:
        return apps.get_model("disputes", "Dispute")
    except LookupError:  # pragma: no cover - the disputes app always ships its model
        return None


@dataclass
class Figures:
    """What a contract's overall status rests on."""

    latest_rag: str | None = None
    latest_rag_period: datetime.date | None = None
    overdue_performance: int = 0
    overdue_finance: int = 0
    top_risks: int = 0
    high_risks: int = 0  # including those in the top band
    open_disputes: int = 0

    @property
    def overdue_returns(self) -> int:
        return self.overdue_performance + self.overdue_finance

    @property
    def overall_rag(self) -> str:
        if self.latest_rag == Rag.RED or self.open_disputes or self.top_risks:
            return Rag.RED
        if self.latest_rag == Rag.AMBER or self.overdue_returns or self.high_risks:
            return Rag.AMBER
        if self.latest_rag == Rag.GREEN:
            return Rag.GREEN
        return Rag.NONE


def overall_figures(
    contracts: QuerySet[Contract], today: datetime.date | None = None
) -> dict[int, Figures]:
    """The figures of every contract in ``contracts``, by primary key (five queries)."""
    today = today or timezone.localdate()
    ids = contracts.order_by().values("pk")
    figures: dict[int, Figures] = {}

    def of(pk) -> Figures:
        return figures.setdefault(pk, Figures())

    for pk in ids.values_list("pk", flat=True):
        of(pk)
    # The newest reported quarter and its status in one value: ISO dates sort as text.
    latest = (
        ReportingPeriod.objects.filter(
            contract__in=ids,
            starts_on__gte=today - datetime.timedelta(days=LATEST_WITHIN_DAYS),
            performance_return__status__in=REPORTED,
        )
        .values("contract")
        .annotate(
            latest=Max(
                Concat(
                    Cast("starts_on", CharField()),
                    Value("|"),
                    "performance_return__rag",
                    output_field=CharField(),
                )
            )
        )
        .values_list("contract", "latest")
    )
    for pk, value in latest:
        day, rag = value.split("|", 1)
        of(pk).latest_rag = rag
        of(pk).latest_rag_period = datetime.date.fromisoformat(day[:10])
    for model, due, field in (
        (PerformanceReturn, "performance_due_on", "overdue_performance"),
        (FinancialReturn, "finance_due_on", "overdue_finance"),
    ):
        overdue = (
            model.objects.filter(
                period__contract__in=ids,
                status__in=OPEN_STATUSES,
                **{f"period__{due}__lt": today},
            )
            .values("period__contract")
            .annotate(n=Count("pk"))
            .values_list("period__contract", "n")
        )
        for pk, count in overdue:
            setattr(of(pk), field, count)
    top, high = risk_thresholds()
    risks = (
        Risk.objects.filter(contract__in=ids, status=RiskStatus.OPEN, residual_score__gte=high)
        .values("contract")
        .annotate(high=Count("pk"), top=Count("pk", filter=Q(residual_score__gte=top)))
        .values_list("contract", "high", "top")
    )
    for pk, high_count, top_count in risks:
        of(pk).high_risks, of(pk).top_risks = high_count, top_count
    model = dispute_model()
    if model is not None:
        from disputes.choices import Stage

        disputes = (
            model.objects.filter(contract__in=ids)
            .exclude(stage=Stage.CLOSED)
            .values("contract")
            .annotate(n=Count("pk"))
            .values_list("contract", "n")
        )
        for pk, count in disputes:
            of(pk).open_disputes = count
    return figures


def contracts_with_rag(contracts: QuerySet[Contract], rag: str, today=None) -> QuerySet[Contract]:
    """``contracts`` whose overall status is ``rag``."""
    figures = overall_figures(contracts, today)
    return contracts.filter(pk__in=[pk for pk, f in figures.items() if f.overall_rag == rag])


def contract_figures(contract: Contract, today=None) -> Figures:
    return overall_figures(Contract.objects.filter(pk=contract.pk), today)[contract.pk]


@dataclass(frozen=True)
class RagRow:
    pk: int
    reference: str
    title: str
    rag: str
    reasons: list[str]

    @property
    def label(self) -> str:
        return RAG_LABELS.get(self.rag, self.rag)


def quarter_label(day: datetime.date | None) -> str:
    if day is None:
        return ""
    year, quarter = financial_quarter(day)
    return f"Q{quarter} {year}-{(year + 1) % 100:02d}"


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def reasons_for(contract: Figures) -> list[str]:
    """Why a contract has its overall status, worst first, from its figures."""
    top, high = risk_thresholds()
    reasons = []
    latest = getattr(contract, "latest_rag", None)
    period = quarter_label(getattr(contract, "latest_rag_period", None))
    if latest == Rag.RED:
        reasons.append(f"The latest performance return ({period}) is red.")
    if contract.open_disputes:
        reasons.append(_plural(contract.open_disputes, "dispute is open.", "disputes are open."))
    if contract.top_risks:
        reasons.append(
            _plural(contract.top_risks, "open risk scores", "open risks score") + f" {top} or more."
        )
    if latest == Rag.AMBER:
        reasons.append(f"The latest performance return ({period}) is amber.")
    if contract.overdue_returns:
        reasons.append(
            _plural(contract.overdue_returns, "return is overdue.", "returns are overdue.")
        )
    high_only = contract.high_risks - contract.top_risks
    if high_only:
        reasons.append(
            _plural(high_only, "open risk scores", "open risks score") + f" {high} or more."
        )
    if latest == Rag.GREEN and not reasons:
        reasons.append(f"The latest performance return ({period}) is green.")
    if not reasons:
        reasons.append("No performance return has been submitted in the last year.")
    return reasons
