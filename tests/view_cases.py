"""The shared view tests every governed model's pages inherit.

A model's test class declares its URLs, how to make a record, form data, and who is
out of scope; it then gets, for every page: anonymous users sent to sign in, users
without the role refused (403), out-of-scope records hidden (404 and absent from the
list), allowed users served (200), create and edit writing history with who and why,
bad input saving nothing, auditors unable to write, CSV export (at once, and prepared
in the background for a long list), and query counts that do not grow with the data. A
feature's step pages (approve, sign, submit...) declare who may and who may not take each
step, and get the form refused to the latter on GET too.
"""

import csv
import dataclasses
import html
import io
import re
from urllib.parse import urlencode

import django_filters
import pytest
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from governance.core import kept
from governance.core.models.exports import ExportJob
from governance.core.roles import Role
from tests.contracts.register.factories import ContractFactory, OrganisationFactory
from tests.words import assert_plain_english, export_problems, export_text


def form_errors(response) -> list[str]:
    """The error messages a page shows beside its fields, for assertion messages."""
    page = response.content.decode()
    return [
        re.sub(r"<[^>]+>", "", m).strip()
        for m in re.findall(r'class="govuk-error-message"[^>]*>(.*?)</p>', page, flags=re.S)
    ]


def count_queries(client, url) -> int:
    """The queries of one request as the first after a change meets it: nothing kept
    between requests (``governance.core.kept``) spares it any, so the count is the one
    that must not grow with the data, whatever was requested before."""
    kept.invalidate_access()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.django_db
