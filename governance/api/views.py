"""The API's read endpoints: one per governed list, each declared like its page (the
page's selector for the rows the person may see, the page's FilterSet for the filters)
and served as JSON, paginated. A record outside the person's scope is not in the
selector's rows, so asking for it by id is 404."""

from collections.abc import Callable

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


class ContractViewSet(GovernedViewSet):
    """The contracts register."""

    model = Contract
    selector = register_selectors.contract_list
    filterset_class = ContractFilterSet
    serializer_class = serializers.ContractSerializer
    ordering = ("reference", "pk")


class ContractsEndingViewSet(GovernedViewSet):
    """Active contracts and contracts in exit, with the deadline for the notice of the
    commissioner's exit plans and whether it has been given."""

    model = Contract
    selector = exit_selectors.all_contracts_ending
    filterset_class = ContractsEndingFilterSet
    serializer_class = serializers.ContractEndingSerializer
    ordering = ("current_end_date", "reference", "pk")


class PostContractReviewViewSet(GovernedViewSet):
    """Post-contract reviews: the lessons learned at the end of each contract."""

    model = PostContractReview
    selector = exit_selectors.lessons_learned_list
    filterset_class = LessonsLearnedFilterSet
    serializer_class = serializers.PostContractReviewSerializer
    ordering = ("-held_on", "pk")


class ContractKpiViewSet(GovernedViewSet):
    """Each contract's KPIs."""

    model = ContractKpi
    selector = performance_selectors.contract_kpi_list
    filterset_class = ContractKpiFilterSet
    serializer_class = serializers.ContractKpiSerializer
    ordering = ("contract__reference", "name", "pk")


class PerformanceReturnViewSet(GovernedViewSet):
    """Quarterly performance returns, each with its KPI results."""

    model = PerformanceReturn
    selector = performance_selectors.performance_return_list
    filterset_class = PerformanceReturnFilterSet
    serializer_class = serializers.PerformanceReturnSerializer
    ordering = ("-period__starts_on", "pk")

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

    model = FinancialReturn
    selector = performance_selectors.financial_return_list
    filterset_class = FinancialReturnFilterSet
    serializer_class = serializers.FinancialReturnSerializer
    ordering = ("-period__starts_on", "pk")

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

    model = Risk
    selector = risk_selectors.risk_list
    filterset_class = RiskFilterSet
    serializer_class = serializers.RiskSerializer
    ordering = ("-residual_score", "pk")

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


class DecisionViewSet(GovernedViewSet):
    """The decision log."""

    model = Decision
    selector = meeting_selectors.decision_list
    filterset_class = DecisionFilterSet
    serializer_class = serializers.DecisionSerializer
    ordering = ("-decided_on", "pk")


class ContactLogEntryViewSet(GovernedViewSet):
    """The contact log."""

    model = ContactLogEntry
    selector = contactlog_selectors.contact_log_list
    filterset_class = ContactLogFilterSet
    serializer_class = serializers.ContactLogEntrySerializer
    ordering = ("-occurred_at", "pk")

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


class MeetingViewSet(GovernedViewSet):
    """Meetings."""

    model = Meeting
    selector = meeting_selectors.meeting_list
    filterset_class = MeetingFilterSet
    serializer_class = serializers.MeetingSerializer
    ordering = ("-starts_at", "pk")


class ActionViewSet(GovernedViewSet):
    """Actions from meetings, audits, health checks and disputes."""

    model = Action
    selector = meeting_selectors.action_list
    filterset_class = ActionFilterSet
    serializer_class = serializers.ActionSerializer
    ordering = ("due_on", "pk")


class DisputeViewSet(GovernedViewSet):
    """Disputes."""

    model = Dispute
    selector = dispute_selectors.dispute_list
    filterset_class = DisputeFilterSet
    serializer_class = serializers.DisputeSerializer
    ordering = ("-raised_on", "pk")


