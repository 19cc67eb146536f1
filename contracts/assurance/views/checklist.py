"""The contracts checklist: the contract's checklist tab, adding items, recording
evidence, each item's history, and the portfolio list. The rules live in
contracts.services.checklist."""

import copy
import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import View

from contracts.assurance import selectors
from contracts.assurance.choices import ChecklistStatus
from contracts.assurance.filtersets import EXPIRY_WARNING_DAYS, VERIFIED, ChecklistFilterSet
from contracts.assurance.forms.slas import ChecklistAddForm, ChecklistRecordForm
from contracts.assurance.models.slas import ChecklistItem
from contracts.assurance.services import checklist as services
from contracts.register.models.contracts import Contract
from contracts.register.tabs import ContractTabs
from governance.core import deadlines
from governance.core.tables import Column, deadline_columns
from governance.core.views.base import (
    ChildFormView,
    ObjectDetailView,
    ObjectFormView,
    ObjectHistoryView,
    ObjectListView,
    ObjectMixin,
)


def checklist_url(contract_id: int) -> str:
    return reverse("contracts:contract_checklist", args=[contract_id])


def attention(item: ChecklistItem, today: datetime.date) -> str:
    """What a reader should notice about an item: expired, expiring or outstanding."""
    if item.status == ChecklistStatus.OUTSTANDING:
        return "outstanding"
    if item.is_expired(today):
        return "expired"
    if (
        item.status == ChecklistStatus.VERIFIED
        and item.expires_on is not None
        and item.expires_on <= today + datetime.timedelta(days=EXPIRY_WARNING_DAYS)
    ):
        return "expiring"
    return ""


class ChecklistList(ObjectListView):
    model = ChecklistItem
    selector = selectors.checklist_list
    filterset_class = ChecklistFilterSet
    title = "Contracts checklist"
    empty_message = "No checklist items match."
    columns = [
        Column("Item", "title", sort="title", link=True),
        Column("Contract", "contract.reference", sort="contract__reference"),
        Column("Provider", "contract.provider.name", sort="contract__provider__name"),
        Column("Status", "status", sort="status"),
        Column("Date verified", "verified_on", sort="verified_on"),
        Column("Verified by", "verified_by"),
        *deadline_columns(
            "Evidence expires",
            "expires_on",
            deadlines.CHECKLIST_EXPIRY,
            sort="expires_on",
            applies=lambda item: item.status == ChecklistStatus.VERIFIED,
        ),
        Column("Expired", lambda item: item.is_expired(), in_table=False),
        Column("Evidence document", "evidence", in_table=False),
        Column("Notes", "notes", in_table=False),
    ]

    def default_ordering(self):
        """Expired evidence first, then the soonest to expire; the rest by contract."""
        return deadlines.ordering(
            "expires_on",
            today=timezone.localdate(),
            kind=deadlines.CHECKLIST_EXPIRY,
            open_q=VERIFIED,
            then=["contract__reference", "title"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # An item's own page is where its evidence is recorded, which only the
        # contract's officers may open: every reader goes to the contract's checklist.
        for row, item in zip(context["table"], context["page"].object_list, strict=True):
            for cell in row:
                if cell["url"]:
                    cell["url"] = checklist_url(item.contract_id)
        return context


class ContractChecklist(ContractTabs, ObjectDetailView):
    """The contract's checklist tab: every item with its evidence, flagged when it has
    expired, expires soon or is still outstanding."""

    template_name = "contracts/checklist/contract_checklist.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contract = self.object
        today = timezone.localdate()
        items = list(contract.checklist.select_related("item_type", "verified_by", "evidence"))
        for item in items:
            item.attention = attention(item, today)
        may_add = (
            context["can_change"]
            and self.can("add", ChecklistItem)
            and contract.status in services.CHECKLIST_CONTRACT_STATUSES
        )
        context.update(
            items=items,
            expired=sum(item.attention == "expired" for item in items),
            outstanding=sum(item.attention == "outstanding" for item in items),
            may_add=may_add,
            missing_standard=services.missing_standard_types(contract) if may_add else [],
            may_record=context["can_change"] and self.can("change", ChecklistItem),
            expiry_warning_days=EXPIRY_WARNING_DAYS,
        )
        return context


class ChecklistAddStandard(ObjectMixin, View):
    """Adds every standard item the contract's checklist lacks (a button on the tab)."""

    model = Contract
    object_action = "change"
    http_method_names = ["post"]

    def has_permission(self):
        return self.can("add", ChecklistItem)

    def post(self, request, *args, **kwargs):
        try:
            added = services.checklist_add_standard(contract=self.object, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if added:
                count = len(added)
                messages.success(
                    request, f"{count} standard item{'s' if count != 1 else ''} added."
                )
            else:
                messages.info(request, "The checklist already has every standard item.")
        return HttpResponseRedirect(checklist_url(self.object.pk))


class ChecklistCreate(ChildFormView):
    model = ChecklistItem
    parent_model = Contract
    form_class = ChecklistAddForm
    create_service = services.checklist_add
    template_name = "contracts/checklist/item_create.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "contract": self.parent}

    def get_title(self):
        return f"Add an item to the checklist for {self.parent.reference}"

    def get_cancel_url(self):
        return checklist_url(self.parent.pk)

    def success(self, result):
        messages.success(self.request, f"“{result}” added to the checklist.")
        return HttpResponseRedirect(checklist_url(self.parent.pk))


class ChecklistRecord(ObjectFormView):
    """Records the state of an item's evidence, with the document as an upload."""

    model = ChecklistItem
    form_class = ChecklistRecordForm
    update_service = services.checklist_record
    template_name = "contracts/checklist/item_form.html"

    def load_objects(self):
        self.object = get_object_or_404(
            ChecklistItem.objects.restrict(self.request.user, "change").select_related(
                "contract", "item_type", "verified_by", "evidence"
            ),
            pk=self.kwargs["pk"],
        )
        self.object_label = str(self.object)
        # Shown beside the form as stored: the form copies what is typed onto the object.
        self.stored = copy.copy(self.object)
        self.stored.attention = attention(self.stored, timezone.localdate())

    def update(self, form, reason):
        item = ChecklistItem._base_manager.get(pk=self.object.pk)
        return services.checklist_record(
            item=item, actor=self.request.user, reason=reason, **self.service_fields(form)
        )

    def success(self, changed):
        if changed:
            messages.success(self.request, f"“{self.object_label}” updated.")
        else:
            messages.info(self.request, "Nothing was changed.")
        return HttpResponseRedirect(checklist_url(self.object.contract_id))

    def get_title(self):
        return f"Record evidence: {self.object_label}"

    def get_cancel_url(self):
        return checklist_url(self.object.contract_id)

    def get_context_data(self, **kwargs):
        return super().get_context_data(contract=self.object.contract, stored=self.stored, **kwargs)


class ChecklistItemHistory(ObjectHistoryView):
    model = ChecklistItem

    def prepare_queryset(self, queryset):
        return queryset.select_related(
            "contract", "contract__provider", "item_type", "verified_by", "evidence"
        )

    def get_context_data(self, **kwargs):
        self.object.attention = attention(self.object, timezone.localdate())
        return super().get_context_data(
            object_template="contracts/checklist/item_base.html",
            contract=self.object.contract,
            **kwargs,
        )
