from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from contracts.register import selectors
from contracts.register.choices import ContractStatus, ExtensionStatus, VariationStatus
from contracts.register.filtersets import (
    PENDING_DECISION,
    ContractFilterSet,
    ExtensionOptionFilterSet,
    VariationFilterSet,
)
from contracts.register.forms import (
    ContractForm,
    ExtensionOptionForm,
    NotesForm,
    RequiredNotesForm,
    TransitionForm,
    VariationForm,
)
from contracts.register.models.contracts import Contract, ExtensionOption, Variation
from contracts.register.services import contracts as services
from contracts.register.tabs import ContractRecordTabs, ContractTabs
from governance.core import deadlines
from governance.core.moves import Move
from governance.core.permissions import permission_name
from governance.core.tables import Column, deadline_columns
from governance.core.views.base import (
    ChildFormView,
    ObjectActionView,
    ObjectDetailView,
    ObjectDocumentsView,
    ObjectFormView,
    ObjectHistoryView,
    ObjectListView,
    record_tabs,
)

# -- Contracts ---------------------------------------------------------------------------


def overall_label(contract) -> str:
    """The contract's stored overall status, in words (colour is never the only signal)."""
    return contract.overall_status.get_status_display()


def quarter_label(contract) -> str:
    """The latest accepted quarter's own RAG, named with its quarter."""
    return contract.overall_status.quarter_summary


class ContractList(ObjectListView):
    model = Contract
    selector = selectors.contract_list
    filterset_class = ContractFilterSet
    create_url_name = "contracts:contract_create"
    import_url_name = "contracts:contract_import"
    xlsx_export = True
    default_sort = "reference"
    export_related = (
        "service_area",
        "lead_officer",
        "deputy_officer",
        "provider_contract_manager",
    )
    columns = [
        Column("Reference", "reference", sort="reference", link=True),
        Column("Title", "title", sort="title"),
        Column("Provider", "provider.name", sort="provider__name"),
        Column("Status", "status", sort="status"),
        Column("Overall status", overall_label, sort="overall__status"),
        Column("Latest quarter", quarter_label, sort="overall__quarter_starts_on"),
        Column("Tier", "tier", sort="tier"),
        Column("Service area", "service_area.name", in_table=False),
        Column("Total value", "total_value", sort="total_value", money=True, in_table=False),
        Column("Annual value", "annual_value", sort="annual_value", money=True),
        Column("Starts", "start_date", in_table=False),
        Column("Ends", "current_end_date", sort="current_end_date"),
        Column("Lead officer", "lead_officer", in_table=False),
        Column("Deputy officer", "deputy_officer", in_table=False),
        # What the import needs to bring an exported register back as it was.
        Column("Scope", "scope", in_table=False),
        Column("Initial end date", "initial_end_date", in_table=False),
        Column("Strategic partnership", "is_strategic_partnership", in_table=False),
        Column("Lifecycle stage", "lifecycle_stage", in_table=False),
        Column("Provider's contract manager", "provider_contract_manager.name", in_table=False),
        Column(
            "Provider's contract manager email",
            "provider_contract_manager.email",
            in_table=False,
        ),
    ]


class ContractHistory(ContractTabs, ObjectHistoryView):
    pass


class ContractDocuments(ContractTabs, ObjectDocumentsView):
    pass


class ContractFormView(ObjectFormView):
    model = Contract
    form_class = ContractForm
    create_service = services.contract_create
    update_service = services.contract_update

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if not self.editing:
            # Whoever registers a contract usually runs it.
            kwargs["initial"] = {"lead_officer": self.request.user.pk}
        return kwargs

    def get_cancel_url(self):
        return super().get_cancel_url() or reverse("contracts:contract_list")


TRANSITION_COPY = {
    ContractStatus.ACTIVE: ("Activate the contract", "Activate", False),
    ContractStatus.IN_EXIT: ("Start exit from the contract", "Start exit", False),
    ContractStatus.ENDED: ("Record that the contract has ended", "Record the end", False),
    ContractStatus.TERMINATED: ("Terminate the contract early", "Terminate", True),
}


