"""The auditor builds a contract's auditor pack in one click and finds in its change
history who approved the variation, when and why."""

import io

import pytest
import time_machine
from playwright.sync_api import expect
from pypdf import PdfReader

from governance.core.models.access import ReportAccess, ReportKind
from tests.browser.contract_tabs import open_contract_tab
from tests.governance.reports.report_fixtures import NOW, report_people, rich_contract

pytestmark = pytest.mark.browser


def test_auditor_downloads_the_pack_and_finds_the_variation_approval(
    page, live_server, sign_in, make_user, axe_check
):
    with time_machine.travel(NOW, tick=True):
        people = report_people(make_user)
        contract = rich_contract(people)

        sign_in("alex")
        page.goto(f"{live_server.url}/contracts/{contract.pk}/")
        open_contract_tab(page, "Reports")
        axe_check()
        with page.expect_download(timeout=60_000) as info:
            page.get_by_role("button", name="Build the auditor pack").click()
        with open(info.value.path(), "rb") as handle:
            pages = PdfReader(io.BytesIO(handle.read())).pages
        text = " ".join(" ".join(p.extract_text() for p in pages).split())
        assert "Auditor pack: NPCC-2025-017" in text
        assert "Contents" in text and "9. Change history, page" in text
        history = text[text.rindex("9. Change history") :]
        assert "Sandra Grey" in history
        assert "Add a rural outreach worker" in history
        assert "Status: Proposed → Approved" in history
        assert "Approved at SMG on 12 November" in history

        # The download is in the contract's access log.
        page.reload()
        expect(page.get_by_test_id("report-accesses")).to_contain_text("Auditor pack")
        expect(page.get_by_test_id("pack-jobs")).to_contain_text("Ready")
        access = ReportAccess.objects.get(kind=ReportKind.AUDITOR_PACK)
        assert access.user.username == "alex" and access.contract == contract
