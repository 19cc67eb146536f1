"""Notifications people can bear: missed deadlines emailed at once, one person's
together in one urgent email; the rest one digest per person a sweep, unless they chose
an email for each; in the app, grouped by urgency."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse

from governance.core.alerting import AlertSpec, EmailChoice, Urgency
from governance.core.models.alerts import Notification
from governance.core.roles import Role
from governance.core.services import alerts as engine
from tests.words import wording_problems

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2027, 4, 7)


def use_providers(monkeypatch, *providers):
    monkeypatch.setattr(engine, "collect", lambda: ([], list(providers)))


def spec(key, urgency, users=(), emails=()):
    return AlertSpec(
        key=key,
        kind="test",
        subject=f"Subject {key}",
        body=f"Body of {key}.",
        url=f"/home/{key}/",
        users=tuple(users),
        emails=tuple(emails),
        urgency=urgency,
    )


def mixed(users=(), emails=()):
    return lambda today: [
        spec("missed-1", Urgency.MISSED, users, emails),
        spec("missed-2", Urgency.MISSED, users, emails),
        spec("soon-1", Urgency.DUE_SOON, users, emails),
        spec("soon-2", Urgency.DUE_SOON, users, emails),
        spec("info-1", Urgency.INFO, users, emails),
    ]


def sent_to(address):
    return [message for message in mail.outbox if message.to == [address]]


class TestEmails:
    def test_by_default_missed_deadlines_go_at_once_together_and_the_rest_in_one_digest(
        self, monkeypatch, make_user
    ):
        user = make_user(role=Role.CONTRACT_MANAGER, email="lead@example.org")
        assert user.notification_emails == EmailChoice.DIGEST
        use_providers(monkeypatch, mixed([user]))
        result = engine.daily_sweep(today=TODAY)
        messages = sent_to("lead@example.org")
        assert sorted(m.subject for m in messages) == [
            "Missed: 2 missed deadlines",
            "Your daily summary: 3 new notifications",
        ]
        urgent = next(m for m in messages if m.subject.startswith("Missed"))
        assert "Subject missed-1" in urgent.body and "/home/missed-2/" in urgent.body
        digest = next(m for m in messages if m.subject.startswith("Your daily summary"))
        body = digest.body
        # Grouped, the most urgent first, each with its link; nothing missed repeated.
        assert body.index("Due soon (2)") < body.index("For information (1)")
        assert "Subject soon-1" in body and "Subject info-1" in body
        assert "/home/soon-2/" in body and "Subject missed-1" not in body
        assert reverse("account_notifications") in body
        assert (result.emails_sent, result.digests_sent) == (2, 1)
        assert not Notification.objects.filter(emailed_at__isnull=True).exists()

    def test_a_second_sweep_sends_nothing_again(self, monkeypatch, make_user):
        user = make_user(role=Role.CONTRACT_MANAGER, email="lead@example.org")
        use_providers(monkeypatch, mixed([user]))
        engine.daily_sweep(today=TODAY)
        again = engine.daily_sweep(today=TODAY)
        assert (again.emails_sent, again.digests_sent) == (0, 0)
        assert len(mail.outbox) == 2

    def test_people_who_chose_immediate_get_one_email_each(self, monkeypatch, make_user):
        user = make_user(email="now@example.org", notification_emails=EmailChoice.IMMEDIATE)
        use_providers(monkeypatch, mixed([user]))
        result = engine.daily_sweep(today=TODAY)
        assert sorted(m.subject for m in sent_to("now@example.org")) == [
            "Subject info-1",
            "Subject missed-1",
            "Subject missed-2",
            "Subject soon-1",
            "Subject soon-2",
        ]
        assert result.digests_sent == 0

    def test_people_known_only_by_address_get_a_digest(self, monkeypatch):
        use_providers(monkeypatch, mixed(emails=["contact@provider.org"]))
        engine.daily_sweep(today=TODAY)
        subjects = sorted(m.subject for m in sent_to("contact@provider.org"))
        assert subjects == [
            "Missed: 2 missed deadlines",
            "Your daily summary: 3 new notifications",
        ]

    def test_one_digest_per_person_however_many_providers_and_people(self, monkeypatch, make_user):
        people = [make_user(email=f"p{i}@example.org") for i in range(4)]
        providers = [
            (lambda today, n=n: [spec(f"r{n}:{i}", Urgency.DUE_SOON, people) for i in range(3)])
            for n in range(3)
        ]
        use_providers(monkeypatch, *providers)
        result = engine.daily_sweep(today=TODAY)
        assert result.notifications == 36
        assert sorted(m.to[0] for m in mail.outbox) == [p.email for p in people]
        assert all(m.subject == "Your daily summary: 9 new notifications" for m in mail.outbox)

    def test_one_notification_is_sent_as_itself_not_as_a_digest(self, monkeypatch, make_user):
        user = make_user(email="one@example.org")
        use_providers(monkeypatch, lambda today: [spec("only", Urgency.DUE_SOON, [user])])
        result = engine.daily_sweep(today=TODAY)
        assert [m.subject for m in mail.outbox] == ["Subject only"]
        assert result.digests_sent == 0

    def test_a_digest_that_failed_is_sent_whole_on_the_next_run(self, monkeypatch, make_user):
        user = make_user(email="lead@example.org")
        use_providers(
            monkeypatch,
            lambda today: [spec(f"s:{i}", Urgency.DUE_SOON, [user]) for i in range(3)],
        )
        real_send = engine.send_mail

        def broken(**kwargs):
            raise ConnectionError("mail server down")

        monkeypatch.setattr(engine, "send_mail", broken)
        with pytest.raises(ConnectionError):
            engine.daily_sweep(today=TODAY)
        assert Notification.objects.filter(emailed_at__isnull=True).count() == 3
        monkeypatch.setattr(engine, "send_mail", real_send)
        engine.daily_sweep(today=TODAY)
        assert [m.subject for m in mail.outbox] == ["Your daily summary: 3 new notifications"]


class TestMissedTogether:
    @staticmethod
    def three_missed(users):
        # Keyed by the due date each missed, as the apps' alerts are.
        return lambda today: [
            spec("late:2:2027-03-30", Urgency.MISSED, users),
            spec("late:1:2027-02-15", Urgency.MISSED, users),
            spec("late:3:2027-04-05", Urgency.MISSED, users),
            spec("soon:1", Urgency.DUE_SOON, users),
            spec("info:1", Urgency.INFO, users),
        ]

    def test_three_missed_deadlines_are_one_urgent_email_most_overdue_first(
        self, monkeypatch, make_user
    ):
        user = make_user(email="lead@example.org")
        use_providers(monkeypatch, self.three_missed([user]))
        result = engine.daily_sweep(today=TODAY)
        urgent = [m for m in mail.outbox if m.subject.startswith("Missed")]
        digests = [m for m in mail.outbox if m.subject.startswith("Your daily summary")]
        assert [m.subject for m in urgent] == ["Missed: 3 missed deadlines"]
        assert len(digests) <= 1 and len(mail.outbox) == 2
        body = urgent[0].body
        assert (
            body.index("Subject late:1:2027-02-15")
            < body.index("Subject late:2:2027-03-30")
            < body.index("Subject late:3:2027-04-05")
        )
        assert "Subject soon:1" not in body and "Subject soon:1" in digests[0].body
        assert "Subject late:1:2027-02-15" not in digests[0].body
        assert result.emails_sent == 2
        assert engine.daily_sweep(today=TODAY).emails_sent == 0
        assert len(mail.outbox) == 2

    def test_immediate_people_still_get_each_missed_deadline_on_its_own(
        self, monkeypatch, make_user
    ):
        now = make_user(email="now@example.org", notification_emails=EmailChoice.IMMEDIATE)
        use_providers(monkeypatch, self.three_missed([now]))
        engine.daily_sweep(today=TODAY)
        assert len(sent_to("now@example.org")) == 5
        assert not any(m.subject.startswith("Missed") for m in mail.outbox)

    def test_an_urgent_email_that_failed_goes_whole_on_the_next_run(self, monkeypatch, make_user):
        user = make_user(email="lead@example.org")
        use_providers(monkeypatch, self.three_missed([user]))
        real_send = engine.send_mail

        def broken(**kwargs):
            raise ConnectionError("mail server down")

        monkeypatch.setattr(engine, "send_mail", broken)
        with pytest.raises(ConnectionError):
            engine.daily_sweep(today=TODAY)
        assert Notification.objects.filter(emailed_at__isnull=True).count() == 5
        monkeypatch.setattr(engine, "send_mail", real_send)
        engine.daily_sweep(today=TODAY)
        engine.daily_sweep(today=TODAY)
        assert sorted(m.subject for m in mail.outbox) == [
            "Missed: 3 missed deadlines",
            "Your daily summary: 2 new notifications",
        ]


class TestGroupedPage:
    def test_the_most_urgent_come_first_under_headings_with_unread_counts(
        self, monkeypatch, make_user, login
    ):
        user = make_user(role=Role.CONTRACT_MANAGER)
        use_providers(monkeypatch, mixed([user]))
        engine.daily_sweep(today=TODAY)
        Notification.objects.filter(alert__key="missed-2").update(read_at=TODAY)
        page = login(user).get(reverse("governance:notification_list")).content.decode()
        missed, soon, info = (
            page.index('<h2 class="govuk-heading-m">Missed</h2>'),
            page.index('<h2 class="govuk-heading-m">Due soon</h2>'),
            page.index('<h2 class="govuk-heading-m">For information</h2>'),
        )
        assert missed < page.index("Subject missed-1") < soon < page.index("Subject soon-2") < info
        assert "Missed</a>: 1 unread" in page
        assert "Due soon</a>: 2 unread" in page
        assert "For information</a>: 1 unread" in page

    def test_filtered_by_urgency(self, monkeypatch, make_user, login):
        user = make_user(role=Role.CONTRACT_MANAGER)
        use_providers(monkeypatch, mixed([user]))
        engine.daily_sweep(today=TODAY)
        url = reverse("governance:notification_list")
        page = login(user).get(url, {"urgency": Urgency.MISSED}).content.decode()
        assert "Subject missed-1" in page and "Subject soon-1" not in page
        refused = login(user).get(url, {"urgency": "urgent"})
        assert refused.status_code == 200 and "Subject missed-1" not in refused.content.decode()

    def test_the_unread_filter_reads_any_yes_no_and_filters(self, monkeypatch, make_user, login):
        user = make_user(role=Role.CONTRACT_MANAGER)
        use_providers(monkeypatch, mixed([user]))
        engine.daily_sweep(today=TODAY)
        Notification.objects.filter(alert__key="missed-2").update(read_at=TODAY)
        url = reverse("governance:notification_list")
        page = login(user).get(url).content.decode()
        select = re.search(r'<select name="unread".*?</select>', page, flags=re.S)[0]
        assert re.findall(r">\s*(\w+)\s*</option>", select) == ["Any", "Yes", "No"]
        assert wording_problems(page) == []
        unread = login(user).get(url, {"unread": "true"}).content.decode()
        assert "Subject missed-1" in unread and "Subject missed-2" not in unread
