"""Exit reminders for the daily sweep.

The commissioner's written notice of its plans is due no later than six months before
the contract's current end date (the exit notice deadline). While no notice has been
recorded against that end date, the lead and deputy officers and every policy
development manager are told:

- ``exit-notice-9m``: from 9 months before the end date;
- ``exit-notice-7m``: from 7 months before;
- ``exit-notice-breach``: from the deadline day itself (6 months before) until the end
  date, and the Senior Management Group is told too.

Undecided extension options are watched against their decision deadline, in business
days (weekends and England & Wales bank holidays excluded): ``extension-decision-60``
from 60 business days ahead, ``extension-decision-20`` from 20.

Each reminder is a window, so a sweep that misses a day still sends it, and only the
latest window open is offered. Keys hold the contract (or option) and the end date (or
decision deadline): a variation or an exercised extension that moves the end date
makes a new occasion, while a re-run of the sweep sends nothing twice. Each provider
runs a fixed number of queries however many contracts there are.
"""

import datetime
from collections.abc import Iterator

from django.urls import reverse

from contracts.exit.models import exit_notice_breached, exit_notice_deadline
from contracts.exit.selectors import with_exit_notice
from contracts.register.choices import ContractStatus, ExtensionStatus
from contracts.register.models.contracts import Contract, ExtensionOption
from governance.core.alerting import AlertSpec, Urgency
from governance.core.datepolicy import on
from governance.core.dates import add_business_days, add_months, business_days_between
from governance.core.roles import Role, role_holders

LIVE = (ContractStatus.ACTIVE, ContractStatus.IN_EXIT)

#: The reminders before the deadline: (key, months before the end date the window
#: opens), latest first. The last window, the breach, opens on the deadline itself.
REMINDER_WINDOWS = (("exit-notice-7m", 7), ("exit-notice-9m", 9))
BREACH_WINDOW = "exit-notice-breach"

#: (key, business days before the decision deadline the window opens), latest first.
EXTENSION_WINDOWS = (("extension-decision-20", 20), ("extension-decision-60", 60))


def notice_window(end_date: datetime.date, today: datetime.date) -> str | None:
    """The latest notice window open on ``today`` for a contract ending ``end_date``."""
    if today > end_date:
        return None
    if exit_notice_breached(deadline=exit_notice_deadline(end_date), today=today):
        return BREACH_WINDOW
    for key, months in REMINDER_WINDOWS:
        if today >= add_months(end_date, -months):
            return key
    return None


def exit_notices_due(today: datetime.date) -> Iterator[AlertSpec]:
    """Live contracts inside a notice window with no notice recorded against their
    current end date."""
    contracts = (
        with_exit_notice(
            Contract.objects.filter(
                status__in=LIVE,
                current_end_date__gte=today,
                # A month further than the widest window: month ends clip unevenly
                # (30 June + 9 months is 30 March, but 31 March - 9 months is 30 June).
                current_end_date__lte=add_months(today, 10),
            )
        )
        .filter(notice_recorded=False)
        .select_related("lead_officer", "deputy_officer")
        .order_by("current_end_date", "pk")
    )
    managers = senior = None
    for contract in contracts:
        end = contract.current_end_date
        window = notice_window(end, today)
        if window is None:
            continue
        if managers is None:
            managers = role_holders(Role.PDM)
        deadline = exit_notice_deadline(end)
        url = reverse("contracts:contract_exit", args=[contract.pk])
        if window == BREACH_WINDOW:
            if senior is None:
                senior = role_holders(Role.SMG)
            yield AlertSpec(
                key=f"{window}:{contract.pk}:{end.isoformat()}",
                kind=BREACH_WINDOW,
                urgency=Urgency.MISSED,
                subject=f"Exit notice deadline reached for {contract.reference}",
                body=(
                    f"{contract} ends on {on(end)}. The commissioner's written notice of "
                    f"its plans for the end of the contract was due by {on(deadline)} and "
                    "none has been recorded. Send it now and record it on the contract's "
                    "Exit tab."
                ),
                url=url,
                users=(*contract.officers, *managers, *senior),
            )
            continue
        months = 9 if window == "exit-notice-9m" else 7
        yield AlertSpec(
            key=f"{window}:{contract.pk}:{end.isoformat()}",
            kind="exit-notice-due",
            urgency=Urgency.DUE_SOON,
            subject=f"{contract.reference} ends in {months} months: exit notice due by "
            f"{on(deadline)}",
            body=(
                f"{contract} ends on {on(end)}. Decide what happens next (extend, "
                "re-commission, decommission or let it expire) and tell the provider in "
                f"writing by {on(deadline)}. No notice has been recorded yet."
            ),
            url=url,
            users=(*contract.officers, *managers),
        )


def extension_window(deadline: datetime.date, today: datetime.date) -> str | None:
    if today > deadline:
        return None
    left = business_days_between(today, deadline)
    for key, days in EXTENSION_WINDOWS:
        if left <= days:
            return key
    return None


def extension_decisions_due(today: datetime.date) -> Iterator[AlertSpec]:
    """Undecided extension options of live contracts whose decision deadline is 60,
    then 20, business days away."""
    horizon = add_business_days(today, EXTENSION_WINDOWS[-1][1])
    options = (
        ExtensionOption.objects.filter(
            status=ExtensionStatus.PENDING,
            contract__status__in=LIVE,
            decision_deadline__gte=today,
            decision_deadline__lte=horizon,
        )
        .select_related("contract", "contract__lead_officer", "contract__deputy_officer")
        .order_by("decision_deadline", "pk")
    )
    managers = None
    for option in options:
        deadline = option.decision_deadline
        window = extension_window(deadline, today)
        if window is None:
            continue
        if managers is None:
            managers = role_holders(Role.PDM)
        contract = option.contract
        left = business_days_between(today, deadline)
        yield AlertSpec(
            key=f"{window}:{option.pk}:{deadline.isoformat()}",
            kind="extension-decision-due",
            urgency=Urgency.DUE_SOON,
            subject=f"Extension option {option.sequence} on {contract.reference}: decide by "
            f"{on(deadline)}",
            body=(
                f"Option {option.sequence} to extend {contract} by {option.length_months} "
                f"months must be decided by {on(deadline)}, {left} business "
                f"day{'s' if left != 1 else ''} from today. Exercise or decline it on the "
                "contract's Extensions tab."
            ),
            url=reverse("contracts:contract_extensions", args=[contract.pk]),
            users=(*contract.officers, *managers),
        )


PROVIDERS: list = [exit_notices_due, extension_decisions_due]

__all__ = ["PROVIDERS", "exit_notices_due", "extension_decisions_due"]
