"""Pages of contract performance under the Act: the contract's Performance notices tab,
the portfolio lists of KPI assessments and of breaches and poor performance, each
record's page and history, its form and the steps of its life. The rules live in
services; these pages ask the services who may take each step."""

from django.conf import settings
from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.utils import timezone

from contracts.procurement.choices import NoticeKind
from contracts.procurement.models import Notice
from contracts.procurement.performance import selectors, services
from contracts.procurement.performance.choices import (
    OPEN_ASSESSMENT_STATUSES,
    AssessmentStatus,
    FailureStatus,
)
from contracts.procurement.performance.filtersets import AssessmentFilterSet, FailureFilterSet
from contracts.procurement.performance.forms import (
    AssessmentForm,
    AssessmentStartForm,
    FailureForm,
    FailureRecordForm,
    NotesForm,
    RequiredNotesForm,
)
from contracts.procurement.performance.models import PerformanceAssessment, PerformanceFailure
from contracts.register.models.contracts import Contract
from contracts.register.tabs import ContractRecordTabs, ContractTabs
from governance.core import deadlines
from governance.core.datepolicy import on
from governance.core.permissions import officer_may, permission_name, runs_contract
from governance.core.tables import Column, deadline_columns
from governance.core.views.base import (
    ChildFormView,
    ObjectActionView,
    ObjectDetailView,
    ObjectHistoryView,
    ObjectListView,
    record_tabs,
)

UK9_ASSESSMENT = deadlines.UK9_ASSESSMENT


def _notice_for(record, kind: str, key: str) -> Notice | None:
    return Notice.objects.filter(contract_id=record.contract_id, kind=kind, key=key).first()


def _rating(assessment: PerformanceAssessment) -> str:
    return assessment.get_rating_display() if assessment.rating else "Not rated yet"


def _is_open(assessment: PerformanceAssessment) -> bool:
    return assessment.status in OPEN_ASSESSMENT_STATUSES


def _duty_context() -> dict:
    return {
        "uk9_due_days": settings.PROCUREMENT_UK9_DUE_DAYS,
        "lead_days": settings.PROCUREMENT_UK9_ASSESSMENT_LEAD_DAYS,
        "ending_days": settings.PROCUREMENT_UK9_ENDING_DAYS,
        "proposal_rule": services.PROPOSAL_RULE,
    }


# -- The contract's tab ---------------------------------------------------------------------


class ContractPerformance(ContractTabs, ObjectDetailView):
    template_name = "contracts/procurement/performance/contract_performance.html"

    def prepare_queryset(self, queryset):
        return super().prepare_queryset(queryset).select_related("procurement")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contract, user = self.object, self.request.user
        owes = services.owes_assessments(contract)
        officer = runs_contract(user, contract) and contract.status in services.LIVE_OR_ENDED
        context.update(
            owes=owes,
            assessments=selectors.contract_assessments(contract, user),
            failures=selectors.contract_failures(contract, user),
            published_kpis=[k for k in contract.kpis.all() if k.is_key_indicator and k.is_active],
            may_start=owes and officer and self.can("add", PerformanceAssessment),
            may_propose=owes and officer and self.can("add", PerformanceFailure),
            **_duty_context(),
        )
        return context


# -- Assessments ----------------------------------------------------------------------------


class AssessmentList(ObjectListView):
    model = PerformanceAssessment
    selector = selectors.performanceassessment_list
    filterset_class = AssessmentFilterSet
    default_sort = "due_on"
    title = "KPI performance assessments"
    empty_message = "No performance assessments match."
    columns = [
        Column("Indicator", "kpi.name", sort="kpi__name", link=True),
        Column("Contract", "contract.reference", sort="contract__reference"),
        Column("Provider", "contract.provider.name", sort="contract__provider__name"),
        Column("Period from", "period_start", sort="period_start"),
        Column("Period to", "period_end", sort="period_end"),
        Column("Occasion", "occasion", in_table=False),
        *deadline_columns("Due by", "due_on", UK9_ASSESSMENT, sort="due_on", applies=_is_open),
        Column("Status", "status", sort="status"),
        Column("Rating", _rating, sort="rating"),
        Column("Suggested rating", "proposed_rating", in_table=False),
        Column("Suggestion rests on", "proposal_basis", in_table=False),
        Column("Explanation", "explanation", in_table=False),
        Column("Rated by", "assessed_by", in_table=False),
        Column("Approved by", "approved_by", in_table=False),
        Column("Approved on", "approved_on", in_table=False),
    ]

    def default_ordering(self):
        # Overdue assessments first, then those due soonest; the done ones last.
        return deadlines.ordering(
            "due_on",
            today=timezone.localdate(),
            kind=UK9_ASSESSMENT,
            open_q=Q(status__in=OPEN_ASSESSMENT_STATUSES),
        )


