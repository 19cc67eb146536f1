"""No input breaks a form, and a refused form changes nothing.

Every create and edit form of the product (``tests/form_targets.py``) is opened as a
user allowed to submit it and posted back with a few of its values replaced by what
an adversarial user might type: impossible and far-off dates, huge, negative and
non-numbers, very long text, unicode, NUL bytes and markup. Whatever comes back is
never a server error; a page that refuses the input (the form shown again with its
errors) leaves every table and the record it was opened on as they were; a page that
accepts it stores no date outside the date policy's range.
"""

import datetime
from dataclasses import replace

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.form_targets import (
    FORMS_WITH_DATES,
    NOT_FORMS,
    NOW,
    TARGETS,
    World,
    as_post,
    dates_outside_policy,
    filled,
    open_form,
    opened_records,
    post_url_names,
    record_values,
    row_counts,
)

#: Examples per form: about 100 forms, so the whole run stays within two minutes.
EXAMPLES_PER_FORM = 6


def test_every_page_that_takes_a_post_is_listed():
    """A new form is fuzzed from the day it is added: each POST page is a target or
    named as a button with no input."""
    listed = {target.url_name for target in TARGETS} | set(NOT_FORMS)
    pages = post_url_names()
    assert pages - listed == set(), "add these pages to tests/form_targets.py"
    assert listed - pages == set(), "these pages no longer exist"


# -- What an adversarial user types -----------------------------------------------------------

BAD_DATES = [
    ("1", "1", "0001"),
    ("1", "1", "1800"),
    ("1", "1", "9999"),
    ("31", "12", "9999"),
    ("31", "2", "2026"),
    ("29", "2", "2027"),
    ("31", "12", "1999"),
    ("1", "1", "2101"),
    ("0", "0", "0000"),
    ("1", "13", "2026"),
    ("", "", ""),
    ("1", "", "2026"),
    ("x", "y", "zzzz"),
    ("-1", "1", "2026"),
    ("1.5", "1", "2026"),
    ("99999999999999999999", "1", "2026"),
    ("1", "1", "99999"),
    ("²", "1", "2026"),
    ("\u0661", "\u0661", "\u0662\u0660\u0662\u0666"),  # Arabic-Indic digits
    ("1", "1", "2026\x00"),
]
NUMBERS = [
    "99999999999999999999999999999",
    "-1",
    "-99999999",
    "0",
    "-0",
    "NaN",
    "nan",
    "Infinity",
    "-Infinity",
    "1e309",
    "1E+309",
    "1e-400",
    "1,000,000.001",
    "£1,000,000.001",
    "0.0000000001",
    "12abc",
    "१२३",
    " ",
    "",
]
STRINGS = [
    "A" * 10_000,
    "\x00",
    "Ab\x00cd",
    "<script>alert(1)</script>",
    "</textarea><b>bold</b>",
    "'; DROP TABLE contracts_contract; --",
    "😀" * 100,
    "\u202eright to left",
    "Zalgo Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇",
    "\r\n" * 200,
    "%s %(name)s {0} {{ x }}",
]
NOT_A_CHOICE = ["", "0", "-1", "999999999", "99999999999999999999", "abc", "NaN", "1e309", "\x00"]

_text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40)
_nasty_text = st.one_of(st.sampled_from(NUMBERS), st.sampled_from(STRINGS), _text)


def _date_parts(day: datetime.date) -> tuple[str, str, str]:
    return str(day.day), str(day.month), f"{day.year:04d}"


BAD_DATE = st.one_of(
    st.sampled_from(BAD_DATES),
    st.dates(datetime.date(1, 1, 1), datetime.date(9999, 12, 31)).map(_date_parts),
    st.dates(datetime.date(1995, 1, 1), datetime.date(2106, 12, 31)).map(_date_parts),
    st.tuples(_nasty_text, _nasty_text, _nasty_text),
)


def bad_value(kind: str, options: list[str]):
    if kind == "date":
        return BAD_DATE
    if kind in ("select", "radio"):
        return st.one_of(st.sampled_from(options or [""]), st.sampled_from(NOT_A_CHOICE))
    if kind == "checkbox":
        return st.lists(st.sampled_from([*options, "garbage", ""]), max_size=2)
    return _nasty_text


@pytest.mark.django_db
@pytest.mark.parametrize("target", TARGETS, ids=[target.id for target in TARGETS])
def test_no_input_breaks_the_form(target, client):
    with time_machine.travel(NOW, tick=False):
        world = World()
        url, _, fields = open_form(target, world, client)
        assert fields, f"{url} shows no form"
        shows_a_date = any(item.kind == "date" for item in fields)
        assert shows_a_date == (target.id in FORMS_WITH_DATES), "update FORMS_WITH_DATES"
        baseline = filled(fields, NOW.date())
        records = opened_records(url)
        # Each example is rolled back, so each starts from this state.
        counts, values = row_counts(), record_values(records, world)

        @settings(
            max_examples=EXAMPLES_PER_FORM,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        )
        @given(data=st.data())
        def submit(data):
            # Either every field at once (each field's own checks) or one or two (the
            # rules behind a form that is otherwise right).
            every = data.draw(st.booleans(), label="change every field")
            changed = (
                set(range(len(baseline)))
                if every
                else data.draw(
                    st.sets(st.sampled_from(range(len(baseline))), min_size=1, max_size=2),
                    label="fields changed",
                )
            )
            sent = [
                replace(item, value=data.draw(bad_value(item.kind, item.options), label=item.name))
                if index in changed
                else item
                for index, item in enumerate(baseline)
            ]
            with transaction.atomic():
                response = client.post(url, as_post(sent))
                assert response.status_code < 500
                if response.status_code in (200, 400):
                    assert row_counts() == counts, f"{url} refused the input but saved rows"
                    assert record_values(records, world) == values, (
                        f"{url} refused the input but changed the record"
                    )
                elif response.status_code == 302:
                    assert dates_outside_policy() == []
                transaction.set_rollback(True)

        submit()
