"""Checks that a chart is shown with the table of its figures (templates/includes/chart.html):
on a page, and in a PDF read back as text."""

import html
import re


def page_figures(page: str, testid: str) -> str:
    """The text of the figures table of the chart ``testid`` on ``page``, on single spaces."""
    marker = f'data-testid="{testid}-figures"'
    assert marker in page, f"no table of figures for {testid}"
    start = page.index(marker)
    table = page[start : page.index("</table>", start)]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", table)).split())


def assert_rows_in_order(text: str, chart) -> None:
    """The chart's title, then its column headers and every row of figures, in order."""
    assert chart.rows, "a chart with figures"
    assert chart.title in text, chart.title
    table = text[text.index(" ".join(chart.headers)) :]
    for row in chart.rows:
        line = " ".join(row)
        assert line in table, (line, table[:400])
        table = table[table.index(line) + len(line) :]


def assert_page_shows_figures(page: str, testid: str, chart, *, details: bool = True) -> None:
    figures = page_figures(page, testid)
    assert_rows_in_order(figures, chart)
    chart_at = page.index(f'data-testid="{testid}"')
    shown = page[chart_at : page.index(f'data-testid="{testid}-figures"')]
    assert "<svg" in shown, "the chart comes first, then its figures"
    assert ("Show the figures" in shown) == details
