"""The notices a contract owes, and the one status machine every notice follows from
owed to published.

A notice is owed once per duty: ``notice_owe`` gets or creates it on its key, so the
daily sweep and the services that owe notices as things happen can run any number of
times. Every notice moves through ``notice_transition``, whose table below holds each
step's guard; only SMG approves a notice, and never the person who drafted it."""

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from contracts.procurement.choices import NoticeKind, NoticeStatus
from contracts.procurement.models import ContractEnding, Notice
from contracts.register.models.contracts import Contract, Variation
from contracts.register.services.contracts import variation_take_effect
from governance.core.duties import require_different_person
from governance.core.permissions import officer_may
from governance.core.row_locks import locked
from governance.core.services import record_save
from governance.core.step_tables import table_step

NOTICE_CODES = {
    NoticeKind.CONTRACT_DETAILS: "UK7",
    NoticeKind.PERFORMANCE: "UK9",
    NoticeKind.BREACH: "UK9",
    NoticeKind.CHANGE: "UK10",
    NoticeKind.TERMINATION: "UK11",
    NoticeKind.PAYMENTS_OVER_30K: "",  # published on the authority's own pages, not FTS
}


def _today() -> datetime.date:
    return timezone.localdate()


def notice_code(kind: str) -> str:
    """Find a Tender's code for a kind of notice ("UK7"); "" when it has none."""
    if kind == NoticeKind.PAYMENTS_COMPLIANCE:
        return settings.PROCUREMENT_PAYMENTS_COMPLIANCE_CODE
    return NOTICE_CODES.get(kind, "")


# -- Owing a notice ------------------------------------------------------------------


@transaction.atomic
def notice_owe(
    *,
    contract: Contract | None,
    kind: str,
    due_on: datetime.date,
    key: str = "contract",
    source=None,
    actor=None,
    reason: str,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
) -> tuple[Notice, bool]:
    """The notice ``contract`` (None: the whole authority) owes for the duty ``(kind,
    key)``, created the first time
    it is owed. Returns (notice, created). Idempotent: a second call (the sweep the next
    day, a service retried) finds the existing notice and changes nothing."""
    existing = Notice.objects.filter(contract=contract, kind=kind, key=key).first()
    if existing is not None:
        return existing, False
    notice = Notice(
        contract=contract,
        kind=kind,
        key=key,
        due_on=due_on,
        period_start=period_start,
        period_end=period_end,
    )
    if source is not None:
        notice.source_type = ContentType.objects.get_for_model(source)
        notice.source_id = source.pk
    try:
        with transaction.atomic():
            record_save(instance=notice, actor=actor, reason=reason)
    except IntegrityError:
        # Owed at the same moment by another process: theirs stands.
        return Notice.objects.get(contract=contract, kind=kind, key=key), False
    return notice, True


# -- The notice status machine -------------------------------------------------------


def _officer(notice: Notice, actor) -> bool:
    return officer_may(actor, notice.contract, Notice, "change")


def _smg(notice: Notice, actor) -> bool:
    return actor.has_perm("contracts.approve_notice")


def _guard_draft(notice, actor, fields) -> list[str]:
    if not str(fields.get("summary") or "").strip():
        raise ValidationError({"summary": "Write the notice text."})
    if (
        notice.kind == NoticeKind.TERMINATION
        and not ContractEnding.objects.filter(contract=notice.contract_id).exists()
    ):
        return [
            "Record why and when the contract ended (on the contract's Procurement tab) "
            "before drafting its termination notice."
        ]
    return []


def _guard_approve(notice, actor, fields) -> list[str]:
    require_different_person(
        actor=actor, proposer=notice.drafted_by_id, did="drafted this notice", step="approve it"
    )
    return []


def _guard_publish(notice, actor, fields) -> list[str]:
    errors = {}
    if not str(fields.get("fts_identifier") or "").strip():
        errors["fts_identifier"] = (
            "Enter the notice identifier Find a Tender gave the published notice."
        )
    published_on = fields.get("published_on")
    if published_on is None:
        errors["published_on"] = "Enter the date the notice was published."
    elif published_on > _today():
        errors["published_on"] = "The date published cannot be in the future."
    if errors:
        raise ValidationError(errors)
    return []


def _guard_not_required(notice, actor, fields) -> list[str]:
    if not str(fields.get("not_required_reason") or "").strip():
        raise ValidationError({"not_required_reason": "Say why the notice is not required."})
    return []


def _guard_reopen(notice, actor, fields) -> list[str]:
    return []


