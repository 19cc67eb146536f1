"""Procurement Act 2023 duties: which regime a contract was procured under, the notices
it owes on Find a Tender (contract details, performance, change, termination, payments)
and the register that tracks each one from due to published."""
