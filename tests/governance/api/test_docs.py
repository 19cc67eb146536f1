"""The schema and its documentation pages, served by the service itself."""

import re

import pytest
import yaml
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_schema_is_openapi_3_with_every_list_under_v1(client):
    response = client.get(reverse("api:schema"))
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    for name in (
        "contracts",
        "contracts-ending",
        "post-contract-reviews",
        "kpis",
        "performance-returns",
        "financial-returns",
        "risks",
        "decisions",
        "contact-log",
        "meetings",
        "actions",
        "disputes",
        "health-checks",
        "notices",
    ):
        assert f"/api/v1/{name}/" in paths
        assert f"/api/v1/{name}/{{id}}/" in paths
    assert all(path.startswith("/api/v1/") for path in paths)
    assert set(schema["components"]["securitySchemes"]) == {"apiToken", "session"}


@pytest.mark.parametrize("name", ["api:docs", "api:redoc"])
def test_documentation_pages_load_their_scripts_from_the_service(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in page
    # Nothing from elsewhere, and no inline script (the policy forbids it).
    assert "https://" not in page and "//fonts." not in page
    assert all(tag.startswith("<script src=") for tag in re.findall(r"<script[^>]*>", page))
    csp = response["Content-Security-Policy"]
    assert (
        "script-src 'self'" in csp
        and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    )


def test_swagger_settings_script_is_served(client):
    response = client.get(reverse("api:docs") + "?script=")
    assert response.status_code == 200
    assert "SwaggerUIBundle" in response.content.decode()
