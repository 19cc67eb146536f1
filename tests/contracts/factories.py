import factory

from contracts.choices import ContactRole, OrganisationKind
from contracts.models import Contact, Organisation


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
