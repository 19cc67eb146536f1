"""Downloads of the OCDS export: a notice's release, a contract's compiled record and a
bulk release package of the notices due or published in a date range. Every download is
validated first; one that does not validate is refused with a message, never served."""

import json

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.generic import View

from contracts.procurement.models import Notice
from contracts.procurement.ocds.packages import (
    InvalidExport,
    absolute,
    bulk_package,
    notice_package,
    record_package,
)
from contracts.procurement.ocds.releases import in_range
from contracts.procurement.selectors import notice_list
from contracts.register.models.contracts import Contract
from governance.core.datepolicy import on, validate_in_default_range
from governance.core.forms import GovukForm
from governance.core.views.base import ModelPermissionMixin, ObjectMixin

REFUSED = (
    "The open contracting data for {what} does not meet the OCDS schema, so it has not "
    "been downloaded. Nothing is wrong with the notices themselves: tell your "
    "administrator, who can see what failed in the service's log."
)


def json_download(package: dict, filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(package, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def refuse(request, what: str, back: str) -> HttpResponseRedirect:
    messages.error(request, REFUSED.format(what=what))
    return HttpResponseRedirect(back)


class NoticeRelease(ObjectMixin, View):
    """The notice's OCDS release, in a release package."""

    model = Notice

    def prepare_queryset(self, queryset):
        return queryset.select_related("contract", "contract__provider", "source_type")

    def get(self, request, *args, **kwargs):
        notice = self.object
        try:
            package = notice_package(notice, absolute(request.path))
        except InvalidExport:
            return refuse(request, "this notice", notice.get_absolute_url())
        if package is None:
            messages.info(
                request, "The notice covers no contract yet, so there is nothing to publish."
            )
            return HttpResponseRedirect(notice.get_absolute_url())
        owner = notice.contract.reference if notice.contract_id else "all-contracts"
        return json_download(package, f"{owner}-notice-{notice.pk}-ocds.json")


class ContractRecord(ObjectMixin, View):
    """The contract's OCDS record: each of its notices' releases and the compiled
    release that merges them."""

    model = Contract

    def has_permission(self):
        return self.can("view", Notice)

    def get(self, request, *args, **kwargs):
        contract = self.object
        back = reverse("contracts:contract_procurement", args=[contract.pk])
        try:
            # The contract's own notices and the authority's notices that cover it.
            notices = notice_list(request.user).filter(
                Q(contract=contract) | Q(contract__isnull=True)
            )
            package = record_package(contract, notices, absolute(request.path))
        except InvalidExport:
            return refuse(request, contract.reference, back)
        if package is None:
            messages.info(request, "This contract has no notices to publish yet.")
            return HttpResponseRedirect(back)
        return json_download(package, f"{contract.reference}-ocds-record.json")


class DateRangeForm(GovukForm):
    start = forms.DateField(
        label="From",
        help_text="For example, 1/4/2026",
        validators=[validate_in_default_range],
        error_messages={"required": "Enter the first day.", "invalid": "Enter a real date."},
    )
    end = forms.DateField(
        label="To",
        help_text="For example, 31/3/2027",
        validators=[validate_in_default_range],
        error_messages={"required": "Enter the last day.", "invalid": "Enter a real date."},
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "The last day must be on or after the first day.")
        return cleaned


class BulkReleasePackage(ModelPermissionMixin, View):
    """Every notice the user may see that was published in the range, or is not yet
    published and is due in it, as one release package."""

    model = Notice

    def get(self, request, *args, **kwargs):
        back = reverse("contracts:notice_list")
        form = DateRangeForm(request.GET)
        if not form.is_valid():
            problems = [
                f"{form[name].label}: {' '.join(errors)}"
                for name, errors in form.errors.items()
                if name in form.fields
            ]
            messages.error(
                request,
                "Choose the dates to download open contracting data for. " + " ".join(problems),
            )
            return HttpResponseRedirect(back)
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        notices = notice_list(request.user).filter(in_range(start, end))
        try:
            package = bulk_package(notices, absolute(request.get_full_path()))
        except InvalidExport:
            return refuse(request, f"{on(start)} to {on(end)}", back)
        if package is None:
            messages.info(
                request, f"No notices were due or published from {on(start)} to {on(end)}."
            )
            return HttpResponseRedirect(back)
        return json_download(package, f"notices-{start.isoformat()}-to-{end.isoformat()}-ocds.json")
