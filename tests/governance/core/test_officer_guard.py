"""The officer guard: who runs a contract, and the one check every service that works on
a contract's records makes before it changes anything."""

import ast
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from contracts.performance.models.kpis import ContractKpi
from contracts.register.models.contracts import Contract
from governance.core.permissions import officer_may, require_officer, runs_contract
from governance.core.roles import Role
from governance.meetings.models import Meeting
from tests.contracts.register.factories import ContractFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
APPS = ("contracts", "governance", "risks", "disputes")


@pytest.fixture
def lead(make_user):
    return make_user(role=Role.CONTRACT_MANAGER)


@pytest.fixture
def deputy(make_user):
    return make_user(role=Role.CONTRACT_MANAGER)


@pytest.fixture
def contract(lead, deputy):
    return ContractFactory(lead_officer=lead, deputy_officer=deputy)


class TestRunsContract:
    def test_the_lead_and_deputy_officers_run_it(self, contract, lead, deputy):
        assert runs_contract(lead, contract)
        assert runs_contract(deputy, contract)

    def test_another_contract_manager_does_not(self, contract, make_user):
        assert not runs_contract(make_user(role=Role.CONTRACT_MANAGER), contract)

    def test_a_superuser_does(self, contract, make_user):
        assert runs_contract(make_user(is_superuser=True), contract)

    def test_a_deactivated_officer_does_not(self, contract, lead):
        lead.is_active = False
        assert not runs_contract(lead, contract)

    def test_the_whole_portfolio_is_run_by_the_commissioners_staff_only(self, make_user, contract):
        assert runs_contract(make_user(role=Role.PDM), None)
        provider = make_user(role=Role.PROVIDER, organisation=contract.provider)
        assert not runs_contract(provider, None)
        assert not runs_contract(provider, contract)


class TestRequireOfficer:
    def test_an_officer_with_the_permission_passes(self, contract, lead):
        require_officer(lead, contract, ContractKpi, "add", "Refused.")
        require_officer(lead, contract, Contract, "change", "Refused.")

    def test_an_officer_without_the_permission_is_refused(self, contract, make_user):
        # Senior managers hold no permission to add meetings, even on a contract
        # they were made an officer of.
        smg = make_user(role=Role.SMG)
        contract.lead_officer = smg
        with pytest.raises(ValidationError, match="Only the officers"):
            require_officer(smg, contract, Meeting, "add", "Only the officers.")

    def test_anyone_not_running_the_contract_is_refused(self, contract, make_user):
        other = make_user(role=Role.CONTRACT_MANAGER)
        with pytest.raises(ValidationError, match="Only the officers"):
            require_officer(other, contract, Contract, "change", "Only the officers.")


class TestOfficerMay:
    def test_an_officer_with_the_permission_may(self, contract, lead, deputy):
        assert officer_may(lead, contract, Meeting, "add")
        assert officer_may(deputy, contract, ContractKpi, "add")

    def test_an_officer_without_the_permission_may_not(self, contract, make_user):
        smg = make_user(role=Role.SMG)
        contract.lead_officer = smg
        assert runs_contract(smg, contract)
        assert not officer_may(smg, contract, Meeting, "add")

    def test_a_contract_manager_not_running_the_contract_may_not(self, contract, make_user):
        other = make_user(role=Role.CONTRACT_MANAGER)
        assert other.has_perm("governance.add_meeting")
        assert not officer_may(other, contract, Meeting, "add")


def _functions_named(names: set[str]) -> list[tuple[str, str]]:
    """(file, name) of every function so named in the apps' source, migrations aside."""
    found = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.FunctionDef) and node.name in names:
                    found.append((path.relative_to(ROOT).as_posix(), node.name))
    return sorted(found)


def test_the_guard_is_defined_once_in_the_shared_permission_layer():
    """A service keeps no private copy of the guard: it calls the shared one."""
    assert _functions_named({"runs_contract", "require_officer", "_require_officer"}) == [
        ("governance/core/permissions.py", "require_officer"),
        ("governance/core/permissions.py", "runs_contract"),
    ]


def _calls(node: ast.AST) -> set[str]:
    names = set()
    for call in ast.walk(node):
        if isinstance(call, ast.Call):
            func = call.func
            names.add(func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", ""))
    return names


def test_no_page_or_service_rewrites_the_guard_from_its_parts():
    """A permission check joined with ``runs_contract`` by ``and`` is the officer guard
    written out again: pages and services ask ``officer_may`` instead."""
    rewritten = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts or path.name == "permissions.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And):
                    calls = [_calls(value) for value in node.values]
                    if any("runs_contract" in c for c in calls) and any(
                        c & {"has_perm", "can", "_holds"} for c in calls
                    ):
                        rewritten.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert rewritten == []
