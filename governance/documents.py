"""Checks on uploaded documents: the kind is recognised from the file's content, not its
name, and the size is limited by ``DOCUMENT_MAX_UPLOAD_MB``."""

import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class DocumentKind:
    label: str
    extensions: tuple[str, ...]
    media_type: str


PDF = DocumentKind("PDF", (".pdf",), "application/pdf")
DOCX = DocumentKind(
    "Word document",
    (".docx",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
XLSX = DocumentKind(
    "Excel spreadsheet",
    (".xlsx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
CSV = DocumentKind("CSV file", (".csv",), "text/csv")
PNG = DocumentKind("PNG image", (".png",), "image/png")
JPEG = DocumentKind("JPEG image", (".jpg", ".jpeg"), "image/jpeg")
ALLOWED_KINDS = (PDF, DOCX, XLSX, CSV, PNG, JPEG)
ALLOWED_DESCRIPTION = "PDF, DOCX, XLSX, CSV, PNG or JPEG"


def _sniff(head: bytes, upload) -> DocumentKind | None:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        upload.seek(0)
        try:
            with zipfile.ZipFile(io.BytesIO(upload.read())) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names:
            if any(name.startswith("word/") for name in names):
                return DOCX
            if any(name.startswith("xl/") for name in names):
                return XLSX
        return None
    if b"\x00" not in head:
        try:
            head.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            # A multi-byte character cut at the end of the sample is still text.
            if exc.start < len(head) - 4:
                return None
        return CSV
    return None


def validate_upload(upload) -> DocumentKind:
    """Return the kind of ``upload`` or raise a ValidationError a user can act on."""
    if upload is None:
        raise ValidationError("Choose a file to upload.")
    if upload.size == 0:
        raise ValidationError("The selected file is empty.")
    limit_mb = settings.DOCUMENT_MAX_UPLOAD_MB
    if upload.size > limit_mb * 1024 * 1024:
        raise ValidationError(f"The selected file must be smaller than {limit_mb} MB.")
    upload.seek(0)
    head = upload.read(8192)
    kind = _sniff(head, upload)
    upload.seek(0)
    if kind is None:
        raise ValidationError(f"The selected file must be a {ALLOWED_DESCRIPTION}.")
    name = (upload.name or "").lower()
    if not name.endswith(kind.extensions):
        raise ValidationError(
            f"The file's content is a {kind.label} but its name ends differently. "
            f"Rename it to end in {kind.extensions[0]} and upload it again."
        )
    return kind
