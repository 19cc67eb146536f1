import json
import logging
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from governance.core.logs import JsonFormatter
from governance.core.roles import Role

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


class TestAccountPages:
    def test_anonymous_people_are_sent_to_sign_in(self, client):
        for name in ("account", "account_password_change", "account_two_factor_setup"):
            response = client.get(reverse(name))
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    def test_the_account_page_links_to_each_section(self, make_user, login):
        page = login(make_user(role=Role.AUDITOR)).get(reverse("account")).content.decode()
        assert reverse("account_password_change") in page
        assert reverse("account_two_factor_setup") in page

    def test_password_change_refuses_a_wrong_current_password(self, make_user, login):
        user = make_user(password="old-password-123")
        response = login(user).post(
            reverse("account_password_change"),
            {
                "old_password": "wrong",
                "new_password1": "a-new-long-passphrase",
                "new_password2": "a-new-long-passphrase",
            },
        )
        assert response.status_code == 200
        user.refresh_from_db()
        assert user.check_password("old-password-123")

    def test_password_change(self, make_user, login):
        user = make_user(password="old-password-123")
        response = login(user).post(
            reverse("account_password_change"),
            {
                "old_password": "old-password-123",
                "new_password1": "a-new-long-passphrase",
                "new_password2": "a-new-long-passphrase",
            },
        )
        assert response.status_code == 302
        user.refresh_from_db()
        assert user.check_password("a-new-long-passphrase")


class TestPasswordReset:
    def test_a_link_is_sent_and_the_fourth_request_in_an_hour_is_refused(self, make_user):
        make_user(email="someone@example.gov.uk")
        client = Client()
        for _ in range(3):
            response = client.post(reverse("password_reset"), {"email": "someone@example.gov.uk"})
            assert response.status_code == 302
        assert len(mail.outbox) == 3
        assert "/accounts/password-reset/" in mail.outbox[0].body
        response = client.post(reverse("password_reset"), {"email": "Someone@example.gov.uk"})
        assert response.status_code == 200
        assert "too many password reset links" in response.content.decode()
        assert len(mail.outbox) == 3

    def test_the_emailed_link_sets_a_new_password_once(self, make_user):
        user = make_user(email="someone@example.gov.uk")
        client = Client()
        client.post(reverse("password_reset"), {"email": "someone@example.gov.uk"})
        link = re.search(r"https?://[^/\s]+(/accounts/password-reset/\S+/)", mail.outbox[0].body)
        assert link, mail.outbox[0].body
        # Django swaps the token in the link for one kept in the session, then asks.
        response = client.get(link[1], follow=True)
        assert response.status_code == 200
        form_url = response.redirect_chain[-1][0] if response.redirect_chain else link[1]
        assert "New password" in response.content.decode()
        mismatch = client.post(
            form_url, {"new_password1": "a-new-long-passphrase", "new_password2": "another-one"}
        )
        assert mismatch.status_code == 200
        assert "Error:" in mismatch.content.decode()
        user.refresh_from_db()
        assert not user.check_password("a-new-long-passphrase")
        response = client.post(
            form_url,
            {"new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"},
        )
        assert response.status_code == 302
        user.refresh_from_db()
        assert user.check_password("a-new-long-passphrase")
        # The link works once only.
        again = client.get(link[1], follow=True)
        assert "New password" not in again.content.decode()

    def test_one_network_address_is_limited_across_e_mail_addresses(self):
        client = Client()
        for number in range(3):
            client.post(reverse("password_reset"), {"email": f"person{number}@example.gov.uk"})
        response = client.post(reverse("password_reset"), {"email": "other@example.gov.uk"})
        assert "too many password reset links" in response.content.decode()


class TestTwoFactor:
    def test_a_required_role_must_set_up_an_app_first(self, settings, make_user, login):
        settings.REQUIRE_TWO_FACTOR_ROLES = ["smg"]
        client = login(make_user(role=Role.SMG))
        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_two_factor_setup"))

    def test_a_role_not_listed_is_not_asked(self, settings, make_user, login):
        settings.REQUIRE_TWO_FACTOR_ROLES = ["smg"]
        assert login(make_user(role=Role.AUDITOR)).get(reverse("home")).status_code == 200

    def test_setup_with_a_wrong_code_confirms_nothing(self, make_user, login):
        user = make_user(role=Role.SMG)
        client = login(user)
        page = client.get(reverse("account_two_factor_setup")).content.decode()
        assert "<svg" in page and "style=" not in page.split("<svg", 1)[1].split("</svg>")[0]
        response = client.post(reverse("account_two_factor_setup"), {"token": "12345x"})
        assert "6 digits" in response.content.decode()
        assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()

    def test_setup_then_each_sign_in_asks_for_a_code(self, settings, make_user, login):
        settings.REQUIRE_TWO_FACTOR_ROLES = ["smg"]
        user = make_user(role=Role.SMG)
        client = login(user)
        client.get(reverse("account_two_factor_setup"))
        device = TOTPDevice.objects.get(user=user, confirmed=False)
        response = client.post(reverse("account_two_factor_setup"), {"token": code_for(device)})
        assert response.status_code == 302
        assert client.get(reverse("home")).status_code == 200

        again = Client()
        again.force_login(user)
        response = again.get(reverse("home"))
        assert response["Location"].startswith(reverse("account_two_factor_verify"))
        refused = again.post(reverse("account_two_factor_verify"), {"token": "000000"})
        assert refused.status_code == 200
        # The code used at setup cannot be replayed: sign in again in a later time step.
        TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
        device.refresh_from_db()
        accepted = again.post(reverse("account_two_factor_verify"), {"token": code_for(device)})
        assert accepted.status_code == 302
        assert again.get(reverse("home")).status_code == 200


