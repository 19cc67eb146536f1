"""Primary navigation. Each item appears once its feature exists and only to users
whose roles hold the permission it needs."""

import functools
from dataclasses import dataclass

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


def url_of(name: str) -> str:
    """The path of a URL name that takes no arguments, worked out once per URL
    configuration (every page lists the menu; the dashboard links some sixty figures)."""
    return _url_of(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), name)


@functools.lru_cache(maxsize=512)
def _url_of(urlconf, prefix: str, name: str) -> str:
    return reverse(name, urlconf=urlconf)


def record_url(name: str, pk) -> str:
    """The path of a URL name that takes a record's primary key, remembered for the
    records seen most recently: a record's page lists some twenty tabs, each a link."""
    return _record_url(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), name, pk)


@functools.lru_cache(maxsize=8192)
def _record_url(urlconf, prefix: str, name: str, pk) -> str:
    return reverse(name, urlconf=urlconf, args=[pk])


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str | None
    description: str
    section: str  # the URL prefix that marks the item as current
    in_menu: bool = True  # False: listed on the home page only, to keep the menu short


NAV_ITEMS = [
    NavItem("Home", "home", None, "Your role and what you can do.", "/home"),
    NavItem(
        "Dashboard",
        "governance:dashboard",
        "governance.view_dashboard",
        "The portfolio at a glance: status, red KPIs, overdue returns and actions, risks, "
        "disputes, exit deadlines, evidence expiring and health checks due.",
        "/dashboard/",
    ),
    NavItem(
        "My contracts",
        "governance:my_contracts",
        "contracts.change_contract",
        "The contracts you lead or deputise on, each with what needs doing: returns and "
        "actions overdue, and the next deadlines.",
        "/my-contracts/",
    ),
    NavItem(
        "Contracts",
        "contracts:contract_list",
        "contracts.view_contract",
        "The contracts register: terms, extensions, variations, SLAs, KPIs and evidence.",
        "/contracts/",
    ),
    NavItem(
        "Notices",
        "contracts:notice_list",
        "contracts.view_notice",
        "Notices owed on Find a Tender by contracts procured under the Procurement Act 2023: "
        "due, drafted, approved and published.",
        "/notices/",
        in_menu=False,
    ),
    NavItem(
        "My actions",
        "governance:my_actions",
        None,
        "Actions you own, open ones first, with those overdue flagged.",
        "/actions/mine/",
    ),
    NavItem(
        "Risks",
        "risks:risk_list",
        "risks.view_risk",
        "The risk and issue log: scores, owners, reviews and a heatmap, per contract or "
        "across the portfolio.",
        "/risks/",
    ),
    NavItem(
        "Disputes",
        "disputes:dispute_list",
        "disputes.view_dispute",
        "Disputes with providers: significance, the informal route, the formal stages 1 "
        "to 7 and the timeline of each.",
        "/disputes/",
    ),
    NavItem(
        "Disputes",
        "disputes:provider_dispute_list",
        "disputes.see_own_disputes",
        "Disputes the commissioner has put to your organisation: the notices, what has "
        "happened so far, and confirming you received a notice.",
        "/provider/disputes/",
    ),
    NavItem(
        "Exclusions",
        "disputes:exclusion_list",
        "disputes.view_exclusion",
        "Providers excluded from tenders after a termination or repeated unsatisfactory "
        "performance, for up to 5 years.",
        "/exclusions/",
        in_menu=False,
    ),
    NavItem(
        "Decisions",
        "governance:decision_list",
        "governance.view_decision",
        "The decision log: key decisions, approvals and milestones for each contract and "
        "the portfolio, with who decided, at what level and why.",
        "/decisions/",
    ),
    NavItem(
        "Contact log",
        "governance:contactlogentry_list",
        "governance.view_contactlogentry",
        "Key communications with providers, and whether each concern raised by phone or "
        "in person was followed up in writing.",
        "/contact-log/",
    ),
    NavItem(
        "Contracts ending",
        "contracts:contracts_ending",
        "contracts.view_contract",
        "Active contracts by the deadline for telling the provider the commissioner's "
        "plans for the end: what is due, what is recorded and what is missed.",
        "/contracts-ending/",
    ),
    NavItem(
        "Lessons learned",
        "contracts:postcontractreview_list",
        "contracts.view_postcontractreview",
        "Post-contract reviews across the portfolio: outcomes, lessons and what they mean "
        "for future commissioning.",
        "/lessons-learned/",
        in_menu=False,
    ),
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


NAV_ITEMS += [
    NavItem(
        "Health checks",
        "governance:assessment_list",
        "governance.view_assessment",
        "Partnership health checks: questionnaires answered by both sides, scores, "
        "comparisons, trends and when the annual check is due.",
        "/health-checks/",
    ),
    NavItem(
        "Health check questionnaires",
        "governance:questionnaire_list",
        "governance.view_questionnairetemplate",
        "The questionnaires health checks use, with every version of their questions.",
        "/health-checks/questionnaires/",
        in_menu=False,
    ),
]


def items_for(user) -> list[NavItem]:
    return [item for item in NAV_ITEMS if item.permission is None or user.has_perm(item.permission)]


NAV_ITEMS += [
    NavItem(
        "Meetings",
        "governance:meeting_list",
        "governance.view_meeting",
        "Contract monitoring meetings and strategic reviews: agendas, minutes, decisions "
        "and actions.",
        "/meetings/",
        in_menu=False,
    ),
    NavItem(
        "Actions",
        "governance:action_list",
        "governance.view_action",
        "Every action across the portfolio: owner, due date, status and where it came from.",
        "/actions/",
        in_menu=False,
    ),
    NavItem(
        "Complaints",
        "contracts:complaint_list",
        "contracts.view_complaint",
        "Complaints about each contract's service: category, outcome and whether upheld.",
        "/complaints/",
        in_menu=False,
    ),
    NavItem(
        "Audits",
        "contracts:audit_list",
        "contracts.view_audit",
        "Audits proposed, planned and completed, with findings and recommendations.",
        "/audits/",
        in_menu=False,
    ),
    NavItem(
        "Performance returns",
        "contracts:performancereturn_list",
        "contracts.view_performancereturn",
        "Quarterly KPI returns across the portfolio: status, RAG and what is overdue.",
        "/returns/performance/",
        in_menu=False,
    ),
    NavItem(
        "Financial returns",
        "contracts:financialreturn_list",
        "contracts.view_financialreturn",
        "Quarterly budget, spend and payments, with variances and what is overdue.",
        "/returns/finance/",
        in_menu=False,
    ),
    NavItem(
        "Service level agreements",
        "contracts:sla_list",
        "contracts.view_servicelevelagreement",
        "Every SLA version: current, draft and superseded, with who signed.",
        "/slas/",
        in_menu=False,
    ),
    NavItem(
        "Contracts checklist",
        "contracts:checklist_list",
        "contracts.view_checklistitem",
        "Evidence that contract terms are met, with what is expired or outstanding.",
        "/checklist/",
        in_menu=False,
    ),
    NavItem(
        "Invoices",
        "contracts:invoice_list",
        "contracts.view_invoice",
        "Invoices from providers: received, approved and paid, and which are overdue.",
        "/invoices/",
        in_menu=False,
    ),
    NavItem(
        "Performance menu",
        "contracts:kpidefinition_list",
        "contracts.view_kpidefinition",
        "Standard indicators contracts reuse: targets, tolerances and how each is measured.",
        "/performance-menu/",
        in_menu=False,
    ),
    NavItem(
        "KPIs",
        "contracts:contractkpi_list",
        "contracts.view_contractkpi",
        "Every contract's performance indicators across the portfolio.",
        "/kpis/",
        in_menu=False,
    ),
    NavItem(
        "Extension options",
        "contracts:extensionoption_list",
        "contracts.view_extensionoption",
        "Options to extend contracts, with the deadline for each decision.",
        "/extensions/",
        in_menu=False,
    ),
    NavItem(
        "Variations",
        "contracts:variation_list",
        "contracts.view_variation",
        "Every proposed and decided change to contract terms, across the portfolio.",
        "/variations/",
        in_menu=False,
    ),
    NavItem(
        "KPI performance assessments",
        "contracts:performanceassessment_list",
        "contracts.view_performanceassessment",
        "Each published KPI of a contract under the Procurement Act 2023, assessed at least "
        "once a year and when the contract ends, with what is due and what is overdue.",
        "/performance-assessments/",
        in_menu=False,
    ),
    NavItem(
        "Breaches and poor performance",
        "contracts:performancefailure_list",
        "contracts.view_performancefailure",
        "Breaches and poor performance proposed for, or recorded in, contract performance notices.",
        "/performance-failures/",
        in_menu=False,
    ),
]


def menu_for(user) -> list[NavItem]:
    return [item for item in items_for(user) if item.in_menu]


#: Where each role starts after signing in: where its work is. The first of a person's
#: roles found here wins; anyone else starts on the home page.
LANDING_PAGES = [
    ("smg", "governance:dashboard", "governance.view_dashboard"),
    ("contract_manager", "governance:my_contracts", "contracts.change_contract"),
    ("provider", "contracts:performancereturn_list", "contracts.view_performancereturn"),
]


def landing_url(user) -> str:
    """The page a person lands on after signing in (role codes as in ``roles.Role``)."""
    for role, url_name, permission in LANDING_PAGES:
        if user.has_role(role) and user.has_perm(permission):
            return url_of(url_name)
    return url_of("home")
