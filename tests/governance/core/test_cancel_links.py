"""Cancelling a form goes back where the person came from: an add page to the contract's
tab that lists such records (``parent_tab``), an edit page to the record itself."""

import pytest
from django.urls import reverse

from contracts.assurance.views.audits import AuditFormView, ComplaintFormView
from contracts.performance.views.kpis import ContractKpiFormView
from contracts.procurement.performance.views import AssessmentFormView, FailureFormView
from contracts.register.views.contracts import VariationCreate
from disputes.views.disputes import DisputeFormView
from governance.contactlog.views import ContactLogFormView
from governance.meetings.views.meetings import MeetingFormView
from tests.contracts.register.factories import ContractFactory

pytestmark = pytest.mark.django_db

TABS = [
    (ComplaintFormView, "contracts:contract_complaints"),
    (AuditFormView, "contracts:contract_audits"),
    (ContractKpiFormView, "contracts:contract_kpis"),
    (AssessmentFormView, "contracts:contract_performance"),
    (FailureFormView, "contracts:contract_performance"),
    (ContactLogFormView, "governance:contract_contact_log"),
    (MeetingFormView, "governance:contract_meetings"),
    (DisputeFormView, "disputes:contract_disputes"),
]


def page(view_class, contract, **kwargs):
    view = view_class()
    view.kwargs, view.parent = kwargs, contract
    return view


@pytest.mark.parametrize(("view_class", "tab"), TABS)
def test_a_cancelled_add_returns_to_the_contracts_tab(view_class, tab):
    contract = ContractFactory()
    assert page(view_class, contract, parent_pk=contract.pk).get_cancel_url() == reverse(
        tab, args=[contract.pk]
    )


def test_without_a_tab_a_cancelled_add_returns_to_the_parent():
    contract = ContractFactory()
    assert VariationCreate.parent_tab == ""
    cancel = page(VariationCreate, contract, parent_pk=contract.pk).get_cancel_url()
    assert cancel == contract.get_absolute_url()


def test_a_cancelled_edit_returns_to_the_record():
    contract = ContractFactory()
    view = page(ComplaintFormView, contract, pk=1)
    view.object = contract  # any record with a page of its own
    assert view.get_cancel_url() == contract.get_absolute_url()
