"""Service level agreements: drafted, agreed, then superseded by the next version.

A contract has at most one current (agreed) SLA and at most one draft. Agreeing a draft
supersedes the current version in the same transaction; superseded versions stay
readable and never change again. Only the contract's lead or deputy officer drafts,
edits and agrees an SLA.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from contracts.assurance.choices import SlaStatus
from contracts.assurance.models.slas import ImprovementPlanItem, ServiceLevelAgreement
from contracts.assurance.selectors import agreed_slas
from contracts.register.choices import ContractStatus
from contracts.register.models.contracts import Contract
from contracts.register.models.organisations import Contact
from governance.core.dates import add_business_days
from governance.core.permissions import require_officer
from governance.core.row_locks import locked
from governance.core.services import record_save, record_update

#: Contracts whose SLA may still be drafted or agreed.
SLA_CONTRACT_STATUSES = (ContractStatus.DRAFT, ContractStatus.ACTIVE, ContractStatus.IN_EXIT)

#: Fields of a new version copied from the current one ("start from the current one").
CARRIED_FIELDS = (
    "service_requirements",
    "report_due_business_days",
    "meeting_cadence",
    "reporting_arrangements",
    "clarifications",
)
CONTACT_FIELDS = ("commissioner_contacts", "provider_contacts")

AGREED_IS_READ_ONLY = "An agreed SLA cannot be changed: start a new version."
CONTRACT_ENDED = "This contract has ended: its SLA can no longer be changed."
OFFICERS_ONLY = "Only the contract's lead or deputy officer can change its SLA."


def _today() -> datetime.date:
    return timezone.localdate()


def _require_open_contract(contract: Contract) -> None:
    if contract.status not in SLA_CONTRACT_STATUSES:
        # Ended and terminated alike: a terminated contract ended early.
        raise ValidationError(CONTRACT_ENDED)


def _check_contacts(contract: Contract, contacts: dict) -> None:
    """Commissioner contacts are the commissioner's own staff; provider contacts are
    people at this contract's provider."""
    errors = {}
    provider_contacts = contacts.get("provider_contacts")
    if provider_contacts is not None:
        strangers = [c.name for c in provider_contacts if c.organisation_id != contract.provider_id]
        if strangers:
            errors["provider_contacts"] = (
                f"{', '.join(strangers)} {'is' if len(strangers) == 1 else 'are'} not a contact "
                f"at {contract.provider}."
            )
    commissioner_contacts = contacts.get("commissioner_contacts")
    if commissioner_contacts is not None:
        outsiders = [str(u) for u in commissioner_contacts if u.organisation_id is not None]
        if outsiders:
            errors["commissioner_contacts"] = (
                f"{', '.join(outsiders)} {'works' if len(outsiders) == 1 else 'work'} for a "
                "provider: choose people on the commissioner's side."
            )
    if errors:
        raise ValidationError(errors)


def _split_contacts(fields: dict) -> dict:
    return {name: list(fields.pop(name)) for name in CONTACT_FIELDS if name in fields}


def current_sla(contract: Contract) -> ServiceLevelAgreement | None:
    return agreed_slas(contract).first()


def next_version_initial(contract: Contract) -> dict:
    """What a new draft starts from: the current agreed version's content, if any."""
    current = current_sla(contract)
    if current is None:
        return {}
    initial = {name: getattr(current, name) for name in CARRIED_FIELDS}
    for name in CONTACT_FIELDS:
        initial[name] = list(getattr(current, name).values_list("pk", flat=True))
    return initial


def next_report_due(sla: ServiceLevelAgreement, today: datetime.date | None = None):
    """The next quarterly report's due date: N business days after the end of a UK
    financial quarter (30 June, 30 September, 31 December, 31 March)."""
    today = today or _today()
    quarter_ends = []
    for year in (today.year - 1, today.year, today.year + 1):
        quarter_ends += [
            datetime.date(year, 3, 31),
            datetime.date(year, 6, 30),
            datetime.date(year, 9, 30),
            datetime.date(year, 12, 31),
        ]
    for quarter_end in quarter_ends:
        due = add_business_days(quarter_end, sla.report_due_business_days)
        if due >= today:
            return quarter_end, due
    return None, None  # pragma: no cover - three years of quarters always reach today


@transaction.atomic
def sla_create_draft(
    *, contract: Contract, actor, reason: str = "", **fields
) -> ServiceLevelAgreement:
    contract = locked(contract, "provider")
    require_officer(actor, contract, Contract, "change", OFFICERS_ONLY)
    _require_open_contract(contract)
    if contract.slas.filter(status=SlaStatus.DRAFT).exists():
        raise ValidationError("This contract already has a draft SLA: finish or agree it first.")
    contacts = _split_contacts(fields)
    _check_contacts(contract, contacts)
    version = (contract.slas.aggregate(latest=Max("version"))["latest"] or 0) + 1
    sla = ServiceLevelAgreement(contract=contract, version=version, **fields)
    record_save(instance=sla, actor=actor, reason=reason or f"Version {version} drafted")
    for name, values in contacts.items():
        getattr(sla, name).set(values)
    return sla


