"""Every page each role can reach, on a phone and on a desktop screen.

The demo is seeded once; then, for each role, the test signs in as that role's demo user
and follows the links of the service from the landing page (GET only), opening each kind of
page (each URL name) once; no page may answer with an error. Each kind of page is checked,
when a role first reaches it, at 1280 px and again at 390 px wide: the document is no wider
than the window (no sideways scroll) and axe-core finds no serious or critical problem.
Files (PDFs, exports, downloads), Django's admin and the API documentation are not pages of
the service and are left out.
"""

import datetime
import io
import os
import re
import time
from collections import deque
from html import unescape
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
import time_machine
from django.core.management import call_command
from django.urls import Resolver404, resolve
from playwright.sync_api import Error as PlaywrightError

from governance.core.roles import Role
from governance.management.commands.seed_demo import DEFAULT_DEMO_PASSWORD
from tests.browser.conftest import FAILING_IMPACTS, format_violations

pytestmark = pytest.mark.browser

DEMO_USER = {
    Role.CONTRACT_MANAGER: "manager",
    Role.PDM: "pdm",
    Role.SMG: "smg",
    Role.AUDITOR: "auditor",
    Role.PROVIDER: "provider",
    Role.ADMINISTRATOR: "admin",
}
WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 390, "height": 844}
# Kinds of page one role may open; a bound, so a link loop cannot run the test on.
MAX_PAGES_PER_ROLE = 250
# Paths that answer with a file, or belong to tools outside the service's own pages.
SKIPPED_PATH_PARTS = (
    "/pdf/",
    ".pdf",
    ".xlsx",
    ".csv",
    "/download/",
    "/ocds/",
    "/admin/",
    "/api/",
    "/static/",
)
SKIPPED_QUERY_PARTS = ("export=", "format=")

_OVERFLOW = """
() => ({
  documentWidth: document.documentElement.scrollWidth,
  viewportWidth: document.documentElement.clientWidth,
  widest: [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .filter(e => !e.closest('.app-table-wrapper, .govuk-visually-hidden, .govuk-skip-link'))
    .slice(0, 3)
    .map(e => e.tagName.toLowerCase() + (e.className && typeof e.className === 'string'
      ? '.' + e.className.trim().split(/\\s+/).join('.') : '')),
})
"""
_LINKS = """
() => [...document.querySelectorAll('a[href]')]
  .map(a => new URL(a.getAttribute('href'), document.baseURI).href)
"""


def _page_kind(url: str, origin: str) -> str | None:
    """The URL name of a page of the service the crawl should open, or None."""
    url, _ = urldefrag(url)
    if not url.startswith(origin):
        return None
    parts = urlsplit(url)
    if any(part in parts.path for part in SKIPPED_PATH_PARTS):
        return None
    if any(part in parts.query for part in SKIPPED_QUERY_PARTS):
        return None
    try:
        return resolve(parts.path).view_name
    except Resolver404:
        return None


def _check(page, url: str, width: str, axe_source: str) -> list[str]:
    problems = []
    size = page.evaluate(_OVERFLOW)
    if size["documentWidth"] > size["viewportWidth"]:
        problems.append(
            f"{url} at {width}: the page is {size['documentWidth']}px wide in a "
            f"{size['viewportWidth']}px window (too wide: {', '.join(size['widest'])})"
        )
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,"
        " targets: v.nodes.map(n => n.target.join(' '))}))"
    )
    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    if failing:
        problems.append(f"At {width}: " + format_violations(url, failing))
    return problems


def _links_in(html: str, base: str) -> list[str]:
    return [urljoin(base, unescape(href)) for href in re.findall(r'<a [^>]*href="([^"]*)"', html)]


def _crawl(
    page, origin: str, landing: str, axe_source: str, checked: set[str]
) -> tuple[set[str], list[str]]:
    """Opens each kind of page reachable from ``landing`` once. A kind of page is checked
    in the browser (both widths and axe-core) the first time any role opens it
    (``checked``): it is the same template whoever reads it, and the browser's work takes
    most of the test's time. Later roles fetch it (every answer must still be a page, not
    an error) and follow its links, which differ by role."""
    seen_kinds: set[str] = set()
    problems: list[str] = []
    queue = deque([landing])
    while queue and len(seen_kinds) < MAX_PAGES_PER_ROLE:
        url = queue.popleft()
        kind = _page_kind(url, origin)
        if kind is None or kind in seen_kinds:
            continue
        seen_kinds.add(kind)
        if kind in checked:
            response = page.request.get(url, max_redirects=5)
            if "text/html" not in response.headers.get("content-type", ""):
                continue
            if response.status >= 400:
                problems.append(f"{url} answered {response.status}")
                continue
            links = _links_in(response.text(), response.url)
        else:
            page.set_viewport_size(WIDE)
            try:
                response = page.goto(url)
            except PlaywrightError as error:
                if "Download is starting" in str(error):
                    continue  # a file, not a page
                raise
            if response is None or "text/html" not in response.headers.get("content-type", ""):
                continue
            if os.environ.get("EVERY_PAGE_PROGRESS"):
                print(f"{time.monotonic():.0f} {kind} {url}", flush=True)
            if response.status >= 400:
                problems.append(f"{url} answered {response.status}")
                continue
            checked.add(kind)
            problems += _check(page, url, "1280 px", axe_source)
            links = page.evaluate(_LINKS)
            page.set_viewport_size(NARROW)
            problems += _check(page, url, "390 px", axe_source)
        queue.extend(link for link in links if _page_kind(link, origin) not in (None, *seen_kinds))
    return seen_kinds, problems


def test_every_page_each_role_reaches_fits_a_phone_and_passes_axe(
    page, live_server, sign_in, axe_source, settings, monkeypatch
):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    started = time.monotonic()
    with time_machine.travel(datetime.datetime(2026, 12, 4, 9, tzinfo=datetime.UTC), tick=True):
        call_command("seed_demo", stdout=io.StringIO())
        seeded = time.monotonic()
        problems: list[str] = []
        visited: dict[str, tuple[int, int]] = {}
        checked: set[str] = set()
        for role, username in DEMO_USER.items():
            role_started = time.monotonic()
            page.context.clear_cookies()
            page.set_viewport_size(WIDE)
            sign_in(username, DEFAULT_DEMO_PASSWORD)
            kinds, found = _crawl(page, live_server.url, page.url, axe_source, checked)
            visited[role.value] = (len(kinds), round(time.monotonic() - role_started))
            # Each role reaches more than its landing page and menu.
            assert len(kinds) > 5, f"{role.label} reached only {sorted(kinds)}"
            problems += found
    print(
        f"seeded in {seeded - started:.0f}s; crawled in {time.monotonic() - seeded:.0f}s; "
        f"kinds of page and seconds per role: {visited}"
    )
    assert not problems, "\n".join(problems)
