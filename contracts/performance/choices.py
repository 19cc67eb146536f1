from django.db import models


class KpiUnit(models.TextChoices):
    PERCENTAGE = "percentage", "Percentage"
    COUNT = "count", "Count"
    DAYS = "days", "Days"
    CURRENCY = "currency", "Pounds sterling"


class KpiDirection(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class KpiFrequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    ANNUAL = "annual", "Annual"


class ReturnStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    ACCEPTED = "accepted", "Accepted"
    RETURNED = "returned", "Returned for correction"


#: Returns whose figures and RAG are reported: submitted or accepted (a draft, or one
#: returned for correction, is not yet the provider's word).
REPORTED_RETURN_STATUSES = (ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED)


class ReturnSource(models.TextChoices):
    """How a return the commissioner's staff entered for the provider reached them."""

    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    UPLOAD = "upload", "Portal or file upload"
    MEETING = "meeting", "At a meeting"
    OTHER = "other", "Another way"
