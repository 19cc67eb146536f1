"""What the contracts register tells people about each day: returns due and overdue
(and the reporting periods they belong to, opened first), audits due,
exit notices and extension decisions due, checklist evidence expiring."""

from ..procurement import alerts as procurement
from ..procurement.payments import alerts as payments
from ..procurement.performance import alerts as performance
from . import audits, checklist, exit, returns

PREPARE = [*returns.PREPARE, *procurement.PREPARE, *payments.PREPARE, *performance.PREPARE]
PROVIDERS = [
    *returns.PROVIDERS,
    *audits.PROVIDERS,
    *exit.PROVIDERS,
    *checklist.PROVIDERS,
    *procurement.PROVIDERS,
    *performance.PROVIDERS,
]
