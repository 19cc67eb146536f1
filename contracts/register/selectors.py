from django.db.models import (
    Count,
    Q,
    QuerySet,
)

from contracts.register.models.contracts import Contract, ExtensionOption, Variation
from contracts.register.models.organisations import Contact, Organisation
from governance.core.models.base import User


def organisation_list(user) -> QuerySet[Organisation]:
    return Organisation.objects.restrict(user, "view").annotate(
        contact_count=Count("contacts", filter=Q(contacts__is_active=True))
    )


def contact_list(user) -> QuerySet[Contact]:
    return Contact.objects.restrict(user, "view").select_related("organisation")


def contract_list(user) -> QuerySet[Contract]:
    """Contracts the user may see, with their stored overall status and latest quarter."""
    return Contract.objects.restrict(user, "view").select_related("provider", "overall")


def extension_list(user) -> QuerySet[ExtensionOption]:
    return ExtensionOption.objects.restrict(user, "view").select_related(
        "contract", "contract__provider", "decided_by"
    )


def variation_list(user) -> QuerySet[Variation]:
    return Variation.objects.restrict(user, "view").select_related(
        "contract", "decided_by", "proposed_by"
    )


#: A contract's people: (those with accounts, provider contacts).
OFFICER_FIELDS = ("lead_officer", "deputy_officer", "senior_responsible_owner")
CONTACT_FIELDS = ("provider_contract_manager", "provider_executive", "escalation_contact")


def with_people(contract: Contract) -> Contract:
    """Attach the contract's officers and provider contacts, read in two queries (one
    per table) rather than joined to the contract: PostgreSQL takes several times longer
    to plan the ten-table join than to run it."""
    for model, fields in ((User, OFFICER_FIELDS), (Contact, CONTACT_FIELDS)):
        ids = {getattr(contract, f"{name}_id") for name in fields} - {None}
        found = model._base_manager.in_bulk(ids) if ids else {}
        for name in fields:
            person = found.get(getattr(contract, f"{name}_id"))
            Contract._meta.get_field(name).set_cached_value(contract, person)
    return contract
