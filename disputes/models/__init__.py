"""Django's models entry for the disputes app: the dispute procedure and the exclusion
register each keep their own module."""

from disputes.models.disputes import (
    Dispute,
    DisputeEndorsement,
    DisputeEvent,
    SignificanceAssessment,
)
from disputes.models.exclusions import Exclusion

__all__ = [
    "Dispute",
    "DisputeEndorsement",
    "DisputeEvent",
    "Exclusion",
    "SignificanceAssessment",
]
