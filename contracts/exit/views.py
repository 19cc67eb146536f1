"""Exit planning pages: the contract's Exit tab, the notice of plans, the exit plan and
its tasks and risks, termination notices, the service transfer plan and its steps, the
post-contract review, and the portfolio lists (contracts ending, lessons learned).
The rules live in contracts.services.exit."""

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

from contracts.exit import selectors, services
from contracts.exit.filtersets import ContractsEndingFilterSet, LessonsLearnedFilterSet
from contracts.exit.forms import (
    ExitNoticeForm,
    ExitPlanForm,
    ExitRiskForm,
    ExitTaskForm,
    PostContractReviewForm,
    TerminationNoticeForm,
    TransferPlanForm,
    TransferStepForm,
)
from contracts.exit.models import (
    ExitNotice,
    ExitPlan,
    ExitPlanStatus,
    ExitTask,
    PostContractReview,
    ServiceTransferPlan,
    TerminationNotice,
    TransferPlanStatus,
)
from contracts.register.choices import ContractStatus
from contracts.register.forms import TransitionForm
from contracts.register.models.contracts import Contract
from contracts.register.services import contracts as register_services
from contracts.register.tabs import ContractRecordTabs, ContractTabs
from governance.core import deadlines
from governance.core.models.base import Document
from governance.core.moves import Move
from governance.core.tables import Column, deadline_columns
from governance.core.views.base import (
    ChildFormView,
    ObjectActionView,
    ObjectDetailView,
    ObjectFormView,
    ObjectHistoryView,
    ObjectListView,
    record_tabs,
)
from risks.models import Risk


def exit_url(contract_id: int) -> str:
    return reverse("contracts:contract_exit", args=[contract_id])


# -- The contract's Exit tab ---------------------------------------------------------------


class ContractExit(ContractTabs, ObjectDetailView):
    template_name = "contracts/exit/contract_exit.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contract = self.object
        user = self.request.user
        may_change = context["can_change"]
        plan = (
            ExitPlan.objects.filter(contract=contract)
            .select_related("incoming_provider", "created_by")
            .first()
        )
        terminations = list(
            contract.termination_notices.select_related("recorded_by", "transfer_plan")
        )
        review = (
            PostContractReview.objects.restrict(user, "view")
            .filter(contract=contract)
            .select_related("recorded_by")
            .first()
        )
        shown = services.exit_notice_moves(contract=contract, user=user) if may_change else {}
        notice_moves = {
            name: [
                Move(
                    name=name,
                    label=NOTICE_MOVE_COPY[name][0],
                    url=reverse(NOTICE_MOVE_COPY[name][1], args=[contract.pk]),
                    reasons=reasons,
                    warning=name == "termination",
                )
            ]
            for name, reasons in shown.items()
        }
        context.update(
            exit=selectors.exit_notice_status(contract),
            plan=plan,
            tasks=list(plan.tasks.select_related("owner")) if plan else [],
            terminations=terminations,
            review=review,
            may_see_review=self.can("view", PostContractReview) and not user.is_provider_user,
            may_add_notice=may_change and self.can("add", ExitNotice) and contract.is_live,
            notice_moves=notice_moves.get("notice", []),
            termination_moves=notice_moves.get("termination", []),
            may_add_plan=may_change
            and plan is None
            and self.can("add", ExitPlan)
            and contract.is_live,
            may_terminate=may_change and self.can("add", TerminationNotice) and contract.is_live,
            # The status change itself, kept here rather than beside the contract's title.
            may_end_early=may_change
            and ContractStatus.TERMINATED in register_services.allowed_transitions(contract),
            may_review=may_change
            and review is None
            and self.can("add", PostContractReview)
            and contract.is_live,
        )
        return context


#: notice -> its button's words and the page that records it.
NOTICE_MOVE_COPY = {
    "notice": ("Record a notice of plans", "contracts:exitnotice_create"),
    "termination": ("Record a termination notice", "contracts:terminationnotice_create"),
}


# -- Notice of the commissioner's plans -------------------------------------------------------


