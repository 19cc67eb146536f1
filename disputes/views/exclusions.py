from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

from disputes import selectors, services
from disputes.filtersets import ExclusionFilterSet
from disputes.forms.exclusions import ExclusionConfirmForm, ExclusionEndForm, ExclusionForm
from disputes.models.disputes import Dispute
from disputes.models.exclusions import Exclusion
from governance.core.tables import Column
from governance.core.views.base import (
    ObjectActionView,
    ObjectDetailView,
    ObjectFormView,
    ObjectHistoryView,
    ObjectListView,
    ObjectMixin,
    record_tabs,
)

# -- The exclusion register ---------------------------------------------------------------


class ExclusionList(ObjectListView):
    model = Exclusion
    selector = selectors.exclusion_list
    filterset_class = ExclusionFilterSet
    title = "Exclusion register"
    create_url_name = "disputes:exclusion_create"
    default_sort = "-start_date"
    empty_message = "No exclusions match."
    columns = [
        Column("Reference", "reference", sort="id", link=True),
        Column("Provider", "organisation", sort="organisation__name"),
        Column("Reason", "reason", sort="reason"),
        Column("Starts", "start_date", sort="start_date"),
        Column("Ends", "end_date", sort="end_date"),
        Column("Ended early on", "ended_early_on", in_table=False),
        Column("Recorded by", "recorded_by", in_table=False),
        Column(
            "Confirmed by",
            lambda e: (
                e.confirmed_by
                or ("Awaiting confirmation" if e.awaits_confirmation else "Not confirmed")
            ),
        ),
        Column("Active", lambda e: e.is_active()),
        Column("Dispute", lambda e: e.dispute.reference if e.dispute_id else "", in_table=False),
        Column("Grounds", "details", in_table=False),
    ]


class ExclusionTabs(ObjectMixin):
    model = Exclusion
    tabs = record_tabs("disputes:exclusion")

    def prepare_queryset(self, queryset):
        return queryset.select_related("organisation", "dispute", "recorded_by", "confirmed_by")


class ExclusionDetail(ExclusionTabs, ObjectDetailView):
    template_name = "disputes/exclusion_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        exclusion, user = self.object, self.request.user
        smg = context["can_change"] and services.may_record_exclusion(user)
        context["may_end"] = (
            smg and exclusion.ended_early_on is None and exclusion.end_date >= timezone.localdate()
        )
        refusal = services.exclusion_confirmation_refusal(exclusion, user)
        context["may_confirm"] = smg and exclusion.awaits_confirmation and not refusal
        context["confirmation_note"] = (
            f"{refusal[:-1]}: another member of the Senior Management Group."
            if smg and exclusion.awaits_confirmation and refusal
            else ""
        )
        context["active"] = exclusion.is_active()
        return context


class ExclusionHistory(ExclusionTabs, ObjectHistoryView):
    pass


class ExclusionFormView(ObjectFormView):
    model = Exclusion
    form_class = ExclusionForm

    def has_object_permission(self):
        return services.may_record_exclusion(self.request.user)

    def create(self, form, reason: str):
        fields = self.service_fields(form)
        return services.exclusion_create(actor=self.request.user, change_reason=reason, **fields)

    def get_title(self):
        return "Record an exclusion"

    def success(self, result):
        messages.success(
            self.request,
            f"Exclusion {result.reference} recorded. It comes into force once another member "
            "of the Senior Management Group confirms it.",
        )
        return HttpResponseRedirect(result.get_absolute_url())

    def get_cancel_url(self):
        return reverse("disputes:exclusion_list")

    def get(self, request, *args, **kwargs):
        if self.editing:
            raise Http404
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        dispute = self.request.GET.get("dispute")
        if dispute and dispute.isdigit() and self.request.method == "GET":
            found = Dispute.objects.restrict(self.request.user).filter(pk=dispute).first()
            if found:
                kwargs["initial"] = {
                    "dispute": found.pk,
                    "organisation": found.contract.provider_id,
                }
        return kwargs


class ExclusionEndView(ExclusionTabs, ObjectActionView):
    permission_action = "change"
    object_action = "change"
    object_field = "exclusion"
    form_class = ExclusionEndForm
    service = services.exclusion_end_early
    title = "End the exclusion early"
    submit_label = "End it"
    warning = True
    success_message = "Exclusion ended."

    def has_object_permission(self):
        return services.may_record_exclusion(self.request.user)


class ExclusionConfirmView(ExclusionTabs, ObjectActionView):
    """A second member of the Senior Management Group confirms a recorded exclusion."""

    permission_action = "change"
    object_action = "change"
    object_field = "exclusion"
    form_class = ExclusionConfirmForm
    service = services.exclusion_confirm
    title = "Confirm the exclusion"
    submit_label = "Confirm the exclusion"
    success_message = "Exclusion confirmed: it is now on the register in force."

    def has_object_permission(self):
        # SMG confirms; the one who recorded it is told why not, by the service.
        return services.may_record_exclusion(self.request.user)

    def get_context_data(self, **kwargs):
        exclusion = self.object
        self.description = (
            f"{exclusion.organisation} would be excluded from tenders from "
            f"{exclusion.start_date:%-d %B %Y} to {exclusion.end_date:%-d %B %Y}, as recorded "
            f"by {exclusion.recorded_by}. Confirm it only if the Senior Management Group "
            "decided it. The person who recorded an exclusion cannot confirm it."
        )
        return super().get_context_data(**kwargs)
