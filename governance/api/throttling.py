from rest_framework.throttling import SimpleRateThrottle

from governance.core.models.tokens import ApiToken


class ApiTokenThrottle(SimpleRateThrottle):
    """API_THROTTLE_RATE requests per token (each of a person's tokens counts on its
    own), per person on a browser session, and per network address otherwise."""

    scope = "api"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"address-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
