from django import forms

from governance.forms import ChangeReasonMixin

from .models import Contact, Organisation


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
                "required": "Enter the contact's e-mail address.",
                "invalid": "Enter an e-mail address in the correct format, like name@example.org.",
            },
            "role": {"required": "Select the contact's role."},
            "organisation": {"required": "Select the contact's organisation."},
        }

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"].queryset = organisations
