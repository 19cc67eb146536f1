"""The rules of accounts: how often a reset link may be asked for, and setting up and
checking the second factor."""

import datetime
import hashlib
import logging
import secrets

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from governance.core.models.tokens import ApiToken
from governance.core.services import fitted_reason, record_update

logger = logging.getLogger(__name__)

RESET_WINDOW_SECONDS = 60 * 60
DEVICE_NAME = "Authenticator app"
HAS_DEVICE_SESSION_KEY = "governance_has_two_factor"


def client_address(request) -> str:
    """The address a request came from. Behind TRUSTED_PROXY_COUNT proxies (Caddy in
    the compose stack) it is the one the outermost proxy saw, read from
    X-Forwarded-For; the rest of that header is the client's word and is ignored."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _count(key: str) -> int:
    cache.add(key, 0, timeout=RESET_WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=RESET_WINDOW_SECONDS)
        return 1


def password_reset_allowed(*, email: str, address: str) -> bool:
    """Counts a request for a reset link against the email address and the network
    address it came from; False once either has asked more than
    PASSWORD_RESET_LIMIT_PER_HOUR times in the hour. Every request counts, whether or
    not an account has that address, so the answer says nothing about who has one."""
    email_key = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    counts = [
        _count(f"password-reset:email:{email_key}"),
        _count(f"password-reset:address:{address}"),
    ]
    allowed = max(counts) <= settings.PASSWORD_RESET_LIMIT_PER_HOUR
    if not allowed:
        logger.warning("Password reset refused: too many requests in the hour")
    return allowed


def two_factor_required(user) -> bool:
    """Whether the person's roles oblige them to use a second factor."""
    required = set(settings.REQUIRE_TWO_FACTOR_ROLES)
    if not required or not user.is_authenticated:
        return False
    if user.is_superuser and "administrator" in required:
        return True
    return bool(required & set(user.role_codes))


def has_two_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def totp_device_for_setup(*, user) -> TOTPDevice:
    """The unconfirmed device the person is setting up: the same one each time the page
    is shown, so the QR code they scanned stays valid until they confirm it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, request, device: TOTPDevice, token: str) -> bool:
    """Confirms the device when the code from the app is right, replacing any device set
    up before, and marks this session as verified. False when the code is wrong."""
    if not device.verify_token(token):
        return False
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    request.session[HAS_DEVICE_SESSION_KEY] = True
    logger.info("Second factor set up for user %s", device.user_id)
    return True


def totp_verify(*, request, token: str) -> bool:
    """Checks a code at sign-in against the person's confirmed device. django-otp slows
    down repeated wrong codes (OTP_TOTP_THROTTLE_FACTOR)."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None or not device.verify_token(token):
        return False
    otp_login(request, device)
    return True


def _note_two_factor_at_sign_in(sender, request, user, **kwargs):
    """Notes in the new session whether the person has an authenticator, so the pages
    that follow need no query to know whether to ask for a code."""
    session = getattr(request, "session", None)
    if session is not None:
        session[HAS_DEVICE_SESSION_KEY] = has_two_factor(user)


def connect() -> None:
    user_logged_in.connect(
        _note_two_factor_at_sign_in, dispatch_uid="governance-accounts-two-factor"
    )


# -- API tokens -------------------------------------------------------------------------

#: How long a new token may run, in days, offered on the account page. Bounded by
#: API_TOKEN_MAX_DAYS.
API_TOKEN_DAYS = (7, 30, 90, 180, 365)
API_TOKEN_PREFIX = "cg_"


def api_token_days() -> list[int]:
    return [days for days in API_TOKEN_DAYS if days <= settings.API_TOKEN_MAX_DAYS]


def api_token_hash(key: str) -> str:
    """The token's SHA-256: a token is 32 random bytes, so no slower hash is needed to
    stop a stolen table being reversed."""
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user, name: str, days: int) -> tuple[ApiToken, str]:
    """A new API token for ``user`` that works for ``days`` days. Returns the record and
    the token itself, which is never stored and cannot be shown again."""
    if days not in api_token_days():
        raise ValidationError(
            {"days": f"Choose how long the token works: at most {settings.API_TOKEN_MAX_DAYS} days"}
        )
    key = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken(
        user=user,
        name=name.strip(),
        prefix=key[: len(API_TOKEN_PREFIX) + 6],
        key_hash=api_token_hash(key),
        created_at=now,
        expires_at=now + datetime.timedelta(days=days),
    )
    token.full_clean()
    token._change_reason = fitted_reason(
        f"Created by {user.get_username()} on their account page", ApiToken
    )
    token.save()
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor) -> ApiToken:
    """Stops ``token`` working at once. Only its owner revokes it here."""
    if token.user_id != actor.pk:
        raise ValidationError("You can only revoke your own tokens")
    if token.is_revoked:
        return token
    token.revoked_at = timezone.now()
    token._change_reason = fitted_reason(
        f"Revoked by {actor.get_username()} on their account page", ApiToken
    )
    token.save(update_fields=["revoked_at"])
    return token


def api_token_user(key: str) -> ApiToken | None:
    """The working token with this key, with its person, or None: unknown, revoked and
    expired tokens alike. Notes when it was used, at most once a minute, without a
    history row (using a token changes nothing about it)."""
    if not key.startswith(API_TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=api_token_hash(key), revoked_at__isnull=True)
        .first()
    )
    if token is None or token.is_expired or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


@transaction.atomic
def notification_emails_choose(*, user, choice: str) -> bool:
    """Record how ``user`` wants notifications by email; returns whether it changed.
    The change is kept in the user's history, by them, with why."""
    changed = record_update(
        instance=user,
        fields={"notification_emails": choice},
        actor=user,
        reason="Chose how to get notifications by email on their account page",
    )
    return bool(changed)
