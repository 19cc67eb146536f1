from governance.calendars.models import CalendarFeed
from governance.contactlog.models import ContactChannel, ContactDirection, ContactLogEntry
from governance.core.models.access import ReportAccess, ReportKind
from governance.core.models.alerts import Alert, Notification
from governance.core.models.base import (
    Document,
    DocumentCategory,
    GovernanceUserManager,
    User,
    document_upload_to,
)
from governance.core.models.exports import ExportFormat, ExportJob
from governance.core.models.imports import ImportBatch, ImportStatus
from governance.core.models.jobs import ACTIVE_JOB_STATUSES, BackgroundJob, JobStatus
from governance.core.models.tokens import ApiToken
from governance.healthchecks.models import (
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
from governance.meetings.models import Action, Decision, Meeting
from governance.reports.models import PackJob, PackStatus

__all__ = [
    "ACTIVE_JOB_STATUSES",
    "Action",
    "Alert",
    "AnswerScale",
    "ApiToken",
    "Assessment",
    "AssessmentAnswer",
    "BackgroundJob",
    "CalendarFeed",
    "ContactChannel",
    "ContactDirection",
    "ContactLogEntry",
    "Decision",
    "Document",
    "DocumentCategory",
    "ExportFormat",
    "ExportJob",
    "GovernanceUserManager",
    "ImportBatch",
    "ImportStatus",
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
