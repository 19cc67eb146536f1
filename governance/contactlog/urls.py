"""URLs of the contact log."""

from django.urls import path

from governance.contactlog.imports import ContactLogImporter
from governance.contactlog.views import (
    ContactFollowUp,
    ContactLogDetail,
    ContactLogDocuments,
    ContactLogFormView,
    ContactLogHistory,
    ContactLogList,
    ContractContactLog,
)
from governance.core.views.imports import import_urls

urlpatterns = [
    path("contact-log/", ContactLogList.as_view(), name="contactlogentry_list"),
    *import_urls("contact-log/import", ContactLogImporter, "contactlogentry"),
    path("contact-log/<int:pk>/", ContactLogDetail.as_view(), name="contactlogentry_detail"),
    path(
        "contact-log/<int:pk>/documents/",
        ContactLogDocuments.as_view(),
        name="contactlogentry_documents",
    ),
    path(
        "contact-log/<int:pk>/history/",
        ContactLogHistory.as_view(),
        name="contactlogentry_history",
    ),
    path("contact-log/<int:pk>/edit/", ContactLogFormView.as_view(), name="contactlogentry_update"),
    path(
        "contact-log/<int:pk>/follow-up/",
        ContactFollowUp.as_view(),
        name="contactlogentry_follow_up",
    ),
    path(
        "contracts/<int:pk>/contact-log/",
        ContractContactLog.as_view(),
        name="contract_contact_log",
    ),
    path(
        "contracts/<int:parent_pk>/contact-log/add/",
        ContactLogFormView.as_view(),
        name="contactlogentry_create",
    ),
]
