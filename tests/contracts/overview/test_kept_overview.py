"""The contract page's body, each user's permissions and roles are kept between
requests (``governance.core.kept``): what is kept never reaches a user of another role
or scope, and a change to a record or a role shows on the next request."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.core import kept
from governance.core.roles import Role
from tests.contracts.assurance.sla_factories import ChecklistItemFactory
from tests.contracts.register.factories import ContractFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 4, 10, tzinfo=datetime.UTC)
REASON = "No quarter&#x27;s performance return has been accepted yet"
PROVIDER_NOTE = "The commissioner's contract managers can tell you what this status rests on."


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def people(make_user):
    lead = make_user(role=Role.CONTRACT_MANAGER, username="lead")
    provider = OrganisationFactory()
    contract = ContractFactory(lead_officer=lead, provider=provider, title="Home care north")
    staff = make_user(role=Role.PROVIDER, username="staff", organisation=provider)
    outsider = make_user(
        role=Role.PROVIDER, username="outsider", organisation=OrganisationFactory()
    )
    return contract, lead, staff, outsider, make_user(role=Role.AUDITOR, username="auditor")


def page(client, contract) -> tuple[str, list[str]]:
    """The contract page's text and the tables its request read."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("contracts:contract_detail", args=[contract.pk]))
    assert response.status_code == 200
    return response.content.decode(), [query["sql"] for query in queries]


def read(queries, table: str) -> bool:
    return any(f'"{table}"' in sql for sql in queries)


def tab_labels(text: str) -> list[str]:
    """The sections of the contract page, then the tabs of the section in view."""
    navs = text.split('aria-label="Sections of this record"')[1].split("</main>")[0]
    links = navs.split('class="moj-sub-navigation__link"')[1:]
    links += navs.split('app-section-tabs__link"')[1:]
    return [link.split("</a>")[0].rsplit(">", 1)[1] for link in links]


def risk_tab_labels(client, contract) -> list[str]:
    """The tabs of the Risks and disputes section, where the Disputes tab is."""
    response = client.get(reverse("risks:contract_risks", args=[contract.pk]))
    return tab_labels(response.content.decode())


def body(text: str) -> str:
    """The overview's body: from the overall status to the end of the main content."""
    return text.split('data-testid="overall-status"')[1].split("</main>")[0]


def test_the_body_is_kept_and_read_only_when_built(people, login, client):
    contract, lead, *_ = people
    login(lead)
    first, first_queries = page(client, contract)
    again, again_queries = page(client, contract)
    assert read(first_queries, "contracts_checklistitem")
    assert not read(again_queries, "contracts_checklistitem")
    assert not read(again_queries, "auth_permission")
    assert body(first) == body(again)


def test_provider_staff_never_get_the_commissioners_body_nor_the_reverse(
    people, make_user, login, client
):
    contract, lead, staff, *_ = people
    # The lead builds (and keeps) the body first: the provider's staff still see theirs.
    login(lead)
    assert REASON in page(client, contract)[0]
    login(staff)
    text, _ = page(client, contract)
    assert PROVIDER_NOTE in text and REASON not in text
    # And the other way about, with the provider's copy kept first.
    kept.invalidate()
    assert PROVIDER_NOTE in page(client, contract)[0]
    login(make_user(role=Role.SMG))
    text, _ = page(client, contract)
    assert REASON in text and PROVIDER_NOTE not in text


def test_each_user_sees_their_own_menu_tabs_and_buttons(people, login, client):
    contract, lead, staff, _, auditor = people
    for user in (lead, staff, auditor):  # every body, menu and permission kept
        login(user)
        page(client, contract)
    login(lead)
    text, _ = page(client, contract)
    assert "Disputes" in risk_tab_labels(client, contract) and "Edit" in text
    assert 'class="govuk-service-navigation__link" href="/disputes/"' in text
    login(staff)
    text, _ = page(client, contract)
    assert "Performance" in tab_labels(text) and "Disputes" not in risk_tab_labels(client, contract)
    assert 'href="/disputes/"' not in text and "Edit" not in text
    login(auditor)
    text, _ = page(client, contract)
    assert "Disputes" in risk_tab_labels(client, contract) and ">Edit<" not in text
    assert "Auditor" in text and "Contract manager" not in text