#: (from, to) -> (who may take the step, the step's guard, the fields it sets). A guard
#: returns what is missing (or raises with messages beside fields); empty means allowed.
TRANSITIONS = {
    (NoticeStatus.DUE, NoticeStatus.DRAFTED): (_officer, _guard_draft, ("summary",)),
    (NoticeStatus.DRAFTED, NoticeStatus.DRAFTED): (_officer, _guard_draft, ("summary",)),
    (NoticeStatus.DRAFTED, NoticeStatus.APPROVED): (_smg, _guard_approve, ()),
    (NoticeStatus.DRAFTED, NoticeStatus.DUE): (_officer, _guard_reopen, ()),
    (NoticeStatus.APPROVED, NoticeStatus.DRAFTED): (_officer, _guard_draft, ("summary",)),
    (NoticeStatus.APPROVED, NoticeStatus.PUBLISHED): (
        _officer,
        _guard_publish,
        ("fts_identifier", "published_on"),
    ),
    (NoticeStatus.DUE, NoticeStatus.NOT_REQUIRED): (
        _officer,
        _guard_not_required,
        ("not_required_reason",),
    ),
    (NoticeStatus.DRAFTED, NoticeStatus.NOT_REQUIRED): (
        _officer,
        _guard_not_required,
        ("not_required_reason",),
    ),
    (NoticeStatus.NOT_REQUIRED, NoticeStatus.DUE): (_officer, _guard_reopen, ()),
}

WHO = {
    _officer: "Only the contract's lead or deputy officer can do this.",
    _smg: "Only a member of the Senior Management Group can approve a notice.",
}

STEP_NAMES = {
    NoticeStatus.DRAFTED: "Save the draft",
    NoticeStatus.APPROVED: "Approve for publication",
    NoticeStatus.PUBLISHED: "Record as published",
    NoticeStatus.NOT_REQUIRED: "Record as not required",
    NoticeStatus.DUE: "Reopen",
}


def allowed_steps(notice: Notice, actor) -> list[str]:
    """The statuses ``actor`` may move the notice to now (for the page's buttons)."""
    steps = []
    for (frm, to), (who, _guard, _fields) in TRANSITIONS.items():
        if frm == notice.status and who(notice, actor):
            if to == NoticeStatus.APPROVED and notice.drafted_by_id == actor.pk:
                continue
            steps.append(to)
    return steps


@transaction.atomic
def notice_transition(*, notice: Notice, to: str, actor, reason: str = "", **fields) -> Notice:
    """Move a notice to status ``to``, setting the step's own fields (the text when
    drafting; the identifier and date when published; the reason when not required)."""
    notice = locked(notice, "contract")
    who, guard, settable = table_step(TRANSITIONS, notice, to, noun="notice", statuses=NoticeStatus)
    if not who(notice, actor):
        raise ValidationError(WHO[who])
    unknown = set(fields) - set(settable)
    if unknown:
        raise ValueError(f"{', '.join(sorted(unknown))} cannot be set when the notice is {to}")
    problems = guard(notice, actor, fields)
    if problems:
        raise ValidationError(problems)
    for name, value in fields.items():
        setattr(notice, name, value.strip() if isinstance(value, str) else value)
    now = timezone.now()
    if to == NoticeStatus.DRAFTED:
        notice.drafted_by, notice.drafted_at = actor, now
        notice.approved_by, notice.approved_at = None, None
    elif to == NoticeStatus.APPROVED:
        notice.approved_by, notice.approved_at = actor, now
    elif to == NoticeStatus.DUE:
        notice.not_required_reason = ""
    notice.status = to
    default_reason = {
        NoticeStatus.DRAFTED: "Notice drafted",
        NoticeStatus.APPROVED: "Approved for publication",
        NoticeStatus.PUBLISHED: f"Published on Find a Tender as {notice.fts_identifier}",
        NoticeStatus.NOT_REQUIRED: notice.not_required_reason,
        NoticeStatus.DUE: "Reopened",
    }[to]
    record_save(instance=notice, actor=actor, reason=reason or default_reason)
    if to in (NoticeStatus.PUBLISHED, NoticeStatus.NOT_REQUIRED):
        change_notice_settled(notice=notice, actor=actor)
    return notice


def change_notice_settled(*, notice: Notice, actor) -> bool:
    """After a change notice is published or set aside: the variation it is for takes
    effect if nothing else holds it back."""
    if notice.kind != NoticeKind.CHANGE or notice.contract_id is None:
        return False
    variation = Variation.objects.filter(pk=notice.source_id, contract=notice.contract_id).first()
    if variation is None:
        return False
    why = (
        f"its change notice was published as {notice.fts_identifier}"
        if notice.status == NoticeStatus.PUBLISHED
        else "its change notice was recorded as not required"
    )
    return variation_take_effect(variation=variation, actor=actor, reason=why)
