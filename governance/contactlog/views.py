"""Pages of the contact log: the portfolio list, a contract's contact log tab (with a
warning for concerns whose written follow-up is overdue), each entry's page (overview,
documents, history), logging and correcting a contact, and recording its written
follow-up. The rules live in governance.services.contactlog. Provider users see none of
it: the log is the commissioner's own record."""

import datetime

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

from contracts.register.models.contracts import Contract
from contracts.register.tabs import ContractTabs
from governance.contactlog import selectors, services
from governance.contactlog.forms import ContactLogEntryForm, ContactLogFilterSet, FollowUpForm
from governance.contactlog.models import ContactLogEntry
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


def _on(day: datetime.date) -> str:
    return f"{day:%-d %B %Y}"


def follow_up_text(entry: ContactLogEntry, today: datetime.date | None = None) -> str:
    """Where the written follow-up of a concern stands, in a few words."""
    if not entry.needs_written_follow_up:
        return "Not needed" if entry.is_concern else ""
    if entry.follow_up_sent_on:
        return f"Sent on {_on(entry.follow_up_sent_on)}"
    if entry.follow_up_entry_id:
        return f"By {entry.follow_up_entry.reference}"
    due = entry.follow_up_due_on
    if entry.follow_up_overdue(today):
        return f"Overdue: was due by {_on(due)}"
    return f"Due by {_on(due)}"


def flag_follow_ups(entries) -> list[ContactLogEntry]:
    today = timezone.localdate()
    entries = list(entries)
    for entry in entries:
        entry.follow_up_status = follow_up_text(entry, today)
        entry.follow_up_late = entry.follow_up_overdue(today)
    return entries


def _people(manager) -> str:
    return "; ".join(str(person) for person in manager.all())


def _contact_names(manager) -> str:
    return "; ".join(contact.name for contact in manager.all())


def _local(value):
    return timezone.localtime(value) if value else None


class ContactLogList(ObjectListView):
    model = ContactLogEntry
    selector = selectors.contact_log_list
    filterset_class = ContactLogFilterSet
    template_name = "governance/contactlog/contactlogentry_list.html"
    default_sort = "-occurred_at"
    import_url_name = "governance:contactlogentry_import"
    xlsx_export = True
    title = "Contact log"
    empty_message = "No contacts match."
    columns = [
        Column("Contact", str, link=True),
        Column("Subject", "subject", in_table=False),
        Column("Date and time", lambda e: _local(e.occurred_at), sort="occurred_at"),
        Column("Contract", "contract.reference", sort="contract__reference"),
        Column("Provider", "contract.provider.name", in_table=False),
        Column("How", "channel", sort="channel"),
        Column("Which way", "direction", sort="direction"),
        Column("Concern", "is_concern", sort="is_concern"),
        Column("Written follow-up", follow_up_text),
        Column(
            "Commissioner's people", lambda e: _people(e.commissioner_participants), in_table=False
        ),
        Column(
            "Provider's people", lambda e: _contact_names(e.provider_participants), in_table=False
        ),
        Column("Summary", "summary", in_table=False),
        Column("Logged by", "recorded_by", in_table=False),
    ]


class ContractContactLog(RecordsTab, ContractTabs, ObjectDetailView):
    """The contract's contact log, latest first, with concerns whose written follow-up
    is overdue called out."""

    template_name = "governance/contactlog/contract_contact_log.html"
    records_model = ContactLogEntry

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contract = self.object
        entries = flag_follow_ups(services.contract_contact_log(self.request.user, contract))
        context.update(
            entries=entries,
            overdue=[entry for entry in entries if entry.follow_up_late],
            may_log=services.may_log(self.request.user, contract),
            log_url=f"{reverse('governance:contactlogentry_list')}?contract={contract.reference}",
        )
        return context


class ContactLogTabs(ObjectMixin):
    model = ContactLogEntry
    tabs = record_tabs("governance:contactlogentry", documents=True)

    def prepare_queryset(self, queryset):
        return queryset.select_related(
            "contract", "contract__provider", "meeting", "recorded_by", "follow_up_entry"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entry = self.object
        context.update(
            object_template="governance/contactlog/contactlogentry_base.html",
            follow_up_status=follow_up_text(entry),
            follow_up_late=entry.follow_up_overdue(),
            may_follow_up=context["can_change"] and entry.needs_written_follow_up,
        )
        return context


class ContactLogDetail(ContactLogTabs, ObjectDetailView):
    template_name = "governance/contactlog/contactlogentry_detail.html"

    def prepare_queryset(self, queryset):
        return (
            super()
            .prepare_queryset(queryset)
            .prefetch_related("commissioner_participants", "provider_participants", "follows_up")
        )


class ContactLogDocuments(ContactLogTabs, ObjectDocumentsView):
    pass


class ContactLogHistory(ContactLogTabs, ObjectHistoryView):
    pass


class ContactLogFormView(ChildFormView):
    """Logs a contact with the provider of a contract (``parent_pk``) or corrects an
    entry (``pk``)."""

    model = ContactLogEntry
    parent_model = Contract
    parent_tab = "governance:contract_contact_log"
    form_class = ContactLogEntryForm
    create_service = services.contact_log_record
    update_service = services.contact_log_update
    template_name = "governance/contactlog/contactlogentry_form.html"

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "contract": self.parent}
        if not self.editing:
            kwargs["initial"] = {
                "occurred_at": timezone.localdate(),
                "commissioner_participants": [self.request.user.pk],
            }
        return kwargs

    def get_title(self):
        if self.editing:
            return f"Correct {self.object_label}"
        return f"Log a contact with {self.parent.provider}"

    def success(self, result):
        if self.editing:
            return super().success(result)
        if result.needs_written_follow_up:
            messages.warning(
                self.request,
                f"Contact {result.reference} logged. The concern needs a written summary to "
                f"the provider by {_on(result.follow_up_due_on)}: record it here once sent.",
            )
        else:
            messages.success(self.request, f"Contact {result.reference} logged.")
        return HttpResponseRedirect(result.get_absolute_url())


class ContactFollowUp(ContactLogTabs, ObjectActionView):
    permission_action = "change"
    object_action = "change"
    form_class = FollowUpForm
    service = services.contact_follow_up_record
    object_field = "entry"
    title = "Record the written follow-up"
    submit_label = "Record the follow-up"
    success_message = "Written follow-up recorded."

    def get(self, request, *args, **kwargs):
        if not self.object.needs_written_follow_up:
            messages.info(
                request,
                "This contact needs no written follow-up: only a concern raised by phone, "
                "video, in person or in a meeting not in the meetings log does.",
            )
            return HttpResponseRedirect(self.object.get_absolute_url())
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "entry": self.object}

    def get_context_data(self, **kwargs):
        entry = self.object
        self.description = (
            f"The concern was raised by {entry.get_channel_display().lower()} on "
            f"{_on(entry.occurred_on)}. Record the date the written summary was emailed to "
            "the provider, or choose the email or letter in the log that followed it up."
        )
        return super().get_context_data(**kwargs)
