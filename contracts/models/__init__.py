from contracts.models.contracts import Contract, ExtensionOption, ServiceArea, Variation
from contracts.models.exit import (
    ExitNotice,
    ExitPlan,
    ExitTask,
    PostContractReview,
    ServiceTransferPlan,
    ServiceTransferPlanEvent,
    TerminationNotice,
)
from contracts.models.kpis import ContractKpi, KpiDefinition
from contracts.models.organisations import Contact, Organisation
from contracts.models.quarterly import (
    Audit,
    Complaint,
    FinancialLine,
    FinancialReturn,
    KpiResult,
    PerformanceReturn,
    ReportingPeriod,
)
from contracts.models.slas import (
    ChecklistItem,
    ChecklistItemType,
    ImprovementPlanItem,
    ServiceLevelAgreement,
)
from contracts.models.status import ContractOverallStatus

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
