"""Pages write GOV.UK summary lists and tables through the govuk template tags
({% summary_list %}, {% summary_row %}, {% table %}, {% row %}, {% cell %}), never by hand,
so every page gets the same markup and a fix to it is made once.

PDF layouts (any template under a ``pdf`` folder or named ``pdf*``) keep their own tables:
WeasyPrint lays them out for print with their own stylesheet."""

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"

HAND_WRITTEN = re.compile(
    r"govuk-summary-list__row|<dl\b[^>]*govuk-summary-list|<(?:table|thead|tbody|tfoot|tr|th|td)\b",
    re.IGNORECASE,
)


def is_pdf_layout(path: Path) -> bool:
    parts = path.relative_to(TEMPLATES).parts
    return any(part == "pdf" or part.startswith("pdf") for part in parts)


def page_templates() -> list[Path]:
    return [path for path in TEMPLATES.rglob("*.html") if not is_pdf_layout(path)]


def hand_written_markup(text: str) -> list[str]:
    """Each line of ``text`` with summary-list or table markup written by hand."""
    return [
        f"line {number}: {line.strip()[:100]}"
        for number, line in enumerate(text.splitlines(), start=1)
        if HAND_WRITTEN.search(line)
    ]


def test_the_check_finds_hand_written_markup():
    assert hand_written_markup('<div class="govuk-summary-list__row"><dt>Key</dt></div>')
    assert hand_written_markup('<dl class="govuk-summary-list">')
    assert hand_written_markup('<TABLE class="govuk-table">')
    assert hand_written_markup('{% for r in rows %}<tr class="govuk-table__row">')
    assert hand_written_markup('<td class="govuk-table__cell">1</td>')
    assert not hand_written_markup('{% summary_row "Key" value %}{% cell value %}')
    assert not hand_written_markup('<p class="govuk-body">A tablet, a thermometer</p>')


def test_pdf_layouts_are_the_only_exception():
    pdfs = {path.relative_to(TEMPLATES).as_posix() for path in TEMPLATES.rglob("*.html")} - {
        path.relative_to(TEMPLATES).as_posix() for path in page_templates()
    }
    assert "pdf/portfolio.html" in pdfs
    assert "contracts/pdf/organisation.html" in pdfs
    assert "contracts/contract_detail.html" not in pdfs
    assert all("pdf" in name for name in pdfs)


def test_no_page_template_writes_summary_list_or_table_markup_by_hand():
    offenders = {
        path.relative_to(TEMPLATES).as_posix(): found
        for path in page_templates()
        if (found := hand_written_markup(path.read_text()))
    }
    assert not offenders, (
        "Write summary lists and tables with the govuk tags "
        "(governance/templatetags/_components.py):\n"
        + "\n".join(f"{name} {line}" for name, lines in offenders.items() for line in lines)
    )
