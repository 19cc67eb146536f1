"""An auditor exports a long, filtered risk log as a PDF: the button takes them to the
export's page, which says it is ready (without a broker the job runs at once), and the
file holds the filtered risks only."""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from governance.core.models.access import ReportAccess, ReportKind
from governance.core.models.exports import ExportJob
from governance.core.roles import Role
from tests.contracts.register.factories import ContractFactory
from tests.risks.factories import RiskFactory

pytestmark = pytest.mark.browser


def test_auditor_exports_a_long_risk_log_and_downloads_it(
    page, live_server, sign_in, make_user, axe_check, settings
):
    settings.EXPORT_IMMEDIATE_MAX_ROWS = {"csv": 2, "xlsx": 2, "pdf": 2}
    make_user(role=Role.AUDITOR, username="alex", first_name="Alex", last_name="Turner")
    contract = ContractFactory(reference="NPCC-2026-004")
    for number in range(4):
        RiskFactory(contract=contract, title=f"Waiting times in the north hub ({number})")
    RiskFactory(contract=contract, title="Premises lease ends")

    sign_in("alex")
    page.goto(f"{live_server.url}/risks/?q=north+hub")
    axe_check()
    with page.expect_navigation():
        page.get_by_role("button", name="Download as PDF").click()
    job = ExportJob.objects.get()
    assert page.url == f"{live_server.url}{job.get_absolute_url()}"
    expect(page.get_by_role("heading", name="Your export is ready")).to_be_visible()
    axe_check()
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the PDF").click()
    with open(info.value.path(), "rb") as handle:
        pages = PdfReader(io.BytesIO(handle.read())).pages
    text = "\n".join(page_.extract_text() for page_ in pages)
    for number in range(4):
        assert f"Waiting times in the north hub ({number})" in text
    assert "Premises lease ends" not in text
    access = ReportAccess.objects.get(kind=ReportKind.LIST_EXPORT)
    assert access.user.username == "alex"