class ExitNoticeCreate(ChildFormView):
    model = ExitNotice
    parent_model = Contract
    form_class = ExitNoticeForm
    create_service = services.exit_notice_record

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "contract": self.parent}

    def get_title(self):
        return f"Record the notice of plans for the end of {self.parent.reference}"

    def get_cancel_url(self):
        return exit_url(self.parent.pk)


# -- Exit plan -------------------------------------------------------------------------------


class ExitPlanCreate(ChildFormView):
    model = ExitPlan
    parent_model = Contract
    form_class = ExitPlanForm
    create_service = services.exit_plan_create

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "contract": self.parent}

    def get_title(self):
        return f"Start the exit plan for {self.parent.reference}"

    def get_cancel_url(self):
        return exit_url(self.parent.pk)


class ExitPlanUpdate(ObjectFormView):
    model = ExitPlan
    form_class = ExitPlanForm
    update_service = services.exit_plan_update

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "contract": self.object.contract}


class ExitPlanTabs(ContractRecordTabs):
    model = ExitPlan
    tabs = record_tabs("contracts:exitplan")
    related = ("incoming_provider", "created_by")


class ExitPlanDetail(ExitPlanTabs, ObjectDetailView):
    template_name = "contracts/exit/exitplan_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.object
        may_change = context["can_change"] and plan.status != ExitPlanStatus.COMPLETE
        context.update(
            tasks=list(plan.tasks.select_related("owner")),
            risks=list(plan.risks.select_related("owner")),
            transitions=[
                {
                    "status": status,
                    "label": ExitPlanStatus(status).label,
                    "reasons": services.plan_transition_blockers(plan, status),
                }
                for status in services.plan_allowed_transitions(plan)
            ]
            if context["can_change"]
            else [],
            may_change=may_change,
            may_add_task=may_change and self.can("add", ExitTask),
            may_add_risk=may_change and self.can("add", Risk),
            today=timezone.localdate(),
        )
        return context


class ExitPlanHistory(ExitPlanTabs, ObjectHistoryView):
    def get_context_data(self, **kwargs):
        return super().get_context_data(
            object_template="contracts/exit/exitplan_base.html", **kwargs
        )


class ExitPlanTransition(ObjectActionView):
    model = ExitPlan
    permission_action = "change"
    object_action = "change"
    form_class = TransitionForm
    service = services.exit_plan_transition
    object_field = "plan"

    COPY = {
        ExitPlanStatus.AGREED: ("Record that the exit plan is agreed", "Mark as agreed"),
        ExitPlanStatus.DRAFT: ("Reopen the exit plan as a draft", "Reopen"),
        ExitPlanStatus.IN_PROGRESS: ("Start carrying out the exit plan", "Start"),
        ExitPlanStatus.COMPLETE: ("Record that the exit plan is complete", "Mark as complete"),
    }

    def dispatch(self, request, *args, **kwargs):
        self.to_status = kwargs["to"]
        if self.to_status not in self.COPY:
            raise Http404
        self.title, self.submit_label = self.COPY[self.to_status]
        self.success_message = f"Exit plan is now {ExitPlanStatus(self.to_status).label.lower()}."
        return super().dispatch(request, *args, **kwargs)

    def service_kwargs(self, form):
        return {"to_status": self.to_status, "reason": form.cleaned_data["reason"]}


class ExitTaskCreate(ChildFormView):
    model = ExitTask
    parent_model = ExitPlan
    parent_field = "plan"
    form_class = ExitTaskForm
    create_service = services.exit_task_add

    def get_title(self):
        return f"Add a task to the exit plan for {self.parent.contract.reference}"

    def success(self, result):
        messages.success(self.request, "Task added to the exit plan.")
        return HttpResponseRedirect(self.parent.get_absolute_url())


class ExitTaskUpdate(ObjectFormView):
    model = ExitTask
    form_class = ExitTaskForm
    update_service = services.exit_task_update

    def get_title(self):
        return "Change an exit task"


