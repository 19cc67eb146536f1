"""Real files of each kind a document may be, and the bad ones users must not be able
to upload, made in memory for the tests."""

import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from PIL import Image
from PIL.PngImagePlugin import PngInfo
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


# -- PDF -------------------------------------------------------------------------------


def _written(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    return _written(writer)


def pdf_with_javascript() -> bytes:
    """Document-level JavaScript, in the names tree, as Acrobat writes it."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('hello');"),
        }
    )
    scripts = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("hello"), writer._add_object(action)])}
    )
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/JavaScript"): writer._add_object(scripts)}
    )
    return _written(writer)


def pdf_opening_with_javascript() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('hello');"),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    return _written(writer)


def pdf_launching_a_program() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/Launch"),
            NameObject("/F"): TextStringObject("cmd.exe"),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    return _written(writer)


def pdf_with_attachment() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_attachment("invoice.exe", b"MZ\x90\x00 not really a program")
    return _written(writer)


def pdf_with_password() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    return _written(writer)


HTML_AS_PDF = b"%PDF-1.7\n<html><body><script>alert(document.cookie)</script></body></html>\n"


# -- Text ------------------------------------------------------------------------------

GOOD_CSV = b"kpi,value\nSatisfaction,92\n"
SCRIPT_IN_CSV = b'kpi,value\n"<script>alert(document.cookie)</script>",92\n'
SVG_AS_CSV = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script></svg>\n"
)
HTML_AS_CSV = b"<!DOCTYPE html>\n<html><body><p>Quarterly return</p></body></html>\n"
EVENT_HANDLER_IN_CSV = b'kpi,value\n"<img src=x onerror=alert(1)>",92\n'


# -- Office ----------------------------------------------------------------------------


def _content_types(main_part: str, main_type: str, extra: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Override PartName="/{main_part}" ContentType="{main_type}"/>{extra}</Types>'
    )


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _content_types("word/document.xml", DOCX_MAIN))
        archive.writestr(
            "word/document.xml",
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
            'main"><w:body><w:p><w:r><w:t>Minutes</w:t></w:r></w:p></w:body></w:document>',
        )
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    workbook = Workbook()
    workbook.active.append(["KPI", "Value"])
    workbook.active.append(["Satisfaction", 92])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsm_bytes() -> bytes:
    """A macro-enabled workbook, as Excel saves one: to be uploaded renamed .xlsx."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            _content_types(
                "xl/workbook.xml",
                XLSM_MAIN,
                '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>',
            ),
        )
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 macro code")
    return buffer.getvalue()


def zip_bomb_docx(expanded_mb: int = 400) -> bytes:
    """A .docx of about 400 KB whose document part is ``expanded_mb`` MB of zeros.

    The part is deflated at level 9 one megabyte at a time with a full flush after each,
    which makes the compressor start afresh, so every megabyte compresses to the same
    bytes: they are compressed once and repeated, and the zeros are never all in memory.
    """
    zeros = bytes(1024 * 1024)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(expanded_mb):
        crc = zlib.crc32(zeros, crc)
    last = zlib.compressobj(9, zlib.DEFLATED, -15).flush()  # an empty final block
    document = block * expanded_mb + last
    content_types = _content_types("word/document.xml", DOCX_MAIN).encode()
    return _zip_by_hand(
        [
            (
                "[Content_Types].xml",
                zipfile.ZIP_STORED,
                content_types,
                len(content_types),
                zlib.crc32(content_types),
            ),
            ("word/document.xml", zipfile.ZIP_DEFLATED, document, expanded_mb * len(zeros), crc),
        ]
    )


def _zip_by_hand(parts: list[tuple[str, int, bytes, int, int]]) -> bytes:
    """A zip archive of (name, method, stored bytes, expanded size, CRC) parts."""
    body, directory = bytearray(), bytearray()
    for name, method, stored, size, crc in parts:
        encoded = name.encode()
        fields = (20, 0, method, 0, 0x21, crc, len(stored), size, len(encoded))
        directory += (
            struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, 0, 0, 0, 0, 0, len(body))
            + encoded
        )
        body += struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, 0) + encoded + stored
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(directory), len(body), 0
    )
    return bytes(body + directory + end)


def docx_understating_its_size() -> bytes:
    """A .docx whose headers claim its document part expands to 1 KB when it expands to
    2 MB: only expanding it shows the lie."""
    real_size = 2 * 1024 * 1024
    data = bytearray(docx_with_part_of(real_size))
    packed_real = struct.pack("<I", real_size)
    packed_claim = struct.pack("<I", 1024)
    # The size appears in the local header and in the central directory.
    assert data.count(packed_real) == 2
    return bytes(data.replace(packed_real, packed_claim))


def docx_with_part_of(size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _content_types("word/document.xml", DOCX_MAIN))
        archive.writestr("word/document.xml", b"<w:document/>".ljust(size, b" "))
    return buffer.getvalue()


# -- Images ----------------------------------------------------------------------------


def png_bytes(*, text: dict[str, str] | None = None) -> bytes:
    image = Image.new("RGB", (8, 6), (29, 112, 184))
    info = PngInfo()
    for key, value in (text or {}).items():
        info.add_text(key, value)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


def jpeg_with_metadata() -> bytes:
    """A photo carrying who took it, where, and a comment, turned by EXIF orientation."""
    image = Image.new("RGB", (40, 20), (200, 30, 30))
    exif = Image.Exif()
    exif[0x013B] = "Jo Bloggs"  # Artist
    exif[0x0112] = 6  # Orientation: rotate 90 degrees clockwise to show
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}  # GPS
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif, comment=b"Taken at 10 Downing Street")
    return buffer.getvalue()


def corrupt_png() -> bytes:
    good = png_bytes()
    return good[:40] + b"\x00garbage" * 8


def png_claiming_size(width: int, height: int) -> bytes:
    """A tiny PNG whose header says it is ``width`` x ``height`` pixels."""
    data = bytearray(png_bytes())
    ihdr = bytearray(data[12:29])  # chunk type + 13 bytes of data
    ihdr[4:12] = struct.pack(">II", width, height)
    data[12:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(ihdr)))
    return bytes(data)
