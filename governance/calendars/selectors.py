"""The deadlines and meetings that concern one person, for their calendar feed.

Every read goes through the page's own selector (or the model's ``restrict()``), so the
feed holds exactly what that person's pages show them, and every date comes from the
rule that sets it (the return's due dates, the exit-notice rule, the dispute meeting's
10-business-day deadline, the notice's due date): nothing is worked out again here.
A contract manager's feed holds the contracts they run (as lead or deputy officer) and
the actions they own, as their dashboard starts; people who oversee the portfolio (SMG,
PDM, auditors, administrators) get everything their pages show, and provider staff
their own organisation's records, as ``restrict()`` already decides.
Only what is still to be done is listed (a return not yet submitted, an action still
open, a notice still owed...), with meetings whether held or not, from three months ago
to two years ahead.
"""

import datetime

from django.db.models import Q
from django.utils.formats import date_format

from contracts.exit.models import EXIT_NOTICE_MONTHS
from contracts.exit.selectors import NOTICE_NEEDED, all_contracts_ending
from contracts.performance.models.returns import FinancialReturn
from contracts.performance.selectors import performance_return_list
from contracts.performance.services.returns import OPEN_STATUSES
from contracts.procurement.choices import OPEN_NOTICE_STATUSES
from contracts.procurement.selectors import notice_list
from contracts.register.choices import ExtensionStatus
from contracts.register.selectors import extension_list
from disputes.choices import Stage
from disputes.models.disputes import MEETING_BUSINESS_DAYS
from disputes.selectors import dispute_list
from governance.core.ical import Occasion
from governance.core.roles import Role
from governance.meetings.choices import ActionStatus
from governance.meetings.selectors import action_list, meeting_list, meeting_occasion

#: How far back and ahead the feed reaches.
PAST_DAYS = 92
AHEAD_DAYS = 731


#: Roles that watch the whole portfolio: their feed is not narrowed to contracts they run.
OVERSIGHT_ROLES = (Role.SMG, Role.PDM, Role.AUDITOR, Role.ADMINISTRATOR)


def own_contracts_only(user) -> bool:
    """Whether the feed narrows to the contracts the person runs: a contract manager
    with no oversight role."""
    return user.has_role(Role.CONTRACT_MANAGER) and not any(
        user.has_role(role) for role in OVERSIGHT_ROLES
    )


def _concerning(queryset, user, path: str = "contract", also: Q | None = None):
    if not own_contracts_only(user):
        return queryset
    prefix = f"{path}__" if path else ""
    runs = Q(**{f"{prefix}lead_officer": user}) | Q(**{f"{prefix}deputy_officer": user})
    return queryset.filter(runs | also if also is not None else runs)


def _due_between(queryset, field: str, since, until, **filters):
    """The rows, of those that match ``filters``, whose ``field`` falls from ``since``
    to ``until``: soonest first."""
    return queryset.filter(**filters, **{f"{field}__range": (since, until)}).order_by(field, "pk")


def _long(day: datetime.date) -> str:
    return date_format(day, "DATE_FORMAT")


def _returns(user, since, until):
    kinds = (
        ("performance-return", "Performance return", performance_return_list(user), "performance"),
        (
            "financial-return",
            "Financial return",
            FinancialReturn.objects.restrict(user, "view").select_related(
                "period", "period__contract"
            ),
            "finance",
        ),
    )
    for uid_kind, noun, returns, due in kinds:
        for return_ in _due_between(
            _concerning(returns, user, "period__contract"),
            f"period__{due}_due_on",
            since,
            until,
            status__in=OPEN_STATUSES,
        ):
            period = return_.period
            contract = period.contract
            yield Occasion(
                key=f"{uid_kind}-{return_.pk}",
                summary=f"{noun} due: {contract.reference} {period.label}",
                on=getattr(period, f"{due}_due_on"),
                path=return_.get_absolute_url(),
                description=(
                    f"{noun} of {contract.reference} {contract.title} for {period.label} "
                    f"({_long(period.starts_on)} to {_long(period.ends_on)}): "
                    f"{return_.get_status_display().lower()}."
                ),
            )


