"""The kinds of file a document may be, and the words a user sees for each."""

from dataclasses import dataclass


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
NOT_ALLOWED_MESSAGE = f"The selected file must be a {ALLOWED_DESCRIPTION}."
