"""Rules for organisations and their contacts."""

from django.db import transaction

from contracts.register.models.organisations import Contact, Organisation
from governance.core.services import record_create, record_update


@transaction.atomic
def organisation_create(*, actor, reason: str = "", **fields) -> Organisation:
    return record_create(model=Organisation, fields=fields, actor=actor, reason=reason)


@transaction.atomic
def organisation_update(*, instance: Organisation, actor, reason: str, **fields) -> list[str]:
    return record_update(instance=instance, fields=fields, actor=actor, reason=reason)


@transaction.atomic
def contact_create(*, actor, reason: str = "", **fields) -> Contact:
    return record_create(model=Contact, fields=fields, actor=actor, reason=reason)


@transaction.atomic
def contact_update(*, instance: Contact, actor, reason: str, **fields) -> list[str]:
    return record_update(instance=instance, fields=fields, actor=actor, reason=reason)
