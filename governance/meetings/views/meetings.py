"""Pages of meetings, their decisions, and actions: a contract's meetings and actions
tabs, the portfolio lists, each record's page and history, and the signed-in user's
own actions. The rules live in governance.services.meetings."""

from collections import Counter
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from contracts.assurance.models.audits import Audit
from contracts.assurance.models.slas import ImprovementPlanItem
from contracts.assurance.services.audits import recommendation_lines
from contracts.register.models.contracts import Contract
from contracts.register.tabs import ContractTabs
from governance.core import deadlines
from governance.core.ical import build_calendar, calendar_response
from governance.core.permissions import officer_may
from governance.core.tables import Column, deadline_columns
from governance.core.views.base import (
    ChildFormView,
    ObjectActionView,
    ObjectDetailView,
    ObjectDocumentsView,
    ObjectFormView,
    ObjectHistoryView,
    ObjectListView,
    ObjectMixin,
    record_tabs,
)
from governance.core.views.records_tab import RecordsTab
from governance.core.wording import datetime_words
from governance.meetings import selectors
from governance.meetings.choices import ActionSource, MeetingKind, MeetingStatus
from governance.meetings.filtersets import ActionFilterSet, MeetingFilterSet
from governance.meetings.forms.meetings import (
    ActionRaiseForm,
    ActionUpdateForm,
    DecisionForm,
    MeetingCancelForm,
    MeetingForm,
    MinutesForm,
)
from governance.meetings.models import Action, Decision, Meeting
from governance.meetings.services import meetings as services


def raise_action_url(contract_id: int, source: str = "", source_id=None, line=None) -> str:
    """The pre-filled form that raises an action from a meeting, an audit's
    recommendation (``line``, counted from 1) or an improvement plan item."""
    url = reverse("governance:action_create", args=[contract_id])
    query = {
        key: value
        for key, value in (("source", source), ("source_id", source_id), ("line", line))
        if value not in (None, "")
    }
    return f"{url}?{urlencode(query)}" if query else url


def _local(value):
    return timezone.localtime(value) if value else None


def flag_overdue(actions) -> list[Action]:
    today = timezone.localdate()
    actions = list(actions)
    for action in actions:
        action.overdue = services.is_overdue(action, today)
    return actions


def overdue_text(action: Action) -> str:
    return "Overdue" if services.is_overdue(action) else ""


# -- Meetings -----------------------------------------------------------------------------


class ContractMeetings(RecordsTab, ContractTabs, ObjectDetailView):
    """The contract's meetings tab: upcoming first, then those held or cancelled."""

    template_name = "governance/meetings/contract_meetings.html"
    records_model = Meeting

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contract = self.object
        meetings = list(contract.meetings.select_related("chair").order_by("-starts_at"))
        may_schedule = (
            officer_may(self.request.user, contract, Meeting, "add")
            and contract.status in services.MEETING_CONTRACT_STATUSES
        )
        create_url = reverse("governance:meeting_create", args=[contract.pk])
        context.update(
            upcoming=[m for m in meetings if m.status == MeetingStatus.SCHEDULED][::-1],
            past=[m for m in meetings if m.status != MeetingStatus.SCHEDULED],
            may_schedule=may_schedule,
            schedule_links=[
                {"label": label, "url": f"{create_url}?kind={kind}"}
                for kind, label in MeetingKind.choices
            ],
        )
        return context


class MeetingList(ObjectListView):
    model = Meeting
    selector = selectors.meeting_list
    filterset_class = MeetingFilterSet
    default_sort = "-starts_at"
    title = "Meetings"
    empty_message = "No meetings match."
    columns = [
        Column("Meeting", str, link=True),
        Column("Contract", "contract.reference", sort="contract__reference"),
        Column("Contract title", "contract.title", in_table=False),
        Column("Provider", "contract.provider.name", sort="contract__provider__name"),
        Column("Date and time", lambda m: _local(m.starts_at), sort="starts_at"),
        Column("Kind", "kind", sort="kind", in_table=False),
        Column("Status", "status", sort="status"),
        Column("Chair", "chair"),
        Column("Where", "location", in_table=False),
    ]


