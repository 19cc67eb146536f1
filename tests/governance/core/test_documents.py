import io
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from PIL import Image

from governance.core.documents import check_upload
from governance.core.models.base import Document
from governance.core.roles import Role
from governance.core.services import atomic_with_uploads, document_upload
from tests.contracts.register.factories import OrganisationFactory
from tests.upload_files import (
    EVENT_HANDLER_IN_CSV,
    GOOD_CSV,
    HTML_AS_CSV,
    HTML_AS_PDF,
    SCRIPT_IN_CSV,
    SVG_AS_CSV,
    corrupt_png,
    docx_bytes,
    docx_understating_its_size,
    jpeg_with_metadata,
    pdf_bytes,
    pdf_launching_a_program,
    pdf_opening_with_javascript,
    pdf_with_attachment,
    pdf_with_javascript,
    pdf_with_password,
    png_bytes,
    png_claiming_size,
    upload,
    xlsm_bytes,
    xlsx_bytes,
    zip_bomb_docx,
)

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
MARKUP = "This file contains web page code"
PDF_MARKUP = "This PDF contains web page code"
PDF_SCRIPT = "This PDF contains JavaScript"
MACROS = "This spreadsheet contains macros, which we do not accept: save it as .xlsx without macros"
TOO_BIG = "This file expands to more than 100 MB when opened"
BAD_IMAGE = "This file says it is a PNG image but it could not be read as one."


def refusal(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        check_upload(upload(name, content))
    return " ".join(caught.value.messages)


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


class TestGoodFiles:
    @pytest.mark.parametrize(
        ("name", "content", "media_type"),
        [
            ("charter.pdf", pdf_bytes(), "application/pdf"),
            ("returns.csv", GOOD_CSV, "text/csv"),
            ("excel-utf8.csv", b"\xef\xbb\xbf" + "kpi,cost\nRent,£5\n".encode(), "text/csv"),
            # Excel's "CSV (Comma delimited)" on Windows: cp1252, where £ is one byte.
            ("excel-ansi.csv", "kpi,cost\nRent,£5\n".encode("cp1252"), "text/csv"),
            (
                "minutes.docx",
                docx_bytes(),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ),
            (
                "budget.xlsx",
                xlsx_bytes(),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            ("site.png", png_bytes(), "image/png"),
            ("photo.JPG", jpeg_with_metadata(), "image/jpeg"),
        ],
    )
    def test_each_kind_is_accepted(self, name, content, media_type):
        assert check_upload(upload(name, content)).kind.media_type == media_type

    def test_a_pdf_with_fonts_and_compressed_pages_is_accepted(self):
        from weasyprint import HTML  # slow to import: only this test needs it

        content = HTML(
            string="<h1>Quarterly review</h1><p>Score &lt; target; see "
            "<a href='https://example.org'>the report</a>.</p>" * 50
        ).write_pdf()
        assert check_upload(upload("review.pdf", content)).kind.label == "PDF"

    def test_a_text_comparison_in_a_csv_is_not_mistaken_for_markup(self):
        content = b'kpi,note\nWaiting,"score < target, aim >= 90%"\nOnline,one=1\n'
        assert check_upload(upload("notes.csv", content)).kind.label == "CSV file"

    def test_a_pdf_or_office_file_is_stored_as_uploaded(self):
        content = pdf_bytes()
        checked = check_upload(upload("charter.pdf", content))
        assert checked.file.read() == content
        assert checked.size == len(content)


class TestTextFiles:
    @pytest.mark.parametrize(
        "content",
        [SCRIPT_IN_CSV, SVG_AS_CSV, HTML_AS_CSV, EVENT_HANDLER_IN_CSV],
        ids=["script", "svg", "html", "event-handler"],
    )
    def test_markup_renamed_csv_is_refused(self, content):
        assert MARKUP in refusal("returns.csv", content)

    @pytest.mark.parametrize(
        "content",
        [
            b"<SCRIPT>alert(1)</SCRIPT>\n",
            b'a,"<iframe src=https://example.org>"\n',
            b"a,\"<a href='JavaScript:alert(1)'>link</a>\"\n",
            b"\xef\xbb\xbf<Svg/OnLoad=alert(1)>\n",
        ],
    )
    def test_markup_is_found_whatever_its_case_and_with_a_byte_order_mark(self, content):
        assert MARKUP in refusal("returns.csv", content)

    @pytest.mark.parametrize(
        "content", [b'kpi,value\nSatisfaction,"92"x\n', b'kpi,value\n"Satisfaction,92\n']
    )
    def test_a_csv_the_csv_module_cannot_read_is_refused(self, content):
        assert "This file says it is a CSV file but it could not be read as one" in refusal(
            "returns.csv", content
        )

    def test_binary_renamed_csv_is_refused(self):
        assert "could not be read as one" in refusal("returns.csv", b"kpi\x01\x02\x1b,92\n")

    def test_text_renamed_pdf_is_not_taken_for_a_pdf(self):
        assert refusal("report.pdf", GOOD_CSV) == (
            "This file says it is a PDF but it could not be read as one."
        )
        assert MARKUP in refusal("report.pdf", HTML_AS_CSV)

    def test_svg_and_web_pages_are_refused_by_name_with_what_to_do(self):
        assert refusal("logo.svg", png_bytes()).startswith(
            "SVG images are not accepted because they can contain code"
        )
        assert "Save the page as a PDF" in refusal("page.html", GOOD_CSV)


class TestPdfs:
    def test_html_behind_a_pdf_header_is_refused(self):
        assert PDF_MARKUP in refusal("report.pdf", HTML_AS_PDF)

    def test_html_appended_to_a_real_pdf_is_refused(self):
        content = pdf_bytes() + b"\n<html><body onload=alert(1)></body></html>\n"
        assert PDF_MARKUP in refusal("report.pdf", content)

    def test_a_pdf_header_on_anything_else_is_refused(self):
        assert refusal("report.pdf", b"%PDF-1.7\nnot really a PDF\n") == (
            "This file says it is a PDF but it could not be read as one."
        )

    def test_a_real_pdf_after_other_content_is_not_recognised(self):
        assert "must be a PDF, DOCX, XLSX, CSV, PNG or JPEG" in refusal(
            "report.pdf", b"\x7fELF\x00" + pdf_bytes()
        )

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (pdf_with_javascript(), PDF_SCRIPT),
            (pdf_opening_with_javascript(), PDF_SCRIPT),
            (pdf_launching_a_program(), "This PDF contains an action that starts another program"),
            (pdf_with_attachment(), "This PDF has other files attached inside it"),
            (pdf_with_password(), "This PDF is protected with a password"),
        ],
        ids=["document-javascript", "open-action-javascript", "launch", "attachment", "password"],
    )
    def test_active_content_is_refused_with_its_reason(self, content, message):
        assert message in refusal("report.pdf", content)


