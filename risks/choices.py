from django.db import models


class RiskKind(models.TextChoices):
    RISK = "risk", "Risk"
    ISSUE = "issue", "Issue"


class RiskCategory(models.TextChoices):
    SERVICE_DELIVERY = "service_delivery", "Service delivery"
    FINANCIAL = "financial", "Financial"
    REPUTATIONAL = "reputational", "Reputational"
    SAFEGUARDING = "safeguarding", "Safeguarding"
    LEGAL = "legal_compliance", "Legal and compliance"
    DATA = "data", "Data"
    EXIT = "exit", "Exit"
    OTHER = "other", "Other"


class RiskLevel(models.TextChoices):
    STRATEGIC = "strategic", "Strategic (watched by the commissioner)"
    OPERATIONAL = "operational", "Operational (handled by the provider)"


class Allocation(models.TextChoices):
    """The party best placed to manage the risk. Shared risks are on the register the
    provider sees."""

    COMMISSIONER = "commissioner", "Commissioner"
    PROVIDER = "provider", "Provider"
    SHARED = "shared", "Shared"


class RiskStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class ReviewFrequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    SIX_MONTHLY = "six_monthly", "Every six months"
    DAYS = "days", "Every set number of days"


#: Calendar months between reviews for the frequencies counted in months.
FREQUENCY_MONTHS = {
    ReviewFrequency.MONTHLY: 1,
    ReviewFrequency.QUARTERLY: 3,
    ReviewFrequency.SIX_MONTHLY: 6,
}


class Likelihood(models.IntegerChoices):
    RARE = 1, "1 Rare"
    UNLIKELY = 2, "2 Unlikely"
    POSSIBLE = 3, "3 Possible"
    LIKELY = 4, "4 Likely"
    ALMOST_CERTAIN = 5, "5 Almost certain"


class Impact(models.IntegerChoices):
    NEGLIGIBLE = 1, "1 Negligible"
    MINOR = 2, "2 Minor"
    MODERATE = 3, "3 Moderate"
    MAJOR = 4, "4 Major"
    SEVERE = 5, "5 Severe"


class ScoreBasis(models.TextChoices):
    """Which pair of scores a heatmap or a score filter reads."""

    RESIDUAL = "residual", "Residual (after mitigation)"
    INHERENT = "inherent", "Inherent (before mitigation)"
