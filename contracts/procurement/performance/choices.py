from django.db import models


class AssessmentRating(models.TextChoices):
    """The five ratings a KPI assessment may be given, and no other."""

    GOOD = "good", "Good"
    APPROACHING = "approaching_target", "Approaching target"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"
    OTHER = "other", "Other"


#: How Find a Tender classifies each rating (the UK profile's measure classifications).
MEASURE_CLASSIFICATION = {
    AssessmentRating.GOOD: "met",
    AssessmentRating.APPROACHING: "slightlyBelow",
    AssessmentRating.REQUIRES_IMPROVEMENT: "below",
    AssessmentRating.INADEQUATE: "significantlyBelow",
    AssessmentRating.OTHER: "other",
}


class AssessmentOccasion(models.TextChoices):
    ANNUAL = "annual", "Yearly assessment"
    ENDING = "ending", "Assessment when the contract ends"


class AssessmentStatus(models.TextChoices):
    DUE = "due", "To be assessed"
    SUBMITTED = "submitted", "Waiting for SMG approval"
    APPROVED = "approved", "Approved"
    CANCELLED = "cancelled", "Cancelled"


#: Statuses in which an assessment is still owed.
OPEN_ASSESSMENT_STATUSES = (AssessmentStatus.DUE, AssessmentStatus.SUBMITTED)


class FailureKind(models.TextChoices):
    BREACH = "breach", "Breach of contract"
    POOR_PERFORMANCE = "poor_performance", "Poor performance not put right"


class BreachConsequence(models.TextChoices):
    """What a breach led to: only these make it one the Act says to publish."""

    TERMINATION = "termination", "The contract was terminated"
    PARTIAL_TERMINATION = "partial_termination", "Part of the contract was terminated"
    DAMAGES = "damages", "Damages were awarded"
    SETTLEMENT = "settlement", "A settlement agreement was made"


class PenaltyType(models.TextChoices):
    """How a penalty was decided (Find a Tender's closed list)."""

    CONTRACTED = "contracted", "Set by the contract"
    IMPOSED = "imposed", "Imposed by a court or tribunal"
    NEGOTIATED = "negotiated", "Negotiated in a settlement"


class FailureStatus(models.TextChoices):
    PROPOSED = "proposed", "Waiting for SMG decision"
    RECORDED = "recorded", "Recorded for publication"
    DECLINED = "declined", "Not recorded"
