"""How each governed record reads in the API: its own fields, and the records it points
to by id (with a contract's reference beside its id, as the pages show it)."""

from django.db.models import OuterRef, QuerySet, Subquery
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from contracts.assurance.models.audits import Audit, Complaint
from contracts.assurance.models.slas import ServiceLevelAgreement
from contracts.exit.models import (
    ExitPlan,
    ExitTask,
    PostContractReview,
    ServiceTransferPlan,
    TerminationNotice,
)
from contracts.performance.models.kpis import ContractKpi
from contracts.performance.models.returns import FinancialReturn, KpiResult, PerformanceReturn
from contracts.procurement.models import Notice
from contracts.procurement.payments.models import Invoice
from contracts.procurement.performance.models import PerformanceAssessment
from contracts.register.models.contracts import Contract, Variation
from contracts.register.models.organisations import Organisation
from disputes.models import Dispute
from governance.contactlog.models import ContactLogEntry
from governance.core.concurrency import VERSION_FIELD, current_version
from governance.healthchecks.models import Assessment
from governance.meetings.models import Action, Decision, Meeting
from risks.models import Risk


class ContractReferenceMixin(serializers.ModelSerializer):
    contract_reference = serializers.CharField(
        source="contract.reference", read_only=True, allow_null=True, default=None
    )


class ContractSerializer(serializers.ModelSerializer):
    provider_name = serializers.CharField(source="provider.name", read_only=True)

    class Meta:
        model = Contract
        fields = [
            "id",
            "reference",
            "title",
            "scope",
            "provider",
            "provider_name",
            "service_area",
            "status",
            "tier",
            "lifecycle_stage",
            "is_strategic_partnership",
            "total_value",
            "annual_value",
            "start_date",
            "current_end_date",
            "lead_officer",
            "deputy_officer",
        ]


class ContractEndingSerializer(ContractSerializer):
    exit_notice_deadline = serializers.DateField(read_only=True)
    notice_recorded = serializers.BooleanField(read_only=True)

    class Meta(ContractSerializer.Meta):
        fields = [*ContractSerializer.Meta.fields, "exit_notice_deadline", "notice_recorded"]


class ContractKpiSerializer(ContractReferenceMixin):
    class Meta:
        model = ContractKpi
        fields = [
            "id",
            "contract",
            "contract_reference",
            "definition",
            "name",
            "service_requirement",
            "unit",
            "direction",
            "target",
            "amber_tolerance",
            "frequency",
            "measurement_method",
            "is_key_indicator",
            "is_active",
        ]


class KpiResultSerializer(serializers.ModelSerializer):
    class Meta:
        model = KpiResult
        fields = ["id", "kpi", "actual", "commentary", "rag", "commentary_by_provider"]


_RETURN_FIELDS = [
    "id",
    "period",
    "contract",
    "contract_reference",
    "financial_year",
    "quarter",
    "status",
    "submitted_by",
    "submitted_at",
    "decided_by",
    "decided_at",
    "return_reason",
    "source",
    "commentary",
]


def blank_choice(model, name: str, help_text: str) -> serializers.ChoiceField:
    """A choice the record may leave empty, and sets itself (not editable): the schema
    allows the empty value alongside the choices."""
    field = model._meta.get_field(name)
    return serializers.ChoiceField(
        choices=field.choices, allow_blank=True, read_only=True, help_text=help_text
    )


_LATEST = "latest_history_id"


def with_version(queryset: QuerySet) -> QuerySet:
    """The rows, each with its version (its latest history row's id) read in the same
    query, so listing versions costs nothing per row."""
    history = queryset.model.history.model.objects
    return queryset.annotate(
        **{
            _LATEST: Subquery(
                history.filter(id=OuterRef("pk")).order_by("-history_id").values("history_id")[:1]
            )
        }
    )


@extend_schema_field(
    {
        "type": "string",
        "readOnly": True,
        "description": "The record's version as read. Send it back with an update (fill); "
        "if the record has changed since, the update is refused with 409 and nothing is saved.",
    }
)
class RecordVersionField(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, instance) -> str:
        if hasattr(instance, _LATEST):
            latest = getattr(instance, _LATEST)
            return str(latest or "")
        return current_version(instance)


class ReturnSerializer(serializers.ModelSerializer):
    contract = serializers.IntegerField(source="period.contract_id", read_only=True)
    contract_reference = serializers.CharField(source="period.contract.reference", read_only=True)
    financial_year = serializers.IntegerField(source="period.financial_year", read_only=True)
    quarter = serializers.IntegerField(source="period.quarter", read_only=True)
    record_version = RecordVersionField()


_SOURCE_HELP = (
    "How the provider's return reached the commissioner's staff who entered it for them; "
    "empty when the provider submitted it."
)