class AssessmentTabs(ContractRecordTabs):
    model = PerformanceAssessment
    tabs = record_tabs("contracts:performanceassessment")
    related = ("kpi", "assessed_by", "approved_by")
    object_template = "contracts/procurement/performance/assessment_base.html"


#: step slug -> (status it moves to, form, title, button, message, warning)
ASSESSMENT_STEPS = {
    "submit": (
        AssessmentStatus.SUBMITTED,
        NotesForm,
        "Send the assessment to SMG for approval",
        "Send for approval",
        "Assessment sent to SMG for approval.",
        False,
    ),
    "approve": (
        AssessmentStatus.APPROVED,
        NotesForm,
        "Approve the assessment",
        "Approve",
        "Assessment approved: its contract performance notice is now owed.",
        False,
    ),
    "return": (
        AssessmentStatus.DUE,
        RequiredNotesForm,
        "Send the assessment back for changes",
        "Send back",
        "Assessment sent back to the contract's officers.",
        True,
    ),
    "cancel": (
        AssessmentStatus.CANCELLED,
        RequiredNotesForm,
        "Cancel the assessment",
        "Cancel the assessment",
        "Assessment cancelled.",
        True,
    ),
}
SLUG_FOR = {values[0]: slug for slug, values in ASSESSMENT_STEPS.items()}


class AssessmentDetail(AssessmentTabs, ObjectDetailView):
    template_name = "contracts/procurement/performance/assessment_detail.html"

    def get_context_data(self, **kwargs):
        assessment, user = self.object, self.request.user
        steps = services.allowed_assessment_steps(assessment, user)
        refusal = ""
        if AssessmentStatus.APPROVED in steps:
            refusal = services.assessment_approval_refusal(assessment, user)
            if refusal:
                steps.remove(AssessmentStatus.APPROVED)
                refusal = f"{refusal[:-1]}: another member of the Senior Management Group."
        history = list(
            selectors.kpi_rag_history(
                assessment.kpi_id, assessment.period_start, assessment.period_end
            )
        )
        return super().get_context_data(
            steps=[
                {
                    "slug": SLUG_FOR[to],
                    "label": ASSESSMENT_STEPS[SLUG_FOR[to]][3],
                    "warning": ASSESSMENT_STEPS[SLUG_FOR[to]][5],
                }
                for to in steps
            ],
            approval_note=refusal,
            may_edit=assessment.status == AssessmentStatus.DUE
            and services.may_run_assessment(assessment, user),
            rag_history=history,
            proposal=services.propose_rating(result.rag for result in history),
            notice=_notice_for(assessment, NoticeKind.PERFORMANCE, f"assessment:{assessment.pk}"),
            **_duty_context(),
            **kwargs,
        )


class AssessmentHistory(AssessmentTabs, ObjectHistoryView):
    pass


class AssessmentFormView(ChildFormView):
    """Starts an assessment of a contract's published KPI (``parent_pk``) or rates and
    corrects one (``pk``)."""

    model = PerformanceAssessment
    parent_model = Contract
    parent_tab = "contracts:contract_performance"
    create_service = services.assessment_start
    update_service = services.assessment_update
    template_name = "contracts/procurement/performance/assessment_form.html"

    def get_form(self):
        form_class = AssessmentForm if self.editing else AssessmentStartForm
        return form_class(contract=self.parent, **self.get_form_kwargs())

    def get(self, request, *args, **kwargs):
        if self.editing and self.object.status != AssessmentStatus.DUE:
            messages.error(
                request,
                f"This assessment is {self.object.get_status_display().lower()}, so it can "
                "no longer be changed.",
            )
            return HttpResponseRedirect(self.object.get_absolute_url())
        return super().get(request, *args, **kwargs)

    def get_title(self):
        if self.editing:
            return f"Rate the assessment: {self.object_label}"
        return f"Start a KPI performance assessment for {self.parent.reference}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        proposal = None
        if self.editing:
            proposal = services.assessment_proposal(self.object)
        context.update(proposal=proposal, **_duty_context())
        return context


class AssessmentStep(AssessmentTabs, ObjectActionView):
    """Sends an assessment to SMG, approves it, sends it back, or cancels it."""

    object_field = "assessment"

    def has_permission(self):
        user = self.request.user
        return user.has_perm(permission_name(PerformanceAssessment, "change")) or user.has_perm(
            "contracts.approve_performanceassessment"
        )

    def has_object_permission(self):
        step = services.ASSESSMENT_TRANSITIONS.get((self.object.status, self.to_status))
        if step is None:
            # The step no longer applies (taken meanwhile): the service says why.
            return any(
                s.may(self.object, self.request.user)
                for (_, to), s in services.ASSESSMENT_TRANSITIONS.items()
                if to == self.to_status
            )
        return step.may(self.object, self.request.user)

    def dispatch(self, request, *args, **kwargs):
        found = ASSESSMENT_STEPS.get(kwargs["step"])
        if found is None:
            raise Http404
        self.to_status, self.form_class, self.title, self.submit_label = found[:4]
        self.success_message, self.warning = found[4], found[5]
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        due = services.uk9_due_on(self.object)
        if self.to_status == AssessmentStatus.APPROVED and due is not None:
            context["description"] = (
                "Once approved, the contract performance notice (UK9) is owed. It is due "
                f"{settings.PROCUREMENT_UK9_DUE_DAYS} days after the assessment was made "
                f"(rated on {on(services.assessed_on(self.object))}), so by {on(due)}, "
                "however long approval takes."
            )
        return context

    def get_service(self):
        return services.assessment_transition

    def service_kwargs(self, form):
        return {"to": self.to_status, "notes": form.cleaned_data.get("notes", "")}