class TestOfficeFiles:
    def test_a_zip_bomb_is_refused_from_its_headers_without_expanding_it(self):
        bomb = zip_bomb_docx(400)
        assert len(bomb) < 500 * 1024
        tracemalloc.start()
        started = time.perf_counter()
        try:
            message = refusal("minutes.docx", bomb)
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert TOO_BIG in message
        assert time.perf_counter() - started < 1
        assert peak < 10 * 1024 * 1024  # nowhere near the 400 MB it expands to

    def test_a_file_compressed_more_than_a_real_document_is_refused(self):
        # 50 MB of zeros: under the size limit, but squeezed about 1,000 to 1.
        assert "over 100 to 1" in refusal("minutes.docx", zip_bomb_docx(50))

    def test_headers_that_understate_a_part_are_caught_when_it_is_expanded(self):
        assert refusal("minutes.docx", docx_understating_its_size()) == (
            "This file says it is a Word document but it could not be opened as one."
        )

    def test_macro_workbook_renamed_xlsx_is_refused(self):
        assert MACROS in refusal("budget.xlsx", xlsm_bytes())

    def test_macro_enabled_names_are_refused(self):
        assert MACROS in refusal("budget.xlsm", xlsx_bytes())
        assert "This document contains macros" in refusal("minutes.docm", docx_bytes())

    @pytest.mark.parametrize(
        "content",
        [b"PK\x03\x04" + b"\x00" * 40, xlsx_bytes()[:-200]],
        ids=["garbage", "truncated"],
    )
    def test_a_damaged_archive_is_refused(self, content):
        assert refusal("budget.xlsx", content) == (
            "This file says it is a Excel spreadsheet but it could not be opened as one."
        )

    def test_a_zip_without_a_list_of_contents_is_refused(self):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("word/document.xml", "<w:document/>")
        assert "could not be opened as one" in refusal("minutes.docx", buffer.getvalue())

    def test_old_and_protected_files_are_refused_with_what_to_do(self):
        assert refusal("minutes.doc", OLE) == (
            "Old Word files (.doc) are not accepted. Save it as .docx and try again."
        )
        assert "This spreadsheet is protected with a password" in refusal("budget.xlsx", OLE)


