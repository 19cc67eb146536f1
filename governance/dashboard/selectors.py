"""Reads for the pages above the features that show one person's own work."""

import datetime

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import Coalesce

from contracts.assurance.models.slas import ChecklistItem
from contracts.exit.models import EXIT_NOTICE_MONTHS, ExitNotice, ExitNoticeDeadline
from contracts.exit.selectors import (
    NOTICE_NEEDED,
    contracts_ending,
    exit_notice_ordering,
    exit_notice_state_q,
)
from contracts.performance.choices import REPORTED_RETURN_STATUSES
from contracts.performance.models.returns import FinancialReturn, KpiResult, PerformanceReturn
from contracts.performance.services.returns import RETURN_OPEN, overdue_filter
from contracts.register.choices import ContractStatus, OverallStatus, Rag
from contracts.register.models.contracts import Contract
from disputes.models.disputes import Dispute
from disputes.selectors import open_disputes
from governance.core import deadlines
from governance.core.compiled import reused, totals
from governance.core.dates import add_months
from governance.healthchecks.selectors import partnerships
from governance.meetings.models import Action
from governance.meetings.services.meetings import OPEN_ACTION_STATUSES
from risks.choices import RiskStatus, ScoreBasis
from risks.models import Risk
from risks.selectors import heatmap_counts

LIVE_STATUSES = (ContractStatus.ACTIVE, ContractStatus.IN_EXIT)
#: The overall statuses the dashboard lists contracts for.
ATTENTION_STATUSES = (OverallStatus.RED, OverallStatus.AMBER)


def _count(queryset: QuerySet, path: str) -> Coalesce:
    """How many rows of ``queryset`` belong to the outer contract (grouped by ``path``)."""
    rows = queryset.order_by().values(path).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _earliest(queryset: QuerySet, path: str, field_name: str) -> Subquery:
    rows = queryset.order_by().values(path).annotate(first=Min(field_name)).values("first")
    return Subquery(rows)


def my_contracts(user, today: datetime.date) -> QuerySet[Contract]:
    """The live contracts ``user`` leads or deputises on, each with what needs doing:
    returns overdue and the next one due, open actions overdue and the next one due, and
    whether the notice of the commissioner's plans for the end is still owed. One query
    whatever the number of contracts; the overall status is the stored one."""

    def returns(model) -> QuerySet:
        return model.objects.filter(period__contract=OuterRef("pk"))

    open_actions = Action.objects.filter(contract=OuterRef("pk"), status__in=OPEN_ACTION_STATUSES)
    return (
        Contract.objects.restrict(user, "view")
        .officered_by(user)
        .filter(status__in=LIVE_STATUSES)
        .select_related("provider", "overall")
        .annotate(
            performance_overdue=_count(
                returns(PerformanceReturn).filter(overdue_filter("performance_due_on", today)),
                "period__contract",
            ),
            finance_overdue=_count(
                returns(FinancialReturn).filter(overdue_filter("finance_due_on", today)),
                "period__contract",
            ),
            next_performance_due=_earliest(
                returns(PerformanceReturn).filter(
                    RETURN_OPEN, period__performance_due_on__gte=today
                ),
                "period__contract",
                "period__performance_due_on",
            ),
            next_finance_due=_earliest(
                returns(FinancialReturn).filter(RETURN_OPEN, period__finance_due_on__gte=today),
                "period__contract",
                "period__finance_due_on",
            ),
            actions_overdue=_count(open_actions.filter(due_on__lt=today), "contract"),
            next_action_due=_earliest(open_actions.filter(due_on__gte=today), "contract", "due_on"),
            exit_notice_due=ExitNoticeDeadline("current_end_date"),
            exit_notice_given=Exists(
                ExitNotice.objects.filter(
                    contract=OuterRef("pk"), end_date=OuterRef("current_end_date")
                )
            ),
        )
        .order_by("reference")
    )


