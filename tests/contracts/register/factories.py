import datetime
from decimal import Decimal

import factory

from contracts.register.choices import ContactRole, ContractStatus, OrganisationKind, Tier
from contracts.register.models.contracts import Contract, ServiceArea
from contracts.register.models.organisations import Contact, Organisation


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Provider {n:04d} Ltd")
    kind = OrganisationKind.PROVIDER
    companies_house_number = factory.Sequence(lambda n: f"{10000000 + n:08d}")
    email = factory.Sequence(lambda n: f"office{n}@provider.example.org")
    telephone = "01632 960000"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Faker("name", locale="en_GB")
    job_title = "Contract Manager"
    role = ContactRole.CONTRACT_MANAGER
    email = factory.Sequence(lambda n: f"contact{n}@provider.example.org")


class ContractFactory(factory.django.DjangoModelFactory):
    """An active contract; pass lead_officer/deputy_officer for someone to run it."""

    class Meta:
        model = Contract

    reference = factory.Sequence(lambda n: f"NPCC-{n:04d}")
    title = factory.Sequence(lambda n: f"Support service {n}")
    scope = "Referral, assessment and support for people affected by crime."
    provider = factory.SubFactory(OrganisationFactory)
    # get_or_create: tests that flush the database lose the migration's reference data.
    service_area = factory.LazyFunction(
        lambda: ServiceArea.objects.get_or_create(name="Victims' services")[0]
    )
    total_value = Decimal("1200000.00")
    annual_value = Decimal("400000.00")
    original_total_value = factory.SelfAttribute("total_value")
    original_annual_value = factory.SelfAttribute("annual_value")
    start_date = datetime.date(2025, 4, 1)
    initial_end_date = datetime.date(2028, 3, 31)
    original_end_date = factory.SelfAttribute("initial_end_date")
    current_end_date = factory.SelfAttribute("initial_end_date")
    status = ContractStatus.ACTIVE
    tier = Tier.SILVER
    provider_contract_manager = factory.SubFactory(
        ContactFactory, organisation=factory.SelfAttribute("..provider")
    )
