"""Each contract's overall status: the one rule, and the one place that stores it.

The rule (``decide``), worst first:

Red
    the latest accepted quarter is red; two or more returns are overdue, or one has been
    overdue for more than a quarter; an open risk is in the top band; a formal dispute
    is open, or a dispute's deadline has been missed; the exit-notice deadline has
    passed with no notice of plans recorded against the current end date.
Amber
    the latest accepted quarter is amber; one return is overdue (for less than a
    quarter); an open risk is in the band below the top; a dispute is on the informal
    route.
Green
    the latest accepted quarter is green and nothing above applies.
Not yet reported
    no quarter has been accepted and nothing above applies.

The result and its reasons are stored in ``ContractOverallStatus`` and read from there by
every page, filter, export and report. They are refreshed in the same transaction as
any change to what they rest on (the signal receivers at the foot of this module, one
list of inputs), and by the daily sweep for what the passing of time alone changes.
``gather`` reads the inputs of any number of contracts in a fixed number of queries.
"""

import contextlib
import contextvars
import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import connections, transaction
from django.db.models import CharField, Count, Max, Min, Q, Value
from django.db.models.functions import Cast, Concat
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from contracts.exit.models import ExitNotice, exit_notice_breached, exit_notice_deadline
from contracts.performance.choices import ReturnStatus
from contracts.performance.models.returns import FinancialReturn, PerformanceReturn, ReportingPeriod
from contracts.performance.services.returns import OPEN_STATUSES
from contracts.register.choices import ContractStatus, OverallStatus, Rag
from contracts.register.models.contracts import Contract
from contracts.register.models.status import ContractOverallStatus
from disputes.choices import FORMAL_STAGES, STAGE_ORDER, Stage
from disputes.models.disputes import Dispute
from governance.core.dates import add_months, quarter_label
from governance.core.signals import contract_inputs_changed, records_changed_in_bulk
from risks.choices import RiskStatus
from risks.models import Risk
from risks.scoring import risk_bands

LIVE_STATUSES = (ContractStatus.ACTIVE, ContractStatus.IN_EXIT)
RATED = (Rag.RED, Rag.AMBER, Rag.GREEN)
#: A single overdue return turns the status red once it has been overdue this long.
OVERDUE_RED_MONTHS = 3


@dataclass
class Inputs:
    """What one contract's overall status rests on."""

    live: bool = False
    quarter_rag: str = ""
    quarter_starts_on: datetime.date | None = None
    overdue_performance: int = 0
    overdue_finance: int = 0
    oldest_overdue_due_on: datetime.date | None = None
    top_risks: int = 0
    high_risks: int = 0  # in the band below the top only
    formal_disputes: list[str] = field(default_factory=list)  # their stages
    informal_disputes: int = 0
    dispute_deadline_missed_on: datetime.date | None = None
    exit_notice_missed_on: datetime.date | None = None


@dataclass(frozen=True)
class Verdict:
    status: str
    reasons: list[str]
    quarter_rag: str
    quarter_starts_on: datetime.date | None


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _ago(day: datetime.date, today: datetime.date) -> str:
    days = (today - day).days
    if days <= 0:
        return "today"
    return "yesterday" if days == 1 else f"{days} days ago"


def decide(inputs: Inputs, today: datetime.date) -> Verdict:
    """The overall status and its reasons, worst first: the whole rule."""
    red: list[str] = []
    amber: list[str] = []
    quarter = f"{quarter_label(inputs.quarter_starts_on)} performance return"
    if inputs.quarter_rag == Rag.RED:
        red.append(f"{quarter}: Red")
    elif inputs.quarter_rag == Rag.AMBER:
        amber.append(f"{quarter}: Amber")

    overdue = inputs.overdue_performance + inputs.overdue_finance
    long_overdue = (
        inputs.oldest_overdue_due_on is not None
        and inputs.oldest_overdue_due_on < add_months(today, -OVERDUE_RED_MONTHS)
    )
    overdue_reasons = []
    for count, kind in (
        (inputs.overdue_performance, "performance"),
        (inputs.overdue_finance, "financial"),
    ):
        if count:
            overdue_reasons.append(_plural(count, f"{kind} return") + " overdue")
    if overdue_reasons and long_overdue:
        overdue_reasons.append(
            f"{'the oldest' if overdue > 1 else 'it'} was due on "
            f"{inputs.oldest_overdue_due_on:%-d %B %Y}, more than a quarter ago"
        )
    (red if overdue >= 2 or long_overdue else amber).extend(overdue_reasons)

    bands = risk_bands()
    if inputs.top_risks:
        red.append(_plural(inputs.top_risks, "open risk") + f" rated {bands[-1].label}")
    if inputs.high_risks and len(bands) > 1:
        amber.append(_plural(inputs.high_risks, "open risk") + f" rated {bands[-2].label}")

    if inputs.formal_disputes:
        stages = sorted(inputs.formal_disputes, key=STAGE_ORDER.get)
        furthest = Stage(stages[-1]).label.split(":")[0].lower()
        if len(stages) == 1:
            red.append(f"Formal dispute at {furthest}")
        else:
            red.append(f"{len(stages)} formal disputes, the furthest at {furthest}")
    if inputs.dispute_deadline_missed_on:
        red.append(
            f"Dispute meeting deadline missed {_ago(inputs.dispute_deadline_missed_on, today)}"
        )
    if inputs.informal_disputes:
        amber.append(_plural(inputs.informal_disputes, "dispute") + " on the informal route")

    if inputs.exit_notice_missed_on:
        if inputs.exit_notice_missed_on >= today:
            red.append("Exit-notice deadline is today and no notice of plans is recorded")
        else:
            red.append(f"Exit-notice deadline missed {_ago(inputs.exit_notice_missed_on, today)}")

    if red:
        status = OverallStatus.RED
    elif amber:
        status = OverallStatus.AMBER
    elif inputs.quarter_rag == Rag.GREEN:
        status = OverallStatus.GREEN
    else:
        status = OverallStatus.NOT_YET_REPORTED
    reasons = red + amber
    if status == OverallStatus.GREEN:
        reasons.append(f"{quarter}: Green, and nothing overdue or at risk")
    elif status == OverallStatus.NOT_YET_REPORTED:
        reasons.append("No quarter's performance return has been accepted yet")
    return Verdict(
        status=status,
        reasons=[reason[0].upper() + reason[1:] for reason in reasons],
        quarter_rag=inputs.quarter_rag,
        quarter_starts_on=inputs.quarter_starts_on,
    )


