from contracts.assurance.models.audits import Audit, Complaint
from contracts.assurance.models.slas import (
    ChecklistItem,
    ChecklistItemType,
    ImprovementPlanItem,
    ServiceLevelAgreement,
)
from contracts.exit.models import (
    ExitNotice,
    ExitPlan,
    ExitTask,
    PostContractReview,
    ServiceTransferPlan,
    ServiceTransferPlanEvent,
    TerminationNotice,
)
from contracts.performance.models.kpis import ContractKpi, KpiDefinition
from contracts.performance.models.returns import (
    FinancialLine,
    FinancialReturn,
    KpiResult,
    PerformanceReturn,
    ReportingPeriod,
)
from contracts.procurement.payments.models import Invoice
from contracts.register.models.contracts import Contract, ExtensionOption, ServiceArea, Variation
from contracts.register.models.organisations import Contact, Organisation
from contracts.register.models.status import ContractOverallStatus

__all__ = [
    "Audit",
    "ChecklistItem",
    "ChecklistItemType",
    "Complaint",
    "Contact",
    "Contract",
    "ContractKpi",
    "ContractOverallStatus",
    "ExitNotice",
    "ExitPlan",
    "ExitTask",
    "ExtensionOption",
    "FinancialLine",
    "FinancialReturn",
    "ImprovementPlanItem",
    "Invoice",
    "KpiDefinition",
    "KpiResult",
    "Organisation",
    "PerformanceReturn",
    "PostContractReview",
    "ReportingPeriod",
    "ServiceArea",
    "ServiceLevelAgreement",
    "ServiceTransferPlan",
    "ServiceTransferPlanEvent",
    "TerminationNotice",
    "Variation",
]

# Procurement Act 2023 duties live in their own package; the contracts app owns the tables.
from contracts.procurement.models import (
    ChangeClassification,
    ContractEnding,
    ContractProcurement,
    KpiDutyExemption,
    Notice,
)

# Performance assessments and the breaches published in contract performance notices.
from contracts.procurement.performance.models import PerformanceAssessment, PerformanceFailure

__all__ += [
    "ChangeClassification",
    "ContractEnding",
    "ContractProcurement",
    "KpiDutyExemption",
    "Notice",
]
__all__ += ["PerformanceAssessment", "PerformanceFailure"]
