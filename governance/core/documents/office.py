"""Word documents and Excel spreadsheets: zip archives whose list of contents names a
.docx or .xlsx main part, with no macros or ActiveX controls, that expand to a size a
real document could have."""

import io
import re
import zipfile
import zlib

from django.core.exceptions import ValidationError

from governance.core.documents.kinds import DOCX, NOT_ALLOWED_MESSAGE, XLSX, DocumentKind

MAX_EXPANDED_BYTES = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_PARTS = 10_000
CONTENT_TYPES_PART = "[Content_Types].xml"
_CONTENT_TYPES_LIMIT = 1024 * 1024
_CHUNK = 1024 * 1024

_MAIN_PART_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
}
_CONTENT_TYPE = re.compile(rb"""ContentType\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
#: The start of every OLE compound file: old .doc/.xls files, and password-protected
#: .docx/.xlsx files, which Office wraps in one.
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_SAVE_AS = {DOCX: ".docx", XLSX: ".xlsx"}
_NOUN = {DOCX: "document", XLSX: "spreadsheet"}


def unreadable(claimed: DocumentKind | None) -> ValidationError:
    if claimed in (DOCX, XLSX):
        return ValidationError(
            f"This file says it is a {claimed.label} but it could not be opened as one."
        )
    return ValidationError(NOT_ALLOWED_MESSAGE)


def protected(claimed: DocumentKind) -> ValidationError:
    return ValidationError(
        f"This {_NOUN[claimed]} is protected with a password, or was saved in an old "
        f"format. Remove the password and save it as {_SAVE_AS[claimed]}, then try again."
    )


def office_kind(data: bytes, claimed: DocumentKind | None) -> DocumentKind:
    """The kind of Office file ``data`` is, after every check passes.

    ``claimed`` is the kind the file's name gives, used only to word the messages.
    Sizes are first read from the archive's own list of contents, so a file claiming
    to expand beyond the limit is refused without expanding anything; then every part
    is expanded in chunks, counting as it goes, to prove the list told the truth.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise unreadable(claimed) from exc
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise ValidationError(
                f"This file has more than {MAX_PARTS:,} parts inside it, far more than a "
                "real document has. Check it is the right file and try again."
            )
        expanded = sum(part.file_size for part in parts)
        compressed = sum(part.compress_size for part in parts)
        _check_expansion(expanded, compressed)
        names = {part.filename for part in parts}
        if CONTENT_TYPES_PART not in names:
            raise unreadable(claimed)
        try:
            with archive.open(CONTENT_TYPES_PART) as part:
                content_types = part.read(_CONTENT_TYPES_LIMIT + 1)
        except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError) as exc:
            raise unreadable(claimed) from exc
        if len(content_types) > _CONTENT_TYPES_LIMIT:
            raise unreadable(claimed)
        types = {value.decode("latin-1").lower() for value in _CONTENT_TYPE.findall(content_types)}
        lowered = {name.lower() for name in names}
        kind = _refuse_active_content(types, lowered) or next(
            (_MAIN_PART_TYPES[value] for value in types if value in _MAIN_PART_TYPES), None
        )
        if kind is None:
            raise unreadable(claimed)
        _expand_every_part(archive, parts, claimed or kind)
    return kind


def _check_expansion(expanded: int, compressed: int) -> None:
    if expanded > MAX_EXPANDED_BYTES:
        raise ValidationError(
            f"This file expands to more than {MAX_EXPANDED_BYTES // (1024 * 1024)} MB when "
            "opened, which we do not accept. Check it is the right file, or split it into "
            "smaller files, and try again."
        )
    if expanded > MAX_COMPRESSION_RATIO * max(compressed, 1):
        raise ValidationError(
            f"This file is squeezed far more than a real document (over "
            f"{MAX_COMPRESSION_RATIO} to 1), which we do not accept. Check it is the right "
            "file and try again."
        )


def _refuse_active_content(types: set[str], names: set[str]) -> None:
    """Raise for macros or ActiveX controls, named for the kind of file they are in."""
    macros = any("macroenabled" in value or "vbaproject" in value for value in types) or any(
        name.endswith(("vbaproject.bin", "vbaprojectsignature.bin")) for name in names
    )
    activex = any("activex" in value for value in types) or any(
        "/activex/" in name for name in names
    )
    if not (macros or activex):
        return None
    spreadsheet = any("ms-excel" in value or "spreadsheetml" in value for value in types) or any(
        name.startswith("xl/") for name in names
    )
    kind = XLSX if spreadsheet else DOCX
    if macros:
        raise ValidationError(
            f"This {_NOUN[kind]} contains macros, which we do not accept: save it as "
            f"{_SAVE_AS[kind]} without macros and try again."
        )
    raise ValidationError(
        f"This {_NOUN[kind]} contains ActiveX controls, which can run programs and which we "
        f"do not accept: remove them, save it as {_SAVE_AS[kind]} and try again."
    )


def _expand_every_part(archive: zipfile.ZipFile, parts, claimed: DocumentKind) -> None:
    # zipfile stops each part at the size its header gives and then checks the part's
    # checksum, so a header that understates a part is caught here as damage; counting
    # against the limit as well keeps this safe whatever the headers say.
    budget = MAX_EXPANDED_BYTES
    try:
        for part in parts:
            with archive.open(part) as stream:
                while chunk := stream.read(_CHUNK):
                    budget -= len(chunk)
                    if budget < 0:
                        _check_expansion(MAX_EXPANDED_BYTES + 1, 1)
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError) as exc:
        raise unreadable(claimed) from exc
