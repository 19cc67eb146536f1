"""Pages of complaints and audits: a contract's complaints and audits tabs, the
portfolio lists, each record's page and history, and the steps of an audit's life.
The rules live in contracts.services.audits."""

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse

from contracts.assurance import selectors
from contracts.assurance.choices import AuditStatus
from contracts.assurance.filtersets import AuditFilterSet, ComplaintFilterSet
from contracts.assurance.forms.audits import (
    AuditCancelForm,
    AuditCompleteForm,
    AuditForm,
    AuditPlanForm,
    AuditRecordForm,
    ComplaintCloseForm,
    ComplaintForm,
)
from contracts.assurance.models.audits import Audit, Complaint
from contracts.assurance.services import audits as services
from contracts.register.models.contracts import Contract
from contracts.register.tabs import ContractRecordTabs, ContractTabs
from governance.core.moves import Move
from governance.core.permissions import officer_may
from governance.core.tables import Column
from governance.core.views.base import (
    ChildFormView,
    ObjectActionView,
    ObjectDetailView,
    ObjectHistoryView,
    ObjectListView,
    record_tabs,
)
from governance.meetings.choices import ActionSource
from governance.meetings.models import Action
from governance.meetings.services.meetings import actions_from
from governance.meetings.views.meetings import flag_overdue, raise_action_url


def _upheld(complaint: Complaint) -> str:
    return {True: "Yes", False: "No", None: "Not decided"}[complaint.upheld]


def _state(complaint: Complaint) -> str:
    return "Closed" if complaint.closed_on else "Open"


# -- Complaints ---------------------------------------------------------------------------


class ContractComplaints(ContractTabs, ObjectDetailView):
    template_name = "contracts/audits/contract_complaints.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contract = self.object
        context.update(
            complaints=list(contract.complaints.all()),
            summary=services.complaint_summary(contract),
            may_add=officer_may(self.request.user, contract, Complaint, "add"),
        )
        return context


class ComplaintList(ObjectListView):
    model = Complaint
    selector = selectors.complaint_list
    filterset_class = ComplaintFilterSet
    default_sort = "-received_on"
    title = "Complaints"
    empty_message = "No complaints match."
    columns = [
        Column("Complaint", "summary", link=True),
        Column("Contract", "contract.reference", sort="contract__reference"),
        Column("Provider", "contract.provider.name", sort="contract__provider__name"),
        Column("Category", "category", sort="category"),
        Column("Received", "received_on", sort="received_on"),
        Column("Open or closed", _state),
        Column("Closed", "closed_on", sort="closed_on", in_table=False),
        Column("Upheld", _upheld, sort="upheld"),
        Column("Outcome", "outcome", in_table=False),
    ]


class ComplaintTabs(ContractRecordTabs):
    model = Complaint
    tabs = record_tabs("contracts:complaint")
    object_template = "contracts/audits/complaint_base.html"


class ComplaintDetail(ComplaintTabs, ObjectDetailView):
    template_name = "contracts/audits/complaint_detail.html"


class ComplaintHistory(ComplaintTabs, ObjectHistoryView):
    pass


class ComplaintFormView(ChildFormView):
    """Records a complaint about a contract (``parent_pk``) or corrects one (``pk``)."""

    model = Complaint
    parent_model = Contract
    parent_tab = "contracts:contract_complaints"
    form_class = ComplaintForm
    create_service = services.complaint_record
    update_service = services.complaint_update

    def get_title(self):
        if self.editing:
            return f"Change the complaint: {self.object_label}"
        return f"Record a complaint about {self.parent.reference}"


class ComplaintClose(ComplaintTabs, ObjectActionView):
    permission_action = "change"
    object_action = "change"
    form_class = ComplaintCloseForm
    service = services.complaint_close
    object_field = "complaint"
    title = "Close the complaint"
    submit_label = "Close the complaint"
    success_message = "Complaint closed."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "complaint": self.object}

    def get(self, request, *args, **kwargs):
        if self.object.closed_on:
            messages.info(
                request, f"This complaint was closed on {self.object.closed_on:%-d %B %Y}."
            )
            return HttpResponseRedirect(self.object.get_absolute_url())
        return super().get(request, *args, **kwargs)


# -- Audits -------------------------------------------------------------------------------


class ContractAudits(ContractTabs, ObjectDetailView):
    template_name = "contracts/audits/contract_audits.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contract = self.object
        context.update(
            audits=list(contract.audits.all()),
            may_add=officer_may(self.request.user, contract, Audit, "add")
            and contract.status in services.AUDIT_CONTRACT_STATUSES,
        )
        return context


