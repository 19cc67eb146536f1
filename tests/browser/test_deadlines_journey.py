"""SMG opens the dashboard and sees the missed exit-notice deadlines first, under their
own heading and with a red tag saying how long ago; the heading's link opens the
contracts ending list with exactly those contracts, missed first there too."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from playwright.sync_api import expect

from governance.core.roles import Role
from governance.management.commands.seed_demo import DEFAULT_DEMO_PASSWORD as DEMO_PASSWORD
from tests.contracts.exit.exit_factories import ExitNoticeFactory
from tests.contracts.register.factories import ContractFactory
from tests.governance.reports.report_fixtures import NOW

pytestmark = pytest.mark.browser

D = datetime.date


def test_smg_sees_missed_exit_notice_deadlines_first(
    page, live_server, sign_in, make_user, axe_check
):
    # 20 November 2026: notices are due six months before the end date.
    with time_machine.travel(NOW, tick=True):
        lead = make_user(role=Role.CONTRACT_MANAGER, username="morgan")
        make_user(role=Role.SMG, username="sandra", first_name="Sandra", last_name="Grey")
        for reference, end in (
            ("NPCC-2025-040", D(2028, 1, 31)),  # due by 31 July 2027: coming up
            ("NPCC-2025-041", D(2027, 6, 30)),  # due by 30 December 2026: due soon
            ("NPCC-2025-042", D(2027, 4, 30)),  # was due by 30 October 2026: missed
            ("NPCC-2025-043", D(2027, 3, 31)),  # was due by 30 September 2026: missed
        ):
            ContractFactory(reference=reference, lead_officer=lead, initial_end_date=end)
        noticed = ContractFactory(
            reference="NPCC-2025-044", lead_officer=lead, initial_end_date=D(2027, 3, 15)
        )
        ExitNoticeFactory(contract=noticed, sent_on=D(2026, 9, 1))

        sign_in("sandra")
        with page.expect_navigation():
            page.get_by_role("link", name="Dashboard", exact=True).first.click()
        axe_check()
        groups = page.locator('[data-testid^="exit-"].app-deadline-group')
        expect(groups).to_have_count(4)
        expect(groups.nth(0).get_by_role("heading")).to_have_text("Missed (2)")
        expect(groups.nth(1).get_by_role("heading")).to_have_text("Due soon (1)")
        expect(groups.nth(2).get_by_role("heading")).to_have_text("Coming up (1)")
        expect(groups.nth(3).get_by_role("heading")).to_have_text("Notice recorded (1)")
        missed = groups.nth(0).locator("li")
        expect(missed).to_have_count(2)
        expect(missed.nth(0)).to_contain_text("NPCC-2025-043")
        expect(missed.nth(0)).to_contain_text("30 September 2026")
        first_tag = missed.nth(0).locator(".govuk-tag")
        expect(first_tag).to_have_text("Missed 51 days ago")
        expect(first_tag).to_have_class("govuk-tag govuk-tag--red app-deadline__tag")
        expect(missed.nth(1)).to_contain_text("Missed 21 days ago")
        expect(page.get_by_test_id("exit-showing")).to_have_text("Showing all 5: see all 5.")

        # The heading opens the contracts ending list with exactly the missed ones.
        with page.expect_navigation():
            groups.nth(0).get_by_role("link", name="Missed (2)").click()
        axe_check()
        expect(page.get_by_test_id("result-count")).to_have_text("2 results")
        rows = page.get_by_test_id("results").locator("tbody tr")
        expect(rows).to_have_count(2)
        expect(rows.nth(0)).to_contain_text("NPCC-2025-043")
        expect(rows.nth(0).locator(".govuk-tag")).to_have_text("Missed 51 days ago")

        # The whole list: missed first, the notice already given last.
        with page.expect_navigation():
            page.get_by_role("link", name="Clear filters").click()
        rows = page.get_by_test_id("results").locator("tbody tr")
        expect(rows).to_have_count(5)
        expect(rows.nth(0)).to_contain_text("Missed 51 days ago")
        expect(rows.nth(1)).to_contain_text("Missed 21 days ago")
        expect(rows.nth(2)).to_contain_text("Due in 40 days")
        expect(rows.nth(4)).to_contain_text("NPCC-2025-044")


def test_after_seeding_the_demo_the_dashboard_opens_on_missed_deadlines_and_red_contracts(
    page, live_server, sign_in, axe_check, settings, monkeypatch
):
    """The demo as `make run` leaves it, on the morning of 4 December 2026."""
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(datetime.datetime(2026, 12, 4, 9, tzinfo=datetime.UTC), tick=True):
        call_command("seed_demo", stdout=io.StringIO())
        sign_in("smg", password=DEMO_PASSWORD)
        with page.expect_navigation():
            page.get_by_role("link", name="Dashboard", exact=True).first.click()
        axe_check()
        groups = page.locator('[data-testid^="exit-"].app-deadline-group')
        first = groups.nth(0)
        expect(first.get_by_role("heading")).to_contain_text("Missed (")
        expect(first.locator(".govuk-tag").first).to_contain_text("Missed ")
        expect(first.locator(".govuk-tag").first).to_have_class(
            "govuk-tag govuk-tag--red app-deadline__tag"
        )
        # Contracts needing attention: red ones first, each with its reasons.
        attention = page.get_by_test_id("attention").locator("tbody tr")
        expect(attention.first.locator(".govuk-tag")).to_have_text("Red")
        expect(attention.first).to_contain_text("Exit-notice deadline missed")