class TestImages:
    def test_metadata_is_stripped_and_the_photo_kept_the_right_way_up(self):
        original = jpeg_with_metadata()
        assert b"Jo Bloggs" in original
        checked = check_upload(upload("site.jpg", original))
        stored = checked.file.read()
        assert checked.size == len(stored)
        for secret in (b"Jo Bloggs", b"Downing Street", b"Exif"):
            assert secret not in stored
        with Image.open(io.BytesIO(stored)) as image:
            assert not image.getexif()
            assert "comment" not in image.info
            assert image.size == (20, 40)  # the EXIF rotation, applied to the pixels
            assert image.getpixel((10, 20))[0] > 150  # still the red picture

    def test_png_text_chunks_are_stripped(self):
        original = png_bytes(text={"Author": "Jo Bloggs"})
        stored = check_upload(upload("site.png", original)).file.read()
        assert b"Jo Bloggs" in original
        assert b"Jo Bloggs" not in stored
        with Image.open(io.BytesIO(stored)) as image:
            assert image.size == (8, 6)
            assert image.getpixel((0, 0)) == (29, 112, 184)

    def test_a_corrupt_image_is_refused(self):
        assert refusal("site.png", corrupt_png()) == BAD_IMAGE
        assert "JPEG image but it could not be read" in refusal(
            "site.jpg", jpeg_with_metadata()[:300]
        )

    # 10,000 x 10,000 is over Pillow's limit but under twice it, where Pillow only warns.
    @pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
    @pytest.mark.parametrize("side", [10_000, 100_000])
    def test_an_image_of_too_many_pixels_is_refused_before_it_is_decoded(self, side):
        assert "This image is too large: it has more than 89 million pixels" in refusal(
            "site.png", png_claiming_size(side, side)
        )


class TestEveryUpload:
    def test_content_and_name_must_agree(self):
        assert r"Rename it to end in .pdf" in refusal("report.docx", pdf_bytes())

    def test_empty_file_is_refused(self):
        assert "empty" in refusal("empty.pdf", b"")

    def test_oversized_file_is_refused(self, settings):
        settings.DOCUMENT_MAX_UPLOAD_MB = 1
        assert "smaller than 1 MB" in refusal("big.pdf", pdf_bytes() + b"0" * (1024 * 1024))

    def test_an_executable_renamed_to_pdf_is_refused(self):
        assert "must be a PDF, DOCX, XLSX, CSV, PNG or JPEG" in refusal(
            "report.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00"
        )


