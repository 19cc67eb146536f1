"""Lists as files: the rows of a list page, as the person sees them with their filters,
written as CSV or as a long PDF listing. Both take the rows one at a time, so a list of
tens of thousands of rows never sits in memory as model objects.

The long PDF listing prints each row on one line in a fixed-width type, a page of rows
at a time, and is laid out in parts joined into one file (see governance/pdf.py). A
20,000-row risk log takes about half a minute of processor time and under 200 MB
(``manage.py benchmark_exports``), where a table of that length would take many minutes
and gigabytes: WeasyPrint lays out every table cell as a box of its own.
"""

import csv
import html
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from django.template.loader import render_to_string
from django.utils.html import strip_tags

from governance.core.pdf import PdfJoiner, pdf_context
from governance.core.tables import Column

#: progress(rows done): called as an export goes.
Progress = Callable[[int], None]

#: How often (in rows) an export reports its progress.
PROGRESS_EVERY = 1000


def _quiet(_done: int) -> None:
    return None


class Echo:
    """A file that hands back what is written to it, for streaming CSV lines."""

    def write(self, value):
        return value


def csv_lines(columns: list[Column], rows: Iterable, progress: Progress = _quiet) -> Iterator[str]:
    """The header and one line per row, as CSV text."""
    writer = csv.writer(Echo())
    yield writer.writerow([col.label for col in columns])
    done = 0
    for done, obj in enumerate(rows, start=1):
        yield writer.writerow([col.csv(obj) for col in columns])
        if done % PROGRESS_EVERY == 0:
            progress(done)
    progress(done)


def shown_text(column: Column, obj) -> str:
    """What the list page's table shows in the cell, as plain text on one line: a cell
    with markup (a deadline's date and its tag) prints the words of it."""
    text = html.unescape(strip_tags(column.html(obj))) if column.html else column.text(obj)
    return " ".join(text.split())


def counted(rows: Iterable, progress: Progress) -> Iterator:
    """``rows`` unchanged, reporting how many have gone by."""
    done = 0
    for done, row in enumerate(rows, start=1):
        yield row
        if done % PROGRESS_EVERY == 0:
            progress(done)
    progress(done)


# -- The long PDF listing ------------------------------------------------------------------

#: Characters of the listing's type (7pt, fixed width) across a landscape A4 page, and
#: lines down it; both a little short of what fits, so a row never wraps and a page
#: never overflows (the page numbers are printed before the pages are laid out).
LISTING_LINE_CHARACTERS = 176
LISTING_ROWS_PER_PAGE = 44
#: Pages laid out at a time: more is faster, fewer uses less memory.
LISTING_PAGES_PER_PART = 40
COLUMN_GAP = 2
ELLIPSIS = "…"


def column_widths(wanted: list[int], available: int) -> list[int]:
    """Share ``available`` characters among columns that want ``wanted``: a column
    wanting less than an equal share gets all it wants, and the wider ones share what
    is left equally."""
    if sum(wanted) <= available:
        return list(wanted)
    widths = [0] * len(wanted)
    pending = sorted(range(len(wanted)), key=lambda index: wanted[index])
    remaining = available
    while pending:
        share = remaining // len(pending)
        narrowest = pending[0]
        if wanted[narrowest] <= share:
            widths[narrowest] = wanted[narrowest]
            remaining -= wanted[narrowest]
            pending.pop(0)
            continue
        leftover = remaining - share * len(pending)
        for place, index in enumerate(pending):
            # The characters an equal share leaves over go to the widest columns.
            widths[index] = max(1, share + (1 if place >= len(pending) - leftover else 0))
        break
    return widths


def _fit(text: str, width: int, right: bool) -> str:
    if len(text) > width:
        text = text[: width - 1] + ELLIPSIS
    return text.rjust(width) if right else text.ljust(width)


@dataclass
class ListingLayout:
    """The listing's columns: their widths in characters and which are right-aligned."""

    widths: list[int]
    right: list[bool]

    @classmethod
    def for_rows(cls, columns: list[Column], texts: list[list[str]]) -> "ListingLayout":
        wanted = [len(col.label) for col in columns]
        for row in texts:
            for index, text in enumerate(row):
                if len(text) > wanted[index]:
                    wanted[index] = len(text)
        available = LISTING_LINE_CHARACTERS - COLUMN_GAP * (len(columns) - 1)
        return cls(
            widths=column_widths(wanted, available),
            right=[col.numeric or col.money for col in columns],
        )

    def line(self, cells: list[str]) -> str:
        gap = " " * COLUMN_GAP
        fitted = (
            _fit(text, width, right)
            for text, width, right in zip(cells, self.widths, self.right, strict=True)
        )
        return gap.join(fitted).rstrip()


def listing_pdf(
    *,
    target: BinaryIO,
    title: str,
    reference: str,
    user,
    columns: list[Column],
    rows: Iterable,
    total: int,
    filters: list[tuple[str, str, str]],
    progress: Progress = _quiet,
) -> int:
    """Write the listing of ``rows`` (``total`` of them in the list; fewer if the PDF
    lists only the first) to ``target``; returns the number of pages. Page 1 says what
    the list is; the rows follow, one line each, a page at a time."""
    texts = [[shown_text(col, obj) for col in columns] for obj in rows]
    layout = ListingLayout.for_rows(columns, texts)
    sheets = math.ceil(len(texts) / LISTING_ROWS_PER_PAGE)
    page_total = 1 + sheets
    base = pdf_context(
        context={
            "title": title,
            "filters": filters,
            "total": total,
            "listed": len(texts),
            "head": layout.line([col.label for col in columns]),
            "page_total": page_total,
            "rows_per_page": LISTING_ROWS_PER_PAGE,
        },
        reference=reference,
        user=user,
    )
    joiner = PdfJoiner(title=reference)
    sheet = 0
    done = 0
    while sheet < sheets or not joiner.pages:
        cover = not joiner.pages
        part = []
        for _ in range(LISTING_PAGES_PER_PART - (1 if cover else 0)):
            if sheet >= sheets:
                break
            lines = texts[sheet * LISTING_ROWS_PER_PAGE : (sheet + 1) * LISTING_ROWS_PER_PAGE]
            part.append("\n".join(layout.line(row) for row in lines))
            done += len(lines)
            sheet += 1
        joiner.add(
            render_to_string(
                "pdf/object_listing.html",
                {**base, "cover": cover, "sheets": part, "first_page": joiner.pages + 1},
            )
        )
        progress(done)
    joiner.write(target)
    return joiner.pages
