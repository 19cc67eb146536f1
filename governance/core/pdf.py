"""The one way to make a PDF: a template rendered to HTML, then WeasyPrint.

Every PDF carries, on every page, the report's reference, who generated it and when,
and "Page X of Y" (see templates/pdf/base.html and static/css/pdf.css).

A very long PDF (a list of thousands of rows) is laid out in parts, one after another,
and the parts joined into one file (``PdfJoiner``): WeasyPrint keeps every laid-out page
of a document in memory until it writes the file, so one document of a thousand pages
would need more memory than a worker has.
"""

import re
from typing import BinaryIO

import pydyf
from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone


def pdf_stylesheet() -> str:
    path = finders.find("css/pdf.css")
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def pdf_context(*, context: dict, reference: str, user) -> dict:
    """What every PDF template is given: the report's context, its reference, who
    generated it and when, and the print stylesheet."""
    return {
        **context,
        "reference": reference,
        "generated_by": (user.get_full_name() or user.username) if user else "System",
        "generated_at": timezone.localtime(),
        "pdf_css": pdf_stylesheet(),
        "commissioner_name": settings.COMMISSIONER_NAME,
    }


def _document(html: str):
    from weasyprint import HTML

    # Everything the page needs is inline (styles, SVG charts), so nothing is fetched.
    return HTML(string=html, base_url=None)


def render_pdf_bytes(*, template_name: str, context: dict, reference: str, user) -> bytes:
    full_context = pdf_context(context=context, reference=reference, user=user)
    return _document(render_to_string(template_name, full_context)).write_pdf()


def render_pdf(*, request, template_name: str, context: dict, reference: str, filename: str):
    data = render_pdf_bytes(
        template_name=template_name, context=context, reference=reference, user=request.user
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class _Written(pydyf.Object):
    """An object of a part, already written out, renumbered into the joined file."""

    def __init__(self, data: bytes):
        super().__init__()
        self._data = data

    @property
    def data(self) -> bytes:
        return self._data

    @property
    def compressible(self) -> bool:
        return False


class _Nowhere:
    def write(self, data) -> int:
        return len(data)


_REFERENCE = re.compile(rb"\b(\d+) 0 R\b")


class PdfJoiner:
    """Joins PDFs laid out one after another into one file, holding only the written
    bytes of the parts before it. Each part must number its own pages (its template
    prints "Page X of Y" for the whole file), as page counters restart in each part.

    Each part's objects keep their order and are renumbered after the objects already
    joined; its pages join the joined file's page tree. References are renumbered in
    object dictionaries only, never inside streams (page content, fonts)."""

    def __init__(self, *, title: str):
        self.pdf = pydyf.PDF()
        self.pdf.info["Title"] = pydyf.String(title)
        self.pdf.info["Producer"] = pydyf.String("WeasyPrint")
        self.pdf.catalog["Lang"] = pydyf.String("en-GB")
        self.pages = 0

    def add(self, html: str) -> int:
        """Lay out one part and join it; returns the number of pages it added."""
        before = self.pages
        _document(html).render().write_pdf(_Nowhere(), finisher=self._take)
        return self.pages - before

    def _take(self, _document, part: pydyf.PDF) -> None:
        shift = len(self.pdf.objects) - 1
        part_pages = set(part.pages["Kids"][::3])
        joined_pages = self.pdf.pages.reference

        def renumber(match: re.Match) -> bytes:
            number = int(match[1])
            if number == part.pages.number:
                return joined_pages
            return b"%d 0 R" % (number + shift)

        for obj in part.objects[1:]:
            if obj is part.pages or obj is part.catalog:
                data = b"null"  # the part's own page tree and catalog are not needed
            else:
                head, stream, body = obj.data.partition(b"\nstream\n")
                data = _REFERENCE.sub(renumber, head) + stream + body
            written = _Written(data)
            self.pdf.add_object(written)
            if obj.number in part_pages:
                self.pdf.pages["Count"] += 1
                self.pdf.pages["Kids"].extend([written.number, 0, "R"])
                self.pages += 1
        # The part has been taken whole: what WeasyPrint still writes of it goes nowhere.
        del part.objects[1:]

    def write(self, target: BinaryIO) -> None:
        self.pdf.write(target, compress=True)
