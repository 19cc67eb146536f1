"""The contracts register from a spreadsheet: one contract a row, with its provider
found by name (or registered as a new provider when the register has no organisation
of that name), registered through the same service as the contract form.

The columns are those of the register's own export, so a register exported from here
comes back as it was. A contract comes in as a draft, or as active when the row says so:
it is then activated through the same status machine as its page, so its officers and
the provider's contract manager must be named and the activation checks met.
"""

from typing import Any

from django.core.exceptions import ValidationError

from contracts.procurement.registration import contract_register
from contracts.register.choices import (
    ContactRole,
    ContractStatus,
    LifecycleStage,
    OrganisationKind,
    Tier,
)
from contracts.register.models.contracts import Contract, ServiceArea
from contracts.register.models.organisations import Contact, Organisation
from contracts.register.services.contracts import contract_transition
from contracts.register.services.organisations import contact_create, organisation_create
from governance.core.imports import (
    ImportColumn,
    Importer,
    Kind,
    choice_value,
    find_person,
    people_by_name,
)
from governance.core.roles import Role, role_holders

PERSON_HINT = "Full name as shown in this service, username or email address."


def _choice(choices, given: str | None, header: str, what: str, default=""):
    if not given:
        return default
    try:
        return choice_value(choices, given, what=what)
    except ValueError as problem:
        raise ValidationError({header: str(problem)}) from None


