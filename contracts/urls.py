from django.urls import path

from .procurement import urls as procurement_urls
from .procurement.ocds import views as ocds_views
from .procurement.payments import views as invoice_views
from .procurement.performance import urls as performance_urls
from .views import audits as audit_views
from .views import checklist as checklist_views
from .views import contracts as contract_views
from .views import exit as exit_views
from .views import kpis as kpi_views
from .views import organisations as views
from .views import returns as return_views
from .views import slas as sla_views

app_name = "contracts"

organisation_patterns = [
    path("organisations/", views.OrganisationList.as_view(), name="organisation_list"),
    path("organisations/add/", views.OrganisationForm_.as_view(), name="organisation_create"),
    path("organisations/<int:pk>/", views.OrganisationDetail.as_view(), name="organisation_detail"),
    path(
        "organisations/<int:pk>/edit/",
        views.OrganisationForm_.as_view(),
        name="organisation_update",
    ),
    path(
        "organisations/<int:pk>/contacts/",
        views.OrganisationContacts.as_view(),
        name="organisation_contacts",
    ),
    path(
        "organisations/<int:pk>/history/",
        views.OrganisationHistory.as_view(),
        name="organisation_history",
    ),
    path(
        "organisations/<int:pk>/documents/",
        views.OrganisationDocuments.as_view(),
        name="organisation_documents",
    ),
    path("organisations/<int:pk>/pdf/", views.OrganisationPdf.as_view(), name="organisation_pdf"),
    path("contacts/", views.ContactList.as_view(), name="contact_list"),
    path("contacts/add/", views.ContactForm_.as_view(), name="contact_create"),
    path("contacts/<int:pk>/", views.ContactDetail.as_view(), name="contact_detail"),
    path("contacts/<int:pk>/edit/", views.ContactForm_.as_view(), name="contact_update"),
    path("contacts/<int:pk>/history/", views.ContactHistory.as_view(), name="contact_history"),
]

urlpatterns = [
    *organisation_patterns,
    *contract_views.urlpatterns,
    *sla_views.urlpatterns,
    *checklist_views.urlpatterns,
    *kpi_views.urlpatterns,
    *return_views.urlpatterns,
    *audit_views.urlpatterns,
    *exit_views.urlpatterns,
    *procurement_urls.urlpatterns,
    *invoice_views.urlpatterns,
    *ocds_views.urlpatterns,
    *performance_urls.urlpatterns,
]