@pytest.mark.django_db
class TestStoredFiles:
    def test_a_failure_after_storing_removes_the_file(self, make_user, settings):
        organisation = OrganisationFactory()
        user = make_user(role=Role.CONTRACT_MANAGER)
        with pytest.raises(ValidationError), atomic_with_uploads():
            document_upload(
                attached_to=organisation,
                upload=upload("charter.pdf", pdf_bytes()),
                title="Charter",
                category="plan",
                actor=user,
            )
            assert len(stored_files(settings)) == 1
            raise ValidationError("A later step of the same change was refused.")
        assert not Document.objects.exists()
        assert stored_files(settings) == []

    def test_a_file_kept_by_an_inner_change_goes_when_the_outer_one_fails(
        self, make_user, settings
    ):
        organisation = OrganisationFactory()
        user = make_user(role=Role.CONTRACT_MANAGER)
        with pytest.raises(RuntimeError), atomic_with_uploads():
            with atomic_with_uploads():
                document_upload(
                    attached_to=organisation,
                    upload=upload("charter.pdf", pdf_bytes()),
                    title="Charter",
                    category="plan",
                    actor=user,
                )
            raise RuntimeError
        assert not Document.objects.exists()
        assert stored_files(settings) == []

    def test_the_admin_site_cannot_add_or_replace_a_file(self, make_user, login):
        document = document_upload(
            attached_to=OrganisationFactory(),
            upload=upload("charter.pdf", pdf_bytes()),
            title="Charter",
            category="plan",
            actor=make_user(role=Role.CONTRACT_MANAGER),
        )
        client = login(make_user(is_superuser=True, is_staff=True))
        assert client.get(reverse("admin:governance_document_add")).status_code == 403
        page = client.get(reverse("admin:governance_document_change", args=[document.pk]))
        assert page.status_code == 200
        assert 'type="file"' not in page.content.decode()

    def test_the_cleaned_picture_is_what_is_stored(self, make_user):
        document = document_upload(
            attached_to=OrganisationFactory(),
            upload=upload("site.jpg", jpeg_with_metadata()),
            title="Site visit",
            category="evidence",
            actor=make_user(role=Role.CONTRACT_MANAGER),
        )
        with document.file.open("rb") as stored:
            content = stored.read()
        assert b"Jo Bloggs" not in content
        assert document.size_bytes == len(content)
        assert (document.original_filename, document.media_type) == ("site.jpg", "image/jpeg")


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
                "file": upload("charter.pdf", pdf_bytes()),
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
                upload=upload("charter.pdf", pdf_bytes()),
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
            ("big.pdf", pdf_bytes() + b"0" * (1024 * 1024), "smaller than 1 MB"),
            ("returns.csv", SCRIPT_IN_CSV, MARKUP),
            ("returns.csv", SVG_AS_CSV, MARKUP),
            ("report.pdf", HTML_AS_PDF, PDF_MARKUP),
            ("report.pdf", pdf_with_javascript(), PDF_SCRIPT),
            ("minutes.docx", zip_bomb_docx(400), TOO_BIG),
            ("budget.xlsx", xlsm_bytes(), MACROS),
            ("site.png", corrupt_png(), BAD_IMAGE),
        ],
        ids=[
            "executable",
            "too-big",
            "script-in-csv",
            "svg-as-csv",
            "html-as-pdf",
            "javascript-pdf",
            "zip-bomb",
            "macro-xlsx",
            "corrupt-image",
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
        error = page[page.index('id="id_file-error"') :][:600]
        assert message.replace("'", "&#x27;") in error
        assert not Document.objects.exists()
        assert stored_files(settings) == []

    def test_an_uploaded_photo_is_stored_without_its_metadata(self, make_user, login):
        organisation = OrganisationFactory()
        client = login(make_user(role=Role.CONTRACT_MANAGER))
        response = client.post(
            self.url(organisation),
            {
                "title": "Site visit",
                "category": "evidence",
                "file": upload("site.jpg", jpeg_with_metadata()),
            },
        )
        assert response.status_code == 302
        download = client.get(Document.objects.get().get_absolute_url())
        content = b"".join(download.streaming_content)
        assert b"Jo Bloggs" not in content
        with Image.open(io.BytesIO(content)) as image:
            assert not image.getexif()

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
                {"title": "x", "category": "other", "file": upload("a.pdf", pdf_bytes())},
            )
            assert response.status_code == 403
        assert not Document.objects.exists()

    def test_download_is_limited_to_users_who_see_the_record(self, make_user, login, client):
        own, other = OrganisationFactory(), OrganisationFactory()
        author = make_user(role=Role.CONTRACT_MANAGER)
        content = pdf_bytes()
        document = document_upload(
            attached_to=other,
            upload=upload("charter.pdf", content),
            title="Charter",
            category="plan",
            actor=author,
        )
        url = reverse("governance:document_download", args=[document.pk])
        auditor_response = login(make_user(role=Role.AUDITOR)).get(url)
        assert auditor_response.status_code == 200
        assert b"".join(auditor_response.streaming_content) == content
        assert login(make_user(role=Role.PROVIDER, organisation=own)).get(url).status_code == 404
        assert login(make_user()).get(url).status_code == 404
