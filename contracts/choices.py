from django.db import models


class OrganisationKind(models.TextChoices):
    COMMISSIONER = "commissioner", "Commissioner"
    PROVIDER = "provider", "Provider"


class ContactRole(models.TextChoices):
    CONTRACT_MANAGER = "contract_manager", "Contract manager"
    ESCALATION = "escalation", "Escalation contact"
    SENIOR_RESPONSIBLE = "senior_responsible", "Senior responsible owner or executive"
    FINANCE = "finance", "Finance contact"
    OPERATIONS = "operations", "Operational lead"
    OTHER = "other", "Other"


class ContractStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    IN_EXIT = "in_exit", "In exit"
    ENDED = "ended", "Ended"
    TERMINATED = "terminated", "Terminated"


class Tier(models.TextChoices):
    GOLD = "gold", "Gold"
    SILVER = "silver", "Silver"
    BRONZE = "bronze", "Bronze"


class LifecycleStage(models.TextChoices):
    INITIATION = "initiation", "Initiation"
    PROCUREMENT = "procurement", "Procurement"
    CONTRACT_MANAGEMENT = "contract_management", "Contract management"


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", "Decision pending"
    EXERCISED = "exercised", "Exercised"
    DECLINED = "declined", "Declined"


class Party(models.TextChoices):
    COMMISSIONER = "commissioner", "Commissioner"
    PROVIDER = "provider", "Provider"


class VariationStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


class SlaStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AGREED = "agreed", "Current"
    SUPERSEDED = "superseded", "Superseded"


class MeetingCadence(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    SIX_MONTHLY = "six_monthly", "Every six months"


class ChecklistStatus(models.TextChoices):
    OUTSTANDING = "outstanding", "Evidence outstanding"
    VERIFIED = "verified", "Verified"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


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


class Rag(models.TextChoices):
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"
    NONE = "none", "Not reported"


class OverallStatus(models.TextChoices):
    """A contract's overall status, worked out by one rule (governance/overall_status.py)
    from its latest accepted quarter, overdue returns, risks, disputes and missed
    deadlines. A quarter's own RAG is a ``Rag`` and is always labelled with its quarter."""

    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    NOT_YET_REPORTED = "not_reported", "Not yet reported"


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
