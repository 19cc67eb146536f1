"""Writes through the pages' own path. The API hands the request to the page's view as
if its form had been posted: the page checks the permission, finds the record among
those the person may change (404 otherwise), builds its form, and calls its service.
Only the answer differs: instead of the page drawn again with its errors, 400 with the
form's messages as JSON keyed by field; instead of a redirect, the record.

History says who (the token's person, as on the page) and why: the reason given, or
what was done, followed by "(via the API)"."""

import re
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django.views import View
from rest_framework import status
from rest_framework.response import Response

from governance.api.errors import form_errors
from governance.core.concurrency import VERSION_FIELD

VIA_API = " (via the API)"
#: The longest reason history keeps (simple-history's change reason).
REASON_MAX = 100
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: An update sent without the version it was read at.
VERSION_MISSING = "Send the record_version you read, so a change made since is not overwritten"
#: In a 409 answer: the record's version now, to read it again at.
CURRENT_VERSION = "current_record_version"


def api_reason(given: str, done: str) -> str:
    """The reason kept in history: the caller's, or ``done``, marked as from the API."""
    reason = (given or "").strip() or done
    return reason[: REASON_MAX - len(VIA_API)] + VIA_API


def form_data(payload: Any) -> QueryDict:
    """A JSON object as the form post the page expects: lists as repeated values, true
    and false as a checkbox sends them, and a date "2027-03-31" also as the day, month
    and year boxes of the GOV.UK date input (``<name>_day`` ...)."""
    data = QueryDict(mutable=True)
    if not isinstance(payload, dict):
        return data
    for name, value in payload.items():
        name = str(name)
        values = value if isinstance(value, list) else [value]
        for item in values:
            if item is None:
                continue
            if isinstance(item, bool):
                item = "true" if item else "false"
            elif isinstance(item, dict | list):
                item = ""
            data.appendlist(name, str(item))
        if isinstance(value, str) and _ISO_DATE.match(value):
            year, month, day = value.split("-")
            data[f"{name}_day"], data[f"{name}_month"], data[f"{name}_year"] = day, month, year
    return data


@dataclass
class Outcome:
    """What the page would have shown: the record changed, or the form with errors."""

    result: Any = None
    form: Any = None
    status_code: int = status.HTTP_200_OK
    errors: dict | None = None


def _headless(page: type[View], done: str, require_version: bool) -> type[View]:
    """The page's view with its answers captured instead of drawn."""

    class Headless(page):
        # An update must say which version of the record it was read at; asked once the
        # page has checked the permission and found the record (403 and 404 first).
        def post(self, request, *args, **kwargs):
            if require_version and not str(request.POST.get(VERSION_FIELD, "")).strip():
                return Outcome(
                    errors={VERSION_FIELD: [VERSION_MISSING]},
                    status_code=status.HTTP_400_BAD_REQUEST,
                )
            return super().post(request, *args, **kwargs)

        # No message left waiting for the next page the person opens (a step page sets
        # its message as it starts).
        @property
        def success_message(self):
            return ""

        @success_message.setter
        def success_message(self, value):
            pass

        def render_to_response(self, context, **kwargs):
            return Outcome(form=context["form"], status_code=kwargs.get("status", 400))

        # A form page (ObjectFormView)
        def create(self, form, reason):
            return super().create(form, api_reason(reason, done))

        def update(self, form, reason):
            return super().update(form, api_reason(reason, done))

        def success(self, result):
            return Outcome(result=result)

        # A step page (ObjectActionView): the step's note is its reason.
        def service_kwargs(self, form):
            kwargs = super().service_kwargs(form)
            kwargs["reason"] = api_reason(kwargs.get("reason", ""), done)
            return kwargs

        def get_success_url(self):
            self.taken = True
            return "/"

    Headless.__name__ = Headless.__qualname__ = f"Api{page.__name__}"
    return Headless


def through_page(
    request, page: type[View], *, done: str, payload=None, require_version=False, **url_kwargs
) -> Outcome:
    """Post ``payload`` (the API request's JSON) to ``page`` as its form, as the person
    the API authenticated. Http404 and PermissionDenied from the page become 404 and
    403 as on the page. With ``require_version`` the payload must carry the
    ``record_version`` the caller read (400 otherwise); the page refuses a stale one
    (409), as it refuses a stale form."""
    django_request = request._request
    # The page, its service and the history middleware all read the person from here;
    # for a token they were not known until the API authenticated the request.
    django_request.user = request.user
    # Files first: reading FILES on a request without them would parse the body again
    # and replace POST.
    django_request._files = MultiValueDict()
    django_request.POST = form_data(request.data if payload is None else payload)
    view = _headless(page, done, require_version)()
    view.setup(django_request, **url_kwargs)
    answer = view.dispatch(django_request, **url_kwargs)
    if isinstance(answer, Outcome):
        return answer
    # A step page answers with a redirect once the step is taken.
    if getattr(view, "taken", False):
        return Outcome(result=view.object)
    return Outcome(result=getattr(view, "object", None))


def answer(outcome: Outcome, record: models.Model | None, serializer_class, *, created=False):
    """The API's answer: the form's errors (400; 409 for a stale version, with the
    record's current version), or the record as it now stands."""
    if outcome.errors is not None:
        return Response(outcome.errors, status=outcome.status_code)
    if outcome.form is not None:
        body = form_errors(outcome.form)
        if outcome.status_code == status.HTTP_409_CONFLICT:
            body.pop(VERSION_FIELD, None)
            body[CURRENT_VERSION] = outcome.form.data.get(VERSION_FIELD, "")
        return Response(body, status=outcome.status_code)
    record = record if record is not None else outcome.result
    return Response(
        serializer_class(record).data,
        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
    )
