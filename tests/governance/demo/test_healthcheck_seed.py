"""Demo health checks: two years of annual checks on two partnerships, both sides
answering, and nothing added twice."""

import datetime

import pytest

from governance.demo.healthchecks import seed_health_checks
from governance.healthchecks.models import Assessment, QuestionnaireKind, SideStatus
from tests.contracts.register.factories import ContractFactory
from tests.governance.healthchecks.healthcheck_factories import officer, partnership, provider_user

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)


def test_two_years_on_two_partnerships_both_sides_idempotent():
    contracts = [partnership(start_date=datetime.date(2023, 4, 1)) for _ in range(2)]
    for contract in contracts:
        provider_user(contract)
    assert seed_health_checks(users={}, today=TODAY) == 5
    for contract in contracts:
        annual = Assessment.objects.filter(contract=contract, kind=QuestionnaireKind.ANNUAL)
        assert annual.count() == 2
        assert all(a.is_complete and a.provider_status == SideStatus.SUBMITTED for a in annual)
        dates = sorted(annual.values_list("assessed_on", flat=True))
        assert dates == [datetime.date(2024, 12, 20), datetime.date(2025, 12, 20)]
    assert seed_health_checks(users={}, today=TODAY) == 0
    assert Assessment.objects.count() == 5


def test_makes_partnerships_when_the_portfolio_has_none():
    contracts = [ContractFactory(lead_officer=officer()) for _ in range(2)]
    for contract in contracts:
        provider_user(contract)
    seed_health_checks(users={}, today=TODAY)
    for contract in contracts:
        contract.refresh_from_db()
        assert contract.is_strategic_partnership
        assert contract.health_checks.filter(kind=QuestionnaireKind.ANNUAL).count() == 2
