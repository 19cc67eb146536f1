"""The access log of reports: who generated or downloaded which report, and when."""

from governance.core.models.access import ReportAccess


def log_access(*, user, contract, kind: str, detail: str = "") -> ReportAccess:
    return ReportAccess.objects.create(user=user, contract=contract, kind=kind, detail=detail[:200])
