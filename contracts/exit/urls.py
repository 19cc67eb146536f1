"""URLs of exit: the notice of plans, exit plans, termination, service transfer and the
post-contract review."""

from django.urls import path

from contracts.exit.views import (
    ContractExit,
    ContractsEndingList,
    ExitNoticeCreate,
    ExitPlanCreate,
    ExitPlanDetail,
    ExitPlanHistory,
    ExitPlanTransition,
    ExitPlanUpdate,
    ExitRiskCreate,
    ExitTaskCreate,
    ExitTaskUpdate,
    LessonsLearnedList,
    PostContractReviewCreate,
    PostContractReviewDetail,
    PostContractReviewHistory,
    PostContractReviewUpdate,
    TerminationNoticeCreate,
    TransferPlanDetail,
    TransferPlanHistory,
    TransferPlanStep,
    TransferPlanUpdate,
)

urlpatterns = [
    path("contracts/<int:pk>/exit/", ContractExit.as_view(), name="contract_exit"),
    path(
        "contracts/<int:parent_pk>/exit/notice/",
        ExitNoticeCreate.as_view(),
        name="exitnotice_create",
    ),
    path("contracts/<int:parent_pk>/exit/plan/", ExitPlanCreate.as_view(), name="exitplan_create"),
    path(
        "contracts/<int:parent_pk>/exit/termination/",
        TerminationNoticeCreate.as_view(),
        name="terminationnotice_create",
    ),
    path(
        "contracts/<int:parent_pk>/exit/review/",
        PostContractReviewCreate.as_view(),
        name="postcontractreview_create",
    ),
    path("exit-plans/<int:pk>/", ExitPlanDetail.as_view(), name="exitplan_detail"),
    path("exit-plans/<int:pk>/edit/", ExitPlanUpdate.as_view(), name="exitplan_update"),
    path("exit-plans/<int:pk>/history/", ExitPlanHistory.as_view(), name="exitplan_history"),
    path(
        "exit-plans/<int:pk>/status/<str:to>/",
        ExitPlanTransition.as_view(),
        name="exitplan_transition",
    ),
    path("exit-plans/<int:parent_pk>/tasks/add/", ExitTaskCreate.as_view(), name="exittask_create"),
    path(
        "exit-plans/<int:parent_pk>/risks/add/",
        ExitRiskCreate.as_view(),
        name="exitplan_risk_create",
    ),
    path("exit-tasks/<int:pk>/edit/", ExitTaskUpdate.as_view(), name="exittask_update"),
    path("transfer-plans/<int:pk>/", TransferPlanDetail.as_view(), name="transferplan_detail"),
    path(
        "transfer-plans/<int:pk>/edit/",
        TransferPlanUpdate.as_view(),
        name="transferplan_update",
    ),
    path(
        "transfer-plans/<int:pk>/history/",
        TransferPlanHistory.as_view(),
        name="transferplan_history",
    ),
    path(
        "transfer-plans/<int:pk>/<str:action>/",
        TransferPlanStep.as_view(),
        name="transferplan_step",
    ),
    path(
        "post-contract-reviews/<int:pk>/",
        PostContractReviewDetail.as_view(),
        name="postcontractreview_detail",
    ),
    path(
        "post-contract-reviews/<int:pk>/edit/",
        PostContractReviewUpdate.as_view(),
        name="postcontractreview_update",
    ),
    path(
        "post-contract-reviews/<int:pk>/history/",
        PostContractReviewHistory.as_view(),
        name="postcontractreview_history",
    ),
    path("contracts-ending/", ContractsEndingList.as_view(), name="contracts_ending"),
    path("lessons-learned/", LessonsLearnedList.as_view(), name="postcontractreview_list"),
]
