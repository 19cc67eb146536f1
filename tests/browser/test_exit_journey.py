"""The contract manager finds a contract in the contracts ending list and records a
termination notice; the provider prepares and submits the service transfer plan; the
manager returns it with comments; the provider resubmits; the manager approves it; both
parties sign."""

import datetime

import pytest
from playwright.sync_api import expect

from contracts.exit.models import ServiceTransferPlan
from governance.core.roles import Role
from tests.contracts.register.factories import ContractFactory

pytestmark = pytest.mark.browser


def fill_date(page, field: str, day: datetime.date) -> None:
    page.locator(f"#id_{field}_0").fill(str(day.day))
    page.locator(f"#id_{field}_1").fill(str(day.month))
    page.locator(f"#id_{field}_2").fill(str(day.year))


def click(page, role: str, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role(role, name=name, exact=True).click()


def sign_out(page) -> None:
    click(page, "button", "Sign out")


def take_step(page, name: str, comments: str = "") -> None:
    click(page, "link", name)
    if comments:
        page.get_by_label("What the provider needs to change").fill(comments)
    click(page, "button", name)
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()


def test_service_transfer_plan_journey(page, live_server, sign_in, make_user, axe_check):
    today = datetime.date.today()
    manager = make_user(
        role=Role.CONTRACT_MANAGER, username="morgan", first_name="Morgan", last_name="Lee"
    )
    contract = ContractFactory(
        reference="NPCC-2026-070",
        lead_officer=manager,
        start_date=today - datetime.timedelta(days=700),
        initial_end_date=today + datetime.timedelta(days=200),
    )
    make_user(
        role=Role.PROVIDER,
        username="pat",
        first_name="Pat",
        last_name="Okafor",
        organisation=contract.provider,
    )
    exit_url = f"{live_server.url}/contracts/{contract.pk}/exit/"

    # The manager sees the contract in the contracts ending list, with its deadline.
    sign_in("morgan")
    with page.expect_navigation():
        page.get_by_role("navigation", name="Menu").get_by_role(
            "link", name="Contracts ending"
        ).click()
    axe_check()
    row = page.locator("tr", has_text="NPCC-2026-070")
    expect(row).to_contain_text("No")  # no notice recorded yet
    with page.expect_navigation():
        row.get_by_role("link", name="NPCC-2026-070").click()
    expect(page.get_by_test_id("exit-notice")).to_contain_text("Notice due by")

    # The manager records a termination notice: the plan opens for the provider.
    click(page, "link", "Record a termination notice")
    page.get_by_label("Commissioner", exact=True).check()
    page.get_by_label("The whole contract", exact=True).check()
    page.get_by_label("Reason for termination").fill("The service moves in-house.")
    fill_date(page, "notice_date", today)
    fill_date(page, "effective_date", today - datetime.timedelta(days=1))
    click(page, "button", "Save")
    expect(page.locator(".govuk-error-summary")).to_contain_text("before the date of the notice")
    fill_date(page, "effective_date", today + datetime.timedelta(days=90))
    click(page, "button", "Save")
    expect(page.get_by_test_id("transfer-plan-status")).to_have_text("Draft")
    plan_url = page.url
    sign_out(page)

    # The provider prepares and submits the plan.
    sign_in("pat")
    page.goto(exit_url)
    click(page, "link", "Open the plan for the notice dated " + f"{today:%-d %B %Y}")
    click(page, "link", "Edit the plan")
    axe_check()
    page.get_by_label("Documentation to transfer").fill("Case files and the referral log.")
    page.get_by_label("Service details").fill("One hub, weekdays.")
    page.get_by_label("Reason for this change").fill("First draft")
    click(page, "button", "Save")
    # With a section empty, submitting is shown unavailable, saying what is missing.
    expect(page.get_by_role("link", name="Submit plan")).to_have_count(0)
    expect(page.get_by_role("button", name="Submit plan")).to_be_disabled()
    expect(page.get_by_test_id("move-reason")).to_contain_text(
        "Fill in the clients whose continued support matters most"
    )
    page.goto(plan_url)
    click(page, "link", "Edit the plan")
    page.get_by_label("Clients whose continued support matters most").fill("Open cases.")
    page.get_by_label("Reason for this change").fill("Clients added")
    click(page, "button", "Save")
    take_step(page, "Submit plan")
    expect(page.get_by_test_id("transfer-plan-status")).to_have_text("Submitted")
    expect(page.get_by_role("link", name="Approve plan")).to_have_count(0)
    sign_out(page)

    # The manager cannot approve it as it stands: returned with comments.
    sign_in("morgan")
    page.goto(plan_url)
    take_step(page, "Return with comments", "List the clients whose support matters most.")
    expect(page.get_by_test_id("transfer-plan-status")).to_have_text("Returned with comments")
    sign_out(page)

    # The provider reads the comments, completes the plan and resubmits.
    sign_in("pat")
    page.goto(plan_url)
    expect(page.get_by_test_id("review-comments")).to_contain_text("List the clients")
    click(page, "link", "Edit the plan")
    page.get_by_label("Clients whose continued support matters most").fill(
        "Twelve open safeguarding cases (references in the case system)."
    )
    page.get_by_label("Reason for this change").fill("Client needs set out as asked")
    click(page, "button", "Save")
    take_step(page, "Submit plan")
    sign_out(page)

    # The manager approves and signs for the commissioner.
    sign_in("morgan")
    page.goto(plan_url)
    take_step(page, "Approve plan")
    take_step(page, "Sign plan")
    expect(page.get_by_test_id("signatures")).to_contain_text("Morgan Lee")
    expect(page.get_by_test_id("transfer-plan-status")).to_have_text("Approved")
    sign_out(page)

    # The provider signs: the plan is signed by both parties, every step on record.
    sign_in("pat")
    page.goto(plan_url)
    take_step(page, "Sign plan")
    expect(page.get_by_test_id("transfer-plan-status")).to_have_text("Signed by both parties")
    expect(page.get_by_test_id("signatures")).to_contain_text("Pat Okafor")
    events = page.get_by_test_id("transfer-plan-events")
    for step in ("Opened", "Submitted", "Returned with comments", "Approved"):
        expect(events).to_contain_text(step)

    plan = ServiceTransferPlan.objects.get()
    assert plan.status == "signed"
    assert plan.provider_signed_by.username == "pat"
    assert plan.commissioner_signed_by == manager
