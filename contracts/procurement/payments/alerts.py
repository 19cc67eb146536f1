"""The daily sweep's part for payments: before alerts are raised, owe the payments
notices whose period has ended (the notices register then reminds people of them)."""

from contracts.procurement.payments.notices import payments_sweep

PREPARE = [payments_sweep]
