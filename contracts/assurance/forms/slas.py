"""Forms of SLAs and the contracts checklist. They check the shape of what is typed;
the services in contracts.services.slas and contracts.services.checklist hold the rules."""

from django import forms

from contracts.assurance.models.slas import (
    ChecklistItem,
    ChecklistItemType,
    ImprovementPlanItem,
    ServiceLevelAgreement,
)
from contracts.assurance.services.checklist import missing_standard_types
from contracts.register.forms import (
    _contact_label,
    _person_label,
    commissioner_people,
    provider_people,
)
from contracts.register.models.contracts import Contract
from contracts.register.models.organisations import Contact
from governance.core.forms import ChangeReasonMixin, GovukDateField, GovukForm, GovukModelForm
from governance.core.models.base import User


class SlaForm(ChangeReasonMixin, GovukModelForm):
    class Meta(GovukModelForm.Meta):
        model = ServiceLevelAgreement
        fields = [
            "commissioner_contacts",
            "provider_contacts",
            "service_requirements",
            "report_due_business_days",
            "meeting_cadence",
            "reporting_arrangements",
            "clarifications",
        ]
        widgets = {
            "commissioner_contacts": forms.CheckboxSelectMultiple,
            "provider_contacts": forms.CheckboxSelectMultiple,
            "service_requirements": forms.Textarea(attrs={"rows": 8}),
            # GOV.UK asks for a text input with a numeric keypad rather than type=number.
            "report_due_business_days": forms.TextInput(
                attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}
            ),
            "meeting_cadence": forms.RadioSelect,
            "reporting_arrangements": forms.Textarea(attrs={"rows": 4}),
            "clarifications": forms.Textarea(attrs={"rows": 5}),
        }
        error_messages = {
            "service_requirements": {
                "required": "Enter the service requirements, one requirement per line."
            },
            "report_due_business_days": {
                "required": "Enter how many business days after the quarter end reports are due.",
                "min_value": "Reports must be due at least 1 business day after the quarter end.",
                "max_value": "Reports must be due within 60 business days of the quarter end.",
                "invalid": "Enter the number of business days as a whole number, like 15.",
            },
            "meeting_cadence": {"required": "Select how often monitoring meetings are held."},
        }

    def __init__(self, *args, contract: Contract, **kwargs):
        super().__init__(*args, **kwargs)
        chosen_users, chosen_contacts = (), ()
        if self.instance.pk:
            chosen_users = self.instance.commissioner_contacts.values_list("pk", flat=True)
            chosen_contacts = self.instance.provider_contacts.values_list("pk", flat=True)
        people = self.fields["commissioner_contacts"]
        people.queryset = commissioner_people(chosen_users)
        people.label_from_instance = _person_label
        contacts = self.fields["provider_contacts"]
        contacts.queryset = provider_people(contract, chosen_contacts)
        contacts.label_from_instance = _contact_label
        contacts.label = f"Points of contact at {contract.provider}"
        contacts.help_text = (
            "Add people to the provider's contacts on its organisation page if they are not listed."
        )
        people.help_text = "The commissioner's staff the provider deals with."


class SlaAgreeForm(GovukForm):
    agreed_on = GovukDateField(label="Date agreed")
    signed_for_commissioner = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="Signed for the commissioner by",
        empty_label="Select a person",
        error_messages={"required": "Select who signed for the commissioner."},
    )
    signed_for_provider = forms.ModelChoiceField(
        queryset=Contact.objects.none(),
        label="Signed for the provider by",
        empty_label="Select a contact",
        error_messages={"required": "Select who signed for the provider."},
    )

    def __init__(self, *args, sla: ServiceLevelAgreement, actor, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "signed_for_commissioner": actor.pk,
                "signed_for_provider": sla.contract.provider_contract_manager_id,
            },
        )
        super().__init__(*args, **kwargs)
        contract = sla.contract
        commissioner = self.fields["signed_for_commissioner"]
        commissioner.queryset = commissioner_people()
        commissioner.label_from_instance = _person_label
        provider = self.fields["signed_for_provider"]
        provider.queryset = provider_people(contract)
        provider.label_from_instance = _contact_label
        provider.label = f"Signed for {contract.provider} by"


class ImprovementPlanItemForm(ChangeReasonMixin, GovukModelForm):
    class Meta(GovukModelForm.Meta):
        model = ImprovementPlanItem
        fields = ["description", "target", "due_date"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        labels = {"description": "What will improve", "due_date": "Due by"}
        help_texts = {"target": "A measurable target, like 95% of referrals contacted in 2 days."}
        error_messages = {
            "description": {"required": "Describe the improvement."},
            "target": {"required": "Enter the target."},
        }


class ChecklistAddForm(ChangeReasonMixin, forms.Form):
    item_type = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Standard item",
        empty_label="None: an item of this contract's own",
        help_text="Only the standard items this checklist does not have yet are listed.",
    )
    title = forms.CharField(
        max_length=200,
        required=False,
        label="Title of an item of this contract's own",
        help_text="Leave blank when you choose a standard item.",
    )

    def __init__(self, *args, contract: Contract, **kwargs):
        super().__init__(*args, **kwargs)
        missing = [item_type.pk for item_type in missing_standard_types(contract)]
        self.fields["item_type"].queryset = ChecklistItemType.objects.filter(pk__in=missing)

    def clean(self):
        cleaned = super().clean()
        item_type, title = cleaned.get("item_type"), cleaned.get("title", "").strip()
        if item_type is None and not title and "title" not in self.errors:
            self.add_error("title", "Choose a standard item or enter the item's title.")
        if item_type is not None and title and title.casefold() != item_type.name.casefold():
            self.add_error(
                "title", "Choose a standard item or enter a title of your own, not both."
            )
        return cleaned


class ChecklistRecordForm(ChangeReasonMixin, GovukModelForm):
    evidence = forms.FileField(
        label="Evidence document",
        required=False,
        help_text="PDF, DOCX, XLSX, CSV, PNG or JPEG. It is kept with the contract's "
        "documents; uploading again adds a new version.",
    )

    class Meta(GovukModelForm.Meta):
        model = ChecklistItem
        fields = ["status", "verified_on", "expires_on", "notes"]
        widgets = {"status": forms.RadioSelect, "notes": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "verified_on": "The day you checked the evidence. For example, 31 3 2027",
            "expires_on": "When the certificate or policy lapses. For example, 31 3 2028",
        }
        error_messages = {"status": {"required": "Select the state of the evidence."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        item_type = self.instance.item_type
        if item_type is not None and item_type.expires:
            self.fields[
                "expires_on"
            ].help_text = "This evidence expires: enter when it lapses. For example, 31 3 2028"
