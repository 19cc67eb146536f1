"""URLs of SLAs, the contract checklist, complaints and audits."""

from django.urls import path

from contracts.assurance.views.audits import (
    AuditDetail,
    AuditFormView,
    AuditHistory,
    AuditList,
    AuditTransition,
    ComplaintClose,
    ComplaintDetail,
    ComplaintFormView,
    ComplaintHistory,
    ComplaintList,
    ContractAudits,
    ContractComplaints,
)
from contracts.assurance.views.checklist import (
    ChecklistAddStandard,
    ChecklistCreate,
    ChecklistItemHistory,
    ChecklistList,
    ChecklistRecord,
    ContractChecklist,
)
from contracts.assurance.views.slas import (
    ContractSlas,
    ImprovementCreate,
    SlaAgree,
    SlaCreate,
    SlaDetail,
    SlaHistory,
    SlaList,
    SlaUpdate,
)
from governance.core.record_urls import record_urls

urlpatterns = [
    path("contracts/<int:pk>/sla/", ContractSlas.as_view(), name="contract_slas"),
    path("contracts/<int:parent_pk>/sla/add/", SlaCreate.as_view(), name="sla_create"),
    path("slas/", SlaList.as_view(), name="sla_list"),
    *record_urls("slas", "sla", detail=SlaDetail, update=SlaUpdate, history=SlaHistory),
    path("slas/<int:pk>/agree/", SlaAgree.as_view(), name="sla_agree"),
    path(
        "slas/<int:parent_pk>/improvements/add/",
        ImprovementCreate.as_view(),
        name="improvementplanitem_create",
    ),
    path("contracts/<int:pk>/checklist/", ContractChecklist.as_view(), name="contract_checklist"),
    path(
        "contracts/<int:pk>/checklist/standard/",
        ChecklistAddStandard.as_view(),
        name="checklist_add_standard",
    ),
    path(
        "contracts/<int:parent_pk>/checklist/add/",
        ChecklistCreate.as_view(),
        name="checklistitem_create",
    ),
    path("checklist/", ChecklistList.as_view(), name="checklist_list"),
    path("checklist/<int:pk>/", ChecklistRecord.as_view(), name="checklist_update"),
    path(
        "checklist/<int:pk>/history/",
        ChecklistItemHistory.as_view(),
        name="checklistitem_history",
    ),
    path(
        "contracts/<int:pk>/complaints/", ContractComplaints.as_view(), name="contract_complaints"
    ),
    path(
        "contracts/<int:parent_pk>/complaints/add/",
        ComplaintFormView.as_view(),
        name="complaint_create",
    ),
    path("complaints/", ComplaintList.as_view(), name="complaint_list"),
    *record_urls(
        "complaints",
        "complaint",
        detail=ComplaintDetail,
        update=ComplaintFormView,
        history=ComplaintHistory,
    ),
    path("complaints/<int:pk>/close/", ComplaintClose.as_view(), name="complaint_close"),
    path("contracts/<int:pk>/audits/", ContractAudits.as_view(), name="contract_audits"),
    path("contracts/<int:parent_pk>/audits/add/", AuditFormView.as_view(), name="audit_create"),
    path("audits/", AuditList.as_view(), name="audit_list"),
    *record_urls("audits", "audit", detail=AuditDetail, update=AuditFormView, history=AuditHistory),
    path("audits/<int:pk>/status/<str:to>/", AuditTransition.as_view(), name="audit_transition"),
]
