"""Charts drawn on the server as SVG, so a page and its PDF show the same picture.

The markup stands alone: no script, no stylesheet, no web font, and no style
attribute, which the Content-Security-Policy would refuse (the page's .app-chart rule
caps the width). Every style is a presentation attribute, text is set in the reader's
sans-serif, and the viewBox is fixed so the chart scales to its container. Each chart
is an image to assistive technology (``role="img"``) named by its ``<title>`` and
described by a ``<desc>`` that lists every value, and points coloured by RAG status
also differ in shape, so no meaning rests on colour alone.
"""

import hashlib
import math
import re
from decimal import Context, Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 76, 20, 20, 64
PLOT_WIDTH, PLOT_HEIGHT = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
FONT = "Arial, Helvetica, sans-serif"

# GOV.UK Design System colours.
TEXT, SECONDARY_TEXT, GRID, LINE = "#0b0c0c", "#505a5f", "#b1b4b6", "#1d70b8"
RAG_COLOURS = {"green": "#00703c", "amber": "#f47738", "red": "#d4351c", "none": "#505a5f"}
RAG_LABELS = {"green": "green", "amber": "amber", "red": "red", "none": "not reported"}

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _text(value) -> str:
    """Text safe inside SVG (XML): escaped, without the control characters XML forbids."""
    return escape(_CONTROL.sub("", str(value)))


def _n(number: float) -> str:
    """A coordinate, short and never in exponent notation."""
    text = f"{number:.1f}"
    return text[:-2] if text.endswith(".0") else text


def format_value(value, unit: str = "") -> str:
    """92.5%, £1,200, 1,200 or 5 days: up to two decimals, trailing zeros dropped."""
    number = Decimal(str(value)).quantize(Decimal("0.01"), context=Context(prec=60))
    text = f"{abs(number):,.2f}".rstrip("0").rstrip(".")
    sign = "-" if number < 0 else ""
    if unit == "£":
        return f"{sign}£{text}"
    if unit == "%":
        return f"{sign}{text}%"
    return f"{sign}{text} {unit}".strip()


def _nice_step(span: float, ticks: int = 5) -> float:
    raw = span / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        if raw <= multiple * magnitude:
            return multiple * magnitude
    return 10 * magnitude  # pragma: no cover - the loop always returns


def _axis(values: list[float]) -> tuple[float, float, float]:
    """(lowest, highest, step) of a y axis with round-numbered gridlines."""
    low, high = min(values), max(values)
    if low == high:
        pad = abs(low) * 0.1 or 1.0
        low, high = low - pad, high + pad
    step = _nice_step(high - low)
    bottom, top = math.floor(low / step) * step, math.ceil(high / step) * step
    if min(values) >= 0 > bottom:
        bottom = 0.0  # never show a negative axis for figures that cannot be negative
    return bottom, top, step


def _marker(rag: str | None, x: float, y: float, label: str) -> str:
    """A point: a circle, or a shape and colour for its RAG status."""
    colour = RAG_COLOURS.get(rag, LINE) if rag else LINE
    common = f'fill="{colour}" stroke="#ffffff" stroke-width="1.5"'
    title = f"<title>{_text(label)}</title>"
    if rag == "amber":  # a diamond
        points = f"{_n(x)},{_n(y - 7)} {_n(x + 7)},{_n(y)} {_n(x)},{_n(y + 7)} {_n(x - 7)},{_n(y)}"
        return f'<polygon points="{points}" {common}>{title}</polygon>'
    if rag == "red":  # a square
        return (
            f'<rect x="{_n(x - 5.5)}" y="{_n(y - 5.5)}" width="11" height="11" {common}>'
            f"{title}</rect>"
        )
    return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="6" {common}>{title}</circle>'


def _unpack(point) -> tuple[str, float | None, str | None, object]:
    label, value, *rest = point
    rag = rest[0] if rest else None
    if value is not None:
        number = float(value)
        if not math.isfinite(number):
            value, number = None, None
    else:
        number = None
    return str(label), number, rag, value


