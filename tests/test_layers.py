"""Dependencies run one way: shared base <- register <- features <- dashboard and reports.

Read from the source with ``ast`` (nothing is imported): every import between the four
apps is checked against the layer of the module that makes it. A feature may use another
feature only through an edge listed in FEATURE_EDGES with its reason; an import inside a
function is allowed only where LAZY_IMPORTS says why it must wait.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = ("governance", "contracts", "risks", "disputes")

CORE, REGISTER, FEATURE, TOP, ENTRY = range(5)

#: The longest matching prefix decides a module's layer.
LAYERS = {
    # The shared base; template tags and date formats live where Django looks for them.
    "governance.core": CORE,
    "governance.templatetags": CORE,
    "governance.formats": CORE,
    # Each person's own account pages; they use nothing of the features.
    "governance.accounts": CORE,
    "contracts.register": REGISTER,
    "contracts.performance": FEATURE,
    "contracts.assurance": FEATURE,
    "contracts.exit": FEATURE,
    "contracts.procurement": FEATURE,
    "governance.meetings": FEATURE,
    "governance.contactlog": FEATURE,
    "governance.healthchecks": FEATURE,
    "risks": FEATURE,
    "disputes": FEATURE,
    "contracts.overview": TOP,
    "governance.dashboard": TOP,
    "governance.reports": TOP,
    # The open API reads every feature's lists and writes through their forms and services.
    "governance.api": TOP,
    # Each person's calendar feed gathers the deadlines of every feature.
    "governance.calendars": TOP,
    # The search box looks into every feature's records.
    "governance.search": TOP,
    # The project package and each app's entry points (Django's models module, the alert
    # engine's <app>.alerts, URL configuration, admin, commands): they gather the
    # features, so nothing below imports them.
    # Django's AppConfig.ready and the commands load code when run, not at import. The
    # demo tells one story across every feature and is only run by commands.
    "governance.demo": ENTRY,
    "governance": ENTRY,
    "contracts": ENTRY,
    "risks.apps": ENTRY,
    "risks.admin": ENTRY,
    "risks.urls": ENTRY,
    "disputes.apps": ENTRY,
    "disputes.admin": ENTRY,
    "disputes.urls": ENTRY,
}

#: (feature, feature it may import): why.
FEATURE_EDGES = {
    ("contracts.exit", "risks"): "an exit plan records its exit risks in the risk log",
    ("contracts.assurance", "governance.meetings"): (
        "an audit's findings become actions, raised and listed with the meeting actions"
    ),
    ("governance.meetings", "contracts.assurance"): (
        "a monitoring meeting's agenda carries the open audits, complaints and improvement "
        "plan items"
    ),
    ("governance.contactlog", "governance.meetings"): (
        "a contact log entry may record a meeting; its queryset scope is the meetings' one"
    ),
    ("governance.healthchecks", "governance.meetings"): (
        "an area scored low in a health check raises an action"
    ),
    ("disputes", "governance.meetings"): "a dispute's action plan is made of actions",
    ("disputes", "governance.contactlog"): "dispute steps are written to the contact log",
    ("disputes", "contracts.exit"): "terminating a contract in dispute records the notice",
    ("disputes", "risks"): "a dispute can name the risk it arose from",
    ("contracts.exit", "governance.contactlog"): (
        "a notice of the commissioner's plans can point at the contact log entry that sent it"
    ),
    ("contracts.procurement", "contracts.performance"): (
        "the KPI duty, performance assessments and the OCDS export read the contract's KPIs "
        "and their results"
    ),
    ("contracts.procurement", "contracts.exit"): (
        "a contract terminated by notice owes its end-of-contract assessment and termination notice"
    ),
    ("contracts.performance", "contracts.assurance"): (
        "a performance return is checked against the contract's agreed SLA"
    ),
}

#: (module, imported module): why the import waits until the function runs. Empty: a
#: task sits beside the service that queues it, and a read the model would need is a
#: selector instead.
LAZY_IMPORTS: dict[tuple[str, str], str] = {}


def layer_of(module: str) -> int | None:
    parts = module.split(".")
    for i in range(len(parts), 0, -1):
        prefix = ".".join(parts[:i])
        if prefix in LAYERS:
            return LAYERS[prefix]
    return None


def feature_of(module: str) -> str | None:
    parts = module.split(".")
    for i in range(len(parts), 0, -1):
        prefix = ".".join(parts[:i])
        if LAYERS.get(prefix) == FEATURE:
            return prefix
    return None


def module_name(path: Path, root: Path) -> tuple[str, bool]:
    parts = list(path.relative_to(root).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    return ".".join(parts[:-1] if is_package else parts), is_package


def imports(module: str, is_package: bool, source: str) -> list[tuple[str, bool, int]]:
    """(imported module, inside a function?, line) for each import in ``source``."""
    tree = ast.parse(source)
    top_level = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            # ``from pkg import module`` names the module itself
            targets = [f"{target}.{alias.name}" for alias in node.names]
        else:
            continue
        lazy = id(node) not in top_level and not isinstance(node, ast.If)
        for target in targets:
            found.append((target, lazy, node.lineno))
    return found


def violations(sources: dict[str, tuple[str, bool]]) -> list[str]:
    """Every import in ``sources`` ({module: (source, is package)}) that breaks a rule."""
    problems = []
    for module, (source, is_package) in sorted(sources.items()):
        here = layer_of(module)
        for target, lazy, line in imports(module, is_package, source):
            where = f"{module}:{line} imports {target}"
            allowed_lazy = here == ENTRY or any(
                module == m and (target == t or target.startswith(t + ".")) for m, t in LAZY_IMPORTS
            )
            if lazy and not allowed_lazy and target.split(".")[0] in APPS:
                problems.append(f"{where} inside a function")
            if target.split(".")[0] not in APPS or here is None:
                continue
            # ``from pkg import name``: the name may be a module or an attribute
            there = layer_of(target)
            if there is None:
                continue
            if there == ENTRY and target.rpartition(".")[0] and here != ENTRY:
                parent_layer = layer_of(target.rpartition(".")[0])
                if parent_layer != ENTRY or target.count(".") == 0:
                    there = parent_layer
            if here == ENTRY:
                continue
            if there > here:
                problems.append(f"{where}: layer {here} may not import layer {there}")
            elif here == there == FEATURE:
                mine, theirs = feature_of(module), feature_of(target)
                if mine != theirs and (mine, theirs) not in FEATURE_EDGES:
                    problems.append(f"{where}: {mine} may not import {theirs}")
    return problems


def source_modules() -> dict[str, tuple[str, bool]]:
    sources = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            module, is_package = module_name(path, ROOT)
            sources[module] = (path.read_text(), is_package)
    return sources


def test_dependencies_run_one_way():
    problems = violations(source_modules())
    assert not problems, "Imports against the layers:\n" + "\n".join(problems)


def test_a_reverse_import_is_caught():
    """The check fails when the shared base imports a feature, the register imports a
    feature, a feature imports the dashboard or another feature it has no reason to, or
    an import hides inside a function."""
    sources = source_modules()
    reverse = {
        "governance.core.permissions": "from contracts.register.models.contracts import Contract",
        "contracts.register.selectors": "from contracts.exit.models import ExitNotice",
        "risks.services": "from governance.dashboard import panels",
        "contracts.performance.services.kpis": "from disputes.models import Dispute",
        "governance.meetings.services.meetings": (
            "def f():\n    from governance.contactlog.services import contact_log_record\n"
        ),
    }
    for module, line in reverse.items():
        source, is_package = sources[module]
        broken = {**sources, module: (source + "\n" + line + "\n", is_package)}
        assert [p for p in violations(broken) if p.startswith(module + ":")], module


def test_every_module_has_a_layer():
    unplaced = [m for m in source_modules() if layer_of(m) is None]
    assert unplaced == []
