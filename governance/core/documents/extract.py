"""The words of an uploaded document, for the search box: the text of a PDF (pypdf),
of a Word document's paragraphs and of an Excel workbook's cells (their XML, read with
the standard library), and CSV files as they are. Files reach here already checked
(``check_upload``); anything that still cannot be read gives no text, never an error.
"""

import io
import logging
import re
import zipfile
from xml.etree import ElementTree

from pypdf import PdfReader

from governance.core.documents.kinds import CSV, DOCX, PDF, XLSX
from governance.core.documents.text import decode_text

logger = logging.getLogger(__name__)

#: The most text kept per document: enough for any contract's words, and well inside
#: PostgreSQL's limit on a search vector.
MAX_TEXT_CHARS = 200_000
#: The most of one part of an Office file read (checked uploads expand to less).
_MAX_PART_BYTES = 50 * 1024 * 1024

_WORD_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_SPACES = re.compile(r"\s+")


def _tidy(text: str) -> str:
    return _SPACES.sub(" ", text).strip()[:MAX_TEXT_CHARS]


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    pieces, length = [], 0
    for page in reader.pages:
        piece = page.extract_text() or ""
        pieces.append(piece)
        length += len(piece)
        if length >= MAX_TEXT_CHARS:
            break
    return " ".join(pieces)


def _xml_texts(archive: zipfile.ZipFile, name: str, tag: str) -> list[str]:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return []
    if info.file_size > _MAX_PART_BYTES:
        return []
    # ElementTree resolves no external entities and expands no entity declarations it
    # does not define itself; the part's size is bounded above.
    root = ElementTree.fromstring(archive.read(info))
    return [element.text for element in root.iter(tag) if element.text]


def _docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        extra = sorted(
            name
            for name in archive.namelist()
            if re.fullmatch(r"word/(header|footer|footnotes|endnotes)\d*\.xml", name)
        )
        parts = ["word/document.xml", *extra]
        return " ".join(
            text for part in parts for text in _xml_texts(archive, part, f"{_WORD_NS}t")
        )


def _xlsx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        texts = _xml_texts(archive, "xl/sharedStrings.xml", f"{_SHEET_NS}t")
        for name in sorted(archive.namelist()):
            if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", name):
                texts += _xml_texts(archive, name, f"{_SHEET_NS}t")
        return " ".join(texts)


_EXTRACTORS = {PDF.media_type: _pdf_text, DOCX.media_type: _docx_text, XLSX.media_type: _xlsx_text}


def extract_text(data: bytes, media_type: str) -> str:
    """The document's words, spaces tidied, at most ``MAX_TEXT_CHARS`` long ("" for
    pictures and for anything unreadable)."""
    try:
        if media_type == CSV.media_type:
            return _tidy(decode_text(data))
        extractor = _EXTRACTORS.get(media_type)
        return _tidy(extractor(data)) if extractor else ""
    except Exception:  # a damaged file has no searchable words; the upload stands
        logger.warning("Could not read the text of a %s document", media_type, exc_info=True)
        return ""
