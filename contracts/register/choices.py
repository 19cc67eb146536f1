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


class MeetingCadence(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    SIX_MONTHLY = "six_monthly", "Every six months"


class OverallStatus(models.TextChoices):
    """A contract's overall status, worked out by one rule (governance/overall_status.py)
    from its latest accepted quarter, overdue returns, risks, disputes and missed
    deadlines. A quarter's own RAG is a ``Rag`` and is always labelled with its quarter."""

    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    NOT_YET_REPORTED = "not_reported", "Not yet reported"


class Rag(models.TextChoices):
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"
    NONE = "none", "Not reported"
