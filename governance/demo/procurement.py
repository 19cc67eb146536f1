"""Demo records for the Procurement Act 2023 duties: a contract under the Act worth more
than £5 million with its KPI duty met and its contract details notice published on
time, two variations of it (one within the limits, one that owes a change notice), and
a contract under the Act that reached the end of its term and owes its termination
notice. Found by reference, so seeding again changes nothing."""

import datetime
from decimal import Decimal

from django.conf import settings

from contracts.performance.services import kpis as kpi_services
from contracts.procurement.choices import ContractKind, NoticeKind, NoticeStatus, Regime
from contracts.procurement.models import Notice
from contracts.procurement.registration import contract_register
from contracts.procurement.services import notice_transition
from contracts.register.choices import ContractStatus
from contracts.register.models.contracts import Contract, ServiceArea
from contracts.register.models.organisations import Organisation
from contracts.register.services import contracts as contract_services
from governance.core.dates import add_months
from governance.demo.contracts import seed_menu
from governance.demo.exit import seed_post_contract_review

HUB = ("NPCC-2025-041", "Integrated victim care hub")
OUTREACH = ("NPCC-2025-044", "Night-time economy outreach")


def _provider() -> Organisation:
    return Organisation.objects.filter(kind="provider").order_by("name").first()


def _started(today: datetime.date, months: int) -> datetime.date:
    """A procurement start ``months`` ago, never before the Act came into force."""
    earliest = settings.PROCUREMENT_ACT_COMMENCEMENT + datetime.timedelta(days=7)
    return max(earliest, add_months(today, -months))


def _register(reference, title, *, value, start, end, entered, started, lead, deputy, smg):
    provider = _provider()
    return contract_register(
        actor=lead,
        reason="Contract registered after award under the Procurement Act 2023",
        reference=reference,
        title=title,
        scope=f"{title}: the services described in schedule 1, across the force area.",
        provider=provider,
        service_area=ServiceArea.objects.get_or_create(name="Victims' services")[0],
        total_value=value,
        annual_value=(value / 4).quantize(Decimal("1")),
        start_date=start,
        initial_end_date=end,
        tier="gold" if value > 5_000_000 else "silver",
        lead_officer=lead,
        deputy_officer=deputy,
        senior_responsible_owner=smg,
        provider_contract_manager=provider.contacts.filter(is_active=True).order_by("pk").first(),
        regime=Regime.ACT_2023,
        procurement_started_on=started,
        kind=ContractKind.SERVICES,
        entered_into_on=entered,
        light_touch=False,
        framework=False,
        concession=False,
        utilities=False,
    )


def publish_notice(
    notice: Notice,
    *,
    author,
    approver,
    published_on: datetime.date,
    summary: str = "Details",
    identifier: str = "",
) -> Notice:
    """Take an owed notice through drafting (by ``author``), approval (by ``approver``)
    and publication on Find a Tender, as the notices register does."""
    notice_transition(notice=notice, to=NoticeStatus.DRAFTED, actor=author, summary=summary)
    notice_transition(notice=notice, to=NoticeStatus.APPROVED, actor=approver)
    notice_transition(
        notice=notice,
        to=NoticeStatus.PUBLISHED,
        actor=author,
        fts_identifier=identifier or f"{published_on.year}/S 000-{40000 + notice.contract_id:06d}",
        published_on=published_on,
    )
    return notice


def _vary(contract, *, lead, smg, new_total: Decimal, summary: str) -> None:
    variation = contract_services.variation_propose(
        contract=contract,
        actor=lead,
        summary=summary,
        justification="Referrals have grown beyond the volumes the contract was priced on.",
        requested_by="commissioner",
        new_total_value=new_total,
    )
    contract_services.variation_approve(
        variation=variation, actor=smg, notes="Agreed at the SMG meeting"
    )


def seed_procurement(*, users: dict, today: datetime.date) -> int:
    """Add the demo's contracts under the Act that are not there yet; returns how many."""
    lead, deputy, smg = users["manager"], users["deputy"], users["smg"]
    added = 0
    reference, title = HUB
    if not Contract.objects.filter(reference=reference).exists():
        # Started nearly a year ago, so the first yearly assessment of its published
        # KPIs falls due within the month: the demo shows a UK9 assessment due.
        start = add_months(today, -12) + datetime.timedelta(days=20)
        hub = _register(
            reference,
            title,
            value=Decimal("7500000"),
            start=start,
            end=add_months(start, 48) - datetime.timedelta(days=1),
            entered=start - datetime.timedelta(days=14),
            started=_started(today, 22),
            lead=lead,
            deputy=deputy,
            smg=smg,
        )
        menu = seed_menu(lead)
        for index, definition in enumerate(menu[:4]):
            kpi_services.contract_kpi_create(
                contract=hub,
                actor=lead,
                definition=definition,
                is_key_indicator=index < 3,
                reason="Set before award, as the KPI duty asks",
            )
        contract_services.contract_transition(
            contract=hub, to_status=ContractStatus.ACTIVE, actor=lead, reason="Contract signed"
        )
        details = Notice.objects.get(contract=hub, kind=NoticeKind.CONTRACT_DETAILS)
        publish_notice(
            details,
            author=lead,
            approver=smg,
            published_on=details.due_on - datetime.timedelta(days=3),
            summary="Contract details for the integrated victim care hub, with its three "
            "published KPIs.",
        )
        _vary(hub, lead=lead, smg=smg, new_total=Decimal("7875000"), summary="Evening clinics")
        _vary(hub, lead=lead, smg=smg, new_total=Decimal("8500000"), summary="A second hub site")
        added += 1
    reference, title = OUTREACH
    if not Contract.objects.filter(reference=reference).exists():
        started = _started(today, 22)
        entered = started + datetime.timedelta(days=21)
        outreach = _register(
            reference,
            title,
            value=Decimal("900000"),
            start=entered + datetime.timedelta(days=7),
            end=today - datetime.timedelta(days=10),
            entered=entered,
            started=started,
            lead=lead,
            deputy=deputy,
            smg=smg,
        )
        contract_services.contract_transition(
            contract=outreach, to_status=ContractStatus.ACTIVE, actor=lead, reason="Signed"
        )
        details = Notice.objects.get(contract=outreach, kind=NoticeKind.CONTRACT_DETAILS)
        publish_notice(
            details,
            author=lead,
            approver=smg,
            published_on=min(details.due_on, today),
            summary="Contract details for night-time economy outreach.",
        )
        seed_post_contract_review(outreach, lead, today)
        contract_services.contract_transition(
            contract=outreach,
            to_status=ContractStatus.ENDED,
            actor=lead,
            reason="The contract reached the end of its term",
        )
        added += 1
    return added
