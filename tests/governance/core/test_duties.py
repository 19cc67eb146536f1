"""The one rule every approval shares: whoever put a record forward does not approve it."""

import pytest
from django.core.exceptions import ValidationError

from governance.core.duties import (
    different_person_refusal,
    is_same_person,
    require_different_person,
)
from governance.core.roles import Role

pytestmark = pytest.mark.django_db


def test_the_proposer_is_refused_with_a_sentence(make_user):
    proposer = make_user(role=Role.CONTRACT_MANAGER)
    with pytest.raises(ValidationError) as raised:
        require_different_person(
            actor=proposer, proposer=proposer, did="proposed this variation", step="approve it"
        )
    assert raised.value.messages == [
        "You proposed this variation, so someone else must approve it."
    ]


def test_the_refusal_can_sit_on_a_field(make_user):
    proposer = make_user()
    with pytest.raises(ValidationError) as raised:
        require_different_person(
            actor=proposer, proposer=proposer.pk, did="recorded it", step="confirm it", field="x"
        )
    assert raised.value.message_dict == {"x": ["You recorded it, so someone else must confirm it."]}


def test_someone_else_and_an_unrecorded_proposer_pass(make_user):
    actor, other = make_user(), make_user()
    for proposer in (other, other.pk, None):
        require_different_person(actor=actor, proposer=proposer, did="did it", step="approve it")
        assert different_person_refusal(actor=actor, proposer=proposer, did="d", step="s") == ""
    assert is_same_person(actor, actor.pk) and is_same_person(actor.pk, actor)
    assert not is_same_person(actor, None)


def test_nobody_is_exempt(make_user):
    admin = make_user(is_superuser=True)
    assert different_person_refusal(actor=admin, proposer=admin, did="did it", step="approve it")
