import datetime
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from contracts.choices import REPORTED_RETURN_STATUSES, ContractStatus, SlaStatus, VariationStatus
from contracts.models import (
    Audit,
    ChecklistItem,
    Complaint,
    Contact,
    Contract,
    ContractKpi,
    ExitNotice,
    ExitPlan,
    ExtensionOption,
    FinancialReturn,
    KpiDefinition,
    Organisation,
    PerformanceReturn,
    PostContractReview,
    ServiceLevelAgreement,
    ServiceTransferPlan,
    TerminationNotice,
    Variation,
)
from contracts.models.exit import ExitNoticeDeadline, exit_notice_breached, exit_notice_deadline
from governance.core import deadlines
from governance.core.dates import add_months
from governance.core.models.base import User


def organisation_list(user) -> QuerySet[Organisation]:
    return Organisation.objects.restrict(user, "view").annotate(
        contact_count=Count("contacts", filter=Q(contacts__is_active=True))
    )


def contact_list(user) -> QuerySet[Contact]:
    return Contact.objects.restrict(user, "view").select_related("organisation")


def contract_list(user) -> QuerySet[Contract]:
    """Contracts the user may see, with their stored overall status and latest quarter."""
    return Contract.objects.restrict(user, "view").select_related("provider", "overall")


def extension_list(user) -> QuerySet[ExtensionOption]:
    return ExtensionOption.objects.restrict(user, "view").select_related(
        "contract", "contract__provider", "decided_by"
    )


def sla_list(user) -> QuerySet[ServiceLevelAgreement]:
    """Every SLA version the user may see, ready for the portfolio list."""
    return ServiceLevelAgreement.objects.restrict(user, "view").select_related(
        "contract", "contract__provider", "signed_for_commissioner", "signed_for_provider"
    )


def checklist_list(user) -> QuerySet[ChecklistItem]:
    """Every checklist item the user may see, ready for the portfolio list."""
    return ChecklistItem.objects.restrict(user, "view").select_related(
        "contract", "contract__provider", "verified_by", "evidence"
    )


def variation_list(user) -> QuerySet[Variation]:
    return Variation.objects.restrict(user, "view").select_related(
        "contract", "decided_by", "proposed_by"
    )


#: Above this total value a contract should publish at least MIN_KEY_INDICATORS KPIs.
KEY_INDICATOR_VALUE_THRESHOLD = Decimal("5000000")
MIN_KEY_INDICATORS = 3


def key_indicator_warning(contract: Contract, key_indicators: int) -> str | None:
    """A contract worth more than £5,000,000 should publish at least three key
    performance indicators."""
    if contract.total_value > KEY_INDICATOR_VALUE_THRESHOLD and key_indicators < MIN_KEY_INDICATORS:
        return (
            f"This contract is worth more than £5,000,000 but publishes {key_indicators} key "
            f"performance indicator{'s' if key_indicators != 1 else ''}; it should publish at "
            f"least {MIN_KEY_INDICATORS}."
        )
    return None


def reported_returns(contract: Contract) -> QuerySet[PerformanceReturn]:
    """The contract's reported performance returns with their RAG, the latest quarter
    first: the contract page's latest return and the RAG history both read them."""
    return (
        PerformanceReturn.objects.filter(
            period__contract=contract, status__in=REPORTED_RETURN_STATUSES
        )
        .select_related("period")
        .order_by("-period__starts_on")
    )


def _count(queryset: QuerySet) -> Coalesce:
    """How many rows of ``queryset`` (one contract's, by ``OuterRef``), as a subquery."""
    rows = queryset.order_by().values("contract").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows), 0)


