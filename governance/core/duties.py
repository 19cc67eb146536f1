"""Separation of duties: the person who puts something forward does not approve it.

One rule, used by every service that approves, accepts, confirms or endorses what
someone proposed, submitted or recorded: quarterly returns, variations, decisions,
service transfer plans, exclusions and dispute endorsements. The pages ask the same
functions whether to offer the button, and the services refuse the step anyway.

Nobody is exempt, administrators included: the point of the rule is that two people
have looked at the record.
"""

from django.core.exceptions import ValidationError


def _person_id(person) -> int | None:
    """A user, a user's primary key, or None (nobody recorded)."""
    if person is None:
        return None
    return getattr(person, "pk", person)


def is_same_person(actor, proposer) -> bool:
    """Whether ``actor`` is the person who proposed (submitted, recorded...) the record.
    False when nobody is recorded as the proposer."""
    proposer_id = _person_id(proposer)
    return proposer_id is not None and _person_id(actor) == proposer_id


def different_person_refusal(*, actor, proposer, did: str, step: str) -> str:
    """The sentence refusing ``actor``, or "" when they may take the step.

    ``did`` says what the proposer did ("proposed this variation"); ``step`` what is
    left for someone else ("approve it")."""
    if not is_same_person(actor, proposer):
        return ""
    return f"You {did}, so someone else must {step}."


def require_different_person(
    *, actor, proposer, did: str, step: str, field: str | None = None
) -> None:
    """Refuse ``actor`` when they are the one who proposed the record.

    Raises ValidationError with a sentence such as "You proposed this variation, so
    someone else must approve it." (on ``field`` when given)."""
    refusal = different_person_refusal(actor=actor, proposer=proposer, did=did, step=step)
    if refusal:
        raise ValidationError({field: refusal} if field else refusal)