# -- Breaches and poor performance ----------------------------------------------------------


class FailureList(ObjectListView):
    model = PerformanceFailure
    selector = selectors.performancefailure_list
    filterset_class = FailureFilterSet
    default_sort = "-proposed_at"
    title = "Breaches and poor performance"
    empty_message = "No breaches or poor performance match."
    columns = [
        Column("Requirement not met", "requirement", sort="requirement", link=True),
        Column("Contract", "contract.reference", sort="contract__reference"),
        Column("Provider", "contract.provider.name", sort="contract__provider__name"),
        Column("What happened", "kind", sort="kind"),
        Column("What the breach led to", "consequence", in_table=False),
        Column("Date of termination, damages or settlement", "consequence_on", in_table=False),
        Column("Told to improve on", "improvement_notice_on", in_table=False),
        Column("Penalty type", "penalty_type", in_table=False),
        Column("Penalty (£)", "penalty_value", money=True, in_table=False),
        Column("Proposed", "proposed_at", sort="proposed_at"),
        Column("Status", "status", sort="status"),
        Column("Decided on", "decided_on", sort="decided_on"),
        Column("Description", "description", in_table=False),
    ]


class FailureTabs(ContractRecordTabs):
    model = PerformanceFailure
    tabs = record_tabs("contracts:performancefailure")
    related = ("proposed_by", "decided_by")
    object_template = "contracts/procurement/performance/failure_base.html"


class FailureDetail(FailureTabs, ObjectDetailView):
    template_name = "contracts/procurement/performance/failure_detail.html"

    def get_context_data(self, **kwargs):
        failure, user = self.object, self.request.user
        proposed = failure.status == FailureStatus.PROPOSED
        may_decide = proposed and services.may_decide_failure(failure, user)
        refusal = services.failure_decision_refusal(failure, user) if may_decide else ""
        return super().get_context_data(
            may_decide=may_decide and not refusal,
            decision_note=f"{refusal[:-1]}: another member of the Senior Management Group."
            if refusal
            else "",
            may_edit=proposed and officer_may(user, failure.contract, self.model, "change"),
            notice=_notice_for(failure, NoticeKind.BREACH, f"failure:{failure.pk}"),
            **_duty_context(),
            **kwargs,
        )


class FailureHistory(FailureTabs, ObjectHistoryView):
    pass


class FailureFormView(ChildFormView):
    """Proposes a breach or poor performance of a contract (``parent_pk``) for
    publication, or corrects one (``pk``) before SMG decides."""

    model = PerformanceFailure
    parent_model = Contract
    parent_tab = "contracts:contract_performance"
    form_class = FailureForm
    create_service = services.failure_propose
    update_service = services.failure_update

    def get(self, request, *args, **kwargs):
        if self.editing and self.object.status != FailureStatus.PROPOSED:
            messages.error(
                request, "SMG has decided on this record, so it can no longer be changed."
            )
            return HttpResponseRedirect(self.object.get_absolute_url())
        return super().get(request, *args, **kwargs)

    def get_title(self):
        if self.editing:
            return f"Change: {self.object_label}"
        return f"Propose a breach or poor performance of {self.parent.reference} for publication"


class FailureDecision(FailureTabs, ObjectActionView):
    """SMG records a breach or poor performance for publication, or declines to."""

    object_field = "failure"
    DECISIONS = {
        "record": (
            services.failure_record,
            FailureRecordForm,
            "Record it for a contract performance notice",
            "Record for publication",
            "Recorded: its contract performance notice is now owed.",
            False,
        ),
        "decline": (
            services.failure_decline,
            RequiredNotesForm,
            "Decide not to publish it",
            "Do not publish",
            "Recorded as not to be published.",
            True,
        ),
    }

    def has_permission(self):
        return self.request.user.has_perm("contracts.decide_performancefailure")

    def has_object_permission(self):
        return services.may_decide_failure(self.object, self.request.user)

    def dispatch(self, request, *args, **kwargs):
        found = self.DECISIONS.get(kwargs["decision"])
        if found is None:
            raise Http404
        self.decision_service, self.form_class, self.title, self.submit_label = found[:4]
        self.success_message, self.warning = found[4], found[5]
        return super().dispatch(request, *args, **kwargs)

    def get_service(self):
        return self.decision_service
