"""The invoice register: recording, approving (four eyes) and paying invoices, the
30-day due date, the refusals, and the pages with their permissions."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from contracts.models import Invoice
from contracts.procurement.payments import services
from contracts.procurement.payments.selectors import payment_performance
from contracts.register.choices import ContractStatus
from governance.core.roles import Role
from tests.checks import date_data
from tests.contracts.procurement.invoice_factories import InvoiceFactory, PaidInvoiceFactory
from tests.contracts.register.factories import ContractFactory, OrganisationFactory
from tests.view_cases import ActionPage, ActionPageTests, ModelViewTests

D = datetime.date
LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2026, 12, 4, 10, 0, tzinfo=LONDON)

INVOICE_CSV_HEADER = (
    "Invoice",
    "Contract",
    "Provider",
    "Description",
    "Amount",
    "Received",
    "Payment due",
    "Payment due: missed or due",
    "Status",
    "Disputed",
    "Why disputed",
    "Approved",
    "Approved by",
    "Paid",
    "Days to pay",
    "Paid on time",
    "Recorded by",
)


@pytest.fixture(autouse=True)
def _friday_morning():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def officers(make_user):
    lead = make_user(role=Role.CONTRACT_MANAGER)
    deputy = make_user(role=Role.CONTRACT_MANAGER)
    contract = ContractFactory(lead_officer=lead, deputy_officer=deputy)
    return contract, lead, deputy


def record(contract, actor, **fields):
    values = {
        "reference": "INV-1001",
        "amount": Decimal("45000.00"),
        "received_on": D(2026, 11, 2),
        "description": "October service fee",
    }
    values.update(fields)
    return services.invoice_record(contract=contract, actor=actor, **values)


@pytest.mark.django_db
class TestRecording:
    def test_an_undisputed_invoice_is_due_30_days_after_it_arrives(self, officers):
        contract, lead, _ = officers
        invoice = record(contract, lead, received_on=D(2026, 11, 2))
        assert invoice.due_on == D(2026, 12, 2)
        assert invoice.status == "received"
        latest = invoice.history.get()
        assert latest.history_user == lead
        assert latest.history_change_reason == "Invoice recorded"

    def test_the_due_date_is_calendar_days_even_on_a_weekend_or_bank_holiday(self, officers):
        contract, lead, _ = officers
        # 30 days after 24 November 2026 is Thursday 24 December; after 26 November,
        # Saturday 26 December (Boxing Day); after 27 November, Sunday 27 December.
        assert record(contract, lead, reference="A", received_on=D(2026, 11, 24)).due_on == D(
            2026, 12, 24
        )
        assert record(contract, lead, reference="B", received_on=D(2026, 11, 26)).due_on == D(
            2026, 12, 26
        )
        assert record(contract, lead, reference="C", received_on=D(2026, 11, 27)).due_on == D(
            2026, 12, 27
        )

    def test_the_setting_sets_the_days(self, officers, settings):
        settings.PROCUREMENT_INVOICE_PAYMENT_DAYS = 10
        contract, lead, _ = officers
        assert record(contract, lead).due_on == D(2026, 11, 12)

    def test_a_disputed_invoice_has_no_due_date_until_the_dispute_ends(self, officers):
        contract, lead, _ = officers
        invoice = record(contract, lead, disputed=True, dispute_reason="Hours overstated")
        assert invoice.due_on is None
        assert invoice.status == "disputed"
        services.invoice_update(
            instance=invoice,
            actor=lead,
            reason="Credit note received",
            reference=invoice.reference,
            amount=Decimal("40000.00"),
            received_on=invoice.received_on,
            disputed=False,
        )
        invoice.refresh_from_db()
        assert invoice.due_on == D(2026, 12, 2)
        assert invoice.dispute_reason == ""

    @pytest.mark.parametrize(
        "fields, field, message",
        [
            ({"reference": " "}, "reference", "Enter the invoice number."),
            ({"amount": None}, "amount", "Enter the amount of the invoice."),
            ({"amount": Decimal("0")}, "amount", "The amount must be more than £0."),
            ({"received_on": None}, "received_on", "Enter the date the invoice was received."),
            ({"disputed": True}, "dispute_reason", "Say why the invoice is disputed."),
            (
                {"received_on": D(2026, 12, 5)},
                "received_on",
                "The date received must be between 4 December 2024 and 4 December 2026.",
            ),
        ],
    )
    def test_bad_input_is_refused_beside_its_field(self, officers, fields, field, message):
        contract, lead, _ = officers
        with pytest.raises(ValidationError) as refused:
            record(contract, lead, **fields)
        assert message in refused.value.message_dict[field]
        assert not Invoice.objects.exists()

    def test_an_invoice_number_is_used_once_per_contract(self, officers):
        contract, lead, _ = officers
        record(contract, lead, reference="INV-7")
        with pytest.raises(ValidationError) as refused:
            record(contract, lead, reference="inv-7")
        assert refused.value.message_dict["reference"] == [
            "This contract already has invoice inv-7."
        ]
        # Another contract may have the same number.
        other = ContractFactory(lead_officer=lead)
        record(other, lead, reference="INV-7")

    def test_only_the_contracts_officers_record_invoices(self, officers, make_user):
        contract, _, _ = officers
        for role in (Role.CONTRACT_MANAGER, Role.SMG, Role.AUDITOR, Role.PROVIDER):
            with pytest.raises(ValidationError, match="lead or deputy officer"):
                record(contract, make_user(role=role))
        assert not Invoice.objects.exists()

    def test_a_contract_not_yet_started_takes_no_invoices(self, make_user):
        lead = make_user(role=Role.CONTRACT_MANAGER)
        draft = ContractFactory(lead_officer=lead, status=ContractStatus.DRAFT)
        with pytest.raises(ValidationError, match="once the contract is active"):
            record(draft, lead)

    def test_an_ended_contract_still_takes_its_last_invoices(self, make_user):
        lead = make_user(role=Role.CONTRACT_MANAGER)
        ended = ContractFactory(lead_officer=lead, status=ContractStatus.ENDED)
        assert record(ended, lead).pk


@pytest.mark.django_db
class TestApprovalAndPayment:
    def test_someone_else_approves_then_it_is_paid(self, officers):
        contract, lead, deputy = officers
        invoice = record(contract, lead)
        services.invoice_approve(invoice=invoice, actor=deputy, approved_on=D(2026, 11, 4))
        invoice.refresh_from_db()
        assert (invoice.approved_on, invoice.approved_by, invoice.status) == (
            D(2026, 11, 4),
            deputy,
            "approved",
        )
        services.invoice_pay(invoice=invoice, actor=lead, paid_on=D(2026, 11, 20))
        invoice.refresh_from_db()
        assert invoice.status == "paid"
        assert invoice.days_to_pay == 18
        assert invoice.paid_on_time is True
        reasons = list(invoice.history.order_by("history_id").values_list("history_change_reason"))
        assert reasons == [("Invoice recorded",), ("Approved for payment",), ("Payment recorded",)]

    def test_whoever_recorded_it_cannot_approve_it(self, officers):
        contract, lead, _ = officers
        invoice = record(contract, lead)
        with pytest.raises(ValidationError) as refused:
            services.invoice_approve(invoice=invoice, actor=lead, approved_on=D(2026, 11, 4))
        assert refused.value.messages == [
            "You recorded this invoice, so someone else must approve it for payment."
        ]
        invoice.refresh_from_db()
        assert invoice.approved_on is None

    def test_a_disputed_invoice_is_not_approved(self, officers):
        contract, lead, deputy = officers
        invoice = record(contract, lead, disputed=True, dispute_reason="Wrong rate")
        with pytest.raises(ValidationError, match="disputed"):
            services.invoice_approve(invoice=invoice, actor=deputy, approved_on=D(2026, 11, 4))

    def test_approval_before_receipt_is_refused(self, officers):
        contract, lead, deputy = officers
        invoice = record(contract, lead)
        with pytest.raises(ValidationError) as refused:
            services.invoice_approve(invoice=invoice, actor=deputy, approved_on=D(2026, 11, 1))
        assert (
            "cannot be before the date the invoice was received (2 November 2026)"
            in (refused.value.message_dict["approved_on"][0])
        )

    def test_paid_before_it_was_received_is_refused_with_a_clear_message(self, officers):
        contract, lead, deputy = officers
        invoice = InvoiceFactory(
            contract=contract,
            recorded_by=lead,
            received_on=D(2026, 11, 2),
            approved_on=D(2026, 11, 2),
            approved_by=deputy,
        )
        with pytest.raises(ValidationError) as refused:
            services.invoice_pay(invoice=invoice, actor=lead, paid_on=D(2026, 10, 30))
        assert refused.value.message_dict["paid_on"] == [
            "The date paid cannot be before the date the invoice was received (2 November 2026)."
        ]
        invoice.refresh_from_db()
        assert invoice.paid_on is None
        assert invoice.history.count() == 1  # its creation only

    def test_moving_the_receipt_after_the_payment_is_refused(self, officers):
        contract, lead, _ = officers
        invoice = PaidInvoiceFactory(contract=contract, recorded_by=lead)
        with pytest.raises(ValidationError) as refused:
            services.invoice_update(
                instance=invoice,
                actor=lead,
                reason="Typo",
                reference=invoice.reference,
                amount=invoice.amount,
                received_on=invoice.paid_on + datetime.timedelta(days=1),
            )
        assert "cannot be after the date it was" in refused.value.message_dict["received_on"][0]

    def test_payment_needs_approval_first_and_happens_once(self, officers):
        contract, lead, deputy = officers
        invoice = record(contract, lead)
        with pytest.raises(ValidationError, match="Approve the invoice"):
            services.invoice_pay(invoice=invoice, actor=lead, paid_on=D(2026, 11, 20))
        services.invoice_approve(invoice=invoice, actor=deputy, approved_on=D(2026, 11, 4))
        services.invoice_pay(invoice=invoice, actor=lead, paid_on=D(2026, 11, 20))
        with pytest.raises(ValidationError, match="already paid on 20 November 2026"):
            services.invoice_pay(invoice=invoice, actor=lead, paid_on=D(2026, 11, 21))

    def test_a_payment_date_in_the_future_is_refused(self, officers):
        contract, lead, deputy = officers
        invoice = record(contract, lead)
        services.invoice_approve(invoice=invoice, actor=deputy, approved_on=D(2026, 11, 4))
        with pytest.raises(ValidationError) as refused:
            services.invoice_pay(invoice=invoice, actor=lead, paid_on=D(2026, 12, 7))
        assert "The date paid must be between" in refused.value.message_dict["paid_on"][0]


@pytest.mark.django_db
class TestPaymentPerformance:
    def test_share_on_time_and_average_days_leave_disputed_invoices_apart(self, officers):
        contract, _, _ = officers
        start, end = D(2026, 4, 1), D(2026, 9, 30)
        for received, paid in [
            (D(2026, 4, 1), D(2026, 5, 1)),  # day 30: on time
            (D(2026, 5, 1), D(2026, 6, 1)),  # day 31: late
            (D(2026, 9, 1), D(2026, 9, 10)),  # day 9
        ]:
            PaidInvoiceFactory(contract=contract, received_on=received, paid_on=paid)
        PaidInvoiceFactory(
            contract=contract, received_on=D(2026, 6, 1), paid_on=D(2026, 8, 1), disputed=True
        )
        # Paid the day after the period ends: in the next period.
        PaidInvoiceFactory(contract=contract, received_on=D(2026, 9, 20), paid_on=D(2026, 10, 1))
        performance = payment_performance(contract, start, end)
        assert (performance.paid, performance.paid_on_time, performance.disputed) == (3, 2, 1)
        assert performance.share_on_time == Decimal("66.7")
        assert performance.average_days == Decimal("23.3")  # (30 + 31 + 9) / 3
        assert performance.amount_paid == Decimal("50000.00")

    def test_nothing_paid_has_no_share(self, officers):
        contract, _, _ = officers
        performance = payment_performance(contract, D(2026, 4, 1), D(2026, 9, 30))
        assert performance.share_on_time is None
        assert performance.average_days is None


class TestInvoiceViews(ModelViewTests):
    model = Invoice
    list_url_name = "contracts:invoice_list"
    detail_url_name = "contracts:invoice_detail"
    tab_url_names = ("contracts:invoice_history",)
    update_url_name = "contracts:invoice_update"
    csv_header = INVOICE_CSV_HEADER

    def make_writer(self):
        writer = self.make_user(role=Role.CONTRACT_MANAGER)
        self.contract = ContractFactory(lead_officer=writer)
        return writer

    def make(self, **kwargs):
        return InvoiceFactory(
            contract=ContractFactory(lead_officer=self.writer), recorded_by=self.writer, **kwargs
        )

    def out_of_scope(self, make_user):
        return make_user(role=Role.PROVIDER, organisation=OrganisationFactory()), self.make()

    def list_text(self, obj) -> str:
        return obj.reference

    def create_url(self):
        return reverse("contracts:invoice_create", args=[self.contract.pk])

    def create_data(self):
        return {
            "reference": "INV-2044",
            "description": "November service fee",
            "amount": "£31,250.00",
            **date_data("received_on", D(2026, 11, 30)),
        }

    def update_data(self, obj):
        return {
            "reference": obj.reference,
            "description": obj.description,
            "amount": "12,600",
            **date_data("received_on", obj.received_on),
            "disputed": "on",
            "dispute_reason": "Hours do not match the timesheets.",
        }

    def test_providers_see_their_own_invoices_and_change_nothing(self, make_user, login):
        invoice = self.make()
        provider = make_user(role=Role.PROVIDER, organisation=invoice.contract.provider)
        client = login(provider)
        assert invoice.reference in client.get(reverse(self.list_url_name)).content.decode()
        assert client.get(reverse(self.detail_url_name, args=[invoice.pk])).status_code == 200
        url = reverse("contracts:invoice_create", args=[invoice.contract.pk])
        assert client.get(url).status_code == 403

    def test_the_contract_tab_lists_the_invoices_with_their_deadlines(self, login):
        overdue = self.make(received_on=D(2026, 10, 1))  # due 31 October
        client = login(self.writer)
        page = client.get(reverse("contracts:contract_invoices", args=[overdue.contract_id]))
        text = page.content.decode()
        assert page.status_code == 200
        assert overdue.reference in text
        assert "1 overdue" in text
        assert "Missed 34 days ago" in text

    def test_paid_before_received_on_the_page_saves_nothing(self, make_user, login):
        deputy = make_user(role=Role.CONTRACT_MANAGER)
        invoice = self.make(received_on=D(2026, 11, 2), approved_on=D(2026, 11, 3))
        invoice.contract.deputy_officer = deputy
        invoice.contract.save()
        client = login(self.writer)
        url = reverse("contracts:invoice_pay", args=[invoice.pk])
        response = client.post(url, date_data("paid_on", D(2026, 11, 1)))
        assert response.status_code == 400
        assert "The date paid cannot be before the date the invoice was received" in (
            response.content.decode()
        )
        invoice.refresh_from_db()
        assert invoice.paid_on is None

    def test_the_list_filters_overdue_invoices(self, login):
        overdue = self.make(received_on=D(2026, 10, 1))
        current = self.make(received_on=D(2026, 12, 1))
        client = login(self.writer)
        text = client.get(reverse(self.list_url_name) + "?deadline=missed").content.decode()
        assert overdue.reference in text
        assert current.reference not in text


@pytest.mark.django_db
class TestInvoiceSteps(ActionPageTests):
    def action_pages(self, make_user):
        lead = make_user(role=Role.CONTRACT_MANAGER)
        deputy = make_user(role=Role.CONTRACT_MANAGER)
        contract = ContractFactory(lead_officer=lead, deputy_officer=deputy)
        received = InvoiceFactory(contract=contract, recorded_by=lead)
        approved = InvoiceFactory(
            contract=contract, recorded_by=lead, approved_on=D(2026, 10, 6), approved_by=deputy
        )
        outsiders = {
            "another contract manager": make_user(role=Role.CONTRACT_MANAGER),
            "SMG": make_user(role=Role.SMG),
            "auditor": make_user(role=Role.AUDITOR),
        }
        return {
            "approve": ActionPage(
                url=reverse("contracts:invoice_approve", args=[received.pk]),
                record=received,
                allowed=deputy,
                refused={"whoever recorded it": lead, **outsiders},
            ),
            "pay": ActionPage(
                url=reverse("contracts:invoice_pay", args=[approved.pk]),
                record=approved,
                allowed=lead,
                refused=outsiders,
            ),
        }
