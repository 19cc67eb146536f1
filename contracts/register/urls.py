"""URLs of the register: organisations, contacts, contracts, extension options and
variations."""

from django.urls import path

from contracts.register.views import contracts, organisations

organisation_patterns = [
    path("organisations/", organisations.OrganisationList.as_view(), name="organisation_list"),
    path(
        "organisations/add/", organisations.OrganisationForm_.as_view(), name="organisation_create"
    ),
    path(
        "organisations/<int:pk>/",
        organisations.OrganisationDetail.as_view(),
        name="organisation_detail",
    ),
    path(
        "organisations/<int:pk>/edit/",
        organisations.OrganisationForm_.as_view(),
        name="organisation_update",
    ),
    path(
        "organisations/<int:pk>/contacts/",
        organisations.OrganisationContacts.as_view(),
        name="organisation_contacts",
    ),
    path(
        "organisations/<int:pk>/history/",
        organisations.OrganisationHistory.as_view(),
        name="organisation_history",
    ),
    path(
        "organisations/<int:pk>/documents/",
        organisations.OrganisationDocuments.as_view(),
        name="organisation_documents",
    ),
    path(
        "organisations/<int:pk>/pdf/",
        organisations.OrganisationPdf.as_view(),
        name="organisation_pdf",
    ),
    path("contacts/", organisations.ContactList.as_view(), name="contact_list"),
    path("contacts/add/", organisations.ContactForm_.as_view(), name="contact_create"),
    path("contacts/<int:pk>/", organisations.ContactDetail.as_view(), name="contact_detail"),
    path("contacts/<int:pk>/edit/", organisations.ContactForm_.as_view(), name="contact_update"),
    path(
        "contacts/<int:pk>/history/", organisations.ContactHistory.as_view(), name="contact_history"
    ),
]

contract_patterns = [
    path("contracts/", contracts.ContractList.as_view(), name="contract_list"),
    path(
        "contracts/<int:pk>/history/",
        contracts.ContractHistory.as_view(),
        name="contract_history",
    ),
    path(
        "contracts/<int:pk>/documents/",
        contracts.ContractDocuments.as_view(),
        name="contract_documents",
    ),
    path(
        "contracts/<int:pk>/status/<str:to>/",
        contracts.ContractTransition.as_view(),
        name="contract_transition",
    ),
    path(
        "contracts/<int:pk>/extensions/",
        contracts.ContractExtensions.as_view(),
        name="contract_extensions",
    ),
    path("extensions/", contracts.ExtensionList.as_view(), name="extensionoption_list"),
    path(
        "contracts/<int:parent_pk>/extensions/add/",
        contracts.ExtensionCreate.as_view(),
        name="extensionoption_create",
    ),
    path(
        "extensions/<int:pk>/<str:decision>/",
        contracts.ExtensionDecision.as_view(),
        name="extensionoption_decide",
    ),
    path(
        "contracts/<int:pk>/variations/",
        contracts.ContractVariations.as_view(),
        name="contract_variations",
    ),
    path(
        "contracts/<int:parent_pk>/variations/add/",
        contracts.VariationCreate.as_view(),
        name="variation_create",
    ),
    path("variations/", contracts.VariationList.as_view(), name="variation_list"),
    path("variations/<int:pk>/", contracts.VariationDetail.as_view(), name="variation_detail"),
    path(
        "variations/<int:pk>/history/",
        contracts.VariationHistory.as_view(),
        name="variation_history",
    ),
    path(
        "variations/<int:pk>/<str:decision>/",
        contracts.VariationDecision.as_view(),
        name="variation_decide",
    ),
]


urlpatterns = [*organisation_patterns, *contract_patterns]
