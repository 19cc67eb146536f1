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

urlpatterns = [
    path("contracts/<int:pk>/sla/", ContractSlas.as_view(), name="contract_slas"),
    path("contracts/<int:parent_pk>/sla/add/", SlaCreate.as_view(), name="sla_create"),
    path("slas/", SlaList.as_view(), name="sla_list"),
    path("slas/<int:pk>/", SlaDetail.as_view(), name="sla_detail"),
    path("slas/<int:pk>/history/", SlaHistory.as_view(), name="sla_history"),
    path("slas/<int:pk>/edit/", SlaUpdate.as_view(), name="sla_update"),
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
    path("complaints/<int:pk>/", ComplaintDetail.as_view(), name="complaint_detail"),
    path("complaints/<int:pk>/edit/", ComplaintFormView.as_view(), name="complaint_update"),
    path("complaints/<int:pk>/close/", ComplaintClose.as_view(), name="complaint_close"),
    path("complaints/<int:pk>/history/", ComplaintHistory.as_view(), name="complaint_history"),
    path("contracts/<int:pk>/audits/", ContractAudits.as_view(), name="contract_audits"),
    path("contracts/<int:parent_pk>/audits/add/", AuditFormView.as_view(), name="audit_create"),
    path("audits/", AuditList.as_view(), name="audit_list"),
    path("audits/<int:pk>/", AuditDetail.as_view(), name="audit_detail"),
    path("audits/<int:pk>/edit/", AuditFormView.as_view(), name="audit_update"),
    path("audits/<int:pk>/history/", AuditHistory.as_view(), name="audit_history"),
    path("audits/<int:pk>/status/<str:to>/", AuditTransition.as_view(), name="audit_transition"),
]
