"""Registering a contract with how it was procured: the contract register's own services
(``contract_create``, ``contract_update``) and the procurement record in one step, so
a refused regime leaves neither saved."""

from django.db import transaction

from contracts.procurement.services import owe_contract_details
from contracts.procurement.services.duties import PROCUREMENT_FIELDS, procurement_record
from contracts.register.models.contracts import Contract
from contracts.register.services.contracts import contract_create, contract_update


def _split(fields: dict) -> tuple[dict, dict]:
    procurement = {name: fields.pop(name) for name in PROCUREMENT_FIELDS if name in fields}
    return fields, procurement


@transaction.atomic
def contract_register(*, actor, reason: str = "", **fields) -> Contract:
    contract_fields, procurement_fields = _split(dict(fields))
    contract = contract_create(actor=actor, reason=reason, **contract_fields)
    procurement_record(contract=contract, actor=actor, **procurement_fields)
    return contract


@transaction.atomic
def contract_update_with_procurement(*, instance: Contract, actor, reason: str, **fields):
    contract_fields, procurement_fields = _split(dict(fields))
    changed = contract_update(instance=instance, actor=actor, reason=reason, **contract_fields)
    changed += procurement_record(
        contract=instance, actor=actor, reason=reason, **procurement_fields
    )
    if changed:
        instance.refresh_from_db()
        owe_contract_details(contract=instance, actor=actor)
    return changed
