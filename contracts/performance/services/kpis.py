"""Performance indicators: the performance menu (standard indicators contracts reuse) and
each contract's KPIs.

The rules live here; forms only check the shape of what was typed. A contract KPI copies
its definition's values when it is added, so a later change to the menu never changes a
target a provider has already agreed to.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet

from contracts.performance.choices import KpiUnit
from contracts.performance.models.kpis import ContractKpi, KpiDefinition
from contracts.performance.selectors import key_indicator_warning
from contracts.register.choices import ContractStatus
from contracts.register.models.contracts import Contract
from governance.core.charts import Chart, line_chart
from governance.core.permissions import permission_name, require_officer
from governance.core.service_fields import refuse_unknown_fields
from governance.core.services import record_save, record_update
from governance.templatetags.govuk import money

#: What defines an indicator: the fields a contract KPI may take from the menu.
KPI_FIELDS = (
    "name",
    "service_requirement",
    "unit",
    "direction",
    "target",
    "amber_tolerance",
    "frequency",
    "measurement_method",
    "is_key_indicator",
)

#: Fields every indicator needs, with what to tell a user who left one out. The other
#: fields have a sensible default (no tolerance, quarterly, not a key indicator).
REQUIRED_MESSAGES = {
    "name": "Enter the indicator's name.",
    "service_requirement": "Enter the service requirement the indicator measures.",
    "unit": "Select the unit the indicator is measured in.",
    "direction": "Select whether a higher or a lower figure is better.",
    "target": "Enter the target.",
    "measurement_method": "Describe how the figure is measured.",
}

NEGATIVE_TOLERANCE = "The amber tolerance cannot be negative."

#: A contract's KPIs are set up and revised only while the contract runs (or is being
#: set up); once it has ended they are the record of what was agreed.
KPI_EDITABLE_STATUSES = (ContractStatus.DRAFT, ContractStatus.ACTIVE, ContractStatus.IN_EXIT)

_DECIMAL_FIELDS = ("target", "amber_tolerance")


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _normalise(fields: dict) -> dict[str, list[str]]:
    """Trim typed text and turn typed numbers into Decimals, in place; return the
    errors of numbers that are not numbers (those are left blank)."""
    errors = {}
    for name, value in fields.items():
        if isinstance(value, str):
            fields[name] = value = value.strip()
        if name not in _DECIMAL_FIELDS or _blank(value) or isinstance(value, Decimal):
            continue
        try:
            fields[name] = Decimal(str(value).replace(",", ""))
        except InvalidOperation:
            fields[name] = None
            errors[name] = ["Enter a number."]
    return errors


def _validate(kpi: models.Model, *, same_scope: QuerySet, duplicate: str, errors=None) -> None:
    """Every field error at once, in sentences a user understands; nothing is saved
    when there is one. ``same_scope`` holds the indicators whose names must differ."""
    errors = dict(errors or {})
    for name, message in REQUIRED_MESSAGES.items():
        if name not in errors and _blank(getattr(kpi, name)):
            errors[name] = [message]
    tolerance = kpi.amber_tolerance
    if "amber_tolerance" not in errors and tolerance is not None and tolerance < 0:
        errors["amber_tolerance"] = [NEGATIVE_TOLERANCE]
    if (
        "name" not in errors
        and same_scope.filter(name__iexact=kpi.name).exclude(pk=kpi.pk).exists()
    ):
        errors["name"] = [duplicate.format(name=kpi.name)]
    try:
        kpi.full_clean(exclude=list(errors))
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)


def _require_reason(reason: str) -> None:
    if not reason or not reason.strip():
        raise ValidationError({"change_reason": "Give a reason for this change."})


def _apply(instance: models.Model, fields: dict, allowed: tuple[str, ...]) -> None:
    refuse_unknown_fields(fields, allowed)
    for name, value in fields.items():
        setattr(instance, name, value)


# -- The performance menu ---------------------------------------------------------------

MENU_DUPLICATE = "The performance menu already has an indicator called “{name}”."
MENU_FIELDS = (*KPI_FIELDS, "is_active")


def _require_menu_permission(actor, action: str) -> None:
    if not actor.has_perm(permission_name(KpiDefinition, action)):
        raise ValidationError("You do not have permission to change the performance menu.")


@transaction.atomic
def kpidefinition_create(*, actor, reason: str = "", **fields) -> KpiDefinition:
    """Add a standard indicator to the performance menu."""
    _require_menu_permission(actor, "add")
    errors = _normalise(fields)
    definition = KpiDefinition()
    _apply(definition, fields, MENU_FIELDS)
    _validate(
        definition, same_scope=KpiDefinition.objects.all(), duplicate=MENU_DUPLICATE, errors=errors
    )
    return record_save(
        instance=definition, actor=actor, reason=reason or "Added to the performance menu"
    )


@transaction.atomic
def kpidefinition_update(*, instance: KpiDefinition, actor, reason: str, **fields) -> list[str]:
    """Change a menu indicator. Contracts keep the values they copied when they took it.

    Returns the names of the fields that changed (empty: nothing was saved)."""
    _require_menu_permission(actor, "change")
    _require_reason(reason)
    errors = _normalise(fields)
    candidate = KpiDefinition.objects.get(pk=instance.pk)
    _apply(candidate, fields, MENU_FIELDS)
    _validate(
        candidate, same_scope=KpiDefinition.objects.all(), duplicate=MENU_DUPLICATE, errors=errors
    )
    return record_update(instance=instance, fields=fields, actor=actor, reason=reason)


# -- Contract KPIs -----------------------------------------------------------------------

CONTRACT_DUPLICATE = (
    "This contract already has a KPI called “{name}”. Give this one a different name, or "
    "change the existing KPI."
)
CONTRACT_KPI_FIELDS = (*KPI_FIELDS, "is_active")
OFFICERS_ONLY = "Only the contract's lead or deputy officer can add or change its KPIs."


def _require_editable(contract: Contract) -> None:
    if contract.status not in KPI_EDITABLE_STATUSES:
        raise ValidationError(
            f"The contract is {contract.get_status_display().lower()}: its KPIs can be added "
            "or changed only while it is draft, active or in exit."
        )


@transaction.atomic
def contract_kpi_create(
    *,
    contract: Contract,
    actor,
    definition: KpiDefinition | None = None,
    reason: str = "",
    **fields,
) -> ContractKpi:
    """Add a KPI to a contract, from the performance menu or written for the contract.

    With a ``definition``, every field left blank takes the menu's value, so a manager
    can pick a standard indicator and change only its target. Without one, every field
    that has no default must be given."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    require_officer(actor, contract, ContractKpi, "add", OFFICERS_ONLY)
    _require_editable(contract)
    errors = {}
    if definition is not None and not definition.is_active:
        errors["definition"] = [
            f"“{definition}” is no longer offered for new contracts. Choose another "
            "indicator from the performance menu."
        ]
    errors.update(_normalise(fields))
    chosen = {name: value for name, value in fields.items() if not _blank(value)}
    if definition is not None:
        for name in KPI_FIELDS:
            chosen.setdefault(name, getattr(definition, name))
    kpi = ContractKpi(contract=contract, definition=definition)
    _apply(kpi, chosen, CONTRACT_KPI_FIELDS)
    _validate(kpi, same_scope=contract.kpis.all(), duplicate=CONTRACT_DUPLICATE, errors=errors)
    if not reason:
        reason = (
            f"KPI added from the performance menu ({definition.name})"
            if definition is not None
            else "KPI added"
        )
    return record_save(instance=kpi, actor=actor, reason=reason)


