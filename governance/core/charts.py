"""Charts drawn on the server as SVG, so a page and its PDF show the same picture.

The markup stands alone: no script, no stylesheet, no web font, and no style
attribute, which the Content-Security-Policy would refuse (the page's .app-chart rule
caps the width). Every style is a presentation attribute, text is set in the reader's
sans-serif, and the viewBox is fixed so the chart scales to its container. Each chart
is an image to assistive technology (``role="img"``) named by its ``<title>`` and
described by a ``<desc>`` that lists every value, and points coloured by RAG status
also differ in shape, so no meaning rests on colour alone.

Every chart shows its title as a heading, names both axes, has a legend, steps a
count's axis in whole numbers and thins out the x axis's labels before they overlap.
Each returns a ``Chart``: the markup, carrying the table of its figures that
``templates/includes/chart.html`` prints beside it.
"""

import hashlib
import math
import re
import textwrap
from decimal import Context, Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString

WIDTH, HEIGHT = 640, 360
RIGHT = 20
FONT = "Arial, Helvetica, sans-serif"
TITLE_SIZE, LABEL_SIZE, TICK_SIZE, X_TICK_SIZE = 15, 13, 12, 11

# GOV.UK Design System colours.
TEXT, SECONDARY_TEXT, GRID, LINE = "#0b0c0c", "#505a5f", "#b1b4b6", "#1d70b8"
RAG_COLOURS = {"green": "#00703c", "amber": "#f47738", "red": "#d4351c", "none": "#505a5f"}
RAG_LABELS = {"green": "green", "amber": "amber", "red": "red", "none": "not reported"}

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Chart(SafeString):
    """A chart's SVG markup, which a template prints as it is, carrying what the table of
    its figures needs: the title (the table's caption), the axes' labels, the column
    headers, the rows of figures as people read them, and which columns are numbers.
    ``templates/includes/chart.html`` prints the chart with that table."""

    title: str = ""
    x_label: str = ""
    y_label: str = ""
    headers: tuple = ()
    rows: tuple = ()
    numeric: tuple = ()

    @property
    def columns(self) -> list[dict]:
        return [
            {"header": header, "numeric": numeric}
            for header, numeric in zip(self.headers, self.numeric, strict=True)
        ]

    @property
    def numeric_headers(self) -> list[str]:
        """The headers of the columns that hold numbers (right-aligned)."""
        return [
            header for header, numeric in zip(self.headers, self.numeric, strict=True) if numeric
        ]

    @property
    def table(self) -> list[list[dict]]:
        """Each row's cells with whether each is a number (right-aligned)."""
        return [
            [
                {"text": text, "numeric": numeric}
                for text, numeric in zip(row, self.numeric, strict=True)
            ]
            for row in self.rows
        ]


def _chart(parts: list[str], *, title: str, x_label: str, y_label: str, columns, rows) -> Chart:
    """The chart drawn by the SVG ``parts`` (its opening tag first), closed, with the
    table of its figures."""
    chart = Chart("".join([*parts, "</svg>"]))
    chart.title, chart.x_label, chart.y_label = title, x_label, y_label
    chart.headers = tuple(header for header, _ in columns)
    chart.numeric = tuple(numeric for _, numeric in columns)
    chart.rows = tuple(tuple(row) for row in rows)
    return chart


def _nothing(parts: list[str], y: float, text: str) -> None:
    """What a chart with nothing to draw says in its place."""
    parts.append(
        f'<text x="{WIDTH // 2}" y="{_n(y)}" text-anchor="middle" font-size="16" '
        f'fill="{SECONDARY_TEXT}">{text}</text>'
    )


def _text(value) -> str:
    """Text safe inside SVG (XML): escaped, without the control characters XML forbids."""
    return escape(_CONTROL.sub("", str(value)))


def _n(number: float) -> str:
    """A coordinate, short and never in exponent notation."""
    text = f"{number:.1f}"
    return text[:-2] if text.endswith(".0") else text


def text_width(text, size: float) -> float:
    """The widest a line of ``text`` set at ``size`` in Arial can be, near enough: an
    average letter is about half the size, and this allows for wide ones."""
    return len(str(text)) * size * 0.6


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


