"""People named in a spreadsheet's cells: found by their full name, username or
email address, never guessed when two people share a name."""

from typing import Any

from django.core.exceptions import ValidationError


def people_by_name(people) -> dict[str, Any]:
    """Each person under their full name, username and email address (in any case);
    a name two people share maps to None, so it is never guessed."""
    found: dict[str, Any] = {}
    for person in people:
        for key in {str(person), person.username, person.email}:
            if not key:
                continue
            key = key.casefold()
            found[key] = None if key in found and found[key] != person else person
    return found


def find_person(people: dict, given: str, header: str):
    if not given:
        return None
    key = given.strip().casefold()
    if key not in people:
        raise ValidationError(
            {
                header: f"No one who may do this is called “{given}”. Enter their full name as "
                "shown in this service, their username or their email address."
            }
        )
    if people[key] is None:
        raise ValidationError(
            {
                header: f"More than one person is called “{given}”. Enter their username or "
                "email address instead."
            }
        )
    return people[key]
