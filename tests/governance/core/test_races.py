"""Twenty people (or one impatient person) press the same button at once.

For each state machine, twenty identical requests reach the real pages over HTTP at the
same moment, through the live server's threads and their own database connections.
Exactly one takes the step and is sent on (302); every other one gets the form back
saying why it can no longer be taken: who took it and when (409) for a form that carries
the version of the record it showed, the step's own refusal (400) for one that does not;
no request fails (500); and the record's history gains exactly one entry. The suite runs
this on SQLite (a file, as the service uses) and on PostgreSQL when ``DATABASE_URL``
points there.
"""

import datetime
import html
import http.client
import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from contracts.exit.models import ExitPlan, ServiceTransferPlan, TransferPlanStatus
from contracts.performance.choices import ReturnStatus
from contracts.performance.models.returns import PerformanceReturn
from contracts.procurement.models import Notice
from contracts.procurement.performance.choices import AssessmentStatus
from contracts.procurement.performance.models import PerformanceAssessment
from contracts.register.choices import ContractStatus, VariationStatus
from contracts.register.models.contracts import Contract, Variation
from contracts.register.services import contracts as contract_services
from disputes.choices import Stage
from disputes.models.disputes import DisputeEvent
from governance.core.concurrency import VERSION_FIELD
from governance.core.roles import Role
from tests.contracts.exit.exit_factories import (
    ExitPlanFactory,
    ExitTaskFactory,
    ServiceTransferPlanFactory,
)
from tests.contracts.performance.return_factories import period_with_returns
from tests.contracts.procurement.factories import act_contract
from tests.contracts.procurement.performance_factories import AssessmentFactory, published_kpi
from tests.contracts.register.factories import ContractFactory
from tests.disputes.factories import DisputeFactory, email, walk
from tests.governance.core.factories import UserFactory

RACERS = 20


@dataclass
class Race:
    user: object
    url: str
    data: dict
    loser_message: str
    history: Callable[[], tuple[int, ...]]  # each kind of entry the step writes, counted
    taken: Callable[[], bool]  # whether the step has been taken


def _officers():
    lead = UserFactory(roles=[Role.CONTRACT_MANAGER])
    deputy = UserFactory(roles=[Role.CONTRACT_MANAGER])
    return lead, deputy


def variation_approval() -> Race:
    lead, deputy = _officers()
    contract = ContractFactory(lead_officer=lead, deputy_officer=deputy)
    variation = contract_services.variation_propose(
        contract=contract,
        actor=lead,
        summary="Add a weekend helpline",
        justification="Calls at weekends have doubled.",
        requested_by="provider",
        new_scope="Referral, assessment and support, seven days a week.",
    )
    return Race(
        user=deputy,
        url=reverse("contracts:variation_decide", args=[variation.pk, "approve"]),
        data={"notes": "Agreed at the contract review."},
        loser_message="This variation has already been approved.",
        history=lambda: (variation.history.count(),),
        taken=lambda: Variation.objects.get(pk=variation.pk).status == VariationStatus.APPROVED,
    )


def return_submission() -> Race:
    contract = ContractFactory()
    performance = period_with_returns(contract=contract).performance_return
    staff = UserFactory(roles=[Role.PROVIDER], organisation=contract.provider)
    return Race(
        user=staff,
        url=reverse("contracts:performancereturn_transition", args=[performance.pk, "submit"]),
        data={"reason": ""},
        loser_message="This return has already been submitted.",
        history=lambda: (performance.history.count(),),
        taken=lambda: (
            PerformanceReturn.objects.get(pk=performance.pk).status == ReturnStatus.SUBMITTED
        ),
    )


