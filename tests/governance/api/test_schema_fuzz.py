"""Schemathesis against /api/schema/: every operation, with generated parameters and
bodies, answers without a server error and, where the schema describes the answer,
within it. Small Hypothesis settings keep the run well under a minute."""

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from governance.accounts import services as account_services
from governance.api.throttling import ApiTokenThrottle
from governance.core.roles import Role
from tests.contracts.performance import test_returns as return_tests
from tests.contracts.performance.return_factories import period_with_returns
from tests.contracts.register.factories import ContractFactory
from tests.risks.factories import RiskFactory

EXAMPLES_PER_OPERATION = 6


@pytest.fixture
def connection_kept_open():
    """As Django's test client does: the test's database connection (and its
    transaction) stays open across the requests the WSGI application serves."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_no_server_error_and_no_answer_outside_the_schema(
    make_user, monkeypatch, connection_kept_open
):
    cache.clear()
    monkeypatch.setattr(ApiTokenThrottle, "THROTTLE_RATES", {"api": "100000/hour"})
    officer = make_user(role=Role.CONTRACT_MANAGER)
    contract = ContractFactory(lead_officer=officer)
    return_tests.percentage_kpi(contract)
    period_with_returns(contract=contract, financial_year=2026, quarter=1)
    RiskFactory(contract=contract, owner=officer)
    _, key = account_services.api_token_create(user=officer, name="Fuzz", days=7)
    headers = {"Authorization": f"Bearer {key}"}

    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 34

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def answers_well(case):
            case.call_and_validate(
                headers=headers, checks=[not_a_server_error, response_schema_conformance]
            )

        answers_well()
