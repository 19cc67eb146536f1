"""What each report of a contract shows, read for the user asking (so a report holds
only what its reader may see). Each builder returns a template context and costs a
fixed number of queries; the PDF templates in templates/pdf/ lay them out, and the
auditor pack puts them all in one document."""

import datetime
from collections import defaultdict

from django.db.models import Q
from django.template.loader import select_template
from django.utils import timezone

from contracts.assurance.models.slas import ChecklistItem
from contracts.overview.selectors import contract_overview
from contracts.performance.choices import REPORTED_RETURN_STATUSES
from contracts.performance.models.returns import KpiResult, ReportingPeriod
from contracts.performance.selectors import reported_returns
from contracts.performance.services.kpis import format_amount, kpi_chart
from contracts.performance.services.returns import is_overdue, lines_total
from contracts.register.choices import VariationStatus
from contracts.register.models.contracts import Contract
from governance.contactlog.models import ContactLogEntry
from governance.core.charts import heatmap_chart, rag_stack_chart
from governance.meetings.models import Action, Decision, Meeting
from governance.reports.history import contract_change_history
from risks.choices import RiskStatus, ScoreBasis
from risks.models import Risk
from risks.selectors import risk_heatmap

#: Quarters of history in a KPI's trend.
TREND_QUARTERS = 8
REPORTED = REPORTED_RETURN_STATUSES


def summary_context(user, contract: Contract, today: datetime.date | None = None) -> dict:
    today = today or timezone.localdate()
    overview = contract_overview(contract, today)
    return {
        "contract": contract,
        "overall": contract.overall_status,
        "overview": overview,
        "variations": list(
            contract.variations.select_related("proposed_by", "decided_by").order_by("number")
        ),
        "kpis": list(contract.kpis.filter(is_active=True).order_by("name")),
        "checklist": list(
            ChecklistItem.objects.filter(contract=contract)
            .select_related("verified_by")
            .order_by("title")
        ),
        "periods": list(
            ReportingPeriod.objects.filter(contract=contract)
            .select_related("performance_return", "financial_return")
            .order_by("-starts_on")[:TREND_QUARTERS]
        ),
        "today": today,
        "approved": VariationStatus.APPROVED,
    }


def _trend_charts(contract: Contract, period: ReportingPeriod) -> dict[int, dict]:
    """Each KPI's results over the last quarters up to ``period``: one query."""
    results = (
        KpiResult.objects.filter(
            kpi__contract=contract,
            performance_return__status__in=REPORTED,
            performance_return__period__starts_on__lte=period.starts_on,
            performance_return__period__starts_on__gt=period.starts_on
            - datetime.timedelta(days=92 * TREND_QUARTERS),
        )
        .select_related("performance_return__period")
        .order_by("performance_return__period__starts_on")
    )
    by_kpi = defaultdict(list)
    for result in results:
        by_kpi[result.kpi_id].append(result)
    return by_kpi


def _trend_word(results: list, kpi) -> str:
    """Improving, worsening or steady against the previous reported quarter."""
    values = [r.actual for r in results if r.actual is not None]
    if len(values) < 2:
        return "No earlier result"
    change = values[-1] - values[-2]
    if change == 0:
        return "Steady"
    better = change > 0 if kpi.direction == "higher" else change < 0
    return "Improving" if better else "Worsening"