def dispute_step() -> Race:
    dispute = DisputeFactory()
    lead = dispute.contract.lead_officer
    walk(dispute, lead, UserFactory(roles=[Role.SMG]), Stage.STAGE_2)
    dispute.refresh_from_db()
    return Race(
        user=lead,
        url=reverse("disputes:dispute_step", args=[dispute.pk, "receipt_confirmed"]),
        data={"on_day": "15", "on_month": "6", "on_year": "2026", "notes": ""},
        loser_message="Receipt was already confirmed on 15 June 2026.",
        history=lambda: (
            dispute.history.count(),
            DisputeEvent.objects.filter(dispute=dispute).count(),
        ),
        taken=lambda: (
            type(dispute).objects.get(pk=dispute.pk).receipt_confirmed_on
            == datetime.date(2026, 6, 15)
        ),
    )


def dispute_stage_move() -> Race:
    """SMG's agreement takes the dispute into the formal procedure (stage 1)."""
    dispute = DisputeFactory()
    smg = UserFactory(roles=[Role.SMG])
    walk(dispute, dispute.contract.lead_officer, smg, Stage.INFORMAL)
    evidence = email(dispute.contract, datetime.date(2026, 6, 11))
    return Race(
        user=smg,
        url=reverse("disputes:dispute_transition", args=[dispute.pk, Stage.STAGE_1]),
        data={
            "endorsed_on_day": "11",
            "endorsed_on_month": "6",
            "endorsed_on_year": "2026",
            "evidence_entry": evidence.pk,
            "notes": "",
        },
        loser_message="This dispute is already at stage 1: escalation approved.",
        history=lambda: (
            dispute.history.count(),
            DisputeEvent.objects.filter(dispute=dispute).count(),
        ),
        taken=lambda: type(dispute).objects.get(pk=dispute.pk).stage == Stage.STAGE_1,
    )


def exit_plan_agreement() -> Race:
    lead, deputy = _officers()
    contract = ContractFactory(lead_officer=lead, deputy_officer=deputy)
    plan = ExitPlanFactory(contract=contract, created_by=lead)
    ExitTaskFactory(plan=plan, owner=lead)
    return Race(
        user=lead,
        url=reverse("contracts:exitplan_transition", args=[plan.pk, "agreed"]),
        data={"reason": "Agreed with the provider"},
        loser_message="This exit plan is already agreed.",
        history=lambda: (plan.history.count(),),
        taken=lambda: ExitPlan.objects.get(pk=plan.pk).status == "agreed",
    )


def transfer_plan_signature() -> Race:
    lead, deputy = _officers()
    contract = ContractFactory(lead_officer=lead, deputy_officer=deputy)
    plan = ServiceTransferPlanFactory(
        termination_notice__contract=contract,
        termination_notice__recorded_by=lead,
        status=TransferPlanStatus.APPROVED,
    )
    staff = UserFactory(roles=[Role.PROVIDER], organisation=contract.provider)
    return Race(
        user=staff,
        url=reverse("contracts:transferplan_step", args=[plan.pk, "sign"]),
        data={"comments": ""},
        loser_message=f"The plan was already signed for the provider by {staff}.",
        history=lambda: (plan.history.count(), plan.events.count()),
        taken=lambda: ServiceTransferPlan.objects.get(pk=plan.pk).provider_signed_by_id == staff.pk,
    )


def contract_activation() -> Race:
    lead, deputy = _officers()
    contract = ContractFactory(
        lead_officer=lead, deputy_officer=deputy, status=ContractStatus.DRAFT
    )
    return Race(
        user=lead,
        url=reverse("contracts:contract_transition", args=[contract.pk, "active"]),
        data={"reason": "Signed by both parties"},
        loser_message="This contract is already active.",
        history=lambda: (contract.history.count(),),
        taken=lambda: Contract.objects.get(pk=contract.pk).status == ContractStatus.ACTIVE,
    )


def assessment_approval() -> Race:
    """SMG approves a KPI performance assessment: one approval and one UK9 notice owed."""
    lead, deputy = _officers()
    contract = act_contract(lead_officer=lead, deputy_officer=deputy)
    assessment = AssessmentFactory(
        contract=contract,
        kpi=published_kpi(contract),
        rating="good",
        status=AssessmentStatus.SUBMITTED,
        assessed_by=lead,
    )
    return Race(
        user=UserFactory(roles=[Role.SMG]),
        url=reverse("contracts:performanceassessment_step", args=[assessment.pk, "approve"]),
        data={"notes": ""},
        loser_message="This assessment is already approved.",
        history=lambda: (
            assessment.history.count(),
            Notice.objects.filter(contract=contract).count(),
        ),
        taken=lambda: (
            PerformanceAssessment.objects.get(pk=assessment.pk).status == AssessmentStatus.APPROVED
        ),
    )


