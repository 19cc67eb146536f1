"""The auditor pack's sections written by other features: the dispute file, health
checks and the exit. Each appears once its feature provides both its PDF section
template and its selector; until then the pack says the section is not available."""

from importlib import import_module

from governance.reports.contract import feature_template


def _selector(module: str, name: str):
    try:
        return getattr(import_module(module), name)
    except (ImportError, AttributeError):
        return None


def disputes_section(user, contract) -> dict | None:
    template = feature_template("disputes")
    contract_disputes = _selector("disputes.selectors", "contract_disputes")
    timeline = _selector("disputes.selectors", "dispute_timeline")
    if template is None or contract_disputes is None:
        return None
    disputes = list(contract_disputes(user, contract))
    return {
        "template": template,
        "items": [
            {"dispute": dispute, "timeline": list(timeline(dispute)) if timeline else []}
            for dispute in disputes
        ],
    }


def health_section(user, contract) -> dict | None:
    template = feature_template("health")
    contract_assessments = _selector("governance.healthchecks.selectors", "contract_assessments")
    if template is None or contract_assessments is None:
        return None
    return {
        "template": template,
        "items": [{"assessment": a} for a in contract_assessments(user, contract)],
    }


def exit_section(user, contract) -> dict | None:
    template = feature_template("exit")
    if template is None:
        return None
    context = _selector("contracts.register.selectors", "contract_exit")
    return {
        "template": template,
        "items": [{"exit": context(user, contract) if context else None}],
    }


def sections(user, contract) -> dict:
    return {
        "disputes": disputes_section(user, contract),
        "health": health_section(user, contract),
        "exit": exit_section(user, contract),
    }
