from .alerts import Alert, Notification
from .contactlog import ContactChannel, ContactDirection, ContactLogEntry
from .core import Document, DocumentCategory, GovernanceUserManager, User, document_upload_to
from .meetings import Action, Decision, Meeting

__all__ = [
    "Action",
    "Alert",
    "ContactChannel",
    "ContactDirection",
    "ContactLogEntry",
    "Decision",
    "Document",
    "DocumentCategory",
    "GovernanceUserManager",
    "Meeting",
    "Notification",
    "User",
    "document_upload_to",
]