def what_needs_doing(contract: Contract, today: datetime.date) -> list[dict]:
    """The to-do list of one row of ``my_contracts``, most urgent first: what is overdue
    (a count), then each next deadline with its state (missed, due soon, coming up)."""
    items = []
    overdue_returns = contract.performance_overdue + contract.finance_overdue
    if overdue_returns:
        items.append({"text": _plural(overdue_returns, "return") + " overdue", "deadline": None})
    if contract.actions_overdue:
        items.append(
            {"text": _plural(contract.actions_overdue, "action") + " overdue", "deadline": None}
        )
    dated = []
    if not contract.exit_notice_given and contract.exit_notice_due:
        notice = deadlines.classify(
            contract.exit_notice_due, today=today, kind=deadlines.EXIT_NOTICE
        )
        if notice.state != deadlines.State.UPCOMING:
            dated.append({"text": "Notice of plans for the end", "deadline": notice})
    for label, day, kind in (
        ("Next performance return", contract.next_performance_due, deadlines.RETURN),
        ("Next financial return", contract.next_finance_due, deadlines.RETURN),
        ("Next action", contract.next_action_due, deadlines.ACTION),
    ):
        if day is not None:
            dated.append(
                {"text": label, "deadline": deadlines.classify(day, today=today, kind=kind)}
            )
    return items + sorted(dated, key=lambda item: item["deadline"].on)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


# -- The dashboard's reads --------------------------------------------------------------------
# Each is a function of the user, the scope ("mine": only the contracts they lead or
# deputise on) and plain values, so its SQL is written once for the same inputs and run
# afresh each time the dashboard is built (``governance.core.compiled.reused``).


def in_scope(queryset: QuerySet, user, mine: bool, path: str) -> QuerySet:
    """``queryset`` narrowed, in "mine" scope, to rows of contracts ``user`` officers."""
    if not mine:
        return queryset
    return queryset.filter(
        Q(**{f"{path}__lead_officer": user}) | Q(**{f"{path}__deputy_officer": user})
    )


def _contracts(user, mine: bool) -> QuerySet[Contract]:
    contracts = Contract.objects.restrict(user, "view")
    return contracts.officered_by(user) if mine else contracts


@reused
def portfolio_groups(user, mine: bool) -> QuerySet:
    """Contracts counted and summed by status, tier and stored overall status."""
    return (
        _contracts(user, mine)
        .order_by()
        .values("status", "tier", "overall__status")
        .annotate(count=Count("pk"), total=Sum("total_value"), annual=Sum("annual_value"))
    )


@reused
def needing_attention(user, mine: bool, listed: int) -> QuerySet:
    """The first ``listed`` live contracts whose stored overall status is red or amber,
    red first, then the largest annual value, with their stored reasons."""
    return (
        _contracts(user, mine)
        .filter(status__in=LIVE_STATUSES, overall__status__in=ATTENTION_STATUSES)
        .order_by(
            Case(When(overall__status=OverallStatus.RED, then=0), default=1),
            "-annual_value",
            "reference",
        )
        .values_list("pk", "reference", "title", "overall__status", "overall__reasons")[:listed]
    )


def _red_results(user, mine: bool, year: int, quarter: int) -> QuerySet[KpiResult]:
    return in_scope(
        KpiResult.objects.restrict(user, "view").filter(
            rag=Rag.RED,
            performance_return__status__in=REPORTED_RETURN_STATUSES,
            performance_return__period__financial_year=year,
            performance_return__period__quarter=quarter,
        ),
        user,
        mine,
        "performance_return__period__contract",
    )


@reused
def red_result_totals(user, mine: bool, year: int, quarter: int) -> QuerySet:
    """How many KPI results of the quarter are red, and on how many contracts."""
    return totals(
        _red_results(user, mine, year, quarter),
        results=Count("pk"),
        contracts=Count("performance_return__period__contract", distinct=True),
    )


@reused
def red_results(user, mine: bool, year: int, quarter: int, listed: int) -> QuerySet:
    return (
        _red_results(user, mine, year, quarter)
        .select_related("kpi", "performance_return__period__contract")
        .order_by("performance_return__period__contract__reference", "kpi__name")[:listed]
    )


@reused
def overdue_returns(user, mine: bool, model: str, today: datetime.date) -> QuerySet:
    """How many ``model`` ("performance" or "financial") returns are overdue, counted
    with the filter their list uses."""
    model_class, due = RETURN_MODELS[model]
    rows = in_scope(model_class.objects.restrict(user, "view"), user, mine, "period__contract")
    return totals(rows.filter(overdue_filter(due, today)), count=Count("pk"))


@reused
def overdue_actions(user, mine: bool, today: datetime.date) -> QuerySet:
    """How many open actions are overdue, counted as the actions list filters them."""
    actions = Action.objects.restrict(user, "view").filter(
        status__in=OPEN_ACTION_STATUSES, due_on__lt=today
    )
    if mine:
        actions = actions.filter(
            Q(contract__lead_officer=user) | Q(contract__deputy_officer=user) | Q(owner=user)
        )
    return totals(actions, count=Count("pk"))


