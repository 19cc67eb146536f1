"""Reads of health checks, restricted to what the user may see, each costing a fixed
number of queries."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from contracts.register.choices import ContractStatus
from contracts.register.models.contracts import Contract
from governance.core import deadlines
from governance.core.dates import add_months
from governance.core.permissions import permission_name
from governance.healthchecks.models import (
    FLAGGED_ANSWERS,
    Assessment,
    AssessmentAnswer,
    Question,
    QuestionArea,
    QuestionnaireKind,
    Side,
    SideStatus,
    answer_points,
    scale_max,
    score_percent,
)

#: The annual health check falls due this many months after the last one (or after
#: the contract starts, when there has been none).
ANNUAL_INTERVAL_MONTHS = 12
#: Areas whose two sides' scores differ by at least this many points are highlighted.
GAP_HIGHLIGHT_POINTS = Decimal(25)

CLOSED_CONTRACT_STATUSES = (ContractStatus.ENDED, ContractStatus.TERMINATED)


def assessment_list(user) -> QuerySet[Assessment]:
    return Assessment.objects.restrict(user, "view").select_related(
        "contract", "contract__provider", "version", "version__template"
    )


def contract_assessments(user, contract: Contract) -> QuerySet[Assessment]:
    return (
        assessment_list(user)
        .filter(contract=contract)
        .select_related("started_by")
        .order_by("-assessed_on", "-pk")
    )


def trend(assessment_or_contract, kind: str, user) -> list[Assessment]:
    """Assessments of one kind on a contract with at least one side submitted, oldest
    first: the points of the trend."""
    contract = getattr(assessment_or_contract, "contract", assessment_or_contract)
    return list(
        Assessment.objects.restrict(user, "view")
        .filter(contract=contract, kind=kind)
        .filter(
            Q(commissioner_status=SideStatus.SUBMITTED) | Q(provider_status=SideStatus.SUBMITTED)
        )
        .select_related("version")
        .order_by("assessed_on", "pk")
    )


@dataclass(frozen=True)
class HealthCheckDue:
    contract: Contract
    due_on: datetime.date
    last_on: datetime.date | None
    today: datetime.date

    @property
    def overdue(self) -> bool:
        return self.due_on < self.today

    @property
    def days(self) -> int:
        """Days until it is due (negative once overdue)."""
        return (self.due_on - self.today).days

    @property
    def deadline(self) -> deadlines.Deadline:
        return deadlines.classify(self.due_on, today=self.today, kind=deadlines.HEALTH_CHECK)


def partnerships(contracts: QuerySet[Contract]) -> QuerySet[Contract]:
    """The schedule's read: the live strategic partnerships among ``contracts``, each
    with the date of its last annual health check (``last_annual_on``)."""
    last = (
        Assessment.objects.filter(
            contract=OuterRef("pk"),
            kind=QuestionnaireKind.ANNUAL,
            commissioner_status=SideStatus.SUBMITTED,
        )
        .order_by()
        .values("contract")
        .annotate(last=Max("assessed_on"))
        .values("last")
    )
    return (
        contracts.filter(is_strategic_partnership=True)
        .exclude(status__in=CLOSED_CONTRACT_STATUSES)
        .annotate(last_annual_on=Subquery(last))
        .select_related("provider", "lead_officer", "deputy_officer")
        .order_by("pk")
    )


def schedule_of(rows: Iterable[Contract], today: datetime.date) -> list[HealthCheckDue]:
    """``partnerships`` rows with the date each next annual health check is due, soonest
    first."""
    schedule = [
        HealthCheckDue(
            contract=contract,
            due_on=annual_due_on(contract, contract.last_annual_on),
            last_on=contract.last_annual_on,
            today=today,
        )
        for contract in rows
    ]
    return sorted(schedule, key=lambda row: (row.due_on, row.contract.reference))


def annual_schedule(contracts: QuerySet[Contract], today: datetime.date) -> list[HealthCheckDue]:
    """Every live strategic partnership among ``contracts`` with the date its next annual
    health check is due (one query)."""
    return schedule_of(partnerships(contracts), today)


def due_within(
    schedule: list[HealthCheckDue], *, within_days: int, today: datetime.date
) -> list[HealthCheckDue]:
    """The rows of ``schedule`` overdue or due within ``within_days`` of ``today``."""
    horizon = today + datetime.timedelta(days=within_days)
    return [row for row in schedule if row.due_on <= horizon]


def health_checks_due(user, *, within_days: int = 60, today: datetime.date | None = None):
    """Annual health checks of the partnerships ``user`` may see that are overdue or due
    within ``within_days``, soonest first. Two queries, whatever the portfolio's size."""
    if not user.has_perm(permission_name(Assessment, "view")):
        return []
    today = today or timezone.localdate()
    schedule = annual_schedule(Contract.objects.restrict(user, "view"), today)
    return due_within(schedule, within_days=within_days, today=today)


