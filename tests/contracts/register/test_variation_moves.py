"""A variation's decisions are shown disabled with the service's own refusal, and a
decision offered is one the service accepts."""

import html
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from contracts.register.choices import VariationStatus
from contracts.register.services import contracts as services
from governance.core.roles import Role
from tests.contracts.register.factories import ContractFactory

pytestmark = pytest.mark.django_db


def propose(lead, contract, new_total):
    return services.variation_propose(
        contract=contract,
        actor=lead,
        summary="Uplift",
        justification="Inflation",
        requested_by="provider",
        new_total_value=Decimal(new_total),
    )


def refused(service, **kwargs) -> str:
    with pytest.raises(ValidationError) as refusal:
        service(**kwargs)
    return " ".join(refusal.value.messages)


def reasons(page: str) -> dict[str, str]:
    found = re.findall(r'data-testid="move-reason">(\w+) is not available yet: ([^<]*)</p>', page)
    return {label: html.unescape(text) for label, text in found}


def test_the_proposer_sees_approve_disabled_with_the_four_eyes_refusal(make_user, login):
    lead, deputy = make_user(role=Role.CONTRACT_MANAGER), make_user(role=Role.CONTRACT_MANAGER)
    contract = ContractFactory(lead_officer=lead, deputy_officer=deputy)
    variation = propose(
        lead, contract, (contract.total_value * Decimal("1.05")).quantize(Decimal("1"))
    )
    page = login(lead).get(variation.get_absolute_url()).content.decode()
    why = refused(services.variation_approve, variation=variation, actor=lead)
    assert why == "You proposed this variation, so someone else must approve it."
    assert reasons(page) == {"Approve": why}
    assert 'aria-disabled="true"' in page and "govuk-button--disabled" in page
    approve = reverse("contracts:variation_decide", args=[variation.pk, "approve"])
    assert approve not in page

    page = login(deputy).get(variation.get_absolute_url()).content.decode()
    assert reasons(page) == {} and approve in page
    assert login(deputy).post(approve, {"notes": ""}).status_code == 302
    variation.refresh_from_db()
    assert variation.status == VariationStatus.APPROVED


def test_an_officer_sees_that_smg_decides_a_material_change(make_user, login):
    lead = make_user(role=Role.CONTRACT_MANAGER)
    contract = ContractFactory(lead_officer=lead)
    variation = propose(
        lead, contract, (contract.total_value * Decimal("1.5")).quantize(Decimal("1"))
    )
    page = login(lead).get(variation.get_absolute_url()).content.decode()
    shown = reasons(page)
    assert shown["Approve"] == refused(services.variation_approve, variation=variation, actor=lead)
    assert "Senior Management Group must decide it" in shown["Approve"]
    assert shown["Reject"] == refused(
        services.variation_reject, variation=variation, actor=lead, notes="No"
    )
    assert "Withdraw" not in shown

    smg = make_user(role=Role.SMG)
    assert services.variation_moves(variation=variation, user=smg) == {
        "approve": [],
        "reject": [],
    }
    services.variation_approve(variation=variation, actor=smg)
    variation.refresh_from_db()
    assert services.variation_moves(variation=variation, user=smg) == {}
