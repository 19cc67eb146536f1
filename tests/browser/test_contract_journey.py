"""A contract manager runs a contract from registration to an approved variation, SMG
approves the material change, and an auditor reads it all and can change nothing."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from contracts.assurance.models.slas import ChecklistItemType
from contracts.register.models.contracts import Contract, ServiceArea
from governance.core.roles import Role
from tests.browser.contract_tabs import open_contract_tab
from tests.contracts.performance.kpi_factories import KpiDefinitionFactory
from tests.upload_files import pdf_bytes

pytestmark = pytest.mark.browser

PDF = pdf_bytes()


def fill_date(page, field: str, day: datetime.date) -> None:
    page.locator(f"#id_{field}_0").fill(str(day.day))
    page.locator(f"#id_{field}_1").fill(str(day.month))
    page.locator(f"#id_{field}_2").fill(str(day.year))


def save(page, name: str = "Save") -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def open_tab(page, name: str) -> None:
    if page.get_by_test_id("sections").count():  # the contract page's sections
        open_contract_tab(page, name)
        return
    page.get_by_role("navigation", name="Sections of this record").get_by_role(
        "link", name=name, exact=True
    ).click()


def sign_out(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()


def test_contract_lifecycle_through_the_browser(
    page, live_server, sign_in, make_user, axe_check, tmp_path
):
    # Reference data the migrations normally provide (the live-server test database is
    # emptied between tests).
    ServiceArea.objects.get_or_create(name="Victims' services")
    ChecklistItemType.objects.get_or_create(
        name="Insurance certificates produced", defaults={"expires": True}
    )
    KpiDefinitionFactory(name="Victim satisfaction", unit="percentage", target=90)
    make_user(role=Role.CONTRACT_MANAGER, username="morgan", first_name="Morgan", last_name="Lee")
    make_user(role=Role.CONTRACT_MANAGER, username="dana", first_name="Dana", last_name="Price")
    make_user(role=Role.SMG, username="sandra", first_name="Sandra", last_name="Grey")
    make_user(role=Role.AUDITOR, username="alex", first_name="Alex", last_name="Turner")

    sign_in("morgan")

    # 1. Register the provider and its contract manager.
    page.goto(live_server.url + "/organisations/add/")
    page.get_by_label("Name", exact=True).fill("Northbridge Advocacy CIC")
    page.get_by_label("Provider", exact=True).check()
    save(page)
    open_tab(page, "Contacts")
    page.get_by_role("link", name="Add a contact").click()
    page.get_by_label("Name", exact=True).fill("Priya Shah")
    page.get_by_label("Role", exact=True).select_option(label="Contract manager")
    page.get_by_label("Email address", exact=True).fill("priya@northbridge.example.org")
    save(page)
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("added")

    # 2. Register the contract.
    page.goto(live_server.url + "/contracts/add/")
    axe_check()
    page.get_by_label("Reference", exact=True).fill("NPCC-2026-050")
    page.get_by_label("Title", exact=True).fill("Advocacy for victims of fraud")
    page.get_by_label("Provider", exact=True).select_option(label="Northbridge Advocacy CIC")
    page.get_by_label("Service area", exact=True).select_option(label="Victims' services")
    page.get_by_label("Scope of services", exact=True).fill("Casework and advocacy.")
    page.get_by_label("Total contract value (£)", exact=True).fill("1,000,000")
    page.get_by_label("Annual contract value (£)", exact=True).fill("250000")
    fill_date(page, "start_date", datetime.date(2026, 4, 1))
    fill_date(page, "initial_end_date", datetime.date(2030, 3, 31))
    page.get_by_label("Gold", exact=True).check()
    page.get_by_label("Deputy officer").select_option(label="Dana Price")
    page.get_by_label("Provider's contract manager").select_option(index=1)
    save(page)
    expect(page.locator("h1")).to_have_text("Advocacy for victims of fraud")
    axe_check()
    contract = Contract.objects.get(reference="NPCC-2026-050")

    # 3. Activate it.
    page.get_by_role("link", name="Activate").click()
    page.get_by_label("Reason", exact=True).fill("Signed by both parties")
    save(page, "Activate")
    expect(page.locator(".govuk-tag").first).to_have_text("Active")

    # 4. Agree the SLA.
    open_tab(page, "SLA")
    axe_check()
    page.get_by_role("link", name="Draft the SLA").click()
    page.get_by_label("Service requirements").fill("Contact every referral within two days")
    save(page, "Save the draft")
    page.get_by_role("link", name="Record agreement").click()
    fill_date(page, "agreed_on", datetime.date(2026, 4, 1))
    axe_check()
    save(page, "Record agreement")
    expect(page.locator("main")).to_contain_text("1 April 2026")

    # 5. A KPI from the performance menu.
    page.goto(live_server.url + f"/contracts/{contract.pk}/kpis/")
    page.get_by_role("link", name="Add a KPI").click()
    page.get_by_label("From the performance menu").select_option(index=1)
    save(page, "Add KPI")
    page.goto(live_server.url + f"/contracts/{contract.pk}/kpis/")
    expect(page.locator("main")).to_contain_text("Victim satisfaction")
    axe_check()

    # 6. Checklist evidence with an uploaded certificate.
    open_tab(page, "Checklist")
    save(page, "Add the standard items")
    page.get_by_role("link", name=re.compile("Record evidence")).first.click()
    page.get_by_label("Verified", exact=True).check()
    fill_date(page, "verified_on", datetime.date(2026, 4, 2))
    fill_date(page, "expires_on", datetime.date(2027, 4, 1))
    certificate = tmp_path / "insurance.pdf"
    certificate.write_bytes(PDF)
    page.get_by_label("Evidence document").set_input_files(str(certificate))
    page.get_by_label("Reason for this change").fill("Certificate seen")
    axe_check()
    save(page)
    page.goto(live_server.url + f"/contracts/{contract.pk}/checklist/")
    expect(page.locator("main")).to_contain_text("Verified")

    # 7. Propose a 20% uplift: material, so SMG decides.
    open_tab(page, "Variations")
    page.get_by_role("link", name="Propose a variation").click()
    page.get_by_label("Summary", exact=True).fill("Additional caseworker")
    page.get_by_label("Why the change is needed", exact=True).fill("Referrals doubled.")
    page.get_by_label("Provider", exact=True).check()
    page.get_by_label("New total contract value (£)").fill("1,200,000")
    axe_check()
    save(page)
    expect(page.locator("main")).to_contain_text("Needs SMG")
    expect(page.get_by_role("link", name="Approve")).to_have_count(0)
    variation_url = page.url
    sign_out(page)

    sign_in("sandra")
    page.goto(variation_url)
    page.get_by_role("link", name="Approve").click()
    page.get_by_label("Notes").fill("Agreed at SMG")
    save(page, "Approve variation")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("approved")
    contract.refresh_from_db()
    assert contract.total_value == 1200000

    # 8. The history names the variation as the reason for the change.
    page.goto(live_server.url + f"/contracts/{contract.pk}/history/")
    expect(page.locator("main")).to_contain_text("Variation NPCC-2026-050/V1 approved")
    expect(page.locator("main")).to_contain_text("1,000,000.00")
    expect(page.locator("main")).to_contain_text("1,200,000.00")
    axe_check()
    sign_out(page)

    # 9. The auditor reads everything and can change nothing.
    sign_in("alex")
    page.goto(live_server.url + f"/contracts/{contract.pk}/")
    expect(page.locator("main")).to_contain_text("£1,200,000.00")
    expect(page.get_by_role("link", name="Edit")).to_have_count(0)
    expect(page.get_by_role("link", name="Terminate")).to_have_count(0)
    for tab in ("Extensions", "Variations", "SLA", "KPIs", "Checklist", "Documents", "History"):
        open_tab(page, tab)
        expect(page.locator("h1")).to_have_text("Advocacy for victims of fraud")
        expect(page.locator("main form[method=post]")).to_have_count(0)
    response = page.goto(live_server.url + f"/contracts/{contract.pk}/edit/")
    assert response.status == 403
    expect(page.locator("h1")).to_have_text("You cannot use this page")
