"""The contracts checklist: evidence that a contract's terms are met.

Standard items come from the ChecklistItemType reference data; officers may add items of
their own. Recording evidence verifies an item (who and when), attaches the evidence
document to the contract and, for evidence that lapses, records when it expires.
"""

import copy
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from contracts.assurance.choices import ChecklistStatus
from contracts.assurance.models.slas import ChecklistItem, ChecklistItemType
from contracts.register.choices import ContractStatus
from contracts.register.models.contracts import Contract
from governance.core.permissions import require_officer
from governance.core.row_locks import locked
from governance.core.services import document_upload, record_save, record_update

#: Contracts whose checklist may still gain items.
CHECKLIST_CONTRACT_STATUSES = (ContractStatus.DRAFT, ContractStatus.ACTIVE, ContractStatus.IN_EXIT)
OFFICERS_ONLY = "Only the contract's lead or deputy officer can change its checklist."


def _today() -> datetime.date:
    return timezone.localdate()


def _open_contract(contract: Contract, actor) -> Contract:
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    require_officer(actor, contract, Contract, "change", OFFICERS_ONLY)
    if contract.status not in CHECKLIST_CONTRACT_STATUSES:
        raise ValidationError("This contract has ended: items can no longer be added.")
    return contract


def missing_standard_types(contract: Contract) -> list[ChecklistItemType]:
    """The standard items the contract's checklist does not have yet, by type or by a
    title that differs only in case."""
    present = list(contract.checklist.values_list("item_type_id", "title"))
    type_ids = {type_id for type_id, _ in present if type_id}
    titles = {title.casefold() for _, title in present}
    return [
        item_type
        for item_type in ChecklistItemType.objects.all()
        if item_type.pk not in type_ids and item_type.name.casefold() not in titles
    ]


@transaction.atomic
def checklist_add(
    *,
    contract: Contract,
    actor,
    item_type: ChecklistItemType | None = None,
    title: str = "",
    reason: str = "",
) -> ChecklistItem:
    contract = _open_contract(contract, actor)
    field = "item_type" if item_type is not None else "title"
    title = item_type.name if item_type is not None else title.strip()
    if not title:
        raise ValidationError({"title": "Choose a standard item or enter the item's title."})
    existing = contract.checklist.filter(title__iexact=title)
    if item_type is not None:
        existing = existing | contract.checklist.filter(item_type=item_type)
    if existing.exists():
        raise ValidationError({field: f"This contract's checklist already has “{title}”."})
    item = ChecklistItem(contract=contract, item_type=item_type, title=title)
    return record_save(instance=item, actor=actor, reason=reason or "Added to the checklist")


@transaction.atomic
def checklist_add_standard(*, contract: Contract, actor) -> list[ChecklistItem]:
    """Adds every standard item the contract lacks; returns those added (none: the
    checklist already had them all)."""
    contract = _open_contract(contract, actor)
    added = []
    for item_type in missing_standard_types(contract):
        item = ChecklistItem(contract=contract, item_type=item_type, title=item_type.name)
        added.append(record_save(instance=item, actor=actor, reason="Standard item added"))
    return added


@transaction.atomic
def checklist_record(
    *,
    item: ChecklistItem,
    actor,
    reason: str,
    status: str,
    verified_on: datetime.date | None,
    expires_on: datetime.date | None,
    notes: str,
    evidence=None,
) -> list[str]:
    """Record the state of an item's evidence. Returns the names of the fields that
    changed (empty: nothing was saved)."""
    item = locked(item, "contract", "item_type")
    require_officer(actor, item.contract, Contract, "change", OFFICERS_ONLY)
    errors = {}
    if status == ChecklistStatus.VERIFIED:
        if verified_on is None:
            errors["verified_on"] = "Enter the date the evidence was verified."
        elif verified_on > _today():
            errors["verified_on"] = "The date verified cannot be in the future."
        if item.item_type is not None and item.item_type.expires and expires_on is None:
            errors["expires_on"] = "This evidence expires: enter the date it expires."
    else:
        # Only verified evidence has a verification date, a verifier and an expiry.
        verified_on = expires_on = None
    if status == ChecklistStatus.NOT_APPLICABLE and not notes.strip():
        errors["notes"] = "Explain in the notes why this item does not apply to the contract."
    if expires_on and verified_on and expires_on <= verified_on and "verified_on" not in errors:
        errors["expires_on"] = "The expiry date must be after the date verified."
    if errors:
        raise ValidationError(errors)

    verification_changed = status == ChecklistStatus.VERIFIED and (
        item.status != ChecklistStatus.VERIFIED
        or item.verified_on != verified_on
        or evidence is not None
    )
    if status != ChecklistStatus.VERIFIED:
        verified_by = None
    elif verification_changed:
        verified_by = actor
    else:
        # A note added to evidence verified earlier does not change who verified it.
        verified_by = item.verified_by
    fields = {
        "status": status,
        "verified_on": verified_on,
        "verified_by": verified_by,
        "expires_on": expires_on,
        "notes": notes,
    }
    if evidence is not None:
        # Check everything else before the file is stored: a rollback would not remove it.
        if not reason or not reason.strip():
            raise ValidationError({"change_reason": "Give a reason for this change."})
        candidate = copy.copy(item)
        for name, value in fields.items():
            setattr(candidate, name, value)
        candidate.full_clean()
        try:
            fields["evidence"] = document_upload(
                attached_to=item.contract,
                upload=evidence,
                title=item.title,
                category="evidence",
                actor=actor,
            )
        except ValidationError as exc:
            raise ValidationError({"evidence": exc.messages}) from exc
    return record_update(instance=item, fields=fields, actor=actor, reason=reason)
