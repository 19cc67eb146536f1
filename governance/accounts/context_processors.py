from django.conf import settings


def session_timeout(request):
    """The idle timeout the session warning script counts down (0 means none)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"session_idle_seconds": settings.SESSION_IDLE_MINUTES * 60}