class ContractImporter(Importer):
    key = "contracts"
    model = Contract
    noun = "contract"
    noun_plural = "contracts"
    title = "Import contracts into the register"
    intro = (
        "Add contracts kept in a spreadsheet, or a register exported from this service. "
        "Each row becomes a draft contract, or an active one where its status says so. A "
        "provider the register does not know yet is added as a new provider organisation "
        "under the name given, and its contract manager as a contact."
    )
    list_url_name = "contracts:contract_list"
    columns = [
        ImportColumn(
            "Reference",
            required=True,
            fields=("reference",),
            hint="The commissioner's reference, like NPCC-2024-017. Must be new to the register.",
        ),
        ImportColumn("Title", required=True, fields=("title",), hint="Up to 200 characters."),
        ImportColumn(
            "Provider",
            required=True,
            fields=("provider",),
            hint="The provider organisation's name. A name the register does not know "
            "adds a new provider.",
        ),
        ImportColumn(
            "Service area",
            required=True,
            fields=("service_area",),
            hint="One of the service areas administrators keep in this service.",
        ),
        ImportColumn(
            "Scope",
            required=True,
            fields=("scope",),
            hint="The services the contract covers.",
        ),
        ImportColumn(
            "Tier", required=True, fields=("tier",), hint=f"One of: {', '.join(Tier.labels)}."
        ),
        ImportColumn(
            "Total value",
            Kind.DECIMAL,
            required=True,
            fields=("total_value",),
            hint="In pounds, like 1250000 or 1,250,000.00.",
        ),
        ImportColumn(
            "Annual value",
            Kind.DECIMAL,
            required=True,
            fields=("annual_value",),
            hint="In pounds, like 250000.",
        ),
        ImportColumn(
            "Starts", Kind.DATE, required=True, fields=("start_date",), hint="The start date."
        ),
        ImportColumn(
            "Initial end date",
            Kind.DATE,
            required=True,
            fields=("initial_end_date",),
            hint="The end of the term before any extension.",
        ),
        ImportColumn(
            "Lead officer",
            fields=("lead_officer",),
            hint=f"A contract manager. {PERSON_HINT} Blank means no lead officer yet.",
        ),
        ImportColumn(
            "Deputy officer",
            fields=("deputy_officer",),
            hint=f"A contract manager other than the lead officer. {PERSON_HINT}",
        ),
        ImportColumn(
            "Strategic partnership",
            Kind.YES_NO,
            fields=("is_strategic_partnership",),
            hint="Yes or No. Blank means No.",
        ),
        ImportColumn(
            "Lifecycle stage",
            fields=("lifecycle_stage",),
            hint=f"Only for a strategic partnership: one of {', '.join(LifecycleStage.labels)}.",
        ),
        ImportColumn(
            "Provider's contract manager",
            fields=("provider_contract_manager",),
            hint="The provider's contract manager's name. Needed for an active contract.",
        ),
        ImportColumn(
            "Provider's contract manager email",
            fields=("provider_contract_manager_email",),
            hint="Their email address: a contact the provider does not have yet is added.",
        ),
        ImportColumn(
            "Status",
            fields=("status",),
            hint="Draft or Active. Blank means Draft. An active contract needs its lead and "
            "deputy officers and the provider's contract manager.",
        ),
    ]
    # The export's columns the register works out for itself.
    ignored = ("Overall status", "Latest quarter", "Ends")

    def prepare(self) -> None:
        self.references = {
            reference.casefold()
            for reference in Contract.objects.values_list("reference", flat=True)
        }
        self.organisations = {
            organisation.name.casefold(): organisation
            for organisation in Organisation.objects.only("id", "name", "kind")
        }
        self.service_areas = {area.name.casefold(): area for area in ServiceArea.objects.all()}
        self.officers = people_by_name(role_holders(Role.CONTRACT_MANAGER))

    def _provider(self, name: str) -> tuple[Organisation, bool]:
        found = self.organisations.get(name.casefold())
        if found is not None:
            if found.kind != OrganisationKind.PROVIDER:
                raise ValidationError(
                    {"Provider": f"{found} is registered as a commissioner, not a provider."}
                )
            return found, False
        try:
            created = organisation_create(
                actor=self.actor, reason=self.reason, name=name, kind=OrganisationKind.PROVIDER
            )
        except ValidationError as problem:
            raise ValidationError({"Provider": problem.messages}) from None
        return created, True

    def _service_area(self, name: str) -> ServiceArea:
        area = self.service_areas.get(name.casefold())
        if area is None:
            known = ", ".join(area.name for area in self.service_areas.values()) or "none yet"
            raise ValidationError(
                {
                    "Service area": f"No service area is called “{name}”. Choose one of: "
                    f"{known}, or ask an administrator to add it."
                }
            )
        return area

    def _contact(self, provider: Organisation, new_provider: bool, name: str, email: str):
        """The provider's contact with that email address, or a new one."""
        if not email:
            return None
        if not new_provider:
            found = Contact.objects.filter(organisation=provider, email__iexact=email).first()
            if found is not None:
                return found
        try:
            return contact_create(
                actor=self.actor,
                reason=self.reason,
                organisation=provider,
                name=name,
                email=email,
                role=ContactRole.CONTRACT_MANAGER,
            )
        except ValidationError as problem:
            header = "Provider's contract manager"
            if hasattr(problem, "error_dict") and "email" in problem.error_dict:
                header += " email"
            raise ValidationError({header: problem.messages}) from None

    def _officer(self, values: dict, header: str):
        return find_person(self.officers, values[header], header)

    def import_row(self, values: dict[str, Any]) -> Contract:
        reference = values["Reference"]
        if reference.casefold() in self.references:
            raise ValidationError(
                {
                    "Reference": f"The register already has a contract with the reference "
                    f"“{reference}”. The import adds new contracts only: change that one on "
                    "its own page."
                }
            )
        status = _choice(
            ContractStatus.choices, values["Status"], "Status", "status", ContractStatus.DRAFT
        )
        if status not in (ContractStatus.DRAFT, ContractStatus.ACTIVE):
            raise ValidationError(
                {
                    "Status": "A contract is imported as Draft or Active. Record its exit, "
                    "end or termination on its page afterwards."
                }
            )
        name = values["Provider's contract manager"] or ""
        email = values["Provider's contract manager email"] or ""
        if bool(name) != bool(email):
            missing = (
                "Provider's contract manager" if email else "Provider's contract manager email"
            )
            raise ValidationError(
                {missing: "Give both the provider's contract manager's name and email address."}
            )
        # Every problem of the row's own cells at once, before anything is added.
        errors: dict[str, list[str]] = {}
        checks = {
            "Service area": lambda: self._service_area(values["Service area"]),
            "Tier": lambda: _choice(Tier.choices, values["Tier"], "Tier", "tier"),
            "Lifecycle stage": lambda: _choice(
                LifecycleStage.choices,
                values["Lifecycle stage"],
                "Lifecycle stage",
                "lifecycle stage",
            ),
            "Lead officer": lambda: self._officer(values, "Lead officer"),
            "Deputy officer": lambda: self._officer(values, "Deputy officer"),
        }
        found = {}
        for header, check in checks.items():
            try:
                found[header] = check()
            except ValidationError as problem:
                errors.update(problem.message_dict)
        if errors:
            raise ValidationError(errors)
        provider, new_provider = self._provider(values["Provider"])
        contract = contract_register(
            actor=self.actor,
            reason=self.reason,
            reference=reference,
            title=values["Title"],
            provider=provider,
            service_area=found["Service area"],
            scope=values["Scope"],
            tier=found["Tier"],
            total_value=values["Total value"],
            annual_value=values["Annual value"],
            start_date=values["Starts"],
            initial_end_date=values["Initial end date"],
            lead_officer=found["Lead officer"],
            deputy_officer=found["Deputy officer"],
            is_strategic_partnership=values["Strategic partnership"],
            lifecycle_stage=found["Lifecycle stage"],
            provider_contract_manager=self._contact(provider, new_provider, name, email),
        )
        if status == ContractStatus.ACTIVE:
            contract = contract_transition(
                contract=contract,
                to_status=ContractStatus.ACTIVE,
                actor=self.actor,
                reason=self.reason,
            )
        # Kept for the rows below only once the row is in: a refused row's new provider
        # is rolled back with it.
        self.references.add(reference.casefold())
        if new_provider:
            self.organisations[provider.name.casefold()] = provider
        return contract
