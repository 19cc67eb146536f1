"""Errors as JSON: a rule broken gives 400 with the form's own messages keyed by field;
a record outside the caller's scope is 404, whatever the reason."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

NON_FIELD = "non_field_errors"


def form_errors(form) -> dict[str, list[str]]:
    """A bound Django form's errors as {field: [message, ...]}; errors about the whole
    form under ``non_field_errors``."""
    return {
        (NON_FIELD if field == "__all__" else field): [str(message) for message in messages]
        for field, messages in form.errors.items()
    }


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {
                field: [str(m) for e in errors for m in e]
                for field, errors in exc.error_dict.items()
            }
        else:
            detail = {NON_FIELD: [str(m) for m in exc.messages]}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, exceptions.NotAuthenticated):
        exc.detail = "Sign in or send an API token: 'Authorization: Bearer <token>'"
    return drf_exception_handler(exc, context)
