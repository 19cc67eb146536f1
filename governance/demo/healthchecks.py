"""Demo health checks: two years of annual relationship health checks on two strategic
partnerships, each answered by the commissioner and the provider, and an ongoing
relationship checklist with an area that needs attention.

Safe to run again: a partnership that already has an annual health check is left as it
is. Everything goes through the services, so history and scores are real."""

import datetime

from contracts.register.models.contracts import Contract
from governance.core.dates import add_months
from governance.core.models.base import User
from governance.core.roles import Role
from governance.healthchecks import services
from governance.healthchecks.models import (
    Assessment,
    QuestionnaireKind,
    QuestionnaireTemplate,
    Side,
)
from governance.healthchecks.selectors import CLOSED_CONTRACT_STATUSES
from governance.healthchecks.services import ensure_questionnaires

#: (area order, question order) -> answer; the rest get the default. Year one shows a
#: gap on capacity and exit; year two shows it narrowing.
ANNUAL_ANSWERS = [
    {
        Side.COMMISSIONER: ({(1, 2): "3", (5, 1): "3"}, "4"),
        Side.PROVIDER: ({(4, 1): "2", (5, 1): "2", (3, 2): "3"}, "4"),
    },
    {
        Side.COMMISSIONER: ({(1, 1): "5", (5, 1): "4"}, "4"),
        Side.PROVIDER: ({(4, 1): "3", (1, 1): "5"}, "4"),
    },
]

ONGOING_ANSWERS = {
    Side.COMMISSIONER: ({(2, 3): "partly", (5, 1): "fully"}, "largely"),
    Side.PROVIDER: ({(2, 3): "not_at_all", (4, 1): "partly"}, "largely"),
}


def _partnerships(users: dict) -> list[Contract]:
    contracts = list(
        Contract.objects.filter(is_strategic_partnership=True)
        .exclude(status__in=CLOSED_CONTRACT_STATUSES)
        .exclude(lead_officer__isnull=True)
        .select_related("provider", "lead_officer")
        .order_by("start_date", "pk")[:2]
    )
    if len(contracts) >= 2:
        return contracts
    # Make partnerships of the longest-running live contracts if the portfolio has none.
    for contract in (
        Contract.objects.filter(is_strategic_partnership=False, lead_officer__isnull=False)
        .exclude(status__in=CLOSED_CONTRACT_STATUSES)
        .exclude(status="draft")
        .order_by("start_date", "pk")[: 2 - len(contracts)]
    ):
        contract.is_strategic_partnership = True
        contract.lifecycle_stage = "contract_management"
        contract._history_user = users.get("admin")
        contract._change_reason = "Demo data: run as a strategic partnership"
        contract.save()
        contracts.append(contract)
    return contracts


def _provider_user(contract: Contract) -> User | None:
    return (
        User.objects.filter(
            organisation=contract.provider, is_active=True, groups__name=Role.PROVIDER.label
        )
        .order_by("pk")
        .first()
    )


def _answer_and_submit(assessment: Assessment, side: str, actor, values: dict, default: str):
    inputs = []
    for question in services.questions_for(assessment, side):
        value = values.get((question.area.order, question.order), default)
        comment = ""
        if value in ("1", "2", "partly", "not_at_all"):
            comment = "Raised at the last strategic review; not yet resolved."
        inputs.append(services.AnswerInput(question=question, value=value, comment=comment))
    services.assessment_answer(
        assessment=assessment, side=side, actor=actor, answers=inputs, reason="Demo data"
    )
    return services.assessment_submit(
        assessment=assessment, side=side, actor=actor, reason="Demo data"
    )


def _complete(contract, kind, assessed_on, answers, provider, period="") -> Assessment:
    assessment = services.assessment_start(
        contract=contract,
        template=QuestionnaireTemplate.objects.get(kind=kind),
        actor=contract.lead_officer,
        assessed_on=assessed_on,
        period=period,
        reason="Demo data",
    )
    values, default = answers[Side.COMMISSIONER]
    assessment = _answer_and_submit(
        assessment, Side.COMMISSIONER, contract.lead_officer, values, default
    )
    if assessment.has_provider_side and provider is not None:
        values, default = answers[Side.PROVIDER]
        assessment = _answer_and_submit(assessment, Side.PROVIDER, provider, values, default)
    return assessment


def _annual_dates(contract: Contract, today: datetime.date) -> list[datetime.date]:
    """Two annual checks a year apart, the second recent, never before the contract
    started: a long-running partnership falls due again within weeks."""
    second = add_months(today, -11)
    first = add_months(second, -12)
    if first < contract.start_date:
        first = add_months(contract.start_date, 6)
        second = add_months(first, 12)
    return [day for day in (first, second) if day <= today]


def seed_health_checks(*, users: dict, today: datetime.date) -> int:
    """Returns how many health checks it added."""
    ensure_questionnaires()
    added = 0
    for contract in _partnerships(users):
        if Assessment.objects.filter(contract=contract, kind=QuestionnaireKind.ANNUAL).exists():
            continue
        provider = _provider_user(contract)
        if provider is None:
            continue  # both sides answer, and this provider has no one signed up
        for year, day in enumerate(_annual_dates(contract, today)):
            _complete(
                contract,
                QuestionnaireKind.ANNUAL,
                day,
                ANNUAL_ANSWERS[year],
                provider,
                period=f"Year {year + 1} of the partnership",
            )
            added += 1
        if added <= 2:
            _complete(
                contract,
                QuestionnaireKind.ONGOING,
                add_months(today, -2),
                ONGOING_ANSWERS,
                provider,
            )
            added += 1
    return added
