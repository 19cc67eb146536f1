"""What governance offers the daily sweep, gathered from its features: actions coming
due and overdue and monitoring meetings to schedule (meetings), contact follow-ups
overdue (contact log), annual health checks due (health checks), and the overall status
of every contract worked out again once the alerts are raised (dashboard)."""

from governance.contactlog.alerts import PROVIDERS as CONTACT_LOG_PROVIDERS
from governance.dashboard.alerts import AROUND, FINISH
from governance.healthchecks.alerts import PROVIDERS as HEALTH_CHECK_PROVIDERS
from governance.meetings.alerts import PROVIDERS as MEETING_PROVIDERS

PROVIDERS = [*MEETING_PROVIDERS, *CONTACT_LOG_PROVIDERS, *HEALTH_CHECK_PROVIDERS]

__all__ = ["AROUND", "FINISH", "PROVIDERS"]
