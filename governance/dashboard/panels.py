"""The dashboard's figures, each with the URL of the filtered list behind it.

Every panel costs a fixed number of queries whatever the size of the portfolio: each
figure is an aggregate, and only the rows listed under a figure are read. Panels fed by
the disputes, exit and health-check features appear once those features offer their
selectors.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Case, Count, Q, Sum, When
from django.urls import NoReverseMatch
from django.utils import timezone

from contracts.assurance.models.slas import ChecklistItem
from contracts.exit.models import EXIT_NOTICE_MONTHS
from contracts.exit.selectors import contracts_ending
from contracts.performance.choices import REPORTED_RETURN_STATUSES
from contracts.performance.models.returns import FinancialReturn, KpiResult, PerformanceReturn
from contracts.performance.services.returns import overdue_filter
from contracts.procurement.selectors import statutory_panel
from contracts.register.choices import ContractStatus, OverallStatus, Rag, Tier
from contracts.register.models.contracts import Contract
from disputes.choices import OPEN_STAGES, Stage
from disputes.selectors import open_disputes
from governance.core import deadlines
from governance.core.charts import bar_chart, heatmap_chart, rag_stack_chart
from governance.core.dates import add_months, financial_quarter, quarter_name
from governance.core.navigation import url_of
from governance.core.roles import Role
from governance.healthchecks.selectors import health_checks_due
from governance.meetings.models import Action
from governance.meetings.services.meetings import OPEN_ACTION_STATUSES
from risks.choices import RiskStatus, ScoreBasis
from risks.models import Risk
from risks.selectors import risk_heatmap


@dataclass(frozen=True)
class AttentionRow:
    """A live contract whose stored overall status is red or amber, with its reasons."""

    pk: int
    reference: str
    title: str
    status: OverallStatus
    reasons: list[str]

    @property
    def label(self) -> str:
        return self.status.label


#: Checklist evidence expiring within this many days is shown: while it is due for renewal.
EXPIRY_DAYS = deadlines.WINDOWS[deadlines.CHECKLIST_EXPIRY].days
#: Exit-notice deadlines within this many months are shown.
EXIT_MONTHS = 9
#: Health checks due within this many days are shown.
HEALTH_CHECK_DAYS = 60
#: Quarters in the RAG chart.
RAG_QUARTERS = 8
#: Rows listed under a figure; the link shows them all.
LISTED = 10

LIVE_STATUSES = (ContractStatus.ACTIVE, ContractStatus.IN_EXIT)


def url(name: str, **params) -> str:
    """The named list's URL with filters; lists of values repeat the parameter."""
    query = []
    for key, value in params.items():
        if value in (None, ""):
            continue
        if isinstance(value, (list, tuple)):
            query.extend((key, item) for item in value)
        else:
            query.append((key, value))
    base = url_of(name)
    return f"{base}?{urlencode(query)}" if query else base


def optional_url(name: str, **params) -> str:
    try:
        return url(name, **params)
    except NoReverseMatch:
        return ""


def last_finished_quarter(today: datetime.date) -> tuple[int, int]:
    year, quarter = financial_quarter(today)
    return (year, quarter - 1) if quarter > 1 else (year - 1, 4)


def quarters_back(year: int, quarter: int, count: int) -> list[tuple[int, int]]:
    """``count`` quarters ending with (year, quarter), oldest first."""
    found = []
    for _ in range(count):
        found.append((year, quarter))
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return list(reversed(found))


@dataclass
class Figure:
    label: str
    count: int | Decimal
    url: str = ""
    hint: str = ""
    one: str = ""  # what one of them is called after its number, where not the label
    many: str = ""  # and what more than one are called

    @property
    def words(self) -> str:
        """What follows the number: "1 performance return overdue", "2 items of
        evidence expired"."""
        if self.count == 1 and self.one:
            return self.one
        return self.many or self.label[:1].lower() + self.label[1:]


@dataclass
class Dashboard:
    scope: str  # "mine" or "all"
    today: datetime.date
    may_choose_scope: bool
    totals: dict = field(default_factory=dict)
    panels: dict = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)


def default_scope(user) -> str:
    """Contract managers start with their own contracts; oversight roles with all."""
    oversight = {Role.SMG, Role.PDM, Role.AUDITOR, Role.ADMINISTRATOR}
    if user.has_role(Role.CONTRACT_MANAGER) and not any(user.has_role(r) for r in oversight):
        return "mine"
    return "all"