def line_chart(
    points: list[tuple], target=None, unit: str = "", title: str = "", chart_id: str = ""
) -> SafeString:
    """An SVG line chart of ``points``: ``(label, value)`` or ``(label, value, rag)``,
    oldest first, where a value of None leaves a gap. ``target`` draws a dashed line;
    ``unit`` is "%", "£" or a word ("days") written after each value; ``title`` names
    the chart for assistive technology. Returns markup ready for a page or a PDF."""
    unpacked = [_unpack(point) for point in points]
    target_number = float(target) if target is not None else None
    if target_number is not None and not math.isfinite(target_number):
        target_number = None
    title = title or "Chart"
    chart_id = (
        chart_id
        or "chart-"
        + hashlib.sha1(repr((unpacked, target_number, unit, title)).encode()).hexdigest()[:10]
    )

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" preserveAspectRatio="xMidYMid meet" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="{FONT}" class="app-chart" focusable="false">',
        f'<title id="{chart_id}-title">{_text(title)}</title>',
        f'<desc id="{chart_id}-desc">{_text(_describe(unpacked, target, unit))}</desc>',
    ]
    values = [number for _, number, _, _ in unpacked if number is not None]
    if not values:
        parts.append(
            f'<text x="{WIDTH // 2}" y="{HEIGHT // 2}" text-anchor="middle" font-size="16" '
            f'fill="{SECONDARY_TEXT}">No values to show yet</text></svg>'
        )
        return mark_safe("".join(parts))

    bottom, top, step = _axis(values + ([target_number] if target_number is not None else []))

    def y_of(number: float) -> float:
        return TOP + PLOT_HEIGHT - (number - bottom) / (top - bottom) * PLOT_HEIGHT

    slot = PLOT_WIDTH / len(unpacked)

    def x_of(index: int) -> float:
        return LEFT + slot * (index + 0.5)

    # Gridlines and the y axis's labels.
    tick_count = round((top - bottom) / step)
    for tick in range(tick_count + 1):
        number = bottom + tick * step
        y = y_of(number)
        parts.append(
            f'<line x1="{LEFT}" y1="{_n(y)}" x2="{WIDTH - RIGHT}" y2="{_n(y)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 8}" y="{_n(y + 4)}" text-anchor="end" font-size="12" '
            f'fill="{SECONDARY_TEXT}">{_text(format_value(number, unit))}</text>'
        )
    # The x axis and its labels.
    axis_y = TOP + PLOT_HEIGHT
    parts.append(
        f'<line x1="{LEFT}" y1="{axis_y}" x2="{WIDTH - RIGHT}" y2="{axis_y}" '
        f'stroke="{TEXT}" stroke-width="1"/>'
    )
    for index, (label, _, _, _) in enumerate(unpacked):
        parts.append(
            f'<text x="{_n(x_of(index))}" y="{axis_y + 18}" text-anchor="middle" '
            f'font-size="11" fill="{TEXT}">{_text(label)}</text>'
        )
    # The target.
    if target_number is not None:
        y = y_of(target_number)
        parts.append(
            f'<line x1="{LEFT}" y1="{_n(y)}" x2="{WIDTH - RIGHT}" y2="{_n(y)}" '
            f'stroke="{TEXT}" stroke-width="2" stroke-dasharray="8 5"/>'
        )
    # The line, broken where a value is missing, then the points over it.
    segment: list[str] = []
    segments = [segment]
    for index, (_, number, _, _) in enumerate(unpacked):
        if number is None:
            segment = []
            segments.append(segment)
        else:
            segment.append(f"{_n(x_of(index))},{_n(y_of(number))}")
    for run in segments:
        if len(run) > 1:
            parts.append(
                f'<polyline points="{" ".join(run)}" fill="none" stroke="{LINE}" '
                'stroke-width="3" stroke-linejoin="round" stroke-linecap="round"/>'
            )
    for index, (label, number, rag, value) in enumerate(unpacked):
        if number is not None:
            parts.append(
                _marker(rag, x_of(index), y_of(number), _point_text(label, value, rag, unit))
            )
    parts.append(_legend(target, unit, any(rag for _, _, rag, _ in unpacked)))
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _point_text(label: str, value, rag: str | None, unit: str) -> str:
    if value is None:
        return f"{label}: no value"
    text = f"{label}: {format_value(value, unit)}"
    return f"{text} ({RAG_LABELS.get(rag, rag)})" if rag else text


