"""OCDS packages for download: a notice's release, a contract's compiled record (all its
notices' releases merged by ocdskit) and a bulk release package for a date range. Each
is validated against the vendored schemas; one that does not validate is refused
(``InvalidExport``) and never served."""

import logging

from django.conf import settings
from django.utils import timezone
from ocdskit.combine import merge

from contracts.procurement.ocds.releases import notice_releases, notices_for_export, ocid, when
from contracts.procurement.ocds.schema import (
    EXTENSION_URLS,
    OCDS_VERSION,
    record_package_errors,
    release_package_errors,
    release_schema,
)

logger = logging.getLogger(__name__)


class InvalidExport(Exception):
    """The export does not validate against the OCDS schemas; it must not be served."""

    def __init__(self, what: str, errors: list[str]):
        self.what = what
        self.errors = errors
        super().__init__(f"{what} does not validate: {'; '.join(errors[:5])}")


def absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def publisher() -> dict:
    return {"name": settings.PROCUREMENT_OCDS_PUBLISHER_NAME}


def release_package(releases: list[dict], uri: str) -> dict:
    return {
        "uri": uri,
        "version": OCDS_VERSION,
        "extensions": list(EXTENSION_URLS),
        "publishedDate": when(timezone.now()),
        "publisher": publisher(),
        "releases": releases,
    }


def checked_release_package(package: dict, what: str) -> dict:
    errors = release_package_errors(package)
    if errors:
        logger.error("OCDS export refused, %s: %s", what, errors)
        raise InvalidExport(what, errors)
    return package


def notice_package(notice, uri: str) -> dict | None:
    """A release package holding the notice's release (a notice of the whole authority:
    one release for each contract it covers), validated. ``None`` when a notice of the
    whole authority covers no contract."""
    releases = notice_releases(notice)
    if not releases:
        return None
    return checked_release_package(release_package(releases, uri), f"The release of {notice}")


def bulk_package(notices, uri: str) -> dict:
    """A release package of every notice given (those found not required left out),
    validated. ``None`` when there is nothing to publish."""
    releases = [
        release for notice in notices_for_export(notices) for release in notice_releases(notice)
    ]
    if not releases:
        return None
    return checked_release_package(release_package(releases, uri), "The release package")


def record_package(contract, notices, uri: str) -> dict | None:
    """The contract's record: every release of its notices and the compiled release
    that merges them, in a record package, validated. ``None`` without notices. A notice
    of the whole authority among ``notices`` adds its release for this contract."""
    releases = [
        release
        for notice in notices_for_export(notices)
        for release in notice_releases(notice, contract)
    ]
    if not releases:
        return None
    source = release_package(releases, uri)
    [package] = merge(
        [source],
        uri=uri,
        publisher=publisher(),
        published_date=source["publishedDate"],
        version=OCDS_VERSION,
        schema=release_schema(),
        return_package=True,
    )
    package["extensions"] = list(EXTENSION_URLS)
    package["packages"] = [uri]
    errors = record_package_errors(package)
    if errors:
        logger.error("OCDS record refused for %s: %s", ocid(contract), errors)
        raise InvalidExport(f"The record of {contract.reference}", errors)
    return package