def may_choose_scope(user) -> bool:
    return user.has_role(Role.CONTRACT_MANAGER) and not user.is_provider_user


def resolve_scope(user, scope: str | None) -> str:
    """The scope asked for, when the user may choose it; otherwise their default."""
    if not may_choose_scope(user):
        return "all"
    return scope if scope in ("mine", "all") else default_scope(user)


def build(user, *, scope: str | None = None, today: datetime.date | None = None) -> Dashboard:
    today = today or timezone.localdate()
    choosable = may_choose_scope(user)
    scope = resolve_scope(user, scope)
    mine = scope == "mine"
    officer = user.pk if mine else None
    board = Dashboard(scope=scope, today=today, may_choose_scope=choosable)

    contracts = Contract.objects.restrict(user, "view")
    if mine:
        contracts = contracts.officered_by(user)

    board.totals = _portfolio(contracts, today, officer)
    board.panels["kpis_red"] = _kpis_red(user, mine, today, officer)
    board.panels["overdue"] = _overdue(user, mine, today, officer)
    board.panels["risks"] = _risks(user, mine, officer)
    board.panels["rag_quarters"] = _rag_quarters(user, mine, today)
    board.panels["checklist"] = _checklist(user, mine, today, officer)
    _feature_panels(board, user, mine, today)
    return board


def _in_scope(queryset, mine: bool, user, path: str):
    if not mine:
        return queryset
    return queryset.filter(
        Q(**{f"{path}__lead_officer": user}) | Q(**{f"{path}__deputy_officer": user})
    )


def _portfolio(contracts, today, officer) -> dict:
    """Counts by status, tier and stored overall status, and the values: one grouped
    query. The contracts needing attention, worst first, with their stored reasons: a
    second query, for the rows listed only (reading every contract's reasons cost more
    than the rest of the dashboard)."""
    groups = (
        contracts.order_by()
        .values("status", "tier", "overall__status")
        .annotate(count=Count("pk"), total=Sum("total_value"), annual=Sum("annual_value"))
    )
    by_status, by_tier, by_overall = Counter(), Counter(), Counter()
    total_value = annual_value = Decimal(0)
    for group in groups:
        status, count = group["status"], group["count"]
        by_status[status] += count
        if status in LIVE_STATUSES:
            overall = group["overall__status"] or OverallStatus.NOT_YET_REPORTED
            by_tier[group["tier"]] += count
            by_overall[overall] += count
            total_value += group["total"]
            annual_value += group["annual"]
    needing_attention = (OverallStatus.RED, OverallStatus.AMBER)
    attention = (
        contracts.filter(status__in=LIVE_STATUSES, overall__status__in=needing_attention)
        # Red first, then the largest annual value.
        .order_by(
            Case(When(overall__status=OverallStatus.RED, then=0), default=1),
            "-annual_value",
            "reference",
        )
        .values_list("pk", "reference", "title", "overall__status", "overall__reasons")[:LISTED]
    )
    live = list(LIVE_STATUSES)
    return {
        "contracts": sum(by_status.values()),
        "live": sum(by_status[s] for s in LIVE_STATUSES),
        "live_url": url("contracts:contract_list", status=live, officer=officer),
        "total_value": total_value,
        "annual_value": annual_value,
        "by_status": [
            Figure(
                status.label,
                by_status[status],
                url("contracts:contract_list", status=status.value, officer=officer),
            )
            for status in ContractStatus
        ],
        "by_tier": [
            Figure(
                tier.label,
                by_tier[tier],
                url("contracts:contract_list", status=live, tier=tier.value, officer=officer),
            )
            for tier in Tier
        ],
        "by_rag": [
            Figure(
                overall.label,
                by_overall[overall],
                url("contracts:contract_list", status=live, overall=overall.value, officer=officer),
                hint=overall.value,
            )
            for overall in OverallStatus
        ],
        "attention": [
            AttentionRow(pk, reference, title, OverallStatus(overall), reasons or [])
            for pk, reference, title, overall, reasons in attention
        ],
        "attention_total": sum(by_overall[overall] for overall in needing_attention),
    }


