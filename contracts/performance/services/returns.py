"""The quarterly cycle: reporting periods, performance returns and financial returns.

Each live contract has a reporting period for every UK financial-year quarter it has
run in. A period holds one performance return (an actual per KPI) and one financial
return (budget, spend, payments and unit-priced lines), each due a number of business
days after the period ends, as the contract's current SLA sets.

Both kinds of return follow one status machine (``TRANSITIONS``): the provider or an
officer fills a draft in and submits it; the lead or deputy officer accepts it or
returns it for correction with a reason, and a returned return is corrected and
submitted again. Every write is recorded in history with who and why.

A return is the provider's account of the quarter. When the commissioner's staff
submit it for the provider, they record how it reached them (``ReturnSource``, the date
received and a note). Nobody accepts a return they submitted or entered themselves
(``governance.duties``), and a return is accepted only once its quarter has ended,
unless the reason for accepting it early is recorded. Commentary keeps who wrote it,
so reports call it the provider's only when the provider's staff wrote it.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from contracts.assurance.choices import SlaStatus
from contracts.assurance.models.slas import ServiceLevelAgreement
from contracts.performance.choices import (
    REPORTED_RETURN_STATUSES,
    KpiDirection,
    KpiFrequency,
    KpiUnit,
    ReturnSource,
    ReturnStatus,
)
from contracts.performance.models.kpis import ContractKpi
from contracts.performance.models.returns import (
    FinancialLine,
    FinancialReturn,
    KpiResult,
    PerformanceReturn,
    ReportingPeriod,
)
from contracts.register.choices import ContractStatus, Rag
from contracts.register.models.contracts import Contract
from governance.core import deadlines
from governance.core.dates import add_business_days, financial_quarter, quarter_bounds
from governance.core.duties import different_person_refusal, require_different_person
from governance.core.moves import refusal
from governance.core.permissions import permission_name
from governance.core.row_locks import locked
from governance.core.service_fields import refuse_unknown_fields
from governance.core.services import fitted_reason, record_save
from governance.core.signals import contract_inputs_changed
from governance.templatetags.govuk import money

#: Business days after a period ends when its returns are due, where no SLA is agreed.
DEFAULT_REPORT_DUE_BUSINESS_DAYS = 15
DEFAULT_FINANCE_DUE_BUSINESS_DAYS = 20

#: Contracts that report: periods are opened for these only.
PERIOD_CONTRACT_STATUSES = (ContractStatus.ACTIVE, ContractStatus.IN_EXIT)

#: A return in one of these is still the provider's to fill in, and is outstanding.
OPEN_STATUSES = (ReturnStatus.DRAFT, ReturnStatus.RETURNED)

NOT_IN_RETURN = "That indicator is not part of this contract's return."


def _today() -> datetime.date:
    return timezone.localdate()


def _history_reason(text: str) -> str:
    return fitted_reason(" ".join(text.split()))


def _require_reason(reason: str) -> None:
    if not reason or not reason.strip():
        raise ValidationError({"change_reason": "Give a reason for this change."})


# -- Reporting periods -------------------------------------------------------------------


def quarters_between(first: datetime.date, last: datetime.date) -> list[tuple[int, int]]:
    """(financial year, quarter) of every quarter from the one holding ``first`` to the
    one holding ``last``, oldest first."""
    if last < first:
        return []
    year, quarter = financial_quarter(first)
    final = financial_quarter(last)
    quarters = []
    while (year, quarter) <= final:
        quarters.append((year, quarter))
        year, quarter = (year, quarter + 1) if quarter < 4 else (year + 1, 1)
    return quarters


def kpi_due_in_quarter(kpi: ContractKpi, quarter: int) -> bool:
    """Reported KPIs are returned every quarter (monthly ones as the quarter's figure),
    annual ones at the end of the financial year only."""
    if not kpi.is_active:
        return False
    return quarter == 4 if kpi.frequency == KpiFrequency.ANNUAL else True


def _period_bounds(contract: Contract, year: int, quarter: int) -> tuple:
    """The part of the quarter the contract runs in: a contract that starts or ends
    part-way through a quarter reports on that part, and its final returns fall due
    after its last day rather than after the quarter's."""
    start, end = quarter_bounds(year, quarter)
    return max(start, contract.start_date), min(end, contract.current_end_date)


def _last_reporting_day(contract: Contract, today: datetime.date) -> datetime.date | None:
    last = min(today, contract.current_end_date)
    return last if last >= contract.start_date else None


def _due_days(sla: ServiceLevelAgreement | None) -> tuple[int, int]:
    if sla is None:
        return DEFAULT_REPORT_DUE_BUSINESS_DAYS, DEFAULT_FINANCE_DUE_BUSINESS_DAYS
    return sla.report_due_business_days, sla.finance_due_business_days


def _needs_periods(contract: Contract, today: datetime.date) -> bool:
    """Whether the contract lacks a period, or its latest period stops short because
    the contract's end date has moved later. Read from two annotations, so the daily
    sweep finds the few contracts with work to do in one query."""
    last = _last_reporting_day(contract, today)
    if last is None:
        return False
    expected = quarters_between(contract.start_date, last)
    if contract.period_count < len(expected):
        return True
    return contract.last_period_end < _period_bounds(contract, *expected[-1])[1]


def _ensure(contracts: list[Contract], *, today, actor, reason: str) -> list[ReportingPeriod]:
    """Open every missing period of ``contracts`` with its draft returns, in a constant
    number of queries (bulk inserts with their history rows)."""
    if not contracts:
        return []
    ids = [contract.pk for contract in contracts]
    existing: dict[int, dict[tuple[int, int], ReportingPeriod]] = defaultdict(dict)
    for period in ReportingPeriod.objects.filter(contract_id__in=ids):
        existing[period.contract_id][(period.financial_year, period.quarter)] = period
    slas = {
        sla.contract_id: sla
        for sla in ServiceLevelAgreement.objects.filter(
            contract_id__in=ids, status=SlaStatus.AGREED
        )
    }
    new_periods, moved = [], []
    for contract in contracts:
        last = _last_reporting_day(contract, today)
        if last is None:
            continue
        report_days, finance_days = _due_days(slas.get(contract.pk))
        for year, quarter in quarters_between(contract.start_date, last):
            starts_on, ends_on = _period_bounds(contract, year, quarter)
            due = {
                "performance_due_on": add_business_days(ends_on, report_days),
                "finance_due_on": add_business_days(ends_on, finance_days),
            }
            period = existing[contract.pk].get((year, quarter))
            if period is None:
                period = ReportingPeriod(
                    contract=contract,
                    financial_year=year,
                    quarter=quarter,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    **due,
                )
                # Built from stored data: the database constraints hold uniqueness, and
                # checking each foreign key would cost a query per row.
                period.full_clean(
                    exclude=["contract"], validate_unique=False, validate_constraints=False
                )
                new_periods.append(period)
            elif period.ends_on < ends_on:
                # The contract now runs past the day this period was cut short at.
                period.ends_on = ends_on
                period.performance_due_on = due["performance_due_on"]
                period.finance_due_on = due["finance_due_on"]
                moved.append(period)
    if moved:
        bulk_update_with_history(
            moved,
            ReportingPeriod,
            ["ends_on", "performance_due_on", "finance_due_on"],
            default_user=actor,
            default_change_reason="The contract's end date moved later",
        )
    if not new_periods:
        _inputs_changed(moved)
        return []
    options = {"default_user": actor, "default_change_reason": reason}
    created = bulk_create_with_history(new_periods, ReportingPeriod, batch_size=500, **options)
    kpis: dict[int, list[ContractKpi]] = defaultdict(list)
    for kpi in ContractKpi.objects.filter(
        contract_id__in={period.contract_id for period in created}, is_active=True
    ):
        kpis[kpi.contract_id].append(kpi)
    performance = bulk_create_with_history(
        [PerformanceReturn(period=period) for period in created],
        PerformanceReturn,
        batch_size=500,
        **options,
    )
    results = [
        KpiResult(performance_return=performance_return, kpi=kpi)
        for performance_return in performance
        for kpi in kpis[performance_return.period.contract_id]
        if kpi_due_in_quarter(kpi, performance_return.period.quarter)
    ]
    bulk_create_with_history(results, KpiResult, batch_size=2000, **options)
    bulk_create_with_history(
        [FinancialReturn(period=period) for period in created],
        FinancialReturn,
        batch_size=500,
        **options,
    )
    _inputs_changed([*created, *moved])
    return sorted(created, key=lambda period: (period.contract_id, period.starts_on))


def _inputs_changed(periods: list[ReportingPeriod]) -> None:
    """Periods opened or moved in bulk send no save signals: say which contracts'
    overall status may have changed (returns may now be overdue)."""
    if periods:
        contract_inputs_changed.send(
            sender=ReportingPeriod, contract_ids={period.contract_id for period in periods}
        )


def _require_period_opener(contract: Contract, actor) -> None:
    may_change = Contract.objects.restrict(actor, "change").filter(pk=contract.pk).exists()
    if not (may_change and actor.has_perm(permission_name(ReportingPeriod, "add"))):
        raise ValidationError(
            "Only the contract's lead or deputy officer can open its reporting periods."
        )


@transaction.atomic
def periods_ensure(*, contract: Contract, today: datetime.date, actor=None) -> list:
    """Open every reporting period the contract lacks, from the quarter it started in up
    to the quarter holding ``today`` (never past its current end date), each with its
    draft performance and financial returns. Safe to call any number of times.

    ``actor`` is the officer who asked (None: the daily sweep). Returns the periods
    opened, oldest first (empty: none were missing)."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if actor is not None:
        _require_period_opener(contract, actor)
    if contract.status not in PERIOD_CONTRACT_STATUSES:
        raise ValidationError(
            f"The contract is {contract.get_status_display().lower()}: reporting periods "
            "are opened only while it is active or in exit."
        )
    reason = "Opened for the quarter" if actor is not None else "Opened by the daily sweep"
    return _ensure([contract], today=today, actor=actor, reason=reason)


@transaction.atomic
def periods_ensure_all(*, today: datetime.date) -> list:
    """The daily sweep's step: open the missing periods of every active or in-exit
    contract. One query when nothing is missing; a constant handful otherwise."""
    contracts = Contract.objects.filter(
        status__in=PERIOD_CONTRACT_STATUSES, start_date__lte=today
    ).annotate(period_count=Count("periods"), last_period_end=Max("periods__ends_on"))
    behind = [contract for contract in contracts if _needs_periods(contract, today)]
    return _ensure(behind, today=today, actor=None, reason="Opened by the daily sweep")


# -- RAG status --------------------------------------------------------------------------


def rag_for(*, direction: str, target: Decimal, tolerance: Decimal, actual) -> str:
    """Green when the target is met, amber when short of it by no more than the
    tolerance, red otherwise; "none" when nothing was reported."""
    if actual is None:
        return Rag.NONE
    shortfall = actual - target if direction == KpiDirection.LOWER else target - actual
    if shortfall <= 0:
        return Rag.GREEN
    if shortfall <= tolerance:
        return Rag.AMBER
    return Rag.RED


def kpi_rag(kpi: ContractKpi, actual) -> str:
    return rag_for(
        direction=kpi.direction, target=kpi.target, tolerance=kpi.amber_tolerance, actual=actual
    )


def overall_rag(rags: Iterable[str]) -> str:
    """A return's status from its KPIs': red if any is red, amber if any is amber, green
    when every one reported is green; "none" when nothing has been reported."""
    reported = {rag for rag in rags if rag != Rag.NONE}
    if not reported:
        return Rag.NONE
    for worst in (Rag.RED, Rag.AMBER):
        if worst in reported:
            return worst
    return Rag.GREEN


# -- Who may do what ---------------------------------------------------------------------


def _lock(return_: models.Model):
    return locked(return_, "period", "period__contract")


def may_fill_in(return_: models.Model, actor) -> bool:
    """The provider's staff and the contract's lead and deputy officers fill returns in."""
    return type(return_).objects.restrict(actor, "change").filter(pk=return_.pk).exists()


def is_deciding_officer(return_: models.Model, actor) -> bool:
    """Only the contract's lead or deputy officer accepts or returns a return."""
    return (
        not actor.is_provider_user
        and return_.period.contract.is_officer(actor)
        and actor.has_perm(permission_name(type(return_), "change"))
    )


def _require_filler(return_: models.Model, actor) -> None:
    if not may_fill_in(return_, actor):
        raise ValidationError(
            "Only the provider or the contract's lead or deputy officer can fill in this return."
        )


def _require_open(return_: models.Model) -> None:
    if return_.status not in OPEN_STATUSES:
        raise ValidationError(
            f"This return has been {return_.get_status_display().lower()}: it can no longer "
            "be changed."
        )


# -- The status machine ------------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    verb: str  # as in "submit the return", for buttons and the URL
    allowed: Callable[[models.Model, object], bool]  # may this actor take the step?
    refusal: str  # said to an actor who may not
    needs_reason: bool = False
    checks_completeness: bool = False


SUBMIT = Transition(
    "submit",
    may_fill_in,
    "Only the provider or the contract's lead or deputy officer can submit this return.",
    checks_completeness=True,
)
ACCEPT = Transition(
    "accept",
    is_deciding_officer,
    "Only the contract's lead or deputy officer can accept a return.",
)
RETURN = Transition(
    "return",
    is_deciding_officer,
    "Only the contract's lead or deputy officer can return a return for correction.",
    needs_reason=True,
)

#: (from, to) -> the step. Both kinds of return share it.
TRANSITIONS = {
    (ReturnStatus.DRAFT, ReturnStatus.SUBMITTED): SUBMIT,
    (ReturnStatus.RETURNED, ReturnStatus.SUBMITTED): SUBMIT,
    (ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED): ACCEPT,
    (ReturnStatus.SUBMITTED, ReturnStatus.RETURNED): RETURN,
}

_ALREADY = {
    ReturnStatus.SUBMITTED: "This return has already been submitted.",
    ReturnStatus.ACCEPTED: "This return has already been accepted.",
}


def _illegal(current: str, to_status: str) -> str:
    if current == to_status and current in _ALREADY:
        return _ALREADY[current]
    if to_status == ReturnStatus.SUBMITTED and current == ReturnStatus.ACCEPTED:
        return _ALREADY[ReturnStatus.ACCEPTED]
    if to_status == ReturnStatus.ACCEPTED:
        return "Only a submitted return can be accepted."
    if to_status == ReturnStatus.RETURNED:
        return "Only a submitted return can be returned for correction."
    return (
        f"A return that is {ReturnStatus(current).label.lower()} cannot become "
        f"{ReturnStatus(to_status).label.lower()}."
    )


def _submitter_did(return_: models.Model) -> str:
    if return_.entered_for_provider:
        return "entered this return for the provider"
    return "submitted this return"


def accept_refusal(return_: models.Model, actor) -> str:
    """Why ``actor`` may not accept the return although they are a deciding officer:
    they submitted or entered it themselves ("" when they may)."""
    return different_person_refusal(
        actor=actor, proposer=return_.submitted_by_id, did=_submitter_did(return_), step="accept it"
    )


def may_take_step(return_: models.Model, to_status: str, actor) -> bool:
    """Whether ``actor`` is someone who takes the step to ``to_status`` at all (the
    provider or an officer submits, an officer accepts or returns), whatever the
    return's status now: the step's own check says whether that still allows it."""
    return any(
        step.allowed(return_, actor) for (_, to), step in TRANSITIONS.items() if to == to_status
    )


def available_transitions(return_: models.Model, actor) -> list[tuple[str, Transition]]:
    """The steps ``actor`` may take from the return's status, for its page's buttons.
    Whether the return is complete is checked when the step is taken."""
    return [
        (to, step)
        for (frm, to), step in TRANSITIONS.items()
        if frm == return_.status
        and step.allowed(return_, actor)
        and not (step is ACCEPT and accept_refusal(return_, actor))
    ]


def accepting_early(return_: models.Model, today: datetime.date | None = None) -> bool:
    """Whether accepting the return now would be before its quarter has ended."""
    return (today or _today()) <= return_.period.ends_on


def _source_fields(
    return_: models.Model, actor, source: str, received_on, note: str
) -> dict[str, object]:
    """What a submission records about where the return came from. The provider's own
    staff record nothing; the commissioner's staff entering it for the provider must
    say how it reached them and when."""
    if actor.is_provider_user:
        return {"source": "", "source_received_on": None, "source_note": ""}
    note = (note or "").strip()
    errors = {}
    if source not in ReturnSource.values:
        errors["source"] = (
            "You are entering this return for the provider: say how it reached you "
            "(email, letter, portal or file upload, a meeting or another way)."
        )
    if received_on is None:
        errors["source_received_on"] = "Enter the date the provider's return reached you."
    elif received_on > _today():
        errors["source_received_on"] = "The date received cannot be in the future."
    elif received_on < return_.period.starts_on:
        errors["source_received_on"] = (
            "The date received cannot be before the quarter started, "
            f"{return_.period.starts_on:%-d %B %Y}."
        )
    if source == ReturnSource.OTHER and not note:
        errors["source_note"] = "Say how the provider's return reached you."
    if errors:
        raise ValidationError(errors)
    return {"source": source, "source_received_on": received_on, "source_note": note}


def _early_acceptance_reason(return_: models.Model, reason: str) -> str:
    """The reason for accepting before the quarter has ended ("" once it has ended)."""
    if not accepting_early(return_):
        return ""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {
                "early_acceptance_reason": f"The quarter runs until "
                f"{return_.period.ends_on:%-d %B %Y}: give the reason for accepting the "
                "return before it has ended."
            }
        )
    return reason


