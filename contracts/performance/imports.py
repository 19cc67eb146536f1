"""The performance menu and contracts' KPIs from spreadsheets, added through the same
services as their forms. The columns are those of the lists' own exports, so an
exported menu or list of KPIs comes back as it was."""

import re
from dataclasses import replace
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from contracts.performance.choices import KpiDirection, KpiFrequency, KpiUnit
from contracts.performance.models.kpis import ContractKpi, KpiDefinition
from contracts.performance.models.returns import KpiResult, PerformanceReturn
from contracts.performance.services import kpis as services
from contracts.performance.services import returns
from contracts.register.models.contracts import Contract
from governance.core.imports import ImportColumn, Importer, Kind, choice_value

YES = ("yes", "y", "true", "1")
NO = ("no", "n", "false", "0")


def choice(choices, given: str | None, header: str, what: str):
    """The stored value of the choice named in the cell (None when the cell is blank)."""
    if not given:
        return None
    try:
        return choice_value(choices, given, what=what)
    except ValueError as problem:
        raise ValidationError({header: str(problem)}) from None


def yes_no(given: str | None, header: str, default: bool | None) -> bool | None:
    """Yes or No, or ``default`` for a blank cell (None: take the menu's value)."""
    if not given:
        return default
    text = given.strip().casefold()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValidationError({header: f"{header} must be Yes or No, not “{given}”."})


def _measure_columns(*, required: bool) -> list[ImportColumn]:
    """The columns that define an indicator, on the menu and on a contract. A contract's
    KPI taken from the menu may leave them blank to take the menu's values."""
    blank = "" if required else " Blank takes the performance menu's value."
    return [
        ImportColumn(
            "Service requirement",
            required=required,
            fields=("service_requirement",),
            hint=f"The requirement the indicator measures.{blank}",
        ),
        ImportColumn(
            "Unit",
            required=required,
            fields=("unit",),
            hint=f"One of: {', '.join(KpiUnit.labels)}.{blank}",
        ),
        ImportColumn(
            "Direction",
            required=required,
            fields=("direction",),
            hint=f"One of: {', '.join(KpiDirection.labels)}.{blank}",
        ),
        ImportColumn(
            "Target",
            Kind.DECIMAL,
            required=required,
            fields=("target",),
            hint=f"A number, like 95 for 95%.{blank}",
        ),
        ImportColumn(
            "Amber tolerance",
            Kind.DECIMAL,
            fields=("amber_tolerance",),
            hint="How far short of the target still counts as amber. Blank means none"
            + (", or the menu's value." if not required else "."),
        ),
        ImportColumn(
            "Frequency",
            fields=("frequency",),
            hint=f"One of: {', '.join(KpiFrequency.labels)}. Blank means Quarterly"
            + (", or the menu's value." if not required else "."),
        ),
        ImportColumn(
            "Key indicator",
            fields=("is_key_indicator",),
            hint="Yes if it is reported to SMG and published. Blank means No"
            + (", or the menu's value." if not required else "."),
        ),
    ]


def _measure_values(values: dict[str, Any]) -> dict[str, Any]:
    """The indicator's fields given in the row (blank cells left out)."""
    fields = {
        "service_requirement": values["Service requirement"],
        "unit": choice(KpiUnit.choices, values["Unit"], "Unit", "unit"),
        "direction": choice(KpiDirection.choices, values["Direction"], "Direction", "direction"),
        "target": values["Target"],
        "amber_tolerance": values["Amber tolerance"],
        "frequency": choice(KpiFrequency.choices, values["Frequency"], "Frequency", "frequency"),
        "is_key_indicator": yes_no(values["Key indicator"], "Key indicator", None),
        "measurement_method": values["Method of measurement"],
    }
    return {name: value for name, value in fields.items() if value not in (None, "")}


METHOD = ImportColumn(
    "Method of measurement",
    fields=("measurement_method",),
    hint="How the figure is counted and from which records.",
)