def _kpis_red(user, mine, today, officer) -> dict:
    year, quarter = last_finished_quarter(today)
    reported = REPORTED_RETURN_STATUSES
    results = _in_scope(
        KpiResult.objects.restrict(user, "view").filter(
            rag=Rag.RED,
            performance_return__status__in=reported,
            performance_return__period__financial_year=year,
            performance_return__period__quarter=quarter,
        ),
        mine,
        user,
        "performance_return__period__contract",
    )
    totals = results.aggregate(
        results=Count("pk"), contracts=Count("performance_return__period__contract", distinct=True)
    )
    listed = list(
        results.select_related("kpi", "performance_return__period__contract").order_by(
            "performance_return__period__contract__reference", "kpi__name"
        )[:LISTED]
    )
    return {
        "quarter": quarter_name(year, quarter),
        "count": totals["results"],
        "contracts": totals["contracts"],
        "rows": listed,
        "url": url(
            "contracts:performancereturn_list",
            rag=Rag.RED,
            financial_year=year,
            quarter=quarter,
            officer=officer,
        ),
    }


def _overdue(user, mine, today, officer) -> dict:
    """Overdue returns and actions, counted with the filters their lists use (three
    queries), so each figure matches the list it opens."""
    counts = {}
    for model, due in (
        (PerformanceReturn, "performance_due_on"),
        (FinancialReturn, "finance_due_on"),
    ):
        returns = _in_scope(
            model.objects.restrict(user, "view"), mine, user, "period__contract"
        ).filter(overdue_filter(due, today))
        counts[model] = returns.count()
    actions = Action.objects.restrict(user, "view").filter(
        status__in=OPEN_ACTION_STATUSES, due_on__lt=today
    )
    if mine:
        actions = actions.filter(
            Q(contract__lead_officer=user) | Q(contract__deputy_officer=user) | Q(owner=user)
        )
    return {
        "figures": [
            Figure(
                "Performance returns overdue",
                counts[PerformanceReturn],
                url("contracts:performancereturn_list", overdue="true", officer=officer),
                one="performance return overdue",
            ),
            Figure(
                "Financial returns overdue",
                counts[FinancialReturn],
                url("contracts:financialreturn_list", overdue="true", officer=officer),
                one="financial return overdue",
            ),
            Figure(
                "Actions overdue",
                actions.count(),
                url("governance:action_list", overdue="true", officer=officer),
                one="action overdue",
            ),
        ]
    }


def _risks(user, mine, officer) -> dict:
    risks = Risk.objects.restrict(user, "view").filter(status=RiskStatus.OPEN)
    if mine:
        risks = risks.filter(
            Q(contract__lead_officer=user) | Q(contract__deputy_officer=user) | Q(owner=user)
        )

    def cell_url(likelihood: int, impact: int) -> str:
        return url(
            "risks:risk_list",
            status=RiskStatus.OPEN,
            basis=ScoreBasis.RESIDUAL,
            likelihood=likelihood,
            impact=impact,
            officer=officer,
        )

    heatmap = risk_heatmap(risks, basis=ScoreBasis.RESIDUAL, cell_url=cell_url)
    return {
        "heatmap": heatmap,
        "chart": heatmap_chart(
            heatmap,
            title="Open risks and issues by residual likelihood and impact",
            chart_id="dashboard-heatmap",
        ),
        "url": url("risks:risk_list", status=RiskStatus.OPEN, officer=officer),
    }


def _rag_quarters(user, mine, today) -> dict:
    year, quarter = last_finished_quarter(today)
    quarters = quarters_back(year, quarter, RAG_QUARTERS)
    first_year, first_quarter = quarters[0]
    returns = _in_scope(
        PerformanceReturn.objects.restrict(user, "view").filter(
            status__in=REPORTED_RETURN_STATUSES
        ),
        mine,
        user,
        "period__contract",
    ).filter(
        Q(period__financial_year__gt=first_year)
        | Q(period__financial_year=first_year, period__quarter__gte=first_quarter),
        Q(period__financial_year__lt=year)
        | Q(period__financial_year=year, period__quarter__lte=quarter),
    )
    counts: dict[tuple[int, int], dict[str, int]] = {q: {} for q in quarters}
    for row in (
        returns.order_by()
        .values("period__financial_year", "period__quarter", "rag")
        .annotate(n=Count("pk"))
    ):
        key = (row["period__financial_year"], row["period__quarter"])
        if key in counts:
            counts[key][row["rag"]] = row["n"]
    columns = [(quarter_name(*q), counts[q]) for q in quarters]
    return {
        "columns": columns,
        "chart": rag_stack_chart(
            columns,
            title="Performance returns by their RAG for the quarter, quarter by quarter",
            x_label="Quarter",
            y_label="Performance returns",
            chart_id="dashboard-rag-quarters",
        ),
    }


