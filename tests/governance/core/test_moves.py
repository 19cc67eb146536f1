"""``refusal``: a move tried as things stand, never kept, and what its service says."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from governance.core import kept
from governance.core.models.base import User
from governance.core.moves import refusal

pytestmark = pytest.mark.django_db


def test_an_accepted_move_leaves_nothing_behind():
    def attempt():
        User.objects.create(username="made-by-a-trial")

    assert refusal(attempt) == []
    assert not User.objects.filter(username="made-by-a-trial").exists()


def test_a_refused_move_gives_the_services_sentences_but_not_its_forms_fields():
    def attempt():
        User.objects.create(username="half-done")
        raise ValidationError(
            {
                "__all__": ["The contract has ended."],
                "notes": ["Enter the notes."],
                "owner": ["Name the owner first."],
            }
        )

    assert refusal(attempt, form_fields=("notes",)) == [
        "The contract has ended.",
        "Name the owner first.",
    ]
    assert not User.objects.filter(username="half-done").exists()


def test_a_plain_refusal_and_a_permission_refusal_are_reasons():
    def plain():
        raise ValidationError("You proposed this, so someone else must approve it.")

    def denied():
        raise PermissionDenied("Only SMG can do this.")

    assert refusal(plain) == ["You proposed this, so someone else must approve it."]
    assert refusal(denied) == ["Only SMG can do this."]


def test_a_trial_move_leaves_the_kept_pages_valid(settings):
    settings.DASHBOARD_CACHE_SECONDS = 60
    before = kept.generation()
    assert refusal(lambda: User.objects.create(username="tried")) == []
    assert kept.generation() == before
    User.objects.create(username="made")
    assert kept.generation() != before
