"""The API's read endpoints: one per governed list, each declared like its page (the
page's selector for the rows the person may see, the page's FilterSet for the filters)
and served as JSON, paginated. A record outside the person's scope is not in the
selector's rows, so asking for it by id is 404."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError

from contracts.assurance import selectors as assurance_selectors
from contracts.assurance.filtersets import AuditFilterSet, ComplaintFilterSet, SlaFilterSet
from contracts.assurance.models.audits import Audit, Complaint
from contracts.assurance.models.slas import ServiceLevelAgreement
from contracts.exit import selectors as exit_selectors
from contracts.exit.filtersets import (
    ContractsEndingFilterSet,
    ExitPlanFilterSet,
    LessonsLearnedFilterSet,
    TerminationNoticeFilterSet,
    TransferPlanFilterSet,
)
from contracts.exit.models import (
    ExitPlan,
    PostContractReview,
    ServiceTransferPlan,
    TerminationNotice,
)
from contracts.performance import selectors as performance_selectors
from contracts.performance.filtersets import (
    ContractKpiFilterSet,
    FinancialReturnFilterSet,
    KpiResultFilterSet,
    PerformanceReturnFilterSet,
)
from contracts.performance.forms import actual_field, commentary_field
from contracts.performance.models.kpis import ContractKpi
from contracts.performance.models.returns import FinancialReturn, KpiResult, PerformanceReturn
from contracts.performance.views.returns import (
    FinancialReturnTransition,
    FinancialReturnUpdate,
    PerformanceReturnTransition,
    PerformanceReturnUpdate,
)
from contracts.procurement import selectors as procurement_selectors
from contracts.procurement.filtersets import NoticeFilterSet
from contracts.procurement.models import Notice
from contracts.procurement.payments import selectors as payment_selectors
from contracts.procurement.payments.filtersets import InvoiceFilterSet
from contracts.procurement.payments.models import Invoice
from contracts.procurement.performance import selectors as assessment_selectors
from contracts.procurement.performance.filtersets import (
    AssessmentFilterSet as PerformanceAssessmentFilterSet,
)
from contracts.procurement.performance.models import PerformanceAssessment
from contracts.register import selectors as register_selectors
from contracts.register.filtersets import (
    ContractFilterSet,
    OrganisationFilterSet,
    VariationFilterSet,
)
from contracts.register.models.contracts import Contract, Variation
from contracts.register.models.organisations import Organisation
from disputes import selectors as dispute_selectors
from disputes.filtersets import DisputeFilterSet
from disputes.models import Dispute
from governance.api import serializers
from governance.api.writes import answer, through_page
from governance.contactlog import selectors as contactlog_selectors
from governance.contactlog.forms import ContactLogFilterSet
from governance.contactlog.models import ContactLogEntry
from governance.contactlog.views import ContactLogFormView
from governance.healthchecks.filtersets import AssessmentFilterSet
from governance.healthchecks.models import Assessment
from governance.healthchecks.selectors import assessment_list
from governance.meetings import selectors as meeting_selectors
from governance.meetings.filtersets import ActionFilterSet, MeetingFilterSet
from governance.meetings.forms.decisions import DecisionFilterSet
from governance.meetings.models import Action, Decision, Meeting
from risks import selectors as risk_selectors
from risks.filtersets import RiskFilterSet
from risks.models import Risk
from risks.views import RiskFormView

ERRORS = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description="A rule was broken: the form's messages, by field (non_field_errors for "
    "the whole form), and nothing was changed.",
)
STALE = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description="The record has changed since the record_version sent was read: who "
    "changed it and when (non_field_errors), the record's current_record_version, and "
    "nothing was changed. Read the record again before deciding what to send.",
)
_VERSIONED = (
    " Send the record_version you read (GET the record first); without it the update is "
    "400, and if the record has changed since, 409."
)


def write_schema(
    summary: str, description: str, response, *, created: bool = False, versioned: str = ""
):
    """``versioned``: "required" for an update that must send the record_version it
    read; "optional" for a step that checks one when sent."""
    responses = {201 if created else 200: response, 400: ERRORS}
    if versioned:
        responses[409] = STALE
    return extend_schema(
        summary=summary,
        description=description + (_VERSIONED if versioned == "required" else ""),
        request={"application/json": OpenApiTypes.OBJECT},
        responses=responses,
    )


def refused(outcome) -> bool:
    """Whether the page refused the write (nothing changed)."""
    return outcome.form is not None or outcome.errors is not None


def contract_id(payload) -> int | None:
    """The contract a new record belongs to, as given in the JSON."""
    value = payload.get("contract") if isinstance(payload, dict) else None
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not str(value).isdigit() or len(str(value)) > 18:
        raise ApiValidationError({"contract": ["Give the contract's id, a whole number"]})
    return int(value)


class ApiView:
    """Open to callers with a token: the site's sign-in requirement gives way to the
    API's own authentication, which answers 401 rather than sending to a sign-in page."""

    @classmethod
    def as_view(cls, *args, **kwargs):
        return login_not_required(super().as_view(*args, **kwargs))


class GovernedViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    """A governed list and its records: ``selector(user)`` (the page's) filtered by
    ``filterset_class`` (the page's), newest-first or as the page sorts by default."""

    model = None
    selector: Callable = None
    ordering: tuple[str, ...] = ("pk",)
    lookup_value_regex = "[0-9]+"

    @property
    def write_action(self) -> str:
        """The model permission a write needs: ``add`` to create, ``change`` otherwise."""
        return "add" if self.action == "create" else "change"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema reads the model only
            return self.model.objects.none()
        return self.prepare(type(self).selector(self.request.user)).order_by(*self.ordering)

    def prepare(self, queryset):
        """Related rows the serializer reads, fetched with the page of rows."""
        return queryset

    def updated(self, outcome):
        """The answer to a write on this record: the record as it now is, or why the
        page refused the write."""
        return answer(
            outcome, None if refused(outcome) else self.get_object(), self.serializer_class
        )


# -- The lists that take writes: what each write does -------------------------------------


class PerformanceReturnViewSet(GovernedViewSet):
    """Quarterly performance returns, each with its KPI results."""

    def prepare(self, queryset):
        return serializers.with_version(queryset).prefetch_related(
            Prefetch("results", queryset=KpiResult.objects.order_by("kpi__name", "pk"))
        )

    @write_schema(
        "Fill in the return",
        'As the return\'s form: {"results": [{"kpi": <KPI id>, "actual": "92.5", '
        '"commentary": "..."}], "commentary": "...", "change_reason": "...", '
        '"record_version": "..."}. '
        "Errors name the form's fields (actual_<KPI id>, commentary_<KPI id>).",
        serializers.PerformanceReturnSerializer,
        versioned="required",
    )
    @action(detail=True, methods=["post"])
    def fill(self, request, pk=None):
        payload = request.data if isinstance(request.data, dict) else {}
        fields = {k: v for k, v in payload.items() if k != "results"}
        results = payload.get("results")
        for row in results if isinstance(results, list) else []:
            kpi = row.get("kpi") if isinstance(row, dict) else None
            if isinstance(kpi, int) and not isinstance(kpi, bool):
                fields[actual_field(kpi)] = row.get("actual")
                fields[commentary_field(kpi)] = row.get("commentary")
        outcome = through_page(
            request,
            PerformanceReturnUpdate,
            done="Return filled in",
            payload=fields,
            require_version=True,
            pk=pk,
        )
        return self.updated(outcome)

    @write_schema(
        "Submit the return",
        'As the Submit step: {"reason": "note for the history"}; the commissioner\'s '
        "staff submitting for the provider also give source, source_received_on "
        "(2027-03-31) and source_note. A record_version sent is checked as for fill "
        "(409 if the return has changed since).",
        serializers.PerformanceReturnSerializer,
        versioned="optional",
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        outcome = through_page(
            request, PerformanceReturnTransition, done="Submitted", pk=pk, to="submit"
        )
        return self.updated(outcome)


class FinancialReturnViewSet(GovernedViewSet):
    """Quarterly financial returns."""

    def prepare(self, queryset):
        return serializers.with_version(queryset)

    @write_schema(
        "Fill in the return",
        "As the return's form: budget, actual_spend, payments_made (in pounds), "
        "commentary, change_reason and record_version.",
        serializers.FinancialReturnSerializer,
        versioned="required",
    )
    @action(detail=True, methods=["post"])
    def fill(self, request, pk=None):
        outcome = through_page(
            request, FinancialReturnUpdate, done="Return filled in", require_version=True, pk=pk
        )
        return self.updated(outcome)

    @write_schema(
        "Submit the return",
        'As the Submit step: {"reason": "note for the history"}. A record_version sent '
        "is checked as for fill (409 if the return has changed since).",
        serializers.FinancialReturnSerializer,
        versioned="optional",
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        outcome = through_page(
            request, FinancialReturnTransition, done="Submitted", pk=pk, to="submit"
        )
        return self.updated(outcome)


class RiskViewSet(GovernedViewSet):
    """The risk and issue log."""

    @write_schema(
        "Raise a risk or issue",
        "As the risk form: contract (its id; none for a portfolio risk), kind, title, "
        "description, category, level, allocation, owner (a person's id), the likelihoods "
        "and impacts (1 to 5), mitigations, review_frequency, next_review_date (2027-03-31).",
        serializers.RiskSerializer,
        created=True,
    )
    def create(self, request):
        contract = contract_id(request.data)
        kwargs = {"parent_pk": contract} if contract else {}
        outcome = through_page(request, RiskFormView, done="Raised", **kwargs)
        return answer(outcome, None, self.serializer_class, created=True)


class ContactLogEntryViewSet(GovernedViewSet):
    """The contact log."""

    @write_schema(
        "Log a contact",
        "As the contact log form: contract (its id), occurred_at (2027-03-31), time "
        "(14:30), channel, direction, meeting, commissioner_participants and "
        "provider_participants (lists of ids), subject, summary, is_concern.",
        serializers.ContactLogEntrySerializer,
        created=True,
    )
    def create(self, request):
        contract = contract_id(request.data)
        if contract is None:
            raise ApiValidationError({"contract": ["Give the id of the contract"]})
        outcome = through_page(request, ContactLogFormView, done="Logged", parent_pk=contract)
        return answer(outcome, None, self.serializer_class, created=True)


@dataclass(frozen=True)
class ApiList:
    """One governed list of the API, served at ``/api/v1/<prefix>/`` with the URL names
    ``api:<basename>-list`` and ``api:<basename>-detail``: the rows the page's selector
    gives the person, filtered by the page's FilterSet, in ``ordering``. ``viewset`` adds
    writes, for the lists that take any."""

    prefix: str
    basename: str
    model: type
    selector: Callable
    filterset_class: type
    serializer_class: type
    ordering: tuple[str, ...]
    description: str = ""
    viewset: type = GovernedViewSet

    def view(self) -> type:
        """The list's viewset, described as the API's documentation shows it."""
        return type(
            "".join(part.title() for part in self.prefix.split("-")) + "Api",
            (self.viewset,),
            {
                "__module__": __name__,
                "__doc__": self.description or self.viewset.__doc__,
                "model": self.model,
                "selector": staticmethod(self.selector),
                "filterset_class": self.filterset_class,
                "serializer_class": self.serializer_class,
                "ordering": self.ordering,
            },
        )


#: Every list the API serves, in the order its documentation lists them.
API_LISTS = (
    ApiList(
        "contracts",
        "contract",
        Contract,
        register_selectors.contract_list,
        ContractFilterSet,
        serializers.ContractSerializer,
        ("reference", "pk"),
        "The contracts register.",
    ),
    ApiList(
        "contracts-ending",
        "contract_ending",
        Contract,
        exit_selectors.all_contracts_ending,
        ContractsEndingFilterSet,
        serializers.ContractEndingSerializer,
        ("current_end_date", "reference", "pk"),
        "Active contracts and contracts in exit, with the deadline for the notice of the "
        "commissioner's exit plans and whether it has been given.",
    ),
    ApiList(
        "post-contract-reviews",
        "postcontractreview",
        PostContractReview,
        exit_selectors.lessons_learned_list,
        LessonsLearnedFilterSet,
        serializers.PostContractReviewSerializer,
        ("-held_on", "pk"),
        "Post-contract reviews: the lessons learned at the end of each contract.",
    ),
    ApiList(
        "kpis",
        "contractkpi",
        ContractKpi,
        performance_selectors.contract_kpi_list,
        ContractKpiFilterSet,
        serializers.ContractKpiSerializer,
        ("contract__reference", "name", "pk"),
        "Each contract's KPIs.",
    ),
    ApiList(
        "performance-returns",
        "performancereturn",
        PerformanceReturn,
        performance_selectors.performance_return_list,
        PerformanceReturnFilterSet,
        serializers.PerformanceReturnSerializer,
        ("-period__starts_on", "pk"),
        viewset=PerformanceReturnViewSet,
    ),
    ApiList(
        "financial-returns",
        "financialreturn",
        FinancialReturn,
        performance_selectors.financial_return_list,
        FinancialReturnFilterSet,
        serializers.FinancialReturnSerializer,
        ("-period__starts_on", "pk"),
        viewset=FinancialReturnViewSet,
    ),
    ApiList(
        "risks",
        "risk",
        Risk,
        risk_selectors.risk_list,
        RiskFilterSet,
        serializers.RiskSerializer,
        ("-residual_score", "pk"),
        viewset=RiskViewSet,
    ),
    ApiList(
        "decisions",
        "decision",
        Decision,
        meeting_selectors.decision_list,
        DecisionFilterSet,
        serializers.DecisionSerializer,
        ("-decided_on", "pk"),
        "The decision log.",
    ),
    ApiList(
        "contact-log",
        "contactlogentry",
        ContactLogEntry,
        contactlog_selectors.contact_log_list,
        ContactLogFilterSet,
        serializers.ContactLogEntrySerializer,
        ("-occurred_at", "pk"),
        viewset=ContactLogEntryViewSet,
    ),
    ApiList(
        "meetings",
        "meeting",
        Meeting,
        meeting_selectors.meeting_list,
        MeetingFilterSet,
        serializers.MeetingSerializer,
        ("-starts_at", "pk"),
        "Meetings.",
    ),
    ApiList(
        "actions",
        "action",
        Action,
        meeting_selectors.action_list,
        ActionFilterSet,
        serializers.ActionSerializer,
        ("due_on", "pk"),
        "Actions from meetings, audits, health checks and disputes.",
    ),
    ApiList(
        "disputes",
        "dispute",
        Dispute,
        dispute_selectors.dispute_list,
        DisputeFilterSet,
        serializers.DisputeSerializer,
        ("-raised_on", "pk"),
        "Disputes.",
    ),
    ApiList(
        "health-checks",
        "assessment",
        Assessment,
        assessment_list,
        AssessmentFilterSet,
        serializers.AssessmentSerializer,
        ("-assessed_on", "pk"),
        "Health checks.",
    ),
    ApiList(
        "notices",
        "notice",
        Notice,
        procurement_selectors.notice_list,
        NoticeFilterSet,
        serializers.NoticeSerializer,
        ("due_on", "pk"),
        "The procurement notices register.",
    ),
    ApiList(
        "variations",
        "variation",
        Variation,
        register_selectors.variation_list,
        VariationFilterSet,
        serializers.VariationSerializer,
        ("-proposed_at", "pk"),
        "Contract variations.",
    ),
    ApiList(
        "organisations",
        "organisation",
        Organisation,
        register_selectors.organisation_list,
        OrganisationFilterSet,
        serializers.OrganisationSerializer,
        ("name", "pk"),
        "Organisations: providers and partners.",
    ),
    ApiList(
        "slas",
        "sla",
        ServiceLevelAgreement,
        assurance_selectors.sla_list,
        SlaFilterSet,
        serializers.ServiceLevelAgreementSerializer,
        ("contract__reference", "-version", "pk"),
        "Service level agreements, each version of each contract's.",
    ),
    ApiList(
        "audits",
        "audit",
        Audit,
        assurance_selectors.audit_list,
        AuditFilterSet,
        serializers.AuditSerializer,
        ("-planned_on", "pk"),
        "Audits of the providers' services.",
    ),
    ApiList(
        "complaints",
        "complaint",
        Complaint,
        assurance_selectors.complaint_list,
        ComplaintFilterSet,
        serializers.ComplaintSerializer,
        ("-received_on", "pk"),
        "Complaints about the services contracts deliver.",
    ),
    ApiList(
        "invoices",
        "invoice",
        Invoice,
        payment_selectors.invoice_list,
        InvoiceFilterSet,
        serializers.InvoiceSerializer,
        ("due_on", "pk"),
        "The providers' invoices and when each was paid.",
    ),
    ApiList(
        "performance-assessments",
        "performanceassessment",
        PerformanceAssessment,
        assessment_selectors.performanceassessment_list,
        PerformanceAssessmentFilterSet,
        serializers.PerformanceAssessmentSerializer,
        ("due_on", "pk"),
        "Assessments of the providers' performance against their KPIs (Procurement Act 2023).",
    ),
    ApiList(
        "exit-plans",
        "exitplan",
        ExitPlan,
        exit_selectors.exit_plan_list,
        ExitPlanFilterSet,
        serializers.ExitPlanSerializer,
        ("contract__reference", "pk"),
        "Exit plans, each with its tasks.",
    ),
    ApiList(
        "termination-notices",
        "terminationnotice",
        TerminationNotice,
        exit_selectors.termination_notice_list,
        TerminationNoticeFilterSet,
        serializers.TerminationNoticeSerializer,
        ("-notice_date", "pk"),
        "Termination notices served by either party.",
    ),
    ApiList(
        "service-transfer-plans",
        "servicetransferplan",
        ServiceTransferPlan,
        exit_selectors.transfer_plan_list,
        TransferPlanFilterSet,
        serializers.ServiceTransferPlanSerializer,
        ("contract__reference", "pk"),
        "The providers' service transfer plans after a termination notice.",
    ),
    ApiList(
        "kpi-results",
        "kpiresult",
        KpiResult,
        performance_selectors.kpi_result_list,
        KpiResultFilterSet,
        serializers.KpiResultListSerializer,
        ("-performance_return__period__starts_on", "kpi__name", "pk"),
        "KPI results on their own, by contract, KPI and quarter.",
    ),
)


# -- The schema and its documentation pages, open to all ------------------------------------


class SchemaView(ApiView, SpectacularAPIView):
    authentication_classes = []
    permission_classes = []


class SwaggerView(ApiView, SpectacularSwaggerSplitView):
    """Swagger UI, its settings in a script of their own (the pages allow no inline
    script)."""

    authentication_classes = []
    permission_classes = []


class RedocView(ApiView, SpectacularRedocView):
    template_name = "api/redoc.html"
    authentication_classes = []
    permission_classes = []