def _meetings(user, since, until):
    meetings = (
        _concerning(meeting_list(user), user)
        .filter(starts_at__date__range=(since, until))
        .order_by("starts_at", "pk")
    )
    for meeting in meetings:
        yield meeting_occasion(meeting)


def _actions(user, since, until):
    actions = _due_between(
        _concerning(action_list(user), user, also=Q(owner=user)),
        "due_on",
        since,
        until,
        status__in=(ActionStatus.OPEN, ActionStatus.IN_PROGRESS),
    )
    for action in actions:
        where = action.contract.reference if action.contract_id else "Portfolio"
        yield Occasion(
            key=f"action-{action.pk}",
            summary=f"Action due: {where}: {action.description[:80]}",
            on=action.due_on,
            path=action.get_absolute_url(),
            description=(
                f"{action.description}\n\nOwner: "
                f"{action.owner.get_full_name() or action.owner.get_username()}. "
                f"Status: {action.get_status_display().lower()}."
            ),
        )


def _exit_notices(user, since, until):
    contracts = _concerning(all_contracts_ending(user), user, "").filter(
        NOTICE_NEEDED, exit_notice_deadline__range=(since, until)
    )
    for contract in contracts:
        yield Occasion(
            # The deadline follows the end date: a variation that moves the end date
            # makes a new occasion (a notice given against the old date does not count).
            key=f"exit-notice-{contract.pk}-{contract.current_end_date:%Y%m%d}",
            summary=f"Exit notice deadline: {contract.reference}",
            on=contract.exit_notice_deadline,
            path=contract.get_absolute_url(),
            description=(
                f"The last day to tell the provider of {contract.reference} {contract.title} "
                f"in writing what is planned for the end of the contract on "
                f"{_long(contract.current_end_date)}: at least {EXIT_NOTICE_MONTHS} months "
                "before it ends."
            ),
        )


def _extension_options(user, since, until):
    options = _due_between(
        _concerning(extension_list(user), user),
        "decision_deadline",
        since,
        until,
        status=ExtensionStatus.PENDING,
    )
    for option in options:
        contract = option.contract
        yield Occasion(
            key=f"extension-option-{option.pk}",
            summary=f"Extension decision deadline: {contract.reference} option {option.sequence}",
            on=option.decision_deadline,
            path=option.get_absolute_url(),
            description=(
                f"The last day to decide on extension option {option.sequence} "
                f"({option.length_months} months) of {contract.reference} {contract.title}."
            ),
        )


def _dispute_meetings(user, since, until):
    disputes = _due_between(
        _concerning(dispute_list(user), user),
        "meeting_deadline",
        since,
        until,
        stage=Stage.STAGE_2,
        meeting_held_on__isnull=True,
    )
    for dispute in disputes:
        yield Occasion(
            key=f"dispute-meeting-{dispute.pk}",
            summary=f"Dispute meeting deadline: {dispute.contract.reference}",
            on=dispute.meeting_deadline,
            path=dispute.get_absolute_url(),
            description=(
                f"The dispute meeting on \u201c{dispute.title}\u201d must take place by this "
                f"day: {MEETING_BUSINESS_DAYS} business days after the written notice."
            ),
        )


def _notices(user, since, until):
    notices = _due_between(
        _concerning(notice_list(user), user),
        "due_on",
        since,
        until,
        status__in=OPEN_NOTICE_STATUSES,
    )
    for notice in notices:
        where = notice.contract.reference if notice.contract_id else "whole authority"
        yield Occasion(
            key=f"notice-{notice.pk}",
            summary=f"Notice due: {notice.get_kind_display()} ({where})",
            on=notice.due_on,
            path=notice.get_absolute_url(),
            description=(
                f"{notice.get_kind_display()} to publish on Find a Tender for {where}: "
                f"{notice.get_status_display().lower()}."
            ),
        )


def calendar_occasions(user, *, today: datetime.date) -> list[Occasion]:
    """Everything the person's feed holds on ``today``."""
    since = today - datetime.timedelta(days=PAST_DAYS)
    until = today + datetime.timedelta(days=AHEAD_DAYS)
    occasions: list[Occasion] = []
    for source in (
        _returns,
        _meetings,
        _actions,
        _exit_notices,
        _extension_options,
        _dispute_meetings,
        _notices,
    ):
        occasions.extend(source(user, since, until))
    return occasions
