"""Forms of the dispute procedure. They check the shape of what is typed; the rules
(order of stages, evidence, deadlines, who may act) are the services'."""

from django import forms
from django.utils import timezone

from contracts.register.models.organisations import Organisation
from disputes import models as rules
from disputes.choices import ArbitratorAppointment, InformalOutcome, Outcome, Party, Stage
from disputes.models import Dispute, DisputeEvent, Exclusion
from governance.contactlog.models import ContactLogEntry
from governance.core.forms import (
    ChangeReasonMixin,
    GovukDateField,
    GovukDecimalField,
    GovukModelForm,
)
from governance.meetings.models import Meeting
from governance.templatetags.govuk import money, share_percent
from risks.models import Risk
from risks.selectors import possible_owners

YES_NO = [(True, "Yes"), (False, "No")]


def _yes_no(label: str, help_text: str = "", required_message: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value in (True, "True"),
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"required": required_message or "Select yes or no."},
    )


def _text(label: str, required_message: str = "", help_text: str = "", rows: int = 4):
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": rows}),
        max_length=5000,
        required=bool(required_message),
        help_text=help_text,
        error_messages={"required": required_message} if required_message else {},
    )


def _date(label: str, required_message: str = "") -> GovukDateField:
    return GovukDateField(
        label=label,
        required=bool(required_message),
        error_messages={"required": required_message} if required_message else {},
    )


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


class AssessmentForm(forms.Form):
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


# -- Evidence -------------------------------------------------------------------------------


