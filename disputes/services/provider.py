"""What provider staff do on a dispute put to them: confirm receipt of the notice."""

from django.core.exceptions import ValidationError
from django.db import transaction

from disputes.choices import EventKind, Stage
from disputes.models.disputes import Dispute
from disputes.services.common import _lock, _today, _write_event
from disputes.services.guards import STEPS
from governance.core.services import record_save


def receipt_refusal(dispute: Dispute) -> str:
    """Why receipt of the notice cannot be confirmed now ("" when it can), by the rules
    the commissioner's own "Receipt confirmed" step follows."""
    if dispute.stage != Stage.STAGE_2:
        return "There is no dispute notice waiting for you to confirm."
    problems = STEPS["receipt_confirmed"].guard(dispute, {"on": _today()})
    return " ".join(str(problem) for problem in problems.values())


@transaction.atomic
def dispute_receipt_confirm(*, dispute: Dispute, actor) -> Dispute:
    """Provider staff confirm their organisation received the dispute notice, today.
    Who and when go into the dispute's history and its timeline."""
    dispute = _lock(dispute)
    if not (
        actor.is_provider_user
        and actor.has_perm("disputes.confirm_dispute_receipt")
        and actor.organisation_id == dispute.contract.provider_id
    ):
        raise ValidationError(
            "Only staff of the provider the notice was sent to can confirm its receipt."
        )
    refusal = receipt_refusal(dispute)
    if refusal:
        raise ValidationError(refusal)
    today = _today()
    dispute.receipt_confirmed_on = today
    who = f"{actor} ({actor.organisation})"
    record_save(instance=dispute, actor=actor, reason=f"Receipt of the notice confirmed by {who}")
    _write_event(
        dispute,
        actor,
        kind=EventKind.RECEIPT_CONFIRMED,
        stage_from=dispute.stage,
        stage_to=dispute.stage,
        occurred_on=today,
        summary=f"{who} confirmed receipt of the notice",
    )
    return dispute
