"""Reads for the pages above the features that show one person's own work."""

import datetime

from django.db.models import Count, Exists, IntegerField, Min, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from contracts.exit.models import ExitNotice, ExitNoticeDeadline
from contracts.performance.models.returns import FinancialReturn, PerformanceReturn
from contracts.performance.services.returns import RETURN_OPEN, overdue_filter
from contracts.register.choices import ContractStatus
from contracts.register.models.contracts import Contract
from governance.core import deadlines
from governance.meetings.models import Action
from governance.meetings.services.meetings import OPEN_ACTION_STATUSES

LIVE_STATUSES = (ContractStatus.ACTIVE, ContractStatus.IN_EXIT)


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