class EvidenceMixin(forms.Form):
    """Optional notes and an evidence document for the timeline entry."""

    upload = forms.FileField(
        label="Evidence document",
        required=False,
        help_text="PDF, DOCX, XLSX, CSV, PNG or JPEG: the letter, e-mail, minutes or report.",
    )
    upload_title = forms.CharField(label="Title of the document", max_length=200, required=False)
    notes = _text("Notes for the timeline", rows=3)

    def __init__(self, *args, dispute=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.dispute = dispute
        # Evidence fields last.
        for name in ("upload", "upload_title", "notes"):
            self.fields[name] = self.fields.pop(name)


def _entries(dispute, label: str, help_text: str = "", required_message: str = ""):
    return forms.ModelChoiceField(
        label=label,
        queryset=ContactLogEntry.objects.filter(contract=dispute.contract).order_by("-occurred_at"),
        required=bool(required_message),
        help_text=help_text,
        empty_label="None",
        error_messages={"required": required_message} if required_message else {},
    )


def _meetings(dispute, label: str, help_text: str = ""):
    return forms.ModelChoiceField(
        label=label,
        queryset=Meeting.objects.filter(contract=dispute.contract).order_by("-starts_at"),
        required=False,
        help_text=help_text,
        empty_label="None",
    )


class SmgEvidenceForm(EvidenceMixin):
    """SMG's decision, with its written evidence."""

    endorsed_on = _date("Date of the decision", "Enter the date of the decision.")

    def __init__(self, *args, dispute=None, **kwargs):
        super().__init__(*args, dispute=dispute, **kwargs)
        self.fields["endorsed_on"].initial = timezone.localdate()
        self.fields["evidence_entry"] = _entries(
            dispute,
            "The e-mail or letter in the contact log",
            "Where SMG's decision was given in writing.",
        )
        self.fields["evidence_meeting"] = _meetings(
            dispute, "Or the meeting whose minutes record it"
        )
        for name in ("upload", "upload_title", "notes"):
            self.fields[name] = self.fields.pop(name)


class SkipEndorsementForm(SmgEvidenceForm):
    target_stage = forms.ChoiceField(
        label="Stage the dispute may go straight to",
        choices=[(s.value, s.label) for s in Stage if s not in (Stage.INFORMAL, Stage.CLOSED)],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the stage."},
    )


# -- Stage moves ----------------------------------------------------------------------------


class Stage2Form(EvidenceMixin):
    notice_date = _date("Date of the notice", "Enter the date of the notice.")
    receipt_requested = forms.BooleanField(
        label="The notice asks the provider to confirm receipt",
        required=False,
    )

    def __init__(self, *args, dispute=None, **kwargs):
        super().__init__(*args, dispute=dispute, **kwargs)
        self.fields["notice_entry"] = _entries(
            dispute,
            "The notice in the contact log",
            "The e-mail or letter to the provider's contract manager and escalation contact.",
            "Select the notice in the contact log.",
        )
        for name in ("upload", "upload_title", "notes"):
            self.fields[name] = self.fields.pop(name)


class Stage3Form(EvidenceMixin):
    meeting_held_on = _date("Date of the meeting", "Enter the date of the meeting.")
    late_meeting_reason = _text(
        "Why the meeting was held after the deadline",
        help_text="Needed only when the meeting was later than 10 business days after the notice.",
        rows=3,
    )
    meeting_resolved = _yes_no(
        "Did the meeting resolve the dispute?",
        required_message="Say whether the meeting resolved the dispute.",
    )
    meeting_outcome = _text("What the meeting concluded", "Record what the meeting concluded.")

    def __init__(self, *args, dispute=None, **kwargs):
        super().__init__(*args, dispute=dispute, **kwargs)
        self.fields["dispute_meeting"] = _meetings(
            dispute, "The meeting in the meetings log", "If it is in the meetings log."
        )
        if dispute is not None and dispute.meeting_deadline:
            deadline = f"{dispute.meeting_deadline:%-d %B %Y}"
            self.fields[
                "meeting_held_on"
            ].help_text = f"Due by {deadline}, 10 business days after the notice."
        for name in ("upload", "upload_title", "notes"):
            self.fields[name] = self.fields.pop(name)


class Stage4Form(EvidenceMixin):
    action_plan_agreed_on = _date(
        "Date the action plan was agreed", "Enter the date the action plan was agreed."
    )


class Stage5Form(EvidenceMixin):
    action_plan_failed_reason = _text(
        "Why the action plan failed or could not be agreed",
        "Say why the action plan failed or could not be agreed.",
    )
    mediator = forms.CharField(
        label="Mediator",
        max_length=200,
        help_text="Mediation follows the CEDR model procedure.",
        error_messages={"required": "Name the mediator."},
    )
    mediation_started_on = _date("Date mediation started", "Enter the date mediation started.")

    def __init__(self, *args, dispute=None, **kwargs):
        super().__init__(*args, dispute=dispute, **kwargs)
        if dispute is not None and dispute.stage != Stage.STAGE_4:
            del self.fields["action_plan_failed_reason"]


class Stage6Form(EvidenceMixin):
    arbitrator = forms.CharField(
        label="Arbitrator", max_length=200, error_messages={"required": "Name the arbitrator."}
    )
    arbitrator_appointment = forms.ChoiceField(
        label="How the arbitrator was appointed",
        choices=ArbitratorAppointment.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say how the arbitrator was appointed."},
    )
    arbitrator_appointed_on = _date(
        "Date of the appointment", "Enter the date the arbitrator was appointed."
    )


class Stage7Form(EvidenceMixin):
    litigation_started_on = _date(
        "Date proceedings were issued", "Enter the date proceedings were issued."
    )
    litigation_reason = _text(
        "Why the dispute goes to court",
        "Say why arbitration was not chosen, or why the dispute goes to court after it.",
    )
    court_reference = forms.CharField(
        label="Court and claim number", max_length=100, required=False
    )


class CloseForm(EvidenceMixin):
    outcome = forms.ChoiceField(
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome."},
    )
    outcome_summary = _text("Summary of the outcome", "Summarise the outcome.")


TRANSITION_FORMS = {
    Stage.STAGE_1: SmgEvidenceForm,
    Stage.STAGE_2: Stage2Form,
    Stage.STAGE_3: Stage3Form,
    Stage.STAGE_4: Stage4Form,
    Stage.STAGE_5: Stage5Form,
    Stage.STAGE_6: Stage6Form,
    Stage.STAGE_7: Stage7Form,
    Stage.CLOSED: CloseForm,
}


# -- Steps ----------------------------------------------------------------------------------


class OnDateForm(EvidenceMixin):
    on = _date("Date", "Enter the date.")

    def __init__(self, *args, dispute=None, **kwargs):
        super().__init__(*args, dispute=dispute, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class ConcernForm(EvidenceMixin):
    def __init__(self, *args, dispute=None, **kwargs):
        super().__init__(*args, dispute=dispute, **kwargs)
        self.fields["contact_entry"] = _entries(
            dispute,
            "The e-mail or letter in the contact log",
            "A concern raised only by phone or in person is not enough: link what was written.",
        )
        self.fields["meeting"] = _meetings(
            dispute, "Or the meeting whose minutes record the concern"
        )
        for name in ("upload", "upload_title", "notes"):
            self.fields[name] = self.fields.pop(name)


class ApproachForm(OnDateForm):
    summary = _text(
        "How both sides agreed to address it",
        "Describe how both sides agreed to address it.",
    )


class InformalOutcomeForm(OnDateForm):
    outcome = forms.ChoiceField(
        choices=InformalOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome of the informal route."},
    )
    recommended_by = forms.ChoiceField(
        label="Who recommends formal escalation",
        choices=Party.choices,
        widget=forms.RadioSelect,
        required=False,
    )


class ActionForm(forms.Form):
    description = _text("What has to be done", "Describe what has to be done.", rows=3)
    owner = forms.ModelChoiceField(
        queryset=None, error_messages={"required": "Name who owns the action."}
    )
    due_on = _date("Due date", "Enter the date the action is due.")

    def __init__(self, *args, dispute=None, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["owner"].queryset = possible_owners()


class CompletionReportForm(OnDateForm):
    report = _text("What the action plan achieved", "Summarise what the action plan achieved.")


class SettlementForm(EvidenceMixin):
    terms = _text("Terms of the written settlement", "Enter the terms of the settlement.")
    signed_commissioner_on = _date("Date the commissioner signed")
    signed_provider_on = _date("Date the provider signed")


class SummaryForm(OnDateForm):
    summary = _text("Summary", "Enter a summary.")


class TerminationForm(forms.Form):
    extent = forms.ChoiceField(
        choices=[("full", "The whole contract"), ("partial", "Part of it")],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the whole contract or part of it ends."},
    )
    affected = _text("What a partial termination affects", rows=3)
    served_by = forms.ChoiceField(
        label="Served by",
        choices=Party.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say which party served the notice."},
    )
    reason = _text("Reason for termination", "Give the reason for the termination.")
    notice_date = _date("Date of the notice", "Enter the date of the notice.")
    effective_date = _date(
        "Date the termination takes effect", "Enter the date the termination takes effect."
    )

    def __init__(self, *args, dispute=None, **kwargs):
        super().__init__(*args, **kwargs)


class NoteForm(forms.Form):
    notes = _text("Note", "Enter the note.")
    upload = EvidenceMixin.base_fields["upload"]
    upload_title = EvidenceMixin.base_fields["upload_title"]

    def __init__(self, *args, dispute=None, **kwargs):
        super().__init__(*args, **kwargs)


class CorrectionForm(forms.Form):
    corrects = forms.ModelChoiceField(
        label="The entry that is wrong",
        queryset=DisputeEvent.objects.none(),
        error_messages={"required": "Select the entry that is corrected."},
    )
    notes = _text("What was wrong and what is right", "Say what was wrong and what is right.")

    def __init__(self, *args, dispute=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["corrects"].queryset = dispute.events.order_by("occurred_on", "pk")
        self.fields["corrects"].label_from_instance = lambda e: (
            f"{e.occurred_on:%-d %B %Y}: {e.summary}"
        )


STEP_FORMS = {
    "pdm_told": OnDateForm,
    "smg_briefed": OnDateForm,
    "concern_in_writing": ConcernForm,
    "approach_agreed": ApproachForm,
    "smg_informed": OnDateForm,
    "informal_outcome": InformalOutcomeForm,
    "action_add": ActionForm,
    "receipt_confirmed": OnDateForm,
    "completion_report": CompletionReportForm,
    "provider_informed": OnDateForm,
    "mediation_ended": OnDateForm,
    "settlement": SettlementForm,
    "award": SummaryForm,
    "judgment": SummaryForm,
    "termination": TerminationForm,
    "endorse_skip": SkipEndorsementForm,
    "endorse_outcome": SmgEvidenceForm,
    "sign_off": SmgEvidenceForm,
    "note": NoteForm,
    "correction": CorrectionForm,
}


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


class ExclusionConfirmForm(forms.Form):
    notes = _text(
        "Notes (optional)",
        help_text="For example, where SMG's decision is minuted. Kept in the history.",
        rows=3,
    )


class ExclusionEndForm(forms.Form):
    ended_on = _date("Date the exclusion ends", "Enter the date the exclusion ends.")
    reason = _text("Why it ends early", "Give the reason the exclusion ends early.")
