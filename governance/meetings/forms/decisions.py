"""Forms and filters of the decision log. They check the shape of what is typed; the rules are in
governance.services.decisions."""

import django_filters
from django import forms

from governance.core.date_range_filters import after_and_before
from governance.core.filtersets import ContractFilter, GovernanceFilterSet
from governance.core.forms import ChangeReasonMixin, GovukDateField, GovukForm, GovukModelForm
from governance.meetings.choices import DecisionLevel, DecisionStatus
from governance.meetings.models import Decision

DECISION_WIDGETS = {
    "decision": forms.Textarea(attrs={"rows": 4}),
    "rationale": forms.Textarea(attrs={"rows": 4}),
    "level": forms.RadioSelect,
}
_LABELS = {"decision": "What was decided", "rationale": "Why, and the evidence"}
_HELP = {
    "rationale": "The reasons, and what the decision rests on. Attach documents on the "
    "decision's Documents tab once it is recorded.",
}
DECISION_ERRORS = {
    "title": {"required": "Enter a short title for the decision."},
    "decision": {"required": "Enter what was decided."},
    "decided_by": {"required": "Enter who decided: a person or a body such as SMG."},
    "level": {"required": "Select the level at which it was decided."},
}


class DecisionRecordForm(ChangeReasonMixin, GovukModelForm):
    """Records a decision on its own: proposed, or already approved. Editing a proposal
    uses the same form without the status."""

    status = forms.ChoiceField(
        label="Has it been decided?",
        choices=[
            (DecisionStatus.PROPOSED, "Not yet: it is proposed, to be approved or rejected"),
            (DecisionStatus.APPROVED, "Yes: it has been approved"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Say whether the decision is proposed or has already been approved."
        },
    )

    class Meta(GovukModelForm.Meta):
        model = Decision
        fields = ["title", "decision", "rationale", "decided_by", "level", "decided_on"]
        widgets = DECISION_WIDGETS
        labels = {**_LABELS, "decided_on": "Date"}
        help_texts = {
            **_HELP,
            "decided_on": "The date it was proposed or, if it has been approved, decided. "
            "For example, 31 3 2027",
        }
        error_messages = {**DECISION_ERRORS, "decided_on": {"required": "Enter the date."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            del self.fields["status"]
        else:
            self.order_fields(["status"])


class DecisionTransitionForm(GovukForm):
    status = forms.ChoiceField(
        label="Outcome",
        choices=[
            (DecisionStatus.APPROVED, "Approved"),
            (DecisionStatus.REJECTED, "Rejected"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the decision is approved or rejected."},
    )
    decided_on = GovukDateField(
        label="Date decided",
        required=False,
        help_text="Leave blank for today. For example, 31 3 2027",
    )
    reason = forms.CharField(
        label="Notes",
        max_length=90,
        required=False,
        help_text="Needed when it is rejected: why. Kept in the decision's history.",
    )


class DecisionSupersedeForm(ChangeReasonMixin, GovukModelForm):
    """The decision that replaces an approved one, pre-filled with the old one's words."""

    class Meta(GovukModelForm.Meta):
        model = Decision
        fields = ["title", "decision", "rationale", "decided_by", "level", "decided_on"]
        widgets = DECISION_WIDGETS
        labels = {**_LABELS, "decided_on": "Date decided"}
        help_texts = _HELP
        error_messages = {
            **DECISION_ERRORS,
            "decided_on": {"required": "Enter the date of the decision."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        reason = self.fields["change_reason"]
        reason.label = "Why it is superseded"
        reason.required = True
        reason.help_text = "Kept in the history of both decisions."
        reason.error_messages["required"] = "Give the reason the decision is superseded."


# -- Filters of the decision log ---------------------------------------------------------


class DecisionFilterSet(GovernanceFilterSet):
    search_fields = (
        "title",
        "decision",
        "rationale",
        "decided_by",
        "contract__reference",
        "contract__title",
    )
    contract = ContractFilter()
    portfolio = django_filters.ChoiceFilter(
        label="Contract or portfolio",
        choices=[("only", "Portfolio decisions only"), ("none", "Contract decisions only")],
        empty_label="Both",
        method="filter_portfolio",
    )
    level = django_filters.MultipleChoiceFilter(
        choices=DecisionLevel.choices, widget=forms.CheckboxSelectMultiple
    )
    status = django_filters.MultipleChoiceFilter(
        choices=DecisionStatus.choices, widget=forms.CheckboxSelectMultiple
    )
    after, before = after_and_before("decided_on")

    class Meta:
        model = Decision
        fields = ["q", "contract", "portfolio", "level", "status", "after", "before"]

    def filter_portfolio(self, queryset, name, value):
        if value == "only":
            return queryset.filter(contract__isnull=True)
        if value == "none":
            return queryset.filter(contract__isnull=False)
        return queryset