class ContractTransition(ContractTabs, ObjectActionView):
    """Moves a contract to another status, through the status machine's guards."""

    permission_action = "change"
    object_action = "change"
    form_class = TransitionForm
    service = services.contract_transition
    object_field = "contract"

    def dispatch(self, request, *args, **kwargs):
        self.to_status = kwargs["to"]
        if self.to_status not in TRANSITION_COPY:
            raise Http404
        self.title, self.submit_label, self.warning = TRANSITION_COPY[self.to_status]
        self.success_message = f"Contract is now {ContractStatus(self.to_status).label.lower()}."
        return super().dispatch(request, *args, **kwargs)

    def service_kwargs(self, form):
        return {"to_status": self.to_status, "reason": form.cleaned_data["reason"]}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.to_status == ContractStatus.TERMINATED:
            # Asked from the Exit page, where termination notices are recorded.
            context.update(
                description=(
                    "Terminating ends the contract before its end date. It cannot be undone."
                ),
                cancel_url=reverse("contracts:contract_exit", args=[self.object.pk]),
            )
        return context


# -- Extension options -------------------------------------------------------------------


class ContractExtensions(ContractTabs, ObjectDetailView):
    template_name = "contracts/contract_extensions.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            options=self.object.extensions.select_related("decided_by"),
            can_add=self.can("add", ExtensionOption) and self.can("change"),
            **kwargs,
        )


class ExtensionList(ObjectListView):
    """Every extension option in the portfolio: undecided ones whose decision deadline
    is missed first, then the soonest decision; decided ones last."""

    model = ExtensionOption
    selector = selectors.extension_list
    filterset_class = ExtensionOptionFilterSet
    title = "Extension options"
    columns = [
        Column("Contract", "contract", sort="contract__reference", link=True),
        Column("Provider", "contract.provider.name", sort="contract__provider__name"),
        Column("Option", "sequence", numeric=True),
        Column("Months", "length_months", numeric=True),
        *deadline_columns(
            "Decide by",
            "decision_deadline",
            deadlines.EXTENSION_DECISION,
            sort="decision_deadline",
            applies=lambda option: option.status == ExtensionStatus.PENDING,
        ),
        Column("Status", "status", sort="status"),
        Column("Decided by", "decided_by", in_table=False),
        Column("Decided on", "decided_on", in_table=False),
    ]

    def default_ordering(self):
        return deadlines.ordering(
            "decision_deadline",
            today=timezone.localdate(),
            kind=deadlines.EXTENSION_DECISION,
            open_q=PENDING_DECISION,
        )


class ExtensionCreate(ChildFormView):
    model = ExtensionOption
    parent_model = Contract
    form_class = ExtensionOptionForm
    create_service = services.extension_add

    def get_title(self):
        return f"Add an extension option to {self.parent.reference}"


class ExtensionDecision(ObjectActionView):
    model = ExtensionOption
    permission_action = "change"
    object_action = "change"
    object_field = "option"

    DECISIONS = {
        "exercise": (
            services.extension_exercise,
            NotesForm,
            "Exercise the extension option",
            "Exercise option",
            "Option exercised: the contract's end date has moved.",
        ),
        "decline": (
            services.extension_decline,
            RequiredNotesForm,
            "Decline the extension option",
            "Decline option",
            "Option declined.",
        ),
    }

    def dispatch(self, request, *args, **kwargs):
        decision = self.DECISIONS.get(kwargs["decision"])
        if decision is None:
            raise Http404
        self.decision_service, self.form_class, self.title, self.submit_label = decision[:4]
        self.success_message = decision[4]
        return super().dispatch(request, *args, **kwargs)

    def get_service(self):
        return self.decision_service

    def get_success_url(self):
        return reverse("contracts:contract_extensions", args=[self.object.contract_id])


# -- Variations ----------------------------------------------------------------------------


class ContractVariations(ContractTabs, ObjectDetailView):
    template_name = "contracts/contract_variations.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            variations=self.object.variations.select_related("proposed_by", "decided_by"),
            can_add=self.can("add", Variation) and self.can("change") and self.object.is_live,
            material_value_change=services.MATERIAL_VALUE_CHANGE,
            **kwargs,
        )


