"""Pages of the decision log: the portfolio list, a contract's decisions tab, each
decision's page (overview, documents as evidence, history), recording a decision on
its own, correcting a proposal, approving or rejecting it, and superseding an
approved decision. The rules live in governance.services.decisions; decisions raised
in a meeting are recorded from the meeting's page (governance.views.meetings)."""

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from contracts.register.models.contracts import Contract
from contracts.register.tabs import ContractTabs
from governance.core.models.base import Document
from governance.core.moves import Move
from governance.core.tables import Column
from governance.core.views.base import (
    ChildFormView,
    ObjectActionView,
    ObjectDetailView,
    ObjectDocumentsView,
    ObjectHistoryView,
    ObjectListView,
    ObjectMixin,
    record_tabs,
)
from governance.core.views.records_tab import RecordsTab
from governance.meetings import selectors
from governance.meetings.choices import DecisionStatus
from governance.meetings.forms.decisions import (
    DecisionFilterSet,
    DecisionRecordForm,
    DecisionSupersedeForm,
    DecisionTransitionForm,
)
from governance.meetings.models import Decision
from governance.meetings.services import decisions as services


def _contract_or_portfolio(decision: Decision) -> str:
    return decision.contract.reference if decision.contract_id else "Portfolio"


def _reference_of(decision: Decision | None) -> str:
    return decision.reference if decision is not None else ""


def _superseded_by(decision: Decision) -> Decision | None:
    try:
        return decision.superseded_by
    except Decision.DoesNotExist:
        return None


class DecisionList(ObjectListView):
    model = Decision
    selector = selectors.decision_list
    filterset_class = DecisionFilterSet
    template_name = "governance/decisions/decision_list.html"
    create_url_name = "governance:portfolio_decision_create"
    default_sort = "-decided_on"
    title = "Decision log"
    empty_message = "No decisions match."
    columns = [
        Column("Reference", "reference", sort="id", link=True),
        Column("Date", "decided_on", sort="decided_on"),
        Column("Title", "title", sort="title"),
        Column("Contract", _contract_or_portfolio, sort="contract__reference"),
        Column("Contract title", "contract.title", in_table=False),
        Column("What was decided", "decision", in_table=False),
        Column("Why, and the evidence", "rationale", in_table=False),
        Column("Decided by", "decided_by", sort="decided_by"),
        Column("Level", "level", sort="level"),
        Column("Status", "status", sort="status"),
        Column("Meeting", "meeting", in_table=False),
        Column("Supersedes", lambda d: _reference_of(d.supersedes), in_table=False),
        Column("Superseded by", lambda d: _reference_of(_superseded_by(d)), in_table=False),
        Column("Recorded by", "recorded_by", in_table=False),
    ]


class ContractDecisions(RecordsTab, ContractTabs, ObjectDetailView):
    """The contract's decision log: every decision recorded on it or raised in its
    meetings, latest first."""

    template_name = "governance/decisions/contract_decisions.html"
    records_model = Decision

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contract = self.object
        context.update(
            decisions=list(services.contract_decisions(self.request.user, contract)),
            may_record=services.may_record(self.request.user, contract),
            record_url=reverse("governance:contract_decision_create", args=[contract.pk]),
            log_url=f"{reverse('governance:decision_list')}?contract={contract.reference}",
        )
        return context


