"""Every create and edit form of the product, for the tests that feed them any input.

``TARGETS`` names each page that takes a form by its URL name and says which record
it is opened on, in a small world of records (``World``) built with the factories:
an active strategic partnership run by a lead officer, with one record of every kind.
``NOT_FORMS`` lists the other POST pages (buttons that take no input) with why. A test
checks that these two lists cover every URL pattern that accepts POST, so a new form
cannot be left out.

``read_form`` reads a page's form as a browser would (the fields, their current or
first values) so a test can post it back with some values changed.
"""

import datetime
import zoneinfo
from dataclasses import dataclass, field, replace
from functools import cached_property
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import connection, models
from django.db.models import Q
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from contracts.procurement.services import kpi_exemption_request, notice_transition
from contracts.register.choices import ContractStatus, LifecycleStage
from contracts.register.models.contracts import ExtensionOption, Variation
from disputes.choices import Stage
from disputes.models.exclusions import Exclusion
from governance.core import datepolicy
from governance.core.roles import Role
from governance.core.views.base import ObjectListView
from governance.healthchecks.models import QuestionnaireTemplate, Side
from governance.healthchecks.services import ensure_questionnaires
from governance.meetings.choices import DecisionStatus
from tests.contracts.assurance.audit_factories import AuditFactory, ComplaintFactory
from tests.contracts.assurance.sla_factories import (
    ChecklistItemFactory,
    ImprovementFactory,
    SlaFactory,
)
from tests.contracts.exit.exit_factories import (
    ExitPlanFactory,
    ExitTaskFactory,
    PostContractReviewFactory,
    ServiceTransferPlanFactory,
    TerminationNoticeFactory,
)
from tests.contracts.performance.kpi_factories import ContractKpiFactory, KpiDefinitionFactory
from tests.contracts.performance.return_factories import FinancialLineFactory, period_with_returns
from tests.contracts.procurement.factories import ContractProcurementFactory, NoticeFactory
from tests.contracts.procurement.invoice_factories import InvoiceFactory
from tests.contracts.procurement.performance_factories import (
    AssessmentFactory,
    FailureFactory,
    published_kpi,
)
from tests.contracts.register.factories import ContactFactory, ContractFactory, OrganisationFactory
from tests.disputes.factories import DisputeFactory, contract_with_officers, walk
from tests.governance.contactlog.log_factories import ConcernByPhoneFactory, LogDecisionFactory
from tests.governance.core.factories import UserFactory
from tests.governance.meetings.meeting_factories import (
    ActionFactory,
    HeldMeetingFactory,
    MeetingFactory,
)
from tests.risks.factories import RiskFactory

D = datetime.date
LONDON = zoneinfo.ZoneInfo("Europe/London")
#: The forms are opened on this morning (a Friday), with the world's records behind it.
NOW = datetime.datetime(2026, 12, 4, 10, 0, tzinfo=LONDON)


