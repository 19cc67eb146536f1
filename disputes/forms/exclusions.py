from django import forms

from contracts.register.models.organisations import Organisation
from disputes.forms.steps import _date, _text
from disputes.models.disputes import Dispute
from disputes.models.exclusions import Exclusion
from governance.core.forms import (
    ChangeReasonMixin,
    GovukForm,
    GovukModelForm,
)

# -- The exclusion register -----------------------------------------------------------------


class ExclusionForm(ChangeReasonMixin, GovukModelForm):
    period_months = forms.IntegerField(
        label="Period in months",
        required=False,
        min_value=1,
        help_text="Up to 60 months (5 years). Or give the end date instead.",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter the period as a whole number of months.",
            "min_value": "The period must be at least 1 month.",
        },
    )

    class Meta(GovukModelForm.Meta):
        model = Exclusion
        fields = [
            "organisation",
            "reason",
            "dispute",
            "details",
            "decided_on",
            "start_date",
            "period_months",
            "end_date",
        ]
        widgets = {"reason": forms.RadioSelect, "details": forms.Textarea(attrs={"rows": 4})}
        labels = {"reason": "Why is the provider excluded?"}
        error_messages = {
            "organisation": {"required": "Select the provider."},
            "reason": {"required": "Select why the provider is excluded."},
            "details": {"required": "Describe the grounds for the exclusion."},
            "start_date": {"required": "Enter the date the exclusion starts."},
            "decided_on": {"required": "Enter the date of the decision."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["organisation"].queryset = Organisation.objects.filter(kind="provider")
        self.fields["dispute"].queryset = Dispute.objects.select_related("contract")
        self.fields["dispute"].required = False
        end = self.fields["end_date"]
        end.required = False
        end.help_text = (
            "Leave blank when you give the period. No more than 5 years after the start."
        )
        self.fields["period_months"] = self.fields.pop("period_months")
        self.fields["end_date"] = self.fields.pop("end_date")
        self.fields["change_reason"] = self.fields.pop("change_reason")

    def _post_clean(self):
        # The end date follows from the period; the service computes and checks it.
        pass


class ExclusionConfirmForm(GovukForm):
    notes = _text(
        "Notes (optional)",
        help_text="For example, where SMG's decision is minuted. Kept in the history.",
        rows=3,
    )


class ExclusionEndForm(GovukForm):
    ended_on = _date("Date the exclusion ends", "Enter the date the exclusion ends.")
    reason = _text("Why it ends early", "Give the reason the exclusion ends early.")
