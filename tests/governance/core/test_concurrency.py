"""No lost update on a step in a record's life: two people open the same step, the
first takes it, the second is told who took it and when, and nothing more changes."""

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from governance.core.concurrency import VERSION_FIELD, current_version
from governance.core.roles import Role
from risks.choices import RiskStatus
from risks.models import Risk
from tests.contracts.register.factories import ContractFactory
from tests.risks.factories import RiskFactory

pytestmark = pytest.mark.django_db


def version_on(page: bytes) -> str:
    return re.search(rf'name="{VERSION_FIELD}" value="(\d+)"', page.decode()).group(1)


def test_a_step_taken_meanwhile_by_someone_else_is_named_and_nothing_changes(make_user):
    lead = make_user(role=Role.CONTRACT_MANAGER, first_name="Morgan", last_name="Lee")
    deputy = make_user(role=Role.CONTRACT_MANAGER, first_name="Dana", last_name="Okafor")
    contract = ContractFactory(lead_officer=lead, deputy_officer=deputy)
    risk = RiskFactory(contract=contract, owner=lead)
    url = reverse("risks:risk_close", args=[risk.pk])
    first, second = Client(), Client()
    first.force_login(lead)
    second.force_login(deputy)
    seen = version_on(second.get(url).content)
    assert seen == current_version(risk)

    assert first.post(url, {"reason": "Service decommissioned"}).status_code == 302
    rows = risk.history.count()
    response = second.post(url, {"reason": "Mitigated", VERSION_FIELD: seen})

    assert response.status_code == 409
    page = html.unescape(response.content.decode())
    assert "Morgan Lee changed this record on" in page
    assert "after you opened this page: status, " in page
    assert "differ from what you saw" in page
    assert risk.history.count() == rows
    risk.refresh_from_db()
    assert (risk.status, risk.closed_reason) == (RiskStatus.CLOSED, "Service decommissioned")


def test_a_form_posted_without_a_version_is_not_checked(make_user, login):
    lead = make_user(role=Role.CONTRACT_MANAGER)
    risk = RiskFactory(contract=ContractFactory(lead_officer=lead), owner=lead)
    client = login(lead)
    response = client.post(reverse("risks:risk_close", args=[risk.pk]), {"reason": "Done"})
    assert response.status_code == 302
    assert Risk.objects.get(pk=risk.pk).status == RiskStatus.CLOSED
