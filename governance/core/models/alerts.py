"""Alerts raised by the daily sweep, and the notifications they send to people."""

from django.conf import settings
from django.db import models

from governance.core.alerting import Urgency
from governance.core.datepolicy import DatePolicyMixin


class Alert(DatePolicyMixin, models.Model):
    """One occasion something became due. The key names what, which record and which
    occasion, so the sweep can run any number of times and raise each alert once."""

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=60)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    url = models.CharField(max_length=300)
    urgency = models.PositiveSmallIntegerField(choices=Urgency.choices, default=Urgency.INFO)
    raised_on = models.DateField(help_text="The sweep's date when the alert was raised.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.subject


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(DatePolicyMixin, models.Model):
    """An alert for one recipient: in the app for users, by email for everyone."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="notifications")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    email = models.EmailField(blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-alert__created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["alert", "user"],
                condition=models.Q(user__isnull=False),
                name="notification_once_per_user",
            ),
            models.UniqueConstraint(
                fields=["alert", "email"],
                condition=~models.Q(email=""),
                name="notification_once_per_address",
            ),
        ]

    def __str__(self):
        return f"{self.alert} to {self.user or self.email}"
