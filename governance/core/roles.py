"""The roles of the service and the model permissions each one holds.

This table is the single source of truth for role groups. A data migration creates the
groups and a post-migrate hook keeps their permissions in step with it as later
features add models. Patterns name ``app_label.model`` (``*`` for every model of an
app); actions are letters: v view, a add, c change, d delete.
"""

from django.contrib.auth import get_user_model
from django.db import models


class Role(models.TextChoices):
    CONTRACT_MANAGER = "contract_manager", "Contract manager"
    PDM = "pdm", "Policy development manager"
    SMG = "smg", "Senior Management Group"
    AUDITOR = "auditor", "Auditor"
    PROVIDER = "provider", "Provider"
    ADMINISTRATOR = "administrator", "Administrator"


# Roles on the commissioner's side, who see the whole portfolio.
COMMISSIONER_ROLES = frozenset(
    {Role.CONTRACT_MANAGER, Role.PDM, Role.SMG, Role.AUDITOR, Role.ADMINISTRATOR}
)

_READ_EVERYTHING = [
    ("contracts.*", "v"),
    ("risks.*", "v"),
    ("disputes.*", "v"),
    ("governance.document", "v"),
    ("governance.meeting", "v"),
    ("governance.decision", "v"),
    ("governance.action", "v"),
    ("governance.contactlogentry", "v"),
    ("governance.questionnairetemplate", "v"),
    ("governance.templateversion", "v"),
    ("governance.assessment", "v"),
    ("governance.assessmentanswer", "v"),
    # Reports: the auditor pack of any contract and the log of who read which report.
    ("governance.view_auditor_pack", "!"),
    ("governance.view_dashboard", "!"),
    ("governance.reportaccess", "v"),
]

# What a contract manager runs on the contracts they are lead or deputy officer on
# (object scope narrows "change" to those contracts).
_CONTRACT_WORK = [
    ("contracts.contract", "vac"),
    ("contracts.extensionoption", "vac"),
    ("contracts.variation", "vac"),
    ("contracts.servicelevelagreement", "vac"),
    ("contracts.improvementplanitem", "vac"),
    ("contracts.checklistitem", "vac"),
    ("contracts.contractkpi", "vac"),
    ("contracts.kpidefinition", "vac"),
    ("contracts.reportingperiod", "va"),
    ("contracts.performancereturn", "vac"),
    ("contracts.kpiresult", "vac"),
    ("contracts.financialreturn", "vac"),
    ("contracts.financialline", "vacd"),
    ("contracts.complaint", "vac"),
    ("contracts.audit", "vac"),
    # Exit: the notice of plans, the exit plan and tasks, termination notices, the service
    # transfer plan (reviewed and signed for the commissioner) and the post-contract review.
    ("contracts.exitnotice", "vac"),
    ("contracts.exitplan", "vac"),
    ("contracts.exittask", "vac"),
    ("contracts.terminationnotice", "vac"),
    ("contracts.servicetransferplan", "vac"),
    ("contracts.postcontractreview", "vac"),
    # The invoice register (recorded by one officer, approved for payment by another).
    ("contracts.invoice", "vac"),
    ("governance.meeting", "vac"),
    ("governance.decision", "vac"),
    ("governance.action", "vac"),
    ("governance.contactlogentry", "vac"),
    ("risks.risk", "vac"),
    ("risks.riskreview", "va"),
    ("governance.assessment", "vac"),
    ("governance.assessmentanswer", "vac"),
    # Disputes on their contracts: raise, assess, run the route and stages (every step
    # is written to the timeline by the services). SMG's decisions (stage 1,
    # endorsements, sign-offs) are SMG's alone.
    ("disputes.dispute", "vac"),
    ("disputes.significanceassessment", "va"),
    # Procurement Act 2023 duties: the regime, the notices owed and what they rest on.
    ("contracts.contractprocurement", "vac"),
    ("contracts.notice", "vac"),
    ("contracts.kpidutyexemption", "va"),
    ("contracts.changeclassification", "vac"),
    ("contracts.contractending", "vac"),
    # Contract performance: KPI assessments and breaches proposed for publication.
    ("contracts.performanceassessment", "vac"),
    ("contracts.performancefailure", "vac"),
]

# Provider staff write their organisation's quarterly returns (object scope keeps them
# to their own contracts) and update actions they own.
_PROVIDER_RETURNS = [
    ("contracts.performancereturn", "vac"),
    ("contracts.kpiresult", "vac"),
    ("contracts.financialreturn", "vac"),
    ("contracts.financialline", "vacd"),
    ("governance.action", "vc"),
    ("governance.meeting", "v"),
    # The service transfer plan after a termination notice: prepared, submitted and
    # signed by the provider's staff (object scope keeps them to their organisation).
    ("contracts.servicetransferplan", "vac"),
    # Provider staff answer the provider side of their organisation's health checks.
    ("governance.questionnairetemplate", "v"),
    ("governance.templateversion", "v"),
    ("governance.assessment", "vc"),
    ("governance.assessmentanswer", "vac"),
]

