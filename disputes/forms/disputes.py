from django import forms
from django.utils import timezone

from disputes.forms.steps import _date, _text, _yes_no
from disputes.models import disputes as rules
from disputes.models.disputes import Dispute
from governance.contactlog.models import ContactLogEntry
from governance.core.forms import (
    ChangeReasonMixin,
    GovukDecimalField,
    GovukForm,
    GovukModelForm,
)
from governance.templatetags.govuk import money, share_percent
from risks.models import Risk


class DisputeForm(ChangeReasonMixin, GovukModelForm):
    class Meta(GovukModelForm.Meta):
        model = Dispute
        fields = ["title", "nature", "description", "raised_on", "risks", "contact_entries"]
        widgets = {
            "nature": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 5}),
            "risks": forms.CheckboxSelectMultiple,
            "contact_entries": forms.CheckboxSelectMultiple,
        }
        labels = {"nature": "What kind of dispute is it?"}
        help_texts = {
            "description": "What went wrong, when, and why ordinary contract management "
            "cannot, or should not, resolve it.",
            "risks": "Risks and issues on this contract's log the dispute relates to.",
            "contact_entries": "Communications with the provider about it.",
        }
        error_messages = {
            "title": {"required": "Enter a short title for the dispute."},
            "nature": {"required": "Select what kind of dispute it is."},
            "description": {"required": "Describe the dispute."},
            "raised_on": {"required": "Enter the date the dispute was raised."},
        }

    def __init__(self, *args, contract=None, **kwargs):
        super().__init__(*args, **kwargs)
        contract = contract or getattr(self.instance, "contract", None)
        self.fields["risks"].queryset = Risk.objects.filter(contract=contract).order_by("pk")
        self.fields["contact_entries"].queryset = ContactLogEntry.objects.filter(
            contract=contract
        ).order_by("-occurred_at")
        if not self.instance.pk:
            self.fields["raised_on"].initial = timezone.localdate()


class AssessmentForm(GovukForm):
    assessed_on = _date("Date of the assessment", "Enter the date of the assessment.")
    financial_effect = GovukDecimalField(
        label="Estimated financial effect (£)",
        min_value=0,
        max_digits=14,
        decimal_places=2,
        error_messages={
            "required": "Enter the estimated financial effect, or 0.",
            "invalid": "Enter the financial effect as an amount, like 25,000.",
            "min_value": "The financial effect cannot be negative.",
        },
    )
    clients_affected_percent = GovukDecimalField(
        label="Share of the client group affected (%)",
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        error_messages={
            "required": "Enter the share of clients affected, or 0.",
            "invalid": "Enter the share as a number, like 12.5.",
            # Django fills in the limit with %-formatting: a percent sign is written %%.
            "min_value": "The share affected must be from 0 to 100%%.",
            "max_value": "The share affected must be from 0 to 100%%.",
        },
    )
    negligent_harm = _yes_no(
        "Has a client or member of staff been harmed through the provider's negligence?"
    )
    negligent_harm_note = _text("The harm and the negligence", help_text="Needed for a yes.")
    reputational_risk = _yes_no("Is the commissioner's reputation at risk?")
    reputational_risk_note = _text("The risk to reputation", help_text="Needed for a yes.")
    notes = _text("Notes")

    def __init__(self, *args, dispute=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessed_on"].initial = timezone.localdate()
        share = share_percent(rules.SIGNIFICANT_SHARE)
        self.fields["clients_affected_percent"].help_text = f"Significant from {share}."
        financial = f"Significant from {share} of the annual contract value"
        if dispute is not None:
            financial += f": {money(rules.significant_amount(dispute.contract.annual_value))}"
        self.fields["financial_effect"].help_text = f"{financial}."
