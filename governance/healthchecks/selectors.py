"""Reads of health checks, restricted to what the user may see, each costing a fixed
number of queries."""

import datetime
from dataclasses import dataclass

from django.db.models import Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from contracts.register.models.contracts import Contract
from governance.core import deadlines
from governance.core.permissions import permission_name
from governance.healthchecks.models import Assessment, QuestionnaireKind, SideStatus
from governance.healthchecks.services import CLOSED_CONTRACT_STATUSES, annual_due_on


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


def annual_schedule(contracts: QuerySet[Contract], today: datetime.date) -> list[HealthCheckDue]:
    """Every live strategic partnership among ``contracts`` with the date its next annual
    health check is due (one query)."""
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
    rows = (
        contracts.filter(is_strategic_partnership=True)
        .exclude(status__in=CLOSED_CONTRACT_STATUSES)
        .annotate(last_annual_on=Subquery(last))
        .select_related("provider", "lead_officer", "deputy_officer")
        .order_by("pk")
    )
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


def health_checks_due(user, *, within_days: int = 60, today: datetime.date | None = None):
    """Annual health checks of the partnerships ``user`` may see that are overdue or due
    within ``within_days``, soonest first. Two queries, whatever the portfolio's size."""
    if not user.has_perm(permission_name(Assessment, "view")):
        return []
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=within_days)
    return [
        row
        for row in annual_schedule(Contract.objects.restrict(user, "view"), today)
        if row.due_on <= horizon
    ]


def last_annual_schedule_row(contract: Contract, today: datetime.date | None = None):
    """The annual health check schedule of one contract (None unless it is a live
    strategic partnership)."""
    rows = annual_schedule(Contract.objects.filter(pk=contract.pk), today or timezone.localdate())
    return rows[0] if rows else None
