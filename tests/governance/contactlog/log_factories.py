"""Factories of the decision log and the contact log."""

import datetime

import factory

from governance.contactlog.models import ContactChannel, ContactDirection, ContactLogEntry
from governance.meetings.choices import DecisionLevel, DecisionStatus
from governance.meetings.models import Decision
from tests.contracts.register.factories import ContractFactory
from tests.governance.core.factories import UserFactory
from tests.governance.meetings.meeting_factories import at


class LogDecisionFactory(factory.django.DjangoModelFactory):
    """A decision recorded on its own (not in a meeting) on a contract; pass
    ``contract=None`` for a portfolio decision."""

    class Meta:
        model = Decision

    contract = factory.SubFactory(ContractFactory)
    meeting = None
    decided_on = datetime.date(2026, 6, 1)
    title = factory.Sequence(lambda n: f"Reprofile the outreach budget {n:04d}")
    decision = "Move 5% of the outreach budget to the rural hubs."
    rationale = "Referrals from rural areas doubled in the last quarter."
    decided_by = "Lead officer"
    level = DecisionLevel.CONTRACT_MANAGER
    status = DecisionStatus.PROPOSED
    recorded_by = factory.SubFactory(UserFactory)


class ContactLogEntryFactory(factory.django.DjangoModelFactory):
    """An e-mail to the provider, raising no concern, logged by someone without a role
    unless told."""

    class Meta:
        model = ContactLogEntry
        skip_postgeneration_save = True

    contract = factory.SubFactory(ContractFactory)
    occurred_at = factory.LazyFunction(lambda: at(2026, 6, 10, 11))
    channel = ContactChannel.EMAIL
    direction = ContactDirection.TO_PROVIDER
    subject = factory.Sequence(lambda n: f"Waiting times in the north hub {n:04d}")
    summary = "Asked for the weekly waiting-time figures ahead of the quarterly meeting."
    recorded_by = factory.SubFactory(UserFactory)


class ConcernByPhoneFactory(ContactLogEntryFactory):
    """A concern raised on a phone call, still waiting for its written follow-up."""

    channel = ContactChannel.PHONE
    direction = ContactDirection.TO_PROVIDER
    is_concern = True
    subject = factory.Sequence(lambda n: f"Missed safeguarding referral {n:04d}")
    summary = "Raised a safeguarding referral that was not passed on within a day."