def quarterly_context(user, period: ReportingPeriod) -> dict:
    """The quarterly performance report: every KPI with its RAG and trend, the
    financial summary, the quarter's actions, meetings and complaints, and the
    commentary of both returns."""
    contract = period.contract
    performance = getattr(period, "performance_return", None)
    finance = getattr(period, "financial_return", None)
    results = {}
    if performance is not None:
        results = {r.kpi_id: r for r in performance.results.select_related("commentary_by")}
    trends = _trend_charts(contract, period)
    kpis = []
    for kpi in contract.kpis.order_by("name"):
        result = results.get(kpi.pk)
        if result is None and not kpi.is_active:
            continue
        history = trends.get(kpi.pk, [])
        points = [(r.performance_return.period.label, r.actual, r.rag) for r in history]
        kpis.append(
            {
                "kpi": kpi,
                "result": result,
                "target": format_amount(kpi.target, kpi.unit),
                "actual": format_amount(result.actual, kpi.unit) if result else "",
                "trend": _trend_word(history, kpi),
                "chart": kpi_chart(
                    kpi,
                    points,
                    what=f"results of the last {len(points)} quarters",
                    chart_id=f"kpi-{kpi.pk}-report",
                )
                if points
                else "",
            }
        )
    lines = list(finance.lines.all()) if finance is not None else []
    actions = list(
        Action.objects.filter(contract=contract, raised_on__lte=period.ends_on)
        .filter(
            Q(status__in=("open", "in_progress"))
            | Q(completed_on__gte=period.starts_on, completed_on__lte=period.ends_on)
            | Q(raised_on__gte=period.starts_on)
        )
        .select_related("owner")
        .order_by("due_on", "pk")
    )
    meetings = list(
        Meeting.objects.filter(
            contract=contract,
            starts_at__date__gte=period.starts_on,
            starts_at__date__lte=period.ends_on
            + datetime.timedelta(days=45),  # the quarter's meeting is held after it ends
        )
        .select_related("chair")
        .order_by("starts_at")
    )
    complaints = list(
        contract.complaints.filter(
            received_on__gte=period.starts_on, received_on__lte=period.ends_on
        ).order_by("received_on")
    )
    return {
        "contract": contract,
        "period": period,
        "performance": performance,
        "finance": finance,
        "kpis": kpis,
        "lines": lines,
        "lines_total": lines_total(lines) if lines else None,
        "actions": actions,
        "meetings": meetings,
        "complaints": complaints,
        "performance_overdue": performance is not None
        and is_overdue(performance.status, period.performance_due_on),
        "finance_overdue": finance is not None
        and is_overdue(finance.status, period.finance_due_on),
    }


def rag_history_chart(contract: Contract, quarters: int = TREND_QUARTERS) -> str:
    """The contract's overall return status quarter by quarter (one query)."""
    returns = list(reported_returns(contract)[:quarters])
    columns = [(r.period.label, {r.rag: 1}) for r in reversed(returns)]
    return rag_stack_chart(
        columns,
        title="RAG of each quarter's performance return",
        x_label="Quarter",
        y_label="Performance returns",
        chart_id=f"rag-{contract.pk}",
    )


def _of_contract(model, user, contract: Contract, related: tuple, order: tuple) -> list:
    """The contract's records of ``model`` that ``user`` may see, in ``order``."""
    return list(
        model.objects.restrict(user, "view")
        .filter(contract=contract)
        .select_related(*related)
        .order_by(*order)
    )


def risk_log_context(user, contract: Contract) -> dict:
    risks = _of_contract(Risk, user, contract, ("owner",), ("status", "-residual_score", "pk"))
    open_risks = Risk.objects.restrict(user, "view").filter(
        contract=contract, status=RiskStatus.OPEN
    )
    heatmap = risk_heatmap(open_risks, basis=ScoreBasis.RESIDUAL, cell_url=lambda _l, _i: "")
    return {
        "contract": contract,
        "risks": risks,
        "heatmap_chart": heatmap_chart(
            heatmap,
            title="Open risks and issues by residual likelihood and impact",
            chart_id=f"heatmap-{contract.pk}",
        ),
    }


def decision_log_context(user, contract: Contract) -> dict:
    return {
        "contract": contract,
        "decisions": _of_contract(
            Decision, user, contract, ("recorded_by", "meeting"), ("decided_on", "pk")
        ),
    }


def contact_log_context(user, contract: Contract) -> dict:
    return {
        "contract": contract,
        "entries": _of_contract(
            ContactLogEntry, user, contract, ("recorded_by",), ("occurred_at", "pk")
        ),
    }