def last_annual_schedule_row(contract: Contract, today: datetime.date | None = None):
    """The annual health check schedule of one contract (None unless it is a live
    strategic partnership)."""
    rows = annual_schedule(Contract.objects.filter(pk=contract.pk), today or timezone.localdate())
    return rows[0] if rows else None


# -- Scores, checklist results and the comparison ----------------------------------------


@dataclass
class QuestionResult:
    question: Question
    commissioner: AssessmentAnswer | None = None
    provider: AssessmentAnswer | None = None

    @staticmethod
    def _pct(answer) -> Decimal | None:
        if answer is None:
            return None
        points = answer_points(answer.question.scale, answer.value)
        return score_percent(points or 0, scale_max(answer.question.scale))

    @property
    def commissioner_pct(self):
        return self._pct(self.commissioner)

    @property
    def provider_pct(self):
        return self._pct(self.provider)

    @property
    def gap(self) -> Decimal | None:
        if self.commissioner is None or self.provider is None:
            return None
        return abs(self.commissioner_pct - self.provider_pct)

    @property
    def flagged(self) -> bool:
        return any(
            answer is not None and answer.value in FLAGGED_ANSWERS
            for answer in (self.commissioner, self.provider)
        )


def side_score_of(results: list[QuestionResult], side: str) -> Decimal | None:
    """One side's score over the questions it answered, as a percentage."""
    earned = possible = 0
    for result in results:
        answer = getattr(result, side)
        if answer is not None:
            earned += answer_points(result.question.scale, answer.value) or 0
            possible += scale_max(result.question.scale)
    return score_percent(earned, possible)


@dataclass
class AreaResult:
    area: QuestionArea
    questions: list[QuestionResult] = field(default_factory=list)
    differs_most: bool = False

    def _score(self, side: str) -> Decimal | None:
        return side_score_of(self.questions, side)

    @property
    def commissioner_score(self):
        return self._score(Side.COMMISSIONER)

    @property
    def provider_score(self):
        return self._score(Side.PROVIDER)

    @property
    def gap(self) -> Decimal | None:
        ours, theirs = self.commissioner_score, self.provider_score
        return abs(ours - theirs) if ours is not None and theirs is not None else None

    @property
    def flagged_questions(self) -> list[QuestionResult]:
        return [result for result in self.questions if result.flagged]

    @property
    def flagged(self) -> bool:
        return bool(self.flagged_questions)


