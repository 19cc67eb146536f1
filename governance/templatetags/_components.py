"""GOV.UK summary lists and tables as template tags, so a page writes no component markup.

Registered through ``govuk`` (a builtin), so every template can use them without ``{% load %}``.

A tag that shows one value takes it as an argument, or, given no value, wraps what it shows up to
its end tag (for a link, a tag or a conditional sentence)::

    {% summary_list testid="risk-summary" %}
      {% summary_row "Owner" risk.owner empty="Not named" %}
      {% summary_row "Status" %}{% govuk_tag risk.get_status_display %}{% endsummary_row %}
      {% summary_row "Name" contact.name action_url=edit_url action_hidden="the name" %}
    {% endsummary_list %}

    {% table "Open risks" headers="Reference|Title|Score" numeric="Score" testid="risks" %}
      {% for risk in risks %}
      {% row %}{% cell header=True %}<a …>{{ risk.reference }}</a>{% endcell %}
        {% cell risk.title %}{% cell risk.score numeric=True %}{% endrow %}
      {% endfor %}
    {% endtable %}

A key that needs a variable goes in ``{% summary_key %}`` inside the row; a row with several
links has a ``{% summary_action url "Text" hidden="…" %}`` for each, and its list says
``actions=True`` so rows without one line up. A value that is empty shows "Not recorded", or
the row's ``empty=`` text; an empty table cell stays empty unless it names ``empty=``.

Headers that need markup or a condition go in ``{% table_head %}`` with ``{% header %}`` tags, a
caption with variables in ``{% table_caption %}``, a total row in ``{% table_foot %}``; a table
``small=True`` uses 16px text, and its caption is visually hidden unless ``caption_size`` is s, m
or l. Every table sits in its own container that scrolls sideways when the table is wider than
the screen, so the page itself never does; a table with a caption makes that container a
labelled region people can reach with the keyboard and scroll (``scroll=True``, once needed for
this, is still accepted). Keyword arguments other than those a tag
names become attributes of its element (``data_count=n`` is ``data-count="n"``, ``testid`` is
``data-testid``); one whose value is empty or None is left out; ``{% concat %}`` builds one
from several values. A list page's rows (``ObjectListView``'s ``table``) are written by
``{% list_rows table %}``, the same markup as a row of cells, in one step.

``{% heading_caption %}`` is the caption above a page heading, left out when empty.
"""

import html

from django import template
from django.template.base import (
    FilterExpression,
    Node,
    NodeList,
    kwarg_re,
    render_value_in_context,
)
from django.utils.html import conditional_escape, format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe

NOT_RECORDED = "Not recorded"

_CAPTION_CLASSES = {
    "hidden": "govuk-table__caption govuk-visually-hidden",
    "s": "govuk-table__caption govuk-table__caption--s",
    "m": "govuk-table__caption govuk-table__caption--m",
    "l": "govuk-table__caption govuk-table__caption--l",
}
# Where a summary list has actions, the context holds this key while its rows render.
_ACTIONS_KEY = "_govuk_summary_list_actions"
# While a summary row renders, the context holds its key and actions under this key.
_ROW_KEY = "_govuk_summary_row"


# --- parsing ---------------------------------------------------------------------------------


def _parse_bits(parser, token, *, max_args: int) -> tuple[str, list, dict]:
    """The tag's name, its positional arguments and its keyword arguments, compiled."""
    bits = token.split_contents()
    name, args, kwargs = bits[0], [], {}
    for bit in bits[1:]:
        match = kwarg_re.match(bit)
        if match and match.group(1):
            key, value = match.groups()
            if key in kwargs:
                raise template.TemplateSyntaxError(f"'{name}' received '{key}' twice.")
            kwargs[key] = parser.compile_filter(value)
        elif kwargs:
            raise template.TemplateSyntaxError(
                f"'{name}' takes its positional arguments before its keyword arguments."
            )
        else:
            args.append(parser.compile_filter(bit))
    if len(args) > max_args:
        raise template.TemplateSyntaxError(
            f"'{name}' takes at most {max_args} positional argument{'s' if max_args != 1 else ''}."
        )
    return name, args, kwargs


