"""The words test on the pages the shared view cases do not open: sign-in, home, the
dashboard (and its PDF), notifications and the account pages, with a portfolio behind
them and each form sent back empty (see tests/words.py)."""

import re

import pytest
import time_machine
from django.urls import reverse

from governance.core.roles import Role
from tests.governance.reports.report_fixtures import NOW, build_portfolio
from tests.words import assert_plain_english, export_problems, export_text

pytestmark = pytest.mark.django_db

TITLE = re.compile(r"<title>\s*(.*?)</title>", flags=re.S)


@pytest.fixture
def portfolio(make_user):
    officer = make_user(role=Role.CONTRACT_MANAGER, username="morgan")
    other = make_user(role=Role.CONTRACT_MANAGER, username="dana")
    with time_machine.travel(NOW, tick=False):
        build_portfolio(6, officer=officer, other_officer=other)
        yield officer


def test_sign_in_says_which_box_is_empty(client):
    response = client.post(reverse("login"), {})
    assert_plain_english(response, "sign-in sent back empty")
    page = response.content.decode()
    assert "Enter the username" in page
    assert TITLE.search(page)[1].startswith("Error: ")


@pytest.mark.parametrize("role", [Role.SMG, Role.CONTRACT_MANAGER, Role.AUDITOR])
def test_home_dashboard_and_notifications_are_in_plain_english(portfolio, make_user, login, role):
    client = login(portfolio if role == Role.CONTRACT_MANAGER else make_user(role=role))
    for name in ("home", "governance:dashboard", "governance:notification_list", "account"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert_plain_english(response, f"{role.label} {name}")
        assert not TITLE.search(response.content.decode())[1].startswith("Error: ")
    report = client.get(reverse("governance:portfolio_report"))
    if report.status_code == 200:
        assert export_problems(export_text(report)) == []


def test_changing_a_password_sent_back_empty(make_user, login):
    client = login(make_user(role=Role.CONTRACT_MANAGER))
    response = client.post(reverse("account_password_change"), {})
    assert response.status_code == 200
    assert_plain_english(response, "password change sent back empty")
    assert TITLE.search(response.content.decode())[1].startswith("Error: ")
