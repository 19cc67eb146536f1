"""Factories for exit planning records. They write rows directly (like the other
factories); the rules are exercised through the services in the tests."""

import datetime

import factory

from contracts.exit.models import (
    ExitIntention,
    ExitNotice,
    ExitPlan,
    ExitPlanType,
    ExitTask,
    ExitTaskArea,
    PostContractReview,
    ServiceTransferPlan,
    TerminationExtent,
    TerminationNotice,
)
from contracts.register.choices import Party
from tests.contracts.register.factories import ContractFactory
from tests.governance.core.factories import UserFactory


class PostContractReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PostContractReview

    contract = factory.SubFactory(ContractFactory)
    held_on = datetime.date(2026, 1, 15)
    attendees = "Lead officer\nProvider's contract manager"
    outcomes_assessment = "Most intended outcomes were met; waiting times rose in year three."
    lessons_learned = factory.Sequence(lambda n: f"Lesson {n}: agree data formats early.")
    future_commissioning = "Set out the records handover in the next specification."
    recorded_by = factory.SubFactory(UserFactory)


class ExitNoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExitNotice

    contract = factory.SubFactory(ContractFactory)
    sent_on = datetime.date(2027, 6, 1)
    recipient_name = "Provider chief executive"
    intention = ExitIntention.RECOMMISSION
    end_date = factory.SelfAttribute("contract.current_end_date")
    recorded_by = factory.SubFactory(UserFactory)
    contact_log_entry = factory.SubFactory(
        "tests.governance.contactlog.log_factories.ContactLogEntryFactory",
        contract=factory.SelfAttribute("..contract"),
    )


class ExitPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExitPlan

    contract = factory.SubFactory(ContractFactory)
    plan_type = ExitPlanType.DECOMMISSION
    approach = "Wind the service down over three months."
    incumbent_obligations = "Keep the service running at full strength until the end date."
    created_by = factory.SubFactory(UserFactory)


class ExitTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExitTask

    plan = factory.SubFactory(ExitPlanFactory)
    area = ExitTaskArea.SERVICE_USERS
    description = factory.Sequence(lambda n: f"Write to every open case {n}")
    owner = factory.SubFactory(UserFactory)
    due_date = datetime.date(2027, 12, 1)


class TerminationNoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TerminationNotice

    contract = factory.SubFactory(ContractFactory)
    extent = TerminationExtent.FULL
    reason = "Persistent failure to meet the service levels."
    served_by = Party.COMMISSIONER
    notice_date = datetime.date(2026, 6, 1)
    effective_date = datetime.date(2026, 9, 1)
    recorded_by = factory.SubFactory(UserFactory)


class ServiceTransferPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceTransferPlan

    termination_notice = factory.SubFactory(TerminationNoticeFactory)
    contract = factory.SelfAttribute("termination_notice.contract")
    documentation = "Case files, policies, the referral database export."
    service_details = "Two sites, weekdays 9 to 5."
    priority_clients = "Clients with open safeguarding plans (references only)."
