"""Words as the GOV.UK style guide writes them: dates, times, counts, choices, error
messages made for their field, "Error: " in a page's title, and the words test itself."""

import datetime

import django_filters
import pytest
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.template import Context, Template

from governance.core import wording
from governance.core.filtersets import GovernanceFilterSet
from governance.core.forms import GovukForm, field_messages
from governance.core.models.base import User
from tests.words import export_problems, wording_problems

UTC = datetime.UTC


@pytest.mark.parametrize(
    ("when", "words"),
    [
        (
            datetime.datetime(2026, 12, 4, 13, 34, 3, 204323, tzinfo=UTC),
            "4 December 2026 at 1:34pm",
        ),
        (datetime.datetime(2026, 12, 4, 9, 0, tzinfo=UTC), "4 December 2026 at 9am"),
        (datetime.datetime(2026, 12, 4, 12, 0, tzinfo=UTC), "4 December 2026 at midday"),
        (datetime.datetime(2026, 12, 4, 0, 0, tzinfo=UTC), "4 December 2026 at midnight"),
        # British Summer Time: 11:05 UTC is 12:05pm in London.
        (datetime.datetime(2026, 7, 1, 11, 5, tzinfo=UTC), "1 July 2026 at 12:05pm"),
        (datetime.datetime(2026, 7, 1, 23, 30, tzinfo=UTC), "2 July 2026 at 12:30am"),
        (datetime.date(2026, 12, 4), "4 December 2026"),
        (None, ""),
    ],
)
def test_dates_and_times_read_as_gov_uk_writes_them(when, words):
    assert wording.datetime_words(when) == words


def test_a_date_time_given_as_a_day_is_its_day_in_london():
    late = datetime.datetime(2026, 7, 1, 23, 30, tzinfo=UTC)
    assert wording.date_words(late) == "2 July 2026"


@pytest.mark.parametrize(
    ("count", "nouns", "words"),
    [(1, "return", "1 return"), (2, "return", "2 returns"), (0, "return", "0 returns")],
)
def test_counts_have_the_right_plural(count, nouns, words):
    assert wording.count_words(count, nouns) == words


def test_the_template_filters_use_the_same_words():
    template = Template(
        '{{ when|govuk_datetime }}|{{ day|govuk_date }}|{{ one|counted:"return" }}|'
        '{{ two|counted:"body,bodies" }}|{{ yes|yes_no }}'
    )
    text = template.render(
        Context(
            {
                "when": datetime.datetime(2026, 12, 4, 13, 34, tzinfo=UTC),
                "day": datetime.date(2026, 12, 4),
                "one": 1,
                "two": 2,
                "yes": True,
            }
        )
    )
    assert text == "4 December 2026 at 1:34pm|4 December 2026|1 return|2 bodies|Yes"


def test_a_choice_is_shown_by_its_label_and_an_unknown_code_as_words():
    choices = [("active", "Active"), ("in_exit", "In exit period")]
    assert wording.choice_label("in_exit", choices) == "In exit period"
    assert wording.choice_label("not_listed", choices) == "Not listed"


# -- Error messages made for their field --------------------------------------------------


class ScoreForm(GovukForm):
    inherent_likelihood = forms.TypedChoiceField(
        choices=[(n, str(n)) for n in range(1, 6)], coerce=int
    )
    review_every_days = forms.IntegerField(label="Days between reviews")
    target_score = forms.IntegerField(validators=[MinValueValidator(1), MaxValueValidator(25)])
    title = forms.CharField(max_length=5)
    email = forms.EmailField(label="Email address")
    owner = forms.ModelChoiceField(queryset=User.objects.none())
    accepted = forms.BooleanField(label="I have read the contract")
    why = forms.CharField(label="Why is this changed?")
    named = forms.CharField(error_messages={"required": "Give the name the provider uses."})


@pytest.mark.django_db
def test_every_field_says_what_to_do_in_its_own_words():
    form = ScoreForm(
        data={
            "inherent_likelihood": "9",
            "review_every_days": "often",
            "target_score": "30",
            "title": "Far too long",
            "email": "not an address",
            "owner": "1",
        }
    )
    assert not form.is_valid()
    messages = {name: errors[0] for name, errors in form.errors.items()}
    assert messages == {
        "inherent_likelihood": "Select the inherent likelihood, from 1 to 5",
        "review_every_days": "Days between reviews must be a whole number",
        "target_score": "Enter the target score, from 1 to 25",
        "title": "Title must be 5 characters or fewer",
        "email": "Enter the email address in the correct format, like name@example.gov.uk",
        "owner": "Select the owner",
        "accepted": "Select “I have read the contract” to continue",
        "why": "Answer the question “Why is this changed?”",
        "named": "Give the name the provider uses.",  # the form's own message is kept
    }


def test_an_abbreviation_keeps_its_capitals():
    field = forms.CharField(label="KPI name")
    assert field_messages(field, "name")["required"] == "Enter the KPI name"


def test_a_label_that_is_not_a_name_is_quoted():
    field = forms.ChoiceField(label="Allocated to", choices=[("a", "A")])
    assert field_messages(field, "allocation")["required"] == "Select “Allocated to”"


