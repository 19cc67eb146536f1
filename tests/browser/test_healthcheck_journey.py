"""The annual health check in a browser: the contract manager starts it and answers
the commissioner's side, a provider user answers the provider's side of the same
partnership, and the comparison and trend show the result."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from governance.core.roles import Role
from governance.healthchecks import services
from governance.healthchecks.models import Assessment, Side
from tests.browser.contract_tabs import open_contract_tab
from tests.governance.healthchecks.healthcheck_factories import completed, partnership, template

pytestmark = pytest.mark.browser


def click_and_wait(page, locator):
    with page.expect_navigation():
        locator.click()


def answer_side(page, assessment, side, values: dict[tuple[int, int], str], default: str):
    for question in services.questions_for(assessment, side):
        label = values.get((question.area.order, question.order), default)
        page.get_by_test_id(f"question-{question.pk}").get_by_label(label, exact=True).check()


def test_both_sides_complete_the_annual_health_check(
    page, live_server, sign_in, make_user, axe_check
):
    template("annual")  # questionnaires back after the flush
    lead = make_user(role=Role.CONTRACT_MANAGER, username="carol")
    contract = partnership(lead, reference="NPCC-PART-01", start_date=datetime.date(2024, 4, 1))
    make_user(role=Role.PROVIDER, username="pat", organisation=contract.provider)
    # Last year's check, so the trend has somewhere to start.
    completed(contract, assessed_on=datetime.date(2025, 4, 10))
    today = timezone.localdate()

    sign_in("carol")
    page.goto(live_server.url + contract.get_absolute_url())
    open_contract_tab(page, "Health checks")
    expect(page.get_by_test_id("annual-due")).to_contain_text("10 April 2026")
    click_and_wait(page, page.get_by_role("link", name="Start a health check"))
    page.get_by_label("Questionnaire").select_option(label="Annual relationship health check")
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Period covered").fill("Second year")
    click_and_wait(page, page.get_by_role("button", name="Save"))
    expect(page.get_by_test_id("side-commissioner")).to_contain_text("0 of 7")
    assessment = Assessment.objects.order_by("-pk").first()

    click_and_wait(page, page.get_by_role("link", name="Answer the commissioner's side"))
    axe_check()
    answer_side(page, assessment, Side.COMMISSIONER, {(4, 1): "5 Strongly agree"}, "4 Agree")
    click_and_wait(page, page.get_by_role("button", name="Save and continue to submit"))
    page.get_by_label("I confirm these answers are complete and final").check()
    click_and_wait(page, page.get_by_role("button", name="Submit the answers"))
    expect(page.get_by_test_id("side-commissioner")).to_contain_text("Submitted")
    expect(page.get_by_test_id("overall-commissioner")).to_contain_text("78.6%")
    page.get_by_test_id("sign-out").click()

    sign_in("pat")
    page.goto(live_server.url + "/health-checks/")
    click_and_wait(page, page.get_by_role("link", name=assessment.reference))
    click_and_wait(page, page.get_by_role("link", name="Answer the provider's side"))
    answer_side(page, assessment, Side.PROVIDER, {(4, 1): "1 Strongly disagree"}, "4 Agree")
    click_and_wait(page, page.get_by_role("button", name="Save and continue to submit"))
    page.get_by_label("I confirm these answers are complete and final").check()
    click_and_wait(page, page.get_by_role("button", name="Submit the answers"))
    expect(page.get_by_test_id("side-provider")).to_contain_text("Submitted")
    expect(page.get_by_test_id("overall-provider")).to_contain_text("64.3%")

    click_and_wait(page, page.get_by_role("link", name="Comparison"))
    first = page.get_by_test_id("compare-area").first
    expect(first).to_contain_text("Capacity")
    expect(first.get_by_test_id("differs-most")).to_be_visible()
    expect(first).to_contain_text("1 Strongly disagree")
    axe_check()

    click_and_wait(page, page.get_by_role("link", name="Trend"))
    expect(page.locator("svg.app-chart")).to_have_count(2)
    expect(page.get_by_test_id("trend-table")).to_contain_text("64.3%")
    expect(page.get_by_test_id("trend-table")).to_contain_text("100.0%")
    axe_check()
