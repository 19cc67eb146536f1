"""The demo contract manager's calendar feed, read as a calendar application reads it:
the seeded demo's deadlines and meetings, each with a summary, a date and a link."""

import datetime
import zoneinfo

import icalendar
import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from governance.calendars.services import calendar_feed_for
from governance.core.models.base import User

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2026, 12, 4, 10, 0, tzinfo=LONDON)

#: What each kind of entry's id starts with, and what its summary starts with.
KINDS = {
    "performance-return-": "Performance return due: ",
    "meeting-": "",
    "action-": "Action due: ",
    "exit-notice-": "Exit notice deadline: ",
}


@pytest.mark.django_db(transaction=True)
def test_the_demo_managers_feed_holds_the_demos_deadlines(client, monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    with time_machine.travel(NOW, tick=False):
        call_command("seed_demo")
        manager = User.objects.get(username="manager")
        url = reverse("calendar_feed", args=[calendar_feed_for(user=manager).token])
        response = client.get(url)  # a calendar application: not signed in

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    entries = calendar.walk("VEVENT")
    assert entries, "the feed has entries"

    by_kind = {kind: [] for kind in KINDS}
    for entry in entries:
        uid = str(entry["UID"]).split("@")[0]
        summary = str(entry.get("SUMMARY", ""))
        link = str(entry.get("URL", ""))
        start = entry.decoded("DTSTART")
        assert summary.strip(), uid
        assert isinstance(start, datetime.date), uid
        assert link.startswith("http://testserver/") and len(link) > len("http://testserver/"), uid
        assert link in str(entry["DESCRIPTION"]), uid
        for kind in KINDS:
            if uid.startswith(kind):
                by_kind[kind].append((summary, start, link))

    for kind, prefix in KINDS.items():
        assert by_kind[kind], f"no {kind}* entry in the demo manager's feed"
        assert all(summary.startswith(prefix) for summary, _, _ in by_kind[kind]), kind
    # A return due is a whole-day deadline within the feed's reach.
    due = [start for _, start, _ in by_kind["performance-return-"]]
    assert all(not isinstance(day, datetime.datetime) for day in due)
    assert any(day >= NOW.date() - datetime.timedelta(days=92) for day in due)
    # Each link opens the record's page for the signed-in manager.
    client.force_login(manager)
    for kind in KINDS:
        path = by_kind[kind][0][2].removeprefix("http://testserver")
        with time_machine.travel(NOW, tick=False):
            assert client.get(path).status_code == 200, (kind, path)
