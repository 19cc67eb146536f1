"""Pages of the invoice register: the contract's Invoices tab, the portfolio list with
its CSV export, each invoice with its history, and the record, approve and pay steps.
The rules live in contracts.procurement.payments.services."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

from contracts.procurement.payments import selectors, services
from contracts.procurement.payments.filtersets import PAYMENT_OPEN, InvoiceFilterSet
from contracts.procurement.payments.forms import InvoiceApproveForm, InvoiceForm, InvoicePayForm
from contracts.procurement.payments.models import Invoice
from contracts.register.models.contracts import Contract
from contracts.register.tabs import ContractRecordTabs, ContractTabs
from governance.core import deadlines
from governance.core.datepolicy import on
from governance.core.duties import is_same_person
from governance.core.permissions import officer_may, runs_contract
from governance.core.tables import Column, deadline_columns
from governance.core.views.base import (
    ChildFormView,
    ObjectActionView,
    ObjectDetailView,
    ObjectHistoryView,
    ObjectListView,
    record_tabs,
)
from governance.templatetags.govuk import money


def payment_settings() -> list[tuple[str, str]]:
    """The figures the payments duties use here, as the list page's help shows them."""
    return [
        ("Days to pay an undisputed invoice", str(settings.PROCUREMENT_INVOICE_PAYMENT_DAYS)),
        (
            "Payments compliance notice: Find a Tender code",
            settings.PROCUREMENT_PAYMENTS_COMPLIANCE_CODE,
        ),
        (
            "Payments compliance notice: due days after each half-year",
            str(settings.PROCUREMENT_UK17_DUE_DAYS),
        ),
        (
            "Payments compliance notice: first half-year counted from",
            on(settings.PROCUREMENT_PAYMENTS_COMPLIANCE_FROM),
        ),
        (
            "Payments published each quarter when over",
            money(settings.PROCUREMENT_LARGE_PAYMENT_THRESHOLD, pence=False),
        ),
        (
            "Quarterly publication: due days after the quarter",
            str(settings.PROCUREMENT_PAY30K_DUE_DAYS),
        ),
        (
            "Quarterly publication: first quarter from",
            on(settings.PROCUREMENT_LARGE_PAYMENTS_FROM),
        ),
        ("Open contracting identifiers start with", settings.PROCUREMENT_OCDS_OCID_PREFIX),
    ]


def invoices_url(contract_id: int) -> str:
    return reverse("contracts:contract_invoices", args=[contract_id])


def _payment_open(invoice: Invoice) -> bool:
    return invoice.paid_on is None and not invoice.disputed


