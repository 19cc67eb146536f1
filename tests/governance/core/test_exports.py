"""Long list exports: above a limit an export is prepared in the background for the
person who asked, with the list's filters applied as they may see it when the job runs;
its page shows the progress and then offers the file, to that person alone. Small
exports are still sent at once, CSV streamed."""

import csv
import datetime
import io
from pathlib import Path

import openpyxl
import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from governance.core.exports import ELLIPSIS, column_widths
from governance.core.models.access import ReportAccess, ReportKind
from governance.core.models.exports import ExportJob
from governance.core.models.jobs import JobStatus
from governance.core.pdf import PdfJoiner, pdf_context
from governance.core.roles import Role
from governance.core.services import exports as export_service
from governance.core.tasks import build_list_export, purge_old_exports
from governance.core.views.base import ObjectListView
from risks.choices import Allocation, RiskStatus
from tests.contracts.register.factories import ContractFactory
from tests.governance.meetings.meeting_factories import ActionFactory
from tests.risks.factories import RiskFactory
from tests.view_cases import count_queries

pytestmark = pytest.mark.django_db

RISKS = reverse("risks:risk_list")


@pytest.fixture(autouse=True)
def small_limits(settings):
    """Lists of more than three rows (two for a PDF) are exported in the background."""
    settings.EXPORT_IMMEDIATE_MAX_ROWS = {"csv": 3, "xlsx": 3, "pdf": 2}


@pytest.fixture
def auditor(make_user):
    return make_user(role=Role.AUDITOR, first_name="Alex", last_name="Turner")


@pytest.fixture
def risks():
    """Five open risks on one contract and one closed risk."""
    contract = ContractFactory(reference="NPCC-2026-001")
    open_risks = [
        RiskFactory(contract=contract, title=f"Waiting times in hub {n}") for n in range(5)
    ]
    closed = RiskFactory(contract=contract, title="Old premises lease")
    closed.status = RiskStatus.CLOSED
    closed.closed_on = closed.next_review_date
    closed.closed_reason = "Lease renewed."
    closed.save()
    return open_risks, closed


def start_export(client, capture, export_format: str, query: str = ""):
    """Press an export button on the list page; in the embedded default the job runs as
    soon as the request's transaction commits."""
    with capture(execute=True):
        return client.post(f"{RISKS}?{query}", {"export": export_format})


