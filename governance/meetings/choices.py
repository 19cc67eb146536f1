from django.db import models


class MeetingKind(models.TextChoices):
    MONITORING = "monitoring", "Contract monitoring (quarterly)"
    SIX_MONTHLY = "six_monthly", "Strategic review (six-monthly)"
    ANNUAL = "annual", "Strategic review (annual)"


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class DecisionLevel(models.TextChoices):
    CONTRACT_MANAGER = "contract_manager", "Contract manager"
    PDM = "pdm", "Policy development manager"
    SMG = "smg", "Senior Management Group"
    COMMISSIONER = "commissioner", "Commissioner"


class DecisionStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    SUPERSEDED = "superseded", "Superseded"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class ActionSource(models.TextChoices):
    MEETING = "meeting", "Meeting"
    AUDIT = "audit", "Audit"
    IMPROVEMENT_PLAN = "improvement_plan", "Improvement plan"
    DISPUTE = "dispute", "Dispute action plan"
    HEALTH_CHECK = "health_check", "Health check"
    OTHER = "other", "Other"
