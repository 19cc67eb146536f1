"""Health checks for tests: partnerships with their officers and provider staff, and
assessments started, answered and submitted through the services."""

import datetime

from governance.core.roles import Role
from governance.healthchecks import services
from governance.healthchecks.models import QuestionnaireTemplate, Side
from governance.healthchecks.services import ensure_questionnaires
from tests.contracts.register.factories import ContractFactory
from tests.governance.core.factories import UserFactory


def officer():
    return UserFactory(roles=[Role.CONTRACT_MANAGER])


def partnership(lead=None, **kwargs):
    kwargs.setdefault("is_strategic_partnership", True)
    return ContractFactory(lead_officer=lead or officer(), **kwargs)


def provider_user(contract):
    return UserFactory(roles=[Role.PROVIDER], organisation=contract.provider)


def template(kind: str = "annual") -> QuestionnaireTemplate:
    ensure_questionnaires()  # a transactional test's flush empties the tables
    return QuestionnaireTemplate.objects.get(kind=kind)


def start(contract=None, kind="annual", assessed_on=datetime.date(2026, 4, 1), **kwargs):
    contract = contract or partnership()
    return services.assessment_start(
        contract=contract,
        template=template(kind),
        actor=contract.lead_officer,
        assessed_on=assessed_on,
        **kwargs,
    )


def answer(assessment, side, actor, values=None, default=None, **kwargs):
    """Answer every question of ``side``: ``values`` maps a question's position
    (area order, question order) to an answer; the rest get ``default`` (the best
    answer of the scale when not given)."""
    inputs = []
    for question in services.questions_for(assessment, side):
        value = (values or {}).get((question.area.order, question.order))
        value = value or default or question.choices[0][0]
        inputs.append(services.AnswerInput(question=question, value=value, **kwargs))
    services.assessment_answer(assessment=assessment, side=side, actor=actor, answers=inputs)
    return assessment


def complete(assessment, side, actor, **kwargs):
    answer(assessment, side, actor, **kwargs)
    return services.assessment_submit(assessment=assessment, side=side, actor=actor)


def completed(
    contract=None,
    kind="annual",
    provider=None,
    commissioner_values=None,
    provider_values=None,
    **kwargs,
):
    """An assessment with both sides (or the commissioner's alone) submitted."""
    assessment = start(contract, kind, **kwargs)
    assessment = complete(
        assessment, Side.COMMISSIONER, assessment.contract.lead_officer, values=commissioner_values
    )
    if assessment.has_provider_side:
        assessment = complete(
            assessment,
            Side.PROVIDER,
            provider or provider_user(assessment.contract),
            values=provider_values,
        )
    return assessment