def _block(parser, name: str) -> NodeList:
    nodelist = parser.parse((f"end{name}",))
    parser.delete_first_token()
    return nodelist


def _resolve(kwargs: dict, context) -> dict:
    return {key: value.resolve(context) for key, value in kwargs.items()}


def _is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _attrs(extra: dict, *, css: str = "") -> SafeString:
    """`` class="…"`` followed by the other attributes, escaped; empty values are left out."""
    parts = [f' class="{conditional_escape(css)}"'] if css else []
    for key, value in extra.items():
        if value is None or value is False or value == "":
            continue
        name = conditional_escape(key.replace("_", "-"))
        parts.append(f" {name}" if value is True else f' {name}="{conditional_escape(value)}"')
    return mark_safe("".join(parts))


def _classes(*names) -> str:
    return " ".join(name for name in names if name)


def _testid(options: dict) -> dict:
    """``testid`` is short for ``data-testid``."""
    testid = options.pop("testid", None)
    return {"data_testid": testid, **options}


class _ValueNode(Node):
    """A tag whose content is its last positional argument or, without one, its block."""

    child_nodelists = ("nodelist",)

    def __init__(self, args, kwargs, nodelist=None):
        self.args, self.kwargs = args, kwargs
        self.nodelist = nodelist or NodeList()

    def content(self, context, value: FilterExpression | None, empty: str) -> SafeString:
        if value is None:
            text = self.nodelist.render(context).strip()
        else:
            resolved = value.resolve(context)
            # As {{ value }} shows it: dates in local time and British format, escaped.
            text = "" if resolved is None else render_value_in_context(resolved, context)
        if _is_empty(text):
            return conditional_escape(empty)
        return mark_safe(text)


# --- summary lists ---------------------------------------------------------------------------


class SummaryListNode(Node):
    child_nodelists = ("nodelist",)

    def __init__(self, kwargs, nodelist):
        self.kwargs, self.nodelist = kwargs, nodelist

    def render(self, context):
        options = _testid(_resolve(self.kwargs, context))
        extra_classes = options.pop("classes", "")
        with_actions = bool(options.pop("actions", False))
        if options.pop("no_border", False):
            extra_classes = _classes("govuk-summary-list--no-border", extra_classes)
        with context.push({_ACTIONS_KEY: with_actions}):
            rows = self.nodelist.render(context).strip()
        return format_html(
            "<dl{}>{}</dl>",
            _attrs(options, css=_classes("govuk-summary-list", extra_classes)),
            mark_safe(rows),
        )


class SummaryRowNode(_ValueNode):
    """A row: ``{% summary_row "Key" value %}``, or the key then the value up to
    ``{% endsummary_row %}``; a key that needs a variable or a condition is written in a
    ``{% summary_key %}`` inside the row, and links in ``{% summary_action %}`` tags."""

    def render(self, context):
        value = self.args[1] if len(self.args) > 1 else None
        options = _testid(_resolve(self.kwargs, context))
        empty = options.pop("empty", NOT_RECORDED)
        row_testid = options.pop("row_testid", None)
        key_testid = options.pop("key_testid", None)
        action_url = options.pop("action_url", None)
        action_text = options.pop("action_text", "Change")
        action_hidden = options.pop("action_hidden", None)
        row = {"key": self.args[0].resolve(context) if self.args else None, "actions": []}
        if action_url:
            row["actions"].append(_action_link(action_url, action_text, action_hidden))
        with context.push({_ROW_KEY: row}):
            content = self.content(context, value, empty)
        if row["key"] is None:
            raise template.TemplateSyntaxError(
                "'summary_row' needs a key: its first argument or a 'summary_key'."
            )
        row_class = "govuk-summary-list__row"
        if context.get(_ACTIONS_KEY, False) and not row["actions"]:
            row_class += " govuk-summary-list__row--no-actions"
        return format_html(
            "<div{}><dt{}>{}</dt><dd{}>{}</dd>{}</div>",
            _attrs({"data_testid": row_testid}, css=row_class),
            _attrs({"data_testid": key_testid}, css="govuk-summary-list__key"),
            row["key"],
            _attrs(options, css="govuk-summary-list__value"),
            content,
            _actions(row["actions"]),
        )