def _transition(
    *,
    instance,
    to_status: str,
    actor,
    reason: str,
    incomplete: Callable,
    source: str = "",
    source_received_on: datetime.date | None = None,
    source_note: str = "",
    early_acceptance_reason: str = "",
) -> models.Model:
    return_ = _lock(instance)
    if to_status not in ReturnStatus.values:
        raise ValidationError("There is no such status for a return.")
    step = TRANSITIONS.get((return_.status, to_status))
    if step is None:
        raise ValidationError(_illegal(return_.status, to_status))
    if not step.allowed(return_, actor):
        raise ValidationError(step.refusal)
    if step is ACCEPT:
        require_different_person(
            actor=actor,
            proposer=return_.submitted_by_id,
            did=_submitter_did(return_),
            step="accept it",
        )
    reason = (reason or "").strip()
    if step.needs_reason and not reason:
        raise ValidationError({"reason": "Say what needs correcting."})
    if step.checks_completeness:
        problems = incomplete(return_)
        if problems:
            raise ValidationError(problems)
    if to_status == ReturnStatus.SUBMITTED:
        sourced = _source_fields(return_, actor, source, source_received_on, source_note)
    elif to_status == ReturnStatus.ACCEPTED:
        early = _early_acceptance_reason(return_, early_acceptance_reason)
    now = timezone.now()
    return_.status = to_status
    if to_status == ReturnStatus.SUBMITTED:
        return_.submitted_by, return_.submitted_at = actor, now
        for name, value in sourced.items():
            setattr(return_, name, value)
        history = reason or (
            f"Entered for the provider from {return_.source_phrase}"
            if return_.entered_for_provider
            else "Return submitted"
        )
    else:
        return_.decided_by, return_.decided_at = actor, now
        if to_status == ReturnStatus.RETURNED:
            return_.return_reason = reason
            history = f"Returned for correction: {reason}"
        else:
            return_.early_acceptance_reason = early
            history = (
                f"Accepted before the quarter ended: {early}"
                if early
                else reason or "Return accepted"
            )
    return record_save(instance=return_, actor=actor, reason=_history_reason(history))