class World:
    """One record of every kind a form opens on, made when first asked for. The lead
    officer runs the contract; SMG, provider staff, a PDM and an administrator are
    there for the pages that are theirs."""

    def __init__(self):
        self.lead = UserFactory(roles=[Role.CONTRACT_MANAGER])
        self.deputy = UserFactory(roles=[Role.CONTRACT_MANAGER])
        self.smg = UserFactory(roles=[Role.SMG])
        self.pdm = UserFactory(roles=[Role.PDM])
        self.admin = UserFactory(roles=[Role.ADMINISTRATOR])
        self.contract = contract_with_officers(
            lead_officer=self.lead,
            deputy_officer=self.deputy,
            is_strategic_partnership=True,
            lifecycle_stage=LifecycleStage.CONTRACT_MANAGEMENT,
        )
        self.provider_user = UserFactory(roles=[Role.PROVIDER], organisation=self.contract.provider)

    def users(self, first: str = ""):
        """Who may open a page, tried in this order."""
        people = [self.lead, self.smg, self.provider_user, self.pdm, self.admin]
        if first:
            people.insert(0, getattr(self, first))
        return people

    @cached_property
    def organisation(self):
        return self.contract.provider

    @cached_property
    def contact(self):
        return ContactFactory(organisation=self.contract.provider)

    @cached_property
    def draft_contract(self):
        return ContractFactory(
            lead_officer=self.lead, deputy_officer=self.deputy, status=ContractStatus.DRAFT
        )

    @cached_property
    def extension(self):
        return ExtensionOption.objects.create(
            contract=self.contract, sequence=1, length_months=12, decision_deadline=D(2027, 9, 30)
        )

    @cached_property
    def variation(self):
        return Variation.objects.create(
            contract=self.contract,
            number=1,
            summary="Add an outreach worker",
            justification="Referrals from rural areas doubled.",
            requested_by="commissioner",
            new_end_date=D(2029, 3, 31),
            needs_smg_approval=True,
            proposed_by=self.lead,
        )

    @cached_property
    def sla(self):
        return SlaFactory(contract=self.contract)

    @cached_property
    def improvement(self):
        return ImprovementFactory(sla=self.sla)

    @cached_property
    def checklist_item(self):
        return ChecklistItemFactory(contract=self.contract)

    @cached_property
    def kpi_definition(self):
        return KpiDefinitionFactory()

    @cached_property
    def contract_kpi(self):
        return ContractKpiFactory(contract=self.contract)

    @cached_property
    def period(self):
        self.contract_kpi  # noqa: B018 - the performance return gets a result for it
        return period_with_returns(contract=self.contract, financial_year=2026, quarter=2)

    @cached_property
    def performance_return(self):
        return self.period.performance_return

    @cached_property
    def financial_return(self):
        return self.period.financial_return

    @cached_property
    def financial_line(self):
        return FinancialLineFactory(financial_return=self.financial_return)

    @cached_property
    def complaint(self):
        return ComplaintFactory(contract=self.contract)

    @cached_property
    def audit(self):
        return AuditFactory(contract=self.contract)

    @cached_property
    def exit_plan(self):
        return ExitPlanFactory(contract=self.contract, created_by=self.lead)

    @cached_property
    def exit_task(self):
        return ExitTaskFactory(plan=self.exit_plan, owner=self.lead)

    @cached_property
    def exit_contract(self):
        """A contract in exit, with a termination notice and its transfer plan."""
        return ContractFactory(
            lead_officer=self.lead, deputy_officer=self.deputy, status=ContractStatus.IN_EXIT
        )

    @cached_property
    def transfer_plan(self):
        notice = TerminationNoticeFactory(contract=self.exit_contract, recorded_by=self.lead)
        return ServiceTransferPlanFactory(termination_notice=notice)

    @cached_property
    def transfer_provider(self):
        return UserFactory(roles=[Role.PROVIDER], organisation=self.exit_contract.provider)

    @cached_property
    def post_contract_review(self):
        return PostContractReviewFactory(contract=self.contract, recorded_by=self.lead)

    @cached_property
    def invoice(self):
        return InvoiceFactory(contract=self.contract, recorded_by=self.lead)

    @cached_property
    def approved_invoice(self):
        return InvoiceFactory(
            contract=self.contract,
            recorded_by=self.lead,
            approved_on=D(2026, 10, 7),
            approved_by=self.deputy,
        )

    @cached_property
    def risk(self):
        return RiskFactory(contract=self.contract, owner=self.lead, raised_by=self.lead)

    @cached_property
    def dispute(self):
        return DisputeFactory(contract=self.contract, raised_by=self.lead)

    def dispute_at(self, stage: str):
        dispute = DisputeFactory(contract=self.contract, raised_by=self.lead)
        return walk(dispute, self.lead, self.smg, stage) if stage != "raised" else dispute

    @cached_property
    def exclusion(self):
        return Exclusion.objects.create(
            organisation=OrganisationFactory(),
            reason="performance",
            details="Three contracts ended early for poor performance.",
            start_date=D(2026, 4, 1),
            end_date=D(2028, 3, 31),
            decided_on=D(2026, 3, 20),
            recorded_by=self.smg,
        )

    @cached_property
    def meeting(self):
        return MeetingFactory(contract=self.contract)

    @cached_property
    def held_meeting(self):
        return HeldMeetingFactory(contract=self.contract)

    @cached_property
    def action(self):
        return ActionFactory(contract=self.contract, owner=self.lead)

    @cached_property
    def decision(self):
        return LogDecisionFactory(contract=self.contract, recorded_by=self.lead)

    @cached_property
    def approved_decision(self):
        return LogDecisionFactory(
            contract=self.contract, recorded_by=self.lead, status=DecisionStatus.APPROVED
        )

    @cached_property
    def contact_entry(self):
        return ConcernByPhoneFactory(contract=self.contract, recorded_by=self.lead)

    @cached_property
    def performance_contract(self):
        """A contract under the Procurement Act 2023, run by the lead officer, with a
        published KPI."""
        contract = contract_with_officers(lead_officer=self.lead, deputy_officer=self.deputy)
        ContractProcurementFactory(contract=contract)
        published_kpi(contract)
        return contract

    @cached_property
    def performance_assessment(self):
        contract = self.performance_contract
        return AssessmentFactory(contract=contract, kpi=contract.kpis.get())

    @cached_property
    def submitted_assessment(self):
        contract = self.performance_contract
        return AssessmentFactory(
            contract=contract,
            kpi=published_kpi(contract),
            rating="good",
            status="submitted",
            assessed_by=self.lead,
        )

    @cached_property
    def performance_failure(self):
        return FailureFactory(contract=self.performance_contract, proposed_by=self.lead)

    @cached_property
    def questionnaire(self):
        ensure_questionnaires()
        return QuestionnaireTemplate.objects.get(kind="annual")

    @cached_property
    def assessment(self):
        from governance.healthchecks import services as healthchecks

        self.questionnaire  # noqa: B018 - the questionnaires must exist first
        return healthchecks.assessment_start(
            contract=self.contract,
            template=self.questionnaire,
            actor=self.lead,
            assessed_on=D(2026, 11, 2),
        )

    # -- Procurement Act 2023 duties ------------------------------------------------------

    @cached_property
    def act_contract(self):
        """The world's contract, procured under the Act and worth more than £5 million."""
        self.contract.total_value = 6_000_000
        self.contract.save()
        ContractProcurementFactory(contract=self.contract)
        return self.contract

    @cached_property
    def act_variation(self):
        variation = self.variation
        self.act_contract  # noqa: B018 - procured under the Act
        variation.status = "approved"
        variation.save()
        return variation

    def _notice(self, status: str):
        notice = NoticeFactory(contract=self.act_contract, due_on=D(2026, 12, 18))
        if status in ("drafted", "approved"):
            notice_transition(notice=notice, to="drafted", actor=self.lead, summary="Draft")
            if status == "approved":
                notice_transition(notice=notice, to="approved", actor=self.smg)
        return notice

    @cached_property
    def notice(self):
        return self._notice("due")

    @cached_property
    def drafted_notice(self):
        return self._notice("drafted")

    @cached_property
    def approved_notice(self):
        return self._notice("approved")

    @cached_property
    def kpi_exemption(self):
        return kpi_exemption_request(
            contract=self.act_contract, actor=self.lead, reason="A call-off with its own KPIs."
        )

    @cached_property
    def assessment_area(self):
        return self.assessment.version.areas.order_by("order").first()


