import datetime

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from governance.core.alerting import AlertSpec, EmailChoice, Urgency
from governance.core.models.alerts import Alert, Notification
from governance.core.roles import Role
from governance.core.services import alerts as engine

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2027, 4, 7)


def use_providers(monkeypatch, *providers, prepare=()):
    monkeypatch.setattr(engine, "collect", lambda: (list(prepare), list(providers)))


def spec(key, users=(), emails=(), urgency=Urgency.DUE_SOON):
    return AlertSpec(
        key=key,
        kind="test",
        subject=f"Subject {key}",
        body="Something is due.",
        url="/home/",
        users=tuple(users),
        emails=tuple(emails),
        urgency=urgency,
    )


class TestSweep:
    def test_each_alert_is_raised_and_sent_once(self, monkeypatch, make_user):
        lead = make_user(role=Role.CONTRACT_MANAGER, email="lead@example.org")
        use_providers(monkeypatch, lambda today: [spec("a:1", [lead], ["contact@provider.org"])])
        first = engine.daily_sweep(today=TODAY)
        assert (first.raised, first.notifications, first.emails_sent) == (1, 2, 2)
        assert sorted(m.to[0] for m in mail.outbox) == ["contact@provider.org", "lead@example.org"]
        second = engine.daily_sweep(today=TODAY)
        assert (second.considered, second.raised, second.emails_sent) == (1, 0, 0)
        assert Alert.objects.count() == 1 and Notification.objects.count() == 2
        assert len(mail.outbox) == 2

    def test_a_crash_part_way_loses_nothing_and_repeats_nothing(self, monkeypatch, make_user):
        user = make_user(
            role=Role.CONTRACT_MANAGER,
            email="u@example.org",
            notification_emails=EmailChoice.IMMEDIATE,
        )
        crash = {"on": True}

        def provider(today):
            yield spec("a:1", [user])
            if crash["on"]:
                raise RuntimeError("database went away")
            yield spec("a:2", [user])

        use_providers(monkeypatch, provider)
        with pytest.raises(RuntimeError):
            engine.daily_sweep(today=TODAY)
        crash["on"] = False
        engine.daily_sweep(today=TODAY)
        engine.daily_sweep(today=TODAY)
        assert sorted(Alert.objects.values_list("key", flat=True)) == ["a:1", "a:2"]
        assert sorted(m.subject for m in mail.outbox) == ["Subject a:1", "Subject a:2"]

    def test_mail_that_failed_is_sent_on_the_next_run(self, monkeypatch, make_user):
        user = make_user(
            role=Role.CONTRACT_MANAGER,
            email="u@example.org",
            notification_emails=EmailChoice.IMMEDIATE,
        )
        use_providers(monkeypatch, lambda today: [spec("m:1", [user]), spec("m:2", [user])])
        real_send = engine.send_mail

        def broken(**kwargs):
            raise ConnectionError("mail server down")

        monkeypatch.setattr(engine, "send_mail", broken)
        with pytest.raises(ConnectionError):
            engine.daily_sweep(today=TODAY)
        assert Alert.objects.count() == 2  # recorded before sending
        monkeypatch.setattr(engine, "send_mail", real_send)
        assert engine.daily_sweep(today=TODAY).emails_sent == 2
        assert engine.daily_sweep(today=TODAY).emails_sent == 0
        assert len(mail.outbox) == 2

    def test_recipients_are_deduplicated_and_inactive_users_skipped(self, monkeypatch, make_user):
        active = make_user(email="same@example.org")
        gone = make_user(email="gone@example.org", is_active=False)
        use_providers(
            monkeypatch, lambda today: [spec("b:1", [active, active, gone], ["SAME@example.org"])]
        )
        engine.daily_sweep(today=TODAY)
        assert list(Notification.objects.values_list("user", "email")) == [
            (active.pk, "same@example.org")
        ]

    def test_prepare_steps_run_before_providers(self, monkeypatch):
        order = []
        use_providers(
            monkeypatch,
            lambda today: order.append("provide") or [],
            prepare=[lambda today: order.append(("prepare", today))],
        )
        engine.daily_sweep(today=TODAY)
        assert order == [("prepare", TODAY), "provide"]

    def test_installed_apps_offer_providers(self):
        prepare, providers = engine.collect()
        assert providers, "no app offers any alerts"
        assert all(callable(provider) for provider in [*prepare, *providers])

    def test_the_task_and_the_command_run_the_same_sweep(self, monkeypatch, capsys):
        use_providers(monkeypatch, lambda today: [spec(f"c:{today}")])
        from governance.core.tasks import run_daily_sweep

        assert "1 new alerts" in run_daily_sweep.delay().get()
        call_command("run_sweep", "--date", "2027-04-08")
        assert "Sweep for 8 April 2027" in capsys.readouterr().out
        assert Alert.objects.filter(key="c:2027-04-08").exists()
        with pytest.raises(CommandError, match="YYYY-MM-DD"):
            call_command("run_sweep", "--date", "08/04/2027")


class TestNotificationsPage:
    def make(self, monkeypatch, users):
        use_providers(monkeypatch, lambda today: [spec(f"n:{i}", users) for i in range(3)])
        engine.daily_sweep(today=TODAY)

    def test_people_see_only_their_own_with_an_unread_count(self, monkeypatch, make_user, login):
        mine, theirs = make_user(role=Role.SMG), make_user(role=Role.SMG)
        self.make(monkeypatch, [mine])
        client = login(theirs)
        assert (
            "Subject n:0"
            not in client.get(reverse("governance:notification_list")).content.decode()
        )
        page = login(mine).get(reverse("governance:notification_list")).content.decode()
        assert "Subject n:0" in page and "Subject n:2" in page
        assert '3<span class="govuk-visually-hidden"> unread</span>' in page

    def test_opening_marks_read_and_goes_to_the_record(self, monkeypatch, make_user, login):
        user = make_user(role=Role.SMG)
        self.make(monkeypatch, [user])
        client = login(user)
        notification = Notification.objects.filter(user=user).first()
        response = client.get(reverse("governance:notification_open", args=[notification.pk]))
        assert response["Location"] == "/home/"
        notification.refresh_from_db()
        assert notification.read_at is not None
        client.post(reverse("governance:notification_mark_read"))
        assert not Notification.objects.filter(user=user, read_at__isnull=True).exists()

    def test_someone_elses_notification_is_404(self, monkeypatch, make_user, login):
        owner = make_user(role=Role.SMG)
        self.make(monkeypatch, [owner])
        other = login(make_user(role=Role.SMG))
        notification = Notification.objects.first()
        assert (
            other.get(reverse("governance:notification_open", args=[notification.pk])).status_code
            == 404
        )

    def test_anonymous_users_are_sent_to_sign_in(self, client):
        response = client.get(reverse("governance:notification_list"))
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")

    def test_queries_do_not_grow_with_notifications(self, monkeypatch, make_user, login):
        from tests.view_cases import count_queries

        user = make_user(role=Role.SMG)
        self.make(monkeypatch, [user])
        client = login(user)
        url = reverse("governance:notification_list")
        before = count_queries(client, url)
        use_providers(monkeypatch, lambda today: [spec(f"m:{i}", [user]) for i in range(30)])
        engine.daily_sweep(today=TODAY)
        assert count_queries(client, url) == before
