"""The person a record's step is recorded against, as a model field."""

from django.conf import settings
from django.db import models


def stamped_by(*, optional: bool = False, **options) -> models.ForeignKey:
    """Who took a step on the record: set by the service that takes it, never in a
    form, and kept when the person leaves (PROTECT). ``optional`` for a step that may
    not have been taken yet."""
    if optional:
        options.update(null=True, blank=True)
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        **options,
    )
