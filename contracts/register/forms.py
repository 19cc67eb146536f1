from django import forms
from django.db.models import Q

from contracts.register.models.contracts import Contract, ExtensionOption, Variation
from contracts.register.models.organisations import Contact, Organisation
from governance.core.forms import ChangeReasonMixin, GovukForm, GovukModelForm
from governance.core.models.base import User
from governance.core.roles import Role


class OrganisationForm(ChangeReasonMixin, forms.ModelForm):
    # Longer than the stored 8 characters so "SC 123456" can be typed and normalised.
    companies_house_number = forms.CharField(
        label="Companies House number",
        max_length=12,
        required=False,
        help_text="For registered companies and charitable companies, like 01234567 or SC123456.",
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "companies_house_number",
            "charity_number",
            "address",
            "email",
            "telephone",
            "website",
            "notes",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "address": forms.Textarea(attrs={"rows": 4}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"kind": "Type of organisation"}
        error_messages = {
            "name": {
                "required": "Enter the organisation's name.",
                "unique": "An organisation with this name is already registered.",
            },
            "kind": {"required": "Select whether this is a commissioner or a provider."},
        }

    def clean_companies_house_number(self):
        return self.cleaned_data["companies_house_number"].replace(" ", "").upper()


class ContactForm(ChangeReasonMixin, forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["organisation", "name", "job_title", "role", "email", "telephone", "is_active"]
        error_messages = {
            "name": {"required": "Enter the contact's name."},
            "email": {
                "required": "Enter the contact's email address.",
                "invalid": "Enter an email address in the correct format, like name@example.org.",
            },
            "role": {"required": "Select the contact's role."},
            "organisation": {"required": "Select the contact's organisation."},
        }

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"].queryset = organisations


# -- Contracts ------------------------------------------------------------------------


class ContractForm(ChangeReasonMixin, GovukModelForm):
    class Meta(GovukModelForm.Meta):
        model = Contract
        fields = [
            "reference",
            "title",
            "provider",
            "service_area",
            "scope",
            "total_value",
            "annual_value",
            "start_date",
            "initial_end_date",
            "tier",
            "is_strategic_partnership",
            "lifecycle_stage",
            "lead_officer",
            "deputy_officer",
            "senior_responsible_owner",
            "provider_contract_manager",
            "escalation_contact",
            "provider_executive",
        ]
        widgets = {"scope": forms.Textarea(attrs={"rows": 5}), "tier": forms.RadioSelect}
        error_messages = {
            "reference": {
                "required": "Enter the contract reference.",
                "unique": "Another contract already has this reference.",
            },
            "title": {"required": "Enter the contract's title."},
            "provider": {"required": "Select the provider."},
            "service_area": {"required": "Select the service area."},
            "scope": {"required": "Describe the services the contract covers."},
            "total_value": {"required": "Enter the total contract value in pounds."},
            "annual_value": {"required": "Enter the annual contract value in pounds."},
            "tier": {"required": "Select the contract's tier."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        managers = User.objects.filter(
            groups__name=Role.CONTRACT_MANAGER.label, is_active=True
        ).distinct()
        self.fields["lead_officer"].queryset = managers
        self.fields["deputy_officer"].queryset = managers
        self.fields["senior_responsible_owner"].queryset = User.objects.filter(
            is_active=True, organisation__isnull=True
        )
        self.fields["provider"].queryset = Organisation.objects.filter(kind="provider")
        contacts = Contact.objects.filter(is_active=True).select_related("organisation")
        if self.instance.pk:
            contacts = contacts.filter(organisation_id=self.instance.provider_id)
        for name in ("provider_contract_manager", "escalation_contact", "provider_executive"):
            self.fields[name].queryset = contacts
            self.fields[name].label_from_instance = lambda c: f"{c.name}, {c.organisation}"
        for name in ("total_value", "annual_value"):
            self.fields[name].widget.attrs.update(inputmode="decimal", spellcheck="false")
            self.fields[name].help_text = "In pounds, like 1250000 or 1,250,000.00."
        if self.instance.pk and self.instance.status != "draft":
            # The terms are fixed once the contract is active: only a variation changes them.
            for name in (
                "provider",
                "scope",
                "total_value",
                "annual_value",
                "start_date",
                "initial_end_date",
            ):
                self.fields[name].disabled = True
                self.fields[name].help_text = "Fixed while the contract runs: propose a variation."


class ExtensionOptionForm(ChangeReasonMixin, GovukModelForm):
    class Meta(GovukModelForm.Meta):
        model = ExtensionOption
        fields = ["length_months", "decision_deadline"]
        error_messages = {
            "length_months": {"required": "Enter the length of the extension in months."},
        }


class NotesForm(GovukForm):
    notes = forms.CharField(
        label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )


class RequiredNotesForm(GovukForm):
    notes = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Give the reason."},
    )


class TransitionForm(GovukForm):
    reason = forms.CharField(
        label="Reason",
        max_length=100,
        help_text="Kept in the contract's history.",
        error_messages={"required": "Give the reason for this change of status."},
    )


class VariationForm(ChangeReasonMixin, GovukModelForm):
    class Meta(GovukModelForm.Meta):
        model = Variation
        fields = [
            "summary",
            "justification",
            "requested_by",
            "new_total_value",
            "new_annual_value",
            "new_end_date",
            "new_scope",
        ]
        widgets = {
            "requested_by": forms.RadioSelect,
            "justification": forms.Textarea(attrs={"rows": 4}),
            "new_scope": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "new_total_value": "Leave blank if the value does not change.",
            "new_annual_value": "Leave blank if the annual value does not change.",
            "new_scope": "The whole new scope. Leave blank if the scope does not change.",
        }
        error_messages = {
            "summary": {"required": "Summarise the change in a few words."},
            "justification": {"required": "Explain why the change is needed."},
            "requested_by": {"required": "Select who asked for the change."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "new_end_date"
        ].help_text = "Leave blank if the end date does not change. For example, 31 3 2028"
        for name in ("new_total_value", "new_annual_value"):
            self.fields[name].widget.attrs.update(inputmode="decimal", spellcheck="false")


def commissioner_people(selected=()):
    """The commissioner's own staff who hold a role, and anyone already chosen."""
    return (
        User.objects.filter(
            Q(is_active=True, organisation__isnull=True, groups__isnull=False) | Q(pk__in=selected)
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def provider_people(contract: Contract, selected=()):
    """Current contacts at the contract's provider, and anyone already chosen."""
    return Contact.objects.filter(
        Q(organisation_id=contract.provider_id, is_active=True) | Q(pk__in=selected)
    ).order_by("name")


def _person_label(user) -> str:
    return f"{user}, {user.job_title}" if user.job_title else str(user)


def _contact_label(contact) -> str:
    return f"{contact.name}, {contact.job_title}" if contact.job_title else contact.name
