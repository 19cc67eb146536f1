"""What health checks offer the daily sweep: the annual relationship health check of
each live strategic partnership coming due (30 days before) and overdue, told to the
contract's lead and deputy officers. The due date is in each key, so a check that
falls due again a year later is a new occasion. One query per provider."""

import datetime
from collections.abc import Iterator

from django.urls import reverse

from contracts.register.models.contracts import Contract
from governance.core.alerting import AlertSpec, Urgency
from governance.healthchecks.selectors import HealthCheckDue, annual_schedule
from governance.healthchecks.services import DUE_WARNING_DAYS


def _on(day: datetime.date) -> str:
    return f"{day:%A %-d %B %Y}"


def _officers(row: HealthCheckDue) -> tuple:
    return tuple(user for user in row.contract.officers if user.is_active)


def _since(row: HealthCheckDue) -> str:
    if row.last_on:
        return f"The last one was on {_on(row.last_on)}."
    return f"None has been submitted since the contract started on {_on(row.contract.start_date)}."


def annual_health_checks_due(today: datetime.date) -> Iterator[AlertSpec]:
    """Annual health checks due within the next 30 days (or today)."""
    horizon = today + datetime.timedelta(days=DUE_WARNING_DAYS)
    for row in annual_schedule(Contract.objects.all(), today):
        if not today <= row.due_on <= horizon:
            continue
        contract = row.contract
        yield AlertSpec(
            key=f"health-check-due:{contract.pk}:{row.due_on.isoformat()}",
            kind="health_check_due",
            urgency=Urgency.DUE_SOON,
            subject=f"Annual health check due {_on(row.due_on)}: {contract.reference}",
            body=(
                f"The annual relationship health check of {contract} with "
                f"{contract.provider} is due on {_on(row.due_on)}. {_since(row)}\n\n"
                "Start it from the contract's health checks tab; the provider answers its "
                "own side."
            ),
            url=reverse("governance:contract_health_checks", args=[contract.pk]),
            users=_officers(row),
        )


def annual_health_checks_overdue(today: datetime.date) -> Iterator[AlertSpec]:
    """Annual health checks whose due date has passed: from the day after it."""
    for row in annual_schedule(Contract.objects.all(), today):
        if row.due_on >= today:
            continue
        contract = row.contract
        yield AlertSpec(
            key=f"health-check-overdue:{contract.pk}:{row.due_on.isoformat()}",
            kind="health_check_overdue",
            urgency=Urgency.MISSED,
            subject=f"Annual health check overdue: {contract.reference}",
            body=(
                f"The annual relationship health check of {contract} with "
                f"{contract.provider} was due on {_on(row.due_on)} and has not been "
                f"submitted. {_since(row)}\n\nComplete it with the provider as soon as you can."
            ),
            url=reverse("governance:contract_health_checks", args=[contract.pk]),
            users=_officers(row),
        )


PROVIDERS = [annual_health_checks_due, annual_health_checks_overdue]
