"""What stops a move before its form is filled in, in the words of the service that
would refuse it.

A page that offers a state change (approve, submit, plan, complete...) asks the move's
own service, not a copy of its rules: ``refusal`` tries the move as things stand, with
only what the page already knows, inside a savepoint that is always rolled back. What
the service refuses is the reason the move is shown disabled, except the problems
with a field its form asks for (the form is there to put those right). A move the page
offers is therefore one the service accepts, once its form is filled in."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from governance.core import kept


class _RolledBack(Exception):
    """Raised to undo a trial move that the service accepted."""


def refusal(attempt: Callable[[], object], *, form_fields: Iterable[str] = ()) -> list[str]:
    """The reasons the service gives for refusing ``attempt`` now; empty when it accepts.

    ``attempt`` calls the service with the record as it stands; nothing it does is
    kept, and the pages kept in the cache stay valid. Problems with one of
    ``form_fields`` are left to the move's form."""
    asked = set(form_fields)
    try:
        with kept.trial(), transaction.atomic():
            attempt()
            raise _RolledBack
    except _RolledBack:
        return []
    except PermissionDenied as denied:
        return [str(denied) or "You do not have permission to do this."]
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            return _unique(error.messages)
        reasons = []
        for name, problems in error.message_dict.items():
            if name in asked:
                continue
            reasons.extend(problems)
        return _unique(reasons)


def _unique(messages: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for message in messages:
        if str(message) not in seen:
            seen.append(str(message))
    return seen


@dataclass(frozen=True)
class Move:
    """One state change a page may offer: its button's words and link, and what stops
    it now (empty: offered)."""

    name: str
    label: str
    url: str
    reasons: list[str] = field(default_factory=list)
    warning: bool = False

    @property
    def available(self) -> bool:
        return not self.reasons
