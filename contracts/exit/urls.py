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
from governance.core.record_urls import record_urls

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
    *record_urls(
        "exit-plans",
        "exitplan",
        detail=ExitPlanDetail,
        update=ExitPlanUpdate,
        history=ExitPlanHistory,
    ),
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
    *record_urls(
        "transfer-plans",
        "transferplan",
        detail=TransferPlanDetail,
        update=TransferPlanUpdate,
        history=TransferPlanHistory,
    ),
    path(
        "transfer-plans/<int:pk>/<str:action>/",
        TransferPlanStep.as_view(),
        name="transferplan_step",
    ),
    *record_urls(
        "post-contract-reviews",
        "postcontractreview",
        detail=PostContractReviewDetail,
        update=PostContractReviewUpdate,
        history=PostContractReviewHistory,
    ),
    path("contracts-ending/", ContractsEndingList.as_view(), name="contracts_ending"),
    path("lessons-learned/", LessonsLearnedList.as_view(), name="postcontractreview_list"),
]