def _nice_step(span: float, ticks: int = 5, whole: bool = False) -> float:
    """A round step between gridlines; a whole number when the figures are counts."""
    raw = span / ticks
    if whole and raw <= 1:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 5, 10) if whole else (1, 2, 2.5, 5, 10):
        if raw <= multiple * magnitude:
            return multiple * magnitude
    return 10 * magnitude  # pragma: no cover - the loop always returns


def _axis(values: list[float], whole: bool = False) -> tuple[float, float, float]:
    """(lowest, highest, step) of an axis with round-numbered gridlines; counts
    (``whole``) get whole-number steps, so a 0 to 1 axis shows 0 and 1 only."""
    low, high = min(values), max(values)
    if low == high:
        pad = 1.0 if whole else abs(low) * 0.1 or 1.0
        low, high = low - pad, high + pad
    step = _nice_step(high - low, whole=whole)
    bottom, top = math.floor(low / step) * step, math.ceil(high / step) * step
    if min(values) >= 0 > bottom:
        bottom = 0.0  # never show a negative axis for figures that cannot be negative
    return bottom, top, step


def _ticks(bottom: float, top: float, step: float) -> list[float]:
    return [bottom + tick * step for tick in range(round((top - bottom) / step) + 1)]


def _title(title: str) -> tuple[str, float]:
    """The chart's visible heading, on up to two lines, and the height it takes."""
    per_line = int((WIDTH - 16) / (TITLE_SIZE * 0.6))
    lines = textwrap.wrap(title, per_line) or [""]
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), per_line, placeholder="…")]
    markup = "".join(
        f'<text x="8" y="{22 + index * 19}" font-size="{TITLE_SIZE}" font-weight="bold" '
        f'fill="{TEXT}" class="chart-title">{_text(line)}</text>'
        for index, line in enumerate(lines)
    )
    return f'<g aria-hidden="true">{markup}</g>', 22 + 19 * (len(lines) - 1) + 16


def _y_label(label: str, top: float, bottom: float) -> str:
    """The y axis's name, turned to run up its left-hand side."""
    x, y = 16, (top + bottom) / 2
    return (
        f'<text x="{x}" y="{_n(y)}" transform="rotate(-90 {x} {_n(y)})" text-anchor="middle" '
        f'font-size="{LABEL_SIZE}" font-weight="bold" fill="{TEXT}" class="chart-y-label" '
        f'aria-hidden="true">{_text(label)}</text>'
    )


def _x_label(label: str, left: float, right: float, y: float) -> str:
    return (
        f'<text x="{_n((left + right) / 2)}" y="{_n(y)}" text-anchor="middle" '
        f'font-size="{LABEL_SIZE}" font-weight="bold" fill="{TEXT}" class="chart-x-label" '
        f'aria-hidden="true">{_text(label)}</text>'
    )


def _x_ticks(labels: list[str], x_of, slot: float, y: float) -> str:
    """The x axis's labels, thinned out when they would overlap: every k-th one, counted
    back from the latest, so the newest is always named (the table names them all)."""
    if not labels:
        return ""
    longest = max(len(label) for label in labels)
    # A size smaller first, if that is all it takes for every label to fit.
    size = X_TICK_SIZE if text_width("x" * longest, X_TICK_SIZE) + 8 <= slot else X_TICK_SIZE - 1
    every = max(1, math.ceil((text_width("x" * longest, size) + 8) / slot))
    last = len(labels) - 1
    return "".join(
        f'<text x="{_n(x_of(index))}" y="{_n(y)}" text-anchor="middle" '
        f'font-size="{size}" fill="{TEXT}" class="chart-x-tick">{_text(label)}</text>'
        for index, label in enumerate(labels)
        if (last - index) % every == 0
    )


