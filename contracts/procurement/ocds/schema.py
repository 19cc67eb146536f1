"""The OCDS 1.1 schemas the export is validated against, read from the files vendored in
``schema/`` (see its README for where each came from), with the extensions applied."""

import copy
import json
from functools import cache
from pathlib import Path

from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
CORE_DIR = SCHEMA_DIR / "standard-1.1"

#: The extensions the export uses, as declared in every package (the extension.json URL
#: on the branch each was vendored from: the metrics extension has no ``master`` branch,
#: its 1.1 branch is the one for OCDS 1.1), with the vendored patch applied for each, in
#: order. The schema README names the commit of each.
EXTENSIONS = (
    (
        "https://raw.githubusercontent.com/open-contracting-extensions/ocds_metrics_extension/"
        "1.1/extension.json",
        SCHEMA_DIR / "extensions" / "metrics" / "release-schema.json",
    ),
    (
        "https://raw.githubusercontent.com/open-contracting-extensions/"
        "ocds_performance_failures_extension/master/extension.json",
        SCHEMA_DIR / "extensions" / "performance_failures" / "release-schema.json",
    ),
    (
        "https://raw.githubusercontent.com/cabinetoffice/ocds_uk_extension/main/extension.json",
        SCHEMA_DIR / "extensions" / "uk" / "release-schema.json",
    ),
)
EXTENSION_URLS = [url for url, _ in EXTENSIONS]
OCDS_VERSION = "1.1"


def _load(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def merge_patch(target, patch):
    """RFC 7386 JSON Merge Patch: ``patch`` applied over ``target`` (a new object)."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


@cache
def release_schema() -> dict:
    """The core release schema with every extension's patch applied."""
    schema = _load(CORE_DIR / "release-schema.json")
    for _url, patch in EXTENSIONS:
        schema = merge_patch(schema, _load(patch))
    return schema


@cache
def _registry() -> Registry:
    release = release_schema()
    return Registry().with_resource(release["id"], Resource.from_contents(release, DRAFT4))


@cache
def _validator(name: str) -> Draft4Validator:
    schema = _load(CORE_DIR / name)
    return Draft4Validator(schema, registry=_registry(), format_checker=FormatChecker())


def _messages(validator: Draft4Validator, data: dict) -> list[str]:
    errors = sorted(validator.iter_errors(data), key=lambda error: list(error.absolute_path))
    return [
        f"{'/'.join(str(part) for part in error.absolute_path) or 'the package'}: {error.message}"
        for error in errors
    ]


def release_package_errors(package: dict) -> list[str]:
    """Why ``package`` is not a valid OCDS 1.1 release package (empty: it is valid)."""
    return _messages(_validator("release-package-schema.json"), package)


def record_package_errors(package: dict) -> list[str]:
    """Why ``package`` is not a valid OCDS 1.1 record package (empty: it is valid)."""
    return _messages(_validator("record-package-schema.json"), package)
