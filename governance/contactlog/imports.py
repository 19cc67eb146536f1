"""The contact log from a spreadsheet: one contact with a contract's provider a row,
logged through the same service as the contact form."""

from typing import Any

from django.core.exceptions import ValidationError

from contracts.register.models.contracts import Contract
from governance.contactlog import services
from governance.contactlog.models import ContactChannel, ContactDirection, ContactLogEntry
from governance.core.imports import ImportColumn, Importer, Kind, choice_value


class ContactLogImporter(Importer):
    key = "contact_log"
    model = ContactLogEntry
    noun = "contact"
    noun_plural = "contacts"
    title = "Import contacts into the contact log"
    intro = (
        "Add contacts with providers kept in a spreadsheet. Each row becomes an entry in "
        "the contact log of a contract you run. Add the people who took part on each "
        "entry's page afterwards."
    )
    list_url_name = "governance:contactlogentry_list"
    # The log's export carries these too; they are read from the records (the entry's
    # reference, its provider, follow-up and people), so an exported log imports as it is.
    ignored = (
        "Contact",
        "Provider",
        "Written follow-up",
        "Commissioner's people",
        "Provider's people",
        "Logged by",
    )
    columns = [
        ImportColumn(
            "Contract", required=True, fields=("contract",), hint="The contract's reference."
        ),
        ImportColumn(
            "Date and time",
            Kind.DATETIME,
            required=True,
            fields=("occurred_at",),
            hint="When the contact was made; not in the future.",
        ),
        ImportColumn(
            "How",
            required=True,
            fields=("channel",),
            hint=f"One of: {', '.join(ContactChannel.labels)}.",
        ),
        ImportColumn(
            "Which way",
            required=True,
            fields=("direction",),
            hint=f"One of: {', '.join(ContactDirection.labels)}.",
        ),
        ImportColumn("Subject", required=True, fields=("subject",)),
        ImportColumn("Summary", required=True, fields=("summary",), hint="What was said."),
        ImportColumn(
            "Concern",
            Kind.YES_NO,
            fields=("is_concern",),
            hint="Yes if a concern was raised. Blank means No.",
        ),
    ]

    def prepare(self) -> None:
        self.contracts = {
            contract.reference.casefold(): contract
            for contract in Contract.objects.only("id", "reference", "provider_id")
        }

    def _choice(self, choices, given: str, header: str, what: str) -> str:
        try:
            return choice_value(choices, given, what=what)
        except ValueError as problem:
            raise ValidationError({header: str(problem)}) from None

    def import_row(self, values: dict[str, Any]) -> ContactLogEntry:
        contract = self.contracts.get(values["Contract"].casefold())
        if contract is None:
            raise ValidationError(
                {"Contract": f"No contract has the reference “{values['Contract']}”."}
            )
        return services.contact_log_record(
            contract=contract,
            actor=self.actor,
            occurred_at=values["Date and time"],
            channel=self._choice(ContactChannel.choices, values["How"], "How", "way of contact"),
            direction=self._choice(
                ContactDirection.choices, values["Which way"], "Which way", "direction"
            ),
            subject=values["Subject"],
            summary=values["Summary"],
            is_concern=values["Concern"],
            reason=self.reason,
        )
