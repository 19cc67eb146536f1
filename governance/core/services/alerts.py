"""The daily sweep: ask every app what is due, raise each alert once, tell people.

Safe to run any number of times a day, and after a crash part-way: an alert is
recorded with its notifications in one transaction under its unique key, so a re-run
raises nothing twice; emails not yet sent (sent_at empty) are sent on the next run,
so nothing is missed.

Email that people can bear: each person's missed deadlines go at once, together in
one urgent email a sweep (the most overdue first); the rest reach them as one digest a
sweep (so one a day). People who chose an email for each on their account page get
one each. People known only by address get the urgent email and the digest.
"""

import contextlib
import datetime
import logging
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from governance.core.alerting import AlertSpec, EmailChoice, Urgency
from governance.core.models.alerts import Alert, Notification

logger = logging.getLogger(__name__)

KEY_BATCH = 500


@dataclass
class SweepResult:
    day: datetime.date
    considered: int = 0
    raised: int = 0
    notifications: int = 0
    emails_sent: int = 0
    #: Of the emails sent, how many were digests (one person's several notifications).
    digests_sent: int = 0
    seconds: float = 0.0
    #: What the finishing steps had to put right, by what it is ("overall statuses").
    corrected: dict[str, int] = field(default_factory=dict)

    def __str__(self):
        corrected = "".join(f", {count} {what} corrected" for what, count in self.corrected.items())
        return (
            f"Sweep for {self.day:%-d %B %Y}: {self.considered} due items considered, "
            f"{self.raised} new alerts, {self.notifications} notifications{corrected}, "
            f"{self.emails_sent} emails sent ({self.digests_sent} of them daily digests) "
            f"in {self.seconds:.2f}s."
        )


def _alert_modules():
    for app_config in apps.get_app_configs():
        name = f"{app_config.name}.alerts"
        try:
            yield import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise


def collect() -> tuple[list, list]:
    """(prepare steps, providers) offered by the installed apps' alerts modules."""
    prepare, providers = [], []
    for module in _alert_modules():
        prepare.extend(getattr(module, "PREPARE", []))
        providers.extend(getattr(module, "PROVIDERS", []))
    return prepare, providers


def _offered(name: str) -> list:
    """What the apps' alerts modules offer under ``name``: ``AROUND``, context managers
    the whole sweep runs inside; ``FINISH``, steps ``(today) -> {what: corrected}`` run
    after the alerts are raised, which put right what the passing of time alone has
    changed and say how much."""
    return [item for module in _alert_modules() for item in getattr(module, name, [])]


def _recipients(spec: AlertSpec) -> list[Notification]:
    notifications, seen = [], set()
    for user in spec.users:
        if user is None or not user.is_active or user.pk in seen:
            continue
        seen.add(user.pk)
        notifications.append(Notification(user=user, email=(user.email or "").lower()))
    addresses = {n.email for n in notifications if n.email}
    for address in spec.emails:
        address = (address or "").strip().lower()
        if address and address not in addresses:
            addresses.add(address)
            notifications.append(Notification(email=address))
    return notifications


def _raise(spec: AlertSpec, day: datetime.date) -> int:
    """Record one new alert with its notifications; returns how many notifications."""
    with transaction.atomic():
        alert, created = Alert.objects.get_or_create(
            key=spec.key,
            defaults={
                "kind": spec.kind,
                "subject": spec.subject[:200],
                "body": spec.body,
                "url": spec.url,
                "urgency": spec.urgency,
                "raised_on": day,
            },
        )
        if not created:  # raised meanwhile by a concurrent run
            return 0
        notifications = _recipients(spec)
        for notification in notifications:
            notification.alert = alert
        Notification.objects.bulk_create(notifications)
        return len(notifications)


def _record(specs: Iterable[AlertSpec], day: datetime.date, result: SweepResult) -> None:
    batch: list[AlertSpec] = []

    def flush():
        keys = {spec.key for spec in batch}
        known = set(Alert.objects.filter(key__in=keys).values_list("key", flat=True))
        for spec in batch:
            if spec.key in known:
                continue
            known.add(spec.key)
            result.raised += 1
            result.notifications += _raise(spec, day)
        batch.clear()

    for spec in specs:
        result.considered += 1
        batch.append(spec)
        if len(batch) >= KEY_BATCH:
            flush()
    flush()


#: Sent at once, each on its own: anything for someone who chose so.
EACH_ON_ITS_OWN = Q(user__notification_emails=EmailChoice.IMMEDIATE)
#: Sent at once, one person's together: missed deadlines for everyone else.
MISSED = Q(alert__urgency=Urgency.MISSED)

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _link(alert: Alert) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{alert.url}"


