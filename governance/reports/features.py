"""The auditor pack's sections written by other features: the dispute file, health
checks and the exit. Each feature writes its section's template and the selector that
feeds it; the reports sit above the features and read them directly."""

from contracts.exit.selectors import contract_exit
from disputes.selectors import contract_disputes, dispute_timeline
from governance.healthchecks.selectors import assessment_summary, contract_assessments
from governance.reports.contract import FEATURE_SECTIONS


def disputes_section(user, contract) -> dict:
    return {
        "template": FEATURE_SECTIONS["disputes"],
        "items": [
            {"dispute": dispute, "timeline": list(dispute_timeline(dispute))}
            for dispute in contract_disputes(user, contract)
        ],
    }


def health_section(user, contract) -> dict:
    return {
        "template": FEATURE_SECTIONS["health"],
        "items": [
            {"assessment": assessment, "summary": assessment_summary(assessment)}
            for assessment in contract_assessments(user, contract)
        ],
    }


def exit_section(user, contract) -> dict:
    return {
        "template": FEATURE_SECTIONS["exit"],
        "items": [{"exit": contract_exit(user, contract)}],
    }


def sections(user, contract) -> dict:
    return {
        "disputes": disputes_section(user, contract),
        "health": health_section(user, contract),
        "exit": exit_section(user, contract),
    }