class ExitRiskCreate(ChildFormView):
    """Raise an exit risk in the contract's risk log from the plan, linked to it."""

    model = Risk
    parent_model = ExitPlan
    parent_field = "plan"
    form_class = ExitRiskForm
    create_service = services.exit_risk_create

    def get_title(self):
        return f"Raise an exit risk for {self.parent.contract.reference}"

    def success(self, result):
        messages.success(self.request, f"Risk “{result.title}” raised and linked to the plan.")
        return HttpResponseRedirect(self.parent.get_absolute_url())


# -- Termination notice and the service transfer plan -----------------------------------------


class TerminationNoticeCreate(ChildFormView):
    model = TerminationNotice
    parent_model = Contract
    form_class = TerminationNoticeForm

    def create(self, form, reason):
        return services.termination_notice_record(
            contract=self.parent, actor=self.request.user, **form.cleaned_data
        )

    def get_title(self):
        return f"Record a termination notice for {self.parent.reference}"

    def get_cancel_url(self):
        return exit_url(self.parent.pk)

    def success(self, result):
        messages.success(
            self.request,
            "Termination notice recorded. The service transfer plan is open for the provider.",
        )
        return HttpResponseRedirect(result.transfer_plan.get_absolute_url())


class TransferPlanTabs(ContractRecordTabs):
    model = ServiceTransferPlan
    tabs = record_tabs("contracts:transferplan")
    related = (
        "termination_notice",
        "submitted_by",
        "approved_by",
        "provider_signed_by",
        "commissioner_signed_by",
    )


STEP_COPY = {
    "submit": ("Submit the plan to the commissioner", "Submit plan", "Plan submitted."),
    "return": (
        "Return the plan to the provider with comments",
        "Return with comments",
        "Plan returned to the provider with your comments.",
    ),
    "approve": ("Approve the plan", "Approve plan", "Plan approved."),
    "sign": ("Sign the plan", "Sign plan", "Plan signed."),
}


def _approval_note(plan: ServiceTransferPlan, user) -> str:
    """Said to an officer who submitted the plan for the provider: who approves it."""
    if plan.status != TransferPlanStatus.SUBMITTED or services._who_reviews(plan, user):
        return ""
    refusal = services.transfer_plan_approval_refusal(plan, user)
    if not refusal:
        return ""
    return f"{refusal[:-1]}: the contract's other officer (lead or deputy) can."


class TransferPlanDetail(TransferPlanTabs, ObjectDetailView):
    template_name = "contracts/exit/transferplan_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.object
        user = self.request.user
        steps = services.transfer_plan_moves(plan=plan, user=user) if context["can_change"] else {}
        context.update(
            moves=[
                Move(
                    name=action,
                    label=STEP_COPY[action][1],
                    url=reverse("contracts:transferplan_step", args=[plan.pk, action]),
                    reasons=reasons,
                    warning=action == "return",
                )
                for action, reasons in steps.items()
            ],
            approval_note=_approval_note(plan, user) if context["can_change"] else "",
            may_edit=context["can_change"]
            and plan.is_editable
            and services.may_prepare_transfer_plan(plan, user),
            documents=list(Document.objects.for_object(plan).select_related("uploaded_by")),
            events=list(plan.events.select_related("actor")),
        )
        return context


class TransferPlanHistory(TransferPlanTabs, ObjectHistoryView):
    def get_context_data(self, **kwargs):
        return super().get_context_data(
            object_template="contracts/exit/transferplan_base.html", **kwargs
        )


class TransferPlanUpdate(ObjectFormView):
    model = ServiceTransferPlan
    form_class = TransferPlanForm

    def has_object_permission(self):
        return services.may_prepare_transfer_plan(self.object, self.request.user)

    def update(self, form, reason):
        return services.transfer_plan_update(
            plan=self.object, actor=self.request.user, reason=reason, **self.service_fields(form)
        )

    def get_title(self):
        return f"Edit the service transfer plan for {self.object.contract.reference}"


