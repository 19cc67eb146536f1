# Procurement Act 2023 features keep their models in their own packages.
from ..procurement.payments.models import Invoice
from .contracts import Contract, ExtensionOption, ServiceArea, Variation
from .exit import (
    ExitNotice,
    ExitPlan,
    ExitTask,
    PostContractReview,
    ServiceTransferPlan,
    ServiceTransferPlanEvent,
    TerminationNotice,
)
from .kpis import ContractKpi, KpiDefinition
from .organisations import Contact, Organisation
from .quarterly import (
    Audit,
    Complaint,
    FinancialLine,
    FinancialReturn,
    KpiResult,
    PerformanceReturn,
    ReportingPeriod,
)
from .slas import ChecklistItem, ChecklistItemType, ImprovementPlanItem, ServiceLevelAgreement
from .status import ContractOverallStatus

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
from ..procurement.models import (
    ChangeClassification,
    ContractEnding,
    ContractProcurement,
    KpiDutyExemption,
    Notice,
)

# Performance assessments and the breaches published in contract performance notices.
from ..procurement.performance.models import PerformanceAssessment, PerformanceFailure

__all__ += [
    "ChangeClassification",
    "ContractEnding",
    "ContractProcurement",
    "KpiDutyExemption",
    "Notice",
]
__all__ += ["PerformanceAssessment", "PerformanceFailure"]