def contract_overview(contract: Contract, today=None) -> dict:
    """What the contract page shows beside its fields: warnings a manager should act on.
    Six queries whatever the contract holds; the counts share one."""
    today = today or timezone.localdate()
    checklist = ChecklistItem.objects.filter(contract=contract)
    [counts] = Contract.objects.filter(pk=contract.pk).values(
        key_indicators=_count(
            ContractKpi.objects.filter(
                contract=OuterRef("pk"), is_active=True, is_key_indicator=True
            )
        ),
        outstanding=_count(ChecklistItem.objects.outstanding().filter(contract=OuterRef("pk"))),
        pending_variations=_count(
            Variation.objects.filter(contract=OuterRef("pk"), status=VariationStatus.PROPOSED)
        ),
    )
    key_indicators = counts["key_indicators"]
    # Ordered within the contract: the models' default order starts with the contract's
    # reference, which would join the contract for nothing.
    current_sla = (
        ServiceLevelAgreement.objects.filter(contract=contract, status=SlaStatus.AGREED)
        .order_by("-version")
        .first()
    )
    warnings = []
    kpi_warning = key_indicator_warning(contract, key_indicators)
    if kpi_warning:
        warnings.append(kpi_warning)
    expired = list(checklist.expired(today).order_by("title"))
    if expired:
        names = ", ".join(item.title for item in expired)
        warnings.append(f"Checklist evidence has expired: {names}.")
    outstanding = counts["outstanding"]
    if outstanding:
        warnings.append(
            f"{outstanding} checklist item{'s are' if outstanding != 1 else ' is'} still "
            "waiting for evidence."
        )
    if contract.is_live and current_sla is None:
        warnings.append("The contract has no agreed service level agreement.")
    latest = reported_returns(contract).first()
    return {
        "latest_return": latest,
        "warnings": warnings,
        "key_indicators": key_indicators,
        "current_sla": current_sla,
        "extensions": list(ExtensionOption.objects.filter(contract=contract).order_by("sequence")),
        "pending_variations": counts["pending_variations"],
        "exit_notice": exit_notice_status(contract, today),
    }


#: A contract's people: (those with accounts, provider contacts).
OFFICER_FIELDS = ("lead_officer", "deputy_officer", "senior_responsible_owner")
CONTACT_FIELDS = ("provider_contract_manager", "provider_executive", "escalation_contact")


def with_people(contract: Contract) -> Contract:
    """Attach the contract's officers and provider contacts, read in two queries (one
    per table) rather than joined to the contract: PostgreSQL takes several times longer
    to plan the ten-table join than to run it."""
    for model, fields in ((User, OFFICER_FIELDS), (Contact, CONTACT_FIELDS)):
        ids = {getattr(contract, f"{name}_id") for name in fields} - {None}
        found = model._base_manager.in_bulk(ids) if ids else {}
        for name in fields:
            person = found.get(getattr(contract, f"{name}_id"))
            Contract._meta.get_field(name).set_cached_value(contract, person)
    return contract


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


def exit_notice_status(contract, today: datetime.date | None = None) -> dict:
    """What the contract page says about the notice of the commissioner's plans."""
    today = today or timezone.localdate()
    deadline = exit_notice_deadline(contract.current_end_date)
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


# -- Lists of KPIs, complaints, audits and returns ----------------------------------------

_RETURN_RELATED = (
    "period",
    "period__contract",
    "period__contract__provider",
    "submitted_by",
    "decided_by",
)


def performance_return_list(user) -> QuerySet[PerformanceReturn]:
    return PerformanceReturn.objects.restrict(user, "view").select_related(*_RETURN_RELATED)


def financial_return_list(user) -> QuerySet[FinancialReturn]:
    amount = ExpressionWrapper(
        F("lines__unit_price") * F("lines__units_delivered"),
        output_field=DecimalField(max_digits=26, decimal_places=4),
    )
    return (
        FinancialReturn.objects.restrict(user, "view")
        .select_related(*_RETURN_RELATED)
        .annotate(lines_amount=Sum(amount))
    )


def complaint_list(user) -> QuerySet[Complaint]:
    return Complaint.objects.restrict(user, "view").select_related("contract", "contract__provider")


def audit_list(user) -> QuerySet[Audit]:
    return Audit.objects.restrict(user, "view").select_related("contract", "contract__provider")


def kpidefinition_list(user) -> QuerySet[KpiDefinition]:
    return KpiDefinition.objects.restrict(user, "view")


def contract_kpi_list(user) -> QuerySet[ContractKpi]:
    return ContractKpi.objects.restrict(user, "view").select_related(
        "contract", "contract__provider", "definition"
    )