class InvoiceList(ObjectListView):
    model = Invoice
    template_name = "contracts/procurement/invoices/invoice_list.html"
    selector = selectors.invoice_list
    filterset_class = InvoiceFilterSet
    title = "Invoices"
    empty_message = "No invoices match."
    columns = [
        Column("Invoice", "reference", sort="reference", link=True),
        Column("Contract", "contract.reference", sort="contract__reference"),
        Column("Provider", "contract.provider.name", sort="contract__provider__name"),
        Column("Description", "description", in_table=False),
        Column("Amount", "amount", sort="amount", money=True),
        Column("Received", "received_on", sort="received_on"),
        *deadline_columns(
            "Payment due",
            "due_on",
            deadlines.INVOICE_PAYMENT,
            sort="due_on",
            applies=_payment_open,
        ),
        Column("Status", "status_label"),
        Column("Disputed", "disputed", in_table=False),
        Column("Why disputed", "dispute_reason", in_table=False),
        Column("Approved", "approved_on", sort="approved_on", in_table=False),
        Column("Approved by", "approved_by", in_table=False),
        Column("Paid", "paid_on", sort="paid_on"),
        Column("Days to pay", "days_to_pay", numeric=True, in_table=False),
        Column("Paid on time", "paid_on_time", in_table=False),
        Column("Recorded by", "recorded_by", in_table=False),
    ]

    def default_ordering(self):
        """Overdue invoices first, then the soonest due; paid ones by date received."""
        return deadlines.ordering(
            "due_on",
            today=timezone.localdate(),
            kind=deadlines.INVOICE_PAYMENT,
            open_q=PAYMENT_OPEN,
            then=["-received_on", "contract__reference", "reference"],
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(payment_settings=payment_settings(), **kwargs)


class ContractInvoices(ContractTabs, ObjectDetailView):
    """The contract's invoice register, with how promptly it has paid."""

    template_name = "contracts/procurement/invoices/contract_invoices.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contract = self.object
        invoices = list(
            contract.invoices.select_related("approved_by", "recorded_by").order_by(
                "-received_on", "-pk"
            )
        )
        today = timezone.localdate()
        for invoice in invoices:
            invoice.payment_open = _payment_open(invoice)
        paid = [i for i in invoices if i.paid_on_time is not None]
        context.update(
            invoices=invoices,
            overdue=sum(1 for i in invoices if i.payment_open and i.due_on and i.due_on < today),
            paid_count=len(paid),
            paid_on_time=sum(1 for i in paid if i.paid_on_time),
            payment_days=settings.PROCUREMENT_INVOICE_PAYMENT_DAYS,
            may_add=officer_may(self.request.user, contract, Invoice, "add")
            and contract.status in services.INVOICE_CONTRACT_STATUSES,
            invoice_deadline=deadlines.INVOICE_PAYMENT,
        )
        return context


class InvoiceTabs(ContractRecordTabs):
    model = Invoice
    tabs = record_tabs("contracts:invoice")
    related = ("approved_by", "recorded_by")
    object_template = "contracts/procurement/invoices/invoice_base.html"

    def get_context_data(self, **kwargs):
        invoice = self.object
        user = self.request.user
        runs = officer_may(user, invoice.contract, Invoice, "change")
        return super().get_context_data(
            may_approve=runs
            and invoice.approved_on is None
            and not invoice.disputed
            and not is_same_person(user, invoice.recorded_by_id),
            may_pay=runs and invoice.approved_on is not None and invoice.paid_on is None,
            invoice_deadline=deadlines.INVOICE_PAYMENT,
            payment_open=_payment_open(invoice),
            **kwargs,
        )


class InvoiceDetail(InvoiceTabs, ObjectDetailView):
    template_name = "contracts/procurement/invoices/invoice_detail.html"


class InvoiceHistory(InvoiceTabs, ObjectHistoryView):
    pass


class InvoiceFormView(ChildFormView):
    """Records an invoice on a contract (``parent_pk``) or corrects one (``pk``)."""

    model = Invoice
    parent_model = Contract
    form_class = InvoiceForm
    create_service = services.invoice_record
    update_service = services.invoice_update

    def get_title(self):
        if self.editing:
            return f"Change {self.object_label}"
        return f"Record an invoice for {self.parent.reference}"

    def get_cancel_url(self):
        if self.editing:
            return self.object.get_absolute_url()
        return invoices_url(self.parent.pk)


class InvoiceStep(InvoiceTabs, ObjectActionView):
    """A step on an invoice: found among those the user may see, then refused (403) to
    anyone who does not run its contract."""

    permission_action = "change"
    object_field = "invoice"

    def has_object_permission(self):
        return runs_contract(self.request.user, self.object.contract)


class InvoiceApprove(InvoiceStep):
    form_class = InvoiceApproveForm
    service = services.invoice_approve
    title = "Approve the invoice for payment"
    submit_label = "Approve for payment"
    success_message = "Invoice approved for payment."
    description = (
        "Check the invoice against what was delivered before approving it. Someone other "
        "than whoever recorded it must approve it."
    )

    def has_object_permission(self):
        return super().has_object_permission() and not is_same_person(
            self.request.user, self.object.recorded_by_id
        )


class InvoicePay(InvoiceStep):
    form_class = InvoicePayForm
    service = services.invoice_pay
    title = "Record the payment"
    submit_label = "Record the payment"
    success_message = "Payment recorded."

    def get(self, request, *args, **kwargs):
        if self.object.paid_on:
            messages.info(request, f"This invoice was paid on {self.object.paid_on:%-d %B %Y}.")
            return HttpResponseRedirect(self.object.get_absolute_url())
        return super().get(request, *args, **kwargs)
