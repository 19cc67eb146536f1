from django.db import models


class SlaStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AGREED = "agreed", "Current"
    SUPERSEDED = "superseded", "Superseded"


class ChecklistStatus(models.TextChoices):
    OUTSTANDING = "outstanding", "Evidence outstanding"
    VERIFIED = "verified", "Verified"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class ComplaintCategory(models.TextChoices):
    QUALITY = "quality", "Quality of service"
    ACCESS = "access", "Access and waiting times"
    STAFF = "staff", "Staff conduct"
    COMMUNICATION = "communication", "Communication"
    DATA = "data", "Data and confidentiality"
    OTHER = "other", "Other"


class AuditType(models.TextChoices):
    CASE_FILES = "case_files", "Case files"
    FEEDBACK = "feedback", "Service-user feedback"
    SECURITY = "security", "Security inspection"
    CUSTOMER_JOURNEY = "customer_journey", "Customer journey"
    STAFF = "staff", "Staff and volunteers"
    FINANCE = "finance", "Finance"
    KPI_METHODOLOGY = "kpi_methodology", "Performance indicator methodology"


class AuditStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    PLANNED = "planned", "Planned"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"
