"""What the Procurement Act 2023 duties tell people each day.

Before the alerts, the sweep owes the notices that time alone brings (contract details
notices of contracts under the Act, termination notices of contracts that have reached
their end date), and lets a variation whose change notice is published take effect once
its voluntary standstill has ended. Then:

- ``notice-due``: a notice still owed falls due within 10 business days (the notices
  window in ``governance.deadlines``; weekends and bank holidays do not count);
- ``notice-overdue``: from the day after its due date while it is still owed.

Both go to the contract's lead and deputy officers; an overdue notice also to its senior
responsible owner. A notice of the whole authority (the payments compliance notice) has
no officers: it goes to the Senior Management Group, who approve it. Keys hold the
notice and its due date, so a due date that moves is a new occasion and a re-run sends
nothing twice.
"""

import datetime
from collections.abc import Iterator

from contracts.procurement.choices import OPEN_NOTICE_STATUSES
from contracts.procurement.models import Notice
from contracts.procurement.services import notice_code, notices_sweep, waiting_changes_sweep
from governance.core import deadlines
from governance.core.alerting import AlertSpec, Urgency
from governance.core.datepolicy import on
from governance.core.roles import Role, role_holders


def _open_notices(**filters):
    return (
        Notice.objects.filter(status__in=OPEN_NOTICE_STATUSES, **filters)
        .select_related(
            "contract",
            "contract__lead_officer",
            "contract__deputy_officer",
            "contract__senior_responsible_owner",
        )
        .order_by("due_on", "pk")
    )


def _officers(notice: Notice, *, owner: bool = False) -> tuple:
    contract = notice.contract
    if contract is None:
        return role_holders(Role.SMG)
    people = [contract.lead_officer, contract.deputy_officer]
    if owner:
        people.append(contract.senior_responsible_owner)
    unique = []
    for person in people:
        if person is not None and person not in unique:
            unique.append(person)
    return tuple(unique)


def _name(notice: Notice) -> str:
    code = notice_code(notice.kind)
    label = notice.get_kind_display()
    return label if not code or code in label else f"{label} ({code})"


def _for(notice: Notice, *, short: bool) -> str:
    """Whose notice: the contract, or every contract for the period."""
    if notice.contract is None:
        return notice.owner_label
    return notice.contract.reference if short else str(notice.contract)


def notices_due(today: datetime.date) -> Iterator[AlertSpec]:
    horizon = deadlines.WINDOWS[deadlines.NOTICE].last_due_day(today)
    for notice in _open_notices(due_on__gte=today, due_on__lte=horizon):
        days = (notice.due_on - today).days
        when = "today" if not days else f"in {days} day{'s' if days != 1 else ''}"
        yield AlertSpec(
            key=f"notice-due:{notice.pk}:{notice.due_on.isoformat()}",
            kind="notice-due",
            urgency=Urgency.DUE_SOON,
            subject=f"Notice due {when}: {_name(notice)} for {_for(notice, short=True)}",
            body=(
                f"The {_name(notice)} for {_for(notice, short=False)} must be published on "
                "Find a Tender by "
                f"{on(notice.due_on)}. It is {notice.get_status_display().lower()}: draft "
                "it, have a member of SMG approve it, then record it as published."
            ),
            url=notice.get_absolute_url(),
            users=_officers(notice),
        )


def notices_overdue(today: datetime.date) -> Iterator[AlertSpec]:
    for notice in _open_notices(due_on__lt=today):
        yield AlertSpec(
            key=f"notice-overdue:{notice.pk}:{notice.due_on.isoformat()}",
            kind="notice-overdue",
            urgency=Urgency.MISSED,
            subject=f"Notice overdue: {_name(notice)} for {_for(notice, short=True)}",
            body=(
                f"The {_name(notice)} for {_for(notice, short=False)} was due by "
                f"{on(notice.due_on)} and "
                "has not been recorded as published. Publish it on Find a Tender as soon as "
                "you can, or record why it is not required."
            ),
            url=notice.get_absolute_url(),
            users=_officers(notice, owner=True),
        )


#: Run before the providers each day: owe the notices time alone has brought.
PREPARE = [notices_sweep, waiting_changes_sweep]
PROVIDERS: list = [notices_due, notices_overdue]

__all__ = ["PREPARE", "PROVIDERS", "notices_due", "notices_overdue"]
