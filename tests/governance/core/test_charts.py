"""Server-rendered SVG charts: well-formed stand-alone markup that a page and a PDF
draw the same, named and described for assistive technology, with RAG shown by shape
as well as colour, and never drawn outside its fixed viewBox whatever the data."""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from governance.core.charts import HEIGHT, RAG_COLOURS, WIDTH, format_value, line_chart

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