class ModelViewTests:
    model = None
    list_url_name = ""
    detail_url_name = ""
    tab_url_names: tuple[str, ...] = ()  # other tabs of the detail page (history, ...)
    create_url_name = ""
    update_url_name = ""
    writer_role = Role.CONTRACT_MANAGER
    reader_roles = (Role.SMG, Role.AUDITOR, Role.PDM)
    non_writer_roles = (Role.SMG, Role.AUDITOR)  # may read these records, never change them
    csv_header = ()  # the expected first row of the CSV export

    @pytest.fixture(autouse=True)
    def _people(self, make_user):
        self.make_user = make_user
        self.writer = self.make_writer()

    # -- to declare ------------------------------------------------------------
    def make_writer(self):
        """A user who may create and edit the records ``make()`` makes."""
        return self.make_user(role=self.writer_role)

    def make(self, **kwargs):
        raise NotImplementedError

    def create_url(self) -> str:
        """Where a new record is added ('' when there is no such page)."""
        return reverse(self.create_url_name) if self.create_url_name else ""

    def make_many(self, count: int) -> None:
        for _ in range(count):
            self.make()

    def out_of_scope(self, make_user):
        """(user, record): a user who may use these pages but not see this record."""
        raise NotImplementedError

    def create_data(self) -> dict:
        raise NotImplementedError

    def update_data(self, obj) -> dict:
        raise NotImplementedError

    def list_text(self, obj) -> str:
        return str(obj)

    # -- helpers -----------------------------------------------------------------
    def object_urls(self, obj) -> list[str]:
        names = [self.detail_url_name, *self.tab_url_names]
        if self.update_url_name:
            names.append(self.update_url_name)
        return [reverse(name, args=[obj.pk]) for name in names]

    def all_urls(self, obj) -> list[str]:
        urls = [reverse(self.list_url_name), *self.object_urls(obj)]
        if self.create_url():
            urls.append(self.create_url())
        return urls

    # -- the tests ---------------------------------------------------------------
    def test_anonymous_users_are_sent_to_sign_in(self, client):
        obj = self.make()
        for url in self.all_urls(obj):
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("login") + "?next="), url

    def test_users_without_a_role_are_refused(self, make_user, login):
        obj = self.make()
        client = login(make_user(role=None))
        for url in self.all_urls(obj):
            assert client.get(url).status_code == 403, url

    def test_readers_see_list_and_every_tab(self, make_user, login):
        obj = self.make()
        for user in (self.writer, *[make_user(role=role) for role in self.reader_roles]):
            role = user.role_labels
            client = login(user)
            listing = client.get(reverse(self.list_url_name))
            assert listing.status_code == 200
            assert self.list_text(obj) in listing.content.decode(), role
            for url in self.object_urls(obj)[: 1 + len(self.tab_url_names)]:
                assert client.get(url).status_code == 200, (role, url)

    def test_out_of_scope_records_are_hidden(self, make_user, login):
        user, hidden = self.out_of_scope(make_user)
        client = login(user)
        listing = client.get(reverse(self.list_url_name))
        assert listing.status_code == 200
        assert self.list_text(hidden) not in listing.content.decode()
        export = client.get(reverse(self.list_url_name) + "?export=csv")
        assert self.list_text(hidden) not in b"".join(export.streaming_content).decode()
        for url in [
            reverse(self.detail_url_name, args=[hidden.pk]),
            *[reverse(name, args=[hidden.pk]) for name in self.tab_url_names],
        ]:
            assert client.get(url).status_code == 404, url

    def test_readers_cannot_write(self, make_user, login):
        obj = self.make()
        for role in self.non_writer_roles:
            client = login(make_user(role=role))
            before = self.model.history.count()
            if self.create_url():
                assert client.get(self.create_url()).status_code == 403
                assert client.post(self.create_url(), self.create_data()).status_code == 403
            if self.update_url_name:
                url = reverse(self.update_url_name, args=[obj.pk])
                assert client.post(url, self.update_data(obj)).status_code == 403
            assert self.model.history.count() == before

    def test_create_saves_and_records_who_and_why(self, login):
        if not self.create_url():
            pytest.skip("records of this kind are not created on their own page")
        user = self.writer
        client = login(user)
        assert client.get(self.create_url()).status_code == 200
        before = self.model.objects.count()
        response = client.post(self.create_url(), self.create_data())
        assert response.status_code == 302, form_errors(response)
        assert self.model.objects.count() == before + 1
        created = self.model.objects.order_by("-pk").first()
        record = created.history.get()
        assert record.history_type == "+"
        assert record.history_user == user
        assert record.history_change_reason

    def test_bad_input_on_create_saves_nothing(self, login):
        if not self.create_url():
            pytest.skip("records of this kind are not created on their own page")
        client = login(self.writer)
        before = self.model.objects.count()
        response = client.post(self.create_url(), {})
        assert response.status_code == 400
        page = response.content.decode()
        assert "There is a problem" in page
        assert "govuk-error-message" in page
        assert self.model.objects.count() == before

    def test_edit_records_who_and_why(self, login):
        if not self.update_url_name:
            pytest.skip("records of this kind are not edited on a page of their own")
        user = self.writer
        obj = self.make()
        client = login(user)
        url = reverse(self.update_url_name, args=[obj.pk])
        assert client.get(url).status_code == 200
        data = {**self.update_data(obj), "change_reason": "Corrected after the quarterly review"}
        response = client.post(url, data)
        assert response.status_code == 302, form_errors(response)
        latest = obj.history.order_by("-history_date", "-history_id").first()
        assert latest.history_type == "~"
        assert latest.history_user == user
        assert latest.history_change_reason == "Corrected after the quarterly review"
        history_page = client.get(reverse(self.tab_url_names[0], args=[obj.pk])).content.decode()
        assert "Corrected after the quarterly review" in history_page

    def test_edit_without_a_reason_saves_nothing(self, login):
        if not self.update_url_name:
            pytest.skip("records of this kind are not edited on a page of their own")
        obj = self.make()
        client = login(self.writer)
        before = obj.history.count()
        data = {**self.update_data(obj), "change_reason": ""}
        response = client.post(reverse(self.update_url_name, args=[obj.pk]), data)
        assert response.status_code == 400
        assert "Enter" in response.content.decode() or "required" in response.content.decode()
        assert obj.history.count() == before

    def touch(self, obj, user) -> str:
        """Someone else's change to ``obj``, saved with its history: appends to its first
        free-text field (returned; "" when it has none, and it is saved as it is)."""
        obj = type(obj)._base_manager.get(pk=obj.pk)
        changed = ""
        for field in obj._meta.concrete_fields:
            if (
                isinstance(field, models.CharField | models.TextField)
                and field.editable
                and not field.choices
                and not field.unique
                and getattr(obj, field.attname)
            ):
                limit = field.max_length or 10_000
                value = getattr(obj, field.attname)
                setattr(obj, field.attname, (value[: limit - 10] + " (revised)")[:limit])
                changed = field.name
                break
        obj._history_user = user
        obj._change_reason = "Revised in a meeting"
        obj.save()
        return changed

    def test_a_stale_edit_changes_nothing_and_says_who_changed_what(self, make_user, login):
        if not self.update_url_name:
            pytest.skip("records of this kind are not edited on a page of their own")
        obj = self.make()
        client = login(self.writer)
        url = reverse(self.update_url_name, args=[obj.pk])
        seen = re.search(r'name="record_version" value="(\d+)"', client.get(url).content.decode())
        assert seen, "the edit form carries the version of the record it shows"
        other = make_user(role=self.writer_role, first_name="Dana", last_name="Okafor")
        field = self.touch(obj, other)
        rows = obj.history.count()
        stored = type(obj)._base_manager.get(pk=obj.pk)
        data = {
            **self.update_data(obj),
            "change_reason": "My correction",
            "record_version": seen.group(1),
        }
        response = client.post(url, data)
        page = html.unescape(response.content.decode())
        assert response.status_code == 409, form_errors(response)
        assert "Dana Okafor changed this record on" in page
        assert "Nothing you entered has been saved" in page
        if field:
            label = str(type(obj)._meta.get_field(field).verbose_name)
            assert f"{label} differs from what you saw" in page
        assert obj.history.count() == rows
        after = type(obj)._base_manager.get(pk=obj.pk)
        assert all(
            getattr(after, f.attname) == getattr(stored, f.attname)
            for f in type(obj)._meta.concrete_fields
        )
        # The form now carries the current version: saving again is a deliberate choice.
        current = re.search(r'name="record_version" value="(\d+)"', page).group(1)
        assert current != seen.group(1)
        response = client.post(url, {**data, "record_version": current})
        assert response.status_code == 302, form_errors(response)
        assert obj.history.order_by("-history_id").first().history_user == self.writer

    def test_csv_export_has_the_listed_rows(self, make_user, login):
        obj = self.make()
        client = login(make_user(role=Role.AUDITOR))
        response = client.get(reverse(self.list_url_name) + "?export=csv")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert "attachment" in response["Content-Disposition"]
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
        if self.csv_header:
            assert tuple(rows[0]) == tuple(self.csv_header)
        assert any(self.list_text(obj) in cell for row in rows[1:] for cell in row)

    def test_a_long_export_is_prepared_in_the_background(
        self, make_user, login, settings, django_capture_on_commit_callbacks
    ):
        obj = self.make()
        settings.EXPORT_IMMEDIATE_MAX_ROWS = {"csv": 0, "xlsx": 0, "pdf": 0}
        client = login(make_user(role=Role.AUDITOR))
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse(self.list_url_name), {"export": "csv"})
        job = ExportJob.objects.get()
        assert response["Location"] == job.get_absolute_url()
        download = client.get(reverse("governance:export_download", args=[job.pk]))
        assert download.status_code == 200, job.error
        rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode())))
        if self.csv_header:
            assert tuple(rows[0]) == tuple(self.csv_header)
        assert any(self.list_text(obj) in cell for row in rows[1:] for cell in row)

    def filtered_list_url(self) -> str:
        """The list with every filter that offers fixed choices in use (the first
        choice; Yes for a yes or no filter), so each shows its tag."""
        url = reverse(self.list_url_name)
        view = resolve(url).func.view_class
        if view.filterset_class is None:
            return f"{url}?q="
        query = {}
        for name, declared in view.filterset_class.base_filters.items():
            if isinstance(declared, django_filters.BooleanFilter):
                query[name] = "true"
            elif isinstance(
                declared, django_filters.ChoiceFilter | django_filters.MultipleChoiceFilter
            ):
                choices = declared.extra.get("choices") or ()
                choices = choices() if callable(choices) else choices
                values = [value for value, _ in choices if value not in ("", None)]
                if values:
                    query[name] = values[0]
        return f"{url}?{urlencode(query) or 'q='}"

    def test_pages_are_in_plain_english(self, make_user, login):
        """Every page, as the writer and each reader sees it, with every filter's tag
        showing and with each form sent back empty, says nothing the GOV.UK style
        guide does not allow (see tests/words.py)."""
        obj = self.make()
        for user in (self.writer, *[make_user(role=role) for role in self.reader_roles]):
            client = login(user)
            for url in [*self.all_urls(obj), self.filtered_list_url()]:
                response = client.get(url)
                if response.status_code == 200:
                    assert_plain_english(response, f"{user.role_labels} {url}")
        # Its exports, of every row and with every filter in use (named in the PDF).
        for listed in (reverse(self.list_url_name) + "?", self.filtered_list_url() + "&"):
            for export_format in ("csv", "xlsx", "pdf"):
                response = client.get(f"{listed}export={export_format}")
                if response.status_code == 200 and "html" not in response["Content-Type"]:
                    problems = export_problems(export_text(response))
                    assert not problems, (export_format, listed, problems)
        client = login(self.writer)
        if self.create_url():
            response = client.post(self.create_url(), {})
            assert_plain_english(response, f"{self.create_url()} sent back empty")
        if self.update_url_name:
            url = reverse(self.update_url_name, args=[obj.pk])
            response = client.post(url, {})
            assert_plain_english(response, f"{url} sent back empty")

    def test_a_form_with_errors_says_so_in_the_page_title(self, login):
        if not self.create_url():
            pytest.skip("records of this kind are not created on their own page")
        client = login(self.writer)
        title = re.compile(r"<title>\s*(.*?)</title>", flags=re.S)
        assert not title.search(client.get(self.create_url()).content.decode())[1].startswith(
            "Error: "
        )
        response = client.post(self.create_url(), {})
        assert title.search(response.content.decode())[1].startswith("Error: ")

    def test_list_queries_do_not_grow_with_rows(self, login):
        client = login(self.writer)
        self.make_many(3)
        url = reverse(self.list_url_name)
        few_page, few_csv = count_queries(client, url), count_queries(client, url + "?export=csv")
        self.make_many(27)
        assert count_queries(client, url) == few_page
        assert count_queries(client, url + "?export=csv") == few_csv

    def test_tab_queries_do_not_grow_with_history(self, login):
        user = self.writer
        obj = self.make()
        client = login(user)
        urls = self.object_urls(obj)[: 1 + len(self.tab_url_names)]
        for url in urls:  # warm the per-process caches (content types) first
            count_queries(client, url)
        before = [count_queries(client, url) for url in urls]
        for number in range(10):
            obj._history_user = user
            obj._change_reason = f"Review {number}"
            obj.save()
        after = [count_queries(client, url) for url in urls]
        assert after == before, list(zip(urls, before, after, strict=True))


