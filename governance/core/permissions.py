"""Object scope: which rows a user may see or change.

Model permissions (held through role groups) decide whether a user may take an action
at all; ``restrict(user, action)`` on a queryset decides which rows. Each model's
queryset narrows rows in ``scope()``; everything else is shared here.
"""

from django.core.exceptions import ValidationError
from django.db import models

ACTIONS = ("view", "add", "change", "delete")


def permission_name(model, action: str) -> str:
    opts = model._meta
    return f"{opts.app_label}.{action}_{opts.model_name}"


def runs_contract(user, contract) -> bool:
    """Whether ``user`` runs ``contract``: its lead or deputy officer (officers are the
    commissioner's staff), or a superuser. Records about the whole portfolio (no
    contract) are run by any of the commissioner's staff. The same rule as the
    contract's object scope for "change"."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    if user.is_provider_user:
        return False
    return contract is None or contract.is_officer(user)


def officer_may(user, contract, model, action: str) -> bool:
    """The officer guard: whether ``user`` holds the permission to take ``action`` on
    ``model`` and runs ``contract``. Pages ask it to decide what to offer; services
    enforce it through ``require_officer``."""
    return user.has_perm(permission_name(model, action)) and runs_contract(user, contract)


def require_officer(user, contract, model, action: str, message: str) -> None:
    """The officer guard of every service that works on a contract's records: refuse,
    with ``message``, whoever ``officer_may`` refuses."""
    if not officer_may(user, contract, model, action):
        raise ValidationError(message)


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
        """Narrow to the rows ``user`` may act on. Models override; the default is none.
        An override reads only what ``governance.core.compiled.user_scope_key`` names of
        the user (its id, whether it is active or a superuser, its roles, permissions and
        organisation): reads kept between requests are filed under that key."""
        return self.none()
