from django.urls import reverse

from contracts.register import selectors
from contracts.register.filtersets import ContactFilterSet, OrganisationFilterSet
from contracts.register.forms import ContactForm, OrganisationForm
from contracts.register.models.organisations import Contact, Organisation
from contracts.register.services import organisations as services
from governance.core.tables import Column
from governance.core.views.base import (
    ObjectDetailView,
    ObjectDocumentsView,
    ObjectFormView,
    ObjectHistoryView,
    ObjectListView,
    ObjectMixin,
    ObjectPdfView,
    Tab,
    record_tabs,
)

# Organisations ---------------------------------------------------------------


class OrganisationList(ObjectListView):
    model = Organisation
    selector = selectors.organisation_list
    filterset_class = OrganisationFilterSet
    create_url_name = "contracts:organisation_create"
    default_sort = "name"
    columns = [
        Column("Name", "name", sort="name", link=True),
        Column("Type", "kind", sort="kind"),
        Column("Companies House number", "companies_house_number"),
        Column("Email", "email"),
        Column("Telephone", "telephone", in_table=False),
        Column("Current contacts", "contact_count", sort="contact_count", numeric=True),
    ]


class OrganisationTabs(ObjectMixin):
    model = Organisation
    tabs = [
        Tab("Overview", "contracts:organisation_detail"),
        Tab("Contacts", "contracts:organisation_contacts"),
        Tab("History", "contracts:organisation_history"),
        Tab("Documents", "contracts:organisation_documents"),
    ]


class OrganisationDetail(OrganisationTabs, ObjectDetailView):
    template_name = "contracts/organisation_detail.html"


class OrganisationContacts(OrganisationTabs, ObjectDetailView):
    template_name = "contracts/organisation_contacts.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            contacts=self.object.contacts.order_by("-is_active", "name"),
            can_add_contact=self.can("add", Contact) and self.can("change"),
            **kwargs,
        )


class OrganisationHistory(OrganisationTabs, ObjectHistoryView):
    pass


class OrganisationDocuments(OrganisationTabs, ObjectDocumentsView):
    pass


class OrganisationPdf(OrganisationTabs, ObjectPdfView):
    pdf_template_name = "contracts/pdf/organisation.html"

    def get_pdf_context(self):
        return {
            "object": self.object,
            "contacts": self.object.contacts.order_by("-is_active", "name"),
        }

    def get_reference(self):
        return f"ORG-{self.object.pk:05d}"


class OrganisationForm_(ObjectFormView):
    model = Organisation
    form_class = OrganisationForm
    create_service = services.organisation_create
    update_service = services.organisation_update

    def get_cancel_url(self):
        return super().get_cancel_url() or reverse("contracts:organisation_list")


# Contacts ----------------------------------------------------------------------


class ContactList(ObjectListView):
    model = Contact
    selector = selectors.contact_list
    filterset_class = ContactFilterSet
    default_sort = "name"
    columns = [
        Column("Name", "name", sort="name", link=True),
        Column("Organisation", "organisation.name", sort="organisation__name"),
        Column("Role", "role", sort="role"),
        Column("Job title", "job_title", in_table=False),
        Column("Email", "email"),
        Column("Telephone", "telephone", in_table=False),
        Column("Current", "is_active", sort="is_active"),
    ]


class ContactTabs(ObjectMixin):
    model = Contact
    tabs = record_tabs("contracts:contact")

    def prepare_queryset(self, queryset):
        return queryset.select_related("organisation")


class ContactDetail(ContactTabs, ObjectDetailView):
    template_name = "contracts/contact_detail.html"


class ContactHistory(ContactTabs, ObjectHistoryView):
    pass


class ContactForm_(ObjectFormView):
    model = Contact
    form_class = ContactForm
    create_service = services.contact_create
    update_service = services.contact_update

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # Contacts may only be added to organisations the user may change.
        kwargs["organisations"] = Organisation.objects.restrict(self.request.user, "change")
        if not self.editing and "organisation" in self.request.GET:
            kwargs["initial"] = {"organisation": self.request.GET["organisation"]}
        return kwargs

    def get_cancel_url(self):
        return super().get_cancel_url() or reverse("contracts:contact_list")
