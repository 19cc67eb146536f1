"""A dispute's move whose precondition is not met is shown disabled with what is missing,
from the move's own guards, rather than offered and refused after its form; the service
still refuses it."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from disputes import services
from disputes.choices import Stage
from governance.core.roles import Role
from tests.disputes.factories import D, DisputeFactory, contract_with_officers, walk
from tests.governance.core.factories import UserFactory

pytestmark = pytest.mark.django_db
RECEIPT_FIRST = "Record when the provider confirmed receipt of the notice first."


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime.datetime(2026, 6, 16, 12), tick=False):
        yield


def at_stage_2():
    contract = contract_with_officers()
    lead, smg = contract.lead_officer, UserFactory(roles=[Role.SMG])
    dispute = walk(DisputeFactory(contract=contract), lead, smg, Stage.STAGE_2)
    dispute.refresh_from_db()
    return dispute, lead


def test_the_blockers_come_from_the_moves_own_guards():
    dispute, _ = at_stage_2()
    assert services.transition_blockers(dispute, Stage.STAGE_3) == [RECEIPT_FIRST]
    # Closing depends on the outcome chosen on its form: nothing blocks it beforehand.
    assert services.transition_blockers(dispute, Stage.CLOSED) == []


def test_stage_3_is_disabled_with_why_until_receipt_is_confirmed(login):
    dispute, lead = at_stage_2()
    client = login(lead)
    move = reverse("disputes:dispute_transition", args=[dispute.pk, Stage.STAGE_3])
    page = client.get(dispute.get_absolute_url()).content.decode()
    assert 'data-testid="move-disabled"' in page and f'href="{move}"' not in page
    assert f"Move to Stage 3: dispute meeting is not available yet: {RECEIPT_FIRST}" in page
    # The service still refuses it.
    with pytest.raises(ValidationError) as refused:
        services.dispute_transition(
            dispute=dispute,
            to_stage=Stage.STAGE_3,
            actor=lead,
            meeting_held_on=D(2026, 6, 15),
            meeting_resolved=False,
            meeting_outcome="No agreement.",
        )
    assert RECEIPT_FIRST in refused.value.messages
    services.dispute_record_step(
        dispute=dispute, step="receipt_confirmed", actor=lead, on=D(2026, 6, 15)
    )
    page = client.get(dispute.get_absolute_url()).content.decode()
    assert f'href="{move}"' in page and 'data-testid="move-disabled"' not in page
