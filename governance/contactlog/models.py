"""The contact log: the commissioner's record of key communications with a contract's
provider, and whether a concern raised by word of mouth was followed up in writing."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from governance.core.datepolicy import DatePolicyMixin
from governance.core.dates import add_business_days
from governance.core.stamp_fields import stamped_by
from governance.meetings.models import ContractRecordQuerySet

#: A concern raised by word of mouth is followed up in writing within this many
#: business days of the contact (weekends and England & Wales bank holidays excluded).
FOLLOW_UP_BUSINESS_DAYS = 2


class ContactChannel(models.TextChoices):
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    MEETING = "meeting", "Meeting"
    PHONE = "phone", "Phone call"
    VIDEO = "video", "Video call"
    IN_PERSON = "in_person", "In person"


class ContactDirection(models.TextChoices):
    TO_PROVIDER = "to_provider", "To the provider"
    FROM_PROVIDER = "from_provider", "From the provider"
    BOTH = "both", "Both ways"


#: Channels that leave a written record of what was said.
WRITTEN_CHANNELS = (ContactChannel.EMAIL, ContactChannel.LETTER)
#: Channels that leave none: a concern raised this way needs a written follow-up.
SPOKEN_CHANNELS = (ContactChannel.PHONE, ContactChannel.VIDEO, ContactChannel.IN_PERSON)

#: Concerns raised by phone, video, in person or in a meeting whose minutes are not in
#: the meetings log, still waiting for their written follow-up.
AWAITING_FOLLOW_UP = Q(
    is_concern=True, follow_up_sent_on__isnull=True, follow_up_entry__isnull=True
) & (Q(channel__in=SPOKEN_CHANNELS) | Q(channel=ContactChannel.MEETING, meeting__isnull=True))


class ContactLogQuerySet(ContractRecordQuerySet):
    """The contact log is the commissioner's own record: provider staff see none of it.
    The commissioner's staff read every entry; the contract's officers change them."""

    def scope(self, user, action):
        if user.is_provider_user:
            return self.none()
        return super().scope(user, action)

    def awaiting_follow_up(self):
        return self.filter(AWAITING_FOLLOW_UP)


class ContactLogEntry(DatePolicyMixin, models.Model):
    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.PROTECT, related_name="contact_log"
    )
    occurred_at = models.DateTimeField("Date and time")
    channel = models.CharField(max_length=20, choices=ContactChannel.choices)
    direction = models.CharField(max_length=20, choices=ContactDirection.choices)
    meeting = models.ForeignKey(
        "governance.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contact_log",
        help_text="The meeting in the meetings log, when the contact was in one: its "
        "minutes are the written record.",
    )
    commissioner_participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="contact_log_entries",
        verbose_name="Commissioner's people",
    )
    provider_participants = models.ManyToManyField(
        "contracts.Contact",
        blank=True,
        related_name="contact_log_entries",
        verbose_name="Provider's people",
    )
    subject = models.CharField(max_length=200)
    summary = models.TextField()
    is_concern = models.BooleanField("A concern was raised", default=False)
    follow_up_sent_on = models.DateField(
        "Written summary sent on", null=True, blank=True, editable=False
    )
    follow_up_entry = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follows_up",
        editable=False,
        verbose_name="Written follow-up",
    )
    recorded_by = stamped_by()

    objects = ContactLogQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "contact log entry"
        verbose_name_plural = "contact log"
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["contract", "occurred_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(follow_up_entry=F("pk")),
                name="contact_follow_up_is_another_entry",
                violation_error_message="An entry cannot be its own written follow-up.",
            ),
            models.CheckConstraint(
                condition=Q(meeting__isnull=True) | Q(channel=ContactChannel.MEETING),
                name="contact_meeting_only_for_meetings",
                violation_error_message="Link a meeting only when the contact was in a meeting.",
            ),
        ]

    def __str__(self):
        return f"{self.reference}: {self.subject}"

    def get_absolute_url(self):
        return reverse("governance:contactlogentry_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"CL{self.pk:05d}" if self.pk else "CL(new)"

    @property
    def occurred_on(self) -> datetime.date:
        return timezone.localtime(self.occurred_at).date()

    @property
    def needs_written_follow_up(self) -> bool:
        """A concern raised by phone, video, in person or in a meeting not in the
        meetings log leaves nothing in writing: a written summary has to follow."""
        if not self.is_concern:
            return False
        if self.channel == ContactChannel.MEETING:
            return self.meeting_id is None
        return self.channel in SPOKEN_CHANNELS

    @property
    def has_follow_up(self) -> bool:
        return self.follow_up_sent_on is not None or self.follow_up_entry_id is not None

    @property
    def awaiting_follow_up(self) -> bool:
        return self.needs_written_follow_up and not self.has_follow_up

    @property
    def follow_up_due_on(self) -> datetime.date | None:
        """The last day the written summary is on time: the second business day after
        the contact."""
        if not self.needs_written_follow_up:
            return None
        return add_business_days(self.occurred_on, FOLLOW_UP_BUSINESS_DAYS)

    def follow_up_overdue(self, today: datetime.date | None = None) -> bool:
        due = self.follow_up_due_on
        return self.awaiting_follow_up and due < (today or timezone.localdate())


def last_contact_day_overdue_by(today: datetime.date) -> datetime.date:
    """The latest contact date whose written follow-up is overdue on ``today``: a
    concern raised on this day or earlier has had its 2 business days."""
    day = today - datetime.timedelta(days=1)
    while add_business_days(day, FOLLOW_UP_BUSINESS_DAYS) >= today:
        day -= datetime.timedelta(days=1)
    return day