@dataclass(frozen=True)
class Target:
    """A page with a form: its URL name, and the URL arguments in a world."""

    url_name: str
    args: object = None  # World -> list
    variant: str = ""
    extra: tuple = field(default=())  # further URL arguments after the record's
    user: str = ""  # the world's user to try first ("smg", "provider_user", ...)

    @property
    def id(self) -> str:
        return f"{self.url_name}[{self.variant}]" if self.variant else self.url_name

    def url(self, world: World) -> str:
        args = list(self.args(world)) if self.args else []
        return reverse(self.url_name, args=[*args, *self.extra])


def _pk(name: str):
    return lambda world: [getattr(world, name).pk]


def _dispute_at(stage: str):
    return lambda world: [world.dispute_at(stage).pk]


#: A step form shows the same form for several steps; one step of each form is enough.
DISPUTE_STEPS = {
    "pdm_told": "raised",
    "concern_in_writing": "raised",
    "approach_agreed": "raised",
    "informal_outcome": "raised",
    "action_add": Stage.STAGE_4,
    "completion_report": Stage.STAGE_4,
    "settlement": Stage.STAGE_5,
    "award": Stage.STAGE_6,
    "termination": Stage.STAGE_3,
    "endorse_skip": "raised",
    "endorse_outcome": Stage.STAGE_3,
    "note": "raised",
    "correction": "raised",
}
#: Each stage a dispute moves to, from the stage before it.
DISPUTE_MOVES = {
    Stage.STAGE_1: Stage.INFORMAL,
    Stage.STAGE_2: Stage.STAGE_1,
    Stage.STAGE_3: Stage.STAGE_2,
    Stage.STAGE_4: Stage.STAGE_3,
    Stage.STAGE_5: Stage.STAGE_4,
    Stage.STAGE_6: Stage.STAGE_5,
    Stage.STAGE_7: Stage.STAGE_6,
    Stage.CLOSED: Stage.STAGE_3,
}

