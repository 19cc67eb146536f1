"""API tokens: made and revoked on the account page, stored hashed, shown once, with an
expiry the person picks (bounded); expired, revoked and unknown tokens get 401; each
token has its own request allowance."""

import datetime
import re

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from governance.accounts import services
from governance.api.throttling import ApiTokenThrottle
from governance.core.models.tokens import ApiToken
from governance.core.roles import Role

pytestmark = pytest.mark.django_db

CONTRACTS = "/api/v1/contracts/"


def bearer(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def make_on_page(client, name="Returns script", days=30):
    response = client.post(reverse("account_api_tokens"), {"name": name, "days": days})
    match = re.search(r'<code class="app-token">([^<]+)</code>', response.content.decode())
    return response, match[1] if match else None


def test_the_account_page_links_to_api_tokens(make_user, login):
    page = login(make_user(role=Role.AUDITOR)).get(reverse("account")).content.decode()
    assert reverse("account_api_tokens") in page


def test_anonymous_people_are_sent_to_sign_in(client):
    response = client.get(reverse("account_api_tokens"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_new_token_is_shown_once_and_stored_hashed(make_user, login):
    user = make_user(role=Role.CONTRACT_MANAGER)
    client = login(user)
    response, key = make_on_page(client)
    assert response.status_code == 200 and key
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=user)
    assert token.key_hash == services.api_token_hash(key) and key not in token.key_hash
    assert key.startswith(token.prefix)
    assert token.expires_at - token.created_at == pytest.approx(
        datetime.timedelta(days=30), abs=datetime.timedelta(seconds=5)
    )
    # Shown on the page that made it, never again.
    again = client.get(reverse("account_api_tokens")).content.decode()
    assert key not in again and token.prefix in again
    record = token.history.get()
    assert record.history_user == user and "account page" in record.history_change_reason
    assert bearer(key).get(CONTRACTS).status_code == 200


@pytest.mark.parametrize(
    ("data", "field_message"),
    [
        ({"name": "Script", "days": 1000}, "Choose how long the token works from the list"),
        ({"name": "Script", "days": ""}, "Choose how long the token works"),
        ({"name": "", "days": 30}, "Enter what the token is for"),
    ],
)
def test_bad_input_makes_no_token(make_user, login, data, field_message):
    client = login(make_user(role=Role.CONTRACT_MANAGER))
    response = client.post(reverse("account_api_tokens"), data)
    assert response.status_code == 400
    assert field_message in response.content.decode()
    assert not ApiToken.objects.exists()


def test_expiry_is_bounded_by_the_setting(make_user, settings):
    settings.API_TOKEN_MAX_DAYS = 90
    assert services.api_token_days() == [7, 30, 90]
    with pytest.raises(Exception, match="at most 90 days"):
        services.api_token_create(user=make_user(role=Role.SMG), name="Long", days=180)


def test_a_revoked_token_gets_401(make_user, login):
    user = make_user(role=Role.CONTRACT_MANAGER)
    client = login(user)
    _, key = make_on_page(client)
    token = ApiToken.objects.get(user=user)
    response = client.post(reverse("account_api_token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.is_revoked
    assert token.history.first().history_change_reason.startswith("Revoked by")
    refused = bearer(key).get(CONTRACTS)
    assert refused.status_code == 401
    assert "expired or revoked" in refused.json()["detail"]


def test_nobody_revokes_another_persons_token(make_user, login):
    owner = make_user(role=Role.CONTRACT_MANAGER)
    token, key = services.api_token_create(user=owner, name="Mine", days=7)
    other = login(make_user(role=Role.CONTRACT_MANAGER))
    assert other.post(reverse("account_api_token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert not token.is_revoked
    assert bearer(key).get(CONTRACTS).status_code == 200


def test_an_expired_token_gets_401(make_user):
    user = make_user(role=Role.CONTRACT_MANAGER)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _, key = services.api_token_create(user=user, name="Week", days=7)
    with time_machine.travel(start + datetime.timedelta(days=6, hours=23), tick=False):
        assert bearer(key).get(CONTRACTS).status_code == 200
    with time_machine.travel(start + datetime.timedelta(days=7, seconds=1), tick=False):
        assert bearer(key).get(CONTRACTS).status_code == 401


@pytest.mark.parametrize(
    "header",
    ["Bearer cg_not-a-real-token", "Bearer nonsense", "Bearer two parts", "Bearer"],
)
def test_unknown_or_malformed_tokens_get_401(header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    assert client.get(CONTRACTS).status_code == 401


def test_a_token_of_a_deactivated_person_gets_401(make_user):
    user = make_user(role=Role.CONTRACT_MANAGER)
    _, key = services.api_token_create(user=user, name="Script", days=7)
    user.is_active = False
    user.save()
    assert bearer(key).get(CONTRACTS).status_code == 401


def test_each_token_has_its_own_allowance(make_user, monkeypatch):
    cache.clear()
    monkeypatch.setattr(ApiTokenThrottle, "THROTTLE_RATES", {"api": "2/minute"})
    user = make_user(role=Role.CONTRACT_MANAGER)
    first = bearer(services.api_token_create(user=user, name="One", days=7)[1])
    second = bearer(services.api_token_create(user=user, name="Two", days=7)[1])
    assert [first.get(CONTRACTS).status_code for _ in range(3)] == [200, 200, 429]
    assert second.get(CONTRACTS).status_code == 200
