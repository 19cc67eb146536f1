"""A provider's member of staff makes an API token on their account page, uses it, and
revokes it; the API's documentation pages run in the browser under the service's
Content-Security-Policy (the autouse check fails the test on any refusal)."""

import re
import urllib.error
import urllib.request

from playwright.sync_api import expect

from governance.core.roles import Role
from tests.contracts.register.factories import OrganisationFactory


def api_status(live_server, key: str) -> int:
    request = urllib.request.Request(
        live_server.url + "/api/v1/contracts/", headers={"Authorization": f"Bearer {key}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_token_is_made_used_and_revoked(page, live_server, make_user, sign_in, axe_check):
    user = make_user(role=Role.PROVIDER, organisation=OrganisationFactory())
    sign_in(user.username)
    page.goto(live_server.url + "/account/")
    page.get_by_role("link", name="API tokens").click()
    expect(page).to_have_url(re.compile(r"/account/api-tokens/$"))
    axe_check()

    page.get_by_label("What is the token for?").fill("Quarterly returns script")
    page.get_by_label("90 days").check()
    page.get_by_role("button", name="Make the token").click()
    key = page.locator("[data-testid=new-token] code").inner_text()
    assert key.startswith("cg_")
    expect(page.get_by_text("it will not be shown again")).to_be_visible()
    axe_check()
    assert api_status(live_server, key) == 200

    page.goto(live_server.url + "/account/api-tokens/")
    expect(page.locator("[data-testid=new-token]")).to_have_count(0)
    rows = page.locator("[data-testid=api-tokens] tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Quarterly returns script")
    expect(rows.first).to_contain_text("Active")
    rows.first.get_by_role("button", name="Revoke").click()
    expect(page.locator("[data-testid=api-tokens] tbody tr").first).to_contain_text("Revoked")
    assert api_status(live_server, key) == 401


def test_swagger_ui_runs_from_the_service(page, live_server):
    # ReDoc is not opened here: its bundle always asks cdn.redoc.ly for the "API docs by
    # Redocly" logo, which the policy blocks (and Chromium reports); it is checked for
    # its own scripts in tests/governance/api/test_docs.py.
    page.goto(live_server.url + "/api/docs/")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible(timeout=20_000)
    expect(page.get_by_text("/api/v1/performance-returns/{id}/submit/")).to_be_visible()
