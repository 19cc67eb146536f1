"""Every named URL keeps its name and its route while the code behind it moves.

``tests/url_names.txt`` holds one ``namespace:name route`` line per named URL. When a
URL is added on purpose, add its line there (in order)."""

from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

RECORDED = Path(__file__).with_name("url_names.txt")


def _walk(patterns, namespace: str, prefix: str):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner.lstrip(":"), route)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield f"{name} {route}"


def url_names() -> list[str]:
    return sorted(set(_walk(get_resolver().url_patterns, "", "")))


def test_url_names_and_routes_are_unchanged():
    recorded = RECORDED.read_text().splitlines()
    current = url_names()
    assert current == recorded, (
        f"Added: {sorted(set(current) - set(recorded))}\n"
        f"Gone: {sorted(set(recorded) - set(current))}"
    )