def _locked(sla: ServiceLevelAgreement) -> ServiceLevelAgreement:
    return locked(sla, "contract", "contract__provider")


def _require_draft(sla: ServiceLevelAgreement) -> None:
    if not sla.is_draft:
        raise ValidationError(AGREED_IS_READ_ONLY)


@transaction.atomic
def sla_update_draft(*, instance: ServiceLevelAgreement, actor, reason: str, **fields) -> list[str]:
    """Returns the names of what changed (empty: nothing was saved)."""
    sla = _locked(instance)
    require_officer(actor, sla.contract, Contract, "change", OFFICERS_ONLY)
    _require_draft(sla)
    _require_open_contract(sla.contract)
    contacts = _split_contacts(fields)
    _check_contacts(sla.contract, contacts)
    changed_contacts = [
        name
        for name, values in contacts.items()
        if {obj.pk for obj in values} != set(getattr(sla, name).values_list("pk", flat=True))
    ]
    changed = record_update(instance=sla, fields=fields, actor=actor, reason=reason)
    if changed_contacts and not changed:
        # simple-history does not follow many-to-many fields: a row still says who
        # changed the points of contact and why.
        record_save(instance=sla, actor=actor, reason=reason)
    for name in changed_contacts:
        getattr(sla, name).set(contacts[name])
    return changed + changed_contacts


@transaction.atomic
def sla_agree(
    *,
    sla: ServiceLevelAgreement,
    actor,
    agreed_on: datetime.date,
    signed_for_commissioner,
    signed_for_provider: Contact,
) -> ServiceLevelAgreement:
    sla = _locked(sla)
    contract = sla.contract
    require_officer(actor, contract, Contract, "change", OFFICERS_ONLY)
    if not sla.is_draft:
        raise ValidationError(f"Version {sla.version} has already been agreed.")
    _require_open_contract(contract)
    current = (
        ServiceLevelAgreement.objects.select_for_update()
        .filter(contract=contract, status=SlaStatus.AGREED)
        .first()
    )
    errors = {}
    if agreed_on > _today():
        errors["agreed_on"] = "The date agreed cannot be in the future."
    elif agreed_on < contract.start_date:
        errors["agreed_on"] = (
            f"The date agreed cannot be before the contract starts on "
            f"{contract.start_date:%-d %B %Y}."
        )
    elif current is not None and current.agreed_on and agreed_on < current.agreed_on:
        errors["agreed_on"] = (
            f"The date agreed cannot be before version {current.version} was agreed on "
            f"{current.agreed_on:%-d %B %Y}."
        )
    if signed_for_provider.organisation_id != contract.provider_id:
        errors["signed_for_provider"] = (
            f"{signed_for_provider.name} is not a contact at {contract.provider}."
        )
    if signed_for_commissioner.organisation_id is not None:
        errors["signed_for_commissioner"] = (
            f"{signed_for_commissioner} works for a provider: choose who signed for the "
            "commissioner."
        )
    if not sla.requirement_lines():
        errors["service_requirements"] = (
            "Add at least one service requirement before the SLA is agreed."
        )
    if errors:
        raise ValidationError(errors)
    # Supersede first: the database allows one current SLA per contract.
    if current is not None:
        current.status = SlaStatus.SUPERSEDED
        record_save(instance=current, actor=actor, reason=f"Superseded by version {sla.version}")
    sla.status = SlaStatus.AGREED
    sla.agreed_on = agreed_on
    sla.signed_for_commissioner = signed_for_commissioner
    sla.signed_for_provider = signed_for_provider
    reason = (
        f"Agreed on {agreed_on:%-d %B %Y}, signed by {signed_for_commissioner} for the "
        f"commissioner and {signed_for_provider.name} for {contract.provider}"
    )
    return record_save(instance=sla, actor=actor, reason=reason)


@transaction.atomic
def improvement_add(
    *,
    sla: ServiceLevelAgreement,
    actor,
    description: str,
    target: str,
    due_date: datetime.date,
    reason: str = "",
) -> ImprovementPlanItem:
    sla = _locked(sla)
    require_officer(actor, sla.contract, Contract, "change", OFFICERS_ONLY)
    if not sla.is_draft:
        raise ValidationError(
            "Improvement plan items can be added only to a draft SLA: start a new version."
        )
    _require_open_contract(sla.contract)
    item = ImprovementPlanItem(sla=sla, description=description, target=target, due_date=due_date)
    return record_save(
        instance=item, actor=actor, reason=reason or f"Added to version {sla.version}'s plan"
    )
