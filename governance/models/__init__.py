from .alerts import Alert, Notification
from .contactlog import ContactChannel, ContactDirection, ContactLogEntry
from .core import Document, DocumentCategory, GovernanceUserManager, User, document_upload_to
from .exports import ExportFormat, ExportJob
from .healthchecks import (
    AnswerScale,
    Assessment,
    AssessmentAnswer,
    Question,
    QuestionArea,
    QuestionnaireKind,
    QuestionnaireTemplate,
    Side,
    SideStatus,
    TemplateVersion,
)
from .jobs import ACTIVE_JOB_STATUSES, BackgroundJob, JobStatus
from .meetings import Action, Decision, Meeting
from .reports import PackJob, PackStatus, ReportAccess, ReportKind

__all__ = [
    "ACTIVE_JOB_STATUSES",
    "Action",
    "Alert",
    "AnswerScale",
    "Assessment",
    "AssessmentAnswer",
    "BackgroundJob",
    "ContactChannel",
    "ContactDirection",
    "ContactLogEntry",
    "Decision",
    "Document",
    "DocumentCategory",
    "ExportFormat",
    "ExportJob",
    "GovernanceUserManager",
    "JobStatus",
    "Meeting",
    "Notification",
    "PackJob",
    "PackStatus",
    "Question",
    "QuestionArea",
    "QuestionnaireKind",
    "QuestionnaireTemplate",
    "ReportAccess",
    "ReportKind",
    "Side",
    "SideStatus",
    "TemplateVersion",
    "User",
    "document_upload_to",
]
