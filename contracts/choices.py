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
