"""The idle-session timeout and the second-factor requirement, applied to every page."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect, resolve_url

from governance.accounts import services

LAST_ACTIVITY_KEY = "governance_last_activity"
# The session is written at most this often just to note activity, not on every request.
ACTIVITY_RESOLUTION_SECONDS = 30


class SessionIdleTimeoutMiddleware:
    """Signs out a person who has sent no request for SESSION_IDLE_MINUTES and sends
    them to sign in again, saying why. The page's warning script (static/js/
    session-timeout.js) offers to keep the session two minutes before."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        idle_seconds = settings.SESSION_IDLE_MINUTES * 60
        if idle_seconds and request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_ACTIVITY_KEY)
            if last is not None and now - last > idle_seconds:
                logout(request)
                return self._to_sign_in(request)
            if last is None or now - last >= ACTIVITY_RESOLUTION_SECONDS:
                request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)

    @staticmethod
    def _to_sign_in(request):
        url = resolve_url(settings.LOGIN_URL)
        url += "?" + urlencode({"next": request.get_full_path(), "timed_out": "1"})
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)


class TwoFactorMiddleware:
    """A person with a confirmed authenticator gives its code after their password
    before any page opens; a person whose role requires one (REQUIRE_TWO_FACTOR_ROLES)
    sets one up first. Signing out stays open to both."""

    VERIFY, SETUP = "account_two_factor_verify", "account_two_factor_setup"
    ALWAYS_OPEN = frozenset({"logout", "account_session_keepalive"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        name = request.resolver_match.url_name if request.resolver_match else None
        if name in self.ALWAYS_OPEN:
            return None
        # Whether the person has an authenticator is noted in the session at sign-in
        # (services.connect), so pages cost no extra query; a session from before that
        # note existed is asked once.
        has_device = request.session.get(services.HAS_DEVICE_SESSION_KEY)
        if has_device is None:
            has_device = request.session[services.HAS_DEVICE_SESSION_KEY] = services.has_two_factor(
                user
            )
        if has_device:
            target = self.VERIFY
        elif services.two_factor_required(user):
            target = self.SETUP
        else:
            return None
        if name == target:
            return None
        url = resolve_url(target) + "?" + urlencode({"next": request.get_full_path()})
        return redirect(url)