def history_context(user, contract: Contract) -> dict:
    return {"contract": contract, "changes": contract_change_history(contract)}


# -- Sections other features write ------------------------------------------------------

#: (section key, the template another feature writes, its title)
FEATURE_SECTIONS = {
    "disputes": "disputes/pdf/_dispute_section.html",
    "health": "governance/healthchecks/pdf/_assessment_section.html",
    "exit": "contracts/exit/pdf/_exit_section.html",
}


def feature_template(key: str) -> str | None:
    """The section template another feature provides, or None while it does not."""
    try:
        select_template([FEATURE_SECTIONS[key]])
    except Exception:  # TemplateDoesNotExist, or a template still being written
        return None
    return FEATURE_SECTIONS[key]


RAG_MARKS = {"red": "R", "amber": "A", "green": "G", "none": "n/r"}


def pack_quarters(contract: Contract, periods: list[ReportingPeriod]) -> dict:
    """The contract's whole reporting history, compact enough for the auditor pack:
    one summary row per quarter, each financial year's KPI results side by side, the
    red and amber results with the provider's commentary, and trend charts of the key
    indicators. Three queries."""
    by_return = defaultdict(list)
    for result in (
        KpiResult.objects.filter(performance_return__period__contract=contract)
        .select_related("kpi", "commentary_by")
        .order_by("kpi__name", "pk")
    ):
        by_return[result.performance_return_id].append(result)
    kpis = list(contract.kpis.order_by("name"))
    summary, exceptions = [], []
    years: dict[int, dict] = {}
    points = defaultdict(list)
    for period in periods:
        performance = getattr(period, "performance_return", None)
        finance = getattr(period, "financial_return", None)
        results = by_return.get(performance.pk, []) if performance is not None else []
        reported = performance is not None and performance.status in REPORTED
        counts = defaultdict(int)
        year = years.setdefault(
            period.financial_year,
            {"label": period.label.split(" ", 1)[1], "quarters": [], "cells": defaultdict(dict)},
        )
        year["quarters"].append(f"Q{period.quarter}")
        for result in results:
            # Its return is already loaded: the commentary's attribution reads its source.
            result.performance_return = performance
            counts[result.rag] += 1
            year["cells"][result.kpi_id][period.quarter] = (
                f"{format_amount(result.actual, result.kpi.unit)} {RAG_MARKS[result.rag]}"
                if result.actual is not None
                else RAG_MARKS["none"]
            )
            if reported:
                points[result.kpi_id].append((period.label, result.actual, result.rag))
                if result.rag in ("red", "amber"):
                    exceptions.append({"period": period, "result": result})
        summary.append(
            {
                "period": period,
                "performance": performance,
                "finance": finance,
                "red": counts["red"],
                "amber": counts["amber"],
                "green": counts["green"],
            }
        )
    tables = []
    for year in years.values():
        quarters = sorted(year["quarters"])
        numbers = [int(q[1]) for q in quarters]
        tables.append(
            {
                "label": year["label"],
                "quarters": quarters,
                "rows": [
                    {
                        "kpi": kpi,
                        "target": format_amount(kpi.target, kpi.unit),
                        "cells": [year["cells"][kpi.pk].get(n, "") for n in numbers],
                    }
                    for kpi in kpis
                    if year["cells"].get(kpi.pk)
                ],
            }
        )
    trends = [
        {
            "kpi": kpi,
            "chart": kpi_chart(
                kpi, points[kpi.pk], what="every reported quarter", chart_id=f"pack-kpi-{kpi.pk}"
            ),
        }
        for kpi in kpis
        if kpi.is_key_indicator and points.get(kpi.pk)
    ]
    return {
        "summary": summary,
        "years": tables,
        "exceptions": exceptions,
        "trends": trends,
        "has_quarters": bool(periods),
    }
