"""Object scope: which rows a user may see or change.

Model permissions (held through role groups) decide whether a user may take an action
at all; ``restrict(user, action)`` on a queryset decides which rows. Each model's
queryset narrows rows in ``scope()``; everything else is shared here.
"""

from django.db import models

ACTIONS = ("view", "add", "change", "delete")


def permission_name(model, action: str) -> str:
    opts = model._meta
    return f"{opts.app_label}.{action}_{opts.model_name}"


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view"):
        """Rows of this queryset that ``user`` may take ``action`` on."""
        if action not in ACTIONS:
            raise ValueError(f"Unknown action {action!r}")
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        if not user.has_perm(permission_name(self.model, action)):
            return self.none()
        return self.scope(user, action)

    def scope(self, user, action: str):
        """Narrow to the rows ``user`` may act on. Models override; the default is none."""
        return self.none()