TARGETS: list[Target] = [
    # The shared base: documents on every record that has them.
    *[
        Target(f"{app}:{model}_documents", _pk(attr))
        for app, model, attr in [
            ("governance", "decision", "decision"),
            ("governance", "contactlogentry", "contact_entry"),
            ("governance", "meeting", "meeting"),
            ("governance", "assessment", "assessment"),
            ("contracts", "organisation", "organisation"),
            ("contracts", "contract", "contract"),
            ("disputes", "dispute", "dispute"),
        ]
    ],
    # Decision log, contact log, meetings and actions.
    Target("governance:portfolio_decision_create"),
    Target("governance:contract_decision_create", _pk("contract")),
    Target("governance:decision_update", _pk("decision")),
    Target("governance:decision_transition", _pk("decision")),
    Target("governance:decision_supersede", _pk("approved_decision")),
    Target("governance:contactlogentry_create", _pk("contract")),
    Target("governance:contactlogentry_update", _pk("contact_entry")),
    Target("governance:contactlogentry_follow_up", _pk("contact_entry")),
    Target("governance:meeting_create", _pk("contract")),
    Target("governance:meeting_update", _pk("meeting")),
    Target("governance:meeting_minutes", _pk("held_meeting")),
    Target("governance:meeting_cancel", _pk("meeting")),
    Target("governance:decision_create", _pk("held_meeting")),
    Target("governance:action_create", _pk("contract")),
    Target("governance:action_update", _pk("action")),
    # Health checks.
    Target("governance:assessment_create", _pk("contract")),
    Target("governance:assessment_answer", _pk("assessment"), extra=(Side.COMMISSIONER,)),
    Target("governance:assessment_submit", _pk("assessment"), extra=(Side.COMMISSIONER,)),
    Target(
        "governance:assessment_area_action",
        lambda world: [world.assessment.pk, world.assessment_area.pk],
    ),
    Target("governance:questionnaire_version_create", _pk("questionnaire")),
    # The register.
    Target("contracts:organisation_create"),
    Target("contracts:organisation_update", _pk("organisation")),
    Target("contracts:contact_create"),
    Target("contracts:contact_update", _pk("contact")),
    Target("contracts:contract_create"),
    Target("contracts:contract_update", _pk("draft_contract")),
    Target("contracts:contract_transition", _pk("contract"), extra=(ContractStatus.IN_EXIT,)),
    Target("contracts:extensionoption_create", _pk("contract")),
    Target("contracts:extensionoption_decide", _pk("extension"), "exercise", ("exercise",)),
    Target("contracts:extensionoption_decide", _pk("extension"), "decline", ("decline",)),
    Target("contracts:variation_create", _pk("contract")),
    Target("contracts:variation_decide", _pk("variation"), "approve", ("approve",), "smg"),
    Target("contracts:variation_decide", _pk("variation"), "reject", ("reject",), "smg"),
    # SLAs, checklist and KPIs.
    Target("contracts:sla_create", _pk("contract")),
    Target("contracts:sla_update", _pk("sla")),
    Target("contracts:sla_agree", _pk("sla")),
    Target("contracts:improvementplanitem_create", _pk("sla")),
    Target("contracts:checklistitem_create", _pk("contract")),
    Target("contracts:checklist_update", _pk("checklist_item")),
    Target("contracts:kpidefinition_create"),
    Target("contracts:kpidefinition_update", _pk("kpi_definition")),
    Target("contracts:contractkpi_create", _pk("contract")),
    Target("contracts:contractkpi_update", _pk("contract_kpi")),
    # Quarterly returns.
    Target("contracts:performancereturn_update", _pk("performance_return")),
    Target("contracts:performancereturn_transition", _pk("performance_return"), extra=("return",)),
    Target("contracts:financialreturn_update", _pk("financial_return")),
    Target("contracts:financialline_create", _pk("financial_return")),
    Target("contracts:financialreturn_transition", _pk("financial_return"), extra=("return",)),
    # Complaints and audits.
    Target("contracts:complaint_create", _pk("contract")),
    Target("contracts:complaint_update", _pk("complaint")),
    Target("contracts:complaint_close", _pk("complaint")),
    Target("contracts:audit_create", _pk("contract")),
    Target("contracts:audit_update", _pk("audit")),
    Target("contracts:audit_transition", _pk("audit"), extra=("planned",)),
    # Contract performance under the Procurement Act 2023.
    Target("contracts:performanceassessment_create", _pk("performance_contract")),
    Target("contracts:performanceassessment_update", _pk("performance_assessment")),
    *[
        Target("contracts:performanceassessment_step", _pk(record), step, (step,), user)
        for step, record, user in [
            ("submit", "performance_assessment", ""),
            ("cancel", "performance_assessment", ""),
            ("approve", "submitted_assessment", "smg"),
            ("return", "submitted_assessment", "smg"),
        ]
    ],
    Target("contracts:performancefailure_create", _pk("performance_contract")),
    Target("contracts:performancefailure_update", _pk("performance_failure")),
    Target(
        "contracts:performancefailure_decide",
        _pk("performance_failure"),
        "record",
        ("record",),
        "smg",
    ),
    Target(
        "contracts:performancefailure_decide",
        _pk("performance_failure"),
        "decline",
        ("decline",),
        "smg",
    ),
    # Exit.
    Target("contracts:exitnotice_create", _pk("contract")),
    Target("contracts:exitplan_create", _pk("contract")),
    Target("contracts:exitplan_update", _pk("exit_plan")),
    Target("contracts:exitplan_transition", _pk("exit_plan"), extra=("agreed",)),
    Target("contracts:exittask_create", _pk("exit_plan")),
    Target("contracts:exittask_update", _pk("exit_task")),
    Target("contracts:exitplan_risk_create", _pk("exit_plan")),
    Target("contracts:terminationnotice_create", _pk("contract")),
    Target("contracts:transferplan_update", _pk("transfer_plan")),
    Target("contracts:transferplan_step", _pk("transfer_plan"), extra=("return",)),
    Target("contracts:postcontractreview_create", _pk("contract")),
    Target("contracts:postcontractreview_update", _pk("post_contract_review")),
    # Procurement Act 2023 duties.
    Target("contracts:notice_step", _pk("notice"), "drafted", ("drafted",)),
    Target("contracts:notice_step", _pk("notice"), "not_required", ("not_required",)),
    Target("contracts:notice_step", _pk("drafted_notice"), "approved", ("approved",), "smg"),
    Target("contracts:notice_step", _pk("drafted_notice"), "due", ("due",)),
    Target("contracts:notice_step", _pk("approved_notice"), "published", ("published",)),
    Target("contracts:kpidutyexemption_create", _pk("act_contract")),
    Target("contracts:kpidutyexemption_decide", _pk("kpi_exemption"), "record", ("record",), "smg"),
    Target("contracts:kpidutyexemption_decide", _pk("kpi_exemption"), "refuse", ("refuse",), "smg"),
    Target("contracts:changenotice_record", _pk("act_variation")),
    Target("contracts:contractending_record", _pk("act_contract")),
    # The invoice register.
    Target("contracts:invoice_create", _pk("contract")),
    Target("contracts:invoice_update", _pk("invoice")),
    Target("contracts:invoice_approve", _pk("invoice"), user="deputy"),
    Target("contracts:invoice_pay", _pk("approved_invoice")),
    # Risks.
    Target("risks:risk_create"),
    Target("risks:contract_risk_create", _pk("contract")),
    Target("risks:risk_update", _pk("risk")),
    Target("risks:risk_review", _pk("risk")),
    Target("risks:risk_close", _pk("risk")),
    Target("risks:issue_raise", _pk("risk")),
    # Disputes.
    Target("disputes:dispute_create", _pk("contract")),
    Target("disputes:dispute_update", _pk("dispute")),
    Target("disputes:dispute_assess", _pk("dispute")),
    *[
        Target("disputes:dispute_step", _dispute_at(stage), step, (step,))
        for step, stage in DISPUTE_STEPS.items()
    ],
    *[
        Target("disputes:dispute_transition", _dispute_at(before), to, (to,))
        for to, before in DISPUTE_MOVES.items()
    ],
    Target("disputes:exclusion_create"),
    Target("disputes:exclusion_end", _pk("exclusion")),
]

