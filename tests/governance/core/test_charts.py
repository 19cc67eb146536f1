"""Server-rendered SVG charts: well-formed stand-alone markup that a page and a PDF
draw the same, named and described for assistive technology, with RAG shown by shape
as well as colour, and never drawn outside its fixed viewBox whatever the data."""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from governance.core.charts import (
    HEIGHT,
    RAG_COLOURS,
    WIDTH,
    bar_chart,
    format_value,
    line_chart,
    rag_stack_chart,
)

SVG = "{http://www.w3.org/2000/svg}"
QUARTERS = ["Q1 2025-26", "Q2 2025-26", "Q3 2025-26", "Q4 2025-26"]


AXES = {"title": "Trend", "x_label": "Quarter", "y_label": "Result"}


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)


def chart(**kwargs) -> ET.Element:
    points = kwargs.pop(
        "points",
        [
            ("Q1 2025-26", Decimal("84"), "red"),
            ("Q2 2025-26", Decimal("88"), "amber"),
            ("Q3 2025-26", Decimal("92.5"), "green"),
        ],
    )
    return parse(line_chart(points, **{"target": Decimal("90"), "unit": "%", **AXES, **kwargs}))


def test_an_image_with_a_title_and_a_description_of_every_value():
    root = chart(title="Victim satisfaction against target")
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("viewBox") == f"0 0 {WIDTH} {HEIGHT}"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text == "Victim satisfaction against target"
    assert desc.text == (
        "Q1 2025-26: 84% (red); Q2 2025-26: 88% (amber); Q3 2025-26: 92.5% (green). Target: 90%."
    )
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


def test_the_target_is_a_dashed_line_with_a_legend():
    root = chart()
    dashed = [line for line in root.iter(f"{SVG}line") if line.get("stroke-dasharray")]
    assert len(dashed) == 2  # across the plot, and in the legend
    texts = [text.text for text in root.iter(f"{SVG}text")]
    assert "Target 90%" in texts
    without = chart(target=None)
    assert not [line for line in without.iter(f"{SVG}line") if line.get("stroke-dasharray")]
    assert "Target: " not in without.find(f"{SVG}desc").text


def test_rag_is_shown_by_colour_and_shape():
    root = chart()
    plotted = [el for el in root if el.tag in (f"{SVG}circle", f"{SVG}polygon", f"{SVG}rect")]
    by_colour = {el.get("fill"): el.tag.removeprefix(SVG) for el in plotted}
    assert by_colour == {
        RAG_COLOURS["red"]: "rect",
        RAG_COLOURS["amber"]: "polygon",
        RAG_COLOURS["green"]: "circle",
    }
    first = next(el for el in plotted if el.get("fill") == RAG_COLOURS["red"])
    assert first.find(f"{SVG}title").text == "Q1 2025-26: 84% (red)"


def test_points_without_rag_are_plain_blue_circles():
    root = chart(points=[("Q1", 10), ("Q2", 12)], unit="days", target=None)
    circles = list(root.iter(f"{SVG}circle"))
    assert [c.get("fill") for c in circles] == ["#1d70b8", "#1d70b8"]
    assert root.find(f"{SVG}desc").text == "Q1: 10 days; Q2: 12 days."


def test_a_missing_value_breaks_the_line():
    root = chart(
        points=[("Q1", 1), ("Q2", 2), ("Q3", None), ("Q4", 4), ("Q1 next", 5)], target=None
    )
    assert len(list(root.iter(f"{SVG}polyline"))) == 2
    assert "Q3: no value" in root.find(f"{SVG}desc").text
    labels = [text.text for text in root.iter(f"{SVG}text")]
    assert "Q3" in labels  # the quarter keeps its place on the axis


def test_higher_values_are_drawn_higher_up():
    root = chart(points=[("Q1", 10), ("Q2", 30), ("Q3", 20)], target=None)
    heights = [float(c.get("cy")) for c in root.iter(f"{SVG}circle")]
    assert heights[1] < heights[2] < heights[0]  # SVG's y grows downwards


