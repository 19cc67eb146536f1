"""One rule for every deadline: missed from the day after it, due from the day its
warning window opens up to and including the day itself, upcoming before that; in
business days where the rule setting the deadline counts them."""

import datetime

import pytest
import time_machine
from django.db.models import Q
from django.template import Context, Template

from governance.core import deadlines
from governance.core.deadlines import State, Window, classify, ordering, state_q
from governance.meetings.choices import ActionStatus
from governance.meetings.models import Action
from tests.governance.meetings.meeting_factories import ActionFactory

D = datetime.date


def state(on, today, kind):
    return classify(on, today=today, kind=kind).state


@pytest.fixture
def windows(monkeypatch):
    """Windows of a known size for the boundary tests."""
    monkeypatch.setitem(deadlines.WINDOWS, "calendar", Window(30))
    monkeypatch.setitem(deadlines.WINDOWS, "business", Window(3, business=True))


class TestClassify:
    def test_the_day_after_is_missed_and_the_day_itself_is_due(self, windows):
        today = D(2026, 3, 10)
        assert state(D(2026, 3, 9), today, "calendar") == State.MISSED
        assert state(today, today, "calendar") == State.DUE

    def test_a_calendar_window_includes_its_last_day(self, windows):
        today = D(2026, 3, 10)
        assert state(D(2026, 4, 9), today, "calendar") == State.DUE  # 30 days ahead
        assert state(D(2026, 4, 10), today, "calendar") == State.UPCOMING  # 31 days ahead

    def test_a_business_day_window_skips_the_weekend(self, windows):
        friday = D(2026, 3, 13)
        # Monday, Tuesday and Wednesday are the three business days after a Friday.
        assert state(D(2026, 3, 18), friday, "business") == State.DUE
        assert state(D(2026, 3, 19), friday, "business") == State.UPCOMING

    def test_a_business_day_window_skips_an_england_and_wales_bank_holiday(self, windows):
        # Friday 1 May 2026; Monday 4 May is the early May bank holiday.
        friday = D(2026, 5, 1)
        assert state(D(2026, 5, 7), friday, "business") == State.DUE  # Thursday
        assert state(D(2026, 5, 8), friday, "business") == State.UPCOMING

    def test_on_a_weekend_the_window_counts_from_the_next_business_day(self, windows):
        saturday = D(2026, 3, 14)
        assert state(D(2026, 3, 18), saturday, "business") == State.DUE
        assert state(D(2026, 3, 19), saturday, "business") == State.UPCOMING
        assert state(D(2026, 3, 13), saturday, "business") == State.MISSED  # Friday

    def test_the_words(self, windows):
        today = D(2026, 3, 10)

        def label(days):
            return classify(today + datetime.timedelta(days=days), today=today, kind="calendar")

        assert label(-65).label == "Missed 65 days ago"
        assert label(-1).label == "Missed yesterday"
        assert label(0).label == "Due today"
        assert label(1).label == "Due tomorrow"
        assert label(5).label == "Due in 5 days"
        assert label(40).label == "Due in 40 days"
        assert str(label(-65)) == "Missed 65 days ago (4 January 2026)"
        assert [label(-1).colour, label(0).colour, label(40).colour] == ["red", "orange", "grey"]

    def test_no_date_is_no_deadline(self):
        assert classify(None, today=D(2026, 3, 10), kind=deadlines.ACTION) is None

    def test_every_kind_names_its_window(self):
        for kind in (
            deadlines.EXIT_NOTICE,
            deadlines.EXTENSION_DECISION,
            deadlines.RETURN,
            deadlines.ACTION,
            deadlines.DISPUTE,
            deadlines.CHECKLIST_EXPIRY,
            deadlines.HEALTH_CHECK,
            deadlines.EXIT_TASK,
        ):
            assert deadlines.WINDOWS[kind].days > 0


class TestTag:
    def render(self, text, **context):
        return Template(text).render(Context(context))

    def test_a_missed_deadline_shows_its_date_and_a_red_tag_saying_so(self):
        with time_machine.travel(D(2026, 3, 10), tick=False):
            html = self.render(
                "{% deadline_tag on kind %}", on=D(2026, 1, 4), kind=deadlines.ACTION
            )
        assert "4 January 2026" in html
        assert 'govuk-tag--red app-deadline__tag">Missed 65 days ago</strong>' in html

    def test_the_tag_follows_the_clock(self):
        on = D(2026, 3, 12)
        with time_machine.travel(D(2026, 3, 12), tick=False):
            assert "Due today" in self.render("{% deadline_tag on 'action' %}", on=on)
        with time_machine.travel(D(2026, 3, 13), tick=False):
            assert "Missed yesterday" in self.render("{% deadline_tag on 'action' %}", on=on)

    def test_no_date_renders_nothing(self):
        assert self.render("{% deadline_tag on 'action' %}", on=None) == ""


@pytest.mark.django_db
class TestInTheDatabase:
    """The filter and the order agree with ``classify``."""

    def test_states_and_order(self, windows):
        raised = {"raised_on": D(2025, 11, 1)}
        today = D(2026, 3, 10)
        missed_long_ago = ActionFactory(**raised, due_on=D(2026, 1, 4))
        missed = ActionFactory(**raised, due_on=D(2026, 3, 9))
        due = ActionFactory(**raised, due_on=D(2026, 3, 12))
        upcoming = ActionFactory(**raised, due_on=D(2026, 6, 1))
        done_late = ActionFactory(**raised, due_on=D(2026, 1, 1), status=ActionStatus.DONE)
        done_earlier = ActionFactory(**raised, due_on=D(2025, 12, 1), status=ActionStatus.DONE)
        open_q = {"open_q": Q(status=ActionStatus.OPEN)}
        rows = Action.objects.all()

        def having(name):
            q = state_q(name, "due_on", today=today, kind="business", **open_q)
            return set(rows.filter(q))

        assert having(State.MISSED) == {missed_long_ago, missed}
        assert having(State.DUE) == {due}
        assert having(State.UPCOMING) == {upcoming}
        for action in (missed_long_ago, missed, due, upcoming):
            found = classify(action.due_on, today=today, kind="business").state
            assert action in having(found)
        order = ordering("due_on", today=today, kind="business", **open_q)
        assert list(rows.order_by(*order, "pk")) == [
            missed_long_ago,
            missed,
            due,
            upcoming,
            done_late,
            done_earlier,
        ]
