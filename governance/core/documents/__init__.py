"""Checks on uploaded documents, in one place for every upload in the service.

A file is what its content shows, not what its name says; its name must agree. Each
kind is then checked as that kind (see the modules beside this one): CSV files are
text without web page code, PDFs open in pypdf and carry no scripts, Word and Excel
files are honest zip archives without macros, and images are decoded and saved again
so only the picture is kept. The size is limited by ``DOCUMENT_MAX_UPLOAD_MB``.

Every refusal is a ValidationError whose message tells the user what to do, and is
raised before anything is stored.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile

from governance.core.documents.images import reencode_image
from governance.core.documents.kinds import (
    ALLOWED_DESCRIPTION,
    ALLOWED_KINDS,
    CSV,
    DOCX,
    JPEG,
    NOT_ALLOWED_MESSAGE,
    PDF,
    PNG,
    XLSX,
    DocumentKind,
)
from governance.core.documents.office import OLE_SIGNATURE, office_kind, protected
from governance.core.documents.pdf import check_pdf
from governance.core.documents.text import UNREADABLE_MESSAGE as TEXT_UNREADABLE_MESSAGE
from governance.core.documents.text import check_csv

__all__ = [
    "ALLOWED_DESCRIPTION",
    "ALLOWED_KINDS",
    "CSV",
    "DOCX",
    "JPEG",
    "PDF",
    "PNG",
    "XLSX",
    "CheckedUpload",
    "DocumentKind",
    "check_upload",
]

# Kinds refused by their name alone, whatever is inside, with what to do instead.
_REFUSED_BY_NAME = {
    (".svg", ".svgz"): (
        "SVG images are not accepted because they can contain code that runs when they are "
        "opened. Save the picture as PNG or JPEG and try again."
    ),
    (".html", ".htm", ".xhtml", ".shtml", ".mht", ".mhtml"): (
        "Web pages are not accepted because they can contain code that runs when they are "
        "opened. Save the page as a PDF and try again."
    ),
    (".docm", ".dotm"): (
        "This document contains macros, which we do not accept: save it as .docx without "
        "macros and try again."
    ),
    (".xlsm", ".xltm", ".xlsb", ".xlam"): (
        "This spreadsheet contains macros, which we do not accept: save it as .xlsx without "
        "macros and try again."
    ),
    (".doc", ".dot"): "Old Word files (.doc) are not accepted. Save it as .docx and try again.",
    (".xls", ".xlt"): "Old Excel files (.xls) are not accepted. Save it as .xlsx and try again.",
}

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_JPEG_SIGNATURE = b"\xff\xd8\xff"
_ZIP_SIGNATURE = b"PK\x03\x04"


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed every check, and the file to store for it (the upload
    itself, or for an image the picture saved again)."""

    kind: DocumentKind
    file: File
    original_name: str
    size: int


def check_upload(upload) -> CheckedUpload:
    """Check ``upload`` or raise a ValidationError a user can act on."""
    if upload is None:
        raise ValidationError("Choose a file to upload.")
    if upload.size == 0:
        raise ValidationError("The selected file is empty.")
    limit_mb = settings.DOCUMENT_MAX_UPLOAD_MB
    if upload.size > limit_mb * 1024 * 1024:
        raise ValidationError(f"The selected file must be smaller than {limit_mb} MB.")
    name = (upload.name or "").lower()
    for extensions, message in _REFUSED_BY_NAME.items():
        if name.endswith(extensions):
            raise ValidationError(message)
    claimed = next((kind for kind in ALLOWED_KINDS if name.endswith(kind.extensions)), None)
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    kind, picture = _check_content(data, claimed)
    if claimed != kind:
        if kind == CSV and claimed is not None:
            # Plain text with a PDF's, image's or Office file's name: it is not one.
            raise ValidationError(
                f"This file says it is a {claimed.label} but it could not be read as one."
            )
        raise ValidationError(
            f"The file's content is a {kind.label} but its name ends differently. "
            f"Rename it to end in {kind.extensions[0]} and upload it again."
        )
    if picture is None:
        return CheckedUpload(kind=kind, file=upload, original_name=upload.name, size=upload.size)
    return CheckedUpload(
        kind=kind,
        file=ContentFile(picture, name=upload.name),
        original_name=upload.name,
        size=len(picture),
    )


def _check_content(data: bytes, claimed: DocumentKind | None) -> tuple[DocumentKind, bytes | None]:
    """The kind ``data`` is, once it passed that kind's checks, and for an image the
    picture saved again."""
    if data.startswith(b"%PDF-"):
        check_pdf(data)
        return PDF, None
    if data.startswith(_PNG_SIGNATURE):
        return PNG, reencode_image(data, PNG)
    if data.startswith(_JPEG_SIGNATURE):
        return JPEG, reencode_image(data, JPEG)
    if data.startswith(_ZIP_SIGNATURE):
        return office_kind(data, claimed), None
    if data.startswith(OLE_SIGNATURE) and claimed in (DOCX, XLSX):
        raise protected(claimed)
    if b"\x00" not in data[:8192]:
        try:
            check_csv(data)
        except ValidationError as error:
            if error.message != TEXT_UNREADABLE_MESSAGE or claimed == CSV:
                raise
            if claimed is None:
                raise ValidationError(NOT_ALLOWED_MESSAGE) from error
            raise ValidationError(
                f"This file says it is a {claimed.label} but it could not be read as one."
            ) from error
        return CSV, None
    raise ValidationError(NOT_ALLOWED_MESSAGE)