@transaction.atomic
def contract_kpi_update(*, instance: ContractKpi, actor, reason: str, **fields) -> list[str]:
    """Change a contract's KPI. Returns the names of the fields that changed."""
    contract = Contract.objects.select_for_update().get(pk=instance.contract_id)
    require_officer(actor, contract, ContractKpi, "change", OFFICERS_ONLY)
    _require_editable(contract)
    _require_reason(reason)
    errors = _normalise(fields)
    candidate = ContractKpi.objects.get(pk=instance.pk)
    _apply(candidate, fields, CONTRACT_KPI_FIELDS)
    _validate(
        candidate, same_scope=contract.kpis.all(), duplicate=CONTRACT_DUPLICATE, errors=errors
    )
    return record_update(instance=instance, fields=fields, actor=actor, reason=reason)


# -- Reads -------------------------------------------------------------------------------
# Read-only querysets and summaries for the pages, restricted to what the user may see.


def contracts_using(definition: KpiDefinition, user) -> QuerySet[ContractKpi]:
    """The KPIs taken from ``definition`` on contracts ``user`` may see."""
    return (
        ContractKpi.objects.restrict(user, "view")
        .filter(definition=definition)
        .select_related("contract", "contract__provider")
        .order_by("contract__reference", "name")
    )


def contract_kpi_summary(contract: Contract) -> dict:
    """The contract's KPIs for its KPI tab, the count of the key indicators it
    publishes and the warning when it publishes too few. One query."""
    kpis = list(contract.kpis.order_by("name"))
    key_indicators = sum(1 for kpi in kpis if kpi.is_active and kpi.is_key_indicator)
    warning = key_indicator_warning(contract, key_indicators)
    return {
        "kpis": kpis,
        "key_indicators": key_indicators,
        "warnings": [warning] if warning else [],
    }


