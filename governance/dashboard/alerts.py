"""The dashboard's part in the daily sweep: every contract's overall status worked out
again once the alerts are raised."""

import datetime

from governance.dashboard import status as overall_status


def overall_statuses(today: datetime.date) -> dict[str, int]:
    """Every contract's stored overall status, worked out again for today: a return
    falls overdue or a deadline passes with no one saving anything."""
    return {"overall statuses": overall_status.refresh_all(today)}


#: Statuses are worked out once, at the end, for every contract: not again for each
#: contract whose periods the sweep opens.
AROUND = [overall_status.deferred]
FINISH = [overall_statuses]
