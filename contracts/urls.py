from django.urls import path

from contracts.assurance.views import audits as audit_views
from contracts.assurance.views import checklist as checklist_views
from contracts.assurance.views import slas as sla_views
from contracts.exit import views as exit_views
from contracts.overview import views as overview_views
from contracts.performance.views import kpis as kpi_views
from contracts.performance.views import returns as return_views
from contracts.procurement import urls as procurement_urls
from contracts.procurement import views as procurement_views
from contracts.procurement.imports import ContractImporter
from contracts.procurement.ocds import views as ocds_views
from contracts.procurement.payments import views as invoice_views
from contracts.procurement.performance import urls as performance_urls
from contracts.register.views import contracts as contract_views
from contracts.register.views import organisations as views
from governance.core.views.imports import import_urls

contract_patterns = [
    path("contracts/", contract_views.ContractList.as_view(), name="contract_list"),
    *import_urls("contracts/import", ContractImporter, "contract"),
    path(
        "contracts/add/",
        procurement_views.ContractRegistrationView.as_view(),
        name="contract_create",
    ),
    path("contracts/<int:pk>/", overview_views.ContractDetail.as_view(), name="contract_detail"),
    path(
        "contracts/<int:pk>/edit/",
        procurement_views.ContractRegistrationView.as_view(),
        name="contract_update",
    ),
    path(
        "contracts/<int:pk>/history/",
        contract_views.ContractHistory.as_view(),
        name="contract_history",
    ),
    path(
        "contracts/<int:pk>/documents/",
        contract_views.ContractDocuments.as_view(),
        name="contract_documents",
    ),
    path(
        "contracts/<int:pk>/status/<str:to>/",
        contract_views.ContractTransition.as_view(),
        name="contract_transition",
    ),
    path(
        "contracts/<int:pk>/extensions/",
        contract_views.ContractExtensions.as_view(),
        name="contract_extensions",
    ),
    path("extensions/", contract_views.ExtensionList.as_view(), name="extensionoption_list"),
    path(
        "contracts/<int:parent_pk>/extensions/add/",
        contract_views.ExtensionCreate.as_view(),
        name="extensionoption_create",
    ),
    path(
        "extensions/<int:pk>/<str:decision>/",
        contract_views.ExtensionDecision.as_view(),
        name="extensionoption_decide",
    ),
    path(
        "contracts/<int:pk>/variations/",
        contract_views.ContractVariations.as_view(),
        name="contract_variations",
    ),
    path(
        "contracts/<int:parent_pk>/variations/add/",
        contract_views.VariationCreate.as_view(),
        name="variation_create",
    ),
    path("variations/", contract_views.VariationList.as_view(), name="variation_list"),
    path("variations/<int:pk>/", contract_views.VariationDetail.as_view(), name="variation_detail"),
    path(
        "variations/<int:pk>/history/",
        contract_views.VariationHistory.as_view(),
        name="variation_history",
    ),
    path(
        "variations/<int:pk>/<str:decision>/",
        contract_views.VariationDecision.as_view(),
        name="variation_decide",
    ),
]


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
    *contract_patterns,
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
