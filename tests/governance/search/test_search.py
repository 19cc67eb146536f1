"""The search box: words found in records and inside documents, grouped by kind, each
kind restricted as its own list is."""

import io
import zipfile

import pytest
import weasyprint
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook

from governance.core.documents.extract import extract_text
from governance.core.documents.kinds import CSV, DOCX, PDF, PNG, XLSX
from governance.core.models.base import Document
from governance.core.roles import Role
from governance.core.services import document_upload
from governance.search.selectors import search
from tests.contracts.register.factories import ContactFactory, ContractFactory, OrganisationFactory
from tests.governance.meetings.meeting_factories import DecisionFactory
from tests.upload_files import DOCX_MAIN, _content_types, png_bytes, upload

pytestmark = pytest.mark.django_db


def docx_saying(*paragraphs: str) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" for text in paragraphs)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _content_types("word/document.xml", DOCX_MAIN))
        archive.writestr(
            "word/document.xml",
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
            f'main"><w:body>{body}</w:body></w:document>',
        )
    return buffer.getvalue()


def xlsx_saying(*cells: str) -> bytes:
    workbook = Workbook()
    workbook.active.append(list(cells))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def groups_of(client, query: str) -> str:
    response = client.get(reverse("search"), {"q": query})
    assert response.status_code == 200
    return response.content.decode()


class TestReadingDocuments:
    def test_the_words_of_a_pdf_word_document_workbook_and_csv(self):
        pdf = weasyprint.HTML(string="<p>Outreach to rural safeguarding hubs</p>").write_pdf()
        assert "rural safeguarding" in extract_text(pdf, PDF.media_type)
        docx = docx_saying("Waiting times fell", "in the second quarter")
        assert extract_text(docx, DOCX.media_type) == "Waiting times fell in the second quarter"
        workbook = xlsx_saying("Interpreter", "Caseload")
        assert extract_text(workbook, XLSX.media_type) == "Interpreter Caseload"
        assert extract_text(b"kpi,value\nSatisfaction,92\n", CSV.media_type) == (
            "kpi,value Satisfaction,92"
        )

    def test_pictures_and_damaged_files_have_no_words(self):
        assert extract_text(png_bytes(), PNG.media_type) == ""
        assert extract_text(b"PK\x03\x04 not really a zip", DOCX.media_type) == ""
        assert extract_text(b"%PDF-1.7 broken", PDF.media_type) == ""


class TestSearchBox:
    @pytest.fixture
    def officer(self, make_user):
        return make_user(role=Role.CONTRACT_MANAGER)

    def test_the_box_is_in_the_header(self, login, officer):
        page = login(officer).get(reverse("home"), follow=True).content.decode()
        assert 'data-testid="header-search"' in page
        assert f'action="{reverse("search")}"' in page

    def test_it_finds_a_contract_by_a_word_in_one_of_its_documents(self, login, officer):
        contract = ContractFactory(lead_officer=officer, title="Victim support")
        ContractFactory(title="Victim support elsewhere")
        document_upload(
            attached_to=contract,
            upload=upload("minutes.docx", docx_saying("The hydrotherapy pool reopens in May")),
            title="Monitoring minutes",
            category="minutes",
            actor=officer,
        )
        page = groups_of(login(officer), "hydrotherapy")
        assert 'data-testid="search-group-contracts"' in page
        assert contract.get_absolute_url() in page
        assert 'data-testid="search-group-documents"' in page
        assert "Monitoring minutes" in page

    def test_each_kind_is_found_and_grouped(self, login, make_user):
        smg = make_user(role=Role.SMG)
        organisation = OrganisationFactory(name="Kestrel Advocacy Trust")
        ContactFactory(organisation=organisation, name="Pat Kestrel")
        ContractFactory(provider=organisation, title="Kestrel outreach")
        DecisionFactory(title="Extend the Kestrel pilot")
        page = groups_of(login(smg), "kestrel")
        for group in ("contracts", "organisations", "contacts", "decisions"):
            assert f'data-testid="search-group-{group}"' in page, group

    def test_records_outside_a_providers_scope_are_not_found(self, login, make_user):
        own = ContractFactory(title="Kingfisher mentoring")
        other = ContractFactory(title="Kingfisher housing")
        document_upload(
            attached_to=other,
            upload=upload("plan.docx", docx_saying("Kingfisher transfer plan")),
            title="Transfer plan",
            category="plan",
            actor=make_user(role=Role.CONTRACT_MANAGER),
        )
        provider = make_user(role=Role.PROVIDER, organisation=own.provider)
        page = groups_of(login(provider), "kingfisher")
        assert own.get_absolute_url() in page
        assert other.get_absolute_url() not in page
        assert "Transfer plan" not in page

    def test_no_words_no_results_and_no_error_on_any_input(self, login, officer):
        client = login(officer)
        assert search(officer, "   ") == []
        for query in ("", "%_*", "'; drop table", "a" * 5000, "\x00", "<script>"):
            assert client.get(reverse("search"), {"q": query}).status_code == 200
        assert "Nothing you can see matches" in groups_of(client, "zzyzxqq")

    def test_a_person_with_no_role_is_refused(self, login, make_user):
        response = login(make_user()).get(reverse("search"), {"q": "support"})
        assert response.status_code == 403

    def test_anonymous_people_are_sent_to_sign_in(self, client):
        response = client.get(reverse("search"), {"q": "support"})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_command_reads_documents_uploaded_before(make_user):
    contract = ContractFactory()
    document = document_upload(
        attached_to=contract,
        upload=upload("notes.docx", docx_saying("Befriending scheme")),
        title="Notes",
        category="other",
        actor=make_user(role=Role.CONTRACT_MANAGER),
    )
    Document.objects.filter(pk=document.pk).update(text="")
    out = io.StringIO()
    call_command("extract_document_text", stdout=out)
    assert Document.objects.get(pk=document.pk).text == "Befriending scheme"
    assert "Read the text of 1 documents" in out.getvalue()
