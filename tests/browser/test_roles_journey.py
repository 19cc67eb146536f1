"""End-to-end journeys in a real browser, with axe-core run on every page visited."""

import re

import pytest
from playwright.sync_api import expect

from governance.core.navigation import menu_for
from governance.core.roles import Role
from tests.contracts.register.factories import OrganisationFactory
from tests.upload_files import pdf_bytes

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery"
LANDS_ON = {
    Role.SMG: "/dashboard/",
    Role.CONTRACT_MANAGER: "/my-contracts/",
    Role.PROVIDER: "/returns/performance/",
}


def assert_page_loaded(page, response, what: str):
    assert response is not None, f"No response for {what}"
    assert response.status < 400, f"{what} answered {response.status} at {page.url}"
    assert not page.title().startswith("Page not found"), f"{what} is 'Page not found'"


@pytest.mark.parametrize("role", [*Role, None], ids=[*(r.value for r in Role), "no-role"])
def test_each_role_signs_in_and_sees_its_navigation(
    role, page, live_server, make_user, sign_in, axe_check
):
    extra = {"organisation": OrganisationFactory()} if role == Role.PROVIDER else {}
    user = make_user(role=role, **extra)
    expected_labels = [item.label for item in menu_for(user)]

    response = page.goto(live_server.url + "/accounts/login/")
    assert_page_loaded(page, response, "The login page")
    axe_check()

    sign_in(user.username, PASSWORD)
    # Each role lands where its work is (governance.core.navigation.LANDING_PAGES).
    expect(page).to_have_url(re.compile(LANDS_ON.get(role, "/home/") + "$"))
    page.goto(live_server.url + "/home/")
    roles_text = page.locator("[data-testid=roles]")
    if role is None:
        expect(roles_text).to_contain_text("Your account has no role yet")
    else:
        expect(roles_text).to_contain_text(f"You are signed in as {Role(role).label}.")
    axe_check()

    links = page.locator("#navigation a")
    expect(links).to_have_text(expected_labels)
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]

    for label, href in zip(expected_labels, hrefs, strict=True):
        response = page.goto(live_server.url + href)
        assert_page_loaded(page, response, f"{label} ({href}) for {role or 'no role'}")
        current = page.locator("#navigation a[aria-current=true]")
        expect(current).to_have_text(label)
        axe_check()


def test_wrong_password_shows_error_summary(page, live_server, make_user, sign_in, axe_check):
    user = make_user(role=Role.AUDITOR)

    sign_in(user.username, "not-the-password")

    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    expect(page.locator("[data-testid=sign-out]")).to_have_count(0)
    axe_check()


def test_contract_manager_adds_organisation_and_uploads_document(
    page, live_server, make_user, sign_in, axe_check, tmp_path
):
    user = make_user(role=Role.CONTRACT_MANAGER, first_name="Ada", last_name="Lovelace")
    sign_in(user.username, PASSWORD)

    page.locator("#navigation").get_by_role("link", name="Organisations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisations")
    axe_check()

    page.get_by_role("link", name="Add organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an organisation")
    axe_check()

    # The empty form: an error summary whose entries link to their fields.
    page.get_by_role("button", name="Save").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("There is a problem")
    name_error = summary.get_by_role("link", name="Enter the organisation's name.")
    expect(name_error).to_have_attribute("href", "#id_name")
    kind_error = summary.get_by_role(
        "link", name="Select whether this is a commissioner or a provider."
    )
    expect(page.locator("#id_name")).to_have_count(1)
    # The radio group's entry leads to its first option, which exists on the page.
    kind_target = kind_error.get_attribute("href")
    expect(page.locator(kind_target)).to_have_count(1)
    expect(page.locator(kind_target)).to_have_attribute("type", "radio")
    expect(page.locator(kind_target)).to_have_attribute("value", "commissioner")
    axe_check()

    page.get_by_label("Name", exact=True).fill("Northbridge Community Trust")
    page.get_by_label("Provider", exact=True).check()
    page.get_by_label("Main email address (optional)", exact=True).fill(
        "office@northbridge.example.org"
    )
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Northbridge Community Trust")
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text("Northbridge Community Trust added.")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Provider")
    axe_check()

    page.get_by_role("link", name="History", exact=True).click()
    expect(page).to_have_url(re.compile(r"/organisations/\d+/history/$"))
    entry = page.locator("[data-testid=history-entry]")
    expect(entry).to_have_count(1)
    expect(entry.locator(".moj-timeline__title")).to_have_text(re.compile(r"^Created"))
    expect(entry).to_contain_text("by Ada Lovelace")
    axe_check()

    page.get_by_role("link", name="Documents", exact=True).click()
    expect(page).to_have_url(re.compile(r"/organisations/\d+/documents/$"))
    expect(page.get_by_text("No documents have been uploaded.")).to_be_visible()
    axe_check()

    pdf = tmp_path / "charter.pdf"
    pdf.write_bytes(pdf_bytes())
    page.get_by_label("Title", exact=True).fill("Partnership charter")
    page.get_by_label("Category", exact=True).select_option(label="Contract")
    page.get_by_label("File", exact=True).set_input_files(pdf)
    page.get_by_role("button", name="Upload").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Partnership charter (version 1) uploaded."
    )
    documents = page.locator("[data-testid=documents]")
    expect(documents).to_contain_text("Partnership charter")
    expect(documents).to_contain_text("Contract")
    expect(documents).to_contain_text("by Ada Lovelace")
    axe_check()


def test_sign_out_returns_to_login_and_guards_pages(page, live_server, make_user, sign_in):
    user = make_user(role=Role.CONTRACT_MANAGER)
    sign_in(user.username, PASSWORD)
    expect(page).to_have_url(re.compile(r"/my-contracts/$"))

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)

    page.goto(live_server.url + "/organisations/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/organisations/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
