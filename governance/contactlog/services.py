"""The contact log's rules: logging a contact with a contract's provider, correcting
it, and recording the written follow-up of a concern raised by word of mouth.

A concern raised by phone, video, in person or in a meeting that is not in the
meetings log leaves nothing in writing, so a written summary must follow. The entry is
saved without it (the call is logged as soon as it ends; the email comes after) and
shows as waiting; once 2 business days have passed without one, it is overdue: the
contract's contact log tab warns and the daily sweep tells the entry's author.
"""

import copy
import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from contracts.register.models.contracts import Contract
from governance.contactlog.models import (
    WRITTEN_CHANNELS,
    ContactDirection,
    ContactLogEntry,
    last_contact_day_overdue_by,
)
from governance.core.permissions import officer_may
from governance.core.services import record_save
from governance.core.services.many_to_many import (
    record_save_with_links,
    record_update_with_links,
)
from governance.meetings.choices import MeetingStatus
from governance.meetings.models import Meeting

FUTURE_CONTACT = "The date and time cannot be in the future."

ENTRY_FIELDS = (
    "occurred_at",
    "channel",
    "direction",
    "meeting",
    "subject",
    "summary",
    "is_concern",
)
ENTRY_M2M = ("commissioner_participants", "provider_participants")


def _on(day: datetime.date) -> str:
    return f"{day:%-d %B %Y}"


