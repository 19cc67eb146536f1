"""Reports: who read which report of which contract (the access log), and the jobs that
build auditor packs in the background."""

from django.db import models
from django.db.models import Q
from django.urls import reverse

from governance.core.datepolicy import DatePolicyMixin
from governance.core.models.jobs import ACTIVE_JOB_STATUSES, BackgroundJob, JobStatus

#: The pack's states are every job's states.
PackStatus = JobStatus

#: A job in one of these states is the contract's one pack under way.
ACTIVE_PACK_STATUSES = ACTIVE_JOB_STATUSES


def pack_upload_to(instance, filename: str) -> str:
    return f"packs/{instance.contract_id}/{filename}"


class PackJob(DatePolicyMixin, BackgroundJob):
    """The auditor pack of one contract, built by a Celery task. The database allows one
    job under way per contract, so two requests at once share one job."""

    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.PROTECT, related_name="pack_jobs"
    )
    progress = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=200, blank=True)
    file = models.FileField(upload_to=pack_upload_to, blank=True)

    class Meta(BackgroundJob.Meta):
        permissions = [("view_auditor_pack", "Can build and read contracts' auditor packs")]
        constraints = [
            models.UniqueConstraint(
                fields=["contract"],
                condition=Q(status__in=ACTIVE_PACK_STATUSES),
                name="one_pack_under_way_per_contract",
                violation_error_message="A pack for this contract is already being built.",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="pack_progress_at_most_100"
            ),
        ]

    def __str__(self):
        return f"Auditor pack {self.pk} of contract {self.contract_id}"

    def get_absolute_url(self):
        return reverse("governance:pack_detail", args=[self.pk])