class MeetingTabs(ObjectMixin):
    model = Meeting
    tabs = record_tabs("governance:meeting", documents=True)

    def prepare_queryset(self, queryset):
        return queryset.select_related(
            "contract", "contract__provider", "contract__lead_officer", "chair", "note_taker"
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            contract=self.object.contract,
            object_template="governance/meetings/meeting_base.html",
            **kwargs,
        )


class MeetingInvitation(MeetingTabs, View):
    """The meeting as an iCalendar file, to add to a calendar application."""

    def get(self, request, *args, **kwargs):
        calendar = build_calendar(
            [selectors.meeting_occasion(self.object)],
            name=str(self.object),
            base_url=request.build_absolute_uri("/"),
            method="PUBLISH",
        )
        return calendar_response(
            calendar, filename=f"meeting-{self.object.pk}.ics", attachment=True
        )


class MeetingDetail(MeetingTabs, ObjectDetailView):
    template_name = "governance/meetings/meeting_detail.html"

    def prepare_queryset(self, queryset):
        return (
            super().prepare_queryset(queryset).prefetch_related("attendees", "provider_attendees")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting, user = self.object, self.request.user
        officer = context["can_change"]
        held = meeting.status == MeetingStatus.HELD
        open_ = meeting.status != MeetingStatus.CANCELLED
        may_see_decisions = self.can("view", Decision)
        context.update(
            agenda=services.agenda_lines(meeting.agenda),
            overview=services.complaints_overview(meeting),
            may_see_decisions=may_see_decisions,
            decisions=list(meeting.decisions.all()) if may_see_decisions else [],
            actions=flag_overdue(services.actions_from(meeting, user)),
            may_edit=officer and open_,
            may_record_minutes=officer and open_,
            may_cancel=officer and meeting.status == MeetingStatus.SCHEDULED,
            may_decide=officer and held and self.can("add", Decision),
            may_raise_action=open_ and officer_may(user, meeting.contract, Action, "add"),
            raise_action_url=raise_action_url(
                meeting.contract_id, ActionSource.MEETING, meeting.pk
            ),
        )
        return context


class MeetingDocuments(MeetingTabs, ObjectDocumentsView):
    pass


class MeetingHistory(MeetingTabs, ObjectHistoryView):
    pass


class MeetingFormView(ChildFormView):
    """Schedules a meeting of a contract (``parent_pk``) or changes one (``pk``)."""

    model = Meeting
    parent_model = Contract
    parent_tab = "governance:contract_meetings"
    form_class = MeetingForm
    create_service = services.meeting_schedule
    update_service = services.meeting_update
    template_name = "governance/meetings/meeting_form.html"

    def get(self, request, *args, **kwargs):
        if self.editing and self.object.status == MeetingStatus.CANCELLED:
            messages.error(request, "This meeting was cancelled and can no longer be changed.")
            return HttpResponseRedirect(self.object.get_absolute_url())
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "contract": self.parent}
        if self.editing:
            return kwargs
        # The deputy officer and the provider's contract manager attend where possible.
        initial = {
            "attendees": [pk for pk in (self.parent.deputy_officer_id,) if pk],
            "provider_attendees": [pk for pk in (self.parent.provider_contract_manager_id,) if pk],
        }
        kind = self.request.GET.get("kind")
        if kind in MeetingKind.values:
            initial.update(kind=kind, agenda=services.default_agenda(kind))
        kwargs["initial"] = initial
        return kwargs

    def success(self, result):
        if self.editing:
            return super().success(result)
        messages.success(self.request, f"Meeting scheduled: {result}.")
        return HttpResponseRedirect(result.get_absolute_url())

    def get_title(self):
        if self.editing:
            return f"Change the meeting: {self.object_label}"
        return f"Schedule a meeting of {self.parent.reference}"


