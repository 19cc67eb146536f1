from django.db import models


class DisputeNature(models.TextChoices):
    SERVICE_FAILURE = "service_failure", "Service failure"
    BREACH_OF_TRUST = "breach_of_trust", "Breach of trust"
    OTHER = "other", "Other significant concern"


class Stage(models.TextChoices):
    """Where a dispute stands: the informal route, one of the seven formal stages, or
    closed. The formal stages are taken in order unless SMG endorses a skip."""

    INFORMAL = "informal", "Informal route"
    STAGE_1 = "stage_1", "Stage 1: escalation approved"
    STAGE_2 = "stage_2", "Stage 2: written notice"
    STAGE_3 = "stage_3", "Stage 3: dispute meeting"
    STAGE_4 = "stage_4", "Stage 4: action plan"
    STAGE_5 = "stage_5", "Stage 5: mediation"
    STAGE_6 = "stage_6", "Stage 6: arbitration"
    STAGE_7 = "stage_7", "Stage 7: litigation"
    CLOSED = "closed", "Closed"


#: Position of each stage: a move is "in order" when it goes one place up.
STAGE_ORDER = {stage: index for index, stage in enumerate(Stage)}
FORMAL_STAGES = tuple(Stage)[1:8]
OPEN_STAGES = tuple(Stage)[:8]


class InformalOutcome(models.TextChoices):
    RESOLVED = "resolved", "Resolved informally"
    ESCALATE = "escalate", "Formal escalation recommended"


class Party(models.TextChoices):
    COMMISSIONER = "commissioner", "The commissioner"
    PROVIDER = "provider", "The provider"


class ArbitratorAppointment(models.TextChoices):
    AGREED = "agreed", "Agreed by both parties"
    LAW_SOCIETY = (
        "law_society",
        ("Appointed by the President of the Law Society of England and Wales"),
    )


class Outcome(models.TextChoices):
    RESOLVED = "resolved", "Resolved"
    WITHDRAWN = "withdrawn", "Withdrawn"
    TERMINATED = "terminated", "Contract terminated"


class EndorsementKind(models.TextChoices):
    ESCALATION = "escalation", "Agreement to the formal procedure (stage 1)"
    SKIP = "skip", "Endorsement to skip to a higher stage"
    OUTCOME = "outcome", "Endorsement of the outcome"
    SIGN_OFF = "sign_off", "Sign-off of the action plan's completion report"


class EventKind(models.TextChoices):
    RAISED = "raised", "Dispute raised"
    ASSESSED = "assessed", "Significance assessed"
    PDM_TOLD = "pdm_told", "Policy development manager told"
    SMG_BRIEFED = "smg_briefed", "SMG briefed"
    CONCERN_IN_WRITING = "concern_in_writing", "Concern put to the provider in writing"
    APPROACH_AGREED = "approach_agreed", "Approach agreed with the provider"
    SMG_INFORMED = "smg_informed", "SMG kept informed"
    INFORMAL_OUTCOME = "informal_outcome", "Informal route outcome"
    ENDORSEMENT = "endorsement", "SMG endorsement"
    STAGE_CHANGE = "stage_change", "Stage changed"
    RECEIPT_CONFIRMED = "receipt_confirmed", "Receipt of the notice confirmed"
    ACTION_ADDED = "action_added", "Action added to the action plan"
    COMPLETION_REPORT = "completion_report", "Action plan completion report"
    PROVIDER_INFORMED = "provider_informed", "Provider sent the completion report"
    MEDIATION_ENDED = "mediation_ended", "Mediation ended"
    SETTLEMENT = "settlement", "Settlement signed"
    ARBITRATION_AWARD = "arbitration_award", "Arbitration award"
    JUDGMENT = "judgment", "Court judgment"
    TERMINATION = "termination", "Termination recorded"
    CLOSED = "closed", "Dispute closed"
    NOTE = "note", "Note"
    CORRECTION = "correction", "Correction"


class ExclusionReason(models.TextChoices):
    TERMINATION = "termination", "Contract terminated"
    PERFORMANCE = "performance", "Repeated unsatisfactory performance"
