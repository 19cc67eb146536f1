import datetime
from dataclasses import dataclass

from django.db.models import (
    Count,
    OuterRef,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from contracts.assurance.models.slas import ChecklistItem
from contracts.assurance.selectors import agreed_slas
from contracts.exit.models import ExitNotice
from contracts.exit.selectors import exit_notice_status
from contracts.performance.models.kpis import ContractKpi
from contracts.performance.selectors import key_indicator_warning, reported_returns
from contracts.register.choices import VariationStatus
from contracts.register.models.contracts import Contract, ExtensionOption, Variation
from governance.core.compiled import CompiledRead

#: What the overview shows of the contract's own relations: read with the contract
#: itself (small tables joined by key), so the overview never reads the contract again.
TERMS = ("provider", "service_area", "overall")


@dataclass(frozen=True)
class AgreedSla:
    """The contract's current agreed SLA, as the overview shows it."""

    version: int
    agreed_on: object


def _count(queryset: QuerySet) -> Coalesce:
    """How many rows of ``queryset`` (one contract's, by ``OuterRef``), as a subquery."""
    rows = queryset.order_by().values("contract").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows), 0)


def _figures_query(contract_id: int, today) -> QuerySet:
    """The overview's counts and its current SLA, in one query of the contract's row.
    How many expired evidence items, extension options and exit notices there are comes
    with them, so a contract without any is not asked for them again."""
    mine = OuterRef("pk")
    current_sla = agreed_slas(mine)
    return (
        Contract._base_manager.filter(pk=contract_id)
        .order_by()
        .values(
            key_indicators=_count(
                ContractKpi.objects.filter(contract=mine, is_active=True, is_key_indicator=True)
            ),
            outstanding=_count(ChecklistItem.objects.outstanding().filter(contract=mine)),
            expired_count=_count(ChecklistItem.objects.expired(today).filter(contract=mine)),
            pending_variations=_count(
                Variation.objects.filter(contract=mine, status=VariationStatus.PROPOSED)
            ),
            extension_count=_count(ExtensionOption.objects.filter(contract=mine)),
            exit_notice_count=_count(ExitNotice.objects.filter(contract=mine)),
            sla_version=Subquery(current_sla.values("version")[:1]),
            sla_agreed_on=Subquery(current_sla.values("agreed_on")[:1]),
        )
    )


#: Its SQL is written once: the ORM takes several times longer to write it than the
#: database takes to run it, on the page that every contract manager opens most.
_FIGURES = CompiledRead(_figures_query, contract_id=-7_310_911, today=datetime.date(1901, 2, 3))


def contract_overview(contract: Contract, today=None) -> dict:
    """What the contract page shows beside its fields: warnings a manager should act on.
    At most five queries whatever the contract holds, and two for a contract with no
    expired evidence, extension options or exit notices: its figures share one."""
    today = today or timezone.localdate()
    figures = _FIGURES.one(contract_id=contract.pk, today=today)
    current_sla = (
        AgreedSla(figures["sla_version"], figures["sla_agreed_on"])
        if figures["sla_version"] is not None
        else None
    )
    warnings = []
    key_indicators = figures["key_indicators"]
    kpi_warning = key_indicator_warning(contract, key_indicators)
    if kpi_warning:
        warnings.append(kpi_warning)
    if figures["expired_count"]:
        expired = ChecklistItem.objects.filter(contract=contract).expired(today).order_by("title")
        names = ", ".join(item.title for item in expired)
        warnings.append(f"Checklist evidence has expired: {names}.")
    outstanding = figures["outstanding"]
    if outstanding:
        warnings.append(
            f"{outstanding} checklist item{'s are' if outstanding != 1 else ' is'} still "
            "waiting for evidence."
        )
    if contract.is_live and current_sla is None:
        warnings.append("The contract has no agreed service level agreement.")
    return {
        "overall": contract.overall_status,
        "latest_return": reported_returns(contract).first(),
        "warnings": warnings,
        "key_indicators": key_indicators,
        "current_sla": current_sla,
        "extensions": list(ExtensionOption.objects.filter(contract=contract).order_by("sequence"))
        if figures["extension_count"]
        else [],
        "pending_variations": figures["pending_variations"],
        "exit_notice": exit_notice_status(
            contract, today, notices=None if figures["exit_notice_count"] else []
        ),
    }