def test_a_user_outside_the_scope_is_refused_a_kept_page(people, login, client):
    contract, lead, _, outsider, _ = people
    login(lead)
    page(client, contract)
    login(outsider)
    response = client.get(reverse("contracts:contract_detail", args=[contract.pk]))
    assert response.status_code == 404


def test_a_change_to_the_record_shows_at_once(people, login, client):
    contract, lead, *_ = people
    login(lead)
    assert "waiting for evidence" not in page(client, contract)[0]
    ChecklistItemFactory(contract=contract, title="Insurance certificate")
    assert "1 checklist item is still waiting for evidence." in page(client, contract)[0]
    contract.scope = "Care at home across the northern district"
    contract.save()
    assert "Care at home across the northern district" in page(client, contract)[0]
    lead.first_name, lead.last_name = "Rowan", "Lead"
    lead.save()
    assert "Rowan Lead" in page(client, contract)[0]


def test_a_role_taken_away_takes_its_pages_and_menu_at_once(people, login, client):
    contract, lead, *_ = people
    login(lead)
    text, _ = page(client, contract)
    assert 'href="/disputes/"' in text
    lead.groups.clear()
    response = client.get(reverse("contracts:contract_detail", args=[contract.pk]))
    assert response.status_code == 403
    home = client.get(reverse("home")).content.decode()
    assert 'href="/disputes/"' not in home and "Contract manager" not in home


def test_a_new_day_builds_the_body_afresh(people, login, client):
    contract, lead, *_ = people
    login(lead)
    page(client, contract)
    with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):
        login(lead)
        _, queries = page(client, contract)
    assert read(queries, "contracts_checklistitem")


def test_with_the_setting_at_zero_nothing_is_kept(people, login, client, settings):
    settings.DASHBOARD_CACHE_SECONDS = 0
    contract, lead, *_ = people
    login(lead)
    page(client, contract)
    _, queries = page(client, contract)
    assert read(queries, "contracts_checklistitem") and read(queries, "auth_permission")


def test_the_page_costs_the_same_queries_built_afresh_whatever_the_contract_holds(
    people, login, client
):
    contract, lead, *_ = people
    login(lead)
    page(client, contract)
    kept.invalidate()
    _, few = page(client, contract)
    for number in range(5):
        ChecklistItemFactory(contract=contract, title=f"Evidence {number}")
    kept.invalidate()
    _, many = page(client, contract)
    assert len(many) == len(few)
    # Kept, it reads the session, the user, the contract and the unread notifications.
    _, kept_queries = page(client, contract)
    assert len(kept_queries) < len(few)


def test_a_change_to_a_record_keeps_everyones_permissions_but_a_change_of_role_does_not(
    people, make_user, login, client
):
    contract, lead, *_ = people
    login(lead)
    page(client, contract)
    # A record changes: the body is built afresh, the roles and permissions stay kept.
    ChecklistItemFactory(contract=contract, title="Insurance certificate")
    _, queries = page(client, contract)
    assert read(queries, "contracts_checklistitem")
    assert not read(queries, "auth_permission") and not read(queries, "auth_group")
    # A role's permissions change: read afresh at once.
    group = lead.groups.get()
    group.permissions.remove(Permission.objects.get(codename="view_contract"))
    response = client.get(reverse("contracts:contract_detail", args=[contract.pk]))
    assert response.status_code == 403
    group.permissions.add(Permission.objects.get(codename="view_contract"))
    # Someone is given a role: their pages follow at once, everyone else's stay kept.
    newcomer = make_user(username="newcomer")
    login(newcomer)
    assert client.get(reverse("contracts:contract_detail", args=[contract.pk])).status_code in (
        403,
        404,
    )
    newcomer.groups.add(Group.objects.get(name=Role.CONTRACT_MANAGER.label))
    contract.deputy_officer = newcomer
    contract.save()
    assert "Contract manager" in page(client, contract)[0]