def format_amount(value, unit: str, *, tolerance: bool = False) -> str:
    """A target or tolerance as people read it: 95%, £1,200.00, 5 days, 1,200.

    A tolerance on a percentage is a difference between two percentages, so it is
    written in percentage points."""
    if value is None or value == "":
        return ""
    amount = Decimal(value)
    if unit == KpiUnit.CURRENCY:
        return money(amount)
    number = format(amount.normalize(), ",f")
    if unit == KpiUnit.PERCENTAGE:
        if tolerance:
            return f"{number} percentage point{'' if amount == 1 else 's'}"
        return f"{number}%"
    if unit == KpiUnit.DAYS:
        return f"{number} day{'' if amount == 1 else 's'}"
    return number


# -- A KPI's results as a chart ---------------------------------------------------------------

#: How a chart writes each unit after a value, and names it in its title and y axis.
CHART_UNITS = {KpiUnit.PERCENTAGE: "%", KpiUnit.CURRENCY: "£", KpiUnit.DAYS: "days"}
UNIT_WORDS = {
    KpiUnit.PERCENTAGE: "per cent",
    KpiUnit.COUNT: "number",
    KpiUnit.DAYS: "days",
    KpiUnit.CURRENCY: "£",
}
UNIT_AXES = {
    KpiUnit.PERCENTAGE: "Per cent",
    KpiUnit.COUNT: "Number",
    KpiUnit.DAYS: "Days",
    KpiUnit.CURRENCY: "Pounds (£)",
}


def kpi_chart(kpi: ContractKpi, points: list[tuple], *, what: str, chart_id: str) -> Chart:
    """The KPI's ``(quarter, actual, rag)`` points against its target, titled with the
    KPI's name and unit ("Complaints upheld (number): ``what``") and its axes named;
    counts step in whole numbers."""
    return line_chart(
        points,
        target=kpi.target,
        unit=CHART_UNITS.get(kpi.unit, ""),
        title=f"{kpi.name} ({UNIT_WORDS.get(kpi.unit, kpi.unit)}): {what}",
        x_label="Quarter",
        y_label=UNIT_AXES.get(kpi.unit, "Result"),
        series="Actual",
        whole=kpi.unit == KpiUnit.COUNT,
        chart_id=chart_id,
    )