def _describe(unpacked, target, unit: str) -> str:
    if not any(number is not None for _, number, _, _ in unpacked):
        return "No values to show yet."
    values = "; ".join(
        _point_text(label, value if number is not None else None, rag, unit)
        for label, number, rag, value in unpacked
    )
    if target is not None:
        values += f". Target: {format_value(target, unit)}"
    return values + "."


def _legend(target, unit: str, rated: bool) -> str:
    y = HEIGHT - 14
    items, x = [], LEFT
    if rated:
        for rag in ("green", "amber", "red"):
            items.append(_marker(rag, x + 6, y - 4, RAG_LABELS[rag].capitalize()))
            items.append(
                f'<text x="{x + 16}" y="{y}" font-size="12" fill="{TEXT}">'
                f"{RAG_LABELS[rag].capitalize()}</text>"
            )
            x += 80
    if target is not None:
        items.append(
            f'<line x1="{x}" y1="{y - 4}" x2="{x + 28}" y2="{y - 4}" stroke="{TEXT}" '
            'stroke-width="2" stroke-dasharray="8 5"/>'
        )
        items.append(
            f'<text x="{x + 34}" y="{y}" font-size="12" fill="{TEXT}">'
            f"Target {_text(format_value(target, unit))}</text>"
        )
    return f'<g aria-hidden="true">{"".join(items)}</g>' if items else ""


def _svg_open(
    chart_id: str, title: str, description: str, height: int = HEIGHT, linked: bool = False
) -> str:
    """The chart's opening tag. A chart whose parts are links is a group (an image may
    hold nothing interactive); otherwise it is one image."""
    role = "group" if linked else "img"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" preserveAspectRatio="xMidYMid meet" role="{role}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="{FONT}" class="app-chart" focusable="false">'
        f'<title id="{chart_id}-title">{_text(title)}</title>'
        f'<desc id="{chart_id}-desc">{_text(description)}</desc>'
    )


def _chart_id(prefix: str, *content) -> str:
    return f"{prefix}-" + hashlib.sha1(repr(content).encode()).hexdigest()[:10]


def _link(url: str | None, inner: str, label: str = "") -> str:
    """Wraps a chart element in a link to the list behind it (a page follows it; a PDF
    ignores it), named for assistive technology by ``label``."""
    if not url:
        return inner
    name = f' aria-label="{_text(label)}"' if label else ""
    return f'<a href="{_text(url)}"{name}>{inner}</a>'


