"""The reports' Celery tasks, where Celery finds them. The auditor pack's task is defined
beside the service that queues it and calls it."""

from governance.reports.pack import build_auditor_pack

__all__ = ["build_auditor_pack"]
