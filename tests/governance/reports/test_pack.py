"""The auditor pack: one click, one PDF with a table of contents and the change
history; one job per contract however many ask at once; progress while it builds;
every download logged; scope and permission."""

import io
import re

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse
from pypdf import PdfReader

from governance.core.models.access import ReportAccess, ReportKind
from governance.core.roles import Role
from governance.reports import pack as pack_service
from governance.reports.models import PackJob, PackStatus
from governance.reports.tasks import build_auditor_pack
from tests.contracts.register.factories import ContractFactory
from tests.governance.reports.report_fixtures import NOW, rich_contract
from tests.governance.reports.test_reports import joined

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(people):
    with time_machine.travel(NOW, tick=False):
        yield rich_contract(people)


def request_pack(client, contract, capture):
    with capture(execute=True):
        return client.post(reverse("governance:pack_request", args=[contract.pk]))


class TestPack:
    def test_one_click_builds_the_pack(
        self, contract, people, login, django_capture_on_commit_callbacks
    ):
        client = login(people["auditor"])
        response = request_pack(client, contract, django_capture_on_commit_callbacks)
        job = PackJob.objects.get()
        assert response.status_code == 302
        assert job.status == PackStatus.READY and job.progress == 100
        assert job.requested_by == people["auditor"]
        # In the test the task runs once the request's transaction ends, so the request
        # lands on the job's page; outside a test it goes straight to the download.
        assert response["Location"] in (
            job.get_absolute_url(),
            reverse("governance:pack_download", args=[job.pk]),
        )
        download = client.get(reverse("governance:pack_download", args=[job.pk]))
        data = b"".join(download.streaming_content)
        assert data.startswith(b"%PDF-")
        pages = [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]
        text = joined(pages)
        # The table of contents gives each part's page.
        contents = re.search(r"Contents (.*?) 1\. Contract summary Contract summary", text)
        assert contents, text[:600]
        for part in ["1. Contract summary", "5. Contact log", "9. Change history"]:
            assert re.search(re.escape(part) + r", page \d+", contents.group(1)), part
        assert "Victims' referral hub" in text
        assert "Q2 2026-27" in text and "Reprofile the outreach budget" in text
        assert "Waiting times in the north hub" in text and "Caseworkers leave" in text
        # The variation's approval is in the change history: who, what, why.
        history = text[text.rindex("9. Change history") :]
        assert "Sandra Grey" in history
        assert "Status: Proposed → Approved" in history
        assert "Approved at SMG on 12 November" in history
        for number, page in enumerate(pages, start=1):
            flat = " ".join(page.split())
            assert "Auditor pack NPCC-2025-017" in flat
            assert f"Page {number} of {len(pages)}" in flat
        access = ReportAccess.objects.get(kind=ReportKind.AUDITOR_PACK)
        assert (access.user, access.contract) == (people["auditor"], contract)

    def test_two_requests_at_once_share_one_job(self, contract, people, login):
        # The task is queued on commit, which never comes inside the test's transaction:
        # the first job stays under way while the second request arrives.
        first, created = pack_service.pack_request(contract=contract, user=people["auditor"])
        second, created_again = pack_service.pack_request(contract=contract, user=people["smg"])
        assert created and not created_again
        assert first.pk == second.pk
        assert PackJob.objects.count() == 1
        response = login(people["smg"]).post(reverse("governance:pack_request", args=[contract.pk]))
        assert response["Location"] == first.get_absolute_url()
        assert PackJob.objects.count() == 1

    def test_the_database_holds_one_job_under_way_per_contract(self, contract, people):
        PackJob.objects.create(contract=contract, requested_by=people["auditor"])
        with pytest.raises(IntegrityError), transaction.atomic():
            PackJob.objects.create(
                contract=contract, requested_by=people["smg"], status=PackStatus.RUNNING
            )
        # A finished job does not block the next.
        PackJob.objects.update(status=PackStatus.READY)
        PackJob.objects.create(contract=contract, requested_by=people["smg"])
        assert PackJob.objects.count() == 2

    def test_progress_page_polls_until_ready(self, contract, people, login):
        job, _ = pack_service.pack_request(contract=contract, user=people["auditor"])
        PackJob.objects.filter(pk=job.pk).update(
            status=PackStatus.RUNNING, progress=45, stage="Change history"
        )
        client = login(people["auditor"])
        page = client.get(job.get_absolute_url()).content.decode()
        assert 'hx-get="' in page and "45% done" in page and "change history" in page
        fragment = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
        assert fragment.lstrip().startswith('<div id="pack-progress"')
        assert client.get(reverse("governance:pack_download", args=[job.pk])).status_code == 404
        # The worker's task, run here: a job still under way (even one a crashed worker
        # left running) is built; a finished one is left alone.
        assert build_auditor_pack(job.pk) == PackStatus.READY
        built = PackJob.objects.get(pk=job.pk).finished_at
        assert build_auditor_pack(job.pk) == PackStatus.READY
        assert PackJob.objects.get(pk=job.pk).finished_at == built
        ready = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
        assert "hx-get" not in ready and "Download the auditor pack" in ready

    def test_a_failed_build_is_recorded(self, contract, people, monkeypatch):
        job, _ = pack_service.pack_request(contract=contract, user=people["auditor"])

        def broken(*args, **kwargs):
            raise RuntimeError("The PDF engine ran out of memory")

        monkeypatch.setattr(pack_service, "pack_pdf", broken)
        job = pack_service.pack_build(job_id=job.pk)
        assert job.status == PackStatus.FAILED
        assert "ran out of memory" in job.error
        # The contract can be asked for again.
        again, created = pack_service.pack_request(contract=contract, user=people["auditor"])
        assert created and again.pk != job.pk

    def test_providers_may_not_request_packs(self, contract, make_user, login):
        provider = make_user(role=Role.PROVIDER, organisation=contract.provider)
        client = login(provider)
        response = client.post(reverse("governance:pack_request", args=[contract.pk]))
        assert response.status_code == 403
        assert not PackJob.objects.exists()

    def test_an_unknown_contract_is_404(self, people, login):
        response = login(people["auditor"]).post(reverse("governance:pack_request", args=[999999]))
        assert response.status_code == 404

    def test_packs_of_unseen_contracts_are_404(self, contract, people, make_user, login):
        job, _ = pack_service.pack_request(contract=contract, user=people["auditor"])
        other = ContractFactory()
        assert other.pk != contract.pk
        stranger = make_user(role=Role.AUDITOR)
        # Everyone with the pack permission sees every contract; a job number that does
        # not exist is the only one such a user cannot reach.
        client = login(stranger)
        assert client.get(reverse("governance:pack_detail", args=[job.pk + 100])).status_code == 404

    def test_anonymous_is_sent_to_sign_in(self, contract, client):
        response = client.post(reverse("governance:pack_request", args=[contract.pk]))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
