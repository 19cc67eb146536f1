"""The summary-list, table and form-page template tags of the govuk library."""

import datetime
import re

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.template.loader import render_to_string


def render(source: str, **context) -> str:
    return Template(source).render(Context(context)).strip()


def squash(html: str) -> str:
    """The markup without the whitespace between tags."""
    return re.sub(r">\s+<", "><", html.strip())


ROW = '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">{}</dt>'
VALUE = '<dd class="govuk-summary-list__value">{}</dd>'


class TestSummaryList:
    def test_a_row_shows_its_key_and_value(self):
        html = render(
            '{% summary_list testid="terms" %}{% summary_row "Provider" name %}'
            "{% endsummary_list %}",
            name="Acme Care",
        )
        assert html == (
            '<dl class="govuk-summary-list" data-testid="terms">'
            + ROW.format("Provider")
            + VALUE.format("Acme Care")
            + "</div></dl>"
        )

    def test_values_and_keys_are_escaped(self):
        html = render(
            "{% summary_row key value %}", key="<b>Key</b>", value="<script>alert(1)</script>"
        )
        assert "<script>" not in html and "<b>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "&lt;b&gt;Key&lt;/b&gt;" in html

    def test_markup_already_marked_safe_is_kept(self):
        html = render('{% summary_row "Notes" notes|linebreaksbr %}', notes="one\ntwo")
        assert VALUE.format("one<br>two") in html

    @pytest.mark.parametrize("value", [None, "", "   "])
    def test_an_empty_value_says_not_recorded(self, value):
        assert VALUE.format("Not recorded") in render('{% summary_row "Owner" v %}', v=value)

    def test_an_empty_value_can_say_what_the_page_needs(self):
        html = render('{% summary_row "Owner" v empty="Not named" %}', v=None)
        assert VALUE.format("Not named") in html

    def test_nought_is_a_value_not_an_empty_one(self):
        assert VALUE.format("0") in render('{% summary_row "Open actions" n %}', n=0)

    def test_an_empty_block_says_not_recorded(self):
        html = render(
            '{% summary_row "Owner" %}{% if owner %}{{ owner }}{% endif %}{% endsummary_row %}'
        )
        assert VALUE.format("Not recorded") in html

    def test_dates_show_as_the_page_would_show_them(self):
        html = render('{% summary_row "Starts" d %}', d=datetime.date(2027, 3, 31))
        assert VALUE.format("31 March 2027") in html

    def test_a_block_holds_markup_and_a_test_id(self):
        html = render(
            '{% summary_row "Contract" testid="contract" %}<a href="{{ url }}">{{ ref }}</a>'
            "{% endsummary_row %}",
            url="/c/1/",
            ref="C&1",
        )
        assert (
            '<dd class="govuk-summary-list__value" data-testid="contract">'
            '<a href="/c/1/">C&amp;1</a></dd>'
        ) in html

    def test_a_key_can_be_written_with_variables(self):
        html = render(
            "{% summary_row %}{% summary_key %}Signed for {{ provider }} by{% endsummary_key %}"
            "{{ name }}{% endsummary_row %}",
            provider="Acme <Care>",
            name="Jo",
        )
        assert ROW.format("Signed for Acme &lt;Care&gt; by") + VALUE.format("Jo") in html

    def test_a_row_without_a_key_is_refused(self):
        with pytest.raises(TemplateSyntaxError, match="needs a key"):
            render("{% summary_row %}Jo{% endsummary_row %}")

    def test_an_action_link_names_what_it_changes_for_screen_readers(self):
        html = render(
            '{% summary_row "Name" name action_url=url action_hidden="the name" %}',
            name="Jo",
            url="/edit/?a=1&b=2",
        )
        assert html.endswith(
            '<dd class="govuk-summary-list__actions">'
            '<a class="govuk-link" href="/edit/?a=1&amp;b=2">'
            'Change<span class="govuk-visually-hidden"> the name</span></a></dd></div>'
        )

    def test_no_action_link_without_a_url(self):
        html = render('{% summary_row "Name" name action_url=url %}', name="Jo", url="")
        assert "govuk-summary-list__actions" not in html

    def test_several_actions_make_a_list(self):
        html = render(
            '{% summary_row "Side" %}Draft{% summary_action a "Answer" hidden=h %}'
            '{% if ready %}{% summary_action s "Submit" %}{% endif %}{% endsummary_row %}',
            a="/answer/",
            s="/submit/",
            h="the <provider>'s side",
            ready=True,
        )
        assert VALUE.format("Draft") in html
        assert '<ul class="govuk-summary-list__actions-list">' in html
        assert html.count('<li class="govuk-summary-list__actions-list-item">') == 2
        assert "the &lt;provider&gt;&#x27;s side" in html

    def test_an_action_outside_a_row_is_refused(self):
        with pytest.raises(TemplateSyntaxError, match="inside a 'summary_row'"):
            render('{% summary_action "/x/" "Change" %}')

    def test_in_a_list_with_actions_rows_without_one_say_so(self):
        html = render(
            "{% summary_list actions=True %}"
            '{% summary_row "Name" "Jo" action_url="/e/" %}{% summary_row "Date" "Today" %}'
            "{% endsummary_list %}"
        )
        rows = re.findall(r'<div class="([^"]*)">', html)
        assert rows == [
            "govuk-summary-list__row",
            "govuk-summary-list__row govuk-summary-list__row--no-actions",
        ]

    def test_list_modifiers(self):
        html = render('{% summary_list no_border=True classes="app-people" %}{% endsummary_list %}')
        assert (
            html == '<dl class="govuk-summary-list govuk-summary-list--no-border app-people"></dl>'
        )

    def test_a_row_takes_at_most_a_key_and_a_value(self):
        with pytest.raises(TemplateSyntaxError, match="at most 2"):
            Template('{% summary_row "A" b c %}')


