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