def download(client, job) -> bytes:
    response = client.get(reverse("governance:export_download", args=[job.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def pdf_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


class TestSmallExportsAreSentAtOnce:
    def test_csv_streams_at_once(self, risks, auditor, login):
        response = login(auditor).get(f"{RISKS}?status=closed&export=csv")
        assert response.status_code == 200
        assert response.streaming
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
        assert [row[2] for row in rows[1:]] == ["Old premises lease"]
        assert not ExportJob.objects.exists()

    def test_pdf_at_once_shows_only_the_table_columns(self, risks, auditor, login):
        response = login(auditor).get(f"{RISKS}?status=closed&export=pdf")
        assert response["Content-Type"] == "application/pdf"
        text = " ".join(" ".join(pdf_text(response.content)).split())
        assert "Old premises lease" in text and "Residual band" in text
        # Columns the page does not show (CSV only) stay out of the PDF.
        assert "Inherent likelihood" not in text and "Closed because" not in text
        assert not ExportJob.objects.exists()

    def test_the_list_page_links_small_exports_and_offers_buttons_for_long_ones(
        self, risks, auditor, login
    ):
        client = login(auditor)
        small = client.get(f"{RISKS}?status=closed").content.decode()
        assert 'href="?status=closed&amp;export=csv"' in small
        assert 'name="export"' not in small
        long = client.get(RISKS).content.decode()
        assert long.count('name="export" value=') == 3  # CSV, PDF and the spreadsheet
        assert 'action="?export=csv"' in long

    def test_a_link_to_a_long_export_goes_back_to_the_list_and_starts_nothing(
        self, risks, auditor, login
    ):
        client = login(auditor)
        response = client.get(f"{RISKS}?status=open&export=pdf&page=1")
        assert response.status_code == 302
        assert response["Location"] == f"{RISKS}?status=open"
        page = client.get(response["Location"]).content.decode()
        assert "This list has 5 rows, too many to send at once" in page
        assert not ExportJob.objects.exists()


class TestBackgroundExports:
    def test_pdf_from_the_list_page_to_the_download(
        self, risks, auditor, login, django_capture_on_commit_callbacks
    ):
        client = login(auditor)
        response = start_export(client, django_capture_on_commit_callbacks, "pdf", "status=open")
        job = ExportJob.objects.get()
        assert response.status_code == 302
        assert response["Location"] == job.get_absolute_url()
        assert (job.requested_by, job.list_name, job.query, job.format) == (
            auditor,
            "risks:risk_list",
            "status=open",
            "pdf",
        )
        assert job.status == JobStatus.READY
        assert (job.rows_done, job.rows_total) == (5, 5)
        assert job.finished_at and job.size

        page = client.get(job.get_absolute_url()).content.decode()
        assert "Your export is ready" in page
        assert "Download the PDF (" in page
        assert "hx-get" not in page  # finished: nothing left to poll for

        pages = pdf_text(download(client, job))
        text = "\n".join(pages)
        for number in range(5):
            assert f"Waiting times in hub {number}" in text
        assert "Old premises lease" not in text  # filtered out
        assert "5 records, filtered by status: Open." in " ".join(pages[0].split())
        assert "Inherent likelihood" not in text  # a CSV-only column
        for number, page_text in enumerate(pages, start=1):
            assert f"Page {number} of {len(pages)}" in page_text
            assert "generated by Alex Turner" in page_text

    def test_csv_and_spreadsheet_hold_the_filtered_rows(
        self, risks, auditor, login, django_capture_on_commit_callbacks
    ):
        client = login(auditor)
        start_export(client, django_capture_on_commit_callbacks, "csv", "q=hub+3")
        start_export(client, django_capture_on_commit_callbacks, "csv", "status=open&sort=title")
        start_export(client, django_capture_on_commit_callbacks, "xlsx", "status=open")
        one, sorted_csv, sheet = ExportJob.objects.order_by("pk")
        # "q=hub 3" matches one row: under the limit, but a job asked for is still done.
        rows = list(csv.reader(io.StringIO(download(client, one).decode())))
        assert [row[2] for row in rows[1:]] == ["Waiting times in hub 3"]
        rows = list(csv.reader(io.StringIO(download(client, sorted_csv).decode())))
        assert rows[0][:3] == ["Reference", "Kind", "Title"]  # every column, as at once
        assert [row[2] for row in rows[1:]] == [f"Waiting times in hub {n}" for n in range(5)]
        book = openpyxl.load_workbook(io.BytesIO(download(client, sheet)))
        titles = [row[2] for row in book["Risks and issues"].iter_rows(values_only=True)]
        assert sorted(titles[1:]) == [f"Waiting times in hub {n}" for n in range(5)]

    def test_downloads_are_logged(self, risks, auditor, login, django_capture_on_commit_callbacks):
        client = login(auditor)
        start_export(client, django_capture_on_commit_callbacks, "csv")
        job = ExportJob.objects.get()
        assert not ReportAccess.objects.exists()
        download(client, job)
        access = ReportAccess.objects.get()
        assert (access.user, access.contract, access.kind) == (
            auditor,
            None,
            ReportKind.LIST_EXPORT,
        )
        assert access.detail == f"Risks and issues as CSV (export {job.pk})"

    def test_a_second_click_shares_the_job_under_way(self, risks, auditor, login):
        client = login(auditor)
        # Inside the test's transaction the job is never committed, so never started.
        first = client.post(RISKS, {"export": "pdf"})
        second = client.post(RISKS, {"export": "pdf"})
        job = ExportJob.objects.get()
        assert first["Location"] == second["Location"] == job.get_absolute_url()
        assert job.status == JobStatus.QUEUED
        page = client.get(second["Location"]).content.decode()
        assert "This export is already being prepared." in page
        # Other filters or another format are another export.
        client.post(f"{RISKS}?status=open", {"export": "pdf"})
        client.post(RISKS, {"export": "csv"})
        assert ExportJob.objects.count() == 3

    def test_too_many_filters_to_record_are_refused_with_a_message(self, risks, auditor, login):
        client = login(auditor)
        query = "q=" + "hub+" * 600
        response = client.post(f"{RISKS}?{query}", {"export": "csv"})
        assert response.status_code == 302
        assert response["Location"] == f"{RISKS}?{query}"
        page = client.get(response["Location"]).content.decode()
        assert "Too many filters to export: remove some and try again." in page
        assert not ExportJob.objects.exists()

    def test_an_unknown_format_is_refused(self, risks, auditor, login):
        response = login(auditor).post(RISKS, {"export": "docx"})
        assert response.status_code == 400
        assert not ExportJob.objects.exists()


class TestJobLifecycle:
    def test_queued_then_running_then_ready(self, risks, auditor, monkeypatch):
        job, created = export_service.export_request(
            user=auditor,
            list_name="risks:risk_list",
            query="status=open",
            export_format="csv",
            title="Risks and issues",
        )
        assert created and job.status == JobStatus.QUEUED and job.rows_total is None
        seen = []
        write = ObjectListView.write_export

        def watched(view, *args, **kwargs):
            seen.append(ExportJob.objects.get(pk=job.pk).status)
            return write(view, *args, **kwargs)

        monkeypatch.setattr(ObjectListView, "write_export", watched)
        assert build_list_export(job.pk) == JobStatus.READY
        assert seen == [JobStatus.RUNNING]
        job.refresh_from_db()
        assert (job.rows_done, job.rows_total, job.error) == (5, 5, "")
        # A task delivered twice builds once.
        finished = job.finished_at
        assert build_list_export(job.pk) == JobStatus.READY
        job.refresh_from_db()
        assert job.finished_at == finished and len(seen) == 1

    def test_a_failure_is_recorded_in_plain_english(self, risks, auditor, login, monkeypatch):
        job, _ = export_service.export_request(
            user=auditor, list_name="risks:risk_list", query="", export_format="pdf", title="R"
        )

        def broken(*args, **kwargs):
            raise MemoryError("out of memory in the layout engine")

        monkeypatch.setattr("governance.core.views.base.listing_pdf", broken)
        job = export_service.export_build(job_id=job.pk)
        assert job.status == JobStatus.FAILED and job.finished_at
        assert job.error == export_service.NOT_FINISHED
        client = login(auditor)
        page = client.get(job.get_absolute_url()).content.decode()
        assert "Your export could not be prepared" in page
        assert "Something went wrong while preparing this export" in page
        assert "layout engine" not in page
        assert client.get(reverse("governance:export_download", args=[job.pk])).status_code == 404
        # The same export can be asked for again.
        again, created = export_service.export_request(
            user=auditor, list_name="risks:risk_list", query="", export_format="pdf", title="R"
        )
        assert created and again.pk != job.pk

    def test_the_page_shows_progress_and_polls_until_finished(self, risks, auditor, login):
        client = login(auditor)
        client.post(RISKS, {"export": "pdf"})
        job = ExportJob.objects.get()
        page = client.get(job.get_absolute_url()).content.decode()
        assert "Your export is being prepared." in page and "Waiting to start" in page
        assert f'hx-get="{job.get_absolute_url()}"' in page
        ExportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.RUNNING, rows_total=5, rows_done=2
        )
        fragment = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
        assert fragment.lstrip().startswith('<div id="job-progress"')
        assert "2 of 5 rows done" in fragment and "hx-get" in fragment
        assert "<h1" not in fragment
        assert client.get(reverse("governance:export_download", args=[job.pk])).status_code == 404

    def test_the_job_page_costs_the_same_however_long_the_list(
        self, risks, auditor, login, django_capture_on_commit_callbacks
    ):
        client = login(auditor)
        start_export(client, django_capture_on_commit_callbacks, "csv")
        short = ExportJob.objects.get()
        RiskFactory.create_batch(20, contract=risks[1].contract)
        for export_format in ("pdf", "xlsx"):
            start_export(client, django_capture_on_commit_callbacks, export_format)
        long = ExportJob.objects.get(format="pdf")
        assert long.rows_total == 26 and short.rows_total == 6
        assert count_queries(client, short.get_absolute_url()) == count_queries(
            client, long.get_absolute_url()
        )


class TestKeepingExports:
    def test_exports_are_deleted_with_their_files_a_week_after_they_finish(
        self, risks, auditor, login
    ):
        def export_on(day: int, export_format: str) -> ExportJob:
            with time_machine.travel(datetime.datetime(2026, 12, day, 9, 0, tzinfo=datetime.UTC)):
                job, _ = export_service.export_request(
                    user=auditor,
                    list_name="risks:risk_list",
                    query="",
                    export_format=export_format,
                    title="Risks and issues",
                )
                return export_service.export_build(job_id=job.pk)

        old, recent = export_on(1, "csv"), export_on(7, "pdf")
        client = login(auditor)
        page = client.get(old.get_absolute_url()).content.decode()
        assert "You can download it until 8 December 2026" in page
        old_file = Path(old.file.path)
        assert old_file.exists()
        purged_at = datetime.datetime(2026, 12, 8, 9, 1, tzinfo=datetime.UTC)
        with time_machine.travel(purged_at):
            assert purge_old_exports.delay().get() == 1
        assert list(ExportJob.objects.all()) == [recent]
        assert not old_file.exists() and Path(recent.file.path).exists()
        assert client.get(old.get_absolute_url()).status_code == 404
        assert export_service.export_purge(now=purged_at) == 0


class TestWhoMaySeeAnExport:
    def test_only_the_person_who_asked_sees_the_job_and_its_file(
        self, risks, auditor, make_user, login, django_capture_on_commit_callbacks
    ):
        client = login(auditor)
        start_export(client, django_capture_on_commit_callbacks, "csv")
        job = ExportJob.objects.get()
        urls = [job.get_absolute_url(), reverse("governance:export_download", args=[job.pk])]
        for role in (Role.AUDITOR, Role.SMG, Role.ADMINISTRATOR):
            other = login(make_user(role=role))
            for url in urls:
                assert other.get(url).status_code == 404, (role, url)
        assert not ReportAccess.objects.exists()

    def test_anonymous_users_are_sent_to_sign_in(self, risks, auditor, client):
        job, _ = export_service.export_request(
            user=auditor, list_name="risks:risk_list", query="", export_format="csv", title="R"
        )
        for response in (
            client.get(job.get_absolute_url()),
            client.get(reverse("governance:export_download", args=[job.pk])),
            client.post(RISKS, {"export": "csv"}),
        ):
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("login") + "?next=")
        assert ExportJob.objects.count() == 1

    def test_users_without_the_list_may_not_start_an_export(self, risks, make_user, login):
        response = login(make_user(role=None)).post(RISKS, {"export": "csv"})
        assert response.status_code == 403
        assert not ExportJob.objects.exists()

    def test_a_user_who_lost_their_role_gets_no_export(self, risks, auditor, login):
        job, _ = export_service.export_request(
            user=auditor, list_name="risks:risk_list", query="", export_format="csv", title="R"
        )
        auditor.groups.clear()
        job = export_service.export_build(job_id=job.pk)
        assert job.status == JobStatus.FAILED
        assert job.error == export_service.NO_LONGER_VISIBLE
        assert not job.file
        page = login(auditor).get(job.get_absolute_url()).content.decode()
        assert "You can no longer see this list, so it was not exported." in page

    def test_a_user_who_lost_their_role_may_not_download_an_earlier_export(
        self, risks, auditor, login, django_capture_on_commit_callbacks
    ):
        client = login(auditor)
        start_export(client, django_capture_on_commit_callbacks, "csv")
        job = ExportJob.objects.get()
        assert job.status == JobStatus.READY
        auditor.groups.clear()
        response = client.get(reverse("governance:export_download", args=[job.pk]))
        assert response.status_code == 403
        page = client.get(job.get_absolute_url()).content.decode()
        assert "you cannot download this export" in page
        assert "Download the CSV file" not in page
        assert not ReportAccess.objects.exists()

    def test_the_export_holds_what_the_user_may_see_when_it_runs(
        self, risks, make_user, login, django_capture_on_commit_callbacks
    ):
        open_risks, _closed = risks
        contract = open_risks[0].contract
        provider = make_user(role=Role.PROVIDER, organisation=contract.provider)
        for risk in open_risks:
            risk.allocation = Allocation.SHARED
            risk.save()
        RiskFactory(title="Another provider's risk", allocation=Allocation.SHARED)
        client = login(provider)
        client.post(RISKS, {"export": "csv"})
        job = ExportJob.objects.get()
        # Before the job runs, one risk stops being shared with the provider.
        hidden = open_risks[0]
        hidden.allocation = Allocation.COMMISSIONER
        hidden.save()
        job = export_service.export_build(job_id=job.pk)
        rows = list(csv.reader(io.StringIO(download(client, job).decode())))
        titles = {row[2] for row in rows[1:]}
        assert titles == {risk.title for risk in open_risks[1:]}


class TestLongPdfListing:
    def test_long_lists_are_printed_a_line_a_row_with_every_page_numbered(
        self, auditor, login, settings, monkeypatch, django_capture_on_commit_callbacks
    ):
        monkeypatch.setattr("governance.core.exports.LISTING_ROWS_PER_PAGE", 10)
        monkeypatch.setattr("governance.core.exports.LISTING_PAGES_PER_PART", 3)
        contract = ContractFactory()
        RiskFactory.create_batch(45, contract=contract)
        long_title = "Caseworkers leave " + "and the waiting list grows " * 6  # 180 of 200
        RiskFactory(contract=contract, title=long_title)
        client = login(auditor)
        start_export(client, django_capture_on_commit_callbacks, "pdf", "sort=id")
        job = ExportJob.objects.get()
        pages = pdf_text(download(client, job))
        # A first page saying what the list is, then 46 rows at 10 a page, laid out in
        # parts of three pages and joined.
        assert len(pages) == 1 + 5
        assert "46 records, unfiltered." in " ".join(pages[0].split())
        assert "Pages 2 to 6 list them, 10 to a page" in " ".join(pages[0].split())
        for number, text in enumerate(pages, start=1):
            assert f"Page {number} of 6" in text
        assert all("Reference" in text and "Residual band" in text for text in pages[1:])
        first_rows = pages[1]
        assert "Key staff leave the service" in first_rows
        last = pages[-1]
        assert "Caseworkers leave and the waiting list grows" in last
        assert ELLIPSIS in last  # the long title is cut short to fit its line

    def test_a_list_emptied_before_the_job_runs_says_so(
        self, risks, auditor, login, django_capture_on_commit_callbacks
    ):
        client = login(auditor)
        client.post(f"{RISKS}?q=hub", {"export": "pdf"})
        job = ExportJob.objects.get()
        for risk in risks[0]:
            risk.title = "Renamed"
            risk.save()
        job = export_service.export_build(job_id=job.pk)
        pages = pdf_text(download(client, job))
        assert len(pages) == 1
        assert "No entries match: the list is empty." in pages[0]
        assert "Page 1 of 1" in pages[0]

    def test_a_deadline_prints_its_date_and_whether_it_is_missed_as_the_page_shows_it(
        self, auditor, login, django_capture_on_commit_callbacks
    ):
        with time_machine.travel(datetime.datetime(2026, 8, 15, 9, 0, tzinfo=datetime.UTC)):
            ActionFactory.create_batch(3, due_on=datetime.date(2026, 7, 31))
            client = login(auditor)
            with django_capture_on_commit_callbacks(execute=True):
                client.post(reverse("governance:action_list"), {"export": "pdf"})
            job = ExportJob.objects.get()
            text = " ".join("\n".join(pdf_text(download(client, job))).split())
        assert "31 July 2026 Missed 15 days ago" in text
        assert "Due date: missed or due" not in text  # the words are in the date's cell


class TestPdfJoiner:
    def test_parts_are_joined_in_order_into_one_file(self, auditor, settings):
        joiner = PdfJoiner(title="Three parts")
        context = pdf_context(context={}, reference="Joined", user=auditor)
        for part in ("First", "Second", "Third"):
            html = (
                f"<html><head><style>{context['pdf_css']}</style></head><body>"
                f"<p>{part} part, page one</p><p style='break-before: page'>{part} part, "
                "page two</p></body></html>"
            )
            assert joiner.add(html) == 2
        target = io.BytesIO()
        joiner.write(target)
        reader = PdfReader(io.BytesIO(target.getvalue()))
        assert [page.extract_text().split(" part")[0] for page in reader.pages] == [
            "First",
            "First",
            "Second",
            "Second",
            "Third",
            "Third",
        ]
        assert reader.metadata.title == "Three parts"


def test_column_widths_give_narrow_columns_all_they_want():
    assert column_widths([5, 10, 3], 30) == [5, 10, 3]
    widths = column_widths([8, 120, 13, 60, 4], 100)
    assert sum(widths) == 100
    assert widths[0] == 8 and widths[2] == 13 and widths[4] == 4
    assert widths[1] == widths[3] + 1  # the two wide columns share what is left
