"""A dispute from raising to closure, as the people the procedure names: the contract
manager raises it and runs the informal route, SMG agrees to the formal procedure, the
manager takes it through every formal stage and closes it; the timeline shows it all."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from contracts.register.choices import ContactRole
from disputes.models.disputes import Dispute
from governance.core.roles import Role
from tests.contracts.register.factories import ContactFactory, ContractFactory
from tests.disputes.factories import email

pytestmark = pytest.mark.browser


def click_and_wait(page, locator):
    with page.expect_navigation():
        locator.click()


def fill_date(page, name, day):
    page.locator(f"#id_{name}_0").fill(str(day.day))
    page.locator(f"#id_{name}_1").fill(str(day.month))
    page.locator(f"#id_{name}_2").fill(str(day.year))


def test_a_dispute_through_every_stage(page, live_server, sign_in, make_user, axe_check):
    today = timezone.localdate()
    lead = make_user(role=Role.CONTRACT_MANAGER, username="morgan", first_name="Morgan")
    deputy = make_user(role=Role.CONTRACT_MANAGER)
    make_user(role=Role.SMG, username="sandra", first_name="Sandra")
    contract = ContractFactory(lead_officer=lead, deputy_officer=deputy, reference="NPCC-DSP")
    contract.escalation_contact = ContactFactory(
        organisation=contract.provider, role=ContactRole.ESCALATION, name="Erin Escalation"
    )
    contract.save()
    concern = email(contract, today, subject="Referrals not passed on")
    agreement = email(contract, today, subject="SMG agrees to formal escalation")
    notice = email(contract, today, subject="Formal notice of dispute")

    def dispute_page():
        page.goto(live_server.url + dispute.get_absolute_url())

    def record(link_name, fill=lambda: None, button="Record it"):
        dispute_page()
        click_and_wait(page, page.get_by_role("link", name=link_name, exact=True))
        fill()
        click_and_wait(page, page.get_by_role("button", name=button))
        expect(page.locator(".govuk-error-summary")).to_have_count(0)

    # The contract manager raises the dispute from the contract's Disputes tab.
    sign_in("morgan")
    page.goto(live_server.url + f"/contracts/{contract.pk}/disputes/")
    click_and_wait(page, page.get_by_role("link", name="Raise a dispute"))
    axe_check()
    page.get_by_label("Title", exact=True).fill("Safeguarding referrals not passed on")
    page.get_by_label("Service failure", exact=True).check()
    page.get_by_label("Description", exact=True).fill("Three referrals sat for days.")
    click_and_wait(page, page.get_by_role("button", name="Save"))
    dispute = Dispute.objects.get()
    expect(page.get_by_test_id("stage")).to_have_text("Informal route")
    axe_check()

    # The informal route, step by step.
    record("Policy development manager told")
    record("SMG briefed")

    def concern_in_writing():
        page.get_by_label("The email or letter in the contact log").select_option(
            label=str(concern)
        )

    record("Concern put in writing", concern_in_writing)
    record(
        "Approach agreed",
        lambda: page.get_by_label("How both sides agreed to address it").fill("Daily checks"),
    )

    def escalate():
        page.get_by_label("Formal escalation recommended", exact=True).check()
        page.get_by_label("The commissioner", exact=True).check()

    record("Informal route outcome", escalate)
    page.get_by_role("button", name="Sign out").click()

    # Only SMG records the agreement to the formal procedure.
    sign_in("sandra")

    def smg_evidence():
        page.get_by_label("The email or letter in the contact log").select_option(
            label=str(agreement)
        )

    record("Move to Stage 1: escalation approved", smg_evidence)
    expect(page.get_by_test_id("stage")).to_have_text("Stage 1: escalation approved")
    page.get_by_role("button", name="Sign out").click()

    # The manager takes it through the formal stages.
    sign_in("morgan")

    def send_notice():
        fill_date(page, "notice_date", today)
        page.get_by_label("The notice in the contact log").select_option(label=str(notice))
        page.get_by_label("The notice asks the provider to confirm receipt").check()

    record("Move to Stage 2: written notice", send_notice)
    expect(page.get_by_test_id("meeting-deadline")).to_contain_text(
        f"{dispute.__class__.objects.get().meeting_deadline:%-d %B %Y}"
    )
    axe_check()
    record("Receipt confirmed")

    def meeting():
        fill_date(page, "meeting_held_on", today)
        page.get_by_label("No", exact=True).check()
        page.get_by_label("What the meeting concluded").fill("The provider disputes the facts.")

    record("Move to Stage 3: dispute meeting", meeting)
    record(
        "Move to Stage 4: action plan",
        lambda: fill_date(page, "action_plan_agreed_on", today),
    )

    def action():
        page.get_by_label("What has to be done").fill("Audit every referral from May")
        page.get_by_label("Owner").select_option(label=str(lead))
        fill_date(page, "due_on", today)

    record("Action added", action)

    def mediation():
        page.get_by_label("Why the action plan failed or could not be agreed").fill(
            "The audit was refused."
        )
        page.get_by_label("Mediator", exact=True).fill("Morgan Mediator")
        fill_date(page, "mediation_started_on", today)

    record("Move to Stage 5: mediation", mediation)
    record("Mediation ended without settlement")

    def arbitration():
        page.get_by_label("Arbitrator", exact=True).fill("Alex Arbitrator")
        page.get_by_label(
            "Appointed by the President of the Law Society of England and Wales"
        ).check()
        fill_date(page, "arbitrator_appointed_on", today)

    record("Move to Stage 6: arbitration", arbitration)

    def litigation():
        fill_date(page, "litigation_started_on", today)
        page.get_by_label("Why the dispute goes to court").fill("The award was challenged.")

    record("Move to Stage 7: litigation", litigation)
    record("Judgment", lambda: page.get_by_label("Summary", exact=True).fill("For us."))

    def close():
        page.get_by_label("Resolved", exact=True).check()
        page.get_by_label("Summary of the outcome").fill("Judgment for the commissioner.")

    record("Close the dispute", close)
    expect(page.get_by_test_id("stage")).to_contain_text("Closed")

    # The timeline holds the whole chronology, in order.
    timeline = page.get_by_test_id("timeline")
    for text in (
        "Dispute raised",
        "Policy development manager told",
        "Concern put to the provider in writing",
        "SMG agreed to the formal procedure",
        "Written notice sent to",
        "The provider confirmed receipt",
        "Dispute meeting held",
        "Action plan agreed",
        "Audit every referral from May",
        "Mediation under the CEDR model procedure",
        "Arbitrator Alex Arbitrator appointed by the President of the Law Society",
        "Court proceedings issued",
        "The court gave judgment",
        "Closed: resolved",
    ):
        expect(timeline).to_contain_text(text)
    expect(page.get_by_test_id("timeline-entry")).to_have_count(dispute.events.count())
    assert dispute.events.count() == 18
    expect(timeline).to_contain_text("by Sandra")
    axe_check()
