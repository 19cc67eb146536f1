"""A record's status steps held in a table: ``(from status, to status) -> step``, where
a step is whatever its service needs (a guard, the fields it records, who may take it).

The table answers which statuses a record may move to now, and refuses a move it does
not hold in the same words for every kind of record.
"""

from django.core.exceptions import ValidationError


def next_statuses(table: dict, status: str) -> list[str]:
    """The statuses ``table`` lets a record in ``status`` move to, in the table's order."""
    return [to for (frm, to) in table if frm == status]


def table_step(table: dict, record, to_status: str, *, noun: str, statuses):
    """The step of ``table`` from ``record``'s status to ``to_status``. Where the table
    has none, a sentence says why: the record is already there (someone took the same
    step a moment earlier) or cannot move so. ``noun`` names the record ("exit plan");
    ``statuses`` is its choices class, for the label of ``to_status``."""
    step = table.get((record.status, to_status))
    if step is not None:
        return step
    state = record.get_status_display().lower()
    if record.status == to_status:
        raise ValidationError(f"This {noun} is already {state}.")
    article = "An" if noun[:1] in "aeiou" else "A"
    raise ValidationError(
        f"{article} {noun} that is {state} cannot become {statuses(to_status).label.lower()}."
    )
