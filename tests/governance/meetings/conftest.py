"""The clock of the tests of meetings, actions and decisions."""

import pytest
import time_machine


@pytest.fixture(autouse=True)
def _frozen_clock(request):
    """Stops the clock at the test module's ``FROZEN_AT``, when it sets one."""
    moment = getattr(request.module, "FROZEN_AT", None)
    if moment is None:
        yield
        return
    with time_machine.travel(moment, tick=False):
        yield
