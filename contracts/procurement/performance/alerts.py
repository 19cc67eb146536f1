"""What contract performance offers the daily sweep. First it owes every KPI
assessment now due (``PREPARE``); then it tells the contract's officers of each
assessment owed and of each one still not done after its due date, and SMG of each
assessment and breach waiting for their decision. Each provider runs one query
whatever the number of records, and every alert's key names its occasion, so a re-run
sends nothing twice."""

import datetime
from collections.abc import Iterator

from contracts.procurement.performance.choices import AssessmentStatus, FailureStatus
from contracts.procurement.performance.models import PerformanceAssessment, PerformanceFailure
from contracts.procurement.performance.services import assessments_owe
from governance.core.alerting import AlertSpec, Urgency
from governance.core.datepolicy import on
from governance.core.roles import Role, role_holders


def _assessments(*statuses):
    return PerformanceAssessment.objects.filter(status__in=statuses).select_related(
        "contract", "contract__lead_officer", "contract__deputy_officer", "kpi"
    )


def assessments_due(today: datetime.date) -> Iterator[AlertSpec]:
    """Each assessment to be done, once, when it is owed (by the due date at latest)."""
    for assessment in (
        _assessments(AssessmentStatus.DUE)
        .filter(due_on__gte=today)
        .order_by("due_on", "pk")
        .iterator(chunk_size=500)
    ):
        contract = assessment.contract
        yield AlertSpec(
            key=f"uk9-assessment-due:{assessment.pk}:{assessment.due_on.isoformat()}",
            kind="uk9_assessment_due",
            urgency=Urgency.DUE_SOON,
            subject=f"KPI performance assessment due for {contract.reference}",
            body=(
                f"The performance of {assessment.kpi.name} on {contract} from "
                f"{on(assessment.period_start)} to {on(assessment.period_end)} is to be "
                f"assessed by {on(assessment.due_on)}. Rate it and send it to SMG: the "
                "Procurement Act 2023 asks for an assessment of each published KPI at "
                "least once in every 12 months and when the contract ends."
            ),
            url=assessment.get_absolute_url(),
            users=contract.officers,
        )


def assessments_overdue(today: datetime.date) -> Iterator[AlertSpec]:
    """Each assessment not yet approved after its due date, from the day after."""
    late = _assessments(AssessmentStatus.DUE, AssessmentStatus.SUBMITTED).filter(due_on__lt=today)
    for assessment in late.order_by("due_on", "pk").iterator(chunk_size=500):
        contract = assessment.contract
        waiting = (
            "It is waiting for SMG's approval."
            if assessment.status == AssessmentStatus.SUBMITTED
            else "Rate it and send it to SMG."
        )
        yield AlertSpec(
            key=f"uk9-assessment-overdue:{assessment.pk}:{assessment.due_on.isoformat()}",
            kind="uk9_assessment_overdue",
            urgency=Urgency.MISSED,
            subject=f"KPI performance assessment overdue for {contract.reference}",
            body=(
                f"The assessment of {assessment.kpi.name} on {contract} was due by "
                f"{on(assessment.due_on)}. {waiting}"
            ),
            url=assessment.get_absolute_url(),
            users=contract.officers,
        )


def decisions_waiting(today: datetime.date) -> Iterator[AlertSpec]:
    """SMG hear once of each assessment sent for approval and each breach or poor
    performance proposed for publication."""
    submitted = _assessments(AssessmentStatus.SUBMITTED).order_by("pk")
    proposed = (
        PerformanceFailure.objects.filter(status=FailureStatus.PROPOSED)
        .select_related("contract")
        .order_by("pk")
    )
    members = None
    for assessment in submitted.iterator(chunk_size=500):
        members = members if members is not None else role_holders(Role.SMG)
        yield AlertSpec(
            # Sent back and sent again: a new occasion.
            key=f"uk9-assessment-to-approve:{assessment.pk}:{assessment.submitted_at.isoformat()}",
            kind="uk9_assessment_to_approve",
            urgency=Urgency.DUE_SOON,
            subject=f"KPI performance assessment to approve: {assessment.contract.reference}",
            body=(
                f"{assessment.kpi.name} on {assessment.contract} has been rated "
                f"{assessment.get_rating_display()} for {on(assessment.period_start)} to "
                f"{on(assessment.period_end)}. Approve it, or send it back, so its contract "
                "performance notice can be published."
            ),
            url=assessment.get_absolute_url(),
            users=members,
        )
    for failure in proposed.iterator(chunk_size=500):
        members = members if members is not None else role_holders(Role.SMG)
        yield AlertSpec(
            key=f"uk9-failure-to-decide:{failure.pk}",
            kind="uk9_failure_to_decide",
            urgency=Urgency.DUE_SOON,
            subject=f"Decide whether to publish: {failure.contract.reference}",
            body=(
                f"A {failure.get_kind_display().lower()} on {failure.contract} has been "
                "proposed for a contract performance notice. Decide whether to record it "
                "for publication."
            ),
            url=failure.get_absolute_url(),
            users=members,
        )


PREPARE = [assessments_owe]
PROVIDERS = [assessments_due, assessments_overdue, decisions_waiting]
