"""Exit alerts on the right days, to the right people, exactly once: the 9-month and
7-month reminders and the deadline-day breach while no notice of plans is recorded (a
moved end date is a new occasion), extension decisions 60 and 20 business days ahead
(around weekends and bank holidays), and checklist evidence expiring and expired."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contracts.assurance.alerts import checklist as checklist_alerts
from contracts.assurance.choices import ChecklistStatus
from contracts.exit import alerts
from contracts.register.choices import ContractStatus, ExtensionStatus, Party
from contracts.register.models.contracts import ExtensionOption
from contracts.register.services import contracts as contract_services
from governance.core.models.alerts import Alert
from governance.core.roles import Role
from governance.core.services.alerts import daily_sweep
from tests.contracts.exit.exit_factories import ExitNoticeFactory
from tests.contracts.register.factories import ContractFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def on(day: D):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(6)), tick=False)


def offered(day: D, providers=alerts.PROVIDERS) -> dict:
    with on(day):
        specs = [spec for provider in providers for spec in provider(day)]
    keys = [spec.key for spec in specs]
    assert len(keys) == len(set(keys)), keys
    return {spec.key: spec for spec in specs}


def sweep(day: D) -> None:
    with on(day):
        daily_sweep(today=day)


def exit_keys(contract) -> list[str]:
    return sorted(
        Alert.objects.filter(
            key__contains=f":{contract.pk}:", key__startswith="exit-notice"
        ).values_list("key", flat=True)
    )


@pytest.fixture
def people(make_user):
    return {
        "lead": make_user(role=Role.CONTRACT_MANAGER),
        "deputy": make_user(role=Role.CONTRACT_MANAGER),
        "pdm": make_user(role=Role.PDM),
        "former_pdm": make_user(role=Role.PDM, is_active=False),
        "smg": make_user(role=Role.SMG),
        "other_manager": make_user(role=Role.CONTRACT_MANAGER),
    }


@pytest.fixture
def contract(people):
    # Ends 31 March 2028: 9 months before is 30 June 2027, 7 months before 31 August
    # 2027, and the notice deadline (6 months before) 30 September 2027.
    return ContractFactory(
        lead_officer=people["lead"],
        deputy_officer=people["deputy"],
        initial_end_date=D(2028, 3, 31),
        start_date=D(2025, 4, 1),
    )


def keys_for(found: dict, contract) -> set[str]:
    return {key.split(":")[0] for key in found if key.split(":")[1] == str(contract.pk)}


class TestNoticeWindows:
    @pytest.mark.parametrize(
        ("day", "window"),
        [
            (D(2027, 6, 29), set()),
            (D(2027, 6, 30), {"exit-notice-9m"}),
            (D(2027, 8, 30), {"exit-notice-9m"}),
            (D(2027, 8, 31), {"exit-notice-7m"}),
            (D(2027, 9, 29), {"exit-notice-7m"}),
            (D(2027, 9, 30), {"exit-notice-breach"}),
            (D(2028, 3, 31), {"exit-notice-breach"}),
            (D(2028, 4, 1), set()),
        ],
    )
    def test_the_window_open_on_each_day(self, contract, day, window):
        assert keys_for(offered(day), contract) == window

    def test_reminders_go_to_the_officers_and_managers(self, contract, people):
        found = offered(D(2027, 6, 30))
        spec = found[f"exit-notice-9m:{contract.pk}:2028-03-31"]
        assert set(spec.users) == {people["lead"], people["deputy"], people["pdm"]}
        assert "30 September 2027" in spec.subject
        assert spec.url.endswith(f"/contracts/{contract.pk}/exit/")

    def test_the_breach_is_told_to_smg_too(self, contract, people):
        spec = offered(D(2027, 9, 30))[f"exit-notice-breach:{contract.pk}:2028-03-31"]
        assert set(spec.users) == {people["lead"], people["deputy"], people["pdm"], people["smg"]}
        assert "none has been recorded" in spec.body

    def test_a_recorded_notice_silences_every_window(self, contract):
        ExitNoticeFactory(contract=contract, sent_on=D(2027, 5, 1))
        for day in (D(2027, 6, 30), D(2027, 8, 31), D(2027, 9, 30)):
            assert keys_for(offered(day), contract) == set()

    def test_month_end_deadline_is_clipped(self, people):
        # 31 August 2027 - 6 months is 28 February 2027, not 3 March.
        contract = ContractFactory(
            lead_officer=people["lead"], initial_end_date=D(2027, 8, 31), start_date=D(2024, 9, 1)
        )
        assert keys_for(offered(D(2027, 2, 27)), contract) == {"exit-notice-7m"}
        assert keys_for(offered(D(2027, 2, 28)), contract) == {"exit-notice-breach"}

    def test_closed_contracts_are_not_reminded(self, people):
        contract = ContractFactory(
            lead_officer=people["lead"],
            initial_end_date=D(2028, 3, 31),
            status=ContractStatus.TERMINATED,
        )
        assert keys_for(offered(D(2027, 9, 30)), contract) == set()


class TestSweepSendsOnce:
    def test_each_window_once_over_daily_sweeps(self, contract, people):
        # Every day around each window's opening, and a second run on the first day.
        days = [D(2027, 6, 29), D(2027, 6, 30), D(2027, 6, 30), D(2027, 7, 1), D(2027, 8, 30)]
        days += [D(2027, 8, 31), D(2027, 9, 1), D(2027, 9, 29), D(2027, 9, 30), D(2027, 10, 1)]
        for day in days:
            sweep(day)
        assert exit_keys(contract) == [
            f"exit-notice-7m:{contract.pk}:2028-03-31",
            f"exit-notice-9m:{contract.pk}:2028-03-31",
            f"exit-notice-breach:{contract.pk}:2028-03-31",
        ]
        breach = Alert.objects.get(key__startswith="exit-notice-breach")
        assert {n.user for n in breach.notifications.all()} == {
            people["lead"],
            people["deputy"],
            people["pdm"],
            people["smg"],
        }

    def test_a_missed_sweep_still_sends_the_window(self, contract):
        sweep(D(2027, 7, 3))  # no sweep ran on 30 June
        assert exit_keys(contract) == [f"exit-notice-9m:{contract.pk}:2028-03-31"]

    def test_an_end_date_moved_by_a_variation_is_a_new_occasion(self, contract, people):
        sweep(D(2027, 6, 30))
        assert exit_keys(contract) == [f"exit-notice-9m:{contract.pk}:2028-03-31"]
        with on(D(2027, 7, 10)):
            variation = contract_services.variation_propose(
                contract=contract,
                actor=people["lead"],
                summary="Six more months while the service is re-procured",
                justification="The procurement timetable slipped.",
                requested_by=Party.COMMISSIONER,
                new_end_date=D(2028, 9, 30),
            )
            contract_services.variation_approve(variation=variation, actor=people["smg"])
        # 9 months before the new end date is 30 December 2027: nothing until then.
        for day in (D(2027, 7, 10), D(2027, 8, 31), D(2027, 9, 30), D(2027, 12, 29)):
            sweep(day)
        assert exit_keys(contract) == [f"exit-notice-9m:{contract.pk}:2028-03-31"]
        sweep(D(2027, 12, 30))
        sweep(D(2027, 12, 31))
        assert exit_keys(contract) == [
            f"exit-notice-9m:{contract.pk}:2028-03-31",
            f"exit-notice-9m:{contract.pk}:2028-09-30",
        ]
        sweep(D(2028, 3, 30))  # the new deadline: 6 months before 30 September
        assert f"exit-notice-breach:{contract.pk}:2028-09-30" in exit_keys(contract)

    def test_a_notice_given_against_the_old_end_date_does_not_count(self, contract, people):
        ExitNoticeFactory(contract=contract, sent_on=D(2027, 6, 1))
        sweep(D(2027, 6, 30))
        assert exit_keys(contract) == []
        with on(D(2027, 7, 10)):
            contract_services.extension_add(
                contract=contract,
                actor=people["lead"],
                length_months=6,
                decision_deadline=D(2027, 9, 1),
            )
            contract_services.extension_exercise(
                option=contract.extensions.get(), actor=people["lead"]
            )
        sweep(D(2027, 12, 30))
        assert exit_keys(contract) == [f"exit-notice-9m:{contract.pk}:2028-09-30"]


class TestExtensionDecisions:
    @pytest.fixture
    def option(self, contract):
        # Decide by Tuesday 1 June 2027: the early May (3 May) and spring (31 May)
        # bank holidays fall in the last 20 business days.
        return ExtensionOption.objects.create(
            contract=contract, sequence=1, length_months=12, decision_deadline=D(2027, 6, 1)
        )

    def windows(self, day, option) -> set[str]:
        return {k.split(":")[0] for k in offered(day) if k.split(":")[1] == str(option.pk)}

    @pytest.mark.parametrize(
        ("day", "window"),
        [
            (D(2027, 3, 2), set()),
            (D(2027, 3, 3), {"extension-decision-60"}),  # 60 business days ahead
            (D(2027, 4, 29), {"extension-decision-60"}),
            # 20 business days ahead is Friday 30 April, not 4 May: two bank holidays.
            (D(2027, 4, 30), {"extension-decision-20"}),
            (D(2027, 5, 1), {"extension-decision-20"}),  # a Saturday: still open
            (D(2027, 6, 1), {"extension-decision-20"}),
            (D(2027, 6, 2), set()),
        ],
    )
    def test_business_day_windows(self, option, day, window):
        assert self.windows(day, option) == window

    def test_a_window_opening_on_a_monday_is_not_open_at_the_weekend(self, contract):
        # Decide by Wednesday 30 June 2027: 60 business days ahead is Monday 5 April.
        option = ExtensionOption.objects.create(
            contract=contract, sequence=1, length_months=12, decision_deadline=D(2027, 6, 30)
        )
        assert self.windows(D(2027, 4, 3), option) == set()
        assert self.windows(D(2027, 4, 4), option) == set()
        assert self.windows(D(2027, 4, 5), option) == {"extension-decision-60"}

    def test_each_once_and_only_while_undecided(self, option, people):
        for day in (D(2027, 3, 3), D(2027, 3, 3), D(2027, 3, 4), D(2027, 4, 30), D(2027, 5, 4)):
            sweep(day)
        keys = sorted(
            Alert.objects.filter(key__startswith="extension").values_list("key", flat=True)
        )
        assert keys == [
            f"extension-decision-20:{option.pk}:2027-06-01",
            f"extension-decision-60:{option.pk}:2027-06-01",
        ]
        spec = offered(D(2027, 4, 30))[f"extension-decision-20:{option.pk}:2027-06-01"]
        assert set(spec.users) == {people["lead"], people["deputy"], people["pdm"]}
        assert "20 business days" in spec.body
        ExtensionOption.objects.filter(pk=option.pk).update(status=ExtensionStatus.DECLINED)
        assert self.windows(D(2027, 5, 4), option) == set()


class TestChecklistEvidence:
    @pytest.fixture
    def item(self, contract, people):
        return contract.checklist.create(
            title="Public liability insurance",
            status=ChecklistStatus.VERIFIED,
            verified_on=D(2026, 4, 1),
            verified_by=people["lead"],
            expires_on=D(2027, 4, 1),
        )

    def kinds(self, day, item) -> set[str]:
        found = offered(day, checklist_alerts.PROVIDERS)
        return {k.split(":")[0] for k in found if k.split(":")[1] == str(item.pk)}

    @pytest.mark.parametrize(
        ("day", "kinds"),
        [
            (D(2027, 3, 1), set()),
            (D(2027, 3, 2), {"checklist-expiring"}),  # 30 days before
            (D(2027, 4, 1), {"checklist-expiring"}),  # the expiry date is still covered
            (D(2027, 4, 2), {"checklist-expired"}),
        ],
    )
    def test_windows(self, item, day, kinds):
        assert self.kinds(day, item) == kinds

    def test_once_each_to_officers_and_the_provider(self, item, contract, people):
        for day in (D(2027, 3, 2), D(2027, 3, 3), D(2027, 4, 2), D(2027, 4, 3)):
            sweep(day)
        alerts_raised = Alert.objects.filter(key__startswith="checklist")
        assert sorted(alerts_raised.values_list("key", flat=True)) == [
            f"checklist-expired:{item.pk}:2027-04-01",
            f"checklist-expiring:{item.pk}:2027-04-01",
        ]
        spec = offered(D(2027, 3, 2), checklist_alerts.PROVIDERS)[
            f"checklist-expiring:{item.pk}:2027-04-01"
        ]
        assert set(spec.users) == {people["lead"], people["deputy"]}
        assert spec.emails == (contract.provider_contract_manager.email,)

    def test_renewed_evidence_is_a_new_occasion_and_outstanding_is_quiet(self, item):
        sweep(D(2027, 4, 2))
        item.expires_on = D(2028, 4, 1)
        item.save()
        assert self.kinds(D(2027, 4, 2), item) == set()
        assert self.kinds(D(2028, 3, 2), item) == {"checklist-expiring"}
        item.status = ChecklistStatus.OUTSTANDING
        item.save()
        assert self.kinds(D(2028, 4, 2), item) == set()


def test_providers_run_a_fixed_number_of_queries(people):
    def count(day):
        with on(day), CaptureQueriesContext(connection) as queries:
            for provider in [*alerts.PROVIDERS, *checklist_alerts.PROVIDERS]:
                list(provider(day))
        return len(queries)

    def contracts(n):
        for _ in range(n):
            contract = ContractFactory(lead_officer=people["lead"], initial_end_date=D(2028, 3, 31))
            ExtensionOption.objects.create(
                contract=contract, sequence=1, length_months=6, decision_deadline=D(2027, 10, 1)
            )
            contract.checklist.create(
                title="Insurance",
                status=ChecklistStatus.VERIFIED,
                verified_on=D(2026, 4, 1),
                verified_by=people["lead"],
                expires_on=D(2027, 9, 10),
            )

    contracts(2)
    few = count(D(2027, 9, 1))
    contracts(8)
    assert count(D(2027, 9, 1)) == few