def _checklist(user, mine, today, officer) -> dict:
    """Verified evidence that has expired or expires while it is due for renewal: the
    expired first (the longest expired at the top), then the soonest to expire."""
    items = _in_scope(
        ChecklistItem.objects.restrict(user, "view").filter(status="verified"),
        mine,
        user,
        "contract",
    )
    soon = today + datetime.timedelta(days=EXPIRY_DAYS)
    totals = items.aggregate(
        expired=Count("pk", filter=Q(expires_on__lt=today)),
        expiring=Count("pk", filter=Q(expires_on__gte=today, expires_on__lte=soon)),
    )
    listed = list(
        items.filter(expires_on__lte=soon)
        .select_related("contract")
        .order_by("expires_on", "pk")[:LISTED]
    )
    for item in listed:
        item.deadline = deadlines.classify(
            item.expires_on, today=today, kind=deadlines.CHECKLIST_EXPIRY
        )
    expired_url = url("contracts:checklist_list", attention="expired", officer=officer)
    expiring_url = url("contracts:checklist_list", attention="expiring", officer=officer)
    count = totals["expired"] + totals["expiring"]
    return {
        "days": EXPIRY_DAYS,
        "url": url("contracts:checklist_list", attention="renewal", officer=officer),
        "figures": [
            Figure(
                "Evidence expired",
                totals["expired"],
                expired_url,
                one="item of evidence expired",
                many="items of evidence expired",
            ),
            Figure(
                f"Evidence expiring within {EXPIRY_DAYS} days",
                totals["expiring"],
                expiring_url,
                one=f"item of evidence expiring within {EXPIRY_DAYS} days",
                many=f"items of evidence expiring within {EXPIRY_DAYS} days",
            ),
        ],
        "rows": listed,
        "count": count,
        "groups": deadlines.group(
            listed,
            state_of=lambda item: item.deadline.state,
            counts={
                deadlines.State.MISSED: totals["expired"],
                deadlines.State.DUE: totals["expiring"],
            },
            labels={
                deadlines.State.MISSED: "Expired",
                deadlines.State.DUE: f"Expiring within {EXPIRY_DAYS} days",
            },
            urls={deadlines.State.MISSED: expired_url, deadlines.State.DUE: expiring_url},
        ),
    }


def _feature_panels(board: Dashboard, user, mine: bool, today: datetime.date) -> None:
    """Disputes, exits and health checks, from the selectors those features provide."""
    board.panels["disputes"] = _disputes(open_disputes, user, mine, today)
    board.panels["exit"] = _exits(contracts_ending, user, mine, today)
    board.panels["health"] = _health(health_checks_due, user, mine, today)
    if user.has_perm("contracts.view_notice"):
        board.panels["statutory"] = statutory_panel(user, mine=mine, today=today)


def _mine_only(rows, user, path=lambda row: row.contract):
    return [
        row for row in rows if (contract := path(row)) is not None and contract.is_officer(user)
    ]


def _disputes(open_disputes, user, mine, today) -> dict:
    """Open disputes by stage, and their next deadlines: missed first, then due, then
    coming up; disputes with no deadline set last."""

    disputes = list(open_disputes(user))
    officer = None
    if mine:
        disputes = _mine_only(disputes, user)
        officer = user.pk
    by_stage = Counter(d.stage for d in disputes)
    bars = [
        (
            Stage(stage).label,
            by_stage[stage],
            optional_url("disputes:dispute_list", stage=stage, open="open", officer=officer),
        )
        for stage in OPEN_STAGES
    ]
    for dispute in disputes:
        dispute.deadline = deadlines.classify(
            dispute.next_deadline, today=today, kind=deadlines.DISPUTE
        )
    disputes.sort(
        key=lambda d: (
            (d.deadline.rank, d.deadline.on) if d.deadline else (deadlines.DONE_RANK, today)
        )
    )
    listed = disputes[:LISTED]
    by_state = Counter(d.deadline.state if d.deadline else "none" for d in disputes)
    return {
        "count": len(disputes),
        "rows": listed,
        "groups": deadlines.group(
            listed,
            state_of=lambda d: d.deadline.state if d.deadline else "none",
            counts={
                **{state: by_state[state] for state in deadlines.State},
                "none": by_state["none"],
            },
            labels={"none": "No deadline set"},
            urls={
                state: optional_url(
                    "disputes:dispute_list", open="open", deadline=state, officer=officer
                )
                for state in deadlines.State
            },
        ),
        "chart": bar_chart(
            bars,
            title="Open disputes by stage",
            x_label="Open disputes",
            y_label="Stage",
            chart_id="dashboard-disputes",
        ),
        "bars": bars,
        "url": optional_url("disputes:dispute_list", open="open", officer=officer),
    }


