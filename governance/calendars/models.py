"""Each person's calendar feed: the secret address their calendar application reads."""

from django.conf import settings
from django.db import models

from governance.core.datepolicy import DatePolicyMixin


class CalendarFeed(DatePolicyMixin, models.Model):
    """The secret part of one person's feed address. Whoever holds the address reads
    the feed without signing in, as calendar applications do, so the token is long and
    random (256 bits) and resetting it gives a new one: the old address stops working
    at once. It is kept as it is, not hashed, so the account page can show the
    address again whenever the person needs to add it to another device."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    reset_at = models.DateTimeField(null=True, blank=True, editable=False)

    def __str__(self):
        return f"Calendar feed of {self.user}"
