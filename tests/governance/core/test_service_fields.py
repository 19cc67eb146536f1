"""A service handed a field it does not change refuses, naming the field."""

import pytest

from governance.core.service_fields import refuse_unknown_fields


def test_known_fields_pass():
    refuse_unknown_fields({"title": "A"}, ("title", "notes"))


def test_unknown_fields_are_named_in_order():
    with pytest.raises(TypeError, match=r"^Unexpected fields: owner, status$"):
        refuse_unknown_fields({"title": "A", "status": "x", "owner": 1}, ("title",))


def test_the_error_and_its_words_can_be_chosen():
    with pytest.raises(ValueError, match=r"^Not editable here: status$"):
        refuse_unknown_fields(["status"], (), error=ValueError, say="Not editable here")
