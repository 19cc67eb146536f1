"""Pages for the Procurement Act 2023 duties: the notices register, each notice and its
steps, a contract's Procurement tab, the KPI duty exemption, change notices for
variations and how a contract ended."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

from contracts.procurement import selectors, services
from contracts.procurement.choices import NoticeKind, NoticeStatus
from contracts.procurement.filtersets import OWED, NoticeFilterSet
from contracts.procurement.forms import (
    ChangeNoticeForm,
    ContractEndingForm,
    ContractRegistrationForm,
    KpiExemptionDecisionForm,
    KpiExemptionRequestForm,
    NoticeStepForm,
)
from contracts.procurement.models import ContractEnding, KpiDutyExemption, Notice
from contracts.procurement.registration import contract_register, contract_update_with_procurement
from contracts.register.models.contracts import Contract, Variation
from contracts.register.tabs import ContractRecordTabs, ContractTabs
from contracts.register.views.contracts import ContractFormView
from governance.core import deadlines
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


def _code(notice: Notice) -> str:
    return services.notice_code(notice.kind)


def _contract(notice: Notice) -> str:
    return notice.contract.reference if notice.contract_id else "All contracts"


def _contract_title(notice: Notice) -> str:
    if notice.contract_id:
        return notice.contract.title
    return "The whole authority: every contract under the Act"


def _owed(notice: Notice) -> bool:
    return notice.is_open


def duty_settings() -> list[tuple[str, str]]:
    """The figures this installation uses, for the help on the register."""
    return [
        ("The Act applies to procurements started on or after", "PROCUREMENT_ACT_COMMENCEMENT"),
        ("KPI duty: contracts worth more than (£)", "PROCUREMENT_KPI_DUTY_THRESHOLD"),
        ("KPI duty: KPIs needed, and marked for publication", "PROCUREMENT_KPI_DUTY_MINIMUM"),
        ("Contract details notice: days after entry", "PROCUREMENT_UK7_DUE_DAYS"),
        (
            "Contract details notice: days after entry, light-touch contract",
            "PROCUREMENT_UK7_LIGHT_TOUCH_DUE_DAYS",
        ),
        ("Termination notice: days after the contract ends", "PROCUREMENT_UK11_DUE_DAYS"),
        (
            "Change notice: value change allowed, goods and services (%)",
            "PROCUREMENT_CHANGE_VALUE_PERCENT",
        ),
        (
            "Change notice: value change allowed, works (%)",
            "PROCUREMENT_CHANGE_WORKS_VALUE_PERCENT",
        ),
        ("Change notice: term change allowed (%)", "PROCUREMENT_CHANGE_TERM_PERCENT"),
        ("Voluntary standstill: working days at least", "PROCUREMENT_STANDSTILL_MIN_WORKING_DAYS"),
        ("Payments compliance notice code", "PROCUREMENT_PAYMENTS_COMPLIANCE_CODE"),
        (
            "OCDS above threshold: goods and services (£, VAT included)",
            "PROCUREMENT_THRESHOLD_GOODS_SERVICES",
        ),
        ("OCDS above threshold: works and concessions (£)", "PROCUREMENT_THRESHOLD_WORKS"),
        ("OCDS above threshold: light-touch contracts (£)", "PROCUREMENT_THRESHOLD_LIGHT_TOUCH"),
        ("OCDS above threshold: utilities contracts (£)", "PROCUREMENT_THRESHOLD_UTILITIES"),
    ]


class NoticeList(ObjectListView):
    model = Notice
    selector = selectors.notice_list
    filterset_class = NoticeFilterSet
    template_name = "contracts/procurement/notice_list.html"
    title = "Notices register"
    default_sort = "due_on"
    empty_message = "No notices match."
    columns = [
        Column("Notice", "kind", sort="kind", link=True),
        Column("Find a Tender code", _code, in_table=False),
        Column("Contract", _contract, sort="contract__reference"),
        Column("Contract title", _contract_title, in_table=False),
        *deadline_columns("Due by", "due_on", deadlines.NOTICE, sort="due_on", applies=_owed),
        Column("Status", "status", sort="status"),
        Column("Find a Tender identifier", "fts_identifier"),
        Column("Published", "published_on", sort="published_on"),
        Column("Period from", "period_start", in_table=False),
        Column("Period to", "period_end", in_table=False),
        Column("Why not required", "not_required_reason", in_table=False),
    ]

    def default_ordering(self):
        return deadlines.ordering(
            "due_on", today=timezone.localdate(), kind=deadlines.NOTICE, open_q=OWED
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            duty_settings=[(label, getattr(settings, name)) for label, name in duty_settings()],
            exemption_table=services.exemption_table(),
            **kwargs,
        )


class NoticeTabs(ContractRecordTabs):
    model = Notice
    tabs = record_tabs("contracts:notice")
    related = ("drafted_by", "approved_by", "source_type")


class NoticeDetail(NoticeTabs, ObjectDetailView):
    template_name = "contracts/procurement/notice_detail.html"

    def get_context_data(self, **kwargs):
        notice = self.object
        user = self.request.user
        steps = services.allowed_steps(notice, user)
        drafted_by_me = (
            notice.status == NoticeStatus.DRAFTED
            and notice.drafted_by_id == user.pk
            and user.has_perm("contracts.approve_notice")
        )
        return super().get_context_data(
            code=services.notice_code(notice.kind),
            deadline=deadlines.classify(
                notice.due_on, today=timezone.localdate(), kind=deadlines.NOTICE
            )
            if notice.is_open
            else None,
            steps=[(step, services.STEP_NAMES[step]) for step in steps],
            approval_note="You drafted this notice, so another member of the Senior "
            "Management Group must approve it."
            if drafted_by_me
            else "",
            published_kpis=list(services.published_kpis(notice.contract))
            if notice.kind in (NoticeKind.CONTRACT_DETAILS, NoticeKind.PERFORMANCE)
            else [],
            **kwargs,
        )


class NoticeHistory(NoticeTabs, ObjectHistoryView):
    pass


STEP_COPY = {
    NoticeStatus.DRAFTED: ("Draft the notice", "Save the draft", "Notice drafted."),
    NoticeStatus.APPROVED: (
        "Approve the notice for publication",
        "Approve",
        "Notice approved for publication.",
    ),
    NoticeStatus.PUBLISHED: (
        "Record the notice as published",
        "Record as published",
        "Notice recorded as published.",
    ),
    NoticeStatus.NOT_REQUIRED: (
        "Record that the notice is not required",
        "Record as not required",
        "Notice recorded as not required.",
    ),
    NoticeStatus.DUE: ("Reopen the notice", "Reopen", "Notice reopened."),
}


class NoticeStep(NoticeTabs, ObjectActionView):
    """One step of a notice's life, through the status machine's table."""

    object_field = "notice"
    service = services.notice_transition

    def has_permission(self):
        user = self.request.user
        return user.has_perm(permission_name(Notice, "change")) or user.has_perm(
            "contracts.approve_notice"
        )

    def has_object_permission(self):
        if self.step == NoticeStatus.APPROVED:
            return self.request.user.has_perm("contracts.approve_notice")
        return officer_may(self.request.user, self.object.contract, Notice, "change")

    def dispatch(self, request, *args, **kwargs):
        self.step = kwargs["to"]
        if self.step not in STEP_COPY:
            raise Http404
        self.title, self.submit_label, self.success_message = STEP_COPY[self.step]
        self.warning = self.step == NoticeStatus.NOT_REQUIRED
        return super().dispatch(request, *args, **kwargs)

    def get_form(self):
        return NoticeStepForm(**self.get_form_kwargs(), step=self.step, notice=self.object)

    def service_kwargs(self, form):
        return {"to": self.step, **form.cleaned_data}


# -- A contract's Procurement tab ----------------------------------------------------


class ContractProcurementTab(ContractTabs, ObjectDetailView):
    template_name = "contracts/procurement/contract_procurement.html"

    def get_context_data(self, **kwargs):
        contract = self.object
        user = self.request.user
        summary = selectors.contract_procurement_summary(user, contract)
        runs = runs_contract(user, contract)
        exemption = summary["exemption_request"]
        return super().get_context_data(
            **summary,
            may_ask_exemption=runs
            and summary["kpi_duty"]["applies"]
            and (exemption is None or exemption.status == "refused")
            and user.has_perm(permission_name(KpiDutyExemption, "add")),
            may_decide_exemption=exemption is not None
            and exemption.status == "requested"
            and user.has_perm("contracts.decide_kpi_duty_exemption"),
            may_record_ending=runs
            and summary["procurement"].is_act
            and user.has_perm(permission_name(ContractEnding, "add")),
            may_record_change=runs and user.has_perm(permission_name(Notice, "add")),
            **kwargs,
        )


class KpiExemptionRequest(ContractTabs, ObjectActionView):
    permission_action = "add"
    object_action = "change"
    form_class = KpiExemptionRequestForm
    object_field = "contract"
    service = services.kpi_exemption_request
    title = "Ask SMG to record an exemption from the KPI duty"
    submit_label = "Ask for the exemption"
    success_message = "Exemption asked for: a member of SMG will decide it."
    description = (
        "A contract under the Procurement Act 2023 worth more than the KPI duty threshold "
        "needs at least three KPIs unless an exemption is recorded. Say why this contract "
        "is exempt; a member of the Senior Management Group records or refuses it."
    )

    def has_permission(self):
        return self.request.user.has_perm(permission_name(KpiDutyExemption, "add"))

    def get_success_url(self):
        return reverse("contracts:contract_procurement", args=[self.object.pk])


class KpiExemptionDecision(ObjectActionView):
    model = KpiDutyExemption
    object_field = "exemption"
    service = services.kpi_exemption_decide

    def has_permission(self):
        return self.request.user.has_perm("contracts.decide_kpi_duty_exemption")

    def dispatch(self, request, *args, **kwargs):
        self.decision = kwargs["decision"]
        if self.decision not in ("record", "refuse"):
            raise Http404
        refusing = self.decision == "refuse"
        self.title = "Refuse the exemption" if refusing else "Record the exemption"
        self.submit_label = "Refuse" if refusing else "Record the exemption"
        self.success_message = "Exemption refused." if refusing else "Exemption recorded."
        self.warning = refusing
        return super().dispatch(request, *args, **kwargs)

    def get_form(self):
        return KpiExemptionDecisionForm(
            **self.get_form_kwargs(), refusing=self.decision == "refuse"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["description"] = f"Reason given: {self.object.reason}"
        return context

    def service_kwargs(self, form):
        return {"approve": self.decision == "record", **form.cleaned_data}

    def get_success_url(self):
        return reverse("contracts:contract_procurement", args=[self.object.contract_id])


class ChangeNoticeRecord(ObjectActionView):
    """Owe a change notice for an approved variation (voluntarily where none is
    required), with an optional voluntary standstill."""

    model = Variation
    object_field = "variation"
    object_action = "view"
    form_class = ChangeNoticeForm
    service = services.change_notice_record
    title = "Record a contract change notice"
    submit_label = "Record the change notice"
    success_message = "Change notice recorded: it is on the notices register."
    description = (
        "Use this to publish a change notice where none is required, or to record a "
        "voluntary standstill: the change then waits at least 8 working days after the "
        "notice is published. Leave the standstill dates empty if there is none."
    )

    def has_permission(self):
        return self.request.user.has_perm(permission_name(Notice, "add"))

    def has_object_permission(self):
        return runs_contract(self.request.user, self.object.contract)

    def prepare_queryset(self, queryset):
        return queryset.select_related("contract")

    def get_success_url(self):
        return reverse("contracts:contract_procurement", args=[self.object.contract_id])


class ContractEndingRecord(ChildFormView):
    """Record (or correct) why and when a contract ended, for its termination notice."""

    model = ContractEnding
    parent_model = Contract
    form_class = ContractEndingForm
    create_service = services.ending_record

    def load_objects(self):
        super().load_objects()
        self.existing = ContractEnding.objects.filter(contract=self.parent).first()

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.existing is not None:
            kwargs["instance"] = self.existing
            kwargs["require_reason"] = True
        return kwargs

    def get_title(self):
        return f"How {self.parent.reference} ended"

    def success(self, result):
        messages.success(self.request, "How the contract ended is recorded.")
        return HttpResponseRedirect(
            reverse("contracts:contract_procurement", args=[self.parent.pk])
        )


class ContractRegistrationView(ContractFormView):
    """The register's contract form with how the contract was procured (regime, kind and
    the flags the Act exempts), saved with it in one transaction."""

    form_class = ContractRegistrationForm
    create_service = contract_register
    update_service = contract_update_with_procurement
