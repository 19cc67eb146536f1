import datetime

import factory

from governance.core.roles import Role
from risks.choices import Allocation, ReviewFrequency, RiskCategory, RiskKind, RiskLevel
from risks.models import Risk, RiskReview
from tests.contracts.register.factories import ContractFactory
from tests.governance.core.factories import UserFactory


class RiskFactory(factory.django.DjangoModelFactory):
    """An open risk on an active contract, owned by a contract manager. Scores follow
    from likelihood and impact when saved."""

    class Meta:
        model = Risk

    contract = factory.SubFactory(ContractFactory)
    kind = RiskKind.RISK
    title = factory.Sequence(lambda n: f"Key staff leave the service ({n})")
    description = "Two of the three caseworkers are on fixed-term contracts ending soon."
    category = RiskCategory.SERVICE_DELIVERY
    level = RiskLevel.OPERATIONAL
    allocation = Allocation.PROVIDER
    owner = factory.SubFactory(UserFactory, roles=[Role.CONTRACT_MANAGER])
    raised_by = factory.SelfAttribute("owner")
    inherent_likelihood = 4
    inherent_impact = 4
    mitigations = "Recruitment campaign; cover agreed with a partner service."
    residual_likelihood = 2
    residual_impact = 4
    review_frequency = ReviewFrequency.QUARTERLY
    next_review_date = datetime.date(2027, 6, 30)


class RiskReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RiskReview

    risk = factory.SubFactory(RiskFactory)
    reviewed_on = datetime.date(2027, 3, 31)
    reviewer = factory.SelfAttribute("risk.owner")
    likelihood = 2
    impact = 4
    previous_score = 8
    notes = "Recruitment on track."
