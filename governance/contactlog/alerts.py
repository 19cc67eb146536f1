import datetime
from collections.abc import Iterator

from governance.contactlog.models import ContactLogEntry
from governance.contactlog.services import follow_ups_overdue
from governance.core.alerting import AlertSpec, Urgency


def _on(day: datetime.date) -> str:
    return f"{day:%A %-d %B %Y}"


def contact_follow_ups_overdue(today: datetime.date) -> Iterator[AlertSpec]:
    """Concerns raised by phone, video, in person or in a meeting not in the meetings log
    with no written follow-up 2 business days after the contact: the entry's author is
    told once (the contract's lead officer, if the author has left)."""
    entries = follow_ups_overdue(ContactLogEntry.objects.all(), today).select_related(
        "contract", "contract__provider", "contract__lead_officer", "recorded_by"
    )
    for entry in entries.order_by("occurred_at", "pk").iterator(chunk_size=500):
        due = entry.follow_up_due_on
        author = entry.recorded_by
        told = author if author.is_active else entry.contract.lead_officer
        subject = f"Written follow-up overdue: {entry.contract.reference}, {entry.subject}"
        yield AlertSpec(
            key=f"contact-follow-up-overdue:{entry.pk}:{due.isoformat()}",
            kind="contact_follow_up_overdue",
            urgency=Urgency.MISSED,
            subject=subject[:200],
            body=(
                f"A concern was raised with {entry.contract.provider} by "
                f"{entry.get_channel_display().lower()} on {_on(entry.occurred_on)} "
                f"({entry.reference}: {entry.subject}). A written summary should have gone to "
                f"the provider by {_on(due)}, and none is recorded.\n\nSend it, then record "
                "the date it went or the email or letter in the contact log."
            ),
            url=entry.get_absolute_url(),
            users=(told,) if told is not None else (),
        )


PROVIDERS = [contact_follow_ups_overdue]
