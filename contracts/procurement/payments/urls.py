"""URLs of invoices and the Procurement Act 2023 payment duties."""

from django.urls import path

from contracts.procurement.payments.views import (
    ContractInvoices,
    InvoiceApprove,
    InvoiceDetail,
    InvoiceFormView,
    InvoiceHistory,
    InvoiceList,
    InvoicePay,
)
from governance.core.record_urls import record_urls

urlpatterns = [
    path("contracts/<int:pk>/invoices/", ContractInvoices.as_view(), name="contract_invoices"),
    path(
        "contracts/<int:parent_pk>/invoices/add/",
        InvoiceFormView.as_view(),
        name="invoice_create",
    ),
    path("invoices/", InvoiceList.as_view(), name="invoice_list"),
    *record_urls(
        "invoices", "invoice", detail=InvoiceDetail, update=InvoiceFormView, history=InvoiceHistory
    ),
    path("invoices/<int:pk>/approve/", InvoiceApprove.as_view(), name="invoice_approve"),
    path("invoices/<int:pk>/pay/", InvoicePay.as_view(), name="invoice_pay"),
]