def _exits(contracts_ending, user, mine, today) -> dict:
    """Contracts whose notice of plans falls due (or fell due) within the months: the
    notice is due six months before the end, so these end within six months more (a
    month's margin, as month ends clip unevenly). Missed deadlines first, then due, then
    coming up, and the contracts whose notice is recorded last. Counted and listed in
    the database (two queries)."""
    horizon = add_months(today, EXIT_MONTHS)
    within = EXIT_MONTHS + EXIT_NOTICE_MONTHS + 1
    rows = contracts_ending(user, within_months=within, today=today).filter(
        exit_notice_deadline__lte=horizon
    )
    if mine:
        rows = rows.filter(Q(lead_officer=user) | Q(deputy_officer=user))
    needed = Q(notice_recorded=False)
    states = {
        state: deadlines.state_q(
            state, "exit_notice_deadline", today=today, kind=deadlines.EXIT_NOTICE, open_q=needed
        )
        for state in deadlines.State
    }
    totals = rows.aggregate(
        count=Count("pk"),
        waiting=Count("pk", filter=needed),
        **{state.value: Count("pk", filter=q) for state, q in states.items()},
    )
    listed = list(
        rows.order_by(
            *deadlines.ordering(
                "exit_notice_deadline", today=today, kind=deadlines.EXIT_NOTICE, open_q=needed
            ),
            "pk",
        )[:LISTED]
    )
    for contract in listed:
        contract.deadline = (
            None
            if contract.notice_recorded
            else deadlines.classify(
                contract.exit_notice_deadline, today=today, kind=deadlines.EXIT_NOTICE
            )
        )
    mine_flag = "true" if mine else None

    def ending_url(**params) -> str:
        return optional_url(
            "contracts:contracts_ending", notice_within=EXIT_MONTHS, mine=mine_flag, **params
        )

    return {
        "months": EXIT_MONTHS,
        "count": totals["count"],
        "waiting": totals["waiting"],
        "rows": listed,
        "groups": deadlines.group(
            listed,
            state_of=lambda c: "recorded" if c.notice_recorded else c.deadline.state,
            counts={
                **{state: totals[state.value] for state in deadlines.State},
                "recorded": totals["count"] - totals["waiting"],
            },
            labels={"recorded": "Notice recorded"},
            urls={
                **{state: ending_url(deadline=state) for state in deadlines.State},
                "recorded": ending_url(notice="recorded"),
            },
        ),
        "url": ending_url(),
    }


def _health(health_checks_due, user, mine, today) -> dict:
    """Annual health checks overdue or due within the days: overdue first."""
    rows = list(health_checks_due(user, within_days=HEALTH_CHECK_DAYS, today=today))
    if mine:
        rows = _mine_only(rows, user)
    rows.sort(key=lambda row: (row.deadline.rank, row.due_on, row.contract.reference))
    listed = rows[:LISTED]
    by_state = Counter(row.deadline.state for row in rows)
    mine_flag = "true" if mine else None

    def due_url(**params) -> str:
        return optional_url(
            "governance:health_checks_due", within=HEALTH_CHECK_DAYS, mine=mine_flag, **params
        )

    return {
        "days": HEALTH_CHECK_DAYS,
        "count": len(rows),
        "rows": listed,
        "groups": deadlines.group(
            listed,
            state_of=lambda row: row.deadline.state,
            counts={state: by_state[state] for state in deadlines.State},
            labels={deadlines.State.MISSED: "Overdue"},
            urls={state: due_url(state=state) for state in deadlines.State},
        ),
        "url": due_url(),
    }
