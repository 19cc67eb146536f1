"""The dispute procedure's rules.

Every move of a dispute goes through one of two services: ``dispute_transition`` (from
one stage to another, including closing) and ``dispute_record_step`` (a step within a
stage: the informal route's steps, receipt of the notice, SMG's endorsements, the action
plan, mediation's end, the award, the judgment, termination, notes and corrections).
Both look the move up in one table, ``guards.TRANSITIONS`` or ``guards.STEPS``, that
names who may take it and the guards it must pass; a guard returns what is missing, and
nothing is saved while anything is. Every move writes a timeline entry
(``DisputeEvent``), which is never changed afterwards.

Modules: ``common`` (who may act, shared checks, the timeline writer), ``guards`` (the
tables and every guard), ``procedure`` (the two services), ``records`` (raising,
editing, significance) and ``exclusions`` (the exclusion register).
"""

from disputes.choices import STAGE_ORDER
from disputes.services.common import (
    ANYONE,
    OFFICER,
    SMG,
    endorsement_refusal,
    is_officer,
    is_smg,
    plan_actions,
)
from disputes.services.exclusions import (
    exclusion_confirm,
    exclusion_confirmation_refusal,
    exclusion_create,
    exclusion_end_date,
    exclusion_end_early,
    may_record_exclusion,
)
from disputes.services.guards import (
    STEPS,
    TRANSITIONS,
    Rule,
    Step,
    allowed_transitions,
    available_steps,
    transition_blockers,
    who_moves_to,
)
from disputes.services.procedure import dispute_record_step, dispute_transition
from disputes.services.provider import dispute_receipt_confirm, receipt_refusal
from disputes.services.records import dispute_create, dispute_update, significance_assess

__all__ = [
    "ANYONE",
    "OFFICER",
    "SMG",
    "STAGE_ORDER",
    "STEPS",
    "TRANSITIONS",
    "Rule",
    "Step",
    "allowed_transitions",
    "available_steps",
    "dispute_create",
    "dispute_receipt_confirm",
    "dispute_record_step",
    "dispute_transition",
    "dispute_update",
    "endorsement_refusal",
    "exclusion_confirm",
    "exclusion_confirmation_refusal",
    "exclusion_create",
    "exclusion_end_date",
    "exclusion_end_early",
    "is_officer",
    "is_smg",
    "may_record_exclusion",
    "plan_actions",
    "receipt_refusal",
    "significance_assess",
    "transition_blockers",
    "who_moves_to",
]