RACES = {
    "variation approval": variation_approval,
    "KPI assessment approval (SMG)": assessment_approval,
    "return submission": return_submission,
    "dispute step": dispute_step,
    "dispute stage (SMG)": dispute_stage_move,
    "exit plan agreement": exit_plan_agreement,
    "transfer plan signature": transfer_plan_signature,
    "contract activation": contract_activation,
}


class Browser:
    """One signed-in user's cookies, sending raw HTTP to the live server."""

    def __init__(self, live_server, user):
        client = Client()
        client.force_login(user)
        self.host = urlsplit(live_server.url).netloc
        self.cookies = {"sessionid": client.cookies["sessionid"].value}

    def connection(self) -> http.client.HTTPConnection:
        connection = http.client.HTTPConnection(self.host, timeout=60)
        connection.connect()
        return connection

    def headers(self) -> dict:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}

    def get(self, path: str) -> tuple[int, str]:
        connection = self.connection()
        connection.request("GET", path, headers=self.headers())
        response = connection.getresponse()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie" and value.startswith("csrftoken="):
                self.cookies["csrftoken"] = value.split(";")[0].split("=", 1)[1]
        body = response.read().decode()
        connection.close()
        return response.status, body

    def post_when_ready(self, path: str, data: dict, ready: threading.Barrier):
        """Connect, wait until every racer is connected, then send the form."""
        connection = self.connection()
        body = urlencode(data)
        headers = {
            **self.headers(),
            "Content-Type": "application/x-www-form-urlencoded",
            "Content-Length": str(len(body)),
        }
        ready.wait()
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        result = response.status, html.unescape(response.read().decode())
        connection.close()
        return result


def _error_summary(page: str) -> str:
    found = re.search(r'govuk-error-summary__list">(.*?)</ul>', page, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))) if found else ""


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("machine", list(RACES))
def test_only_one_of_twenty_identical_requests_takes_the_step(machine, live_server):
    race = RACES[machine]()
    browser = Browser(live_server, race.user)
    status, form = browser.get(race.url)
    assert status == 200, form[:500]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    version = re.search(rf'name="{VERSION_FIELD}" value="(\d+)"', form).group(1)
    # Half post the form as the page drew it, with the version of the record it showed;
    # half post without one, as another client might.
    with_version = {**race.data, "csrfmiddlewaretoken": token, VERSION_FIELD: version}
    without_version = {**race.data, "csrfmiddlewaretoken": token}
    history_before = race.history()
    assert not race.taken()

    ready = threading.Barrier(RACERS)

    def race_in(n: int):
        data = with_version if n % 2 else without_version
        return VERSION_FIELD in data, *browser.post_when_ready(race.url, data, ready)

    with ThreadPoolExecutor(max_workers=RACERS) as pool:
        results = list(pool.map(race_in, range(RACERS)))

    statuses = [status for _, status, _ in results]
    assert 500 not in statuses, [_error_summary(page) or page[:300] for _, _, page in results]
    assert statuses.count(302) == 1, statuses
    for versioned, status, page in results:
        if status == 302:
            continue
        if versioned:
            # The page they saw is out of date: they are told who took the step, and when.
            assert status == 409, (status, _error_summary(page))
            assert f"{race.user.get_full_name()} changed this record on" in _error_summary(page)
        else:
            # No version to compare: the step's own check says why it cannot be taken.
            assert status == 400, (status, _error_summary(page))
            assert race.loser_message in _error_summary(page), _error_summary(page)
    assert race.taken()
    assert race.history() == tuple(count + 1 for count in history_before)
