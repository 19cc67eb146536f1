"""The three logs in a browser: SMG reads the portfolio heatmap and clicks through to
the right risks, a provider sees only shared risks of its own contracts, and a
contract manager keeps the contact log and decision log for a contract."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from governance.core.roles import Role
from tests.contracts.register.factories import ContractFactory
from tests.risks.factories import RiskFactory

pytestmark = pytest.mark.browser


def click_and_wait(page, locator):
    with page.expect_navigation():
        locator.click()


def test_heatmap_and_provider_view(page, live_server, sign_in, make_user, axe_check):
    lead = make_user(role=Role.CONTRACT_MANAGER)
    ours = ContractFactory(lead_officer=lead, reference="NPCC-OURS")
    theirs = ContractFactory(lead_officer=lead, reference="NPCC-THEIRS")
    RiskFactory(
        contract=ours,
        title="Shared refuge capacity",
        allocation="shared",
        inherent_likelihood=5,
        inherent_impact=5,
        residual_likelihood=5,
        residual_impact=4,
        owner=lead,
    )
    RiskFactory(
        contract=ours,
        title="Provider-only staffing",
        allocation="provider",
        residual_likelihood=2,
        residual_impact=2,
        owner=lead,
    )
    RiskFactory(
        contract=theirs,
        title="Someone else's shared risk",
        allocation="shared",
        inherent_likelihood=5,
        inherent_impact=5,
        residual_likelihood=5,
        residual_impact=4,
        owner=lead,
    )
    make_user(role=Role.SMG, username="sandra")
    make_user(role=Role.PROVIDER, username="priya", organisation=ours.provider)

    sign_in("sandra")
    page.goto(live_server.url + "/risks/")
    heatmap = page.get_by_test_id("heatmap")
    expect(heatmap).to_be_visible()
    axe_check()
    # The likelihood 5 x impact 4 cell holds two risks; clicking it lists exactly those.
    cell = heatmap.locator("a[href*='likelihood=5'][href*='impact=4']")
    expect(cell).to_contain_text("2")
    click_and_wait(page, cell)
    results = page.get_by_test_id("results")
    expect(results).to_contain_text("Shared refuge capacity")
    expect(results).to_contain_text("Someone else's shared risk")
    expect(results).not_to_contain_text("Provider-only staffing")
    page.get_by_role("button", name="Sign out").click()

    sign_in("priya")
    page.goto(live_server.url + "/risks/")
    results = page.get_by_test_id("results")
    expect(results).to_contain_text("Shared refuge capacity")
    expect(results).not_to_contain_text("Provider-only staffing")
    expect(results).not_to_contain_text("Someone else's shared risk")
    axe_check()


def test_contract_manager_keeps_the_logs(page, live_server, sign_in, make_user, axe_check):
    lead = make_user(role=Role.CONTRACT_MANAGER, username="morgan")
    contract = ContractFactory(lead_officer=lead)
    sign_in("morgan")

    # Contact log: a concern raised by phone, flagged until the written follow-up.
    page.goto(live_server.url + f"/contracts/{contract.pk}/contact-log/add/")
    axe_check()
    now = timezone.localtime() - datetime.timedelta(hours=1)
    page.locator("#id_occurred_at_0").fill(str(now.day))
    page.locator("#id_occurred_at_1").fill(str(now.month))
    page.locator("#id_occurred_at_2").fill(str(now.year))
    page.get_by_label("Time").fill(f"{now:%H:%M}")
    page.get_by_label("Phone call", exact=True).check()
    page.get_by_label("From the provider", exact=True).check()
    page.get_by_label("Subject", exact=True).fill("Late referrals")
    page.get_by_label("Summary", exact=True).fill("Referrals from custody arrive days late.")
    page.get_by_label("A concern was raised", exact=True).check()
    click_and_wait(page, page.get_by_role("button", name="Log the contact"))
    expect(page.locator("main")).to_contain_text("Late referrals")
    page.goto(live_server.url + f"/contracts/{contract.pk}/contact-log/")
    expect(page.locator("main")).to_contain_text("Late referrals")
    axe_check()

    # Decision log: a decision recorded for the contract.
    page.goto(live_server.url + f"/contracts/{contract.pk}/decisions/add/")
    page.get_by_label("Title", exact=True).fill("Extend the pilot to the north")
    page.get_by_label("What was decided").fill("The pilot runs in the north from April.")
    page.get_by_label("Decided by").fill("Contract monitoring meeting")
    page.get_by_label("Contract manager", exact=True).check()
    today = timezone.localdate()
    page.locator("#id_decided_on_0").fill(str(today.day))
    page.locator("#id_decided_on_1").fill(str(today.month))
    page.locator("#id_decided_on_2").fill(str(today.year))
    click_and_wait(page, page.get_by_role("button", name="Record the decision"))
    page.goto(live_server.url + f"/contracts/{contract.pk}/decisions/")
    expect(page.locator("main")).to_contain_text("Extend the pilot to the north")
    axe_check()

    # Risk log: a risk added to the contract shows on its tab and in its heatmap.
    page.goto(live_server.url + f"/contracts/{contract.pk}/risks/add/")
    page.locator("input[name=kind][value=risk]").check()
    page.get_by_label("Title", exact=True).fill("Custody referrals delayed")
    page.get_by_label("Description").fill("Late referrals leave victims unsupported.")
    page.locator("select[name=category]").select_option("service_delivery")
    page.locator("input[name=level][value=operational]").check()
    page.locator("input[name=allocation][value=shared]").check()
    page.locator("select[name=owner]").select_option(str(lead.pk))
    for field, value in [
        ("inherent_likelihood", 4),
        ("inherent_impact", 3),
        ("residual_likelihood", 2),
        ("residual_impact", 3),
    ]:
        page.locator(f"input[name={field}][value='{value}']").check()
    page.locator("input[name=review_frequency][value=quarterly]").check()
    review = timezone.localdate() + datetime.timedelta(days=30)
    page.locator("#id_next_review_date_0").fill(str(review.day))
    page.locator("#id_next_review_date_1").fill(str(review.month))
    page.locator("#id_next_review_date_2").fill(str(review.year))
    axe_check()
    click_and_wait(page, page.locator("main form button[type=submit]").last)
    expect(page.locator("main")).to_contain_text("Custody referrals delayed")
    page.goto(live_server.url + f"/contracts/{contract.pk}/risks/")
    expect(page.locator("main")).to_contain_text("Custody referrals delayed")
    expect(page.get_by_test_id("heatmap")).to_be_visible()
    axe_check()
