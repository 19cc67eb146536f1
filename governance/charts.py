"""Charts drawn on the server as SVG, so a page and its PDF show the same picture.

The markup stands alone: no script, no stylesheet, no web font. Every style is an
attribute, text is set in the reader's sans-serif, and the viewBox is fixed so the
chart scales to its container. Each chart is an image to assistive technology
(``role="img"``) named by its ``<title>`` and described by a ``<desc>`` that lists
every value, and points coloured by RAG status also differ in shape, so no meaning
rests on colour alone.
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
RAG_LABELS = {"green": "green", "amber": "amber", "red": "red", "none": "not rated"}

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
        f'style="max-width: {WIDTH}px; height: auto; font-family: {FONT};" '
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
