"""What a caller may do: the model permission of their roles, as on the pages."""

from rest_framework import permissions

from governance.core.permissions import permission_name

ACTION_BY_METHOD = {"GET": "view", "HEAD": "view", "OPTIONS": "view"}


class ModelPermission(permissions.BasePermission):
    """Anonymous: 401. Signed in without the model permission for the step (``view``
    to read; the view's ``write_action`` to write): 403. Records outside the person's
    scope are missing from the view's queryset, so they are 404."""

    message = "Your roles do not allow this"

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        model = getattr(view, "model", None)
        if model is None:
            return True
        action = ACTION_BY_METHOD.get(request.method) or getattr(view, "write_action", "change")
        return user.has_perm(permission_name(model, action))
