"""On a phone a list's filter waits behind a button, and wide tables scroll in their own
region rather than the page."""

import pytest
from playwright.sync_api import expect

from governance.core.roles import Role
from tests.contracts.register.factories import ContractFactory

pytestmark = pytest.mark.browser


def test_on_a_phone_the_filter_opens_from_a_button_and_the_results_come_first(
    page, live_server, make_user, sign_in, axe_check
):
    user = make_user(role=Role.SMG)
    ContractFactory(reference="NPCC-2026-777")
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(user.username)
    page.goto(live_server.url + "/contracts/")

    filter_panel = page.locator('[data-module="app-filter-toggle"]')
    expect(filter_panel).to_be_hidden()
    expect(page.get_by_test_id("results")).to_contain_text("NPCC-2026-777")
    show = page.get_by_role("button", name="Show filter")
    expect(show).to_have_attribute("aria-expanded", "false")
    show.click()
    expect(filter_panel).to_be_visible()
    expect(page.get_by_role("button", name="Apply filters")).to_be_visible()
    axe_check()
    page.get_by_role("button", name="Close").click()
    expect(filter_panel).to_be_hidden()

    page.set_viewport_size({"width": 1280, "height": 900})
    expect(filter_panel).to_be_visible()
    region = page.get_by_role("region", name="Contracts")
    expect(region).to_have_attribute("tabindex", "0")
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
