"""Each feature's routes sit beside its views: a package with views has its own
``urls.py``, and no views module keeps a URL list of its own."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = ("governance", "contracts", "risks", "disputes")


def _packages_with_views() -> list[Path]:
    found = []
    for app in APPS:
        for path in (ROOT / app).rglob("views*"):
            if "migrations" in path.parts or path.name not in ("views.py", "views"):
                continue
            found.append(path.parent)
    return sorted(set(found))


def _defines_urlpatterns(path: Path) -> bool:
    tree = ast.parse(path.read_text(), str(path))
    return any(
        isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "urlpatterns" for t in node.targets)
        for node in tree.body
    )


def test_every_package_with_views_has_its_own_urls():
    missing = [
        str(package.relative_to(ROOT))
        for package in _packages_with_views()
        if not (package / "urls.py").exists()
    ]
    assert missing == []


def test_no_views_module_keeps_a_url_list():
    views = [
        path
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts and ("views" in path.parts or path.name == "views.py")
    ]
    assert views, "no views modules found"
    assert [str(p.relative_to(ROOT)) for p in views if _defines_urlpatterns(p)] == []