#: The targets whose form shows a date box (the fuzz test keeps the list honest).
FORMS_WITH_DATES = [
    "contracts:audit_create",
    "contracts:changenotice_record",
    "contracts:contractending_record",
    "contracts:notice_step[published]",
    "contracts:audit_transition",
    "contracts:audit_update",
    "contracts:checklist_update",
    "contracts:complaint_close",
    "contracts:complaint_create",
    "contracts:complaint_update",
    "contracts:contract_create",
    "contracts:contract_update",
    "contracts:exitnotice_create",
    "contracts:exitplan_risk_create",
    "contracts:exittask_create",
    "contracts:exittask_update",
    "contracts:extensionoption_create",
    "contracts:improvementplanitem_create",
    "contracts:invoice_approve",
    "contracts:invoice_create",
    "contracts:invoice_pay",
    "contracts:invoice_update",
    "contracts:performanceassessment_create",
    "contracts:performanceassessment_update",
    "contracts:performancefailure_create",
    "contracts:performancefailure_decide[record]",
    "contracts:performancefailure_update",
    "contracts:postcontractreview_create",
    "contracts:postcontractreview_update",
    "contracts:sla_agree",
    "contracts:terminationnotice_create",
    "contracts:variation_create",
    "disputes:dispute_assess",
    "disputes:dispute_create",
    "disputes:dispute_step[action_add]",
    "disputes:dispute_step[approach_agreed]",
    "disputes:dispute_step[award]",
    "disputes:dispute_step[completion_report]",
    "disputes:dispute_step[endorse_outcome]",
    "disputes:dispute_step[endorse_skip]",
    "disputes:dispute_step[informal_outcome]",
    "disputes:dispute_step[pdm_told]",
    "disputes:dispute_step[settlement]",
    "disputes:dispute_step[termination]",
    "disputes:dispute_transition[stage_1]",
    "disputes:dispute_transition[stage_2]",
    "disputes:dispute_transition[stage_3]",
    "disputes:dispute_transition[stage_4]",
    "disputes:dispute_transition[stage_5]",
    "disputes:dispute_transition[stage_6]",
    "disputes:dispute_transition[stage_7]",
    "disputes:dispute_update",
    "disputes:exclusion_create",
    "disputes:exclusion_end",
    "governance:action_create",
    "governance:action_update",
    "governance:assessment_area_action",
    "governance:assessment_create",
    "governance:contactlogentry_create",
    "governance:contactlogentry_follow_up",
    "governance:contactlogentry_update",
    "governance:contract_decision_create",
    "governance:decision_create",
    "governance:decision_supersede",
    "governance:decision_transition",
    "governance:decision_update",
    "governance:meeting_create",
    "governance:meeting_update",
    "governance:portfolio_decision_create",
    "risks:contract_risk_create",
    "risks:risk_create",
    "risks:risk_review",
    "risks:risk_update",
]

