from .alerts import Alert, Notification
from .core import Document, DocumentCategory, GovernanceUserManager, User, document_upload_to
from .meetings import Action, Decision, Meeting

__all__ = [
    "Action",
    "Alert",
    "Decision",
    "Document",
    "DocumentCategory",
    "GovernanceUserManager",
    "Meeting",
    "Notification",
    "User",
    "document_upload_to",
]