class MeetingMinutes(MeetingTabs, ObjectActionView):
    permission_action = "change"
    object_action = "change"
    form_class = MinutesForm
    service = services.meeting_record_minutes
    object_field = "meeting"
    submit_label = "Save the minutes"
    success_message = "Minutes saved."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "meeting": self.object}

    def get_context_data(self, **kwargs):
        self.title = (
            "Correct the minutes" if self.object.status == MeetingStatus.HELD else "Record minutes"
        )
        self.description = (
            f"{self.object}, {datetime_words(self.object.starts_at)}. Saving the "
            "minutes marks the meeting as held unless you keep them as a draft."
        )
        return super().get_context_data(**kwargs)


class MeetingCancel(MeetingTabs, ObjectActionView):
    permission_action = "change"
    object_action = "change"
    form_class = MeetingCancelForm
    service = services.meeting_cancel
    object_field = "meeting"
    title = "Cancel the meeting"
    submit_label = "Cancel the meeting"
    success_message = "Meeting cancelled."
    warning = True
    description = "The meeting stays on the record as cancelled, with your reason."


# -- Decisions ----------------------------------------------------------------------------


class DecisionCreate(ChildFormView):
    """Records a decision taken in a held meeting."""

    model = Decision
    parent_model = Meeting
    parent_field = "meeting"
    form_class = DecisionForm
    create_service = services.decision_raise
    template_name = "governance/meetings/decision_form.html"

    def get(self, request, *args, **kwargs):
        if self.parent.status != MeetingStatus.HELD:
            messages.error(
                request,
                "Decisions are recorded once the meeting has been held: record its minutes first.",
            )
            return HttpResponseRedirect(self.parent.get_absolute_url())
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["initial"] = {
            "decided_on": _local(self.parent.starts_at).date(),
            "decided_by": str(self.parent.chair),
        }
        return kwargs

    def get_title(self):
        return "Record a decision"

    def success(self, result):
        # Back to the meeting, where the next decision or action is recorded.
        messages.success(self.request, f"Decision {result.reference} recorded.")
        return HttpResponseRedirect(self.parent.get_absolute_url())


# -- Actions ------------------------------------------------------------------------------


def _source_label(action: Action) -> str:
    return action.get_source_display()


ACTION_COLUMNS = [
    Column("Action", "description", link=True),
    Column("Contract", "contract.reference", sort="contract__reference"),
    Column("Owner", "owner", sort="owner__last_name"),
    Column("Raised", "raised_on", sort="raised_on", in_table=False),
    *deadline_columns(
        "Due date",
        "due_on",
        deadlines.ACTION,
        sort="due_on",
        applies=lambda action: action.is_open,
    ),
    Column("Status", "status", sort="status"),
    Column("Overdue", overdue_text, in_table=False),
    Column("Comes from", _source_label, sort="source"),
    Column("Completed", "completed_on", in_table=False),
    Column("Outcome", "outcome", in_table=False),
]


class ActionList(ObjectListView):
    model = Action
    selector = selectors.action_list
    filterset_class = ActionFilterSet
    title = "Actions"
    empty_message = "No actions match."
    columns = ACTION_COLUMNS

    def default_ordering(self):
        """Missed first, then due soon, then coming up; done or cancelled last."""
        return deadlines.ordering(
            "due_on", today=timezone.localdate(), kind=deadlines.ACTION, open_q=services.ACTION_OPEN
        )


class MyActions(TemplateView):
    """The signed-in user's own actions, whatever their role: open ones first, soonest
    due, with those overdue flagged."""

    template_name = "governance/meetings/my_actions.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        actions = flag_overdue(services.my_actions(self.request.user))
        open_actions = [a for a in actions if a.is_open]
        for action in open_actions:
            action.deadline = deadlines.classify(action.due_on, today=today, kind=deadlines.ACTION)
        by_state = Counter(a.deadline.state for a in open_actions)
        return super().get_context_data(
            title="My actions",
            open_actions=open_actions,
            # Missed first, then due soon, then coming up: already soonest due first.
            open_groups=deadlines.group(
                open_actions,
                state_of=lambda a: a.deadline.state,
                counts={state: by_state[state] for state in deadlines.State},
            ),
            closed_actions=[a for a in actions if not a.is_open],
            overdue=sum(a.overdue for a in open_actions),
            **kwargs,
        )


