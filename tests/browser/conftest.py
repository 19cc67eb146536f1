"""Browser tests: Chromium driven by Playwright against pytest-django's live server.

Every test in this folder is marked ``browser``. The live server reads the database
through its own thread, so these tests use ``transactional_db``: the role groups are
re-created after each flush by the post-migrate hook, so ``make_user(role=...)`` works.
"""

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_PATH = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
BROWSER_DIR = Path(__file__).resolve().parent

# Impacts that fail a test. "minor" and "moderate" findings are left to review.
FAILING_IMPACTS = frozenset({"serious", "critical"})


def pytest_collection_modifyitems(config, items):
    for item in items:
        if BROWSER_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(autouse=True)
def _live_database(transactional_db):
    """The live server runs in another thread: data must be committed to be seen."""


@pytest.fixture(scope="session")
def axe_source() -> str:
    return AXE_PATH.read_text(encoding="utf-8")


_RUN_AXE = """
async () => {
  const results = await axe.run(document, {resultTypes: ['violations']});
  return results.violations.map(v => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    targets: v.nodes.map(
      n => n.target.map(t => (Array.isArray(t) ? t.join(' >>> ') : String(t))).join(' ')
    ),
  }));
}
"""


def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"Accessibility violations on {url}:"]
    for v in violations:
        shown = v["targets"][:3]
        more = f" (+{len(v['targets']) - 3} more)" if len(v["targets"]) > 3 else ""
        lines.append(f"  - {v['id']} [{v['impact']}]: {v['help']}")
        lines.append(f"      targets: {', '.join(shown)}{more}")
        lines.append(f"      see {v['helpUrl']}")
    return "\n".join(lines)


@pytest.fixture
def axe_check(page, axe_source):
    """``axe_check()`` runs axe-core on the current page and fails on serious or critical
    violations; it returns every violation found (of any impact)."""

    def check() -> list[dict]:
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            # Evaluated through the browser's debugging protocol rather than added as an
            # inline <script>, which the page's Content-Security-Policy refuses.
            page.evaluate(axe_source)
        violations = page.evaluate(_RUN_AXE)
        failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
        if failing:
            pytest.fail(format_violations(page.url, failing), pytrace=False)
        return violations

    return check


@pytest.fixture
def sign_in(page, live_server):
    """``sign_in(username, password)`` signs in through the real login form."""

    def do(username: str, password: str = "correct-horse-battery"):
        page.goto(live_server.url + "/accounts/login/")
        page.get_by_label("Username", exact=True).fill(username)
        page.get_by_label("Password", exact=True).fill(password)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        return page

    return do


#: Headers every HTML page of the service carries, and what each must say.
REQUIRED_HEADERS = {
    "content-security-policy": ("default-src 'self'", "script-src 'self'", "style-src 'self'"),
    "referrer-policy": ("strict-origin-when-cross-origin",),
    "permissions-policy": ("camera=()", "geolocation=()", "microphone=()"),
    "x-content-type-options": ("nosniff",),
    "x-frame-options": ("DENY",),
}


def header_problems(url: str, headers: dict[str, str]) -> list[str]:
    problems = []
    for name, parts in REQUIRED_HEADERS.items():
        value = headers.get(name)
        if value is None:
            problems.append(f"{url}: no {name} header")
            continue
        problems += [f"{url}: {name} lacks {part!r}" for part in parts if part not in value]
    policy = headers.get("content-security-policy", "")
    if urlsplit(url).path.startswith(settings.API_DOCS_PATH_PREFIXES):
        # Swagger UI and ReDoc write their own <style> elements: these pages alone allow
        # inline styles (settings.API_DOCS_CSP_RELAXED), never inline scripts.
        policy = next((d for d in policy.split(";") if d.strip().startswith("script-src")), "")
    if "unsafe-inline" in policy:
        problems.append(f"{url}: the Content-Security-Policy allows inline code")
    return problems


@pytest.fixture(autouse=True)
def _security_headers_and_csp(page, live_server):
    """Every page a journey opens carries the security headers, and no script or style is
    refused by the Content-Security-Policy (Chromium reports each refusal in the console)."""
    problems: list[str] = []

    def on_response(response):
        if (
            response.url.startswith(live_server.url)
            and response.request.resource_type == "document"
            and response.status < 300
        ):
            problems.extend(header_problems(response.url, response.headers))

    def on_console(message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            problems.append(f"{page.url}: {message.text}")

    page.on("response", on_response)
    page.on("console", on_console)
    yield
    assert not problems, "\n".join(problems)
