"""What a service is handed to change, checked against what it takes."""

from collections.abc import Iterable


def refuse_unknown_fields(
    fields: Iterable[str],
    allowed: Iterable[str],
    *,
    error: type[Exception] = TypeError,
    say: str = "Unexpected fields",
) -> None:
    """Raise ``error`` naming, in order, each of ``fields`` not in ``allowed``: a service
    handed a field it does not change is a mistake in the calling code, not the user's."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise error(f"{say}: {', '.join(sorted(unknown))}")
