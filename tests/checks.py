"""Small helpers the feature tests share."""

import datetime

import pytest
from django.core.exceptions import ValidationError


def refused(service, **kwargs) -> ValidationError:
    """The ValidationError ``service(**kwargs)`` raises (the test fails if it raises
    none)."""
    with pytest.raises(ValidationError) as raised:
        service(**kwargs)
    return raised.value


def date_data(name: str, day: datetime.date) -> dict:
    """A GOV.UK date input's three fields for ``day``, as a form posts them."""
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}