class TestTable:
    def test_headers_numeric_columns_and_a_hidden_caption(self):
        html = render(
            '{% table "Invoices" headers="Month|Amount" numeric="Amount" testid="invoices" %}'
            "{% for i in items %}{% row %}{% cell i.month %}{% cell i.amount numeric=True %}"
            "{% endrow %}{% endfor %}{% endtable %}",
            items=[{"month": "April", "amount": "£10"}],
        )
        assert html == (
            '<div class="app-table-wrapper" role="region" aria-label="Invoices" tabindex="0">'
            '<table class="govuk-table" data-testid="invoices">'
            '<caption class="govuk-table__caption govuk-visually-hidden">Invoices</caption>'
            '<thead class="govuk-table__head"><tr class="govuk-table__row">'
            '<th scope="col" class="govuk-table__header">Month</th>'
            '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Amount</th>'
            '</tr></thead><tbody class="govuk-table__body"><tr class="govuk-table__row">'
            '<td class="govuk-table__cell">April</td>'
            '<td class="govuk-table__cell govuk-table__cell--numeric">£10</td>'
            "</tr></tbody></table></div>"
        )

    def test_a_list_pages_rows_are_written_as_its_cells_would_be(self):
        """``list_rows`` writes what a ``{% row %}`` of ``{% cell %}`` tags writes for a list
        page's table: the cell's html, or its text linked, or its text, escaped."""
        from django.utils.safestring import mark_safe

        table = [
            [
                {"text": "R&D <1>", "html": "", "url": "/contracts/1/?a=1&b=2", "numeric": False},
                {"text": "", "html": mark_safe("<b>Red</b>"), "url": "", "numeric": False},
                {"text": "<3>", "html": "", "url": "", "numeric": True},
                {"text": "", "html": "<i>not safe</i>", "url": "", "numeric": False},
            ]
        ]
        by_tags = render(
            "{% for cells in table %}{% row %}{% for cell in cells %}"
            "{% cell numeric=cell.numeric %}{% if cell.html %}{{ cell.html }}{% elif cell.url %}"
            '<a class="govuk-link" href="{{ cell.url }}">{{ cell.text }}</a>'
            "{% else %}{{ cell.text }}{% endif %}{% endcell %}{% endfor %}{% endrow %}{% endfor %}",
            table=table,
        )
        in_one = render("{% list_rows table %}", table=table)
        assert squash(in_one) == squash(by_tags)
        assert in_one == (
            '<tr class="govuk-table__row"><td class="govuk-table__cell">'
            '<a class="govuk-link" href="/contracts/1/?a=1&amp;b=2">R&amp;D &lt;1&gt;</a></td>'
            '<td class="govuk-table__cell"><b>Red</b></td>'
            '<td class="govuk-table__cell govuk-table__cell--numeric">&lt;3&gt;</td>'
            '<td class="govuk-table__cell">&lt;i&gt;not safe&lt;/i&gt;</td></tr>'
        )

    def test_headers_can_be_a_list(self):
        html = render(
            '{% table "Q" headers=labels numeric=labels %}{% endtable %}', labels=["Q1", "Q2"]
        )
        assert html.count("govuk-table__header--numeric") == 2

    def test_cells_are_escaped_and_empty_cells_stay_empty(self):
        html = render(
            '{% table "T" %}{% row %}{% cell a %}{% cell b %}{% cell c empty="None" %}'
            "{% endrow %}{% endtable %}",
            a="<i>x</i>",
            b=None,
            c="",
        )
        assert '<td class="govuk-table__cell">&lt;i&gt;x&lt;/i&gt;</td>' in html
        assert '<td class="govuk-table__cell"></td>' in html
        assert '<td class="govuk-table__cell">None</td>' in html

    def test_row_headers_attributes_and_classes(self):
        html = render(
            '{% table "T" %}{% row testid="r" %}{% cell "Total" header=True %}'
            '{% cell n numeric=True data_count=n data_empty=blank classes="app-x" %}'
            "{% endrow %}{% endtable %}",
            n=0,
            blank="",
        )
        assert '<tr class="govuk-table__row" data-testid="r">' in html
        assert '<th scope="row" class="govuk-table__header">Total</th>' in html
        assert (
            '<td class="govuk-table__cell govuk-table__cell--numeric app-x" data-count="0">0</td>'
        ) in html

    def test_a_block_cell_keeps_its_markup(self):
        html = render(
            '{% table "T" %}{% row %}{% cell %} <a href="{{ u }}">{{ t }}</a> {% endcell %}'
            "{% endrow %}{% endtable %}",
            u="/x/",
            t="A & B",
        )
        assert '<td class="govuk-table__cell"><a href="/x/">A &amp; B</a></td>' in html

    def test_headers_with_markup_or_conditions_go_in_table_head(self):
        html = render(
            '{% table "T" small=True caption_size="s" scroll=True %}'
            '{% table_head %}{% header "Area" %}{% if both %}{% header "Provider" numeric=True %}'
            '{% endif %}{% header aria_sort="none" %}<a href="?s=1">Score</a>{% endheader %}'
            "{% endtable_head %}{% endtable %}",
            both=False,
        )
        assert html.startswith(
            '<div class="app-table-wrapper" role="region" aria-label="T" tabindex="0">'
            '<table class="govuk-table govuk-!-font-size-16">'
            '<caption class="govuk-table__caption govuk-table__caption--s">T</caption>'
        )
        assert "Provider" not in html
        assert (
            '<th scope="col" class="govuk-table__header" aria-sort="none">'
            '<a href="?s=1">Score</a></th>'
        ) in html
        assert html.endswith("</table></div>")

    def test_a_caption_with_variables_and_a_foot(self):
        html = render(
            "{% table %}{% table_caption %}Scores of {{ ref }}{% endtable_caption %}"
            '{% row %}{% cell "1" %}{% endrow %}'
            '{% table_foot %}{% cell "Overall" header=True %}{% endtable_foot %}{% endtable %}',
            ref="C<1>",
        )
        assert (
            '<caption class="govuk-table__caption govuk-visually-hidden">Scores of C&lt;1&gt;'
            "</caption>"
        ) in html
        assert html.endswith(
            '</tbody><tfoot><tr class="govuk-table__row">'
            '<th scope="row" class="govuk-table__header">Overall</th></tr></tfoot></table></div>'
        )
        assert html.startswith(
            '<div class="app-table-wrapper" role="region" aria-label="Scores of C&lt;1&gt;" '
            'tabindex="0">'
        )

    def test_a_table_without_a_caption_still_scrolls_in_its_own_container(self):
        html = render('{% table headers="A" %}{% endtable %}')
        assert html.startswith('<div class="app-table-wrapper"><table class="govuk-table">')
        assert html.endswith("</table></div>")

    def test_headers_and_a_table_head_together_are_refused(self):
        with pytest.raises(TemplateSyntaxError, match="not both"):
            render(
                '{% table "T" headers="A" %}{% table_head %}{% header "B" %}{% endtable_head %}'
                "{% endtable %}"
            )

    def test_an_unknown_caption_size_is_refused(self):
        with pytest.raises(TemplateSyntaxError, match="caption_size"):
            render('{% table "T" caption_size="huge" %}{% endtable %}')

    def test_concat_builds_an_attribute(self):
        html = render(
            '{% concat "period-" y "-q" q as testid %}{% table "T" %}{% row testid=testid %}'
            "{% endrow %}{% endtable %}",
            y=2027,
            q=1,
        )
        assert 'data-testid="period-2027-q1"' in html


