"""A lead officer records an invoice, their deputy approves it for payment, the lead
records the payment; a payment date before receipt is refused beside its field. Every
page passes the accessibility check."""

import datetime

import pytest
from playwright.sync_api import expect

from contracts.models import Invoice
from governance.core.roles import Role
from tests.contracts.register.factories import ContractFactory

pytestmark = pytest.mark.browser


def fill_date(page, field: str, day: datetime.date) -> None:
    page.locator(f"#id_{field}_0").fill(str(day.day))
    page.locator(f"#id_{field}_1").fill(str(day.month))
    page.locator(f"#id_{field}_2").fill(str(day.year))


def test_an_invoice_is_recorded_approved_by_someone_else_and_paid(
    page, live_server, sign_in, make_user, axe_check
):
    lead = make_user(role=Role.CONTRACT_MANAGER, username="lee")
    deputy = make_user(role=Role.CONTRACT_MANAGER, username="dee")
    contract = ContractFactory(reference="NPCC-2026-070", lead_officer=lead, deputy_officer=deputy)
    today = datetime.date.today()
    received = today - datetime.timedelta(days=10)

    sign_in("lee")
    page.goto(f"{live_server.url}/contracts/{contract.pk}/invoices/")
    axe_check()
    page.get_by_role("link", name="Record an invoice").click()
    page.get_by_label("Invoice number").fill("INV-7001")
    page.get_by_label("Amount (£)").fill("£42,000")
    fill_date(page, "received_on", received)
    axe_check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    invoice = Invoice.objects.get(reference="INV-7001")
    expect(page.get_by_test_id("invoice-summary")).to_contain_text("£42,000.00")
    expect(page.get_by_role("link", name="Approve for payment")).to_have_count(0)
    axe_check()

    page.context.clear_cookies()
    sign_in("dee")
    page.goto(f"{live_server.url}{invoice.get_absolute_url()}")
    page.get_by_role("link", name="Approve for payment").click()
    fill_date(page, "approved_on", received)
    axe_check()
    with page.expect_navigation():
        page.get_by_role("button", name="Approve for payment").click()
    expect(page.get_by_test_id("invoice-summary")).to_contain_text("by")

    page.context.clear_cookies()
    sign_in("lee")
    page.goto(f"{live_server.url}{invoice.get_absolute_url()}")
    page.get_by_role("link", name="Record the payment").click()
    fill_date(page, "paid_on", received - datetime.timedelta(days=1))
    page.get_by_role("button", name="Record the payment").click()
    expect(page.locator(".govuk-error-message")).to_contain_text(
        "cannot be before the date the invoice was received"
    )
    axe_check()
    fill_date(page, "paid_on", today)
    with page.expect_navigation():
        page.get_by_role("button", name="Record the payment").click()
    expect(page.get_by_test_id("invoice-summary")).to_contain_text("on time")
    invoice.refresh_from_db()
    assert invoice.paid_on == today
