import datetime

from django.db.models import (
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone

from contracts.exit.models import (
    ExitNotice,
    ExitNoticeDeadline,
    ExitPlan,
    ExitTask,
    PostContractReview,
    ServiceTransferPlan,
    TerminationNotice,
    exit_notice_breached,
    exit_notice_deadline,
)
from contracts.register.choices import ContractStatus
from contracts.register.models.contracts import Contract
from governance.core import deadlines
from governance.core.dates import add_months

# -- Exit ------------------------------------------------------------------------------------


def with_exit_notice(contracts: QuerySet[Contract]) -> QuerySet[Contract]:
    """Annotate each contract with its exit notice deadline and whether a notice has
    been recorded against its current end date (a notice given against an end date a
    variation has since moved does not count)."""
    return contracts.annotate(
        exit_notice_deadline=ExitNoticeDeadline("current_end_date"),
        notice_recorded=Exists(
            ExitNotice.objects.filter(
                contract=OuterRef("pk"), end_date=OuterRef("current_end_date")
            )
        ),
    )


def contracts_ending(
    user, *, within_months: int | None = 9, today: datetime.date | None = None
) -> QuerySet[Contract]:
    """Active contracts and contracts in exit the user may see, ending within
    ``within_months`` of ``today`` (every one when None; contracts already past their
    end date but not yet closed are included): missed notice deadlines first, then the
    soonest; contracts whose notice is given last."""
    today = today or timezone.localdate()
    contracts = Contract.objects.restrict(user, "view").filter(
        status__in=[ContractStatus.ACTIVE, ContractStatus.IN_EXIT]
    )
    if within_months is not None:
        contracts = contracts.filter(current_end_date__lte=add_months(today, within_months))
    return with_exit_notice(
        contracts.select_related("provider", "lead_officer", "deputy_officer")
    ).order_by(*exit_notice_ordering(today), "reference")


def all_contracts_ending(user) -> QuerySet[Contract]:
    """Every active contract and contract in exit the user may see, however far off its
    end, for the contracts-ending list."""
    return contracts_ending(user, within_months=None)


#: Contracts whose notice of plans is still to be given (on ``with_exit_notice`` rows).
NOTICE_NEEDED = Q(notice_recorded=False)


def exit_notice_state_q(state: str, today: datetime.date) -> Q:
    """Contracts (from ``with_exit_notice``) whose notice deadline is missed, due or
    coming up, with no notice recorded."""
    return deadlines.state_q(
        state,
        "exit_notice_deadline",
        today=today,
        kind=deadlines.EXIT_NOTICE,
        open_q=NOTICE_NEEDED,
    )


def exit_notice_ordering(today: datetime.date) -> list:
    """Missed notice deadlines first, then due, then coming up; notices given last."""
    return deadlines.ordering(
        "exit_notice_deadline", today=today, kind=deadlines.EXIT_NOTICE, open_q=NOTICE_NEEDED
    )


def exit_notice_status(
    contract, today: datetime.date | None = None, *, notices: list | None = None
) -> dict:
    """What the contract page says about the notice of the commissioner's plans.
    ``notices``: the contract's exit notices when the caller already knows them (an
    empty list when it knows there are none); read here otherwise."""
    today = today or timezone.localdate()
    deadline = exit_notice_deadline(contract.current_end_date)
    if notices is None:
        notices = list(
            contract.exit_notices.select_related("recipient_contact", "recorded_by").order_by(
                "-sent_on", "-pk"
            )
        )
    current = next((n for n in notices if n.end_date == contract.current_end_date), None)
    state = deadlines.classify(deadline, today=today, kind=deadlines.EXIT_NOTICE)
    return {
        "deadline": deadline,
        # Missed, due or coming up while no notice is recorded.
        "state": state if current is None else None,
        "notice": current,
        # A notice given against an earlier end date, before a variation moved it.
        "superseded": [n for n in notices if n.end_date != contract.current_end_date],
        "breach": current is None
        and contract.is_live
        and exit_notice_breached(deadline=deadline, today=today),
        "applies": contract.is_live,
    }


def lessons_learned_list(user) -> QuerySet[PostContractReview]:
    return PostContractReview.objects.restrict(user, "view").select_related(
        "contract", "contract__provider", "recorded_by"
    )


def exit_plan_list(user) -> QuerySet[ExitPlan]:
    """Every exit plan the user may see, each with its tasks in the order they fall due."""
    return (
        ExitPlan.objects.restrict(user, "view")
        .select_related("contract", "contract__provider", "incoming_provider")
        .prefetch_related(Prefetch("tasks", queryset=ExitTask.objects.order_by("due_date", "pk")))
    )


def termination_notice_list(user) -> QuerySet[TerminationNotice]:
    return TerminationNotice.objects.restrict(user, "view").select_related(
        "contract", "contract__provider"
    )


def transfer_plan_list(user) -> QuerySet[ServiceTransferPlan]:
    return ServiceTransferPlan.objects.restrict(user, "view").select_related(
        "contract", "contract__provider"
    )


def contract_exit(user, contract: Contract, today: datetime.date | None = None) -> dict:
    """Everything about a contract's exit, for the auditor pack: the notices of plans,
    the exit plan with its tasks and risks, termination notices with their service
    transfer plans and steps, and the post-contract review (when the user may read it).
    A fixed number of queries."""
    plan = (
        ExitPlan.objects.restrict(user, "view")
        .filter(contract=contract)
        .select_related("incoming_provider")
        .prefetch_related("risks", "tasks__owner")
        .first()
    )
    transfer_plans = ServiceTransferPlan.objects.restrict(user, "view").select_related(
        "submitted_by",
        "approved_by",
        "provider_signed_by",
        "commissioner_signed_by",
    )
    terminations = (
        TerminationNotice.objects.restrict(user, "view")
        .filter(contract=contract)
        .prefetch_related(
            Prefetch("transfer_plan", queryset=transfer_plans),
            "transfer_plan__events__actor",
        )
        .order_by("notice_date", "pk")
    )
    return {
        "status": exit_notice_status(contract, today),
        "notices": list(
            ExitNotice.objects.restrict(user, "view")
            .filter(contract=contract)
            .select_related("recipient_contact", "recorded_by")
            .order_by("sent_on", "pk")
        ),
        "plan": plan,
        "tasks": list(plan.tasks.all()) if plan else [],
        "risks": list(plan.risks.all()) if plan else [],
        "terminations": list(terminations),
        "review": PostContractReview.objects.restrict(user, "view")
        .filter(contract=contract)
        .first(),
    }