@pytest.mark.django_db
def test_the_risk_form_says_which_likelihood_and_impact_are_missing():
    from risks.forms import RiskForm

    form = RiskForm(data={})
    assert not form.is_valid()
    assert form.errors["inherent_likelihood"] == ["Select the inherent likelihood, from 1 to 5"]
    assert form.errors["residual_likelihood"] == ["Select the residual likelihood, from 1 to 5"]
    assert form.errors["inherent_impact"] == ["Select the inherent impact, from 1 to 5"]


# -- Filters ------------------------------------------------------------------------------


class _Filters(GovernanceFilterSet):
    overdue = django_filters.BooleanFilter(label="Overdue")
    status = django_filters.MultipleChoiceFilter(
        label="Status", choices=[("active", "Active"), ("in_exit", "In exit period")]
    )

    class Meta:
        model = User
        fields = []


@pytest.mark.django_db
def test_filter_tags_show_labels_and_yes_or_no():
    filters = _Filters({"overdue": "true", "status": ["active", "in_exit"]})
    assert filters.active_filters() == [
        ("overdue", "Overdue", "Yes"),
        ("status", "Status", "Active, In exit period"),
    ]


def test_a_yes_or_no_filter_offers_any_yes_and_no():
    options = [label for _, label in _Filters().form.fields["overdue"].widget.choices]
    assert options == ["Any", "Yes", "No"]


# -- The words test catches what it is for ------------------------------------------------


@pytest.mark.parametrize(
    "page",
    [
        "<body><p>Status: in_exit</p></body>",
        "<body><span>Overdue: True</span></body>",
        '<body><p class="govuk-error-message">This field is required.</p></body>',
        "<body><p>Enter a whole number.</p></body>",
        "<body><p>Select a valid choice. 7 is not one of the available choices.</p></body>",
        "<body><p>Ensure this value has at most 200 characters (it has 201).</p></body>",
        "<body><p>Changed 2026-12-04 13:34:03.204323+00:00</p></body>",
        "<body><p>Changed 4 December 2026, 13:34</p></body>",
        "<body><p>Changed 4 December 2026 at 13:34</p></body>",
        "<body><p>E-mail address</p></body>",
        "<body><a>Export these 1 rows as CSV</a></body>",
        '<body><select name="unread"><option value="">Unknown</option></select></body>',
    ],
)
def test_the_words_test_finds_each_kind_of_problem(page):
    assert wording_problems(page)


def test_the_words_test_passes_plain_english():
    page = (
        "<html><head><title>Risks</title><script>var a_b = 1;</script></head><body>"
        '<select name="status"><option value="in_exit">In exit period</option></select>'
        '<a href="/risks/?status=in_exit">Remove</a><p>Email risk_owner@example.gov.uk or '
        "open report_2026.csv. Changed 4 December 2026 at 1:34pm. 1 return, 2 returns, "
        "1 status. Evidence: None uploaded.</p></body></html>"
    )
    assert wording_problems(page) == []


def test_exports_are_checked_for_codes_and_true_or_false():
    assert export_problems("Reference,Status\nNPCC-1,in_exit\n")
    assert export_problems("Reference,Overdue\nNPCC-1,True\n")
    assert export_problems("Reference,Status,Due\nNPCC-1,In exit period,2026-12-04\n") == []


def test_a_label_with_a_percent_sign_is_written_out_whole():
    class ChangeForm(GovukForm):
        change = forms.DecimalField(label="Change in term (%)", max_digits=5, decimal_places=2)
        why = forms.ChoiceField(label="Reason (%)", choices=[("a", "A")])

    assert ChangeForm(data={"change": "lots"}).errors["change"] == [
        "Change in term (%) must be a number"
    ]
    form = ChangeForm(data={"change": "123456.5", "why": "b"})
    assert not form.is_valid()
    assert form.errors["change"] == ["Change in term (%) must be 5 digits or fewer"]
    assert form.errors["why"] == ["Select the reason (%)"]
    assert ChangeForm(data={}).errors["change"] == ["Enter the change in term (%)"]


def test_history_shows_a_changed_date_time_in_words():
    from django.db import models

    from governance.core.history import _display

    stamp = datetime.datetime(2026, 12, 4, 13, 34, 3, 204323, tzinfo=UTC)
    assert _display(models.DateTimeField(), stamp, {}) == "4 December 2026 at 1:34pm"
    assert _display(models.DateField(), stamp.date(), {}) == "4 December 2026"


@pytest.mark.django_db
def test_the_title_starts_with_error_only_when_a_form_or_a_filter_was_sent_back():
    prefix = Template("{% error_prefix %}")
    assert prefix.render(Context({"form": ScoreForm()})) == ""
    assert prefix.render(Context({"form": ScoreForm(data={})})) == "Error: "
    assert prefix.render(Context({"filterset": _Filters({"overdue": "true"})})) == ""
    assert prefix.render(Context({"filterset": _Filters({"status": ["spaceship"]})})) == "Error: "
