"""Service level agreements: the contract's SLA tab, each version's page and history,
drafting a version, editing the draft, agreeing it, its improvement plan, and the
portfolio list. The rules live in contracts.services.slas."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse

from contracts.assurance import selectors
from contracts.assurance.choices import SlaStatus
from contracts.assurance.filtersets import SlaFilterSet
from contracts.assurance.forms.slas import ImprovementPlanItemForm, SlaAgreeForm, SlaForm
from contracts.assurance.models.slas import ImprovementPlanItem, ServiceLevelAgreement
from contracts.assurance.services import slas as services
from contracts.register.models.contracts import Contract
from contracts.register.tabs import ContractRecordTabs, ContractTabs
from governance.core.permissions import officer_may
from governance.core.tables import Column
from governance.core.views.base import (
    ChildFormView,
    ObjectActionView,
    ObjectDetailView,
    ObjectFormView,
    ObjectHistoryView,
    ObjectListView,
    record_tabs,
)
from governance.meetings.models import Action


class SlaList(ObjectListView):
    model = ServiceLevelAgreement
    selector = selectors.sla_list
    filterset_class = SlaFilterSet
    title = "Service level agreements"
    default_sort = "contract__reference"
    empty_message = "No service level agreements match."
    columns = [
        Column("SLA", str, link=True),
        Column("Contract", "contract.title", sort="contract__reference"),
        Column("Provider", "contract.provider.name", sort="contract__provider__name"),
        Column("Version", "version", sort="version", numeric=True),
        Column("Status", "status", sort="status"),
        Column("Agreed on", "agreed_on", sort="agreed_on"),
        Column("Reports due (business days after quarter end)", "report_due_business_days"),
        Column("Monitoring meetings", "meeting_cadence", in_table=False),
        Column("Signed for the commissioner by", "signed_for_commissioner", in_table=False),
        Column("Signed for the provider by", "signed_for_provider.name", in_table=False),
    ]


class ContractSlas(ContractTabs, ObjectDetailView):
    """The contract's SLA tab: the current version, the draft and those superseded."""

    template_name = "contracts/sla/contract_slas.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contract = self.object
        versions = list(
            contract.slas.select_related("signed_for_commissioner", "signed_for_provider")
        )
        draft = next((sla for sla in versions if sla.status == SlaStatus.DRAFT), None)
        current = next((sla for sla in versions if sla.status == SlaStatus.AGREED), None)
        context.update(
            versions=versions,
            draft=draft,
            current=current,
            superseded=[sla for sla in versions if sla.status == SlaStatus.SUPERSEDED],
            may_draft=draft is None
            and context["can_change"]
            and self.can("add", ServiceLevelAgreement)
            and contract.status in services.SLA_CONTRACT_STATUSES,
        )
        return context


class SlaTabs(ContractRecordTabs):
    model = ServiceLevelAgreement
    tabs = record_tabs("contracts:sla")
    related = ("signed_for_commissioner", "signed_for_provider")

    def prepare_queryset(self, queryset):
        return (
            super()
            .prepare_queryset(queryset)
            .prefetch_related("commissioner_contacts", "provider_contacts", "improvements")
        )


class SlaDetail(SlaTabs, ObjectDetailView):
    template_name = "contracts/sla/sla_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sla = self.object
        user = self.request.user
        editable = sla.is_draft and context["can_change"]
        quarter_end, report_due = services.next_report_due(sla)
        context.update(
            contract=sla.contract,
            current=services.current_sla(sla.contract)
            if sla.status == SlaStatus.SUPERSEDED
            else None,
            quarter_end=quarter_end,
            report_due=report_due,
            may_edit=editable,
            may_add_improvement=editable and self.can("add", ImprovementPlanItem),
            may_raise_action=officer_may(user, sla.contract, Action, "add"),
        )
        return context


class SlaHistory(SlaTabs, ObjectHistoryView):
    pass


class DraftOnlyMixin:
    """Agreed and superseded versions are read-only: their editing pages say so and
    send the user back to the version's page."""

    def draft_sla(self) -> ServiceLevelAgreement:
        return self.object

    def refusal(self):
        sla = self.draft_sla()
        if sla is not None and not sla.is_draft:
            messages.error(self.request, services.AGREED_IS_READ_ONLY)
            return HttpResponseRedirect(sla.get_absolute_url())
        return None

    def get(self, request, *args, **kwargs):
        return self.refusal() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.refusal() or super().post(request, *args, **kwargs)


class SlaCreate(ChildFormView):
    """Drafts the next version, starting from the current one when there is one."""

    model = ServiceLevelAgreement
    parent_model = Contract
    form_class = SlaForm
    create_service = services.sla_create_draft
    template_name = "contracts/sla/sla_form.html"

    def get(self, request, *args, **kwargs):
        # Say why a new version cannot be started before anyone fills in the form.
        if self.parent.status not in services.SLA_CONTRACT_STATUSES:
            messages.error(request, services.CONTRACT_ENDED)
            return HttpResponseRedirect(reverse("contracts:contract_slas", args=[self.parent.pk]))
        draft = self.parent.slas.filter(status=SlaStatus.DRAFT).first()
        if draft is not None:
            messages.info(
                request, "This contract already has a draft SLA: finish or agree it first."
            )
            return HttpResponseRedirect(draft.get_absolute_url())
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(contract=self.parent, initial=services.next_version_initial(self.parent))
        return kwargs

    def get_title(self):
        return f"Draft a new version of the SLA for {self.parent.reference}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            current=services.current_sla(self.parent), contract=self.parent, **kwargs
        )


class SlaUpdate(DraftOnlyMixin, ObjectFormView):
    model = ServiceLevelAgreement
    form_class = SlaForm
    update_service = services.sla_update_draft
    template_name = "contracts/sla/sla_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "contract": self.object.contract}

    def get_context_data(self, **kwargs):
        return super().get_context_data(contract=self.object.contract, **kwargs)


class SlaAgree(DraftOnlyMixin, ObjectActionView):
    model = ServiceLevelAgreement
    permission_action = "change"
    object_action = "change"
    form_class = SlaAgreeForm
    service = services.sla_agree
    object_field = "sla"
    title = "Record that the SLA has been agreed"
    submit_label = "Record agreement"
    success_message = "SLA agreed: it is now the contract's current SLA."

    def prepare_queryset(self, queryset):
        return queryset.select_related("contract", "contract__provider")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "sla": self.object, "actor": self.request.user}

    def get_context_data(self, **kwargs):
        current = services.current_sla(self.object.contract)
        self.description = (
            f"Version {self.object.version} becomes the contract's current SLA and can no "
            "longer be changed."
        )
        if current is not None:
            self.description += f" Version {current.version} will be kept as superseded."
        return super().get_context_data(**kwargs)


class ImprovementCreate(DraftOnlyMixin, ChildFormView):
    model = ImprovementPlanItem
    parent_model = ServiceLevelAgreement
    parent_field = "sla"
    form_class = ImprovementPlanItemForm
    create_service = services.improvement_add

    def draft_sla(self):
        return self.parent

    def get_title(self):
        return f"Add an improvement to {self.parent}"
