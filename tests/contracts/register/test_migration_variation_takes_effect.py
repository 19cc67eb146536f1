"""Migration 0020 records when each variation approved before it took effect: at its
approval, as approval changed the contract's terms until then. Other variations wait for
nothing and have no such date."""

import datetime

import pytest

from tests.contracts.register.factories import ContractFactory
from tests.governance.core.factories import UserFactory
from tests.governance.core.migrating import migrate_to

BEFORE = [("contracts", "0019_plain_english")]
AFTER = [("contracts", "0020_variation_takes_effect")]


@pytest.mark.django_db(transaction=True)
def test_approved_variations_took_effect_when_they_were_decided():
    contract = ContractFactory()
    officer = UserFactory()
    decided = datetime.datetime(2026, 5, 12, 10, 30, tzinfo=datetime.UTC)
    try:
        apps = migrate_to(BEFORE)
        Variation = apps.get_model("contracts", "Variation")

        def variation(number, status, decided_at=None):
            return Variation.objects.create(
                contract_id=contract.pk,
                number=number,
                summary="Change",
                justification="Demand has changed.",
                requested_by="commissioner",
                proposed_by_id=officer.pk,
                status=status,
                decided_at=decided_at,
            ).pk

        approved = variation(1, "approved", decided)
        rejected = variation(2, "rejected", decided)
        proposed = variation(3, "proposed")
        # Approved with no decision time recorded: it took effect, so it waits for nothing.
        undated = variation(4, "approved")
        proposed_at = Variation.objects.get(pk=undated).proposed_at

        apps = migrate_to(AFTER)
        Variation = apps.get_model("contracts", "Variation")
        took_effect = dict(Variation.objects.values_list("pk", "applied_at"))
        assert took_effect == {
            approved: decided,
            rejected: None,
            proposed: None,
            undated: proposed_at,
        }
    finally:
        migrate_to()
