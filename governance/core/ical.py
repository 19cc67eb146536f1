"""iCalendar (RFC 5545) for calendar feeds and meeting invitations, with the
``icalendar`` package.

A feature describes each entry as an ``Occasion``; ``calendar_response`` writes them
out. Deadlines are whole-day entries (a date, no time), meetings timed ones. Each
entry's UID names the occasion for good, so a calendar that reads the feed again
updates an entry whose date moved rather than adding a second one.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event

#: Meetings record a start but no end: calendars show them this long.
MEETING_LENGTH = datetime.timedelta(hours=1)


@dataclass(frozen=True)
class Occasion:
    """One calendar entry. ``key`` names the occasion within the service
    ("meeting-12"); ``on`` is a whole-day deadline, ``starts_at`` a meeting's time;
    ``path`` is the record's page."""

    key: str
    summary: str
    path: str
    description: str = ""
    on: datetime.date | None = None
    starts_at: datetime.datetime | None = None
    location: str = ""
    cancelled: bool = False


def uid_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "contract-governance"


def build_calendar(
    occasions: Iterable[Occasion], *, name: str, base_url: str, method: str | None = None
) -> Calendar:
    """A calendar of ``occasions``; ``base_url`` (scheme and host) makes each record's
    link absolute; ``method`` is "PUBLISH" for a single invitation file."""
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.SERVICE_NAME}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    if method:
        calendar.add("method", method)
    stamp = timezone.now().astimezone(datetime.UTC)
    domain = uid_domain()
    base = base_url.rstrip("/")
    for occasion in occasions:
        event = Event()
        event.add("uid", f"{occasion.key}@{domain}")
        event.add("dtstamp", stamp)
        event.add("summary", occasion.summary)
        if occasion.starts_at is not None:
            start = occasion.starts_at.astimezone(datetime.UTC)
            event.add("dtstart", start)
            event.add("dtend", start + MEETING_LENGTH)
        else:
            # A whole day: DTEND is the next day, exclusive (RFC 5545, 3.6.1).
            event.add("dtstart", occasion.on)
            event.add("dtend", occasion.on + datetime.timedelta(days=1))
            event.add("transp", "TRANSPARENT")
        url = f"{base}{occasion.path}"
        event.add("url", url)
        event.add("description", f"{occasion.description}\n\n{url}".strip())
        if occasion.location:
            event.add("location", occasion.location)
        event.add("status", "CANCELLED" if occasion.cancelled else "CONFIRMED")
        calendar.add_component(event)
    return calendar


def calendar_response(calendar: Calendar, *, filename: str, attachment: bool) -> HttpResponse:
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    # The feed is private to its address: never kept by a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response
