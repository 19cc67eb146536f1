"""What the contracts register tells people about each day: returns due and overdue
(and the reporting periods they belong to, opened first), audits due,
exit notices and extension decisions due, checklist evidence expiring."""

from contracts.assurance.alerts import audits, checklist
from contracts.exit import alerts as exit
from contracts.performance import alerts as returns
from contracts.procurement import alerts as procurement
from contracts.procurement.payments import alerts as payments
from contracts.procurement.performance import alerts as performance

PREPARE = [*returns.PREPARE, *procurement.PREPARE, *payments.PREPARE, *performance.PREPARE]
PROVIDERS = [
    *returns.PROVIDERS,
    *audits.PROVIDERS,
    *exit.PROVIDERS,
    *checklist.PROVIDERS,
    *procurement.PROVIDERS,
    *performance.PROVIDERS,
]