class ContractRecordViews:
    """For ModelViewTests of a contract's records: the writer is the lead officer of
    ``self.contract``, where new records are added, and provider staff of another
    organisation see none of them."""

    contract_create_url_name = ""

    def make_writer(self):
        writer = self.make_user(role=Role.CONTRACT_MANAGER)
        self.contract = ContractFactory(lead_officer=writer)
        return writer

    def writers_contract(self):
        """Another contract the writer leads."""
        return ContractFactory(lead_officer=self.writer)

    def create_url(self):
        return reverse(self.contract_create_url_name, args=[self.contract.pk])

    def out_of_scope(self, make_user):
        own = OrganisationFactory()
        return make_user(role=Role.PROVIDER, organisation=own), self.make()


@dataclasses.dataclass
class ActionPage:
    """A page that takes one step in a record's life (approve, sign, submit...)."""

    url: str
    record: object  # the record the step changes (None to add one): refused, it is unchanged
    allowed: object  # a user who may take the step
    refused: dict = dataclasses.field(default_factory=dict)  # label -> a user who may never take it


@pytest.mark.django_db
class ActionPageTests:
    """The form of a step is refused (403) to whoever could never submit it, on GET as
    on POST, by the same check the submit makes; whoever may take the step gets it."""

    def action_pages(self, make_user) -> dict[str, ActionPage]:
        raise NotImplementedError

    def test_the_form_is_refused_to_whoever_cannot_take_the_step(self, make_user, login):
        for name, page in self.action_pages(make_user).items():
            assert page.refused, name
            history = page.record.history if page.record is not None else None
            before = history.count() if history is not None else None
            for label, user in page.refused.items():
                client = login(user)
                assert client.get(page.url).status_code == 403, (name, label)
                assert client.post(page.url, {}).status_code == 403, (name, label)
            if history is not None:
                assert history.count() == before, name

    def test_whoever_may_take_the_step_gets_the_form(self, make_user, login):
        for name, page in self.action_pages(make_user).items():
            response = login(page.allowed).get(page.url)
            assert response.status_code == 200, name
            assert "<form" in response.content.decode(), name
            assert_plain_english(response, name)


