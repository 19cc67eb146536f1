from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from governance.core import kept
from governance.core.alerting import EmailChoice
from governance.core.datepolicy import DatePolicyMixin
from governance.core.permissions import RestrictedQuerySet
from governance.core.roles import COMMISSIONER_ROLES, Role


class UserQuerySet(RestrictedQuerySet):
    def scope(self, user, action):
        return self


class GovernanceUserManager(UserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True


class User(DatePolicyMixin, AbstractUser):
    """A person who signs in. Provider staff belong to their provider organisation."""

    organisation = models.ForeignKey(
        "contracts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text="Required for provider staff: they see only this organisation's records.",
    )
    job_title = models.CharField(max_length=200, blank=True)
    notification_emails = models.CharField(
        "How you get notifications by email",
        max_length=20,
        choices=EmailChoice.choices,
        default=EmailChoice.DIGEST,
    )

    objects = GovernanceUserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta(AbstractUser.Meta):
        ordering = ["last_name", "first_name", "username"]
        swappable = "AUTH_USER_MODEL"

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def role_codes(self) -> frozenset[str]:
        # Templates and scope checks ask often: read once a request, and kept between
        # requests until an account, a role or a permission changes.
        if not hasattr(self, "_role_codes"):
            self._role_codes = (
                kept.remember(("roles", self.pk), self._read_role_codes, access=True)
                if self.pk
                else self._read_role_codes()
            )
        return self._role_codes

    def _read_role_codes(self) -> frozenset[str]:
        labels = {group.name for group in self.groups.all()}
        return frozenset(role.value for role in Role if role.label in labels)

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_codes.intersection(roles))

    @property
    def role_labels(self) -> list[str]:
        return [Role(code).label for code in sorted(self.role_codes)]

    @property
    def is_provider_user(self) -> bool:
        """Provider staff with no commissioner role are confined to their organisation."""
        return self.has_role(Role.PROVIDER) and not self.role_codes.intersection(COMMISSIONER_ROLES)


class DocumentCategory(models.TextChoices):
    CONTRACT = "contract", "Contract"
    SLA = "sla", "Service level agreement"
    MINUTES = "minutes", "Minutes"
    REPORT = "report", "Report"
    PLAN = "plan", "Plan"
    EVIDENCE = "evidence", "Evidence"
    CORRESPONDENCE = "correspondence", "Correspondence"
    OTHER = "other", "Other"


def document_upload_to(instance, filename):
    kind = instance.content_type
    return f"documents/{kind.app_label}/{kind.model}/{instance.object_id}/{filename}"


class DocumentQuerySet(RestrictedQuerySet):
    def scope(self, user, action):
        # A document is as visible as the record it is attached to; views look the
        # record up through its own restrict() before listing or serving documents.
        return self

    def for_object(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)


class Document(DatePolicyMixin, models.Model):
    """A file attached to a governed record (organisation, contract, meeting, ...)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    attached_to = GenericForeignKey("content_type", "object_id")
    title = models.CharField(max_length=200)
    category = models.CharField(max_length=20, choices=DocumentCategory.choices)
    version = models.PositiveIntegerField(default=1)
    file = models.FileField(upload_to=document_upload_to, max_length=500)
    original_filename = models.CharField(max_length=255)
    media_type = models.CharField(max_length=100)
    size_bytes = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # The document's words, read from the file when it is uploaded, for the search box.
    text = models.TextField(blank=True, editable=False)

    objects = DocumentQuerySet.as_manager()
    # The words come from the file, which the history already names.
    history = HistoricalRecords(excluded_fields=["text"])

    class Meta:
        ordering = ["title", "-version"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "title", "version"],
                name="document_version_unique_per_record",
            )
        ]

    def __str__(self):
        return f"{self.title} (version {self.version})"

    def get_absolute_url(self):
        return reverse("governance:document_download", args=[self.pk])
