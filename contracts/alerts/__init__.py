"""What the contracts register tells people about each day: returns due and overdue
(and the reporting periods they belong to, opened first), audits due."""

from . import audits, returns

PREPARE = [*returns.PREPARE]
PROVIDERS = [*returns.PROVIDERS, *audits.PROVIDERS]