def _legend(items: list[tuple], left: float, height: float = HEIGHT) -> str:
    """The legend: a row of ``(draw, words)`` along the bottom, where ``draw(x, y)`` makes
    the symbol 28 wide at ``x`` centred on ``y``; from ``left``, or further left when
    the row would not otherwise fit."""
    y = height - LEGEND_FROM_BOTTOM
    widths = [34 + text_width(words, TICK_SIZE) + 16 for _, words in items]
    x = max(8.0, min(left, WIDTH - RIGHT - sum(widths)))
    parts = []
    for (draw, words), width in zip(items, widths, strict=True):
        parts.append(draw(x, y - 4))
        parts.append(
            f'<text x="{_n(x + 34)}" y="{_n(y)}" font-size="{TICK_SIZE}" fill="{TEXT}" '
            f'class="chart-legend">{_text(words)}</text>'
        )
        x += width
    return f'<g aria-hidden="true">{"".join(parts)}</g>'


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


# The plot's bottom margin: the x axis's labels, its name, and the legend.
X_TICKS_BELOW, X_LABEL_BELOW, LEGEND_FROM_BOTTOM = 17, 40, 12
BOTTOM = 80


def _left_margin(tick_labels: list[str]) -> float:
    """Room on the left for the y axis's name and its widest label."""
    return 30 + max((text_width(label, TICK_SIZE) for label in tick_labels), default=0) + 10