#: POST pages that take no typed input: a button, with why it needs no fuzzing.
NOT_FORMS = {
    "login": "signing in; django-axes guards it",
    "logout": "a button",
    "governance:notification_mark_read": "a button",
    "governance:pack_request": "a button that queues the audit pack",
    "contracts:checklist_add_standard": "a button that adds the standard items",
    "disputes:exclusion_confirm": "a second SMG member's confirmation: optional notes only",
    "contracts:contract_periods_open": "a button that opens the missing quarters",
    "contracts:financialline_delete": "a button",
    # A person's own account: no governed record; bad input is tested in
    # tests/governance/accounts/.
    "account_password_change": "a person's own password; Django's form and validators",
    "account_two_factor_setup": "a 6-digit code, checked for shape and against the app",
    "account_two_factor_verify": "a 6-digit code, checked for shape and against the app",
    "account_session_keepalive": "a button (stay signed in)",
    "account_api_tokens": (
        "a token's name and how long it works; bad input is tested in "
        "tests/governance/api/test_tokens.py"
    ),
    "account_api_token_revoke": "a button",
    "disputes:provider_dispute_receipt_confirm": "a button (the provider confirms receipt)",
    "account_notifications": "a choice of two radio buttons, checked against the choices",
    "account_calendar": "a button (a new address for the calendar feed)",
    "password_reset": "an e-mail address, rate-limited",
    "password_reset_confirm": "a new password through Django's reset link",
    "risks:risk_import": "a file upload only; bad files are tested in tests/risks/test_imports.py",
    "risks:risk_import_preview": "a button that confirms an import already checked",
    "landing": "a redirect to each person's first page; it answers GET only (POST is 405)",
    "contracts:contract_import": (
        "a file upload only; bad files are tested in tests/contracts/register/test_imports.py"
    ),
    "contracts:contract_import_preview": "a button that confirms an import already checked",
    "contracts:kpidefinition_import": (
        "a file upload only; bad files are tested in "
        "tests/contracts/performance/test_kpi_imports.py"
    ),
    "contracts:kpidefinition_import_preview": "a button that confirms an import already checked",
    "contracts:contractkpi_import": (
        "a file upload only; bad files are tested in "
        "tests/contracts/performance/test_kpi_imports.py"
    ),
    "contracts:contractkpi_import_preview": "a button that confirms an import already checked",
    "contracts:kpiresult_import": (
        "a file upload only; bad files are tested in "
        "tests/contracts/performance/test_result_imports.py"
    ),
    "contracts:kpiresult_import_preview": "a button that confirms an import already checked",
    "governance:contactlogentry_import": "a file upload only, like the risk log's import",
    "governance:contactlogentry_import_preview": "a button that confirms an import already checked",
}


