"""Reads live in selectors: every list page takes its rows from a selectors module, and
no services module defines a list read of its own."""

import ast
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parents[2]


def _views(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _views(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            view_class = getattr(pattern.callback, "view_class", None)
            if view_class is not None:
                yield pattern.name, view_class


def test_every_list_page_reads_through_a_selector():
    found = {
        name: view.selector.__module__
        for name, view in _views(get_resolver().url_patterns)
        if getattr(view, "selector", None) is not None
    }
    assert len(found) > 20
    assert {
        name: module for name, module in found.items() if not module.endswith("selectors")
    } == {}


def test_no_services_module_defines_a_list_read():
    services = [
        path
        for app in ("contracts", "governance", "risks", "disputes")
        for path in (ROOT / app).rglob("*.py")
        if "services" in path.relative_to(ROOT).parts or path.stem == "services"
    ]
    assert services
    lists = [
        f"{path.relative_to(ROOT).as_posix()}:{node.name}"
        for path in services
        for node in ast.parse(path.read_text()).body
        if isinstance(node, ast.FunctionDef) and node.name.endswith("_list")
    ]
    assert lists == []