def _local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _raise_if(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


# -- Who may do what ----------------------------------------------------------------------


def may_log(actor, contract: Contract) -> bool:
    """Logging contacts with the provider: the contract's lead or deputy officer."""
    return officer_may(actor, contract, ContactLogEntry, "add")


def _require_change(actor, entry: ContactLogEntry) -> None:
    if not ContactLogEntry.objects.restrict(actor, "change").filter(pk=entry.pk).exists():
        raise ValidationError(
            "Only the contract's lead or deputy officer can change its contact log."
        )


# -- Checks -------------------------------------------------------------------------------


def _check_people(contract: Contract, users, contacts, errors: dict) -> None:
    outsiders = [str(u) for u in users if u.is_provider_user]
    leavers = [str(u) for u in users if not u.is_active]
    if outsiders:
        errors["commissioner_participants"] = (
            f"{_join(outsiders)} {'works' if len(outsiders) == 1 else 'work'} for the provider: "
            "add the provider's people from its contacts."
        )
    elif leavers:
        accounts = "has an account" if len(leavers) == 1 else "have accounts"
        errors["commissioner_participants"] = f"{_join(leavers)} no longer {accounts} in use."
    strangers = [c.name for c in contacts if c.organisation_id != contract.provider_id]
    if strangers:
        verb = "is not a contact" if len(strangers) == 1 else "are not contacts"
        errors["provider_participants"] = f"{_join(strangers)} {verb} at {contract.provider}."


def _check_entry(entry: ContactLogEntry, errors: dict) -> None:
    if entry.occurred_at is None:
        errors.setdefault("occurred_at", "Enter the date and time of the contact.")
    elif entry.occurred_at > timezone.now():
        errors.setdefault("occurred_at", FUTURE_CONTACT)
    for name, message in (
        ("channel", "Select how the contact was made."),
        ("direction", "Select which way the contact went."),
        ("subject", "Enter the subject of the contact."),
        ("summary", "Summarise what was said."),
    ):
        if not getattr(entry, name):
            errors.setdefault(name, message)
    meeting = entry.meeting if entry.meeting_id else None
    if meeting is not None:
        if entry.channel != "meeting":
            errors.setdefault("meeting", "Link a meeting only when the contact was in a meeting.")
        elif meeting.contract_id != entry.contract_id:
            errors.setdefault("meeting", f"{meeting} is a meeting of another contract.")
        elif meeting.status == MeetingStatus.CANCELLED:
            errors.setdefault(
                "meeting", "That meeting was cancelled: choose the meeting the contact was in."
            )
    try:
        entry.full_clean(exclude=[*errors, "contract", "meeting", "recorded_by", "follow_up_entry"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, messages)


def _check_follow_up_still_fits(entry: ContactLogEntry, errors: dict) -> None:
    """A correction must not leave a recorded follow-up before its contact, nor turn an
    entry that follows up another into something that is not a later written one."""
    if "occurred_at" in errors or entry.occurred_at is None:
        return
    day = _local_day(entry.occurred_at)
    if entry.follow_up_sent_on and entry.follow_up_sent_on < day:
        errors["occurred_at"] = (
            f"The written summary was sent on {_on(entry.follow_up_sent_on)}: the contact "
            "cannot be later than that."
        )
    follow_up = entry.follow_up_entry if entry.follow_up_entry_id else None
    if follow_up is not None and follow_up.occurred_at <= entry.occurred_at:
        errors["occurred_at"] = (
            f"{follow_up.reference} follows this contact up in writing: the contact must be "
            "before it."
        )
    if entry.pk is None:
        return
    for earlier in ContactLogEntry.objects.filter(follow_up_entry=entry).order_by("occurred_at"):
        if (
            entry.channel not in WRITTEN_CHANNELS
            or entry.direction == ContactDirection.FROM_PROVIDER
            or entry.occurred_at <= earlier.occurred_at
        ):
            errors.setdefault(
                "__all__",
                f"This entry is the written follow-up of {earlier.reference}: it must stay an "
                "email or letter to the provider, after that contact.",
            )
            break


# -- Logging and correcting ------------------------------------------------------------------


@transaction.atomic
def contact_log_record(
    *,
    contract: Contract,
    actor,
    occurred_at: datetime.datetime,
    channel: str,
    direction: str,
    subject: str,
    summary: str,
    is_concern: bool = False,
    meeting: Meeting | None = None,
    commissioner_participants: Iterable = (),
    provider_participants: Iterable = (),
    reason: str = "",
) -> ContactLogEntry:
    """Log a contact with the contract's provider. A concern raised by word of mouth is
    saved without its written follow-up and shows as waiting for it."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if not may_log(actor, contract):
        raise ValidationError(
            "Only the contract's lead or deputy officer can log contacts with its provider."
        )
    users = list(commissioner_participants or ())
    contacts = list(provider_participants or ())
    entry = ContactLogEntry(
        contract=contract,
        occurred_at=occurred_at,
        channel=channel or "",
        direction=direction or "",
        meeting=meeting,
        subject=(subject or "").strip(),
        summary=(summary or "").strip(),
        is_concern=bool(is_concern),
        recorded_by=actor,
    )
    errors: dict = {}
    _check_entry(entry, errors)
    _check_people(contract, users, contacts, errors)
    _raise_if(errors)
    return record_save_with_links(
        instance=entry,
        links={"commissioner_participants": users, "provider_participants": contacts},
        actor=actor,
        reason=reason or "Contact logged",
    )


def _locked(entry: ContactLogEntry) -> ContactLogEntry:
    return (
        ContactLogEntry.objects.select_for_update(of=("self",))
        .select_related("contract", "contract__provider", "meeting", "follow_up_entry")
        .get(pk=entry.pk)
    )


@transaction.atomic
def contact_log_update(*, instance: ContactLogEntry, actor, reason: str, **fields) -> list[str]:
    """Correct an entry. Returns the names of what changed (empty: nothing was saved)."""
    unknown = set(fields) - {*ENTRY_FIELDS, *ENTRY_M2M}
    if unknown:
        raise TypeError(f"Unexpected fields: {', '.join(sorted(unknown))}")
    entry = _locked(instance)
    _require_change(actor, entry)
    m2m = {name: list(fields.pop(name) or ()) for name in ENTRY_M2M if name in fields}
    for name in ("subject", "summary"):
        if name in fields:
            fields[name] = (fields[name] or "").strip()
    candidate = copy.copy(entry)
    for name, value in fields.items():
        setattr(candidate, name, value)
    errors: dict = {}
    _check_entry(candidate, errors)
    _check_follow_up_still_fits(candidate, errors)
    users = m2m.get("commissioner_participants")
    contacts = m2m.get("provider_participants")
    _check_people(entry.contract, users or [], contacts or [], errors)
    _raise_if(errors)
    return record_update_with_links(
        instance=entry, fields=fields, links=m2m, actor=actor, reason=reason
    )


# -- The written follow-up ------------------------------------------------------------------


def follow_up_candidates(entry: ContactLogEntry) -> QuerySet[ContactLogEntry]:
    """Entries that may serve as ``entry``'s written follow-up: emails and letters to
    the provider logged for the same contract after the contact."""
    return (
        ContactLogEntry.objects.filter(
            contract_id=entry.contract_id,
            channel__in=WRITTEN_CHANNELS,
            occurred_at__gt=entry.occurred_at,
        )
        .exclude(direction=ContactDirection.FROM_PROVIDER)
        .exclude(pk=entry.pk)
        .order_by("occurred_at", "pk")
    )


@transaction.atomic
def contact_follow_up_record(
    *,
    entry: ContactLogEntry,
    actor,
    follow_up_sent_on: datetime.date | None = None,
    follow_up_entry: ContactLogEntry | None = None,
    reason: str = "",
) -> ContactLogEntry:
    """Record how a concern raised by word of mouth was followed up in writing: the day
    the summary email went, or the later email or letter in the log that did it."""
    entry = _locked(entry)
    _require_change(actor, entry)
    if not entry.needs_written_follow_up:
        raise ValidationError(
            "A written follow-up is needed only for a concern raised by phone, video, in "
            "person or in a meeting that is not in the meetings log."
        )
    if follow_up_sent_on is None and follow_up_entry is None:
        raise ValidationError(
            "Enter the date the written summary was sent, or choose the email or letter "
            "in the log that followed up."
        )
    if follow_up_sent_on is not None and follow_up_entry is not None:
        raise ValidationError(
            "Give either the date the summary was sent or the email or letter that "
            "followed up, not both."
        )
    contact_day = entry.occurred_on
    errors = {}
    if follow_up_sent_on is not None:
        if follow_up_sent_on < contact_day:
            errors["follow_up_sent_on"] = (
                f"The follow-up cannot be dated before the contact, on {_on(contact_day)}."
            )
        elif follow_up_sent_on > timezone.localdate():
            errors["follow_up_sent_on"] = "The date the summary was sent cannot be in the future."
    else:
        if follow_up_entry.pk == entry.pk:
            errors["follow_up_entry"] = "An entry cannot be its own written follow-up."
        elif follow_up_entry.contract_id != entry.contract_id:
            errors["follow_up_entry"] = (
                f"{follow_up_entry.reference} is in another contract's log: choose an email "
                "or letter logged for this contract."
            )
        elif follow_up_entry.channel not in WRITTEN_CHANNELS:
            errors["follow_up_entry"] = "The written follow-up must be an email or a letter."
        elif follow_up_entry.direction == ContactDirection.FROM_PROVIDER:
            errors["follow_up_entry"] = (
                "The written follow-up must go to the provider: that entry came from them."
            )
        elif follow_up_entry.occurred_at <= entry.occurred_at:
            errors["follow_up_entry"] = (
                "The written follow-up must come after the contact: choose an email or "
                "letter logged later."
            )
    _raise_if(errors)
    if follow_up_sent_on is not None:
        default = f"Written summary sent on {_on(follow_up_sent_on)}"
    else:
        default = f"Followed up in writing by {follow_up_entry.reference}"
    entry.follow_up_sent_on = follow_up_sent_on
    entry.follow_up_entry = follow_up_entry
    return record_save(instance=entry, actor=actor, reason=(reason or "").strip() or default)


# -- Reads --------------------------------------------------------------------------------


def contract_contact_log(user, contract: Contract) -> QuerySet[ContactLogEntry]:
    return (
        ContactLogEntry.objects.restrict(user, "view")
        .filter(contract=contract)
        .select_related("recorded_by", "follow_up_entry")
        .order_by("-occurred_at", "-pk")
    )


def follow_ups_overdue(queryset: QuerySet[ContactLogEntry], today: datetime.date):
    """Entries of ``queryset`` whose written follow-up is overdue on ``today``."""
    last_day = last_contact_day_overdue_by(today)
    ends = datetime.datetime.combine(
        last_day + datetime.timedelta(days=1),
        datetime.time.min,
        tzinfo=timezone.get_current_timezone(),
    )
    return queryset.awaiting_follow_up().filter(occurred_at__lt=ends)
