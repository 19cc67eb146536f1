"""Signing in and permissions: Django's model backend, with each user's permissions
kept between requests.

Every page asks what the user may do (the menu alone asks some thirty times), and
Django reads the answer from the database afresh on each request: two queries joining
permissions, groups and content types. The answer changes only when the user, their
roles or a role's permissions change, and each of those replaces the access
generation (``governance.core.kept``), so the next request reads it afresh.
"""

from django.contrib.auth.backends import ModelBackend

from governance.core import kept


class KeptPermissionsBackend(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = kept.remember(
                ("permissions", user_obj.pk, user_obj.is_superuser),
                lambda: frozenset(
                    super(KeptPermissionsBackend, self).get_all_permissions(user_obj)
                ),
                access=True,
            )
        return user_obj._perm_cache

    def _read_permissions(self, user_obj) -> frozenset[str]:
        return frozenset(super().get_all_permissions(user_obj))