def _current_row(context, tag: str) -> dict:
    row = context.get(_ROW_KEY)
    if row is None:
        raise template.TemplateSyntaxError(f"'{tag}' belongs inside a 'summary_row'.")
    return row


class SummaryKeyNode(Node):
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        _current_row(context, "summary_key")["key"] = mark_safe(
            self.nodelist.render(context).strip()
        )
        return ""


def _action_link(url, text, hidden) -> SafeString:
    if hidden:
        return format_html(
            '<a class="govuk-link" href="{}">{}<span class="govuk-visually-hidden"> {}</span></a>',
            url,
            text,
            hidden,
        )
    return format_html('<a class="govuk-link" href="{}">{}</a>', url, text)


def _actions(actions: list) -> SafeString:
    if not actions:
        return mark_safe("")
    if len(actions) == 1:
        return format_html('<dd class="govuk-summary-list__actions">{}</dd>', actions[0])
    items = mark_safe(
        "".join(
            format_html('<li class="govuk-summary-list__actions-list-item">{}</li>', link)
            for link in actions
        )
    )
    return format_html(
        '<dd class="govuk-summary-list__actions">'
        '<ul class="govuk-summary-list__actions-list">{}</ul></dd>',
        items,
    )


class SummaryActionNode(Node):
    """A link in the row's actions column; left out when its URL is empty."""

    def __init__(self, args, kwargs):
        self.args, self.kwargs = args, kwargs

    def render(self, context):
        actions = _current_row(context, "summary_action")["actions"]
        url, text = (arg.resolve(context) for arg in self.args)
        options = _resolve(self.kwargs, context)
        if url:
            actions.append(_action_link(url, text, options.get("hidden")))
        return ""


# --- tables ----------------------------------------------------------------------------------


def _labels(value) -> list:
    """Header labels or numeric column names: a list, or one string split on '|'."""
    if not value:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split("|")]
    return list(value)


class TableNode(Node):
    child_nodelists = ("nodelist",)

    def __init__(self, args, kwargs, nodelist):
        self.args, self.kwargs, self.nodelist = args, kwargs, nodelist

    def render(self, context):
        caption = self.args[0].resolve(context) if self.args else ""
        options = _testid(_resolve(self.kwargs, context))
        headers = _labels(options.pop("headers", None))
        numeric = set(_labels(options.pop("numeric", None)))
        caption_size = options.pop("caption_size", "hidden")
        small = options.pop("small", False)
        options.pop("scroll", None)
        extra_classes = options.pop("classes", "")
        if caption_size not in _CAPTION_CLASSES:
            raise template.TemplateSyntaxError(
                f"'table' caption_size is one of {', '.join(_CAPTION_CLASSES)}."
            )
        head, foot, body = [], [], []
        for node in self.nodelist:
            if isinstance(node, TableCaptionNode):
                caption = mark_safe(node.render_annotated(context))
            elif isinstance(node, TableFootNode):
                foot.append(node.render_annotated(context))
            elif isinstance(node, TableHeadNode):
                head.append(node.render_annotated(context))
            else:
                body.append(node.render_annotated(context))
        if headers and head:
            raise template.TemplateSyntaxError(
                "A 'table' takes headers or a 'table_head', not both."
            )
        if headers:
            head.append(
                _head_row(
                    "".join(_header_cell(label, numeric=label in numeric) for label in headers)
                )
            )
        parts = [
            format_html(
                "<table{}>",
                _attrs(
                    options,
                    css=_classes(
                        "govuk-table", "govuk-!-font-size-16" if small else "", extra_classes
                    ),
                ),
            )
        ]
        if caption:
            parts.append(
                format_html(
                    '<caption class="{}">{}</caption>', _CAPTION_CLASSES[caption_size], caption
                )
            )
        if head:
            parts.append(format_html('<thead class="govuk-table__head">{}</thead>', _joined(head)))
        parts.append(format_html('<tbody class="govuk-table__body">{}</tbody>', _joined(body)))
        if foot:
            parts.append(format_html("<tfoot>{}</tfoot>", _joined(foot)))
        parts.append(mark_safe("</table>"))
        table = mark_safe("".join(parts))
        if caption:
            return format_html(
                '<div class="app-table-wrapper" role="region" aria-label="{}" tabindex="0">'
                "{}</div>",
                html.unescape(strip_tags(caption)).strip(),
                table,
            )
        return format_html('<div class="app-table-wrapper">{}</div>', table)


