"""Middleware of the whole service: the health check and the security headers."""

import logging

import redis
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.db import connection
from django.http import JsonResponse

logger = logging.getLogger(__name__)

HEALTH_CHECK_PATH = "/healthz"


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_redis() -> None:

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    finally:
        client.close()


class HealthCheckMiddleware:
    """Answers ``/healthz`` before anything else runs: no sign-in, no HTTPS redirect and
    no host check, so the container's health check can ask over plain HTTP. It says
    "ok" or "failing" for the database and, when one is configured, Redis, and answers
    503 when either fails. Nothing about the failure beyond its kind is shown."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.rstrip("/") != HEALTH_CHECK_PATH:
            return self.get_response(request)
        checks = {"database": _check_database}
        if settings.REDIS_URL:
            checks["redis"] = _check_redis
        results = {}
        for name, check in checks.items():
            try:
                check()
            except Exception as error:  # any failure means unhealthy
                logger.warning("Health check: %s is failing: %s", name, type(error).__name__)
                results[name] = "failing"
            else:
                results[name] = "ok"
        healthy = all(result == "ok" for result in results.values())
        response = JsonResponse(
            {"status": "ok" if healthy else "failing", **results}, status=200 if healthy else 503
        )
        response["Cache-Control"] = "no-store"
        return response


class SecurityHeadersMiddleware:
    """Adds the Permissions-Policy header Django does not set itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the API documentation pages given the few extra
    sources Swagger UI and ReDoc need (settings.API_DOCS_CSP_RELAXED); every other page
    keeps the strict policy."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and request.path_info.startswith(settings.API_DOCS_PATH_PREFIXES):
            parts.replace = {**settings.API_DOCS_CSP_RELAXED, **(parts.replace or {})}
        return parts