@dataclass
class Summary:
    assessment: Assessment
    areas: list[AreaResult]
    commissioner_score: Decimal | None
    provider_score: Decimal | None
    shown_sides: tuple[str, ...]

    @property
    def is_readiness(self) -> bool:
        return self.assessment.kind == QuestionnaireKind.READINESS

    @property
    def not_ready_questions(self) -> list[QuestionResult]:
        """Readiness checklist: every question answered no (any one means not ready)."""
        return [
            result
            for area in self.areas
            for result in area.questions
            if result.commissioner is not None and result.commissioner.value == "no"
        ]

    @property
    def ready(self) -> bool | None:
        if not self.is_readiness or Side.COMMISSIONER not in self.shown_sides:
            return None
        return not self.not_ready_questions

    @property
    def flagged_areas(self) -> list[AreaResult]:
        return [area for area in self.areas if area.flagged]

    @property
    def by_gap(self) -> list[AreaResult]:
        """Areas with the widest difference between the two sides first."""
        return sorted(
            self.areas,
            key=lambda area: (
                -(area.gap if area.gap is not None else Decimal(-1)),
                area.area.order,
            ),
        )

    @property
    def compared(self) -> bool:
        return set(self.shown_sides) == {Side.COMMISSIONER, Side.PROVIDER}

    @property
    def stages(self) -> list[dict]:
        """For the review by theme and stage: the commissioner's score per stage."""
        totals: dict[str, list[int]] = {}
        labels = dict(Question._meta.get_field("stage").choices)
        for area in self.areas:
            for result in area.questions:
                stage = result.question.stage
                if not stage or result.commissioner is None:
                    continue
                earned, possible = totals.setdefault(stage, [0, 0])
                totals[stage] = [
                    earned + (answer_points(result.question.scale, result.commissioner.value) or 0),
                    possible + scale_max(result.question.scale),
                ]
        return [
            {"label": labels[stage], "score": score_percent(*totals[stage])}
            for stage in labels
            if stage in totals
        ]


def assessment_summary(assessment: Assessment, *, include_drafts: tuple[str, ...] = ()) -> Summary:
    """Scores per area and side from the submitted sides (and any side named in
    ``include_drafts``), flagged areas, the readiness result, and the areas where the
    two sides differ most. Three queries whatever the size of the questionnaire."""
    shown = tuple(
        side
        for side in Side.values
        if assessment.status_of(side) == SideStatus.SUBMITTED or side in include_drafts
    )
    areas = list(
        QuestionArea.objects.filter(version_id=assessment.version_id)
        .prefetch_related("questions")
        .order_by("order")
    )
    answers = AssessmentAnswer.objects.filter(
        assessment_id=assessment.pk, side__in=shown
    ).select_related("evidence", "question")
    by_question: dict[tuple[int, str], AssessmentAnswer] = {
        (answer.question_id, answer.side): answer for answer in answers
    }
    results = []
    for area in areas:
        result = AreaResult(area=area)
        for question in sorted(area.questions.all(), key=lambda q: q.order):
            result.questions.append(
                QuestionResult(
                    question=question,
                    commissioner=by_question.get((question.pk, Side.COMMISSIONER)),
                    provider=by_question.get((question.pk, Side.PROVIDER)),
                )
            )
        results.append(result)
    gaps = [area.gap for area in results if area.gap]
    widest = max(gaps) if gaps else None
    for area in results:
        area.differs_most = (
            area.gap is not None
            and area.gap > 0
            and (area.gap == widest or area.gap >= GAP_HIGHLIGHT_POINTS)
        )

    def overall(side: str) -> Decimal | None:
        return side_score_of([result for area in results for result in area.questions], side)

    return Summary(
        assessment=assessment,
        areas=results,
        commissioner_score=overall(Side.COMMISSIONER) if Side.COMMISSIONER in shown else None,
        provider_score=overall(Side.PROVIDER) if Side.PROVIDER in shown else None,
        shown_sides=shown,
    )


# -- The annual schedule ------------------------------------------------------------------


def annual_due_on(contract: Contract, last_assessed_on: datetime.date | None) -> datetime.date:
    """12 months after the last submitted annual health check; with none yet, 12 months
    after the contract starts (so the first falls within the first year after award)."""
    return add_months(last_assessed_on or contract.start_date, ANNUAL_INTERVAL_MONTHS)


def last_annual_on(contract: Contract) -> datetime.date | None:
    return Assessment.objects.filter(
        contract=contract,
        kind=QuestionnaireKind.ANNUAL,
        commissioner_status=SideStatus.SUBMITTED,
    ).aggregate(last=Max("assessed_on"))["last"]


def next_annual_due(contract: Contract) -> datetime.date | None:
    if not contract.is_strategic_partnership or contract.status in CLOSED_CONTRACT_STATUSES:
        return None
    return annual_due_on(contract, last_annual_on(contract))