def _joined(parts) -> SafeString:
    return mark_safe("".join(parts).strip())


def _head_row(cells: str) -> SafeString:
    return format_html('<tr class="govuk-table__row">{}</tr>', mark_safe(cells))


def _header_cell(label, *, numeric=False, classes="", attrs=None) -> SafeString:
    css = _classes(
        "govuk-table__header", "govuk-table__header--numeric" if numeric else "", classes
    )
    return format_html('<th scope="col"{}>{}</th>', _attrs(attrs or {}, css=css), label)


class TableCaptionNode(Node):
    """A caption that needs a variable or a condition, instead of the table's argument."""

    child_nodelists = ("nodelist",)

    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        return self.nodelist.render(context).strip()


class TableHeadNode(Node):
    """The column headers, one ``{% header %}`` each, written when they need markup or a
    condition; one row unless it holds ``{% row %}`` tags of its own."""

    child_nodelists = ("nodelist",)

    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        content = self.nodelist.render(context).strip()
        if any(isinstance(node, RowNode) for node in self.nodelist):
            return content
        return _head_row(content)


class TableFootNode(TableHeadNode):
    """A total row under the body: ``{% cell %}`` tags, one row unless it holds rows."""


class HeaderNode(_ValueNode):
    def render(self, context):
        value = self.args[0] if self.args else None
        options = _resolve(self.kwargs, context)
        numeric = options.pop("numeric", False)
        classes = options.pop("classes", "")
        return _header_cell(
            self.content(context, value, ""), numeric=numeric, classes=classes, attrs=options
        )


class RowNode(Node):
    child_nodelists = ("nodelist",)

    def __init__(self, kwargs, nodelist):
        self.kwargs, self.nodelist = kwargs, nodelist

    def render(self, context):
        options = _testid(_resolve(self.kwargs, context))
        classes = options.pop("classes", "")
        return format_html(
            "<tr{}>{}</tr>",
            _attrs(options, css=_classes("govuk-table__row", classes)),
            mark_safe(self.nodelist.render(context).strip()),
        )


def _cell(content: SafeString, *, numeric=False, header=False, classes="", attrs=None):
    """A body cell (``header``: the row's header cell) holding ``content``, already safe."""
    if header:
        css = _classes(
            "govuk-table__header", "govuk-table__header--numeric" if numeric else "", classes
        )
        return mark_safe(f'<th scope="row"{_attrs(attrs or {}, css=css)}>{content}</th>')
    css = _classes("govuk-table__cell", "govuk-table__cell--numeric" if numeric else "", classes)
    return mark_safe(f"<td{_attrs(attrs or {}, css=css)}>{content}</td>")


class CellNode(_ValueNode):
    def render(self, context):
        value = self.args[0] if self.args else None
        options = _testid(_resolve(self.kwargs, context))
        empty = options.pop("empty", "")
        numeric = options.pop("numeric", False)
        classes = options.pop("classes", "")
        header = options.pop("header", False)
        content = self.content(context, value, empty)
        return _cell(content, numeric=numeric, header=header, classes=classes, attrs=options)


_ROW = '<tr class="govuk-table__row">'


def list_rows(table) -> SafeString:
    """The body rows of a list page's table (``ObjectListView``): each cell its ``html``,
    or its ``text`` linked to its ``url``, or its ``text``; numbers aligned right. One tag
    for every row, as a long list would spend more time in a ``{% cell %}`` a cell."""
    rows = []
    for cells in table:
        parts = [_ROW]
        for cell in cells:
            if cell["html"]:
                content = conditional_escape(cell["html"])
            elif cell["url"]:
                content = format_html(
                    '<a class="govuk-link" href="{}">{}</a>', cell["url"], cell["text"]
                )
            else:
                content = conditional_escape(cell["text"])
            parts.append(_cell(content, numeric=cell["numeric"]))
        parts.append("</tr>")
        rows.append("".join(parts))
    return mark_safe("".join(rows))


