"""Forms of exit planning. They check the shape of what is typed; the rules live in
contracts.services.exit."""

from django import forms

from contracts.exit.models import (
    ExitNotice,
    ExitPlan,
    ExitTask,
    PostContractReview,
    ServiceTransferPlan,
    TerminationExtent,
    TerminationNotice,
)
from contracts.register.choices import Party
from contracts.register.forms import commissioner_people, provider_people
from contracts.register.models.contracts import Contract
from contracts.register.models.organisations import Organisation
from governance.contactlog.models import ContactLogEntry
from governance.core.forms import ChangeReasonMixin, GovukForm, GovukModelForm
from risks.forms import RiskForm

UPLOAD_HELP = "PDF, DOCX, XLSX, CSV, PNG or JPEG. It is kept with the contract's documents."


class ExitNoticeForm(ChangeReasonMixin, GovukModelForm):
    evidence_file = forms.FileField(
        label="Copy of the notice",
        required=False,
        help_text=f"The letter or email as sent. {UPLOAD_HELP}",
    )

    class Meta(GovukModelForm.Meta):
        model = ExitNotice
        fields = [
            "sent_on",
            "intention",
            "recipient_contact",
            "recipient_name",
            "details",
            "contact_log_entry",
        ]
        widgets = {"intention": forms.RadioSelect, "details": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "sent_on": "The day the written notice went to the provider. For example, 30 9 2027",
            "contact_log_entry": "Instead of an upload: the email or letter as logged in the "
            "contact log.",
        }
        error_messages = {
            "sent_on": {"required": "Enter the date the notice was sent."},
            "intention": {"required": "Select what the commissioner plans to do."},
        }

    def __init__(self, *args, contract: Contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient_contact"].queryset = provider_people(contract)
        self.fields["recipient_contact"].empty_label = "Someone not in the contacts"
        self.fields["contact_log_entry"].queryset = ContactLogEntry.objects.filter(
            contract=contract
        ).order_by("-occurred_at")
        self.fields["contact_log_entry"].empty_label = "None"
        self.fields["contact_log_entry"].label_from_instance = lambda entry: (
            f"{entry.occurred_at:%-d %B %Y}: {entry.subject}"
        )


class ExitPlanForm(ChangeReasonMixin, GovukModelForm):
    class Meta(GovukModelForm.Meta):
        model = ExitPlan
        fields = ["plan_type", "incoming_provider", "approach", "incumbent_obligations", "risks"]
        widgets = {
            "plan_type": forms.RadioSelect,
            "approach": forms.Textarea(attrs={"rows": 5}),
            "incumbent_obligations": forms.Textarea(attrs={"rows": 5}),
            "risks": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "incumbent_obligations": "What the current provider must keep doing, hand over or "
            "stop during the transition.",
            "risks": "Risks in the exit category of this contract's risk log. Raise a new one "
            "from the plan's page.",
        }
        error_messages = {
            "plan_type": {
                "required": "Select whether the service is decommissioned or re-commissioned."
            },
            "approach": {"required": "Describe how the exit will be handled."},
            "incumbent_obligations": {
                "required": "Set out the current provider's obligations during the transition."
            },
        }

    def __init__(self, *args, contract: Contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["incoming_provider"].queryset = Organisation.objects.filter(
            kind="provider"
        ).exclude(pk=contract.provider_id)
        self.fields["incoming_provider"].empty_label = "Not known yet"
        self.fields["risks"].queryset = contract.risks.filter(category="exit").order_by("pk")
        self.fields["risks"].required = False


class ExitTaskForm(ChangeReasonMixin, GovukModelForm):
    class Meta(GovukModelForm.Meta):
        model = ExitTask
        fields = ["area", "description", "owner", "due_date", "status"]
        widgets = {
            "area": forms.RadioSelect,
            "status": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "area": {"required": "Select the area the task belongs to."},
            "description": {"required": "Describe the task."},
            "owner": {"required": "Select who owns the task."},
            "due_date": {"required": "Enter the date the task is due."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        selected = [self.instance.owner_id] if self.instance.owner_id else []
        self.fields["owner"].queryset = commissioner_people(selected)


class ExitRiskForm(RiskForm):
    """A risk in the contract's risk log; the category is always exit."""

    class Meta(RiskForm.Meta):
        fields = [name for name in RiskForm.Meta.fields if name not in ("category", "kind")]


class TerminationNoticeForm(GovukModelForm):
    class Meta(GovukModelForm.Meta):
        model = TerminationNotice
        fields = ["served_by", "extent", "affected", "reason", "notice_date", "effective_date"]
        widgets = {
            "served_by": forms.RadioSelect,
            "extent": forms.RadioSelect,
            "affected": forms.Textarea(attrs={"rows": 3}),
            "reason": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "served_by": {"required": "Select which party served the notice."},
            "extent": {"required": "Select whether the whole contract or part of it ends."},
            "reason": {"required": "Give the reason for the termination."},
            "notice_date": {"required": "Enter the date of the notice."},
            "effective_date": {"required": "Enter the date the termination takes effect."},
        }

    def __init__(self, *args, require_reason: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["served_by"].choices = Party.choices
        self.fields["extent"].choices = TerminationExtent.choices

    def _post_clean(self):
        # The rules (effective date, what a partial termination affects) are the
        # service's to check, with their messages by each field.
        pass


class TransferPlanForm(ChangeReasonMixin, forms.ModelForm):
    document = forms.FileField(
        label="Upload the plan as a document",
        required=False,
        help_text=f"Optional, alongside or instead of the sections above. {UPLOAD_HELP}",
    )
    document_title = forms.CharField(
        label="Title of the document",
        required=False,
        max_length=200,
        help_text="Uploading again with the same title adds a new version.",
    )

    class Meta:
        model = ServiceTransferPlan
        fields = ["documentation", "service_details", "priority_clients"]
        widgets = {name: forms.Textarea(attrs={"rows": 6}) for name in fields}


class TransferStepForm(GovukForm):
    comments = forms.CharField(
        label="Comments",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, comments_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if comments_required:
            field = self.fields["comments"]
            field.required = True
            field.label = "What the provider needs to change"
            field.error_messages["required"] = (
                "Say what the provider needs to change before the plan can be approved."
            )


class PostContractReviewForm(ChangeReasonMixin, GovukModelForm):
    class Meta(GovukModelForm.Meta):
        model = PostContractReview
        fields = [
            "held_on",
            "attendees",
            "outcomes_assessment",
            "lessons_learned",
            "future_commissioning",
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in fields if name != "held_on"}
        help_texts = {"lessons_learned": "One lesson per line reads best in the lessons list."}
        error_messages = {
            "held_on": {"required": "Enter the date of the review."},
            "attendees": {"required": "List who took part in the review."},
            "outcomes_assessment": {
                "required": "Describe the benefits or losses against the intended outcomes."
            },
            "lessons_learned": {"required": "Enter the lessons learned."},
            "future_commissioning": {
                "required": "Say what the review means for future commissioning."
            },
        }