class TestHeadingCaption:
    def test_shows_its_text(self):
        html = render("{% heading_caption %} {{ ref }} {% endheading_caption %}", ref="C-1")
        assert html == '<span class="govuk-caption-l">C-1</span>'

    def test_is_left_out_when_empty(self):
        assert render("{% heading_caption %}{% if x %}x{% endif %}{% endheading_caption %}") == ""


class TestObjectForm:
    """The shared form page and the blocks a form page fills."""

    def page(self, **context):
        from django import forms

        class NameForm(forms.Form):
            name = forms.CharField()

        class UploadForm(forms.Form):
            file = forms.FileField()

        form = UploadForm() if context.pop("upload", False) else NameForm()
        return render_to_string("governance/object_form.html", {"form": form, **context})

    def test_defaults(self):
        html = squash(self.page(title="Add a contact", cancel_url="/contacts/"))
        assert '<a href="/contacts/" class="govuk-back-link govuk-!-margin-top-0">Back</a>' in html
        assert '<h1 class="govuk-heading-l">Add a contact</h1>' in html
        assert "govuk-caption-l" not in html
        assert '<form method="post" novalidate>' in html
        assert ">Save</button>" in html
        assert '<a class="govuk-link" href="/contacts/">Cancel</a>' in html

    def test_no_back_or_cancel_link_without_somewhere_to_go(self):
        html = self.page(title="Add a contact")
        assert "Back</a>" not in html and "Cancel" not in html

    def test_a_form_with_a_file_is_sent_as_multipart(self):
        html = self.page(title="Upload", upload=True)
        assert '<form method="post" enctype="multipart/form-data" novalidate>' in html

    def test_a_warning_action_has_a_red_button(self):
        assert "govuk-button--warning" in self.page(title="End it", warning=True)

    def test_a_form_page_fills_the_blocks(self):
        html = squash(
            Template(
                '{% extends "governance/object_form.html" %}'
                "{% block caption %}C-1 Home care{% endblock %}"
                "{% block before_form %}<p>Guidance</p>{% endblock %}"
                "{% block submit_label %}Log the contact{% endblock %}"
                "{% block after_form %}<p>After</p>{% endblock %}"
            ).render(Context({"title": "Log a contact", "form": ""}))
        )
        assert (
            '<span class="govuk-caption-l">C-1 Home care</span>'
            '<h1 class="govuk-heading-l">Log a contact</h1><p>Guidance</p><form'
        ) in html
        assert ">Log the contact</button>" in html
        assert html.index("</form>") < html.index("<p>After</p>")
