"""Provider staff's view of the disputes put to their organisation: the timeline of what
passed between the parties and the notices, never the commissioner's notes or SMG's
briefings and decisions; and the one thing they do, confirming receipt of a notice."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from disputes import selectors, services
from disputes.filtersets import ProviderDisputeFilterSet
from disputes.models.disputes import Dispute
from governance.core.tables import Column
from governance.core.views.base import ObjectListView, object_or_404

SEE = "disputes.see_own_disputes"
CONFIRM = "disputes.confirm_dispute_receipt"


class ProviderDisputeList(ObjectListView):
    model = Dispute
    selector = selectors.provider_disputes
    filterset_class = ProviderDisputeFilterSet
    title = "Disputes with the commissioner"
    empty_message = "No disputes have been put to your organisation."
    columns = [
        Column("Reference", "reference", sort="id", link=True),
        Column("Title", "title", sort="title"),
        Column("Contract", "contract.reference", sort="contract__reference"),
        Column("Stage", "stage", sort="stage"),
        Column("Notice sent", "notice_date", sort="notice_date"),
        Column("Receipt confirmed", "receipt_confirmed_on", sort="receipt_confirmed_on"),
        Column("Meeting due by", "meeting_deadline", sort="meeting_deadline"),
    ]
    default_sort = "-id"

    def has_permission(self):
        return self.request.user.has_perm(SEE)

    def row_url(self, obj) -> str:
        return reverse("disputes:provider_dispute_detail", args=[obj.pk])


class ProviderDisputeMixin:
    """403 without the permission, 404 for a dispute not put to the user's organisation."""

    permission = SEE

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        self.object = object_or_404(selectors.provider_disputes(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class ProviderDisputeDetail(ProviderDisputeMixin, TemplateView):
    template_name = "disputes/provider_dispute_detail.html"

    def get_context_data(self, **kwargs):
        dispute = self.object
        refusal = services.receipt_refusal(dispute)
        return super().get_context_data(
            title=f"{dispute.reference} {dispute.title}",
            dispute=dispute,
            timeline=list(selectors.provider_timeline(dispute)),
            may_confirm=self.request.user.has_perm(CONFIRM) and not refusal,
            **kwargs,
        )


class ProviderReceiptConfirm(ProviderDisputeMixin, View):
    """The "Confirm we received this notice" button."""

    permission = CONFIRM
    http_method_names = ["post"]

    def post(self, request, pk):
        try:
            services.dispute_receipt_confirm(dispute=self.object, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "You have confirmed that you received the notice")
        return redirect("disputes:provider_dispute_detail", pk=self.object.pk)