def is_overdue(status: str, due_on: datetime.date, today: datetime.date | None = None) -> bool:
    """Outstanding after the day it was due."""
    return status in OPEN_STATUSES and due_on < (today or _today())


# -- Performance returns -----------------------------------------------------------------


@dataclass
class ResultRow:
    """One KPI of a performance return: its stored result, or none yet (a KPI added to
    the contract after the period opened, still due while the return is open)."""

    kpi: ContractKpi
    result: KpiResult | None

    @property
    def actual(self):
        return self.result.actual if self.result else None

    @property
    def commentary(self) -> str:
        return self.result.commentary if self.result else ""

    @property
    def rag(self) -> str:
        return self.result.rag if self.result else Rag.NONE

    @property
    def required(self) -> bool:
        """An actual is needed before submission for every KPI still reported."""
        return self.kpi.is_active


def performance_return_rows(performance_return: PerformanceReturn) -> list[ResultRow]:
    """The KPIs of a return, by name. While the return is open it also holds every
    reported KPI due in the quarter that has no result yet. Two queries."""
    results = list(performance_return.results.select_related("kpi", "commentary_by"))
    rows = {result.kpi_id: ResultRow(result.kpi, result) for result in results}
    if performance_return.status in OPEN_STATUSES:
        quarter = performance_return.period.quarter
        for kpi in ContractKpi.objects.filter(
            contract_id=performance_return.period.contract_id, is_active=True
        ):
            if kpi.pk not in rows and kpi_due_in_quarter(kpi, quarter):
                rows[kpi.pk] = ResultRow(kpi, None)
    return sorted(rows.values(), key=lambda row: (row.kpi.name.casefold(), row.kpi.pk))