class PerformanceReturnSerializer(ReturnSerializer):
    results = KpiResultSerializer(many=True, read_only=True)
    source = blank_choice(PerformanceReturn, "source", _SOURCE_HELP)

    class Meta:
        model = PerformanceReturn
        fields = [*_RETURN_FIELDS, "rag", "results", VERSION_FIELD]


class FinancialReturnSerializer(ReturnSerializer):
    source = blank_choice(FinancialReturn, "source", _SOURCE_HELP)

    class Meta:
        model = FinancialReturn
        fields = [*_RETURN_FIELDS, "budget", "actual_spend", "payments_made", VERSION_FIELD]


class RiskSerializer(ContractReferenceMixin):
    class Meta:
        model = Risk
        fields = [
            "id",
            "contract",
            "contract_reference",
            "kind",
            "title",
            "description",
            "category",
            "level",
            "allocation",
            "owner",
            "inherent_likelihood",
            "inherent_impact",
            "inherent_score",
            "mitigations",
            "residual_likelihood",
            "residual_impact",
            "residual_score",
            "target_score",
            "status",
            "closed_on",
            "review_frequency",
            "next_review_date",
            "last_reviewed_on",
            "created_at",
            "updated_at",
        ]


class DecisionSerializer(ContractReferenceMixin):
    class Meta:
        model = Decision
        fields = [
            "id",
            "contract",
            "contract_reference",
            "meeting",
            "decided_on",
            "title",
            "decision",
            "rationale",
            "decided_by",
            "level",
            "status",
            "supersedes",
            "recorded_by",
        ]


class ContactLogEntrySerializer(ContractReferenceMixin):
    class Meta:
        model = ContactLogEntry
        fields = [
            "id",
            "contract",
            "contract_reference",
            "occurred_at",
            "channel",
            "direction",
            "meeting",
            "subject",
            "summary",
            "is_concern",
            "follow_up_sent_on",
            "recorded_by",
        ]


class MeetingSerializer(ContractReferenceMixin):
    class Meta:
        model = Meeting
        fields = [
            "id",
            "contract",
            "contract_reference",
            "kind",
            "status",
            "starts_at",
            "location",
            "chair",
            "note_taker",
            "agenda",
            "minutes",
        ]


class ActionSerializer(ContractReferenceMixin):
    class Meta:
        model = Action
        fields = [
            "id",
            "contract",
            "contract_reference",
            "description",
            "owner",
            "raised_on",
            "due_on",
            "status",
            "outcome",
            "completed_on",
            "source",
        ]


class DisputeSerializer(ContractReferenceMixin):
    outcome = blank_choice(Dispute, "outcome", "How the dispute ended; empty while it is open.")

    class Meta:
        model = Dispute
        fields = [
            "id",
            "contract",
            "contract_reference",
            "title",
            "nature",
            "description",
            "raised_on",
            "stage",
            "stage_entered_on",
            "is_significant",
            "outcome",
            "outcome_summary",
            "closed_on",
            "created_at",
        ]


class PostContractReviewSerializer(ContractReferenceMixin):
    class Meta:
        model = PostContractReview
        fields = [
            "id",
            "contract",
            "contract_reference",
            "held_on",
            "attendees",
            "outcomes_assessment",
            "lessons_learned",
            "future_commissioning",
            "recorded_by",
        ]


class AssessmentSerializer(ContractReferenceMixin):
    class Meta:
        model = Assessment
        fields = [
            "id",
            "contract",
            "contract_reference",
            "kind",
            "assessed_on",
            "period",
            "commissioner_status",
            "commissioner_score",
            "provider_status",
            "provider_score",
        ]


class NoticeSerializer(ContractReferenceMixin):
    class Meta:
        model = Notice
        fields = [
            "id",
            "contract",
            "contract_reference",
            "kind",
            "due_on",
            "status",
            "period_start",
            "period_end",
            "summary",
            "fts_identifier",
            "published_on",
        ]


def label(name: str) -> serializers.CharField:
    """A stored choice's plain-English label, beside the stored code (``name``)."""
    return serializers.CharField(
        source=f"get_{name}_display",
        read_only=True,
        help_text=f"The {name.replace('_', ' ')} in plain English, as the pages show it.",
    )


class VariationSerializer(ContractReferenceMixin):
    requested_by_label = label("requested_by")
    status_label = label("status")

    class Meta:
        model = Variation
        fields = [
            "id",
            "contract",
            "contract_reference",
            "number",
            "summary",
            "requested_by",
            "requested_by_label",
            "new_total_value",
            "new_annual_value",
            "new_end_date",
            "status",
            "status_label",
            "proposed_at",
            "decided_at",
            "applied_at",
            "needs_smg_approval",
        ]


