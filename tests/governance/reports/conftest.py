"""The people and the contract with a full record that the report tests read, with the
clock stopped at the reports' day."""

import pytest
import time_machine

from tests.governance.reports.report_fixtures import NOW, report_people, rich_contract


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def people(make_user):
    return report_people(make_user)


@pytest.fixture
def contract(frozen, people):
    return rich_contract(people)
