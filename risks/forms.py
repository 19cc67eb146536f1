from django import forms
from django.utils import timezone

from governance.core.forms import ChangeReasonMixin, GovukDateField, GovukForm, GovukModelForm
from risks.choices import Impact, Likelihood
from risks.models import Risk
from risks.selectors import possible_owners
from risks.services import EDITABLE

SCORE_WIDGETS = {
    "inherent_likelihood": forms.RadioSelect,
    "inherent_impact": forms.RadioSelect,
    "residual_likelihood": forms.RadioSelect,
    "residual_impact": forms.RadioSelect,
}

LIKELIHOOD_REQUIRED = "Choose a likelihood from 1 (rare) to 5 (almost certain)."
IMPACT_REQUIRED = "Choose an impact from 1 (negligible) to 5 (severe)."


def _score_part_choice(scale, required: str, **kwargs) -> forms.TypedChoiceField:
    """A likelihood or an impact picked from ``scale``; ``required`` when none is."""
    return forms.TypedChoiceField(
        choices=scale.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": required},
        **kwargs,
    )


class RiskForm(ChangeReasonMixin, GovukModelForm):
    class Meta(GovukModelForm.Meta):
        model = Risk
        # The kind is chosen once, when the risk is raised; the rest is what the
        # update service lets a risk's own form change.
        fields = ["kind", *EDITABLE]
        widgets = {
            **SCORE_WIDGETS,
            "kind": forms.RadioSelect,
            "level": forms.RadioSelect,
            "allocation": forms.RadioSelect,
            "review_frequency": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 4}),
            "mitigations": forms.Textarea(attrs={"rows": 4}),
            "residual_above_inherent_reason": forms.Textarea(attrs={"rows": 3}),
            "target_score": forms.TextInput(attrs={"inputmode": "numeric"}),
            "review_every_days": forms.TextInput(attrs={"inputmode": "numeric"}),
        }
        labels = {"kind": "Is this a risk or an issue?"}
        help_texts = {
            "kind": "An issue is a risk that has already happened.",
            "inherent_likelihood": "How likely it is before any mitigation.",
            "inherent_impact": "How bad it would be before any mitigation.",
            "mitigations": "What is being done to reduce the likelihood or the impact.",
            "residual_likelihood": "How likely it is with the mitigations in place.",
            "residual_impact": "How bad it would be with the mitigations in place.",
        }
        error_messages = {
            "kind": {"required": "Select whether this is a risk or an issue."},
            "title": {"required": "Enter a short title for the risk."},
            "description": {"required": "Describe the risk: its cause and its effect."},
            "category": {"required": "Select the category."},
            "level": {"required": "Select whether the risk is strategic or operational."},
            "allocation": {"required": "Select who is best placed to manage the risk."},
            "owner": {"required": "Select the risk's owner."},
            "review_frequency": {"required": "Select how often the risk is reviewed."},
            "target_score": {"invalid": "The target score must be a whole number from 1 to 25."},
            "review_every_days": {"invalid": "Enter the number of days as a whole number."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = possible_owners()
        next_review = self.fields["next_review_date"]
        if self.instance.pk:
            # A risk stays a risk; an issue is raised from it on its own page.
            del self.fields["kind"]
        else:
            next_review.required = False
            next_review.help_text = (
                "Leave blank to review it one review period from today. For example, 31 3 2027"
            )
        next_review.error_messages["required"] = "Enter the date of the next review."


class ReviewForm(GovukForm):
    reviewed_on = GovukDateField(label="Date of the review")
    likelihood = _score_part_choice(
        Likelihood, LIKELIHOOD_REQUIRED, label="Residual likelihood now"
    )
    impact = _score_part_choice(Impact, IMPACT_REQUIRED, label="Residual impact now")
    notes = forms.CharField(
        label="What the review found",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": "Describe what the review found."},
    )
    residual_above_inherent_reason = forms.CharField(
        label="Why the score is higher than the inherent score",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text="Needed only when the score found is higher than the inherent score.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewed_on"].initial = timezone.localdate()


class CloseForm(GovukForm):
    reason = forms.CharField(
        label="Why is it being closed?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text="For example, the contract ended or the cause has gone.",
        error_messages={"required": "Give the reason the risk is closed."},
    )


class RaiseIssueForm(GovukForm):
    title = forms.CharField(
        max_length=200, error_messages={"required": "Enter a short title for the issue."}
    )
    description = forms.CharField(
        label="What has happened",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Describe what has happened."},
    )
    impact = _score_part_choice(
        Impact, IMPACT_REQUIRED, help_text="An issue has happened, so its likelihood is 5."
    )
    owner = forms.ModelChoiceField(
        queryset=None, error_messages={"required": "Select the issue's owner."}
    )
    mitigations = forms.CharField(
        label="What is being done about it",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, risk=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = possible_owners()
        if risk is not None:
            self.fields["title"].initial = risk.title
            self.fields["owner"].initial = risk.owner_id