@pytest.mark.django_db
class ImportPageTests:
    """A spreadsheet import's pages (the import page, its templates and the preview):
    anonymous users sent to sign in, users without the role and readers who never write
    refused (403) on GET and POST, someone else's upload not found (404), a good file
    previewed without saving and then imported all at once with who and why in each
    record's history, and a row out of the user's scope refused with a row error and
    nothing imported."""

    importer_class = None
    import_url_name = ""  # such as "risks:risk_import"
    writer_role = Role.CONTRACT_MANAGER
    non_writer_roles = (Role.SMG, Role.AUDITOR)

    def make_writer(self, make_user):
        return make_user(role=self.writer_role)

    def good_file(self, writer) -> str:
        """CSV text with rows ``writer`` may import."""
        raise NotImplementedError

    def out_of_scope_file(self, writer, make_user) -> str:
        """CSV text with a good row and a row ``writer`` may not add."""
        raise NotImplementedError

    # -- helpers -----------------------------------------------------------------
    def url(self, suffix: str = "", *args) -> str:
        return reverse(f"{self.import_url_name}{suffix}", args=args)

    def model(self):
        return self.importer_class.model

    @staticmethod
    def upload(client, url, text: str, name: str = "import.csv"):
        from django.core.files.uploadedfile import SimpleUploadedFile

        data = text.encode() if isinstance(text, str) else text
        return client.post(url, {"file": SimpleUploadedFile(name, data)})

    def page_urls(self) -> list[str]:
        import uuid

        return [
            self.url(),
            self.url("_template", "csv"),
            self.url("_template", "xlsx"),
            self.url("_preview", uuid.uuid4()),
        ]

    # -- the tests ---------------------------------------------------------------
    def test_anonymous_users_are_sent_to_sign_in(self, client):
        for url in self.page_urls():
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("login") + "?next="), url

    def test_users_without_the_role_and_readers_are_refused(self, make_user, login):
        writer = self.make_writer(make_user)
        before = self.model().objects.count()
        for role in (None, *self.non_writer_roles):
            client = login(make_user(role=role))
            for url in self.page_urls():
                assert client.get(url).status_code == 403, (role, url)
            response = self.upload(client, self.url(), self.good_file(writer))
            assert response.status_code == 403, role
            listing = client.get(reverse(self.importer_class.list_url_name))
            assert "Import from a spreadsheet" not in listing.content.decode(), role
        assert self.model().objects.count() == before

    def test_the_list_offers_the_import_and_the_templates_have_its_columns(self, make_user, login):
        client = login(self.make_writer(make_user))
        listing = client.get(reverse(self.importer_class.list_url_name)).content.decode()
        assert f'href="{self.url()}"' in listing
        assert "Import from a spreadsheet" in listing
        page = client.get(self.url())
        assert page.status_code == 200
        headers = [column.header for column in self.importer_class.columns]
        response = client.get(self.url("_template", "csv"))
        assert response.content.decode().strip() == ",".join(
            f'"{h}"' if "," in h else h for h in headers
        )
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(client.get(self.url("_template", "xlsx")).content))
        assert [cell.value for cell in book.worksheets[0][1]] == headers

    def test_a_good_file_is_previewed_then_imported_with_who_and_why(self, make_user, login):
        writer = self.make_writer(make_user)
        client = login(writer)
        before = self.model().objects.count()
        response = self.upload(client, self.url(), self.good_file(writer), "our log.csv")
        assert response.status_code == 302, form_errors(response)
        preview_url = response["Location"]
        preview = client.get(preview_url)
        assert preview.status_code == 200
        assert "can be imported" in preview.content.decode()
        assert self.model().objects.count() == before, "the preview saves nothing"
        confirmed = client.post(preview_url)
        assert confirmed.status_code == 302
        added = self.model().objects.count() - before
        assert added > 0
        for record in self.model().objects.order_by("-pk")[:added]:
            first = record.history.earliest("history_date")
            assert first.history_user == writer
            assert first.history_change_reason == f"Imported from our log.csv by {writer}"
        # The upload is used once.
        assert client.post(preview_url).status_code == 404

    def test_someone_elses_upload_is_not_found(self, make_user, login):
        writer = self.make_writer(make_user)
        client = login(writer)
        response = self.upload(client, self.url(), self.good_file(writer))
        preview_url = response["Location"]
        other = login(self.make_writer(make_user))
        assert other.get(preview_url).status_code == 404
        assert other.post(preview_url).status_code == 404

    def test_a_row_out_of_scope_is_refused_and_nothing_is_imported(self, make_user, login):
        writer = self.make_writer(make_user)
        text = self.out_of_scope_file(writer, make_user)
        client = login(writer)
        before = self.model().objects.count()
        response = self.upload(client, self.url(), text)
        assert response.status_code == 302, form_errors(response)
        preview = client.get(response["Location"])
        assert "Nothing has been imported" in preview.content.decode()
        assert 'data-testid="row-errors"' in preview.content.decode()
        assert client.post(response["Location"]).status_code == 400
        assert self.model().objects.count() == before
