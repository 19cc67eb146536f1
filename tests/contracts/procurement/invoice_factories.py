import datetime
from decimal import Decimal

import factory

from contracts.models import Invoice
from contracts.procurement.payments.models import invoice_due_on
from tests.contracts.register.factories import ContractFactory
from tests.governance.core.factories import UserFactory


class InvoiceFactory(factory.django.DjangoModelFactory):
    """An undisputed invoice, received and not yet approved."""

    class Meta:
        model = Invoice

    contract = factory.SubFactory(ContractFactory)
    reference = factory.Sequence(lambda n: f"INV-{n:05d}")
    description = "Monthly service fee"
    amount = Decimal("12500.00")
    received_on = datetime.date(2026, 10, 5)
    due_on = factory.LazyAttribute(lambda o: None if o.disputed else invoice_due_on(o.received_on))
    disputed = False
    recorded_by = factory.SubFactory(UserFactory)


class PaidInvoiceFactory(InvoiceFactory):
    approved_on = factory.LazyAttribute(lambda o: o.received_on + datetime.timedelta(days=3))
    approved_by = factory.SubFactory(UserFactory)
    paid_on = factory.LazyAttribute(lambda o: o.received_on + datetime.timedelta(days=20))