class DecisionTabs(ObjectMixin):
    model = Decision
    tabs = record_tabs("governance:decision", documents=True)

    def prepare_queryset(self, queryset):
        return queryset.select_related(
            "contract",
            "contract__provider",
            "meeting",
            "meeting__contract",
            "recorded_by",
            "supersedes",
            "superseded_by",
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        decision, user = self.object, self.request.user
        context.update(
            object_template="governance/decisions/decision_base.html",
            superseded_by=_superseded_by(decision),
            may_edit=context["can_change"] and decision.status == DecisionStatus.PROPOSED,
            moves=[
                Move(
                    name=name,
                    label="Approve or reject",
                    url=reverse("governance:decision_transition", args=[decision.pk]),
                    reasons=reasons,
                )
                for name, reasons in services.decision_moves(decision=decision, user=user).items()
            ],
            approval_note=services.approval_refusal(user, decision)
            if services.may_decide(user, decision)
            else "",
            may_supersede=services.may_supersede(user, decision),
        )
        return context


class DecisionDetail(DecisionTabs, ObjectDetailView):
    template_name = "governance/decisions/decision_detail.html"

    def get_context_data(self, **kwargs):
        documents = Document.objects.for_object(self.object).count()
        return super().get_context_data(document_count=documents, **kwargs)


class DecisionDocuments(DecisionTabs, ObjectDocumentsView):
    """Evidence: the papers the decision rests on. Uploading stays open after approval:
    evidence found later is added, while the decision itself never changes."""


class DecisionHistory(DecisionTabs, ObjectHistoryView):
    pass


class DecisionFormView(ChildFormView):
    """Records a decision for the portfolio (no contract in the URL) or a contract
    (``parent_pk``), or corrects a proposal (``pk``)."""

    model = Decision
    parent_model = Contract
    form_class = DecisionRecordForm
    create_service = services.decision_record
    update_service = services.decision_update
    template_name = "governance/decisions/decision_form.html"

    def get(self, request, *args, **kwargs):
        if self.editing and self.object.status != DecisionStatus.PROPOSED:
            if self.object.status == DecisionStatus.APPROVED:
                messages.error(request, services.APPROVED_IS_FINAL)
            else:
                messages.error(
                    request,
                    f"This decision is {self.object.get_status_display().lower()} and can no "
                    "longer be changed.",
                )
            return HttpResponseRedirect(self.object.get_absolute_url())
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if not self.editing:
            kwargs["initial"] = {
                "decided_on": timezone.localdate(),
                "status": DecisionStatus.PROPOSED,
            }
        return kwargs

    def get_title(self):
        if self.editing:
            return f"Edit the proposal {self.object.reference}"
        if self.parent is not None:
            return f"Record a decision on {self.parent.reference}"
        return "Record a portfolio decision"

    def get_cancel_url(self):
        if self.editing:
            return self.object.get_absolute_url()
        if self.parent is not None:
            return reverse("governance:contract_decisions", args=[self.parent.pk])
        return reverse("governance:decision_list")

    def success(self, result):
        if self.editing:
            return super().success(result)
        messages.success(self.request, f"Decision {result.reference} recorded.")
        return HttpResponseRedirect(result.get_absolute_url())


class DecisionStep(DecisionTabs, ObjectActionView):
    """A step taken by someone holding the decision's level: the decision must be
    visible to them (404 otherwise), and its level theirs to decide (404 too: like a
    record outside their scope)."""

    permission_action = "change"
    object_field = "decision"
    allowed_status = DecisionStatus.PROPOSED
    not_allowed_message = ""

    def get_object(self):
        queryset = self.prepare_queryset(Decision.objects.restrict(self.request.user, "view"))
        decision = get_object_or_404(queryset, pk=self.kwargs["pk"])
        if not services.may_decide_at(self.request.user, decision.level, decision.contract):
            raise Http404
        return decision

    def get(self, request, *args, **kwargs):
        if self.object.status != self.allowed_status:
            messages.error(request, self.not_allowed_message)
            return HttpResponseRedirect(self.object.get_absolute_url())
        return super().get(request, *args, **kwargs)


class DecisionTransition(DecisionStep):
    form_class = DecisionTransitionForm
    service = services.decision_transition
    title = "Approve or reject the proposal"
    submit_label = "Record the outcome"
    success_message = "Outcome recorded."
    not_allowed_message = "Only a proposed decision can be approved or rejected."

    def get_context_data(self, **kwargs):
        decision = self.object
        self.description = (
            f"{decision.reference}, proposed on {decision.decided_on:%-d %B %Y}: "
            f"{decision.get_level_display().lower()} decision. Once approved it cannot be "
            "changed, only superseded by a new decision."
        )
        refusal = services.approval_refusal(self.request.user, decision)
        if refusal:
            self.description += f" {refusal}"
        return super().get_context_data(**kwargs)


class DecisionSupersede(DecisionStep):
    """Records the decision that replaces an approved one."""

    form_class = DecisionSupersedeForm
    title = "Supersede the decision"
    submit_label = "Record the new decision"
    allowed_status = DecisionStatus.APPROVED
    not_allowed_message = "Only an approved decision can be superseded."
    new_decision = None

    def get_context_data(self, **kwargs):
        reference = self.object.reference
        self.description = (
            f"The new decision replaces {reference} and is recorded as approved. {reference} "
            "stays in the decision log, marked superseded, with a link to the new one."
        )
        return super().get_context_data(**kwargs)

    def has_permission(self):
        return super().has_permission() and self.can("add")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        old = self.object
        kwargs["initial"] = {
            "title": old.title,
            "decision": old.decision,
            "rationale": old.rationale,
            "decided_by": old.decided_by,
            "level": old.level,
            "decided_on": timezone.localdate(),
        }
        return kwargs

    def service_kwargs(self, form):
        fields = dict(form.cleaned_data)
        fields["reason"] = fields.pop("change_reason", "")
        fields["what_was_decided"] = fields.pop("decision")
        return fields

    def get_service(self):
        def supersede(**kwargs):
            self.new_decision = services.decision_supersede(**kwargs)
            return self.new_decision

        return supersede

    def get_success_url(self):
        messages.success(
            self.request,
            f"Decision {self.new_decision.reference} recorded; it supersedes "
            f"{self.object.reference}.",
        )
        return self.new_decision.get_absolute_url()
