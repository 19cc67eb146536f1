"""What the contracts register tells people about each day: returns due and overdue
(and the reporting periods they belong to, opened first), audits due,
exit notices and extension decisions due, checklist evidence expiring."""

from ..procurement.performance import alerts as performance
from . import audits, checklist, exit, returns

PREPARE = [*returns.PREPARE, *performance.PREPARE]
PROVIDERS = [
    *returns.PROVIDERS,
    *audits.PROVIDERS,
    *exit.PROVIDERS,
    *checklist.PROVIDERS,
    *performance.PROVIDERS,
]