class TestIdleTimeout:
    def test_an_idle_session_is_signed_out_and_told_why(self, settings, make_user, login):
        settings.SESSION_IDLE_MINUTES = 30
        import time_machine

        with time_machine.travel("2026-06-01 09:00", tick=False) as traveller:
            client = login(make_user(role=Role.AUDITOR))
            assert client.get(reverse("home")).status_code == 200
            traveller.shift(29 * 60)
            assert client.get(reverse("home")).status_code == 200
            traveller.shift(31 * 60)
            response = client.get(reverse("home"))
        assert response.status_code == 302 and "timed_out=1" in response["Location"]
        assert client.get(reverse("home")).status_code == 302

    def test_pages_carry_the_warning_only_when_a_timeout_is_set(self, settings, make_user, login):
        client = login(make_user(role=Role.AUDITOR))
        assert "app-session-timeout" not in client.get(reverse("home")).content.decode()
        settings.SESSION_IDLE_MINUTES = 30
        page = client.get(reverse("home")).content.decode()
        assert 'data-idle-seconds="1800"' in page


class TestHealthAndHeaders:
    def test_healthz_answers_without_sign_in_or_https(self, settings):
        settings.SECURE_SSL_REDIRECT = True
        settings.REDIS_URL = ""
        response = Client(HTTP_HOST="web").get("/healthz")
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "database": "ok"}

    def test_healthz_fails_when_redis_does_not_answer(self, settings):
        settings.REDIS_URL = "redis://127.0.0.1:1/0"
        response = Client().get("/healthz")
        assert response.status_code == 503
        assert response.json()["redis"] == "failing"

    def test_pages_carry_the_security_headers(self, make_user, login):
        response = login(make_user(role=Role.AUDITOR)).get(reverse("home"))
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy
        assert "unsafe-inline" not in policy
        assert "camera=()" in response["Permissions-Policy"]
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"

    def test_only_the_api_documentation_allows_inline_styles(self, make_user, login):
        response = login(make_user(role=Role.AUDITOR)).get("/api/docs/")
        assert "style-src 'self' 'unsafe-inline'" in response["Content-Security-Policy"]

    def test_no_template_has_an_inline_script_or_style(self):
        from pathlib import Path

        root = Path(__file__).resolve().parents[3] / "templates"
        offenders = [
            str(path.relative_to(root))
            for path in root.rglob("*.html")
            if not path.is_relative_to(root / "pdf")
            and ("<script>" in (text := path.read_text()) or " style=" in text)
        ]
        assert not offenders

    def test_a_mistyped_address_shows_the_plain_not_found_page(self, make_user, login):
        response = login(make_user(role=Role.AUDITOR)).get("/no-such-page/")
        assert response.status_code == 404
        assert "Page not found" in response.content.decode()
        assert "URLconf" not in response.content.decode()


def test_production_logs_are_one_json_object_a_line():
    record = logging.makeLogRecord(
        {"name": "governance", "levelname": "INFO", "msg": "Sent %s", "args": (3,)}
    )
    line = JsonFormatter().format(record)
    assert "\n" not in line
    assert json.loads(line)["message"] == "Sent 3"


class TestNotificationEmails:
    def test_anonymous_people_are_sent_to_sign_in(self, client):
        response = client.get(reverse("account_notifications"))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    def test_the_default_is_a_daily_digest_and_a_change_is_kept_in_history(self, make_user, login):
        user = make_user(role=Role.AUDITOR)
        client = login(user)
        page = client.get(reverse("account_notifications")).content.decode()
        assert 'value="digest" checked' in page
        assert "Missed deadlines are always emailed to you straight away" in page
        response = client.post(
            reverse("account_notifications"), {"notification_emails": "immediate"}
        )
        assert response.status_code == 302 and response["Location"] == reverse("account")
        user.refresh_from_db()
        assert user.notification_emails == "immediate"
        latest = user.history.first()
        assert latest.history_user == user and "notifications by email" in (
            latest.history_change_reason
        )
        account = client.get(reverse("account")).content.decode()
        assert "You get a separate email for each notification." in account

    @pytest.mark.parametrize("value", ["", "weekly", "<script>", "digest\x00"])
    def test_bad_input_is_refused_by_the_field_and_changes_nothing(self, value, make_user, login):
        user = make_user(role=Role.CONTRACT_MANAGER)
        client = login(user)
        history = user.history.count()
        response = client.post(reverse("account_notifications"), {"notification_emails": value})
        page = response.content.decode()
        assert response.status_code == 200
        assert "Choose how you want to get notifications by email" in page
        assert "<title>Error: " in page
        user.refresh_from_db()
        assert user.notification_emails == "digest"
        assert user.history.count() == history
