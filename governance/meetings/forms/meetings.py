"""Forms of meetings, decisions and actions. They check the shape of what is typed;
the rules are in governance.services.meetings."""

from django import forms
from django.db.models import Q

from contracts.assurance.models.audits import Audit
from contracts.assurance.models.slas import ImprovementPlanItem
from contracts.register.forms import _contact_label, commissioner_people, provider_people
from contracts.register.models.contracts import Contract
from governance.core.date_time_forms import DateAndTimeMixin
from governance.core.forms import (
    ChangeReasonMixin,
    GovukDateField,
    GovukForm,
    GovukModelForm,
    GovukTimeField,
)
from governance.core.models.base import User
from governance.meetings.choices import ActionSource, ActionStatus
from governance.meetings.forms.decisions import DECISION_ERRORS, DECISION_WIDGETS
from governance.meetings.models import Action, Decision, Meeting
from governance.meetings.services.meetings import SOURCE_MODELS


def person_label(user) -> str:
    label = f"{user}, {user.job_title}" if user.job_title else str(user)
    return f"{label} ({user.organisation})" if user.organisation_id else label


def offer_provider_contacts(field, contract: Contract, chosen: list, label: str) -> None:
    """The provider's contacts to pick from (and those already ``chosen``)."""
    field.queryset = provider_people(contract, chosen)
    field.label_from_instance = _contact_label
    field.label = label
    field.help_text = "Add people to the provider's contacts if they are not listed."


