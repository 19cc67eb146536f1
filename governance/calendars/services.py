"""Giving each person a feed address and replacing it."""

import secrets

from django.db import transaction
from django.utils import timezone

from governance.calendars.models import CalendarFeed


def _new_token() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic
def calendar_feed_for(*, user) -> CalendarFeed:
    """The person's feed, made the first time they ask for it."""
    feed, _created = CalendarFeed.objects.get_or_create(user=user, defaults={"token": _new_token()})
    return feed


@transaction.atomic
def calendar_feed_reset(*, user) -> CalendarFeed:
    """Replaces the feed's address: the old one answers "not found" from now on."""
    feed = calendar_feed_for(user=user)
    feed = CalendarFeed.objects.select_for_update().get(pk=feed.pk)
    feed.token = _new_token()
    feed.reset_at = timezone.now()
    feed.full_clean()
    feed.save(update_fields=["token", "reset_at"])
    return feed


def calendar_feed_owner(token: str):
    """Whose feed ``token`` opens, or None: an unknown, replaced or malformed token,
    or an account that can no longer sign in."""
    if not token or len(token) > 64:
        return None
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .first()
    )
    return feed.user if feed else None
