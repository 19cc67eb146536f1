import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from governance.documents import validate_upload
from governance.models import Document
from governance.roles import Role
from governance.services import document_upload
from tests.contracts.factories import OrganisationFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def office_file(folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}/document.xml", "<x/>")
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


class TestValidateUpload:
    @pytest.mark.parametrize(
        ("name", "content", "media_type"),
        [
            ("charter.pdf", PDF_BYTES, "application/pdf"),
            ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "image/png"),
            ("photo.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg"),
            ("returns.csv", b"kpi,value\nSatisfaction,92\n", "text/csv"),
            (
                "minutes.docx",
                office_file("word"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ),
            (
                "budget.xlsx",
                office_file("xl"),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
        ],
    )
    def test_allowed_kinds_are_recognised_by_content(self, name, content, media_type):
        assert validate_upload(upload(name, content)).media_type == media_type

    def test_an_executable_renamed_to_pdf_is_refused(self):
        with pytest.raises(ValidationError, match="must be a PDF, DOCX, XLSX, CSV, PNG or JPEG"):
            validate_upload(upload("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00"))

    def test_a_zip_that_is_not_an_office_document_is_refused(self):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("payload.txt", "x")
        with pytest.raises(ValidationError):
            validate_upload(upload("minutes.docx", buffer.getvalue()))

    def test_content_and_name_must_agree(self):
        with pytest.raises(ValidationError, match=r"Rename it to end in \.pdf"):
            validate_upload(upload("report.docx", PDF_BYTES))

    def test_empty_file_is_refused(self):
        with pytest.raises(ValidationError, match="empty"):
            validate_upload(upload("empty.pdf", b""))

    def test_oversized_file_is_refused(self, settings):
        settings.DOCUMENT_MAX_UPLOAD_MB = 1
        with pytest.raises(ValidationError, match="smaller than 1 MB"):
            validate_upload(upload("big.pdf", PDF_BYTES + b"0" * (1024 * 1024)))


@pytest.mark.django_db
class TestDocumentsTab:
    def url(self, organisation):
        return reverse("contracts:organisation_documents", args=[organisation.pk])

    def test_upload_lists_the_document_and_records_who(self, make_user, login):
        organisation = OrganisationFactory()
        user = make_user(role=Role.CONTRACT_MANAGER)
        client = login(user)
        response = client.post(
            self.url(organisation),
            {
                "title": "Partnering charter",
                "category": "plan",
                "file": upload("charter.pdf", PDF_BYTES),
            },
        )
        assert response.status_code == 302
        document = Document.objects.get()
        assert (document.uploaded_by, document.version, document.media_type) == (
            user,
            1,
            "application/pdf",
        )
        assert document.history.get().history_user == user
        page = client.get(self.url(organisation)).content.decode()
        assert "Partnering charter" in page

    def test_same_title_adds_a_version(self, make_user):
        organisation = OrganisationFactory()
        user = make_user(role=Role.CONTRACT_MANAGER)
        for _ in range(2):
            document_upload(
                attached_to=organisation,
                upload=upload("charter.pdf", PDF_BYTES),
                title="Partnering charter",
                category="plan",
                actor=user,
            )
        assert list(Document.objects.values_list("version", flat=True).order_by("version")) == [
            1,
            2,
        ]

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            ("virus.pdf", b"MZ\x90\x00binary", "must be a PDF, DOCX, XLSX, CSV, PNG or JPEG"),
            ("big.pdf", PDF_BYTES + b"0" * (1024 * 1024), "smaller than 1 MB"),
        ],
    )
    def test_bad_upload_is_explained_beside_the_field_and_saves_nothing(
        self, make_user, login, settings, name, content, message
    ):
        settings.DOCUMENT_MAX_UPLOAD_MB = 1
        organisation = OrganisationFactory()
        client = login(make_user(role=Role.CONTRACT_MANAGER))
        response = client.post(
            self.url(organisation),
            {"title": "Evidence", "category": "evidence", "file": upload(name, content)},
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert "There is a problem" in page
        assert 'id="id_file-error"' in page
        assert message in page
        assert not Document.objects.exists()

    def test_missing_file_and_title_are_explained(self, make_user, login):
        organisation = OrganisationFactory()
        client = login(make_user(role=Role.CONTRACT_MANAGER))
        response = client.post(self.url(organisation), {"category": "evidence"})
        assert response.status_code == 400
        assert "Choose a file to upload" in response.content.decode()
        assert not Document.objects.exists()

    def test_readers_see_no_upload_form_and_cannot_post(self, make_user, login):
        organisation = OrganisationFactory()
        for role in (Role.AUDITOR, Role.SMG):
            client = login(make_user(role=role))
            assert "Upload a document" not in client.get(self.url(organisation)).content.decode()
            response = client.post(
                self.url(organisation),
                {"title": "x", "category": "other", "file": upload("a.pdf", PDF_BYTES)},
            )
            assert response.status_code == 403
        assert not Document.objects.exists()

    def test_download_is_limited_to_users_who_see_the_record(self, make_user, login, client):
        own, other = OrganisationFactory(), OrganisationFactory()
        author = make_user(role=Role.CONTRACT_MANAGER)
        document = document_upload(
            attached_to=other,
            upload=upload("charter.pdf", PDF_BYTES),
            title="Charter",
            category="plan",
            actor=author,
        )
        url = reverse("governance:document_download", args=[document.pk])
        auditor_response = login(make_user(role=Role.AUDITOR)).get(url)
        assert auditor_response.status_code == 200
        assert b"".join(auditor_response.streaming_content) == PDF_BYTES
        assert login(make_user(role=Role.PROVIDER, organisation=own)).get(url).status_code == 404
        assert login(make_user()).get(url).status_code == 404