def action_owners(contract: Contract | None, selected=()):
    """People who may own an action: the commissioner's staff and, on a contract, the
    provider's own users; and whoever owns it already."""
    staff = Q(organisation__isnull=True) | Q(organisation__kind="commissioner")
    if contract is not None:
        staff |= Q(organisation_id=contract.provider_id)
    return (
        User.objects.filter((Q(is_active=True, groups__isnull=False) & staff) | Q(pk__in=selected))
        .select_related("organisation")
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


# -- Meetings ----------------------------------------------------------------------------


class MeetingForm(DateAndTimeMixin, ChangeReasonMixin, GovukModelForm):
    date_and_time = ("starts_at", "start_time")
    starts_at = GovukDateField(
        label="Date", error_messages={"required": "Enter the date of the meeting."}
    )
    start_time = GovukTimeField(
        label="Start time", error_messages={"required": "Enter the time the meeting starts."}
    )

    class Meta(GovukModelForm.Meta):
        model = Meeting
        # starts_at is declared above: a date and a time typed apart, put together in
        # clean(). Left out of the model's fields so the model does not check it half-made.
        fields = [
            "kind",
            "location",
            "chair",
            "note_taker",
            "attendees",
            "provider_attendees",
            "agenda",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "attendees": forms.CheckboxSelectMultiple,
            "provider_attendees": forms.CheckboxSelectMultiple,
            "agenda": forms.Textarea(attrs={"rows": 8}),
        }
        labels = {"kind": "Kind of meeting", "location": "Where", "note_taker": "Note-taker"}
        help_texts = {"location": "A room and building, or how to join online."}
        error_messages = {"kind": {"required": "Select the kind of meeting."}}

    def __init__(self, *args, contract: Contract, **kwargs):
        super().__init__(*args, **kwargs)
        meeting = self.instance
        editing = meeting.pk is not None
        chosen_users, chosen_contacts = [], []
        if editing:
            chosen_users = [meeting.chair_id, meeting.note_taker_id]
            chosen_users += list(meeting.attendees.values_list("pk", flat=True))
            chosen_contacts = list(meeting.provider_attendees.values_list("pk", flat=True))
        staff = commissioner_people([pk for pk in chosen_users if pk])
        chair = self.fields["chair"]
        chair.queryset = staff
        chair.label_from_instance = person_label
        if editing:
            chair.empty_label = None
        else:
            chair.required = False
            chair.empty_label = "The contract's lead officer"
            chair.help_text = "Left as it is, the contract's lead officer chairs."
        note_taker = self.fields["note_taker"]
        note_taker.queryset = staff
        note_taker.label_from_instance = person_label
        note_taker.empty_label = "Not decided yet"
        attendees = self.fields["attendees"]
        attendees.queryset = staff
        attendees.label_from_instance = person_label
        attendees.help_text = "The commissioner's staff invited, such as the deputy officer."
        offer_provider_contacts(
            self.fields["provider_attendees"],
            contract,
            chosen_contacts,
            f"Attending for {contract.provider}",
        )
        agenda = self.fields["agenda"]
        if not editing:
            agenda.required = False
            agenda.help_text = (
                "One item per line. Leave blank for the standard agenda of the kind of "
                "meeting; a strategic meeting always covers the risk log, complaints, action "
                "and improvement plans, and future service development."
            )
        self.order_fields(["kind", "starts_at", "start_time", "location", "chair", "note_taker"])


class MinutesForm(GovukForm):
    minutes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Who attended, what was discussed, what was agreed. Record decisions and "
        "actions separately once the minutes are saved.",
        error_messages={"required": "Enter the minutes of the meeting."},
    )
    held = forms.BooleanField(
        label="The meeting has taken place",
        required=False,
        initial=True,
        help_text="Untick to keep these as draft minutes.",
    )
    reason = forms.CharField(
        label="Reason for this change",
        max_length=100,
        required=False,
        help_text="Kept in the meeting's history with your name and the time.",
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        kwargs.setdefault("initial", {"minutes": meeting.minutes})
        super().__init__(*args, **kwargs)
        if meeting.status != "scheduled":
            del self.fields["held"]
        if not meeting.minutes:
            del self.fields["reason"]


class MeetingCancelForm(GovukForm):
    reason = forms.CharField(
        label="Why is the meeting cancelled?",
        max_length=90,
        error_messages={"required": "Give the reason the meeting is cancelled."},
    )


class DecisionForm(ChangeReasonMixin, GovukModelForm):
    class Meta(GovukModelForm.Meta):
        model = Decision
        fields = ["title", "decision", "rationale", "decided_by", "level", "decided_on"]
        widgets = DECISION_WIDGETS
        labels = {"decided_on": "Date decided", "rationale": "Why, and the evidence"}
        error_messages = DECISION_ERRORS


# -- Actions -----------------------------------------------------------------------------


class ActionRaiseForm(ChangeReasonMixin, GovukModelForm):
    """Raises an action on a contract. Where it comes from (a meeting, an audit's
    recommendation, an improvement plan item) arrives with the link that opened the
    form, in hidden fields."""

    source = forms.ChoiceField(
        choices=ActionSource.choices, initial=ActionSource.OTHER, widget=forms.HiddenInput
    )
    source_id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta(GovukModelForm.Meta):
        model = Action
        fields = ["description", "owner", "due_on"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        labels = {"description": "What has to be done"}
        error_messages = {
            "description": {"required": "Describe what has to be done."},
            "owner": {"required": "Name who owns the action."},
            "due_on": {"required": "Enter the date the action is due."},
        }

    def __init__(self, *args, contract: Contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.contract = contract
        owner = self.fields["owner"]
        owner.queryset = action_owners(contract)
        owner.label_from_instance = person_label
        owner.empty_label = "Select a person"
        owner.help_text = f"One of the commissioner's staff, or a user at {contract.provider}."

    def source_record(self, source: str, source_id: int | None):
        model = SOURCE_MODELS.get(source)
        if model is None or source_id is None:
            return None
        records = {
            Meeting: Meeting.objects.filter(contract=self.contract),
            Audit: Audit.objects.filter(contract=self.contract),
            ImprovementPlanItem: ImprovementPlanItem.objects.filter(sla__contract=self.contract),
        }[model]
        return records.filter(pk=source_id).first()

    def clean(self):
        cleaned = super().clean()
        source = cleaned.get("source") or ActionSource.OTHER
        record = self.source_record(source, cleaned.pop("source_id", None))
        if source in SOURCE_MODELS and record is None:
            raise forms.ValidationError(
                f"The {ActionSource(source).label.lower()} this action comes from is not "
                "part of this contract."
            )
        cleaned["source"], cleaned["source_record"] = source, record
        return cleaned


class ActionUpdateForm(ChangeReasonMixin, GovukModelForm):
    """Updates an action. Its owner, unless also an officer of the contract, sees what
    the action is, who owns it and when it is due, but changes only its progress."""

    class Meta(GovukModelForm.Meta):
        model = Action
        fields = ["description", "owner", "due_on", "status", "outcome"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "outcome": forms.Textarea(attrs={"rows": 4}),
            "status": forms.RadioSelect,
        }
        labels = {"description": "What has to be done"}
        help_texts = {"outcome": "What was done, and the result. Needed to mark it done."}
        error_messages = {
            "description": {"required": "Describe what has to be done."},
            "owner": {"required": "Name who owns the action."},
            "due_on": {"required": "Enter the date the action is due."},
            "status": {"required": "Select the action's status."},
        }

    def __init__(self, *args, may_manage: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        action = self.instance
        owner = self.fields["owner"]
        owner.queryset = action_owners(action.contract, [action.owner_id])
        owner.label_from_instance = person_label
        self.fields["status"].choices = ActionStatus.choices
        if not may_manage:
            for name in ("description", "owner", "due_on"):
                self.fields[name].disabled = True
                self.fields[
                    name
                ].help_text = "Only the contract's lead or deputy officer can change this."