def _send_one(notification: Notification) -> None:
    alert = notification.alert
    send_mail(
        subject=alert.subject,
        message=f"{alert.body}\n\nOpen it in {settings.SERVICE_NAME}: {_link(alert)}\n",
        from_email=None,
        recipient_list=[notification.email],
    )


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _missed_since(alert: Alert) -> datetime.date:
    """The day a missed alert's deadline passed, as near as the alert says: the date its
    key carries (the occasion's due date, by the keys' convention), else the day it was
    raised."""
    found = _ISO_DATE.search(alert.key)
    if found:
        with contextlib.suppress(ValueError):
            return datetime.date.fromisoformat(found.group(0))
    return alert.raised_on


def _send_missed(address: str, notifications: list[Notification]) -> None:
    """One urgent email listing a person's missed deadlines, the most overdue first."""
    ordered = sorted(notifications, key=lambda n: (_missed_since(n.alert), n.pk))
    count = _plural(len(ordered), "missed deadline")
    parts = [f"{count} in {settings.SERVICE_NAME}, the most overdue first."]
    parts.extend(f"{n.alert.subject}\n{n.alert.body}\n{_link(n.alert)}" for n in ordered)
    parts.append(
        "Missed deadlines are emailed as soon as they are found, together in one email. "
        "Everything else reaches you in one email a day."
    )
    send_mail(
        subject=f"Missed: {count}",
        message="\n\n".join(parts) + "\n",
        from_email=None,
        recipient_list=[address],
    )


def _send_digest(address: str, notifications: list[Notification]) -> None:
    """One email listing a person's notifications, the most urgent first."""
    parts = [
        f"{_plural(len(notifications), 'new notification')} from {settings.SERVICE_NAME}.",
    ]
    ordered = sorted(notifications, key=lambda n: (n.alert.urgency, n.pk))
    for urgency in Urgency:
        group = [n.alert for n in ordered if n.alert.urgency == urgency]
        if not group:
            continue
        parts.append(f"{urgency.label} ({len(group)})\n{'=' * len(urgency.label)}")
        parts.extend(f"{alert.subject}\n{alert.body}\n{_link(alert)}" for alert in group)
    parts.append(
        "You get one email a day like this. To get a separate email for each notification "
        f"instead, change how you get notifications on your account page: "
        f"{settings.SITE_URL.rstrip('/')}{reverse('account_notifications')}"
    )
    send_mail(
        subject=f"Your daily summary: {_plural(len(notifications), 'new notification')}",
        message="\n\n".join(parts) + "\n",
        from_email=None,
        recipient_list=[address],
    )


def _by_address(pending) -> Iterator[tuple[str, list[Notification]]]:
    """Pending notifications held for digests, one address's together, in bounded memory."""
    address, group = None, []
    for notification in pending.iterator(chunk_size=500):
        if notification.email != address and group:
            yield address, group
            group = []
        address = notification.email
        group.append(notification)
    if group:
        yield address, group


def send_pending_emails(result: SweepResult | None = None) -> int:
    """Email every notification not yet sent: everything for people who chose it, one
    message each; for everyone else, their missed deadlines in one urgent message and
    the rest in one digest. Each message is marked sent straight after it goes, so a
    crash re-sends at most the one in flight and the rest go on the next run."""
    result = result or SweepResult(day=timezone.localdate())
    pending = (
        Notification.objects.filter(emailed_at__isnull=True)
        .exclude(email="")
        .select_related("alert", "user")
    )
    sent = 0
    for notification in pending.filter(EACH_ON_ITS_OWN).order_by("pk").iterator(chunk_size=500):
        _send_one(notification)
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
        sent += 1
    held = pending.exclude(EACH_ON_ITS_OWN)
    for address, group in _by_address(held.filter(MISSED).order_by("email", "pk")):
        if len(group) == 1:
            _send_one(group[0])
        else:
            _send_missed(address, group)
        Notification.objects.filter(pk__in=[n.pk for n in group]).update(emailed_at=timezone.now())
        sent += 1
    # What is left is held for digests, whoever it is for.
    for address, group in _by_address(held.exclude(MISSED).order_by("email", "pk")):
        if len(group) == 1:
            _send_one(group[0])
        else:
            _send_digest(address, group)
            result.digests_sent += 1
        Notification.objects.filter(pk__in=[n.pk for n in group]).update(emailed_at=timezone.now())
        sent += 1
    return sent


def daily_sweep(*, today: datetime.date | None = None) -> SweepResult:
    today = today or timezone.localdate()
    started = time.perf_counter()
    result = SweepResult(day=today)
    prepare, providers = collect()
    with contextlib.ExitStack() as stack:
        for around in _offered("AROUND"):
            stack.enter_context(around())
        for step in prepare:
            step(today=today)
        for provider in providers:
            _record(provider(today), today, result)
        for step in _offered("FINISH"):
            result.corrected.update(step(today=today))
    result.emails_sent = send_pending_emails(result)
    result.seconds = time.perf_counter() - started
    logger.info("%s", result)
    return result
