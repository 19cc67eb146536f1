"""A contract manager records a quarter end to end: the provider's performance and
financial returns, entered from the provider's email, the monitoring meeting with minutes,
and an action; the deputy, not the manager who entered them, accepts the returns, and the
RAG shows on the contract."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from contracts.assurance.models.slas import ServiceLevelAgreement
from governance.core.roles import Role
from tests.contracts.performance.kpi_factories import ContractKpiFactory
from tests.contracts.register.factories import ContractFactory

pytestmark = pytest.mark.browser


def go(page, live_server, path):
    response = page.goto(live_server.url + path)
    assert response.status < 400, path
    return response


def click_and_wait(page, locator):
    with page.expect_navigation():
        locator.click()


def fill_date(page, field: str, day: datetime.date) -> None:
    page.locator(f"#id_{field}_0").fill(str(day.day))
    page.locator(f"#id_{field}_1").fill(str(day.month))
    page.locator(f"#id_{field}_2").fill(str(day.year))


def test_a_quarter_end_to_end(page, live_server, sign_in, make_user, axe_check):
    today = timezone.localdate()
    lead = make_user(role=Role.CONTRACT_MANAGER, username="morgan", first_name="Morgan")
    deputy = make_user(role=Role.CONTRACT_MANAGER, username="dana", first_name="Dana")
    contract = ContractFactory(
        lead_officer=lead,
        deputy_officer=deputy,
        start_date=today - datetime.timedelta(days=400),
        initial_end_date=today + datetime.timedelta(days=900),
        title="Victims' referral hub",
    )
    ServiceLevelAgreement.objects.create(
        contract=contract,
        version=1,
        status="agreed",
        service_requirements="Support victims",
        agreed_on=contract.start_date,
    )
    ContractKpiFactory(
        contract=contract,
        name="Victim satisfaction",
        unit="percentage",
        direction="higher",
        target=Decimal(90),
        amber_tolerance=Decimal(5),
    )
    ContractKpiFactory(
        contract=contract,
        name="Days to first appointment",
        unit="days",
        direction="lower",
        target=Decimal(5),
        amber_tolerance=Decimal(2),
    )
    sign_in("morgan")

    # Open the quarters' returns; the last finished quarter is the one to report.
    go(page, live_server, f"/contracts/{contract.pk}/returns/")
    axe_check()
    click_and_wait(page, page.get_by_role("button", name="Open the current quarter"))
    period = contract.periods.filter(ends_on__lt=today).order_by("-starts_on").first()
    assert period is not None

    def submit_for_the_provider():
        """The provider emailed its return: the manager enters it and says so."""
        click_and_wait(page, page.get_by_role("link", name="Submit", exact=True))
        click_and_wait(page, page.get_by_role("button", name="Submit", exact=True))
        # Without the source it is refused, the message by the question.
        expect(page.locator("#id_source-error")).to_contain_text("say how it reached you")
        page.get_by_label("Email", exact=True).check()
        fill_date(page, "source_received_on", today)
        page.get_by_label("About the source").fill("From the provider's service director.")
        axe_check()
        click_and_wait(page, page.get_by_role("button", name="Submit", exact=True))
        expect(page.get_by_test_id("submitted")).to_contain_text("entered for the provider")
        # Whoever entered it does not accept it: no button, and the page says who does.
        expect(page.get_by_role("link", name="Accept", exact=True)).to_have_count(0)
        expect(page.get_by_test_id("accept-note")).to_contain_text("deputy officer")

    # Performance return: one amber indicator makes the quarter amber.
    go(page, live_server, period.performance_return.get_absolute_url())
    click_and_wait(page, page.get_by_role("link", name="Fill in"))
    page.get_by_label("Victim satisfaction: actual").fill("92")
    page.get_by_label("Days to first appointment: actual").fill("6")
    page.get_by_label("Days to first appointment: commentary").fill("Two caseworkers left.")
    page.get_by_label("Reason for this change").fill("Quarter-end figures")
    axe_check()
    click_and_wait(page, page.get_by_role("button", name="Save"))
    expect(page.get_by_test_id("overall-rag")).to_contain_text("Amber")
    submit_for_the_provider()

    # Financial return: 10% over budget needs a commentary.
    go(page, live_server, period.financial_return.get_absolute_url())
    click_and_wait(page, page.get_by_role("link", name="Fill in"))
    page.get_by_label("Budget for the quarter (£)").fill("100,000")
    page.get_by_label("Actual spend (£)").fill("110,000")
    page.get_by_label("Payments made (£)").fill("100,000")
    page.get_by_label("Reason for this change").fill("Quarter-end finance")
    click_and_wait(page, page.get_by_role("button", name="Save"))
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    page.get_by_label("Commentary on the variance").fill("Agency cover for two vacancies.")
    click_and_wait(page, page.get_by_role("button", name="Save"))
    expect(page.get_by_test_id("commentary-heading")).to_contain_text("entered by Morgan")
    submit_for_the_provider()

    # The monitoring meeting, held this morning, with minutes and an action.
    go(page, live_server, f"/contracts/{contract.pk}/meetings/")
    click_and_wait(page, page.get_by_role("link", name="Schedule: contract monitoring (quarterly)"))
    fill_date(page, "starts_at", today)
    page.get_by_label("Start time").fill("00:01")
    axe_check()
    click_and_wait(page, page.get_by_role("button", name="Schedule the meeting"))
    click_and_wait(page, page.get_by_role("link", name="Record minutes"))
    page.get_by_label("Minutes").fill("Performance and finance reviewed; vacancies discussed.")
    click_and_wait(page, page.get_by_role("button", name="Save the minutes"))
    click_and_wait(page, page.get_by_role("link", name="Raise an action").first)
    page.get_by_label("What has to be done").fill("Share the recruitment plan")
    page.get_by_label("Owner").select_option(label=deputy.get_full_name())
    fill_date(page, "due_on", today + datetime.timedelta(days=14))
    click_and_wait(page, page.get_by_role("button", name="Raise the action"))
    expect(page.locator("main")).to_contain_text("Share the recruitment plan")

    # The deputy accepts both returns.
    page.get_by_role("button", name="Sign out").click()
    sign_in("dana")
    for return_ in (period.performance_return, period.financial_return):
        go(page, live_server, return_.get_absolute_url())
        click_and_wait(page, page.get_by_role("link", name="Accept", exact=True))
        click_and_wait(page, page.get_by_role("button", name="Accept", exact=True))
        expect(page.get_by_test_id("status")).to_contain_text("Accepted")

    # The RAG shows on the contract and in the register.
    go(page, live_server, f"/contracts/{contract.pk}/")
    expect(page.get_by_test_id("latest-rag")).to_contain_text("Amber")
    go(page, live_server, "/contracts/")
    expect(page.get_by_test_id("results")).to_contain_text("Amber")
    axe_check()

    # The deputy finds the action on their own list.
    go(page, live_server, "/actions/mine/")
    expect(page.locator("main")).to_contain_text("Share the recruitment plan")
    axe_check()
