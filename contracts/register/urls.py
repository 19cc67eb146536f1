"""URLs of the register: organisations, contacts, contracts, extension options and
variations."""

from django.urls import path

from contracts.register.views import contracts, organisations
from governance.core.record_urls import record_urls

organisation_patterns = [
    path("organisations/", organisations.OrganisationList.as_view(), name="organisation_list"),
    path(
        "organisations/add/", organisations.OrganisationForm_.as_view(), name="organisation_create"
    ),
    *record_urls(
        "organisations",
        "organisation",
        detail=organisations.OrganisationDetail,
        update=organisations.OrganisationForm_,
        history=organisations.OrganisationHistory,
    ),
    path(
        "organisations/<int:pk>/contacts/",
        organisations.OrganisationContacts.as_view(),
        name="organisation_contacts",
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
    *record_urls(
        "contacts",
        "contact",
        detail=organisations.ContactDetail,
        update=organisations.ContactForm_,
        history=organisations.ContactHistory,
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
    *record_urls(
        "variations",
        "variation",
        detail=contracts.VariationDetail,
        history=contracts.VariationHistory,
    ),
    path(
        "variations/<int:pk>/<str:decision>/",
        contracts.VariationDecision.as_view(),
        name="variation_decide",
    ),
]


urlpatterns = [*organisation_patterns, *contract_patterns]
