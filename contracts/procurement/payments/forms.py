"""Forms of the invoice register. They check the shape of what is typed; the rules are
in contracts.procurement.payments.services."""

from django import forms
from django.conf import settings

from contracts.procurement.payments.models import Invoice
from governance.core.forms import ChangeReasonMixin, GovukDateField, GovukForm, GovukModelForm


class InvoiceForm(ChangeReasonMixin, GovukModelForm):
    class Meta(GovukModelForm.Meta):
        model = Invoice
        fields = ["reference", "description", "amount", "received_on", "disputed", "dispute_reason"]
        widgets = {"dispute_reason": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "dispute_reason": "Only when the invoice is disputed: what is wrong with it.",
        }
        error_messages = {
            "reference": {"required": "Enter the invoice number."},
            "amount": {"required": "Enter the amount of the invoice."},
            "received_on": {"required": "Enter the date the invoice was received."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"].help_text = (
            "The day the invoice reached you. Undisputed invoices must be paid within "
            f"{settings.PROCUREMENT_INVOICE_PAYMENT_DAYS} days of it."
        )


class InvoiceApproveForm(GovukForm):
    approved_on = GovukDateField(
        label="Date approved for payment",
        error_messages={"required": "Enter the date the invoice was approved."},
    )


class InvoicePayForm(GovukForm):
    paid_on = GovukDateField(
        label="Date paid",
        help_text="The day the payment left your account.",
        error_messages={"required": "Enter the date the invoice was paid."},
    )
