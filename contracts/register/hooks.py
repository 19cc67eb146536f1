"""Where features add to the register's own steps without the register importing them.

The register sits below its features: it cannot call a feature's service directly. A
feature that must act when the register does (the Procurement Act 2023 duties: checks
before a contract is activated, notices owed when its status changes or a variation is
approved) adds its function to one of these lists from ``contracts.apps.ContractsConfig.ready``.
Each runs inside the register's own transaction, so a failure undoes the whole step.
"""

from collections.abc import Callable

#: f(contract) -> sentences saying what stops the contract being activated.
ACTIVATION_CHECKS: list[Callable] = []
#: f(*, contract, actor) after a contract's status has changed and been saved.
STATUS_CHANGED: list[Callable] = []
#: f(*, variation, actor) as a variation is approved: its status is approved and its
#: contract's terms do not yet include it (they do once nothing holds it back).
VARIATION_APPROVED: list[Callable] = []
#: f(variation, today) -> a sentence saying what an approved variation waits for on that
#: day before it takes effect ("" when nothing); it takes effect once every one answers "".
VARIATION_HOLDS: list[Callable] = []


def add(hooks: list[Callable], function: Callable) -> None:
    """Add ``function`` once, however often the app registry is set up."""
    if function not in hooks:
        hooks.append(function)
