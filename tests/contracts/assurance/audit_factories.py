import datetime

import factory

from contracts.assurance.choices import AuditStatus, AuditType, ComplaintCategory
from contracts.assurance.models.audits import Audit, Complaint
from contracts.register.choices import Party
from tests.contracts.register.factories import ContractFactory


class ComplaintFactory(factory.django.DjangoModelFactory):
    """An open complaint, not yet decided."""

    class Meta:
        model = Complaint

    contract = factory.SubFactory(ContractFactory)
    received_on = datetime.date(2026, 5, 11)
    summary = factory.Sequence(lambda n: f"Waited three weeks for a call back {n:04d}")
    category = ComplaintCategory.ACCESS


class AuditFactory(factory.django.DjangoModelFactory):
    """A proposed audit of case files."""

    class Meta:
        model = Audit

    contract = factory.SubFactory(ContractFactory)
    audit_type = AuditType.CASE_FILES
    proposed_by = Party.COMMISSIONER
    scope = factory.Sequence(lambda n: f"A sample of 20 closed case files, batch {n:04d}")
    planned_on = datetime.date(2026, 9, 14)
    status = AuditStatus.PROPOSED


class CompletedAuditFactory(AuditFactory):
    status = AuditStatus.COMPLETED
    planned_on = datetime.date(2026, 3, 2)
    conducted_on = datetime.date(2026, 3, 3)
    auditor = "Internal audit team"
    findings = "Files were complete; risk assessments were sometimes late."
    recommendations = (
        "Complete every risk assessment within 5 working days.\nCheck a sample of files each month."
    )