RETURN_MODELS = {
    "performance": (PerformanceReturn, "performance_due_on"),
    "financial": (FinancialReturn, "finance_due_on"),
}


def _open_risks(user, mine: bool) -> QuerySet[Risk]:
    risks = Risk.objects.restrict(user, "view").filter(status=RiskStatus.OPEN)
    if mine:
        risks = risks.filter(
            Q(contract__lead_officer=user) | Q(contract__deputy_officer=user) | Q(owner=user)
        )
    return risks


@reused
def open_risk_counts(user, mine: bool) -> QuerySet:
    """Open risks and issues counted by residual likelihood and impact."""
    return heatmap_counts(_open_risks(user, mine), ScoreBasis.RESIDUAL)


@reused
def rag_by_quarter(user, mine: bool, first: tuple[int, int], last: tuple[int, int]) -> QuerySet:
    """Reported performance returns counted by quarter and RAG, from the quarter
    ``first`` to ``last`` (each a financial year and a quarter)."""
    (first_year, first_quarter), (year, quarter) = first, last
    returns = in_scope(
        PerformanceReturn.objects.restrict(user, "view").filter(
            status__in=REPORTED_RETURN_STATUSES
        ),
        user,
        mine,
        "period__contract",
    ).filter(
        Q(period__financial_year__gt=first_year)
        | Q(period__financial_year=first_year, period__quarter__gte=first_quarter),
        Q(period__financial_year__lt=year)
        | Q(period__financial_year=year, period__quarter__lte=quarter),
    )
    return (
        returns.order_by()
        .values("period__financial_year", "period__quarter", "rag")
        .annotate(n=Count("pk"))
    )


def _verified_evidence(user, mine: bool) -> QuerySet[ChecklistItem]:
    return in_scope(
        ChecklistItem.objects.restrict(user, "view").filter(status="verified"),
        user,
        mine,
        "contract",
    )


@reused
def evidence_totals(user, mine: bool, today: datetime.date, soon: datetime.date) -> QuerySet:
    """Verified evidence expired, and expiring from ``today`` to ``soon``."""
    return totals(
        _verified_evidence(user, mine),
        expired=Count("pk", filter=Q(expires_on__lt=today)),
        expiring=Count("pk", filter=Q(expires_on__gte=today, expires_on__lte=soon)),
    )


@reused
def evidence_expiring(user, mine: bool, soon: datetime.date, listed: int) -> QuerySet:
    """The first ``listed`` items of verified evidence expired or expiring by ``soon``,
    the longest expired first."""
    return (
        _verified_evidence(user, mine)
        .filter(expires_on__lte=soon)
        .select_related("contract")
        .order_by("expires_on", "pk")[:listed]
    )


@reused
def disputes_open(user, mine: bool) -> QuerySet[Dispute]:
    """Open disputes with their next deadlines (``disputes.selectors.open_disputes``)."""
    return in_scope(open_disputes(user), user, mine, "contract")


def _exit_rows(user, mine: bool, today: datetime.date, months: int) -> QuerySet[Contract]:
    """Live contracts whose notice of plans falls due (or fell due) within ``months``:
    the notice is due six months before the end, so these end within six months more (a
    month's margin, as month ends clip unevenly)."""
    within = months + EXIT_NOTICE_MONTHS + 1
    rows = contracts_ending(user, within_months=within, today=today).filter(
        exit_notice_deadline__lte=add_months(today, months)
    )
    return rows.filter(Q(lead_officer=user) | Q(deputy_officer=user)) if mine else rows


@reused
def exit_totals(user, mine: bool, today: datetime.date, months: int) -> QuerySet:
    """Those contracts counted: in all, still without a notice, and by deadline state."""
    return totals(
        _exit_rows(user, mine, today, months),
        count=Count("pk"),
        waiting=Count("pk", filter=NOTICE_NEEDED),
        **{
            state.value: Count("pk", filter=exit_notice_state_q(state, today))
            for state in deadlines.State
        },
    )


@reused
def exits_listed(user, mine: bool, today: datetime.date, months: int, listed: int) -> QuerySet:
    """The first ``listed`` of those contracts: missed deadlines first, then due, then
    coming up; those whose notice is recorded last."""
    return _exit_rows(user, mine, today, months).order_by(*exit_notice_ordering(today), "pk")[
        :listed
    ]


@reused
def partnerships_visible(user, mine: bool) -> QuerySet[Contract]:
    """The live strategic partnerships ``user`` may see, for the health-check schedule."""
    return partnerships(_contracts(user, mine))
