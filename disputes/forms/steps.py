"""Forms of the dispute procedure. They check the shape of what is typed; the rules
(order of stages, evidence, deadlines, who may act) are the services'."""

from django import forms
from django.utils import timezone

from disputes.choices import ArbitratorAppointment, InformalOutcome, Outcome, Party, Stage
from disputes.models.disputes import MEETING_BUSINESS_DAYS, DisputeEvent
from governance.contactlog.models import ContactLogEntry
from governance.core.forms import (
    GovukDateField,
    GovukForm,
)
from governance.meetings.models import Meeting
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


# -- Evidence -------------------------------------------------------------------------------


class EvidenceMixin(GovukForm):
    """Optional notes and an evidence document for the timeline entry."""

    upload = forms.FileField(
        label="Evidence document",
        required=False,
        help_text="PDF, DOCX, XLSX, CSV, PNG or JPEG: the letter, email, minutes or report.",
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
            "The email or letter in the contact log",
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
            "The email or letter to the provider's contract manager and escalation contact.",
            "Select the notice in the contact log.",
        )
        for name in ("upload", "upload_title", "notes"):
            self.fields[name] = self.fields.pop(name)


class Stage3Form(EvidenceMixin):
    meeting_held_on = _date("Date of the meeting", "Enter the date of the meeting.")
    late_meeting_reason = _text(
        "Why the meeting was held after the deadline",
        help_text=f"Needed only when the meeting was later than {MEETING_BUSINESS_DAYS} business "
        "days after the notice.",
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
            ].help_text = (
                f"Due by {deadline}, {MEETING_BUSINESS_DAYS} business days after the notice."
            )
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
            "The email or letter in the contact log",
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


class ActionForm(GovukForm):
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


class TerminationForm(GovukForm):
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


class NoteForm(GovukForm):
    notes = _text("Note", "Enter the note.")
    upload = EvidenceMixin.base_fields["upload"]
    upload_title = EvidenceMixin.base_fields["upload_title"]

    def __init__(self, *args, dispute=None, **kwargs):
        super().__init__(*args, **kwargs)


class CorrectionForm(GovukForm):
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
