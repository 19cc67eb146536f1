from .contracts import Contract, ExtensionOption, ServiceArea, Variation
from .kpis import ContractKpi, KpiDefinition
from .organisations import Contact, Organisation
from .slas import ChecklistItem, ChecklistItemType, ImprovementPlanItem, ServiceLevelAgreement

__all__ = [
    "ChecklistItem",
    "ChecklistItemType",
    "Contact",
    "Contract",
    "ContractKpi",
    "ExtensionOption",
    "ImprovementPlanItem",
    "KpiDefinition",
    "Organisation",
    "ServiceArea",
    "ServiceLevelAgreement",
    "Variation",
]