def post_url_names() -> set[str]:
    """The URL names of every page of the product that accepts POST."""

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                view = getattr(pattern.callback, "view_class", None)
                # A list page's POST is its button that prepares a long export: it takes
                # the page's filters, never typed input.
                if (
                    view is not None
                    and hasattr(view, "post")
                    and not issubclass(view, ObjectListView)
                ):
                    yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return {name for name in walk(get_resolver().url_patterns) if not name.startswith("admin:")}


# -- Reading a form back ----------------------------------------------------------------------

DATE_PARTS = ("day", "month", "year")


@dataclass
class FormField:
    name: str
    kind: str  # text, number, textarea, select, radio, checkbox, date
    value: object  # what the page holds (a (day, month, year) tuple for a date)
    options: list[str] = field(default_factory=list)
    attrs: dict = field(default_factory=dict)  # the input's type, maxlength


class _FormReader(HTMLParser):
    """The inputs of the page's own form: the POST form without an action (other POST
    forms, like signing out, post elsewhere)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.inputs: list[dict] = []
        self.selects: dict[str, dict] = {}
        self.textareas: dict[str, list[str]] = {}
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if self.depth:
                self.depth += 1
            elif (attrs.get("method") or "").lower() == "post" and not attrs.get("action"):
                self.depth = 1
            return
        if not self.depth:
            return
        if tag == "input":
            self.inputs.append(attrs)
        elif tag == "select":
            self._select = attrs.get("name")
            self.selects[self._select] = {"options": [], "selected": None}
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            self.selects[self._select]["options"].append(value)
            if "selected" in attrs:
                self.selects[self._select]["selected"] = value
        elif tag == "textarea":
            self._textarea = attrs.get("name")
            self.textareas[self._textarea] = []

    def handle_endtag(self, tag):
        if tag == "form" and self.depth:
            self.depth -= 1
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.depth:
            self.textareas[self._textarea].append(data)


def read_form(html: str) -> list[FormField]:
    """The fields of the page's form with the values a person would submit unchanged:
    what is filled in, the selected (or first real) option, the checked radio."""
    reader = _FormReader()
    reader.feed(html)
    fields: dict[str, FormField] = {}
    dates: dict[str, dict[str, str]] = {}
    for attrs in reader.inputs:
        name, kind = attrs.get("name"), (attrs.get("type") or "text").lower()
        if not name or name == "csrfmiddlewaretoken" or kind in ("file", "submit", "button"):
            continue
        value = attrs.get("value") or ""
        stem, _, part = name.rpartition("_")
        if "govuk-date-input__input" in (attrs.get("class") or "") and part in DATE_PARTS:
            dates.setdefault(stem, {})[part] = value
        elif kind == "radio":
            radio = fields.setdefault(name, FormField(name, "radio", None))
            radio.options.append(value)
            if "checked" in attrs or radio.value is None:
                radio.value = value
        elif kind == "checkbox":
            box = fields.setdefault(name, FormField(name, "checkbox", []))
            box.options.append(value)
            if "checked" in attrs:
                box.value.append(value)
        elif kind == "hidden":
            fields[name] = FormField(name, "hidden", value)
        else:
            numeric = attrs.get("inputmode") in ("numeric", "decimal")
            fields[name] = FormField(name, "number" if numeric else "text", value, attrs=attrs)
    for name, parts in dates.items():
        fields[name] = FormField(name, "date", tuple(parts.get(p, "") for p in DATE_PARTS))
    for name, select in reader.selects.items():
        options = select["options"]
        value = select["selected"]
        if value is None:
            value = next((o for o in options if o), "")
        fields[name] = FormField(name, "select", value, options)
    for name, text in reader.textareas.items():
        fields[name] = FormField(name, "textarea", "".join(text).strip("\n"))
    return list(fields.values())


def filled(fields: list[FormField], today: datetime.date) -> list[FormField]:
    """The form as someone completing it would send it: empty boxes get a plausible
    answer (a date today, a number 1, a sentence), so a changed value reaches the
    rules behind it rather than stopping at "required"."""
    result = []
    for item in fields:
        value = item.value
        if item.kind == "date" and not any(value):
            value = (str(today.day), str(today.month), str(today.year))
        elif item.kind == "number" and not value:
            value = "1"
        elif item.kind in ("text", "textarea") and not value:
            value = _plausible_text(item)
        result.append(replace(item, value=value))
    return result


def _plausible_text(item: FormField) -> str:
    kind = (item.attrs.get("type") or "").lower()
    if kind == "email":
        return "someone@example.org"
    if kind == "url":
        return "https://www.example.org"
    if kind == "tel":
        return "01632 960000"
    if "time" in item.name:
        return "10:00"
    text = "Agreed at the quarterly meeting"
    limit = item.attrs.get("maxlength")
    return text[: int(limit)] if limit and limit.isdigit() else text


def as_post(fields: list[FormField]) -> dict:
    data = {}
    for item in fields:
        if item.kind == "date":
            for part, value in zip(DATE_PARTS, item.value, strict=True):
                data[f"{item.name}_{part}"] = value
        elif item.kind == "checkbox":
            data[item.name] = list(item.value)
        else:
            data[item.name] = "" if item.value is None else item.value
    return data


# -- What must not change, and who opens a form -------------------------------------------------

OWN_APPS = ("governance", "contracts", "risks", "disputes", "auth")


def _tables() -> list[str]:
    return sorted(
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in OWN_APPS and model._meta.managed
    )


def row_counts() -> tuple[int, ...]:
    """Rows in every table of the product (records, their history, links), in one query."""
    quote = connection.ops.quote_name
    select = ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in _tables())
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {select}")
        return tuple(cursor.fetchone())


def opened_records(url: str) -> list[tuple[type[models.Model], int]]:
    """The record a page was opened on and its parent, from the URL."""
    match = resolve(url)
    view = match.func.view_class
    records = []
    if "pk" in match.kwargs and getattr(view, "model", None):
        records.append((view.model, match.kwargs["pk"]))
    if "parent_pk" in match.kwargs and getattr(view, "parent_model", None):
        records.append((view.parent_model, match.kwargs["parent_pk"]))
    return records


def record_values(records, world: World) -> list[dict | None]:
    rows = [(type(world.contract), world.contract.pk), *records]
    return [model._base_manager.filter(pk=pk).values().first() for model, pk in rows]


def dates_outside_policy() -> list[str]:
    """Stored dates outside the policy's outer range, in any governed model."""
    found = []
    for model in datepolicy.governed_models():
        condition = Q()
        for date_field in datepolicy.policed_fields(model):
            low, high = datepolicy.EARLIEST, datepolicy.LATEST
            if isinstance(date_field, models.DateTimeField):
                low = datetime.datetime.combine(low, datetime.time.min, tzinfo=LONDON)
                high = datetime.datetime.combine(high, datetime.time.max, tzinfo=LONDON)
            name = date_field.name
            condition |= Q(**{f"{name}__lt": low}) | Q(**{f"{name}__gt": high})
        if condition and model._base_manager.filter(condition).exists():
            found.append(model._meta.label)
    return found


def open_form(target, world: World, client):
    """The target's URL, the first of the world's users who may open it, and its form."""
    url = target.url(world)
    for user in world.users(target.user):
        client.force_login(user)
        response = client.get(url)
        if response.status_code == 200:
            return url, user, read_form(response.content.decode())
    pytest.fail(f"No one in the world may open {url}")