def test_with_no_values_it_says_so():
    for points in ([], [("Q1", None), ("Q2", None)]):
        root = parse(line_chart(points, target=90, unit="%", **{**AXES, "title": "Nothing yet"}))
        assert root.find(f"{SVG}desc").text == "No values to show yet."
        assert "No values to show yet" in [text.text for text in root.iter(f"{SVG}text")]


def test_text_is_escaped_and_stands_alone():
    markup = line_chart(
        [("<b>Q1</b> & co", 5), ('Q2 "quoted"\x07', 6)],
        unit="£",
        **{**AXES, "title": "A & B <script>"},
    )
    root = parse(markup)
    assert root.find(f"{SVG}title").text == "A & B <script>"
    assert "<script" not in markup and "<b>" not in markup
    # No stylesheet, script, external reference or web font: the same in a PDF.
    for outside in ("<style", "href", "url(", "@font-face", "<image", "<foreignObject"):
        assert outside not in markup


def test_the_same_data_draws_the_same_markup():
    points = [("Q1", Decimal("1.5"), "green")]
    axes = {**AXES, "title": "x"}
    assert line_chart(points, target=2, **axes) == line_chart(points, target=2, **axes)
    assert line_chart(points, chart_id="kpi-7", **axes).count('id="kpi-7-title"') == 1


def test_values_are_written_as_people_read_them():
    assert format_value(Decimal("92.50"), "%") == "92.5%"
    assert format_value(1200, "£") == "£1,200"
    assert format_value(Decimal("-3.25"), "£") == "-£3.25"
    assert format_value(5, "days") == "5 days"
    assert format_value(Decimal("1234567.891"), "") == "1,234,567.89"


values = st.one_of(
    st.none(),
    st.decimals(min_value=-(10**11), max_value=10**11, places=2, allow_nan=False),
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False),
)
points = st.lists(
    st.tuples(
        st.text(max_size=20),
        values,
        st.sampled_from([None, "green", "amber", "red", "none"]),
    ),
    max_size=12,
)


@settings(max_examples=150, deadline=None)
@given(points=points, target=values, unit=st.sampled_from(["", "%", "£", "days"]))
def test_any_data_draws_well_formed_svg_inside_its_box(points, target, unit):
    markup = line_chart(points, target=target, unit=unit, **AXES)
    root = parse(markup)
    assert root.get("role") == "img"
    assert root.get("viewBox") == f"0 0 {WIDTH} {HEIGHT}"
    assert not re.search(r"nan|inf", " ".join(el.get("x", "") for el in root.iter()), re.I)
    for element in root.iter():
        for name in ("x", "x1", "x2", "cx"):
            if element.get(name) is not None:
                assert -1 <= float(element.get(name)) <= WIDTH + 1, (name, element.attrib)
        for name in ("y", "y1", "y2", "cy"):
            if element.get(name) is not None:
                assert -1 <= float(element.get(name)) <= HEIGHT + 1, (name, element.attrib)
        for pair in (element.get("points") or "").split():
            x, y = (float(part) for part in pair.split(","))
            assert -8 <= x <= WIDTH + 8 and -8 <= y <= HEIGHT + 8


# -- Charts that explain themselves: a title, named axes, a legend, sensible ticks ----------

TWENTY = [f"Q{n % 4 + 1} {2021 + n // 4}-{22 + n // 4}" for n in range(20)]


def texts(root: ET.Element, kind: str) -> list[ET.Element]:
    return [text for text in root.iter(f"{SVG}text") if text.get("class") == kind]


def words(root: ET.Element, kind: str) -> list[str]:
    return [text.text for text in texts(root, kind)]


def tick_numbers(root: ET.Element, kind: str = "chart-y-tick") -> list[float]:
    return [float(re.sub(r"[^0-9.\-]", "", text)) for text in words(root, kind)]


def a_rag_stack(columns, **kwargs):
    return rag_stack_chart(
        columns,
        **{"title": "Overall status by quarter", "x_label": "Quarter", **kwargs},
        y_label="Performance returns",
    )


