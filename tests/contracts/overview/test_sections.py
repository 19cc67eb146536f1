"""The contract page's tabs, grouped into a few sections with the current section's tabs
listed under them."""

import pytest
from django.urls import reverse

from contracts.register.tabs import CONTRACT_TABS
from governance.core.roles import Role
from governance.core.views.base import tab_sections
from tests.contracts.register.factories import ContractFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

SECTIONS = [
    "Overview",
    "Performance",
    "Money",
    "Meetings and logs",
    "Risks and disputes",
    "Exit",
    "Documents and history",
]


def test_every_tab_belongs_to_one_of_the_seven_sections_each_listed_once():
    assert list(dict.fromkeys(tab.section for tab in CONTRACT_TABS)) == SECTIONS


def test_sections_link_to_their_first_tab_and_the_current_one_is_marked():
    tabs = [
        {"label": "A", "url": "/a/", "active": False, "section": "One"},
        {"label": "B", "url": "/b/", "active": True, "section": "One"},
        {"label": "C", "url": "/c/", "active": False, "section": "Two"},
    ]
    sections = tab_sections(tabs)
    assert [(s["label"], s["url"], s["active"]) for s in sections] == [
        ("One", "/a/", True),
        ("Two", "/c/", False),
    ]
    assert [t["label"] for t in sections[0]["tabs"]] == ["A", "B"]


def test_the_page_shows_the_sections_then_the_tabs_of_the_current_one(make_user, login):
    contract = ContractFactory()
    page = (
        login(make_user(role=Role.SMG))
        .get(reverse("contracts:contract_kpis", args=[contract.pk]))
        .content.decode()
    )
    sections = page.split('data-testid="sections"')[1].split("</nav>")[0]
    for label in SECTIONS:
        assert f">{label}</a>" in sections
    assert 'aria-current="page">Performance</a>' in sections
    section_tabs = page.split('data-testid="section-tabs"')[1].split("</nav>")[0]
    assert 'aria-label="Performance"' in page
    for label in ("Returns", "KPIs", "Performance notices", "Complaints", "Audits"):
        assert f">{label}</a>" in section_tabs
    assert 'aria-current="page">KPIs</a>' in section_tabs
    assert ">Invoices</a>" not in page


def test_a_tab_the_user_may_not_see_is_left_out_of_its_section(make_user, login):
    organisation = OrganisationFactory()
    contract = ContractFactory(provider=organisation)
    provider = make_user(role=Role.PROVIDER, organisation=organisation)
    page = login(provider).get(reverse("risks:contract_risks", args=[contract.pk])).content.decode()
    assert ">Risks and disputes</a>" in page
    assert reverse("disputes:contract_disputes", args=[contract.pk]) not in page
