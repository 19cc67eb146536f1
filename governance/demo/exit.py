"""Demo data for exit planning: contracts inside each exit-notice alert window, one in
exit with an approved and signed service transfer plan, and post-contract reviews for
contracts that have ended. Idempotent: a second run adds nothing."""

import datetime
from decimal import Decimal

from contracts.exit import services as exit_services
from contracts.exit.models import PostContractReview
from contracts.register.choices import ContractStatus
from contracts.register.models.contracts import Contract, ServiceArea
from contracts.register.models.organisations import Organisation
from contracts.register.services import contracts as contract_services
from governance.core.dates import add_months

REVIEW_TEXT = {
    "attendees": "Lead contract officer\nDeputy contract officer\nProvider's contract manager\n"
    "Finance business partner",
    "outcomes_assessment": "Referral targets were met in three of four years; contact within "
    "two days slipped in the final year as staff left ahead of the end date.",
    "lessons_learned": "Agree the exit plan a year before the end, not six months.\n"
    "Keep case records in a format the next provider can import.\n"
    "Hold quarterly meetings right up to the end: attendance fell away in the last year.",
    "future_commissioning": "Specify data formats and a records handover schedule in the "
    "next contract; ask bidders how they would staff the final six months.",
}


def seed_post_contract_review(contract: Contract, officer, today: datetime.date):
    """The review a contract needs before it ends or is terminated."""
    existing = PostContractReview.objects.filter(contract=contract).first()
    if existing is not None:
        return existing
    held_on = min(contract.current_end_date, today)
    return exit_services.post_contract_review_record(
        contract=contract,
        actor=officer,
        held_on=max(held_on, contract.start_date),
        reason="Review held with the provider before the contract closed",
        **REVIEW_TEXT,
    )


#: (reference, title, months and days from today to the end date, what it shows)
WINDOW_CONTRACTS = (
    ("NPCC-2024-031", "Restorative justice service", (8, 0), "inside the 9-month window"),
    ("NPCC-2024-032", "Stalking advocacy service", (6, 15), "inside the 7-month window"),
    ("NPCC-2024-033", "Modern slavery support", (4, 0), "past the notice deadline"),
)
STP_CONTRACT = ("NPCC-2023-034", "Youth diversion programme")


def _provider():
    """The provider the demo's provider user works for."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username="provider").first()
    if user is not None and user.organisation_id:
        return user.organisation, user
    return Organisation.objects.filter(kind="provider").order_by("name").first(), None


def _register(reference, title, *, provider, end, officer, deputy, today) -> Contract:
    contract = contract_services.contract_create(
        actor=officer,
        reference=reference,
        title=title,
        scope=f"{title}: the services described in schedule 1, across the force area.",
        provider=provider,
        service_area=ServiceArea.objects.get_or_create(name="Victims' services")[0],
        total_value=Decimal("600000"),
        annual_value=Decimal("200000"),
        start_date=add_months(today, -30),
        initial_end_date=end,
        tier="bronze",
        lead_officer=officer,
        deputy_officer=deputy,
        provider_contract_manager=provider.contacts.filter(is_active=True).order_by("pk").first(),
    )
    return contract_services.contract_transition(
        contract=contract, to_status=ContractStatus.ACTIVE, actor=officer, reason="Contract signed"
    )


def seed_exit(*, users: dict, today: datetime.date) -> int:
    """Contracts in each exit-notice window with no notice recorded, and one in exit
    whose service transfer plan has been approved and signed by both parties. Returns
    how many contracts were added."""
    lead, deputy = users["manager"], users["deputy"]
    provider, provider_user = _provider()
    added = 0
    for reference, title, (months, days), _shows in WINDOW_CONTRACTS:
        if Contract.objects.filter(reference=reference).exists():
            continue
        end = add_months(today, months) + datetime.timedelta(days=days)
        _register(
            reference, title, provider=provider, end=end, officer=lead, deputy=deputy, today=today
        )
        added += 1
    reference, title = STP_CONTRACT
    if not Contract.objects.filter(reference=reference).exists():
        contract = _register(
            reference,
            title,
            provider=provider,
            end=add_months(today, 14),
            officer=lead,
            deputy=deputy,
            today=today,
        )
        _seed_termination(contract, lead, provider_user, today)
        added += 1
    return added


def _seed_termination(contract: Contract, lead, provider_user, today: datetime.date) -> None:
    plan = exit_services.exit_plan_create(
        contract=contract,
        actor=lead,
        plan_type="recommission",
        approach="Run the service down over three months while the new provider recruits; "
        "a month of parallel running for open cases.",
        incumbent_obligations="Keep the service fully staffed until the effective date, "
        "share case records weekly and attend the handover meetings.",
    )
    for area, description, weeks in (
        ("service_users", "Write to every open case about the change of provider", 2),
        ("staff", "Confirm which posts transfer under TUPE", 4),
        ("data", "Export case records in the agreed format", 8),
        ("assets", "Return the commissioner's laptops and phones", 10),
        ("communications", "Tell referral partners the new contact details", 6),
    ):
        exit_services.exit_task_add(
            plan=plan,
            actor=lead,
            area=area,
            description=description,
            owner=lead,
            due_date=today + datetime.timedelta(weeks=weeks),
        )
    exit_services.exit_risk_create(
        plan=plan,
        actor=lead,
        title="Case records not ready for the new provider",
        description="The export may not import cleanly, leaving open cases without history.",
        level="operational",
        allocation="shared",
        owner=lead,
        inherent_likelihood=3,
        inherent_impact=4,
        residual_likelihood=2,
        residual_impact=3,
    )
    notice = exit_services.termination_notice_record(
        contract=contract,
        actor=lead,
        extent="full",
        reason="The service is being re-commissioned jointly with the neighbouring force.",
        notice_date=today - datetime.timedelta(days=20),
        effective_date=today + datetime.timedelta(days=70),
        served_by="commissioner",
    )
    stp = notice.transfer_plan
    preparer = provider_user or lead
    # Whoever submitted the plan does not approve it: the deputy does when the lead
    # officer had to submit it for the provider.
    approver = lead if provider_user is not None else contract.deputy_officer
    exit_services.transfer_plan_update(
        plan=stp,
        actor=preparer,
        reason="Plan drafted",
        documentation="Case files, the referral log and the volunteer handbook, exported "
        "to the new provider's system two weeks before the effective date.",
        service_details="One hub in the city centre, weekdays 9am to 5pm; outreach in two "
        "towns; around 40 open cases.",
        priority_clients="Young people with open court orders (references in the case "
        "system): a named worker introduces each one to the new provider.",
    )
    for action, actor, comments in (
        ("submit", preparer, ""),
        ("approve", approver, "Agreed at the exit meeting."),
        ("sign", lead, ""),
        ("sign", provider_user, ""),
    ):
        if actor is None:
            continue
        stp = exit_services.transfer_plan_transition(
            plan=stp, action=action, actor=actor, comments=comments
        )