def _actual(kpi: ContractKpi, value) -> tuple[Decimal | None, str | None]:
    """(the typed actual as a number, what is wrong with it)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if not isinstance(value, Decimal):
        try:
            value = Decimal(str(value).strip().replace(",", ""))
        except InvalidOperation:
            return None, f"{kpi.name}: enter the actual as a number, like 92.5."
    if not value.is_finite():
        return None, f"{kpi.name}: enter the actual as a number, like 92.5."
    if kpi.unit == KpiUnit.PERCENTAGE and not Decimal(0) <= value <= Decimal(100):
        return value, f"{kpi.name}: a percentage must be between 0 and 100."
    if kpi.unit != KpiUnit.CURRENCY and value < 0:
        return value, f"{kpi.name}: the actual cannot be negative."
    if value.as_tuple().exponent < -2:
        return value, f"{kpi.name}: give the actual to no more than 2 decimal places."
    if abs(value) >= Decimal(10) ** 12:
        return value, f"{kpi.name}: the actual is too large."
    return value, None


def actual_field(kpi_id: int) -> str:
    """The name a KPI's actual goes by in the forms and in the errors of
    ``performance_return_update``."""
    return f"actual_{kpi_id}"


@transaction.atomic
def performance_return_update(
    *,
    performance_return: PerformanceReturn,
    actor,
    reason: str,
    results: dict | None = None,
    commentary: str | None = None,
) -> list[str]:
    """Record actuals and commentary while the return is a draft or returned.

    ``results`` maps a KPI's id to ``(actual, commentary)``; ``commentary`` is the
    overall commentary (None leaves it as it is). Every RAG status is worked out again,
    so a changed target shows. Returns what changed: "commentary" and the names of the
    KPIs whose results changed (empty: nothing was saved)."""
    return_ = _lock(performance_return)
    _require_filler(return_, actor)
    _require_open(return_)
    _require_reason(reason)
    reason = _history_reason(reason)
    rows = {row.kpi.pk: row for row in performance_return_rows(return_)}
    typed, errors = {}, {}
    for kpi_id, (actual, text) in (results or {}).items():
        try:
            row = rows.get(int(kpi_id))
        except (TypeError, ValueError):
            row = None
        if row is None:
            raise ValidationError(NOT_IN_RETURN)
        value, problem = _actual(row.kpi, actual)
        if problem:
            errors[actual_field(row.kpi.pk)] = problem
        typed[row.kpi.pk] = (value, (text or "").strip())
    if errors:
        raise ValidationError(errors)

    changed = []
    for kpi_id, row in rows.items():
        actual, text = typed.get(kpi_id, (row.actual, row.commentary))
        rag = kpi_rag(row.kpi, actual)
        result = row.result
        if result is None:
            if actual is None and not text:
                continue  # nothing to record yet
            result = KpiResult(performance_return=return_, kpi=row.kpi)
        elif (result.actual, result.commentary, result.rag) == (actual, text, rag):
            continue
        if result.pk is None or (result.actual, result.commentary) != (actual, text):
            changed.append(row.kpi.name)
        if text != result.commentary:
            result.set_commentary_author(actor if text else None)
        result.actual, result.commentary, result.rag = actual, text, rag
        record_save(instance=result, actor=actor, reason=reason)
        row.result = result

    return_rag = overall_rag(row.rag for row in rows.values())
    if commentary is not None and commentary.strip() != return_.commentary:
        return_.commentary = commentary.strip()
        return_.set_commentary_author(actor if return_.commentary else None)
        changed.insert(0, "commentary")
    if changed or return_rag != return_.rag:
        return_.rag = return_rag
        record_save(instance=return_, actor=actor, reason=reason)
    return changed


def _performance_incomplete(performance_return: PerformanceReturn) -> list[str]:
    missing = [
        row.kpi.name
        for row in performance_return_rows(performance_return)
        if row.required and row.actual is None
    ]
    if not missing:
        return []
    return [
        f"Enter an actual for every indicator before submitting. Missing: {', '.join(missing)}."
    ]


@transaction.atomic
def performance_return_transition(
    *, performance_return: PerformanceReturn, to_status: str, actor, reason: str = "", **how
) -> PerformanceReturn:
    """Submit, accept or return a performance return, through ``TRANSITIONS``.

    The commissioner's staff submitting it for the provider give (in ``how``) ``source``,
    ``source_received_on`` and (for "another way") ``source_note``; accepting it before
    its quarter has ended needs ``early_acceptance_reason``."""
    return _transition(
        instance=performance_return,
        to_status=to_status,
        actor=actor,
        reason=reason,
        incomplete=_performance_incomplete,
        **how,
    )


# -- Financial returns -------------------------------------------------------------------

FINANCE_FIELDS = ("budget", "actual_spend", "payments_made", "commentary")
_AMOUNT_LABELS = {
    "budget": "The budget",
    "actual_spend": "The actual spend",
    "payments_made": "The payments made",
}


def commentary_threshold_percent() -> Decimal:
    """Spend further than this from the budget, as a percentage of it, must be explained."""
    return Decimal(str(getattr(settings, "FINANCE_VARIANCE_COMMENTARY_PERCENT", 5)))


def variance_needs_commentary(budget: Decimal | None, actual_spend: Decimal | None) -> bool:
    if budget is None or actual_spend is None:
        return False
    variance = abs(actual_spend - budget)
    if budget == 0:
        return variance > 0
    return variance * 100 > commentary_threshold_percent() * abs(budget)


def _commentary_problem(budget, actual_spend, commentary: str) -> str | None:
    if commentary.strip() or not variance_needs_commentary(budget, actual_spend):
        return None
    threshold = format(commentary_threshold_percent().normalize(), "f")
    if budget == 0:
        return "Spend was recorded against a budget of £0: explain the variance."
    percent = (abs(actual_spend - budget) * 100 / abs(budget)).quantize(Decimal("0.1"))
    return (
        f"Spend differs from the budget by {percent}%, more than {threshold}%: explain "
        "the variance."
    )


def lines_total(lines: Iterable[FinancialLine]) -> Decimal:
    return sum((line.amount for line in lines), Decimal("0.00"))


def lines_warning(financial_return: FinancialReturn, total: Decimal, has_lines: bool) -> str:
    """Said when the unit-priced lines do not add up to the actual spend."""
    spend = financial_return.actual_spend
    if not has_lines or spend is None or total == spend:
        return ""
    return (
        f"The unit-priced lines add up to {money(total)}, which differs from the actual "
        f"spend of {money(spend)}."
    )


@transaction.atomic
def financial_return_update(
    *, financial_return: FinancialReturn, actor, reason: str, **fields
) -> list[str]:
    """Record the quarter's budget, actual spend, payments and commentary while the
    return is a draft or returned. Commentary is required when spend differs from the
    budget by more than the set percentage. Returns the names of the fields changed."""
    refuse_unknown_fields(fields, FINANCE_FIELDS)
    return_ = _lock(financial_return)
    _require_filler(return_, actor)
    _require_open(return_)
    _require_reason(reason)
    values = {name: getattr(return_, name) for name in FINANCE_FIELDS}
    values.update(fields)
    values["commentary"] = (values["commentary"] or "").strip()
    errors = {}
    for name, label in _AMOUNT_LABELS.items():
        if values[name] is not None and values[name] < 0:
            errors[name] = f"{label} cannot be negative."
    if "budget" not in errors and "actual_spend" not in errors:
        problem = _commentary_problem(
            values["budget"], values["actual_spend"], values["commentary"]
        )
        if problem:
            errors["commentary"] = problem
    if errors:
        raise ValidationError(errors)
    changed = [name for name in FINANCE_FIELDS if getattr(return_, name) != values[name]]
    if changed:
        for name in changed:
            setattr(return_, name, values[name])
        if "commentary" in changed:
            return_.set_commentary_author(actor if return_.commentary else None)
        record_save(instance=return_, actor=actor, reason=_history_reason(reason))
    return changed


def _financial_incomplete(financial_return: FinancialReturn) -> list[str]:
    missing = [
        label.removeprefix("The ")
        for name, label in _AMOUNT_LABELS.items()
        if getattr(financial_return, name) is None
    ]
    if missing:
        listed = missing[0] if len(missing) == 1 else f"{', '.join(missing[:-1])} and {missing[-1]}"
        return [f"Enter the {listed} before submitting."]
    problem = _commentary_problem(
        financial_return.budget, financial_return.actual_spend, financial_return.commentary
    )
    return [problem] if problem else []


def transition_blockers(return_: models.Model, to_status: str) -> list[str]:
    """What stops the step to ``to_status`` now, by the step's own completeness check
    (empty: it can be taken). The return's page shows a blocked step disabled with
    these; the service checks again when the step is taken."""
    if not TRANSITIONS[(return_.status, to_status)].checks_completeness:
        return []
    if isinstance(return_, PerformanceReturn):
        return _performance_incomplete(return_)
    return _financial_incomplete(return_)


#: What the step's own form asks for: a problem with one of these is put right there.
STEP_FORM_FIELDS = (
    "reason",
    "source",
    "source_received_on",
    "source_note",
    "early_acceptance_reason",
)


def return_moves(*, return_: models.Model, user) -> dict[str, list[str]]:
    """The steps ``user`` is shown on the return (to status -> what stops it now, empty
    when they may take it), in the words of the step's service: an incomplete return
    cannot be submitted, and nobody accepts a return they submitted or entered."""
    if isinstance(return_, PerformanceReturn):
        service, argument = performance_return_transition, "performance_return"
    else:
        service, argument = financial_return_transition, "financial_return"
    return {
        to: refusal(
            lambda to=to: service(**{argument: return_}, to_status=to, actor=user),
            form_fields=STEP_FORM_FIELDS,
        )
        for (frm, to), step in TRANSITIONS.items()
        if frm == return_.status and step.allowed(return_, user)
    }


@transaction.atomic
def financial_return_transition(
    *, financial_return: FinancialReturn, to_status: str, actor, reason: str = "", **how
) -> FinancialReturn:
    """Submit, accept or return a financial return, through ``TRANSITIONS`` (the same
    rules, and the same ``how``, as ``performance_return_transition``)."""
    return _transition(
        instance=financial_return,
        to_status=to_status,
        actor=actor,
        reason=reason,
        incomplete=_financial_incomplete,
        **how,
    )


@transaction.atomic
def financial_line_add(
    *,
    financial_return: FinancialReturn,
    actor,
    description: str,
    unit_price: Decimal | None,
    units_delivered: Decimal | None,
    reason: str = "",
) -> FinancialLine:
    """Add a unit-priced line (units delivered at the agreed unit price) to an open return."""
    return_ = _lock(financial_return)
    _require_filler(return_, actor)
    _require_open(return_)
    description = (description or "").strip()
    errors = {}
    if not description:
        errors["description"] = "Describe what was delivered."
    if unit_price is None:
        errors["unit_price"] = "Enter the unit price."
    elif unit_price < 0:
        errors["unit_price"] = "The unit price cannot be negative."
    if units_delivered is None:
        errors["units_delivered"] = "Enter the number of units delivered."
    elif units_delivered < 0:
        errors["units_delivered"] = "The units delivered cannot be negative."
    if errors:
        raise ValidationError(errors)
    line = FinancialLine(
        financial_return=return_,
        description=description,
        unit_price=unit_price,
        units_delivered=units_delivered,
    )
    return record_save(
        instance=line, actor=actor, reason=_history_reason(reason or "Unit-priced line added")
    )


@transaction.atomic
def financial_line_remove(*, line: FinancialLine, actor, reason: str = "") -> None:
    """Remove a line from an open return; its history keeps who removed it and why."""
    line = locked(line)
    return_ = _lock(line.financial_return)
    _require_filler(return_, actor)
    _require_open(return_)
    line._history_user = actor
    line._change_reason = _history_reason(reason or f"Line removed: {line.description}")
    line.delete()


# -- Reads -------------------------------------------------------------------------------
# Querysets and summaries for the pages, restricted to what the user may see.


#: Returns whose due date still has to be met: not yet submitted.
RETURN_OPEN = Q(status__in=OPEN_STATUSES)


def overdue_filter(due_field: str, today: datetime.date | None = None) -> Q:
    """Returns whose due date is missed: the same rule as every deadline's."""
    return deadlines.state_q(
        deadlines.State.MISSED,
        f"period__{due_field}",
        today=today or _today(),
        kind=deadlines.RETURN,
        open_q=RETURN_OPEN,
    )


