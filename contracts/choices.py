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