class ServiceLevelAgreementSerializer(ContractReferenceMixin):
    status_label = label("status")
    meeting_cadence_label = label("meeting_cadence")

    class Meta:
        model = ServiceLevelAgreement
        fields = [
            "id",
            "contract",
            "contract_reference",
            "version",
            "status",
            "status_label",
            "report_due_business_days",
            "finance_due_business_days",
            "meeting_cadence",
            "meeting_cadence_label",
            "agreed_on",
        ]


class AuditSerializer(ContractReferenceMixin):
    audit_type_label = label("audit_type")
    proposed_by_label = label("proposed_by")
    status_label = label("status")

    class Meta:
        model = Audit
        fields = [
            "id",
            "contract",
            "contract_reference",
            "audit_type",
            "audit_type_label",
            "proposed_by",
            "proposed_by_label",
            "scope",
            "status",
            "status_label",
            "planned_on",
            "conducted_on",
            "auditor",
        ]


class ComplaintSerializer(ContractReferenceMixin):
    category_label = label("category")

    class Meta:
        model = Complaint
        fields = [
            "id",
            "contract",
            "contract_reference",
            "received_on",
            "summary",
            "category",
            "category_label",
            "upheld",
            "closed_on",
        ]


class InvoiceSerializer(ContractReferenceMixin):
    class Meta:
        model = Invoice
        fields = [
            "id",
            "contract",
            "contract_reference",
            "reference",
            "description",
            "amount",
            "received_on",
            "due_on",
            "disputed",
            "approved_on",
            "paid_on",
        ]


class PerformanceAssessmentSerializer(ContractReferenceMixin):
    kpi_name = serializers.CharField(
        source="kpi.name", read_only=True, allow_null=True, default=None
    )
    occasion_label = label("occasion")
    status_label = label("status")
    rating = blank_choice(
        PerformanceAssessment, "rating", "The rating given; empty until it is assessed."
    )
    rating_label = label("rating")

    class Meta:
        model = PerformanceAssessment
        fields = [
            "id",
            "contract",
            "contract_reference",
            "kpi",
            "kpi_name",
            "occasion",
            "occasion_label",
            "period_start",
            "period_end",
            "due_on",
            "status",
            "status_label",
            "rating",
            "rating_label",
            "approved_on",
        ]


class OrganisationSerializer(serializers.ModelSerializer):
    kind_label = label("kind")

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "kind",
            "kind_label",
            "companies_house_number",
            "charity_number",
            "email",
            "telephone",
            "website",
        ]


class ExitTaskSerializer(serializers.ModelSerializer):
    area_label = label("area")
    status_label = label("status")

    class Meta:
        model = ExitTask
        fields = [
            "id",
            "area",
            "area_label",
            "description",
            "owner",
            "due_date",
            "status",
            "status_label",
        ]


class ExitPlanSerializer(ContractReferenceMixin):
    plan_type_label = label("plan_type")
    status_label = label("status")
    tasks = ExitTaskSerializer(many=True, read_only=True)

    class Meta:
        model = ExitPlan
        fields = [
            "id",
            "contract",
            "contract_reference",
            "plan_type",
            "plan_type_label",
            "incoming_provider",
            "status",
            "status_label",
            "approach",
            "incumbent_obligations",
            "tasks",
            "updated_at",
        ]


class TerminationNoticeSerializer(ContractReferenceMixin):
    extent_label = label("extent")
    served_by_label = label("served_by")

    class Meta:
        model = TerminationNotice
        fields = [
            "id",
            "contract",
            "contract_reference",
            "extent",
            "extent_label",
            "affected",
            "reason",
            "served_by",
            "served_by_label",
            "notice_date",
            "effective_date",
        ]


class ServiceTransferPlanSerializer(ContractReferenceMixin):
    status_label = label("status")

    class Meta:
        model = ServiceTransferPlan
        fields = [
            "id",
            "contract",
            "contract_reference",
            "termination_notice",
            "status",
            "status_label",
            "submitted_at",
            "approved_at",
        ]


class KpiResultListSerializer(serializers.ModelSerializer):
    """A KPI result on its own: with its KPI, quarter and contract."""

    kpi_name = serializers.CharField(source="kpi.name", read_only=True)
    contract = serializers.IntegerField(
        source="performance_return.period.contract_id", read_only=True
    )
    contract_reference = serializers.CharField(
        source="performance_return.period.contract.reference", read_only=True
    )
    financial_year = serializers.IntegerField(
        source="performance_return.period.financial_year", read_only=True
    )
    quarter = serializers.IntegerField(source="performance_return.period.quarter", read_only=True)
    rag_label = label("rag")

    class Meta:
        model = KpiResult
        fields = [
            "id",
            "performance_return",
            "contract",
            "contract_reference",
            "financial_year",
            "quarter",
            "kpi",
            "kpi_name",
            "actual",
            "commentary",
            "rag",
            "rag_label",
        ]
