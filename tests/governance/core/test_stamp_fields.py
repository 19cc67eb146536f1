"""Who took a step is a protected, uneditable reference to a person."""

from django.conf import settings
from django.db import models

from governance.core.stamp_fields import stamped_by


def _options(field):
    return field.deconstruct()[3]


def test_a_step_taken_names_its_person_for_good():
    options = _options(stamped_by())
    assert options["to"] == settings.AUTH_USER_MODEL.lower()
    assert options["on_delete"] is models.PROTECT
    assert options["related_name"] == "+"
    assert options["editable"] is False
    assert "null" not in options and "blank" not in options


def test_a_step_not_yet_taken_may_be_empty():
    field = stamped_by(optional=True, verbose_name="Signed by")
    assert (field.null, field.blank, field.verbose_name) == (True, True, "Signed by")
