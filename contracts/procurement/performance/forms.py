"""Forms of performance assessments and of breaches and poor performance. They check
the shape of what is typed; the rules are in services."""

from django import forms

from contracts.procurement.performance.choices import (
    AssessmentRating,
    BreachConsequence,
    FailureKind,
    PenaltyType,
)
from contracts.procurement.performance.models import PerformanceAssessment, PerformanceFailure
from governance.core.forms import ChangeReasonMixin, GovukDateField, GovukForm, GovukModelForm

RATING_REFUSED = "Choose Good, Approaching target, Requires improvement, Inadequate or Other."


def rating_field(**kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Rating",
        choices=AssessmentRating.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": RATING_REFUSED, "required": RATING_REFUSED},
        **kwargs,
    )


_ASSESSMENT_LABELS = {
    "period_start": "First day of the period assessed",
    "period_end": "Last day of the period assessed",
    "explanation": "Explanation",
}
_ASSESSMENT_HELP = {
    "period_start": "For example, 1 4 2026",
    "period_end": "At most 12 months after the first day. For example, 31 3 2027",
    "explanation": "What the rating rests on. Needed when the rating is Other; it may be "
    "published with the notice, so leave out anything confidential.",
}
_ASSESSMENT_ERRORS = {
    "period_start": {"required": "Enter the first day of the period assessed."},
    "period_end": {"required": "Enter the last day of the period assessed."},
}


class AssessmentForm(ChangeReasonMixin, GovukModelForm):
    """Rates an assessment, or corrects its period, while it is to be assessed."""

    rating = rating_field(required=False)

    class Meta(GovukModelForm.Meta):
        model = PerformanceAssessment
        fields = ["period_start", "period_end", "rating", "explanation"]
        widgets = {"explanation": forms.Textarea(attrs={"rows": 5})}
        labels = _ASSESSMENT_LABELS
        help_texts = _ASSESSMENT_HELP
        error_messages = _ASSESSMENT_ERRORS

    def __init__(self, *args, **kwargs):
        kwargs.pop("contract", None)
        super().__init__(*args, **kwargs)
        self.fields[
            "rating"
        ].help_text = "Leave it empty to rate later. You send the assessment to SMG from its page."


class AssessmentStartForm(AssessmentForm):
    """Starts an assessment of one of the contract's published KPIs."""

    class Meta(AssessmentForm.Meta):
        fields = ["kpi", "period_start", "period_end", "rating", "explanation"]
        labels = {**_ASSESSMENT_LABELS, "kpi": "Key performance indicator"}
        help_texts = {
            **_ASSESSMENT_HELP,
            "kpi": "Only the indicators the contract publishes are assessed.",
        }
        error_messages = {
            **_ASSESSMENT_ERRORS,
            "kpi": {
                "required": "Choose the indicator to assess.",
                "invalid_choice": "Choose one of the indicators this contract publishes.",
            },
        }
        widgets = {**AssessmentForm.Meta.widgets, "kpi": forms.RadioSelect}

    def __init__(self, *args, contract=None, **kwargs):
        super().__init__(*args, **kwargs)
        kpis = self.fields["kpi"].queryset.filter(is_key_indicator=True, is_active=True)
        self.fields["kpi"].queryset = kpis.filter(contract=contract) if contract else kpis.none()
        self.fields["kpi"].empty_label = None


class NotesForm(GovukForm):
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the record's history with your name.",
    )


class RequiredNotesForm(GovukForm):
    notes = forms.CharField(
        label="Reason",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Give the reason."},
        help_text="Kept in the record's history with your name.",
    )


class FailureForm(ChangeReasonMixin, GovukModelForm):
    """Proposes a breach or poor performance for publication, or corrects one."""

    class Meta(GovukModelForm.Meta):
        model = PerformanceFailure
        fields = [
            "kind",
            "requirement",
            "description",
            "consequence",
            "consequence_on",
            "partial_termination",
            "improvement_notice_on",
            "penalty_type",
            "penalty_value",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "consequence": forms.RadioSelect,
            "penalty_type": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 5}),
            "partial_termination": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "kind": "A breach is published once it has led to termination, damages or a "
            "settlement. Poor performance is published once the provider was told to "
            "improve, given a proper chance to, and did not.",
            "requirement": "The part of the contract the provider did not carry out.",
            "description": "What happened. It is published, so leave out personal details.",
            "consequence": "For a breach only.",
            "consequence_on": "For a breach only. For example, 14 10 2026",
            "partial_termination": "Only when part of the contract was terminated.",
            "improvement_notice_on": "For poor performance only. For example, 3 8 2026",
            "penalty_type": "Leave empty when no penalty applies.",
            "penalty_value": "The money element of the penalty, if any.",
        }
        error_messages = {
            "kind": {"required": "Select whether this is a breach or poor performance."},
            "requirement": {"required": "Say which requirement of the contract was not met."},
            "description": {"required": "Describe what went wrong."},
        }

    def __init__(self, *args, **kwargs):
        kwargs.pop("contract", None)
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = FailureKind.choices
        self.fields["consequence"].choices = [("", "Not a breach"), *BreachConsequence.choices]
        self.fields["penalty_type"].choices = [("", "No penalty"), *PenaltyType.choices]


class FailureRecordForm(GovukForm):
    decided_on = GovukDateField(
        label="Date of the decision",
        help_text="The day SMG decided to publish it: the notice is due within 30 days of "
        "it. For example, 2 11 2026",
        error_messages={"required": "Enter the date SMG decided to publish it."},
    )
    notes = NotesForm.base_fields["notes"]
