"""The words test: what a page says, checked against the GOV.UK style guide.

``wording_problems(html)`` reads a rendered page as a person sees it (the text, not the
markup or the values behind options) and lists what breaks the style: a stored choice
code shown as text ("in_exit"), one of Django's own error messages ("This field is
required."), True or False where Yes or No belongs, a date-time as a machine
writes it ("2026-12-04 13:34", "4 December 2026, 13:34"), "E-mail", and a count of one
with a plural noun ("1 rows"), and a yes/no filter offering "Unknown" where every list
says "Any". The shared view cases run it over every page they open.
"""

import html
import io
import re

from openpyxl import load_workbook
from pypdf import PdfReader

from governance.core.forms import django_messages

_HIDDEN = re.compile(
    r"<(script|style|template|textarea)\b.*?</\1>|<!--.*?-->", flags=re.S | re.IGNORECASE
)
_TAG = re.compile(r"<[^>]+>")
# A lower_snake_case word on its own: not part of an address, a file name or a path.
_CODE = re.compile(r"(?<![\w@./:=?&#-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w@/=-]|\.\w)")
_BOOLEAN = re.compile(r"(?<![\w\"'])(True|False)(?![\w\"'])")
_MACHINE_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}"  # 2026-12-04 13:34
    r"|\b\d{1,2} [A-Z][a-z]+ \d{4},? \d{1,2}:\d{2}\b"  # 4 December 2026, 13:34
    r"|\b\d{4} at \d{1,2}:\d{2}(?![ap]m)"  # 4 December 2026 at 13:34
    r"|\b\d{1,2}:\d{2} ?[ap]\.m\.|\b\d{1,2}(?::\d{2})? ?(?:AM|PM)\b"  # 1:34 p.m., 1:34 PM
)
_EMAIL_HYPHEN = re.compile(r"\b[Ee]-mail")
# django-filter's own yes/no widgets offer "Unknown" for a filter not in use.
_UNKNOWN_OPTION = re.compile(r"<option\b[^>]*>\s*Unknown\s*</option>", flags=re.IGNORECASE)
# One of something with a plural noun after it ("1 rows", "these 1 returns"); words
# that end in s in the singular are left alone.
_ONE_PLURAL = re.compile(r"(?<![\d.,£%/-])\b1 ([a-z]+[^s\Wu]s)\b")


def _default_message_patterns() -> list[re.Pattern]:
    patterns = []
    for message in django_messages():
        if not message.strip() or "{" in message:
            continue
        text = re.escape(message)
        text = re.sub(r"%\\\(\w+\\\)[sdr]", ".+?", text)
        patterns.append(re.compile(text))
    # Lazily translated plural messages (max length, decimal places) are not read above.
    patterns.append(re.compile(r"Ensure this value (has|is)"))
    patterns.append(re.compile(r"Ensure that there are no more than"))
    return patterns


_DEFAULTS = _default_message_patterns()


def visible_text(page: str) -> str:
    """The text of a page, as it is read: markup, scripts, styles and comments gone."""
    body = page.split("<body", 1)[-1]
    head_title = re.search(r"<title>(.*?)</title>", page, flags=re.S)
    text = _TAG.sub(" ", _HIDDEN.sub(" ", body))
    if head_title:
        text = head_title.group(1) + " " + text
    return re.sub(r"\s+", " ", html.unescape(text))


def wording_problems(page: str) -> list[str]:
    """Each thing ``page`` (HTML) says that the style guide does not allow."""
    text = visible_text(page)
    problems = [f"stored code shown as text: {m}" for m in _CODE.findall(text)]
    problems += [f"{m} where Yes or No belongs" for m in _BOOLEAN.findall(text)]
    problems += [
        f"Django's default message: {p.search(text).group(0)}" for p in _DEFAULTS if p.search(text)
    ]
    problems += [
        f"date-time not written as '4 December 2026 at 1:34pm': {m.group(0)}"
        for m in _MACHINE_DATETIME.finditer(text)
    ]
    problems += [f"'{m}' rather than 'email'" for m in _EMAIL_HYPHEN.findall(text)]
    problems += [f"one with a plural: 1 {m}" for m in _ONE_PLURAL.findall(text)]
    problems += [
        "a filter offers 'Unknown' where it is not in use: say 'Any'"
        for _ in _UNKNOWN_OPTION.findall(page)
    ]
    return problems


def export_problems(text: str) -> list[str]:
    """What an export (CSV, spreadsheet or PDF, as text) says that it should not: a
    stored code or True and False. Machine-readable dates are right in a CSV."""
    problems = [f"stored code shown as text: {m}" for m in _CODE.findall(text)]
    problems += [f"{m} where Yes or No belongs" for m in _BOOLEAN.findall(text)]
    problems += [f"'{m}' rather than 'email'" for m in _EMAIL_HYPHEN.findall(text)]
    return problems


def export_text(response) -> str:
    """The words of an exported list: CSV as it is, each cell of a spreadsheet, the text
    of each page of a PDF."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response["Content-Type"]
    if kind.startswith("text/csv"):
        return content.decode()
    if kind == "application/pdf":
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        " | ".join("" if cell is None else str(cell) for cell in row)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
    )


def assert_plain_english(response, where: str = "") -> None:
    """Fail with every wording problem of a rendered HTML response."""
    if "text/html" not in response.get("Content-Type", ""):
        return
    content = b"".join(response.streaming_content) if response.streaming else response.content
    problems = wording_problems(content.decode())
    assert not problems, f"{where or response.request['PATH_INFO']}: {problems}"
