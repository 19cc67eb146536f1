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

from django.urls import NoReverseMatch
from django.utils import timezone

from contracts.procurement.selectors import statutory_panel
from contracts.register.choices import ContractStatus, OverallStatus, Rag, Tier
from disputes.choices import OPEN_STAGES, Stage
from governance.core import deadlines
from governance.core.charts import bar_chart, heatmap_chart, rag_stack_chart
from governance.core.dates import financial_quarter, quarter_name
from governance.core.navigation import url_of
from governance.core.permissions import permission_name
from governance.core.roles import Role
from governance.dashboard import selectors
from governance.healthchecks.models import Assessment
from governance.healthchecks.selectors import due_within, schedule_of
from risks.choices import RiskStatus, ScoreBasis
from risks.selectors import heatmap_of


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

LIVE_STATUSES = selectors.LIVE_STATUSES


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
    board.totals = _portfolio(user, mine, officer)
    board.panels["kpis_red"] = _kpis_red(user, mine, today, officer)
    board.panels["overdue"] = _overdue(user, mine, today, officer)
    board.panels["risks"] = _risks(user, mine, officer)
    board.panels["rag_quarters"] = _rag_quarters(user, mine, today)
    board.panels["checklist"] = _checklist(user, mine, today, officer)
    _feature_panels(board, user, mine, today)
    return board


def _portfolio(user, mine: bool, officer) -> dict:
    """Counts by status, tier and stored overall status, and the values: one grouped
    query. The contracts needing attention, worst first, with their stored reasons: a
    second query, for the rows listed only (reading every contract's reasons cost more
    than the rest of the dashboard)."""
    groups = selectors.portfolio_groups.rows(user, mine)
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
    attention = selectors.needing_attention.rows(user, mine, LISTED)
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
        "attention_total": sum(by_overall[overall] for overall in selectors.ATTENTION_STATUSES),
    }


def _kpis_red(user, mine, today, officer) -> dict:
    year, quarter = last_finished_quarter(today)
    totals = selectors.red_result_totals.one(user, mine, year, quarter)
    listed = selectors.red_results.rows(user, mine, year, quarter, LISTED)
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
    performance, financial, actions = (
        selectors.overdue_returns.one(user, mine, "performance", today)["count"],
        selectors.overdue_returns.one(user, mine, "financial", today)["count"],
        selectors.overdue_actions.one(user, mine, today)["count"],
    )
    return {
        "figures": [
            Figure(
                "Performance returns overdue",
                performance,
                url("contracts:performancereturn_list", overdue="true", officer=officer),
                one="performance return overdue",
            ),
            Figure(
                "Financial returns overdue",
                financial,
                url("contracts:financialreturn_list", overdue="true", officer=officer),
                one="financial return overdue",
            ),
            Figure(
                "Actions overdue",
                actions,
                url("governance:action_list", overdue="true", officer=officer),
                one="action overdue",
            ),
        ]
    }


def _risks(user, mine, officer) -> dict:
    def cell_url(likelihood: int, impact: int) -> str:
        return url(
            "risks:risk_list",
            status=RiskStatus.OPEN,
            basis=ScoreBasis.RESIDUAL,
            likelihood=likelihood,
            impact=impact,
            officer=officer,
        )

    heatmap = heatmap_of(
        selectors.open_risk_counts.rows(user, mine), basis=ScoreBasis.RESIDUAL, cell_url=cell_url
    )
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
    counts: dict[tuple[int, int], dict[str, int]] = {q: {} for q in quarters}
    for row in selectors.rag_by_quarter.rows(user, mine, quarters[0], quarters[-1]):
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
    soon = today + datetime.timedelta(days=EXPIRY_DAYS)
    totals = selectors.evidence_totals.one(user, mine, today, soon)
    listed = selectors.evidence_expiring.rows(user, mine, soon, LISTED)
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
    board.panels["disputes"] = _disputes(user, mine, today)
    board.panels["exit"] = _exits(user, mine, today)
    board.panels["health"] = _health(user, mine, today)
    if user.has_perm("contracts.view_notice"):
        board.panels["statutory"] = statutory_panel(user, mine=mine, today=today)


def _disputes(user, mine, today) -> dict:
    """Open disputes by stage, and their next deadlines: missed first, then due, then
    coming up; disputes with no deadline set last."""

    disputes = selectors.disputes_open.rows(user, mine)
    officer = user.pk if mine else None
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


def _exits(user, mine, today) -> dict:
    """Contracts whose notice of plans falls due (or fell due) within the months: the
    notice is due six months before the end, so these end within six months more (a
    month's margin, as month ends clip unevenly). Missed deadlines first, then due, then
    coming up, and the contracts whose notice is recorded last. Counted and listed in
    the database (two queries)."""
    totals = selectors.exit_totals.one(user, mine, today, EXIT_MONTHS)
    listed = selectors.exits_listed.rows(user, mine, today, EXIT_MONTHS, LISTED)
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


def _health(user, mine, today) -> dict:
    """Annual health checks overdue or due within the days: overdue first."""
    rows = []
    if user.has_perm(permission_name(Assessment, "view")):
        schedule = schedule_of(selectors.partnerships_visible.rows(user, mine), today)
        rows = due_within(schedule, within_days=HEALTH_CHECK_DAYS, today=today)
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