def test_every_chart_shows_its_title_and_names_its_axes():
    line = chart(title="Victim satisfaction (per cent): the last 3 quarters")
    assert words(line, "chart-title") == ["Victim satisfaction (per cent): the last 3 quarters"]
    assert words(line, "chart-x-label") == ["Quarter"]
    assert words(line, "chart-y-label") == ["Result"]
    # The y axis's name runs up the side, clear of its numbers.
    (y_label,) = texts(line, "chart-y-label")
    assert y_label.get("transform", "").startswith("rotate(-90")
    assert float(y_label.get("x")) < min(float(t.get("x")) for t in texts(line, "chart-y-tick"))

    stack = parse(a_rag_stack([("Q1 2026-27", {"green": 2})]))
    assert words(stack, "chart-title") == ["Overall status by quarter"]
    assert words(stack, "chart-x-label") == ["Quarter"]
    assert words(stack, "chart-y-label") == ["Performance returns"]

    bars = parse(
        bar_chart(
            [("Stage 1", 2)],
            title="Open disputes by stage",
            x_label="Open disputes",
            y_label="Stage",
        )
    )
    assert words(bars, "chart-title") == ["Open disputes by stage"]
    assert words(bars, "chart-x-label") == ["Open disputes"]
    assert words(bars, "chart-y-label") == ["Stage"]


def test_a_long_title_wraps_onto_a_second_line_inside_the_box():
    title = (
        "Priority 1 incidents resolved within 4 hours (per cent): "
        "results of the last 8 returns against the target"
    )
    lines = texts(chart(title=title), "chart-title")
    assert len(lines) == 2 and " ".join(t.text for t in lines) == title
    assert all(len(t.text) * 15 * 0.6 <= WIDTH - 8 for t in lines)


def test_the_axis_labels_are_required():
    for draw, args in (
        (line_chart, ([("Q1", 1)],)),
        (bar_chart, ([("Stage 1", 1)],)),
        (rag_stack_chart, ([("Q1", {"red": 1})],)),
    ):
        with pytest.raises(TypeError):
            draw(*args, title="No axes")


def test_the_legend_names_the_line_every_rag_shape_and_the_target():
    root = chart(series="Victim satisfaction")
    assert words(root, "chart-legend") == [
        "Victim satisfaction",
        "Green",
        "Amber",
        "Red",
        "Target 90%",
    ]
    plain = chart(points=[("Q1", 10), ("Q2", 12)], target=None, unit="days")
    assert words(plain, "chart-legend") == ["Result"]
    stack = parse(a_rag_stack([("Q1 2026-27", {"green": 2})]))
    assert words(stack, "chart-legend") == ["Red", "Amber", "Green", "Not reported"]
    bars = parse(bar_chart([("Stage 1", 2)], title="T", x_label="Open disputes", y_label="Stage"))
    assert words(bars, "chart-legend") == ["Open disputes"]


def test_counts_never_get_fractional_ticks():
    # One return a quarter: the axis is 0 and 1, not 0, 0.2, 0.4 ... 1.
    one_each = parse(a_rag_stack([(q, {"green": 1}) for q in QUARTERS]))
    assert tick_numbers(one_each) == [0, 1]
    for most in (2, 3, 7, 13, 48):
        ticks = tick_numbers(parse(a_rag_stack([("Q1", {"red": most})])))
        assert all(tick == int(tick) for tick in ticks), (most, ticks)
        assert ticks[0] == 0 and ticks[-1] >= most and len(ticks) <= 11
    counted = chart(points=[("Q1", 2), ("Q2", 3), ("Q3", 2)], unit="", target=2, whole=True)
    assert all(tick == int(tick) for tick in tick_numbers(counted))
    # Bars of counts step along the bottom in whole numbers too.
    bars = parse(bar_chart([("Stage 1", 1), ("Stage 2", 0)], title="T", x_label="X", y_label="Y"))
    assert tick_numbers(bars, "chart-x-tick") == [0, 1]
    # Figures that are not counts may still step in fractions.
    days = tick_numbers(chart(points=[("Q1", 1), ("Q2", 3)], target=None, unit="days"))
    assert any(tick != int(tick) for tick in days)


