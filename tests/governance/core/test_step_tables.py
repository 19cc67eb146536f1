"""A status table answers where a record may move and refuses, in words, a move it does
not hold."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import models

from governance.core.step_tables import next_statuses, table_step


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    AGREED = "agreed", "Agreed"
    ENDED = "ended", "Ended"


TABLE = {
    (Status.DRAFT, Status.AGREED): "agree",
    (Status.AGREED, Status.DRAFT): "reopen",
    (Status.AGREED, Status.ENDED): "end",
}


def record(status):
    return SimpleNamespace(status=status, get_status_display=lambda: Status(status).label)


def test_next_statuses_follow_the_table_order():
    assert next_statuses(TABLE, Status.AGREED) == [Status.DRAFT, Status.ENDED]
    assert next_statuses(TABLE, Status.ENDED) == []


def test_a_held_step_is_returned():
    assert table_step(TABLE, record("agreed"), "ended", noun="plan", statuses=Status) == "end"


def test_a_step_already_taken_says_so():
    with pytest.raises(ValidationError) as raised:
        table_step(TABLE, record("agreed"), "agreed", noun="exit plan", statuses=Status)
    assert raised.value.messages == ["This exit plan is already agreed."]


@pytest.mark.parametrize(
    ("noun", "sentence"),
    [
        ("exit plan", "An exit plan that is draft cannot become ended."),
        ("contract", "A contract that is draft cannot become ended."),
    ],
)
def test_a_move_the_table_does_not_hold_is_refused(noun, sentence):
    with pytest.raises(ValidationError) as raised:
        table_step(TABLE, record("draft"), "ended", noun=noun, statuses=Status)
    assert raised.value.messages == [sentence]