# --- headings --------------------------------------------------------------------------------


class HeadingCaptionNode(Node):
    """The caption above a page's heading (``size`` s, m, l or xl), left out when empty."""

    child_nodelists = ("nodelist",)

    def __init__(self, kwargs, nodelist):
        self.kwargs, self.nodelist = kwargs, nodelist

    def render(self, context):
        size = _resolve(self.kwargs, context).get("size", "l")
        if size not in ("s", "m", "l", "xl"):
            raise template.TemplateSyntaxError("'heading_caption' size is one of s, m, l, xl.")
        content = self.nodelist.render(context).strip()
        if not content:
            return ""
        return format_html('<span class="govuk-caption-{}">{}</span>', size, mark_safe(content))


def heading_caption(parser, token):
    _, _, kwargs = _parse_bits(parser, token, max_args=0)
    return HeadingCaptionNode(kwargs, _block(parser, "heading_caption"))


# --- registration (called from govuk.py) -----------------------------------------------------


def _value_tag(node_class, name: str, *, leading: int = 0, required: int = 0):
    """A tag with ``leading`` arguments (``required`` of them needed), then either a value,
    or, without one, a block up to its end tag."""

    def compile_tag(parser, token):
        _, args, kwargs = _parse_bits(parser, token, max_args=leading + 1)
        if len(args) < required:
            raise template.TemplateSyntaxError(
                f"'{name}' needs {required} argument{'s' if required != 1 else ''}."
            )
        if len(args) == leading + 1:
            return node_class(args, kwargs)
        return node_class(args, kwargs, _block(parser, name))

    return compile_tag


def summary_key(parser, token):
    _parse_bits(parser, token, max_args=0)
    return SummaryKeyNode(_block(parser, "summary_key"))


def summary_list(parser, token):
    _, _, kwargs = _parse_bits(parser, token, max_args=0)
    return SummaryListNode(kwargs, _block(parser, "summary_list"))


def summary_action(parser, token):
    _, args, kwargs = _parse_bits(parser, token, max_args=2)
    if len(args) != 2:
        raise template.TemplateSyntaxError("'summary_action' takes a URL and the link's text.")
    return SummaryActionNode(args, kwargs)


def table(parser, token):
    _, args, kwargs = _parse_bits(parser, token, max_args=1)
    return TableNode(args, kwargs, _block(parser, "table"))


def table_caption(parser, token):
    _parse_bits(parser, token, max_args=0)
    return TableCaptionNode(_block(parser, "table_caption"))


def table_head(parser, token):
    _parse_bits(parser, token, max_args=0)
    return TableHeadNode(_block(parser, "table_head"))


def table_foot(parser, token):
    _parse_bits(parser, token, max_args=0)
    return TableFootNode(_block(parser, "table_foot"))


def row(parser, token):
    _, _, kwargs = _parse_bits(parser, token, max_args=0)
    return RowNode(kwargs, _block(parser, "row"))


def concat(*parts) -> str:
    """The parts as one string, for an attribute built from several values:
    ``{% concat "period-" year "-q" quarter as testid %}``."""
    return "".join(str(part) for part in parts)


def register_components(register: template.Library) -> None:
    register.simple_tag(concat)
    register.simple_tag(list_rows)
    register.tag("heading_caption", heading_caption)
    register.tag("summary_list", summary_list)
    register.tag("summary_row", _value_tag(SummaryRowNode, "summary_row", leading=1))
    register.tag("summary_key", summary_key)
    register.tag("summary_action", summary_action)
    register.tag("table", table)
    register.tag("table_caption", table_caption)
    register.tag("table_head", table_head)
    register.tag("table_foot", table_foot)
    register.tag("header", _value_tag(HeaderNode, "header"))
    register.tag("row", row)
    register.tag("cell", _value_tag(CellNode, "cell"))