class AuditList(ObjectListView):
    model = Audit
    selector = selectors.audit_list
    filterset_class = AuditFilterSet
    default_sort = "-planned_on"
    title = "Audits"
    empty_message = "No audits match."
    columns = [
        Column("Audit", str, link=True),
        Column("Contract", "contract.reference", sort="contract__reference"),
        Column("Provider", "contract.provider.name", sort="contract__provider__name"),
        Column("Type", "audit_type", sort="audit_type", in_table=False),
        Column("Proposed by", "proposed_by", sort="proposed_by"),
        Column("Planned date", "planned_on", sort="planned_on"),
        Column("Status", "status", sort="status"),
        Column("Date conducted", "conducted_on", sort="conducted_on"),
        Column("Who carries it out", "auditor", in_table=False),
        Column("Scope", "scope", in_table=False),
        Column("Findings", "findings", in_table=False),
        Column("Recommendations", "recommendations", in_table=False),
        Column("Why a second audit within 12 months", "second_audit_justification", in_table=False),
    ]


class AuditTabs(ContractRecordTabs):
    model = Audit
    tabs = record_tabs("contracts:audit")
    object_template = "contracts/audits/audit_base.html"


TRANSITION_COPY = {
    AuditStatus.PLANNED: (
        AuditPlanForm,
        "Plan the audit",
        "Record the plan",
        "Audit planned.",
        False,
    ),
    AuditStatus.COMPLETED: (
        AuditCompleteForm,
        "Record the audit as completed",
        "Record the audit",
        "Audit recorded as completed. Raise its recommendations as actions to track them.",
        False,
    ),
    AuditStatus.CANCELLED: (
        AuditCancelForm,
        "Cancel the audit",
        "Cancel the audit",
        "Audit cancelled.",
        True,
    ),
}


class AuditDetail(AuditTabs, ObjectDetailView):
    template_name = "contracts/audits/audit_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        audit, user = self.object, self.request.user
        officer = context["can_change"]
        may_raise = audit.status != AuditStatus.CANCELLED and officer_may(
            user, audit.contract, Action, "add"
        )
        context.update(
            recommendations=[
                {
                    "text": line,
                    "raise_url": raise_action_url(
                        audit.contract_id, ActionSource.AUDIT, audit.pk, number
                    ),
                }
                for number, line in enumerate(services.recommendation_lines(audit), start=1)
            ],
            actions=flag_overdue(actions_from(audit, user)) if self.can("view", Action) else [],
            may_raise=may_raise,
            raise_url=raise_action_url(audit.contract_id, ActionSource.AUDIT, audit.pk),
            may_edit=officer and audit.status != AuditStatus.CANCELLED,
            moves=[
                Move(
                    name=to,
                    label=TRANSITION_COPY[to][1],
                    url=reverse("contracts:audit_transition", args=[audit.pk, to]),
                    reasons=reasons,
                    warning=TRANSITION_COPY[to][4],
                )
                for to, reasons in services.audit_moves(audit=audit, user=user).items()
            ]
            if officer
            else [],
            others_within_a_year=list(services.audits_within_a_year(audit))
            if audit.status != AuditStatus.CANCELLED
            else [],
        )
        return context


class AuditHistory(AuditTabs, ObjectHistoryView):
    pass


class AuditFormView(ChildFormView):
    """Proposes an audit of a contract (``parent_pk``) or changes one (``pk``)."""

    model = Audit
    parent_model = Contract
    parent_tab = "contracts:contract_audits"
    create_service = services.audit_propose
    update_service = services.audit_update

    def get(self, request, *args, **kwargs):
        if self.editing and self.object.status == AuditStatus.CANCELLED:
            messages.error(request, "This audit was cancelled and can no longer be changed.")
            return HttpResponseRedirect(self.object.get_absolute_url())
        return super().get(request, *args, **kwargs)

    def get_form(self):
        completed = self.editing and self.object.status == AuditStatus.COMPLETED
        return (AuditRecordForm if completed else AuditForm)(**self.get_form_kwargs())

    def get_title(self):
        if self.editing:
            return f"Change the audit: {self.object_label}"
        return f"Propose an audit of {self.parent.reference}"


class AuditTransition(AuditTabs, ObjectActionView):
    """Plans an audit, records it as completed, or cancels it."""

    permission_action = "change"
    object_action = "change"
    service = services.audit_transition
    object_field = "audit"

    def dispatch(self, request, *args, **kwargs):
        self.to_status = kwargs["to"]
        if self.to_status not in TRANSITION_COPY:
            raise Http404
        copy = TRANSITION_COPY[self.to_status]
        self.form_class, self.title, self.submit_label, self.success_message, self.warning = copy
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "audit": self.object}

    def service_kwargs(self, form):
        return {"to_status": self.to_status, **form.cleaned_data}
