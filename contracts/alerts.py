"""What the contracts register tells people about each day: returns due and overdue
(and the reporting periods they belong to, opened first), audits due,
exit notices and extension decisions due, checklist evidence expiring."""

from contracts.assurance.alerts import audits, checklist
from contracts.exit import alerts as exit
from contracts.performance import alerts as returns

PREPARE = [*returns.PREPARE]
PROVIDERS = [
    *returns.PROVIDERS,
    *audits.PROVIDERS,
    *exit.PROVIDERS,
    *checklist.PROVIDERS,
]
