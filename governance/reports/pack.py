"""The auditor pack: one PDF with every report of a contract and its change history,
with a table of contents. Requested through ``pack_request`` (one job under way per
contract, enforced by the database) and built by ``pack_build`` from a Celery task."""

from collections.abc import Callable
from typing import BinaryIO

from celery import shared_task
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.text import slugify

from contracts.performance.models.returns import ReportingPeriod
from contracts.register.models.contracts import Contract
from governance.core.jobs import job_run, job_start, job_update
from governance.core.pdf import render_pdf_bytes
from governance.reports import contract as reports
from governance.reports import features
from governance.reports.models import PackJob

PACK_PERMISSION = "governance.view_auditor_pack"

Progress = Callable[[int, str], None]


def _quiet(_percent: int, _stage: str) -> None:
    return None


def pack_context(user, contract: Contract, progress: Progress = _quiet) -> dict:
    progress(5, "Contract summary")
    summary = reports.summary_context(user, contract)
    summary["rag_chart"] = reports.rag_history_chart(contract)
    progress(15, "Quarterly performance")
    periods = list(
        ReportingPeriod.objects.filter(contract=contract)
        .select_related("contract", "performance_return", "financial_return")
        .order_by("starts_on")
    )
    quarters = reports.pack_quarters(contract, periods)
    progress(35, "Risk, decision and contact logs")
    risk_log = reports.risk_log_context(user, contract)
    decision_log = reports.decision_log_context(user, contract)
    contact_log = reports.contact_log_context(user, contract)
    progress(45, "Disputes, health checks and exit")
    extra = features.sections(user, contract)
    progress(55, "Change history")
    history = reports.history_context(user, contract)
    return {
        "contract": contract,
        "summary": summary,
        "quarters": quarters,
        "risk_log": risk_log,
        "decision_log": decision_log,
        "contact_log": contact_log,
        "features": extra,
        "history": history,
    }


def pack_reference(contract: Contract) -> str:
    return f"Auditor pack {contract.reference}"


def pack_pdf(user, contract: Contract, progress: Progress = _quiet) -> bytes:
    context = pack_context(user, contract, progress)
    progress(70, "Laying out the pages")
    return render_pdf_bytes(
        template_name="pdf/auditor_pack.html",
        context=context,
        reference=pack_reference(contract),
        user=user,
    )


def may_request(user, contract: Contract) -> bool:
    return (
        user.has_perm(PACK_PERMISSION)
        and Contract.objects.restrict(user, "view").filter(pk=contract.pk).exists()
    )


def pack_request(*, contract: Contract, user) -> tuple[PackJob, bool]:
    """The contract's pack job under way, or a new one queued for building. Two
    requests at once get the same job: the database holds one job under way per
    contract. Returns (job, whether this request created it)."""
    if not may_request(user, contract):
        raise PermissionDenied
    return job_start(
        PackJob, task=build_auditor_pack, same=("contract",), contract=contract, requested_by=user
    )


def _failure_message(error: Exception) -> str:
    return str(error) or error.__class__.__name__


def pack_build(*, job_id: int) -> PackJob:
    """Build the job's PDF, recording progress as it goes. A failure is recorded on
    the job (and the contract may then be asked for again)."""

    def build(job: PackJob, target: BinaryIO) -> str:
        def progress(percent: int, stage: str) -> None:
            job_update(job, progress=percent, stage=stage)

        target.write(pack_pdf(job.requested_by, job.contract, progress))
        stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
        return f"auditor-pack-{slugify(job.contract.reference)}-{stamp}.pdf"

    return job_run(
        PackJob.objects.select_related("contract", "requested_by"),
        job_id,
        build=build,
        failure_message=_failure_message,
        started={"progress": 1, "stage": "Starting"},
        finished={"progress": 100, "stage": "Ready"},
    )


# The task sits beside the service it calls, so the service can queue it. It keeps the
# name it was registered under, so packs already queued still find it.
@shared_task(name="governance.tasks.build_auditor_pack")
def build_auditor_pack(job_id: int) -> str:
    """Build one contract's auditor pack (the job says which, and for whom)."""
    return pack_build(job_id=job_id).status