class VariationList(ObjectListView):
    model = Variation
    selector = selectors.variation_list
    filterset_class = VariationFilterSet
    default_sort = "-proposed_at"
    title = "Variations"
    columns = [
        Column("Reference", "reference", link=True),
        Column("Contract", "contract.title", sort="contract__reference"),
        Column("Summary", "summary"),
        Column("Requested by", "requested_by", sort="requested_by"),
        Column("Status", "status", sort="status"),
        Column("Needs SMG approval", "needs_smg_approval", sort="needs_smg_approval"),
        Column("Proposed", "proposed_at", sort="proposed_at"),
        Column("Decided by", "decided_by", in_table=False),
        Column("Decided", "decided_at", in_table=False),
        Column("Value change since award (£)", "cumulative_value_change", in_table=False),
        Column("Term change since award (months)", "cumulative_term_change_months", in_table=False),
    ]


class VariationCreate(ChildFormView):
    model = Variation
    parent_model = Contract
    form_class = VariationForm
    create_service = services.variation_propose

    def get_title(self):
        return f"Propose a variation to {self.parent.reference}"


class VariationTabs(ContractRecordTabs):
    model = Variation
    tabs = record_tabs("contracts:variation")
    related = ("proposed_by", "decided_by")


VARIATION_MOVE_LABELS = {"approve": "Approve", "reject": "Reject", "withdraw": "Withdraw"}


class VariationDetail(VariationTabs, ObjectDetailView):
    template_name = "contracts/variation_detail.html"

    def get_context_data(self, **kwargs):
        variation = self.object
        user = self.request.user
        proposed = variation.status == VariationStatus.PROPOSED
        may_decide = proposed and services.may_decide_variation(variation, user)
        refusal = services.variation_approval_refusal(variation, user) if may_decide else ""
        if refusal:
            who = (
                "a member of the Senior Management Group"
                if variation.needs_smg_approval
                else "the contract's other officer or a member of the Senior Management Group"
            )
            refusal = f"{refusal[:-1]}: {who}."
        moves = [
            Move(
                name=name,
                label=VARIATION_MOVE_LABELS[name],
                url=reverse("contracts:variation_decide", args=[variation.pk, name]),
                reasons=reasons,
                warning=name == "reject",
            )
            for name, reasons in services.variation_moves(variation=variation, user=user).items()
        ]
        return super().get_context_data(
            moves=moves,
            may_decide=may_decide,
            may_approve=may_decide and not refusal,
            approval_note=refusal,
            holds=services.variation_holds(variation) if variation.is_waiting else [],
            may_withdraw=proposed and services.may_withdraw_variation(variation, user),
            material_value_change=services.MATERIAL_VALUE_CHANGE,
            **kwargs,
        )


class VariationHistory(VariationTabs, ObjectHistoryView):
    pass


class VariationDecision(ObjectActionView):
    """Approve, reject or withdraw a proposed variation. SMG decides material ones; the
    service holds that rule, and the page asks it who may take the step."""

    model = Variation
    object_field = "variation"

    #: decision -> who may take it
    WHO = {
        "approve": services.may_decide_variation,
        "reject": services.may_decide_variation,
        "withdraw": services.may_withdraw_variation,
    }

    DECISIONS = {
        "approve": (
            services.variation_approve,
            NotesForm,
            "Approve the variation",
            "Approve variation",
            "Variation approved: the contract has been changed.",
        ),
        "reject": (
            services.variation_reject,
            RequiredNotesForm,
            "Reject the variation",
            "Reject variation",
            "Variation rejected.",
        ),
        "withdraw": (
            services.variation_withdraw,
            NotesForm,
            "Withdraw the variation",
            "Withdraw variation",
            "Variation withdrawn.",
        ),
    }

    def has_permission(self):
        user = self.request.user
        return user.has_perm(permission_name(Variation, "change")) or user.has_perm(
            "contracts.approve_material_variation"
        )

    def has_object_permission(self):
        return self.WHO[self.kwargs["decision"]](self.object, self.request.user)

    def prepare_queryset(self, queryset):
        return queryset.select_related("contract")

    def dispatch(self, request, *args, **kwargs):
        decision = self.DECISIONS.get(kwargs["decision"])
        if decision is None:
            raise Http404
        self.decision_service, self.form_class, self.title, self.submit_label = decision[:4]
        self.success_message = decision[4]
        self.warning = kwargs["decision"] == "reject"
        return super().dispatch(request, *args, **kwargs)

    def get_service(self):
        return self.decision_service

    def get_success_message(self, result) -> str:
        if isinstance(result, Variation) and result.is_waiting:
            return (
                "Variation approved. The contract's terms change once nothing holds it back: "
                "this page says what it waits for."
            )
        return super().get_success_message(result)
