"""Forms and filters of the contact log. They check the shape of what is typed; the rules are in
governance.services.contactlog."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from contracts.register.forms import commissioner_people
from contracts.register.models.contracts import Contract
from governance.contactlog.models import ContactChannel, ContactDirection, ContactLogEntry
from governance.contactlog.services import follow_up_candidates, follow_ups_overdue
from governance.core.date_range_filters import after_and_before
from governance.core.date_time_forms import DateAndTimeMixin
from governance.core.filtersets import ContractFilter, GovernanceFilterSet
from governance.core.forms import (
    ChangeReasonMixin,
    GovukDateField,
    GovukForm,
    GovukModelForm,
    GovukTimeField,
)
from governance.meetings.choices import MeetingStatus
from governance.meetings.forms.meetings import offer_provider_contacts, person_label
from governance.meetings.models import Meeting


def _meeting_label(meeting: Meeting) -> str:
    return f"{meeting.get_kind_display()}, {timezone.localtime(meeting.starts_at):%-d %B %Y}"


class ContactLogEntryForm(DateAndTimeMixin, ChangeReasonMixin, GovukModelForm):
    date_and_time = ("occurred_at", "time")
    occurred_at = GovukDateField(
        label="Date", error_messages={"required": "Enter the date of the contact."}
    )
    time = GovukTimeField(
        label="Time", error_messages={"required": "Enter the time of the contact."}
    )

    class Meta(GovukModelForm.Meta):
        model = ContactLogEntry
        # occurred_at is declared above: a date and a time typed apart, put together in
        # clean(), so the model never checks it half-made.
        fields = [
            "channel",
            "direction",
            "meeting",
            "commissioner_participants",
            "provider_participants",
            "subject",
            "summary",
            "is_concern",
        ]
        widgets = {
            "channel": forms.RadioSelect,
            "direction": forms.RadioSelect,
            "commissioner_participants": forms.CheckboxSelectMultiple,
            "provider_participants": forms.CheckboxSelectMultiple,
            "summary": forms.Textarea(attrs={"rows": 6}),
        }
        labels = {
            "channel": "How",
            "direction": "Which way",
            "meeting": "Meeting in the meetings log",
            "is_concern": "A concern was raised",
        }
        help_texts = {
            "meeting": "Only for a contact in a meeting. Leave blank if the meeting is not in "
            "the meetings log: a concern raised there then needs a written follow-up.",
            "summary": "What was said and agreed, in a few sentences.",
            "is_concern": "A concern raised by phone, video, in person or in a meeting not "
            "in the meetings log needs a written summary sent to the provider within 2 "
            "business days.",
        }
        error_messages = {
            "channel": {"required": "Select how the contact was made."},
            "direction": {"required": "Select which way the contact went."},
            "subject": {"required": "Enter the subject of the contact."},
            "summary": {"required": "Summarise what was said."},
        }

    def __init__(self, *args, contract: Contract, **kwargs):
        super().__init__(*args, **kwargs)
        entry = self.instance
        chosen_users, chosen_contacts, chosen_meeting = [], [], []
        if entry.pk is not None:
            chosen_users = list(entry.commissioner_participants.values_list("pk", flat=True))
            chosen_contacts = list(entry.provider_participants.values_list("pk", flat=True))
            chosen_meeting = [entry.meeting_id] if entry.meeting_id else []
        people = self.fields["commissioner_participants"]
        people.queryset = commissioner_people(chosen_users)
        people.label_from_instance = person_label
        people.help_text = "The commissioner's staff who took part."
        offer_provider_contacts(
            self.fields["provider_participants"],
            contract,
            chosen_contacts,
            f"People at {contract.provider}",
        )
        meeting = self.fields["meeting"]
        meeting.queryset = (
            Meeting.objects.filter(
                Q(contract=contract) & ~Q(status=MeetingStatus.CANCELLED) | Q(pk__in=chosen_meeting)
            )
            .select_related("contract")
            .order_by("-starts_at")
        )
        meeting.label_from_instance = _meeting_label
        meeting.empty_label = "Not in the meetings log, or not a meeting"
        self.order_fields(["occurred_at", "time", "channel", "direction", "meeting"])


class FollowUpForm(GovukForm):
    """How a concern raised by word of mouth was followed up in writing."""

    follow_up_sent_on = GovukDateField(
        label="Date the written summary was sent",
        required=False,
        help_text="The email summarising the concern. For example, 16 6 2026",
    )
    follow_up_entry = forms.ModelChoiceField(
        label="Or the email or letter in the log that followed up",
        queryset=ContactLogEntry.objects.none(),
        required=False,
        empty_label="None of these",
    )
    reason = forms.CharField(
        label="Notes",
        max_length=90,
        required=False,
        help_text="Kept in the entry's history with your name and the time.",
    )

    def __init__(self, *args, entry: ContactLogEntry, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "follow_up_sent_on": entry.follow_up_sent_on,
                "follow_up_entry": entry.follow_up_entry_id,
            },
        )
        super().__init__(*args, **kwargs)
        field = self.fields["follow_up_entry"]
        field.queryset = follow_up_candidates(entry)
        field.label_from_instance = lambda e: (
            f"{e.reference}, {e.get_channel_display().lower()} of "
            f"{timezone.localtime(e.occurred_at):%-d %B %Y}: {e.subject}"
        )


# -- Filters of the contact log -----------------------------------------------------------


class ContactLogFilterSet(GovernanceFilterSet):
    search_fields = (
        "subject",
        "summary",
        "contract__reference",
        "contract__title",
        "contract__provider__name",
    )
    contract = ContractFilter()
    channel = django_filters.MultipleChoiceFilter(
        label="How", choices=ContactChannel.choices, widget=forms.CheckboxSelectMultiple
    )
    direction = django_filters.ChoiceFilter(
        label="Which way", choices=ContactDirection.choices, empty_label="Either way"
    )
    concern = django_filters.ChoiceFilter(
        label="Concerns",
        choices=[("yes", "Concerns only"), ("no", "No concern raised")],
        empty_label="All contacts",
        method="filter_concern",
    )
    follow_up = django_filters.ChoiceFilter(
        label="Written follow-up",
        choices=[
            ("missing", "Missing: still to be sent"),
            ("overdue", "Overdue: more than 2 business days"),
        ],
        empty_label="Any",
        method="filter_follow_up",
    )
    after, before = after_and_before("occurred_at", moment=True)

    class Meta:
        model = ContactLogEntry
        fields = [
            "q",
            "contract",
            "channel",
            "direction",
            "concern",
            "follow_up",
            "after",
            "before",
        ]

    def filter_concern(self, queryset, name, value):
        if value in ("yes", "no"):
            return queryset.filter(is_concern=value == "yes")
        return queryset

    def filter_follow_up(self, queryset, name, value):
        if value == "missing":
            return queryset.awaiting_follow_up()
        if value == "overdue":
            return follow_ups_overdue(queryset, timezone.localdate())
        return queryset
