"""The rules of contract performance under the Procurement Act 2023 (s.71).

Each KPI a contract under the Act publishes is assessed at least once in every 12
months and when the contract ends. The daily sweep owes each assessment
(``assessments_owe``) ahead of its due date; the contract's lead or deputy officer
rates it, with the rating the period's RAG history suggests beside theirs
(``propose_rating``); a member of SMG other than the person who rated it approves it,
and the contract performance notice (UK9) is then owed, due
``PROCUREMENT_UK9_DUE_DAYS`` days after the assessment was made (the day it was rated
and sent to SMG), however long approval took.

A breach that led to termination, damages or a settlement, or poor performance the
provider was given the chance to put right and did not, is proposed by an officer;
once SMG decides to record it, a UK9 notice for it is owed within the same number of
days of that decision, with the penalty where one applies.

Every status change goes through one transition table per record, whose guards say in
a sentence what is missing.
"""

from contracts.procurement.performance.services.assessments import (
    ASSESSMENT_TRANSITIONS,
    PROPOSAL_RULE,
    Proposal,
    allowed_assessment_steps,
    assessed_on,
    assessment_approval_refusal,
    assessment_proposal,
    assessment_start,
    assessment_transition,
    assessment_update,
    may_approve_assessment,
    may_run_assessment,
    propose_rating,
    uk9_due_on,
)
from contracts.procurement.performance.services.common import (
    LIVE_OR_ENDED,
    notice_due_on,
    owes_assessments,
)
from contracts.procurement.performance.services.failures import (
    failure_decision_refusal,
    failure_decline,
    failure_propose,
    failure_record,
    failure_update,
    may_decide_failure,
)
from contracts.procurement.performance.services.sweep import (
    annual_assessments_owe,
    assessments_owe,
    contract_ended_on,
    ending_assessments_owe,
)

__all__ = [
    "ASSESSMENT_TRANSITIONS",
    "LIVE_OR_ENDED",
    "PROPOSAL_RULE",
    "Proposal",
    "allowed_assessment_steps",
    "annual_assessments_owe",
    "assessed_on",
    "assessment_approval_refusal",
    "assessment_proposal",
    "assessment_start",
    "assessment_transition",
    "assessment_update",
    "assessments_owe",
    "contract_ended_on",
    "ending_assessments_owe",
    "failure_decision_refusal",
    "failure_decline",
    "failure_propose",
    "failure_record",
    "failure_update",
    "may_approve_assessment",
    "may_decide_failure",
    "may_run_assessment",
    "notice_due_on",
    "owes_assessments",
    "propose_rating",
    "uk9_due_on",
]