class ContractActions(RecordsTab, ContractTabs, ObjectDetailView):
    template_name = "governance/meetings/contract_actions.html"
    records_model = Action

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contract, user = self.object, self.request.user
        actions = flag_overdue(
            services.open_first(
                Action.objects.restrict(user, "view")
                .filter(contract=contract)
                .select_related("owner")
            )
        )
        context.update(
            actions=actions,
            overdue=sum(a.overdue for a in actions),
            may_raise=officer_may(user, contract, Action, "add"),
            raise_url=raise_action_url(contract.pk),
        )
        return context


class ActionTabs(ObjectMixin):
    model = Action
    tabs = record_tabs("governance:action")

    def prepare_queryset(self, queryset):
        return queryset.select_related("contract", "contract__provider", "owner", "source_type")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            object_template="governance/meetings/action_base.html",
            overdue=services.is_overdue(self.object),
            **kwargs,
        )


class ActionDetail(ActionTabs, ObjectDetailView):
    template_name = "governance/meetings/action_detail.html"

    def get_context_data(self, **kwargs):
        source = self.object.source_record if self.object.source_id else None
        return super().get_context_data(source=source, **kwargs)


class ActionHistory(ActionTabs, ObjectHistoryView):
    pass


class ActionCreate(ChildFormView):
    """Raises an action on a contract, pre-filled from where it comes from."""

    model = Action
    parent_model = Contract
    form_class = ActionRaiseForm
    create_service = services.action_raise
    template_name = "governance/meetings/action_form.html"

    def load_objects(self):
        super().load_objects()
        form = ActionRaiseForm(contract=self.parent, require_reason=False)
        params = self.request.GET
        source = params.get("source", "")
        self.source_record = None
        if source in services.SOURCE_MODELS and params.get("source_id", "").isdigit():
            self.source_record = form.source_record(source, int(params["source_id"]))
        self.source = source if self.source_record is not None else ActionSource.OTHER

    def prefill(self) -> dict:
        initial = {"source": self.source}
        record = self.source_record
        if record is None:
            return initial
        initial["source_id"] = record.pk
        line = self.request.GET.get("line", "")
        if isinstance(record, Audit) and line.isdigit():
            lines = recommendation_lines(record)
            if 1 <= int(line) <= len(lines):
                initial["description"] = lines[int(line) - 1]
        elif isinstance(record, ImprovementPlanItem):
            initial["description"] = f"{record.description} Target: {record.target}."
            if record.due_date >= timezone.localdate():
                initial["due_on"] = record.due_date
        return initial

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "contract": self.parent}
        kwargs["initial"] = self.prefill()
        return kwargs

    def get_title(self):
        return f"Raise an action on {self.parent.reference}"

    def success(self, result):
        # Back to where it came from, where the next action is usually raised.
        messages.success(self.request, f"Action raised and given to {result.owner}.")
        return HttpResponseRedirect(
            self.source_record.get_absolute_url()
            if self.source_record is not None
            else result.get_absolute_url()
        )

    def get_cancel_url(self):
        if self.source_record is not None:
            return self.source_record.get_absolute_url()
        return reverse("governance:contract_actions", args=[self.parent.pk])

    def get_context_data(self, **kwargs):
        return super().get_context_data(source_record=self.source_record, **kwargs)


class ActionUpdate(ObjectFormView):
    model = Action
    form_class = ActionUpdateForm
    update_service = services.action_update
    template_name = "governance/meetings/action_form.html"

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "may_manage": services.may_manage_action(self.request.user, self.object),
        }

    def get_title(self):
        return "Update the action"