def _no_overlap(root: ET.Element) -> list[str]:
    ticks = texts(root, "chart-x-tick")
    centres = [float(t.get("x")) for t in ticks]
    for (left, text), right in zip(zip(centres, ticks, strict=True), centres[1:], strict=False):
        # Centred labels clear each other when the gap between centres is at least a
        # label's width (as Arial draws it: no wider than 0.6 of the size a letter).
        width = len(text.text) * float(text.get("font-size")) * 0.6
        assert right - left >= width, (text.text, left, right, width)
    return [t.text for t in ticks]


def test_twenty_quarters_of_labels_do_not_overlap():
    line = line_chart([(q, n, "green") for n, q in enumerate(TWENTY)], target=10, **AXES)
    shown = _no_overlap(parse(line))
    assert shown[-1] == TWENTY[-1]  # the latest quarter is always named
    assert 4 <= len(shown) < 20
    stack = a_rag_stack([(q, {"green": 3, "red": 1}) for q in TWENTY])
    assert _no_overlap(parse(stack))[-1] == TWENTY[-1]
    # Few quarters keep every label.
    assert _no_overlap(chart()) == ["Q1 2025-26", "Q2 2025-26", "Q3 2025-26"]
    # Every quarter is still in the table of figures.
    assert [row[0] for row in line.rows] == TWENTY


def test_the_chart_carries_the_table_of_its_figures():
    line = line_chart(
        [("Q1 2025-26", Decimal("84"), "red"), ("Q2 2025-26", None, "none")],
        target=Decimal("90"),
        unit="%",
        series="Actual",
        **AXES,
    )
    assert line.title == "Trend" and line.x_label == "Quarter" and line.y_label == "Result"
    assert line.headers == ("Quarter", "Actual", "Status", "Target")
    assert line.rows == (
        ("Q1 2025-26", "84%", "Red", "90%"),
        ("Q2 2025-26", "No value", "Not reported", "90%"),
    )
    assert [c["numeric"] for c in line.columns] == [False, True, False, True]

    stack = a_rag_stack([("Q1 2026-27", {"red": 1, "green": 3}), ("Q2 2026-27", {})])
    assert stack.headers == ("Quarter", "Red", "Amber", "Green", "Not reported", "Total")
    assert stack.rows == (
        ("Q1 2026-27", "1", "0", "3", "0", "4"),
        ("Q2 2026-27", "0", "0", "0", "0", "0"),
    )

    bars = bar_chart(
        [("Stage 1", 2, "/x"), ("Stage 2", 0)], title="T", x_label="Open disputes", y_label="Stage"
    )
    assert bars.headers == ("Stage", "Open disputes")
    assert bars.rows == (("Stage 1", "2"), ("Stage 2", "0"))
    # The markup is unchanged: a template prints the chart as it always did.
    assert str(bars).startswith("<svg") and parse(bars) is not None


def test_a_bar_chart_of_any_length_stays_inside_its_box():
    bars = bar_chart([(f"Stage {n}", n * 7) for n in range(9)], title="T", x_label="X", y_label="Y")
    root = parse(bars)
    height = float(root.get("viewBox").split()[3])
    for element in root.iter():
        for name in ("y", "y1", "y2"):
            if element.get(name) is not None:
                assert 0 <= float(element.get(name)) <= height, (name, element.attrib)


def test_eight_quarters_keep_every_label_and_twelve_are_thinned():
    eight = parse(line_chart([(q, n) for n, q in enumerate(TWENTY[:8])], **AXES))
    assert _no_overlap(eight) == TWENTY[:8]
    twelve = _no_overlap(parse(line_chart([(q, n) for n, q in enumerate(TWENTY[:12])], **AXES)))
    assert twelve[-1] == TWENTY[11] and len(twelve) < 12