def gather(contract_ids: Iterable[int], today: datetime.date) -> dict[int, Inputs]:
    """The inputs of each contract, by primary key, in eight queries whatever their
    number or the number of their records."""
    ids = list(contract_ids)
    inputs: dict[int, Inputs] = {}
    rows = Contract.objects.filter(pk__in=ids).values_list("pk", "status", "current_end_date")
    ends = {}
    for pk, status, end in rows:
        inputs[pk] = Inputs(live=status in LIVE_STATUSES)
        ends[pk] = end
    if not inputs:
        return inputs
    ids = list(inputs)

    # The newest accepted quarter and its RAG in one value: ISO dates sort as text.
    latest = (
        ReportingPeriod.objects.filter(
            contract__in=ids,
            performance_return__status=ReturnStatus.ACCEPTED,
            performance_return__rag__in=RATED,
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
        inputs[pk].quarter_rag = rag
        inputs[pk].quarter_starts_on = datetime.date.fromisoformat(day[:10])

    for model, due, attribute in (
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
            .annotate(n=Count("pk"), oldest=Min(f"period__{due}"))
            .values_list("period__contract", "n", "oldest")
        )
        for pk, count, oldest in overdue:
            setattr(inputs[pk], attribute, count)
            current = inputs[pk].oldest_overdue_due_on
            inputs[pk].oldest_overdue_due_on = min(oldest, current) if current else oldest

    bands = risk_bands()
    top = bands[-1].lowest
    high = bands[-2].lowest if len(bands) > 1 else top
    risks = (
        Risk.objects.filter(contract__in=ids, status=RiskStatus.OPEN, residual_score__gte=high)
        .values("contract")
        .annotate(top=Count("pk", filter=Q(residual_score__gte=top)), all=Count("pk"))
        .values_list("contract", "top", "all")
    )
    for pk, top_count, high_count in risks:
        inputs[pk].top_risks = top_count
        inputs[pk].high_risks = high_count - top_count

    disputes = Dispute.objects.filter(contract__in=ids).exclude(stage=Stage.CLOSED)
    for pk, stage in disputes.values_list("contract", "stage"):
        if stage in FORMAL_STAGES:
            inputs[pk].formal_disputes.append(stage)
        else:
            inputs[pk].informal_disputes += 1
    missed_meetings = (
        disputes.filter(
            stage=Stage.STAGE_2, meeting_held_on__isnull=True, meeting_deadline__lt=today
        )
        .values("contract")
        .annotate(first=Min("meeting_deadline"))
        .values_list("contract", "first")
    )
    for pk, first in missed_meetings:
        inputs[pk].dispute_deadline_missed_on = first

    noticed = set(ExitNotice.objects.filter(contract__in=ids).values_list("contract", "end_date"))
    for pk, item in inputs.items():
        if not item.live or ends[pk] is None:
            continue
        deadline = exit_notice_deadline(ends[pk])
        if exit_notice_breached(deadline=deadline, today=today) and (pk, ends[pk]) not in noticed:
            item.exit_notice_missed_on = deadline
    return inputs


def verdicts(contract_ids: Iterable[int], today: datetime.date) -> dict[int, Verdict]:
    return {pk: decide(item, today) for pk, item in gather(contract_ids, today).items()}


def _same(stored: ContractOverallStatus, verdict: Verdict) -> bool:
    return (
        stored.status == verdict.status
        and stored.reasons == verdict.reasons
        and stored.quarter_rag == verdict.quarter_rag
        and stored.quarter_starts_on == verdict.quarter_starts_on
    )


BATCH = 1000


def refresh(contract_ids: Iterable[int], today: datetime.date | None = None) -> int:
    """Work out and store the overall status of the contracts; returns how many stored
    statuses were wrong or missing and had to be corrected."""
    today = today or timezone.localdate()
    now = timezone.now()
    ids = sorted(set(contract_ids))
    corrected = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        found = verdicts(chunk, today)
        stored = ContractOverallStatus.objects.in_bulk(list(found))
        changed, missing, unchanged = [], [], []
        for pk, verdict in found.items():
            row = stored.get(pk)
            if row is None:
                missing.append(ContractOverallStatus(contract_id=pk))
                row = missing[-1]
            elif _same(row, verdict):
                unchanged.append(pk)
                continue
            else:
                changed.append(row)
            row.status = verdict.status
            row.reasons = verdict.reasons
            row.quarter_rag = verdict.quarter_rag
            row.quarter_starts_on = verdict.quarter_starts_on
            row.as_of, row.refreshed_at = today, now
        fields = ["status", "reasons", "quarter_rag", "quarter_starts_on", "as_of", "refreshed_at"]
        ContractOverallStatus.objects.bulk_update(changed, fields)
        ContractOverallStatus.objects.bulk_create(missing)
        ContractOverallStatus.objects.filter(pk__in=unchanged).update(as_of=today, refreshed_at=now)
        corrected += len(changed) + len(missing)
    if corrected:
        records_changed_in_bulk.send(sender=ContractOverallStatus)
    return corrected


def refresh_all(today: datetime.date | None = None) -> int:
    """The daily sweep's step: every contract, for what time alone changes (a return
    falling overdue, a deadline passing). Returns how many it had to correct."""
    corrected = refresh(Contract.objects.values_list("pk", flat=True), today)
    pending = _deferred.get()
    if pending is not None:
        pending.clear()  # every contract is fresh now
    return corrected


# -- Keeping it fresh --------------------------------------------------------------------

_deferred: contextvars.ContextVar[set | None] = contextvars.ContextVar(
    "overall_status_deferred", default=None
)


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Collect the contracts whose inputs change inside the block and refresh them once,
    together, at its end (for the sweep, the demo and other bulk work)."""
    if _deferred.get() is not None:
        yield
        return
    pending: set[int] = set()
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
    if pending:
        refresh(pending)


def contract_changed(contract_id: int | None) -> None:
    """Something a contract's status rests on has changed: refresh it now, inside the
    caller's transaction, or at the end of a ``deferred`` block."""
    if contract_id is None:
        return
    pending = _deferred.get()
    if pending is not None:
        pending.add(contract_id)
    else:
        with transaction.atomic():
            refresh([contract_id])


def _period_contract(instance) -> int | None:
    period = instance._state.fields_cache.get("period")
    if period is not None:
        return period.contract_id
    return (
        ReportingPeriod.objects.filter(pk=instance.period_id)
        .values_list("contract_id", flat=True)
        .first()
    )


#: Every record the rule reads, with the way to its contract.
INPUTS = {
    Contract: lambda contract: contract.pk,
    ReportingPeriod: lambda period: period.contract_id,
    PerformanceReturn: _period_contract,
    FinancialReturn: _period_contract,
    ExitNotice: lambda notice: notice.contract_id,
    Risk: lambda risk: risk.contract_id,
    Dispute: lambda dispute: dispute.contract_id,
}


def _changed(sender, instance, raw=False, **kwargs):
    if raw:  # loading fixtures
        return
    contract_changed(INPUTS[sender](instance))


def _deleted(sender, instance, **kwargs):
    contract_id = INPUTS[sender](instance) if sender is not Contract else None
    contract_changed(contract_id)


def _bulk_changed(sender, contract_ids=(), **kwargs):
    pending = _deferred.get()
    if pending is not None:
        pending.update(contract_ids)
    elif contract_ids:
        with transaction.atomic():
            refresh(contract_ids)


def connect() -> None:
    contract_inputs_changed.connect(_bulk_changed, dispatch_uid="overall-status-bulk")
    for model in INPUTS:
        uid = f"overall-status-{model._meta.label_lower}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_deleted, sender=model, dispatch_uid=uid)


def refresh_missing(using="default", **kwargs) -> None:
    """After migrating: give every contract without a stored status its status."""
    tables = connections[using].introspection.table_names()
    if ContractOverallStatus._meta.db_table not in tables:  # migrated back before it
        return
    missing = Contract.objects.filter(overall__isnull=True).values_list("pk", flat=True)
    refresh(list(missing))