class TransferPlanStep(TransferPlanTabs, ObjectActionView):
    permission_action = "change"
    object_action = "change"
    form_class = TransferStepForm
    service = services.transfer_plan_transition
    object_field = "plan"

    def dispatch(self, request, *args, **kwargs):
        self.action = kwargs["action"]
        if self.action not in STEP_COPY:
            raise Http404
        self.title, self.submit_label, self.success_message = STEP_COPY[self.action]
        self.warning = self.action == "return"
        return super().dispatch(request, *args, **kwargs)

    def has_object_permission(self):
        return services.may_take_transfer_step(self.object, self.action, self.request.user)

    def get_form(self):
        return TransferStepForm(**self.get_form_kwargs(), comments_required=self.action == "return")

    def service_kwargs(self, form):
        return {"action": self.action, "comments": form.cleaned_data["comments"]}


# -- Post-contract review ---------------------------------------------------------------------


class PostContractReviewCreate(ChildFormView):
    model = PostContractReview
    parent_model = Contract
    form_class = PostContractReviewForm
    create_service = services.post_contract_review_record

    def get_title(self):
        return f"Record the post-contract review of {self.parent.reference}"

    def get_cancel_url(self):
        return exit_url(self.parent.pk)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.setdefault("initial", {"held_on": timezone.localdate()})
        return kwargs


class PostContractReviewUpdate(ObjectFormView):
    model = PostContractReview
    form_class = PostContractReviewForm
    update_service = services.post_contract_review_update


class ReviewTabs(ContractRecordTabs):
    model = PostContractReview
    tabs = record_tabs("contracts:postcontractreview")
    related = ("recorded_by",)


class PostContractReviewDetail(ReviewTabs, ObjectDetailView):
    template_name = "contracts/exit/review_detail.html"


class PostContractReviewHistory(ReviewTabs, ObjectHistoryView):
    def get_context_data(self, **kwargs):
        return super().get_context_data(object_template="contracts/exit/review_base.html", **kwargs)


# -- Portfolio lists ---------------------------------------------------------------------------


class ContractsEndingList(ObjectListView):
    """Which contracts need the notice of plans, and by when: every active contract and
    contract in exit, missed notice deadlines first, then the soonest."""

    model = Contract
    selector = selectors.all_contracts_ending
    filterset_class = ContractsEndingFilterSet
    title = "Contracts ending"
    empty_message = "No active contracts match."
    columns = [
        Column("Contract", "reference", sort="reference", link=True),
        Column("Title", "title", sort="title"),
        Column("Provider", "provider.name", sort="provider__name"),
        Column("Status", "status", sort="status"),
        Column("Ends", "current_end_date", sort="current_end_date"),
        *deadline_columns(
            "Notice deadline",
            "exit_notice_deadline",
            deadlines.EXIT_NOTICE,
            sort="exit_notice_deadline",
            applies=lambda contract: not contract.notice_recorded,
        ),
        Column("Notice recorded", "notice_recorded", sort="notice_recorded"),
        Column("Lead officer", "lead_officer", in_table=False),
        Column("Deputy officer", "deputy_officer", in_table=False),
    ]

    def default_ordering(self):
        return selectors.exit_notice_ordering(timezone.localdate())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The Exit tab is where a reader acts on the deadline.
        for row, contract in zip(context["table"], context["page"].object_list, strict=True):
            for cell in row:
                if cell["url"]:
                    cell["url"] = exit_url(contract.pk)
        return context


class LessonsLearnedList(ObjectListView):
    model = PostContractReview
    selector = selectors.lessons_learned_list
    filterset_class = LessonsLearnedFilterSet
    title = "Lessons learned"
    default_sort = "-held_on"
    empty_message = "No post-contract reviews match."
    columns = [
        Column("Contract", "contract.reference", sort="contract__reference", link=True),
        Column("Title", "contract.title", sort="contract__title"),
        Column("Provider", "contract.provider.name", sort="contract__provider__name"),
        Column("Review held", "held_on", sort="held_on"),
        Column("Lessons learned", "lessons_learned"),
        Column("For future commissioning", "future_commissioning"),
        Column("Benefits or losses", "outcomes_assessment", in_table=False),
        Column("Attendees", "attendees", in_table=False),
    ]