def return_deadline(
    return_, due_on: datetime.date, today: datetime.date | None = None
) -> deadlines.Deadline | None:
    """Whether a return still to come in is missed, due or coming up; None once it is in."""
    if return_ is not None and return_.status not in OPEN_STATUSES:
        return None
    return deadlines.classify(due_on, today=today or _today(), kind=deadlines.RETURN)


def return_ordering(due_field: str, today: datetime.date | None = None) -> list:
    """Missed due dates first, then due, then coming up; returns already in, newest first."""
    return deadlines.ordering(
        f"period__{due_field}", today=today or _today(), kind=deadlines.RETURN, open_q=RETURN_OPEN
    )


def contract_periods(contract: Contract) -> list[ReportingPeriod]:
    """The contract's periods, newest first, with both returns. One query."""
    return list(
        contract.periods.select_related("performance_return", "financial_return").order_by(
            "-starts_on"
        )
    )


def kpi_trend(kpi: ContractKpi, *, limit: int = 8) -> list[KpiResult]:
    """The KPI's results in its last ``limit`` submitted or accepted returns, oldest
    first. One query."""
    results = (
        KpiResult.objects.filter(
            kpi=kpi,
            performance_return__status__in=REPORTED_RETURN_STATUSES,
        )
        .select_related("performance_return__period")
        .order_by("-performance_return__period__starts_on")[:limit]
    )
    return list(reversed(results))
