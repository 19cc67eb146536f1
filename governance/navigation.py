"""Primary navigation. Each item appears once its feature exists and only to users
whose roles hold the permission it needs."""

from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str | None
    description: str
    section: str  # the URL prefix that marks the item as current


NAV_ITEMS = [
    NavItem("Home", "home", None, "Your role and what you can do.", "/home"),
    NavItem(
        "Organisations",
        "contracts:organisation_list",
        "contracts.view_organisation",
        "Commissioning bodies and providers, with their documents and history.",
        "/organisations/",
    ),
    NavItem(
        "Contacts",
        "contracts:contact_list",
        "contracts.view_contact",
        "Named people at each organisation: contract managers, escalation contacts and SRIEs.",
        "/contacts/",
    ),
]


def items_for(user) -> list[NavItem]:
    return [item for item in NAV_ITEMS if item.permission is None or user.has_perm(item.permission)]