ROLE_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    Role.CONTRACT_MANAGER: [
        *_READ_EVERYTHING,
        *_CONTRACT_WORK,
        ("contracts.organisation", "vac"),
        ("contracts.contact", "vac"),
        ("governance.document", "va"),
    ],
    Role.PDM: [
        *_READ_EVERYTHING,
        ("risks.risk", "vac"),
        ("risks.riskreview", "va"),
        ("governance.decision", "vac"),
        ("governance.action", "vac"),
        ("contracts.organisation", "vac"),
        ("contracts.contact", "vac"),
        ("contracts.kpidefinition", "vac"),
        ("governance.document", "va"),
    ],
    Role.SMG: [
        *_READ_EVERYTHING,
        # "!" names one exact permission rather than actions on a model.
        ("contracts.approve_material_variation", "!"),
        # Notices are approved for publication, and KPI duty exemptions recorded, by SMG.
        ("contracts.approve_notice", "!"),
        ("contracts.decide_kpi_duty_exemption", "!"),
        # KPI assessments are approved, and breaches chosen for publication, by SMG.
        ("contracts.approve_performanceassessment", "!"),
        ("contracts.decide_performancefailure", "!"),
        ("governance.decision", "vac"),
        ("governance.action", "vc"),
        # Dispute decisions (stage 1 agreement, skips, outcome endorsements, action-plan
        # sign-offs) with their evidence; the exclusion register is SMG's decision and
        # SMG records it. Providers see only what was put to them (see below).
        ("disputes.disputeendorsement", "va"),
        ("disputes.exclusion", "vac"),
    ],
    Role.AUDITOR: [*_READ_EVERYTHING],
    Role.PROVIDER: [
        ("contracts.*", "v"),
        ("governance.document", "v"),
        ("risks.risk", "v"),
        ("risks.riskreview", "v"),
        *_PROVIDER_RETURNS,
        # Disputes put to their organisation (timeline and notices, never the
        # commissioner's notes or SMG's decisions); they confirm receipt of a notice.
        ("disputes.see_own_disputes", "!"),
        ("disputes.confirm_dispute_receipt", "!"),
    ],
    Role.ADMINISTRATOR: [
        *_READ_EVERYTHING,
        ("contracts.organisation", "vacd"),
        ("contracts.contact", "vacd"),
        ("contracts.servicearea", "vacd"),
        ("contracts.checklistitemtype", "vacd"),
        ("contracts.kpidefinition", "vac"),
        ("governance.document", "va"),
        ("governance.user", "vac"),
        ("auth.group", "v"),
        ("governance.questionnairetemplate", "vc"),
        ("governance.templateversion", "vac"),
    ],
}

_ACTIONS = {"v": "view", "a": "add", "c": "change", "d": "delete"}


def _wanted_codenames(role: str) -> set[tuple[str, str]]:
    """(app_label, codename) pairs a role should hold, with wildcards left as '*'."""
    wanted = set()
    for pattern, letters in ROLE_PERMISSIONS[role]:
        app_label, model = pattern.split(".")
        if letters == "!":
            wanted.add((app_label, model))
            continue
        for letter in letters:
            wanted.add((app_label, f"{_ACTIONS[letter]}_{model}"))
    return wanted


def sync_role_groups(group_model, permission_model) -> None:
    """Create the role groups and set each one's permissions to exactly the table's.

    Takes the models as arguments so a migration can pass its historical models.
    Historical (simple-history) models are never matched by a wildcard: history is
    read through the record it belongs to.
    """
    for role in Role:
        group, _ = group_model.objects.get_or_create(name=role.label)
        wanted = _wanted_codenames(role)
        permissions = []
        for perm in permission_model.objects.select_related("content_type"):
            app_label = perm.content_type.app_label
            action, _, model = perm.codename.partition("_")
            if model.startswith("historical"):
                continue
            if (app_label, perm.codename) in wanted or (app_label, f"{action}_*") in wanted:
                permissions.append(perm)
        group.permissions.set(permissions)


def role_holders(role: Role) -> tuple:
    """Every active user holding ``role``, in a stable order: who a role's alerts go to."""
    return tuple(
        get_user_model()
        .objects.filter(groups__name=role.label, is_active=True)
        .distinct()
        .order_by("pk")
    )
