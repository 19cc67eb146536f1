"""The one way to make a PDF: a template rendered to HTML, then WeasyPrint.

Every PDF carries, on every page, the report's reference, who generated it and when,
and "Page X of Y" (see templates/pdf/base.html and static/css/pdf.css).
"""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone


def pdf_stylesheet() -> str:
    path = finders.find("css/pdf.css")
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def render_pdf_bytes(*, template_name: str, context: dict, reference: str, user) -> bytes:
    from weasyprint import HTML

    full_context = {
        **context,
        "reference": reference,
        "generated_by": (user.get_full_name() or user.username) if user else "System",
        "generated_at": timezone.localtime(),
        "pdf_css": pdf_stylesheet(),
        "commissioner_name": settings.COMMISSIONER_NAME,
    }
    html = render_to_string(template_name, full_context)
    # Everything the page needs is inline (styles, SVG charts), so nothing is fetched.
    return HTML(string=html, base_url=None).write_pdf()


def render_pdf(*, request, template_name: str, context: dict, reference: str, filename: str):
    data = render_pdf_bytes(
        template_name=template_name, context=context, reference=reference, user=request.user
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
