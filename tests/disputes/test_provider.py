"""Provider staff see the disputes put to their organisation (timeline and notices,
never the commissioner's notes or SMG's briefings and decisions) and confirm receipt of
a notice themselves."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from disputes import services
from disputes.choices import EventKind, Stage
from disputes.models.disputes import DisputeEvent
from governance.core.roles import Role
from tests.disputes.factories import D, DisputeFactory, contract_with_officers, walk
from tests.governance.core.factories import UserFactory
from tests.view_cases import count_queries

pytestmark = pytest.mark.django_db
TODAY = datetime.datetime(2026, 6, 16, 12)
INTERNAL_NOTE = "Internal: our legal team thinks their case is weak"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


def provider_of(contract):
    return UserFactory(roles=[Role.PROVIDER], organisation=contract.provider)


def at_notice():
    """A dispute at stage 2 whose notice asks for confirmation of receipt, with an
    internal note and SMG's briefing on its timeline."""
    contract = contract_with_officers()
    lead, smg = contract.lead_officer, UserFactory(roles=[Role.SMG])
    dispute = walk(DisputeFactory(contract=contract), lead, smg, Stage.STAGE_2)
    services.dispute_record_step(dispute=dispute, step="note", actor=lead, notes=INTERNAL_NOTE)
    dispute.refresh_from_db()
    return dispute


def detail(dispute):
    return reverse("disputes:provider_dispute_detail", args=[dispute.pk])


def confirm(dispute):
    return reverse("disputes:provider_dispute_receipt_confirm", args=[dispute.pk])


class TestWhoSeesWhat:
    def test_anonymous_people_are_sent_to_sign_in(self, client):
        dispute = at_notice()
        for url in (reverse("disputes:provider_dispute_list"), detail(dispute)):
            response = client.get(url)
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    def test_commissioner_staff_use_their_own_pages(self, login):
        dispute = at_notice()
        client = login(dispute.contract.lead_officer)
        assert client.get(reverse("disputes:provider_dispute_list")).status_code == 403
        assert client.get(detail(dispute)).status_code == 403
        assert client.post(confirm(dispute)).status_code == 403

    def test_a_provider_of_another_contract_gets_404(self, login):
        dispute = at_notice()
        other = provider_of(contract_with_officers())
        client = login(other)
        assert client.get(detail(dispute)).status_code == 404
        assert client.post(confirm(dispute)).status_code == 404
        listing = client.get(reverse("disputes:provider_dispute_list")).content.decode()
        assert dispute.reference not in listing
        dispute.refresh_from_db()
        assert dispute.receipt_confirmed_on is None

    def test_the_commissioner_pages_stay_closed_to_providers(self, login):
        dispute = at_notice()
        client = login(provider_of(dispute.contract))
        assert client.get(dispute.get_absolute_url()).status_code == 403
        assert client.get(reverse("disputes:dispute_history", args=[dispute.pk])).status_code == 403

    def test_a_dispute_not_yet_put_to_the_provider_is_not_theirs_to_see(self, login):
        contract = contract_with_officers()
        dispute = DisputeFactory(contract=contract)
        for step, day in (("pdm_told", D(2026, 6, 1)), ("smg_briefed", D(2026, 6, 2))):
            services.dispute_record_step(
                dispute=dispute, step=step, actor=contract.lead_officer, on=day
            )
        client = login(provider_of(contract))
        assert client.get(detail(dispute)).status_code == 404


class TestTheProvidersPage:
    def test_timeline_and_notice_without_internal_notes_or_smg(self, login):
        dispute = at_notice()
        client = login(provider_of(dispute.contract))
        listing = client.get(reverse("disputes:provider_dispute_list")).content.decode()
        assert dispute.reference in listing and detail(dispute) in listing
        page = client.get(detail(dispute)).content.decode()
        assert "Written notice" in page and "12 June 2026" in page
        assert "Erin Escalation" in page
        assert "Concern put to the provider in writing" in page
        assert "Stage changed: " in page and "Written notice sent to" in page
        # Never the commissioner's notes, SMG's briefing or SMG's agreement.
        assert INTERNAL_NOTE not in page
        assert "SMG briefed" not in page and "SMG agreed" not in page
        assert "Policy development manager told" not in page
        assert dispute.description not in page

    def test_queries_do_not_grow_with_disputes(self, login):
        dispute = at_notice()
        user = provider_of(dispute.contract)
        client = login(user)
        url = reverse("disputes:provider_dispute_list")
        before = count_queries(client, url)
        lead, smg = dispute.contract.lead_officer, UserFactory(roles=[Role.SMG])
        for _ in range(3):
            walk(DisputeFactory(contract=dispute.contract), lead, smg, Stage.STAGE_2)
        assert count_queries(client, url) == before


class TestReceipt:
    def test_the_provider_confirms_receipt_with_who_and_when_in_history(self, login):
        dispute = at_notice()
        user = provider_of(dispute.contract)
        client = login(user)
        page = client.get(detail(dispute)).content.decode()
        assert 'data-testid="confirm-receipt"' in page
        response = client.post(confirm(dispute))
        assert response.status_code == 302 and response["Location"] == detail(dispute)
        dispute.refresh_from_db()
        assert dispute.receipt_confirmed_on == TODAY.date()
        latest = dispute.history.first()
        assert latest.history_user == user
        assert str(user) in latest.history_change_reason
        event = DisputeEvent.objects.get(dispute=dispute, kind=EventKind.RECEIPT_CONFIRMED)
        assert event.recorded_by == user and event.occurred_on == TODAY.date()
        page = client.get(detail(dispute)).content.decode()
        assert "Confirmed on 16 June 2026" in page
        assert 'data-testid="confirm-receipt"' not in page

    def test_confirming_twice_is_refused_and_changes_nothing(self, login):
        dispute = at_notice()
        client = login(provider_of(dispute.contract))
        client.post(confirm(dispute))
        history = dispute.history.count()
        response = client.post(confirm(dispute), follow=True)
        assert "Receipt was already confirmed on 16 June 2026" in response.content.decode()
        assert dispute.history.count() == history
        assert (
            DisputeEvent.objects.filter(dispute=dispute, kind=EventKind.RECEIPT_CONFIRMED).count()
            == 1
        )

    def test_no_notice_waiting_means_no_button_and_a_refusal(self, login):
        contract = contract_with_officers()
        lead, smg = contract.lead_officer, UserFactory(roles=[Role.SMG])
        dispute = walk(DisputeFactory(contract=contract), lead, smg, Stage.INFORMAL)
        client = login(provider_of(contract))
        page = client.get(detail(dispute)).content.decode()
        assert 'data-testid="confirm-receipt"' not in page
        response = client.post(confirm(dispute), follow=True)
        assert "There is no dispute notice waiting for you to confirm" in response.content.decode()
        dispute.refresh_from_db()
        assert dispute.receipt_confirmed_on is None

    def test_an_auditor_cannot_confirm(self, login):
        dispute = at_notice()
        client = login(UserFactory(roles=[Role.AUDITOR]))
        assert client.post(confirm(dispute)).status_code == 403