class KpiDefinitionImporter(Importer):
    key = "kpi_definitions"
    model = KpiDefinition
    noun = "indicator"
    noun_plural = "indicators"
    title = "Import indicators into the performance menu"
    intro = (
        "Add standard indicators kept in a spreadsheet, or a performance menu exported "
        "from this service. Each row becomes an indicator on the menu, which contracts "
        "can then take as their KPIs."
    )
    list_url_name = "contracts:kpidefinition_list"
    columns = [
        ImportColumn(
            "Name",
            required=True,
            fields=("name",),
            hint="Up to 200 characters; different from every indicator on the menu.",
        ),
        *_measure_columns(required=True),
        ImportColumn(
            "Offered for new contracts",
            fields=("is_active",),
            hint="Yes or No. Blank means Yes.",
        ),
        replace(METHOD, required=True),
    ]

    def import_row(self, values: dict[str, Any]) -> KpiDefinition:
        fields = _measure_values(values)
        fields.setdefault("is_key_indicator", False)
        return services.kpidefinition_create(
            actor=self.actor,
            reason=self.reason,
            name=values["Name"],
            is_active=yes_no(
                values["Offered for new contracts"], "Offered for new contracts", True
            ),
            **fields,
        )


class ContractKpiImporter(Importer):
    key = "contract_kpis"
    model = ContractKpi
    noun = "KPI"
    noun_plural = "KPIs"
    title = "Import contracts' KPIs"
    intro = (
        "Add the KPIs of contracts you run, kept in a spreadsheet or exported from this "
        "service. Each row becomes a KPI of the contract named. A KPI taken from the "
        "performance menu may leave the columns that define it blank to take the menu's "
        "values, as the KPI form does."
    )
    list_url_name = "contracts:contractkpi_list"
    columns = [
        ImportColumn(
            "KPI",
            required=True,
            fields=("name",),
            hint="The KPI's name; different from the contract's other KPIs.",
        ),
        ImportColumn(
            "Contract", required=True, fields=("contract",), hint="The contract's reference."
        ),
        ImportColumn(
            "From the performance menu",
            fields=("definition",),
            hint="Optional: the name of the menu's indicator the KPI is taken from.",
        ),
        *_measure_columns(required=False),
        ImportColumn("Reported", fields=("is_active",), hint="Yes or No. Blank means Yes."),
        METHOD,
    ]
    # The export's columns that describe the contract rather than the KPI.
    ignored = ("Contract title", "Provider")

    def prepare(self) -> None:
        self.contracts = {
            contract.reference.casefold(): contract
            for contract in Contract.objects.only("id", "reference")
        }
        self.definitions = {
            definition.name.casefold(): definition for definition in KpiDefinition.objects.all()
        }

    def import_row(self, values: dict[str, Any]) -> ContractKpi:
        contract = self.contracts.get(values["Contract"].casefold())
        if contract is None:
            raise ValidationError(
                {"Contract": f"No contract has the reference “{values['Contract']}”."}
            )
        definition = None
        if values["From the performance menu"]:
            definition = self.definitions.get(values["From the performance menu"].casefold())
            if definition is None:
                raise ValidationError(
                    {
                        "From the performance menu": "The performance menu has no indicator "
                        f"called “{values['From the performance menu']}”."
                    }
                )
        fields = _measure_values(values)
        if definition is None:
            fields.setdefault("is_key_indicator", False)
        return services.contract_kpi_create(
            contract=contract,
            actor=self.actor,
            definition=definition,
            reason=self.reason,
            name=values["KPI"],
            is_active=yes_no(values["Reported"], "Reported", True),
            **fields,
        )


# -- Past KPI results ---------------------------------------------------------------------

PERIOD = re.compile(r"^Q([1-4])\s+(\d{4})[-/](\d{2})$", re.IGNORECASE)


def parse_period(given: str) -> tuple[int, int]:
    """(financial year, quarter) of a period written as its label, "Q1 2025-26"."""
    match = PERIOD.match(given.strip())
    if match:
        quarter, year, following = (int(part) for part in match.groups())
        if (year + 1) % 100 == following:
            return year, quarter
    raise ValidationError(
        {
            "Period": f"“{given}” is not a quarter. Write the quarter and the financial "
            "year, for example Q1 2025-26 for April to June 2025."
        }
    )


