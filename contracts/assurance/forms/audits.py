"""Forms and list filters of complaints and audits. The forms check the shape of what
is typed; the rules are in contracts.services.audits."""

from django import forms

from contracts.assurance.models.audits import Audit, Complaint
from contracts.assurance.services.audits import AUDIT_PLAN_FIELDS
from governance.core.forms import ChangeReasonMixin, GovukDateField, GovukForm, GovukModelForm

# -- Complaints ---------------------------------------------------------------------------

UPHELD_CHOICES = [("yes", "Yes"), ("no", "No"), ("undecided", "Not decided yet")]
_UPHELD_VALUES = {"yes": True, "no": False, "undecided": None}
_UPHELD_CHOICE = {True: "yes", False: "no", None: "undecided"}


def _upheld_field(*, decided_only: bool = False, **kwargs) -> forms.TypedChoiceField:
    choices = UPHELD_CHOICES[:2] if decided_only else UPHELD_CHOICES
    return forms.TypedChoiceField(
        label="Was the complaint upheld?",
        choices=choices,
        coerce=lambda value: _UPHELD_VALUES[value],
        empty_value=None,
        widget=forms.RadioSelect,
        **kwargs,
    )


class ComplaintForm(ChangeReasonMixin, GovukModelForm):
    upheld = _upheld_field(required=False)

    class Meta(GovukModelForm.Meta):
        model = Complaint
        fields = ["received_on", "summary", "category", "outcome", "upheld"]
        widgets = {"category": forms.RadioSelect, "outcome": forms.Textarea(attrs={"rows": 4})}
        labels = {
            "received_on": "Date received",
            "summary": "What the complaint is about",
            "category": "Category",
            "outcome": "Outcome so far",
        }
        help_texts = {
            "summary": "A short summary. Leave out names and anything that identifies the "
            "person who complained.",
            "outcome": "What was done about it. Close the complaint once it is resolved.",
        }
        error_messages = {
            "received_on": {"required": "Enter the date the complaint was received."},
            "summary": {"required": "Summarise the complaint."},
            "category": {"required": "Select what the complaint is about."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["upheld"] = _UPHELD_CHOICE[self.instance.upheld]


class ComplaintCloseForm(GovukForm):
    closed_on = GovukDateField(
        label="Date closed", error_messages={"required": "Enter the date the complaint was closed."}
    )
    outcome = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What was found and what was done about it.",
        error_messages={"required": "Record the outcome of the complaint."},
    )
    upheld = _upheld_field(
        decided_only=True,
        error_messages={"required": "Select whether the complaint was upheld."},
    )

    def __init__(self, *args, complaint: Complaint, **kwargs):
        initial = {"outcome": complaint.outcome}
        if complaint.upheld is not None:
            initial["upheld"] = _UPHELD_CHOICE[complaint.upheld]
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)


# -- Audits -------------------------------------------------------------------------------

_AUDIT_LABELS = {
    "audit_type": "Type of audit",
    "proposed_by": "Proposed by",
    "planned_on": "Planned date",
}
_AUDIT_ERRORS = {
    "audit_type": {"required": "Select the type of audit."},
    "proposed_by": {"required": "Select which party proposed the audit."},
    "scope": {"required": "Describe what the audit covers."},
    "planned_on": {"required": "Enter the date the audit is planned for."},
}


class AuditForm(ChangeReasonMixin, GovukModelForm):
    """Proposes an audit, or changes one not yet completed."""

    class Meta(GovukModelForm.Meta):
        model = Audit
        fields = list(AUDIT_PLAN_FIELDS)
        widgets = {
            "audit_type": forms.RadioSelect,
            "proposed_by": forms.RadioSelect,
            "scope": forms.Textarea(attrs={"rows": 4}),
            "second_audit_justification": forms.Textarea(attrs={"rows": 4}),
        }
        labels = _AUDIT_LABELS
        help_texts = {
            "scope": "The part of the provider's service the audit looks at.",
            "planned_on": "The date proposed or agreed. For example, 14 9 2026",
            "auditor": "A person, team or firm. Needed before the audit is planned.",
        }
        error_messages = _AUDIT_ERRORS


class AuditRecordForm(ChangeReasonMixin, GovukModelForm):
    """Corrects the record of a completed audit."""

    class Meta(GovukModelForm.Meta):
        model = Audit
        fields = ["auditor", "conducted_on", "findings", "recommendations"]
        widgets = {
            "findings": forms.Textarea(attrs={"rows": 6}),
            "recommendations": forms.Textarea(attrs={"rows": 6}),
        }
        error_messages = {
            "auditor": {"required": "Name who carried out the audit."},
            "findings": {"required": "Record the audit's findings."},
        }


class AuditPlanForm(GovukForm):
    planned_on = GovukDateField(
        label="Planned date", error_messages={"required": "Enter the date agreed for the audit."}
    )
    auditor = forms.CharField(
        label="Who carries it out",
        max_length=200,
        help_text="A person, team or firm.",
        error_messages={"required": "Name who will carry out the audit."},
    )
    second_audit_justification = forms.CharField(
        label=Audit._meta.get_field("second_audit_justification").verbose_name.capitalize(),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=Audit._meta.get_field("second_audit_justification").help_text,
    )

    def __init__(self, *args, audit: Audit, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "planned_on": audit.planned_on,
                "auditor": audit.auditor,
                "second_audit_justification": audit.second_audit_justification,
            },
        )
        super().__init__(*args, **kwargs)


class AuditCompleteForm(GovukForm):
    conducted_on = GovukDateField(
        label="Date conducted", error_messages={"required": "Enter the date the audit was done."}
    )
    auditor = forms.CharField(
        label="Who carried it out",
        max_length=200,
        error_messages={"required": "Name who carried out the audit."},
    )
    findings = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Record the audit's findings."},
    )
    recommendations = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One per line. Each can then be raised as a tracked action.",
    )

    def __init__(self, *args, audit: Audit, **kwargs):
        kwargs.setdefault("initial", {"conducted_on": audit.planned_on, "auditor": audit.auditor})
        super().__init__(*args, **kwargs)


class AuditCancelForm(GovukForm):
    reason = forms.CharField(
        label="Why is the audit cancelled?",
        max_length=90,
        error_messages={"required": "Give the reason the audit is cancelled."},
    )

    def __init__(self, *args, audit: Audit, **kwargs):
        super().__init__(*args, **kwargs)
