"""Where payments and open contracting data show on the pages: a payments notice's
figures and its download, the contract's record link, the register's bulk download, the
invoice register's help, and the contract's Invoices tab at a constant cost."""

import datetime
import html
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from contracts.procurement.choices import NoticeKind
from governance.core.roles import Role
from tests.contracts.procurement.factories import NoticeFactory, act_contract
from tests.contracts.procurement.invoice_factories import InvoiceFactory, PaidInvoiceFactory
from tests.contracts.register.factories import ContractFactory
from tests.view_cases import count_queries

D = datetime.date
NOW = datetime.datetime(2026, 12, 4, 10, 0, tzinfo=zoneinfo.ZoneInfo("Europe/London"))


@pytest.fixture(autouse=True)
def _friday_morning():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.django_db
class TestPages:
    def test_a_payments_compliance_notice_shows_its_figures_and_download(self, make_user, login):
        # One notice of the whole authority: its figures add up both contracts' payments,
        # with each contract's figures behind them.
        contract, other = act_contract(), act_contract()
        PaidInvoiceFactory(contract=contract, received_on=D(2026, 5, 1), paid_on=D(2026, 5, 21))
        PaidInvoiceFactory(contract=other, received_on=D(2026, 6, 1), paid_on=D(2026, 7, 15))
        notice = NoticeFactory(
            contract=None,
            kind=NoticeKind.PAYMENTS_COMPLIANCE,
            key="half-year",
            period_start=D(2026, 4, 1),
            period_end=D(2026, 9, 30),
        )
        page = login(make_user(role=Role.AUDITOR)).get(notice.get_absolute_url())
        text = html.unescape(page.content.decode())
        assert page.status_code == 200
        assert 'data-testid="payment-figures"' in text
        assert "1 (50.0%)" in text  # one of the two paid within 30 days
        assert "32.0" in text  # (20 + 44) / 2 days on average
        assert "Notice of the whole authority" in text
        by_contract = text.split('data-testid="payment-figures-by-contract"')[1]
        assert contract.reference in by_contract and other.reference in by_contract
        assert reverse("contracts:notice_ocds", args=[notice.pk]) in text
        provider = make_user(role=Role.PROVIDER, organisation=contract.provider)
        assert login(provider).get(notice.get_absolute_url()).status_code == 404

    def test_a_quarterly_publication_lists_the_payments_over_30000(self, make_user, login):
        contract = act_contract()
        large = PaidInvoiceFactory(
            contract=contract,
            amount=Decimal("52000"),
            received_on=D(2026, 7, 1),
            paid_on=D(2026, 7, 25),
        )
        small = PaidInvoiceFactory(
            contract=contract, received_on=D(2026, 7, 1), paid_on=D(2026, 7, 25)
        )
        notice = NoticeFactory(
            contract=contract,
            kind=NoticeKind.PAYMENTS_OVER_30K,
            period_start=D(2026, 7, 1),
            period_end=D(2026, 9, 30),
        )
        text = login(make_user(role=Role.SMG)).get(notice.get_absolute_url()).content.decode()
        assert large.reference in text
        assert small.reference not in text

    def test_other_notices_show_no_payment_figures(self, make_user, login):
        notice = NoticeFactory(kind=NoticeKind.CONTRACT_DETAILS)
        text = login(make_user(role=Role.SMG)).get(notice.get_absolute_url()).content.decode()
        assert "payment-figures" not in text
        assert reverse("contracts:notice_ocds", args=[notice.pk]) in text

    def test_the_contract_tab_and_register_offer_the_downloads(self, make_user, login):
        notice = NoticeFactory()
        client = login(make_user(role=Role.SMG))
        tab = client.get(reverse("contracts:contract_procurement", args=[notice.contract_id]))
        assert reverse("contracts:contract_ocds", args=[notice.contract_id]) in (
            tab.content.decode()
        )
        register = client.get(reverse("contracts:notice_list")).content.decode()
        assert reverse("contracts:notice_ocds_bulk") in register

    def test_the_invoice_register_explains_the_figures_it_uses(self, make_user, login, settings):
        settings.PROCUREMENT_INVOICE_PAYMENT_DAYS = 28
        text = html.unescape(
            login(make_user(role=Role.AUDITOR))
            .get(reverse("contracts:invoice_list"))
            .content.decode()
        )
        assert "About payments and the notices they owe" in text
        assert "Days to pay an undisputed invoice" in text
        assert "£30,000" in text
        assert "1 April 2026" in text

    def test_the_invoices_tab_costs_the_same_with_more_invoices(self, make_user, login):
        lead = make_user(role=Role.CONTRACT_MANAGER)
        contract = ContractFactory(lead_officer=lead)
        client = login(lead)
        url = reverse("contracts:contract_invoices", args=[contract.pk])
        InvoiceFactory(contract=contract, recorded_by=lead)
        count_queries(client, url)
        few = count_queries(client, url)
        for _ in range(10):
            PaidInvoiceFactory(contract=contract)
        assert count_queries(client, url) == few