class KpiResultImporter(Importer):
    key = "kpi_results"
    model = KpiResult
    noun = "KPI result"
    noun_plural = "KPI results"
    title = "Import past KPI results"
    intro = (
        "Add the results of past quarters kept in a spreadsheet, or exported from this "
        "service (the “KPI results” sheet of the performance returns' spreadsheet). Each "
        "row records a KPI's actual and commentary in its quarter's performance return, "
        "as the return's form does. The quarter's return must still be open (a draft, or "
        "returned for correction); quarters not yet opened are opened first."
    )
    list_url_name = "contracts:performancereturn_list"
    sheet_name = "KPI results"
    columns = [
        ImportColumn(
            "Contract", required=True, fields=("contract",), hint="The contract's reference."
        ),
        ImportColumn(
            "Period",
            required=True,
            fields=("period",),
            hint="The quarter and financial year, like Q1 2025-26 for April to June 2025.",
        ),
        ImportColumn(
            "Indicator", required=True, fields=("kpi",), hint="The name of the contract's KPI."
        ),
        ImportColumn(
            "Actual",
            Kind.DECIMAL,
            fields=("actual",),
            hint="The figure for the quarter, like 92.5. Blank records commentary only.",
        ),
        ImportColumn("Commentary", fields=("commentary",)),
    ]
    # The export's columns that the KPI and its result work out for themselves.
    ignored = ("Unit", "Target", "Amber tolerance", "Status")

    def prepare(self) -> None:
        contracts = Contract.objects.restrict(self.actor, "view").only("id", "reference")
        self.contracts = {contract.reference.casefold(): contract for contract in contracts}
        self.kpis = {
            (kpi.contract_id, kpi.name.casefold()): kpi
            for kpi in ContractKpi.objects.filter(contract__in=contracts)
        }

    def _return(self, contract: Contract, year: int, quarter: int) -> PerformanceReturn:
        def find():
            return (
                PerformanceReturn.objects.select_related("period", "period__contract")
                .filter(
                    period__contract=contract,
                    period__financial_year=year,
                    period__quarter=quarter,
                )
                .first()
            )

        found = find()
        if (
            found is None
            and not contract.periods.filter(financial_year=year, quarter=quarter).exists()
        ):
            # Quarters not opened yet are opened as the contract's page opens them.
            returns.periods_ensure(contract=contract, today=timezone.localdate(), actor=self.actor)
            found = find()
        if found is None:
            raise ValidationError(
                {
                    "Period": f"{contract.reference} has no return for Q{quarter} "
                    f"{year}-{(year + 1) % 100:02d}: the quarter is before the contract "
                    "started or has not begun yet."
                }
            )
        return found

    def import_row(self, values: dict[str, Any]) -> KpiResult:
        contract = self.contracts.get(values["Contract"].casefold())
        if contract is None:
            raise ValidationError(
                {"Contract": f"No contract has the reference “{values['Contract']}”."}
            )
        kpi = self.kpis.get((contract.pk, values["Indicator"].casefold()))
        if kpi is None:
            raise ValidationError(
                {"Indicator": f"{contract.reference} has no KPI called “{values['Indicator']}”."}
            )
        year, quarter = parse_period(values["Period"])
        performance_return = self._return(contract, year, quarter)
        try:
            returns.performance_return_update(
                performance_return=performance_return,
                actor=self.actor,
                reason=self.reason,
                results={kpi.pk: (values["Actual"], values["Commentary"] or "")},
            )
        except ValidationError as problem:
            if hasattr(problem, "error_dict"):
                # The form names an actual after its KPI; here it is the row's Actual.
                raise ValidationError(
                    {
                        "Actual" if name == returns.actual_field(kpi.pk) else name: messages
                        for name, messages in problem.message_dict.items()
                    }
                ) from None
            raise
        result = KpiResult.objects.filter(performance_return=performance_return, kpi=kpi).first()
        if result is None:
            raise ValidationError({"Actual": "Enter the actual, or commentary, for the quarter."})
        return result