def line_chart(
    points: list[tuple],
    target=None,
    unit: str = "",
    *,
    title: str,
    x_label: str,
    y_label: str,
    chart_id: str = "",
    series: str = "Result",
    whole: bool = False,
) -> Chart:
    """An SVG line chart of ``points``: ``(label, value)`` or ``(label, value, rag)``,
    oldest first, where a value of None leaves a gap. ``target`` draws a dashed line;
    ``unit`` is "%", "£" or a word ("days") written after each value; ``title`` heads
    the chart and names it for assistive technology; ``x_label`` and ``y_label`` name
    the axes; ``series`` names the line in the legend and the table; ``whole`` says the
    values are counts, so the gridlines fall on whole numbers. Returns markup ready for
    a page or a PDF, with the table of its figures (see ``Chart``)."""
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
    rated = any(rag for _, _, rag, _ in unpacked)
    columns = [(x_label, False), (series, True)]
    columns += [("Status", False)] if rated else []
    columns += [("Target", True)] if target_number is not None else []
    rows = []
    for label, number, rag, value in unpacked:
        row = [label, format_value(value, unit) if number is not None else "No value"]
        row += [RAG_LABELS.get(rag, rag or "").capitalize()] if rated else []
        row += [format_value(target, unit)] if target_number is not None else []
        rows.append(row)

    heading, top_margin = _title(title)
    parts = [_svg_open(chart_id, title, _describe(unpacked, target, unit)), heading]
    values = [number for _, number, _, _ in unpacked if number is not None]
    figures = {"title": title, "x_label": x_label, "y_label": y_label}
    figures.update(columns=columns, rows=rows)

    if not values:
        _nothing(parts, HEIGHT // 2, "No values to show yet")
        return _chart(parts, **figures)

    bottom, top, step = _axis(
        values + ([target_number] if target_number is not None else []), whole=whole
    )
    ticks = _ticks(bottom, top, step)
    tick_labels = [format_value(number, unit) for number in ticks]
    left = _left_margin(tick_labels)
    plot_top, axis_y = top_margin + 8, HEIGHT - BOTTOM
    plot_height, plot_width = axis_y - plot_top, WIDTH - RIGHT - left

    def y_of(number: float) -> float:
        return axis_y - (number - bottom) / (top - bottom) * plot_height

    slot = plot_width / len(unpacked)

    def x_of(index: int) -> float:
        return left + slot * (index + 0.5)

    # Gridlines and the y axis's labels and name.
    for number, tick_label in zip(ticks, tick_labels, strict=True):
        y = y_of(number)
        parts.append(
            f'<line x1="{_n(left)}" y1="{_n(y)}" x2="{WIDTH - RIGHT}" y2="{_n(y)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{_n(left - 8)}" y="{_n(y + 4)}" text-anchor="end" '
            f'font-size="{TICK_SIZE}" fill="{SECONDARY_TEXT}" class="chart-y-tick">'
            f"{_text(tick_label)}</text>"
        )
    parts.append(_y_label(y_label, plot_top, axis_y))
    # The x axis, its labels and its name.
    parts.append(
        f'<line x1="{_n(left)}" y1="{axis_y}" x2="{WIDTH - RIGHT}" y2="{axis_y}" '
        f'stroke="{TEXT}" stroke-width="1"/>'
    )
    parts.append(_x_ticks([label for label, *_ in unpacked], x_of, slot, axis_y + X_TICKS_BELOW))
    parts.append(_x_label(x_label, left, WIDTH - RIGHT, axis_y + X_LABEL_BELOW))
    # The target.
    if target_number is not None:
        y = y_of(target_number)
        parts.append(
            f'<line x1="{_n(left)}" y1="{_n(y)}" x2="{WIDTH - RIGHT}" y2="{_n(y)}" '
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
    parts.append(_line_legend(series, target, unit, rated, left))
    return _chart(parts, **figures)


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


def _line_legend(series: str, target, unit: str, rated: bool, left: float) -> str:
    """The line (by its name), the RAG shapes when the points have them, and the target."""

    def line(x, y):
        return (
            f'<line x1="{_n(x)}" y1="{_n(y)}" x2="{_n(x + 28)}" y2="{_n(y)}" stroke="{LINE}" '
            'stroke-width="3"/>'
        )

    def shape(rag):
        return lambda x, y: _marker(rag, x + 14, y, RAG_LABELS[rag].capitalize())

    def dashed(x, y):
        return (
            f'<line x1="{_n(x)}" y1="{_n(y)}" x2="{_n(x + 28)}" y2="{_n(y)}" stroke="{TEXT}" '
            'stroke-width="2" stroke-dasharray="8 5"/>'
        )

    items = [(line, textwrap.shorten(series, 40, placeholder="…"))]
    if rated:
        items += [(shape(rag), RAG_LABELS[rag].capitalize()) for rag in ("green", "amber", "red")]
    if target is not None:
        items.append((dashed, f"Target {format_value(target, unit)}"))
    return _legend(items, left)


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


BAR_ROW = 28


def bar_chart(
    bars: list[tuple],
    *,
    title: str,
    x_label: str,
    y_label: str,
    unit: str = "",
    chart_id: str = "",
    colour: str = LINE,
    whole: bool = True,
) -> Chart:
    """Horizontal bars, one per ``(label, count)`` or ``(label, count, url)``, in the
    order given: dispute stages, for example. Zero-count bars still show their label.
    ``y_label`` names the bars (it heads their labels), ``x_label`` what they measure
    (under the scale along the bottom, whole numbers unless ``whole`` is False)."""
    rows = [(str(bar[0]), float(bar[1] or 0), bar[2] if len(bar) > 2 else None) for bar in bars]
    chart_id = chart_id or _chart_id("bars", rows, title)
    heading, top_margin = _title(title)
    first = top_margin + 24  # under the heading of the bars' labels
    axis_y = first + BAR_ROW * len(rows) + 4
    height = int(axis_y + BOTTOM) if rows else int(first + 60)
    description = (
        "; ".join(f"{label}: {format_value(value, unit)}" for label, value, _ in rows) + "."
        if rows
        else "Nothing to show."
    )
    linked = any(url for _, _, url in rows)
    parts = [_svg_open(chart_id, title, description, height, linked), heading]
    columns = [(y_label, False), (x_label, True)]
    table = [(label, format_value(value, unit)) for label, value, _ in rows]

    figures = {"title": title, "x_label": x_label, "y_label": y_label}
    figures.update(columns=columns, rows=table)

    if not rows:
        _nothing(parts, first + 20, "Nothing to show")
        return _chart(parts, **figures)
    label_width = 240
    plot = WIDTH - label_width - RIGHT - 50
    bottom, top, step = _axis([0.0, max(value for _, value, _ in rows)], whole=whole)
    ticks = _ticks(bottom, top, step)

    def x_of(number: float) -> float:
        return label_width + (number - bottom) / (top - bottom) * plot

    for number in ticks:
        parts.append(
            f'<line x1="{_n(x_of(number))}" y1="{_n(first - 4)}" x2="{_n(x_of(number))}" '
            f'y2="{_n(axis_y)}" stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{_n(x_of(number))}" y="{_n(axis_y + X_TICKS_BELOW)}" text-anchor="middle" '
            f'font-size="{X_TICK_SIZE}" fill="{SECONDARY_TEXT}" class="chart-x-tick">'
            f"{_text(format_value(number, unit))}</text>"
        )
    parts.append(
        f'<text x="{label_width - 8}" y="{_n(first - 8)}" text-anchor="end" '
        f'font-size="{LABEL_SIZE}" font-weight="bold" fill="{TEXT}" class="chart-y-label" '
        f'aria-hidden="true">{_text(y_label)}</text>'
    )
    for index, (label, value, url) in enumerate(rows):
        y = first + index * BAR_ROW
        width = x_of(value) - label_width
        parts.append(
            f'<text x="{label_width - 8}" y="{_n(y + 15)}" text-anchor="end" font-size="12" '
            f'fill="{TEXT}">{_text(label)}</text>'
        )
        bar = (
            f'<rect x="{label_width}" y="{_n(y + 2)}" width="{_n(max(width, 1))}" height="18" '
            f'fill="{colour}"><title>{_text(label)}: {_text(format_value(value, unit))}</title>'
            "</rect>"
        )
        parts.append(_link(url, bar, f"{label}: {format_value(value, unit)}"))
        parts.append(
            f'<text x="{_n(label_width + max(width, 1) + 6)}" y="{_n(y + 15)}" font-size="12" '
            f'fill="{TEXT}">{_text(format_value(value, unit))}</text>'
        )
    parts.append(
        f'<line x1="{label_width}" y1="{_n(first - 4)}" x2="{label_width}" y2="{_n(axis_y)}" '
        f'stroke="{TEXT}" stroke-width="1"/>'
        f'<line x1="{label_width}" y1="{_n(axis_y)}" x2="{_n(label_width + plot)}" '
        f'y2="{_n(axis_y)}" stroke="{TEXT}" stroke-width="1"/>'
    )
    parts.append(_x_label(x_label, label_width, label_width + plot, axis_y + X_LABEL_BELOW))

    def swatch(x, y):
        return f'<rect x="{_n(x + 7)}" y="{_n(y - 7)}" width="14" height="14" fill="{colour}"/>'

    parts.append(_legend([(swatch, x_label)], label_width, height))
    return _chart(parts, **figures)


RAG_ORDER = ("red", "amber", "green", "none")


def rag_stack_chart(
    columns: list[tuple], *, title: str, x_label: str, y_label: str, chart_id: str = ""
) -> Chart:
    """Stacked columns of counts by RAG status, one per ``(label, {rag: count})``,
    oldest first: how many returns were red, amber and green in each quarter. The
    stacks differ by pattern as well as colour (red is hatched, amber dotted); the
    counts' axis steps in whole numbers."""
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
    table_columns = [(x_label, False)]
    table_columns += [(RAG_LABELS[rag].capitalize(), True) for rag in RAG_ORDER]
    table_columns.append(("Total", True))
    table = [
        [label, *(str(counts[rag]) for rag in RAG_ORDER), str(sum(counts.values()))]
        for label, counts in cleaned
    ]
    heading, top_margin = _title(title)
    parts = [_svg_open(chart_id, title, description), heading]
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

    figures = {"title": title, "x_label": x_label, "y_label": y_label}
    figures.update(columns=table_columns, rows=table)

    totals = [sum(counts.values()) for _, counts in cleaned]
    if not cleaned or not any(totals):
        _nothing(parts, HEIGHT // 2, "No values to show yet")
        return _chart(parts, **figures)
    bottom, top, step = _axis([0.0, float(max(totals))], whole=True)
    ticks = _ticks(bottom, top, step)
    tick_labels = [format_value(number) for number in ticks]
    left = _left_margin(tick_labels)
    plot_top, axis_y = top_margin + 8, HEIGHT - BOTTOM
    plot_width = WIDTH - RIGHT - left

    def y_of(number: float) -> float:
        return axis_y - (number - bottom) / (top - bottom) * (axis_y - plot_top)

    for number, tick_label in zip(ticks, tick_labels, strict=True):
        parts.append(
            f'<line x1="{_n(left)}" y1="{_n(y_of(number))}" x2="{WIDTH - RIGHT}" '
            f'y2="{_n(y_of(number))}" stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{_n(left - 8)}" y="{_n(y_of(number) + 4)}" text-anchor="end" '
            f'font-size="{TICK_SIZE}" fill="{SECONDARY_TEXT}" class="chart-y-tick">'
            f"{_text(tick_label)}</text>"
        )
    parts.append(_y_label(y_label, plot_top, axis_y))
    slot = plot_width / len(cleaned)
    bar_width = min(48.0, slot * 0.6)

    def x_of(index: int) -> float:
        return left + slot * (index + 0.5)

    for index, (label, counts) in enumerate(cleaned):
        x = x_of(index) - bar_width / 2
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
    parts.append(_x_ticks([label for label, _ in cleaned], x_of, slot, axis_y + X_TICKS_BELOW))
    parts.append(
        f'<line x1="{_n(left)}" y1="{axis_y}" x2="{WIDTH - RIGHT}" y2="{axis_y}" '
        f'stroke="{TEXT}" stroke-width="1"/>'
    )
    parts.append(_x_label(x_label, left, WIDTH - RIGHT, axis_y + X_LABEL_BELOW))

    def swatch(rag):
        return lambda x, y: (
            f'<rect x="{_n(x + 7)}" y="{_n(y - 7)}" width="14" height="14" fill="{fills[rag]}"/>'
        )

    parts.append(_legend([(swatch(rag), RAG_LABELS[rag].capitalize()) for rag in RAG_ORDER], left))
    return _chart(parts, **figures)


#: Heatmap cell colours by risk band code (GOV.UK palette); unknown bands are grey.
BAND_FILLS = {"low": "#cce2d8", "medium": "#fff7bf", "high": "#fcd6c3", "very_high": "#f6d7d2"}


def heatmap_chart(heatmap, *, title: str = "", chart_id: str = "") -> Chart:
    """The risk heatmap (``risks.selectors.Heatmap``) as a 5 by 5 grid: likelihood
    across, impact up, each cell's count over its band's colour and linked to the list
    of its risks. Its table has a row for each impact and a column for each
    likelihood."""
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
    heading, top_margin = _title(title)
    grid_left, grid_top, size = 150, int(top_margin) + 10, 56
    height = grid_top + 350
    linked = any(c.url and c.count for c in cells)
    parts = [_svg_open(chart_id, title, description, height, linked), heading]
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
    # The legend: each band's colour.
    legend_x, legend_y = grid_left + size * 5 + 20, grid_top + 86
    legend = [
        f'<text x="{legend_x}" y="{legend_y}" font-size="12" font-weight="bold" '
        f'fill="{TEXT}">Risk band</text>'
    ]
    bands = {cell.band.code: cell.band for cell in cells if cell.band}
    for index, band in enumerate(sorted(bands.values(), key=lambda band: band.lowest)):
        y = legend_y + 12 + index * 22
        legend.append(
            f'<rect x="{legend_x}" y="{y}" width="16" height="16" '
            f'fill="{BAND_FILLS.get(band.code, "#f3f2f1")}" stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{legend_x + 24}" y="{y + 13}" font-size="12" fill="{TEXT}" '
            f'class="chart-legend">{_text(band.label)}</text>'
        )
    parts.append(f'<g aria-hidden="true">{"".join(legend)}</g>')
    return _chart(
        parts,
        title=title,
        x_label="Likelihood",
        y_label="Impact",
        columns=[("Impact", False)]
        + [(f"Likelihood {label}", True) for _, label in heatmap.likelihoods],
        rows=[[row.label, *(str(cell.count) for cell in row.cells)] for row in heatmap.rows],
    )