def bar_chart(
    bars: list[tuple], *, title: str, unit: str = "", chart_id: str = "", colour: str = LINE
) -> SafeString:
    """Horizontal bars, one per ``(label, count)`` or ``(label, count, url)``, in the
    order given: dispute stages, for example. Zero-count bars still show their label."""
    rows = [(str(bar[0]), float(bar[1] or 0), bar[2] if len(bar) > 2 else None) for bar in bars]
    chart_id = chart_id or _chart_id("bars", rows, title)
    height = max(TOP + 28 * len(rows) + 24, 80)
    description = (
        "; ".join(f"{label}: {format_value(value, unit)}" for label, value, _ in rows) + "."
        if rows
        else "Nothing to show."
    )
    linked = any(url for _, _, url in rows)
    parts = [_svg_open(chart_id, title, description, height, linked)]
    if not rows:
        parts.append(
            f'<text x="{WIDTH // 2}" y="{height // 2}" text-anchor="middle" font-size="16" '
            f'fill="{SECONDARY_TEXT}">Nothing to show</text></svg>'
        )
        return mark_safe("".join(parts))
    label_width = 240
    plot = WIDTH - label_width - RIGHT - 60
    highest = max(value for _, value, _ in rows) or 1.0
    for index, (label, value, url) in enumerate(rows):
        y = TOP + index * 28
        width = plot * value / highest
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end" font-size="12" '
            f'fill="{TEXT}">{_text(label)}</text>'
        )
        bar = (
            f'<rect x="{label_width}" y="{y + 2}" width="{_n(max(width, 1))}" height="18" '
            f'fill="{colour}"><title>{_text(label)}: {_text(format_value(value, unit))}</title>'
            "</rect>"
        )
        parts.append(_link(url, bar, f"{label}: {format_value(value, unit)}"))
        parts.append(
            f'<text x="{_n(label_width + max(width, 1) + 6)}" y="{y + 15}" font-size="12" '
            f'fill="{TEXT}">{_text(format_value(value, unit))}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


RAG_ORDER = ("red", "amber", "green", "none")


def rag_stack_chart(columns: list[tuple], *, title: str, chart_id: str = "") -> SafeString:
    """Stacked columns of counts by RAG status, one per ``(label, {rag: count})``,
    oldest first: how many returns were red, amber and green in each quarter. The
    stacks differ by pattern as well as colour (red is hatched, amber dotted)."""
    cleaned = [
        (str(label), {rag: int(counts.get(rag, 0) or 0) for rag in RAG_ORDER})
        for label, counts in columns
    ]
    chart_id = chart_id or _chart_id("rag", cleaned, title)
    description = (
        "; ".join(
            f"{label}: "
            + ", ".join(f"{counts[rag]} {RAG_LABELS[rag]}" for rag in RAG_ORDER if counts[rag])
            if any(counts.values())
            else f"{label}: none"
            for label, counts in cleaned
        )
        + "."
        if cleaned
        else "Nothing to show."
    )
    parts = [_svg_open(chart_id, title, description)]
    parts.append(
        "<defs>"
        f'<pattern id="{chart_id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{RAG_COLOURS["red"]}"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" stroke-width="2"/></pattern>'
        f'<pattern id="{chart_id}-dots" width="6" height="6" patternUnits="userSpaceOnUse">'
        f'<rect width="6" height="6" fill="{RAG_COLOURS["amber"]}"/>'
        '<circle cx="3" cy="3" r="1.2" fill="#ffffff"/></pattern>'
        "</defs>"
    )
    fills = {
        "red": f"url(#{chart_id}-hatch)",
        "amber": f"url(#{chart_id}-dots)",
        "green": RAG_COLOURS["green"],
        "none": GRID,
    }
    totals = [sum(counts.values()) for _, counts in cleaned]
    if not cleaned or not any(totals):
        parts.append(
            f'<text x="{WIDTH // 2}" y="{HEIGHT // 2}" text-anchor="middle" font-size="16" '
            f'fill="{SECONDARY_TEXT}">No values to show yet</text></svg>'
        )
        return mark_safe("".join(parts))
    bottom, top, step = _axis([0.0, float(max(totals))])
    axis_y = TOP + PLOT_HEIGHT

    def y_of(number: float) -> float:
        return axis_y - (number - bottom) / (top - bottom) * PLOT_HEIGHT

    for tick in range(round((top - bottom) / step) + 1):
        number = bottom + tick * step
        parts.append(
            f'<line x1="{LEFT}" y1="{_n(y_of(number))}" x2="{WIDTH - RIGHT}" '
            f'y2="{_n(y_of(number))}" stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{LEFT - 8}" y="{_n(y_of(number) + 4)}" text-anchor="end" font-size="12" '
            f'fill="{SECONDARY_TEXT}">{_text(format_value(number))}</text>'
        )
    slot = PLOT_WIDTH / len(cleaned)
    bar_width = min(48.0, slot * 0.6)
    for index, (label, counts) in enumerate(cleaned):
        x = LEFT + slot * index + (slot - bar_width) / 2
        running = 0
        for rag in reversed(RAG_ORDER):  # green at the bottom, red on top
            count = counts[rag]
            if not count:
                continue
            y_top, y_bottom = y_of(running + count), y_of(running)
            parts.append(
                f'<rect x="{_n(x)}" y="{_n(y_top)}" width="{_n(bar_width)}" '
                f'height="{_n(y_bottom - y_top)}" fill="{fills[rag]}" stroke="#ffffff" '
                f'stroke-width="0.5"><title>{_text(label)}: {count} '
                f"{RAG_LABELS[rag]}</title></rect>"
            )
            running += count
        parts.append(
            f'<text x="{_n(x + bar_width / 2)}" y="{axis_y + 18}" text-anchor="middle" '
            f'font-size="11" fill="{TEXT}">{_text(label)}</text>'
        )
    parts.append(
        f'<line x1="{LEFT}" y1="{axis_y}" x2="{WIDTH - RIGHT}" y2="{axis_y}" '
        f'stroke="{TEXT}" stroke-width="1"/>'
    )
    legend, x = [], LEFT
    for rag in RAG_ORDER:
        legend.append(
            f'<rect x="{x}" y="{HEIGHT - 24}" width="14" height="14" fill="{fills[rag]}"/>'
            f'<text x="{x + 20}" y="{HEIGHT - 12}" font-size="12" fill="{TEXT}">'
            f"{RAG_LABELS[rag].capitalize()}</text>"
        )
        x += 110
    parts.append(f'<g aria-hidden="true">{"".join(legend)}</g></svg>')
    return mark_safe("".join(parts))


#: Heatmap cell colours by risk band code (GOV.UK palette); unknown bands are grey.
BAND_FILLS = {"low": "#cce2d8", "medium": "#fff7bf", "high": "#fcd6c3", "very_high": "#f6d7d2"}


def heatmap_chart(heatmap, *, title: str = "", chart_id: str = "") -> SafeString:
    """The risk heatmap (``risks.selectors.Heatmap``) as a 5 by 5 grid: likelihood
    across, impact up, each cell's count over its band's colour and linked to the list
    of its risks."""
    title = title or f"Risks and issues by {heatmap.basis_label} likelihood and impact"
    cells = [cell for row in heatmap.rows for cell in row.cells]
    chart_id = chart_id or _chart_id(
        "heatmap", [(c.likelihood, c.impact, c.count) for c in cells], title
    )
    described = [c for c in cells if c.count]
    description = (
        "; ".join(
            f"likelihood {c.likelihood}, impact {c.impact}: {c.count} ({c.band})" for c in described
        )
        + f". {heatmap.total} in all."
        if described
        else "No risks or issues."
    )
    height = 360
    linked = any(c.url and c.count for c in cells)
    parts = [_svg_open(chart_id, title, description, height, linked)]
    grid_left, grid_top, size = 150, 10, 56
    for row_index, row in enumerate(heatmap.rows):
        y = grid_top + row_index * size
        parts.append(
            f'<text x="{grid_left - 8}" y="{y + size / 2 + 4}" text-anchor="end" '
            f'font-size="12" fill="{TEXT}">{_text(row.label)}</text>'
        )
        for column, cell in enumerate(row.cells):
            x = grid_left + column * size
            band = cell.band
            fill = BAND_FILLS.get(band.code if band else "", "#f3f2f1")
            stroke = TEXT if cell.selected else "#ffffff"
            square = (
                f'<rect x="{x}" y="{y}" width="{size}" height="{size}" fill="{fill}" '
                f'stroke="{stroke}" stroke-width="2"><title>Likelihood {cell.likelihood}, '
                f"impact {cell.impact}: {cell.count} ({_text(band)})</title></rect>"
                f'<text x="{x + size / 2}" y="{y + size / 2 + 6}" text-anchor="middle" '
                f'font-size="{18 if cell.count else 13}" '
                f'font-weight="{"bold" if cell.count else "normal"}" '
                f'fill="{TEXT if cell.count else SECONDARY_TEXT}">{cell.count}</text>'
            )
            parts.append(
                _link(
                    cell.url if cell.count else None,
                    square,
                    f"Likelihood {cell.likelihood}, impact {cell.impact}: {cell.count}",
                )
            )
    axis_y = grid_top + size * len(heatmap.rows)
    for column, (_, label) in enumerate(heatmap.likelihoods):
        x = grid_left + column * size + size / 2
        parts.append(
            f'<text x="{_n(x)}" y="{axis_y + 16}" text-anchor="middle" font-size="10" '
            f'fill="{TEXT}">{_text(label.split(" ", 1)[0])}</text>'
        )
    parts.append(
        f'<text x="{grid_left + size * 2.5}" y="{axis_y + 36}" text-anchor="middle" '
        f'font-size="12" fill="{TEXT}">Likelihood (1 rare to 5 almost certain)</text>'
        f'<text x="{grid_left + size * 5 + 20}" y="{grid_top + 14}" font-size="12" '
        f'fill="{TEXT}">Impact: rows from 5 severe</text>'
        f'<text x="{grid_left + size * 5 + 20}" y="{grid_top + 30}" font-size="12" '
        f'fill="{TEXT}">(top) to 1 negligible</text>'
        f'<text x="{grid_left + size * 5 + 20}" y="{grid_top + 54}" font-size="12" '
        f'fill="{TEXT}">{heatmap.total} in all</text>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))
