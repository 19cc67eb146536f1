from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from contracts.register.choices import ContactRole, OrganisationKind
from governance.core.datepolicy import DatePolicyMixin
from governance.core.permissions import RestrictedQuerySet

companies_house_number = RegexValidator(
    r"^(?:[0-9]{8}|[A-Z]{2}[0-9]{6})$",
    "Enter a Companies House number of 8 characters, like 01234567 or SC123456.",
)


class OrganisationQuerySet(RestrictedQuerySet):
    def scope(self, user, action):
        if user.is_provider_user:
            return self.filter(pk=user.organisation_id) if action == "view" else self.none()
        return self


class Organisation(DatePolicyMixin, models.Model):
    """A commissioning body or a provider of outsourced services."""

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    companies_house_number = models.CharField(
        "Companies House number",
        max_length=8,
        blank=True,
        validators=[companies_house_number],
        help_text="For registered companies and charitable companies.",
    )
    charity_number = models.CharField(max_length=20, blank=True)
    address = models.TextField(blank=True)
    email = models.EmailField("Main email address", blank=True)
    telephone = models.CharField(max_length=30, blank=True)
    website = models.URLField(blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("contracts:organisation_detail", args=[self.pk])


class ContactQuerySet(RestrictedQuerySet):
    def scope(self, user, action):
        if user.is_provider_user:
            if action != "view":
                return self.none()
            return self.filter(organisation_id=user.organisation_id)
        return self


class Contact(DatePolicyMixin, models.Model):
    """A named person at an organisation: contract manager, escalation contact, SRIE, ..."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="contacts"
    )
    name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=30, choices=ContactRole.choices)
    email = models.EmailField("Email address")
    telephone = models.CharField(max_length=30, blank=True)
    is_active = models.BooleanField(
        "Current contact", default=True, help_text="Untick when the person leaves the role."
    )

    objects = ContactQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                name="contact_email_unique_per_organisation",
                violation_error_message=(
                    "This organisation already has a contact with that email address."
                ),
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.organisation})"

    def get_absolute_url(self):
        return reverse("contracts:contact_detail", args=[self.pk])
