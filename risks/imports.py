"""The risk log from a spreadsheet: the columns of the log's own export, so a log
exported from here (or kept in the same shape elsewhere) comes back as it was."""

from typing import Any

from django.core.exceptions import ValidationError

from contracts.register.models.contracts import Contract
from governance.core.imports import (
    ImportColumn,
    Importer,
    Kind,
    choice_value,
    find_person,
    people_by_name,
)
from risks import services
from risks.choices import (
    Allocation,
    ReviewFrequency,
    RiskCategory,
    RiskKind,
    RiskLevel,
    RiskStatus,
)
from risks.models import Risk
from risks.selectors import possible_owners

PORTFOLIO = "Portfolio"
SCORE_HINT = "From 1 to 5, as a number or as exported (for example “4 Likely”)."


class RiskImporter(Importer):
    key = "risks"
    model = Risk
    noun = "risk"
    noun_plural = "risks and issues"
    title = "Import risks and issues"
    intro = (
        "Add a risk log kept in a spreadsheet, or one exported from this service. Each "
        "row becomes a risk or an issue on a contract you run (or on the portfolio), "
        "with a new reference."
    )
    list_url_name = "risks:risk_list"
    columns = [
        ImportColumn(
            "Reference",
            hint="Optional. Used only to link an issue to the risk it was raised from "
            "in the same file (the “Raised from” column).",
        ),
        ImportColumn("Kind", fields=("kind",), hint="Risk or Issue. Blank means Risk."),
        ImportColumn("Title", required=True, fields=("title",), hint="Up to 200 characters."),
        ImportColumn(
            "Contract",
            required=True,
            fields=("contract",),
            hint=f"The contract's reference, or “{PORTFOLIO}” for a risk to the whole portfolio.",
        ),
        ImportColumn(
            "Category",
            required=True,
            fields=("category",),
            hint=f"One of: {', '.join(RiskCategory.labels)}.",
        ),
        ImportColumn("Level", required=True, fields=("level",), hint="Strategic or Operational."),
        ImportColumn(
            "Allocated to",
            required=True,
            fields=("allocation",),
            hint=f"One of: {', '.join(Allocation.labels)}.",
        ),
        ImportColumn(
            "Owner",
            required=True,
            fields=("owner",),
            hint="A member of the commissioner's staff: full name, username or email address.",
        ),
        ImportColumn(
            "Inherent likelihood",
            Kind.WHOLE,
            required=True,
            fields=("inherent_likelihood", "inherent_score"),
            hint=SCORE_HINT,
        ),
        ImportColumn(
            "Inherent impact",
            Kind.WHOLE,
            required=True,
            fields=("inherent_impact",),
            hint=SCORE_HINT,
        ),
        ImportColumn(
            "Residual likelihood",
            Kind.WHOLE,
            required=True,
            fields=("residual_likelihood", "residual_score"),
            hint=SCORE_HINT,
        ),
        ImportColumn(
            "Residual impact",
            Kind.WHOLE,
            required=True,
            fields=("residual_impact",),
            hint=SCORE_HINT,
        ),
        ImportColumn(
            "Target score", Kind.WHOLE, fields=("target_score",), hint="Optional. From 1 to 25."
        ),
        ImportColumn(
            "Next review",
            Kind.DATE,
            fields=("next_review_date",),
            hint="Blank means one review period from today.",
        ),
        ImportColumn("Status", fields=("status",), hint="Open or Closed. Blank means Open."),
        ImportColumn(
            "Raised from",
            fields=("raised_from",),
            hint="Only for an issue: the reference of the risk it came from, in this file or "
            "already in the log.",
        ),
        ImportColumn("Closed on", Kind.DATE, fields=("closed_on",), hint="Only for a closed risk."),
        ImportColumn("Closed because", fields=("closed_reason",), hint="Only for a closed risk."),
        ImportColumn(
            "Description",
            required=True,
            fields=("description",),
            hint="The risk's cause and its effect.",
        ),
        ImportColumn("Mitigations", fields=("mitigations",)),
        ImportColumn(
            "Why the residual score is higher",
            fields=("residual_above_inherent_reason",),
            hint="Only when the residual score is higher than the inherent score.",
        ),
        ImportColumn(
            "How often reviewed",
            fields=("review_frequency",),
            hint=f"One of: {', '.join(ReviewFrequency.labels)}. Blank means Quarterly.",
        ),
        ImportColumn(
            "Days between reviews",
            Kind.WHOLE,
            fields=("review_every_days",),
            hint="Only when it is reviewed every set number of days.",
        ),
    ]
    # The export's columns the log works out for itself.
    ignored = ("Inherent score", "Inherent band", "Residual score", "Residual band")

    def prepare(self) -> None:
        self.contracts = {
            contract.reference.casefold(): contract
            for contract in Contract.objects.only("id", "reference", "provider_id")
        }
        self.owners = people_by_name(possible_owners())
        # Risks added so far from this file, under the file's own references, and all
        # the references the file gives.
        self.added: dict[str, Risk] = {}
        self.in_file: set[str] = set()

    def ordered(self, rows):
        """File order, except that an issue waits for the risk it was raised from when
        that risk comes further down the file (the log's export lists the highest
        scores first), so the risk is added first, as it was first in the log."""
        references = {values["Reference"].casefold() for _, values in rows if values["Reference"]}
        self.in_file = references
        placed: set[str] = set()
        waiting: dict[str, list] = {}
        result = []

        def place(item):
            result.append(item)
            reference = (item[1]["Reference"] or "").casefold()
            if reference:
                placed.add(reference)
                for follower in waiting.pop(reference, []):
                    place(follower)

        for item in rows:
            source = (item[1]["Raised from"] or "").casefold()
            if source in references and source not in placed:
                waiting.setdefault(source, []).append(item)
            else:
                place(item)
        for followers in waiting.values():  # a loop of references: left to the row check
            result.extend(followers)
        return result

    def _choice(self, choices, given: str, header: str, what: str, default=None):
        if not given:
            return default
        try:
            return choice_value(choices, given, what=what)
        except ValueError as problem:
            raise ValidationError({header: str(problem)}) from None

    def _contract(self, given: str) -> Contract | None:
        if given.casefold() == PORTFOLIO.casefold():
            return None
        contract = self.contracts.get(given.casefold())
        if contract is None:
            raise ValidationError({"Contract": f"No contract has the reference “{given}”."})
        return contract

    def _raised_from(self, given: str | None) -> Risk | None:
        if not given:
            return None
        risk = self.added.get(given.casefold())
        if risk is None:
            number = given.upper().removeprefix("R-").removeprefix("I-")
            if number.isdigit():
                risk = Risk.objects.filter(pk=int(number)).first()
                if risk is not None and risk.reference.casefold() != given.casefold():
                    risk = None
        if risk is None and given.casefold() in self.in_file:
            raise ValidationError(
                {
                    "Raised from": f"The risk {given} has a problem of its own in this file, "
                    "so this issue cannot be linked to it. Correct that row first."
                }
            )
        if risk is None:
            raise ValidationError(
                {"Raised from": f"No risk has the reference “{given}”, in this file or in the log."}
            )
        if risk.kind != RiskKind.RISK:
            raise ValidationError(
                {"Raised from": f"{given} is an issue: an issue is raised from a risk."}
            )
        return risk

    def import_row(self, values: dict[str, Any]) -> Risk:
        risk = services.risk_import(
            actor=self.actor,
            reason=self.reason,
            contract=self._contract(values["Contract"]),
            raised_from=self._raised_from(values["Raised from"]),
            status=self._choice(
                RiskStatus.choices, values["Status"], "Status", "status", RiskStatus.OPEN
            ),
            closed_on=values["Closed on"],
            closed_reason=values["Closed because"] or "",
            kind=self._choice(RiskKind.choices, values["Kind"], "Kind", "kind", RiskKind.RISK),
            title=values["Title"],
            description=values["Description"],
            category=self._choice(RiskCategory.choices, values["Category"], "Category", "category"),
            level=self._level(values["Level"]),
            allocation=self._choice(
                Allocation.choices, values["Allocated to"], "Allocated to", "party"
            ),
            owner=find_person(self.owners, values["Owner"], "Owner"),
            inherent_likelihood=values["Inherent likelihood"],
            inherent_impact=values["Inherent impact"],
            mitigations=values["Mitigations"] or "",
            residual_likelihood=values["Residual likelihood"],
            residual_impact=values["Residual impact"],
            residual_above_inherent_reason=values["Why the residual score is higher"] or "",
            target_score=values["Target score"],
            review_frequency=self._choice(
                ReviewFrequency.choices,
                values["How often reviewed"],
                "How often reviewed",
                "review frequency",
                ReviewFrequency.QUARTERLY,
            ),
            review_every_days=values["Days between reviews"],
            next_review_date=values["Next review"],
        )
        if values["Reference"]:
            self.added[values["Reference"].casefold()] = risk
        return risk

    def _level(self, given: str) -> str:
        # "Strategic" as well as the level's full name, "Strategic (watched by ...)".
        short = [(value, label.split(" (")[0]) for value, label in RiskLevel.choices]
        try:
            return choice_value(short, given, what="level")
        except ValueError:
            return self._choice(RiskLevel.choices, given, "Level", "level")
