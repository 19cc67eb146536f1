"""URLs of decisions, meetings and actions."""

from django.urls import path

from governance.meetings.views.decisions import (
    ContractDecisions,
    DecisionDetail,
    DecisionDocuments,
    DecisionFormView,
    DecisionHistory,
    DecisionList,
    DecisionSupersede,
    DecisionTransition,
)
from governance.meetings.views.meetings import (
    ActionCreate,
    ActionDetail,
    ActionHistory,
    ActionList,
    ActionUpdate,
    ContractActions,
    ContractMeetings,
    DecisionCreate,
    MeetingCancel,
    MeetingDetail,
    MeetingDocuments,
    MeetingFormView,
    MeetingHistory,
    MeetingList,
    MeetingMinutes,
    MyActions,
)

urlpatterns = [
    path("decisions/", DecisionList.as_view(), name="decision_list"),
    path("decisions/add/", DecisionFormView.as_view(), name="portfolio_decision_create"),
    path("decisions/<int:pk>/", DecisionDetail.as_view(), name="decision_detail"),
    path("decisions/<int:pk>/documents/", DecisionDocuments.as_view(), name="decision_documents"),
    path("decisions/<int:pk>/history/", DecisionHistory.as_view(), name="decision_history"),
    path("decisions/<int:pk>/edit/", DecisionFormView.as_view(), name="decision_update"),
    path("decisions/<int:pk>/decide/", DecisionTransition.as_view(), name="decision_transition"),
    path("decisions/<int:pk>/supersede/", DecisionSupersede.as_view(), name="decision_supersede"),
    path("contracts/<int:pk>/decisions/", ContractDecisions.as_view(), name="contract_decisions"),
    path(
        "contracts/<int:parent_pk>/decisions/add/",
        DecisionFormView.as_view(),
        name="contract_decision_create",
    ),
    path("contracts/<int:pk>/meetings/", ContractMeetings.as_view(), name="contract_meetings"),
    path(
        "contracts/<int:parent_pk>/meetings/add/",
        MeetingFormView.as_view(),
        name="meeting_create",
    ),
    path("meetings/", MeetingList.as_view(), name="meeting_list"),
    path("meetings/<int:pk>/", MeetingDetail.as_view(), name="meeting_detail"),
    path("meetings/<int:pk>/edit/", MeetingFormView.as_view(), name="meeting_update"),
    path("meetings/<int:pk>/minutes/", MeetingMinutes.as_view(), name="meeting_minutes"),
    path("meetings/<int:pk>/cancel/", MeetingCancel.as_view(), name="meeting_cancel"),
    path("meetings/<int:pk>/documents/", MeetingDocuments.as_view(), name="meeting_documents"),
    path("meetings/<int:pk>/history/", MeetingHistory.as_view(), name="meeting_history"),
    path(
        "meetings/<int:parent_pk>/decisions/add/",
        DecisionCreate.as_view(),
        name="decision_create",
    ),
    path("contracts/<int:pk>/actions/", ContractActions.as_view(), name="contract_actions"),
    path("contracts/<int:parent_pk>/actions/add/", ActionCreate.as_view(), name="action_create"),
    path("actions/", ActionList.as_view(), name="action_list"),
    path("actions/mine/", MyActions.as_view(), name="my_actions"),
    path("actions/<int:pk>/", ActionDetail.as_view(), name="action_detail"),
    path("actions/<int:pk>/edit/", ActionUpdate.as_view(), name="action_update"),
    path("actions/<int:pk>/history/", ActionHistory.as_view(), name="action_history"),
]