class AssessmentViewSet(GovernedViewSet):
    """Health checks."""

    model = Assessment
    selector = assessment_list
    filterset_class = AssessmentFilterSet
    serializer_class = serializers.AssessmentSerializer
    ordering = ("-assessed_on", "pk")


class NoticeViewSet(GovernedViewSet):
    """The procurement notices register."""

    model = Notice
    selector = procurement_selectors.notice_list
    filterset_class = NoticeFilterSet
    serializer_class = serializers.NoticeSerializer
    ordering = ("due_on", "pk")


class VariationViewSet(GovernedViewSet):
    """Contract variations."""

    model = Variation
    selector = register_selectors.variation_list
    filterset_class = VariationFilterSet
    serializer_class = serializers.VariationSerializer
    ordering = ("-proposed_at", "pk")


class OrganisationViewSet(GovernedViewSet):
    """Organisations: providers and partners."""

    model = Organisation
    selector = register_selectors.organisation_list
    filterset_class = OrganisationFilterSet
    serializer_class = serializers.OrganisationSerializer
    ordering = ("name", "pk")


class ServiceLevelAgreementViewSet(GovernedViewSet):
    """Service level agreements, each version of each contract's."""

    model = ServiceLevelAgreement
    selector = assurance_selectors.sla_list
    filterset_class = SlaFilterSet
    serializer_class = serializers.ServiceLevelAgreementSerializer
    ordering = ("contract__reference", "-version", "pk")


class AuditViewSet(GovernedViewSet):
    """Audits of the providers' services."""

    model = Audit
    selector = assurance_selectors.audit_list
    filterset_class = AuditFilterSet
    serializer_class = serializers.AuditSerializer
    ordering = ("-planned_on", "pk")


class ComplaintViewSet(GovernedViewSet):
    """Complaints about the services contracts deliver."""

    model = Complaint
    selector = assurance_selectors.complaint_list
    filterset_class = ComplaintFilterSet
    serializer_class = serializers.ComplaintSerializer
    ordering = ("-received_on", "pk")


class InvoiceViewSet(GovernedViewSet):
    """The providers' invoices and when each was paid."""

    model = Invoice
    selector = payment_selectors.invoice_list
    filterset_class = InvoiceFilterSet
    serializer_class = serializers.InvoiceSerializer
    ordering = ("due_on", "pk")


class PerformanceAssessmentViewSet(GovernedViewSet):
    """Assessments of the providers' performance against their KPIs (Procurement Act
    2023)."""

    model = PerformanceAssessment
    selector = assessment_selectors.performanceassessment_list
    filterset_class = PerformanceAssessmentFilterSet
    serializer_class = serializers.PerformanceAssessmentSerializer
    ordering = ("due_on", "pk")


class ExitPlanViewSet(GovernedViewSet):
    """Exit plans, each with its tasks."""

    model = ExitPlan
    selector = exit_selectors.exit_plan_list
    filterset_class = ExitPlanFilterSet
    serializer_class = serializers.ExitPlanSerializer
    ordering = ("contract__reference", "pk")


class TerminationNoticeViewSet(GovernedViewSet):
    """Termination notices served by either party."""

    model = TerminationNotice
    selector = exit_selectors.termination_notice_list
    filterset_class = TerminationNoticeFilterSet
    serializer_class = serializers.TerminationNoticeSerializer
    ordering = ("-notice_date", "pk")


class ServiceTransferPlanViewSet(GovernedViewSet):
    """The providers' service transfer plans after a termination notice."""

    model = ServiceTransferPlan
    selector = exit_selectors.transfer_plan_list
    filterset_class = TransferPlanFilterSet
    serializer_class = serializers.ServiceTransferPlanSerializer
    ordering = ("contract__reference", "pk")


class KpiResultViewSet(GovernedViewSet):
    """KPI results on their own, by contract, KPI and quarter."""

    model = KpiResult
    selector = performance_selectors.kpi_result_list
    filterset_class = KpiResultFilterSet
    serializer_class = serializers.KpiResultListSerializer
    ordering = ("-performance_return__period__starts_on", "kpi__name", "pk")


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
