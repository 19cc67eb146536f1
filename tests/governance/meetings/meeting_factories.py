import datetime
import zoneinfo

import factory

from governance.meetings.choices import (
    ActionSource,
    ActionStatus,
    DecisionLevel,
    MeetingKind,
    MeetingStatus,
)
from governance.meetings.models import Action, Decision, Meeting
from governance.meetings.services.meetings import default_agenda
from tests.contracts.register.factories import ContractFactory
from tests.governance.core.factories import UserFactory

LONDON = zoneinfo.ZoneInfo("Europe/London")


def at(year, month, day, hour=10, minute=0) -> datetime.datetime:
    """A time on the wall clock in London."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LONDON)


class MeetingFactory(factory.django.DjangoModelFactory):
    """A scheduled contract monitoring meeting, chaired by the contract's lead officer
    (or someone made up when the contract has none)."""

    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    contract = factory.SubFactory(ContractFactory)
    kind = MeetingKind.MONITORING
    status = MeetingStatus.SCHEDULED
    starts_at = factory.LazyFunction(lambda: at(2026, 6, 30, 14))
    location = factory.Sequence(lambda n: f"Meeting room {n}, Police HQ")
    chair = factory.LazyAttribute(lambda m: m.contract.lead_officer or UserFactory())
    agenda = factory.LazyAttribute(lambda m: default_agenda(m.kind))


class HeldMeetingFactory(MeetingFactory):
    status = MeetingStatus.HELD
    starts_at = factory.LazyFunction(lambda: at(2026, 6, 1, 14))
    minutes = "Performance was discussed. The provider will report on waiting times."


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    meeting = factory.SubFactory(HeldMeetingFactory)
    contract = factory.SelfAttribute("meeting.contract")
    decided_on = datetime.date(2026, 6, 1)
    title = factory.Sequence(lambda n: f"Extend the pilot outreach service {n:04d}")
    decision = "Run the outreach pilot for another quarter."
    rationale = "Early results show more referrals from rural areas."
    decided_by = "Contract monitoring meeting"
    level = DecisionLevel.CONTRACT_MANAGER
    recorded_by = factory.SubFactory(UserFactory)


class ActionFactory(factory.django.DjangoModelFactory):
    """An open action on a contract, owned by someone without a role unless told."""

    class Meta:
        model = Action

    contract = factory.SubFactory(ContractFactory)
    description = factory.Sequence(lambda n: f"Send the referral backlog figures {n:04d}")
    owner = factory.SubFactory(UserFactory)
    raised_on = datetime.date(2026, 6, 1)
    due_on = datetime.date(2026, 7, 31)
    status = ActionStatus.OPEN
    source = ActionSource.OTHER
