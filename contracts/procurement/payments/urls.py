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

urlpatterns = [
    path("contracts/<int:pk>/invoices/", ContractInvoices.as_view(), name="contract_invoices"),
    path(
        "contracts/<int:parent_pk>/invoices/add/",
        InvoiceFormView.as_view(),
        name="invoice_create",
    ),
    path("invoices/", InvoiceList.as_view(), name="invoice_list"),
    path("invoices/<int:pk>/", InvoiceDetail.as_view(), name="invoice_detail"),
    path("invoices/<int:pk>/edit/", InvoiceFormView.as_view(), name="invoice_update"),
    path("invoices/<int:pk>/approve/", InvoiceApprove.as_view(), name="invoice_approve"),
    path("invoices/<int:pk>/pay/", InvoicePay.as_view(), name="invoice_pay"),
    path("invoices/<int:pk>/history/", InvoiceHistory.as_view(), name="invoice_history"),
]
