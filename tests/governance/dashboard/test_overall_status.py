"""Each contract's overall status: the one rule with its reasons, kept fresh by every
change to what it rests on and by the daily sweep, and read from one stored place."""

import datetime

import pytest
import time_machine

from contracts.performance.choices import ReturnStatus
from contracts.register.choices import ContractStatus, OverallStatus, Rag
from contracts.register.models.status import ContractOverallStatus
from disputes.choices import Stage
from governance.core.services.alerts import daily_sweep
from governance.dashboard import status as overall_status
from governance.dashboard.status import Inputs, decide
from tests.contracts.exit.exit_factories import ExitNoticeFactory
from tests.contracts.register.factories import ContractFactory
from tests.disputes.factories import DisputeFactory
from tests.governance.reports.report_fixtures import NOW, TODAY, reported_quarter
from tests.risks.factories import RiskFactory

pytestmark = pytest.mark.django_db

Q2 = datetime.date(2026, 7, 1)


def stored(contract) -> ContractOverallStatus:
    return ContractOverallStatus.objects.get(contract=contract)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


class TestTheRule:
    """``decide`` alone: every input, its threshold and its wording."""

    def test_nothing_reported_and_nothing_wrong_is_not_yet_reported(self):
        verdict = decide(Inputs(live=True), TODAY)
        assert verdict.status == OverallStatus.NOT_YET_REPORTED
        assert verdict.reasons == ["No quarter's performance return has been accepted yet"]

    @pytest.mark.parametrize(
        ("rag", "status"),
        [
            (Rag.GREEN, OverallStatus.GREEN),
            (Rag.AMBER, OverallStatus.AMBER),
            (Rag.RED, OverallStatus.RED),
        ],
    )
    def test_the_latest_accepted_quarter_sets_the_base(self, rag, status):
        verdict = decide(Inputs(quarter_rag=rag, quarter_starts_on=Q2), TODAY)
        assert verdict.status == status
        assert verdict.reasons[0].startswith(f"Q2 2026-27 performance return: {rag.label}")

    def test_one_return_overdue_for_less_than_a_quarter_is_amber(self):
        inputs = Inputs(
            quarter_rag=Rag.GREEN,
            quarter_starts_on=Q2,
            overdue_performance=1,
            oldest_overdue_due_on=TODAY - datetime.timedelta(days=30),
        )
        verdict = decide(inputs, TODAY)
        assert verdict.status == OverallStatus.AMBER
        assert verdict.reasons == ["1 performance return overdue"]

    def test_one_return_overdue_for_more_than_a_quarter_is_red(self):
        # Three months before 20 November 2026 is 20 August: a day earlier is too long.
        inputs = Inputs(
            quarter_rag=Rag.GREEN,
            quarter_starts_on=Q2,
            overdue_finance=1,
            oldest_overdue_due_on=datetime.date(2026, 8, 19),
        )
        verdict = decide(inputs, TODAY)
        assert verdict.status == OverallStatus.RED
        assert verdict.reasons == [
            "1 financial return overdue",
            "It was due on 19 August 2026, more than a quarter ago",
        ]
        inputs.oldest_overdue_due_on = datetime.date(2026, 8, 20)
        assert decide(inputs, TODAY).status == OverallStatus.AMBER

    def test_a_backlog_of_two_is_red(self):
        inputs = Inputs(
            quarter_rag=Rag.GREEN,
            quarter_starts_on=Q2,
            overdue_performance=1,
            overdue_finance=1,
            oldest_overdue_due_on=TODAY - datetime.timedelta(days=3),
        )
        verdict = decide(inputs, TODAY)
        assert verdict.status == OverallStatus.RED
        assert verdict.reasons == ["1 performance return overdue", "1 financial return overdue"]

    def test_risks_very_high_are_red_and_high_amber(self):
        assert decide(Inputs(top_risks=2), TODAY).reasons == ["2 open risks rated Very high"]
        assert decide(Inputs(top_risks=2), TODAY).status == OverallStatus.RED
        verdict = decide(Inputs(high_risks=1, quarter_rag=Rag.GREEN, quarter_starts_on=Q2), TODAY)
        assert verdict.status == OverallStatus.AMBER
        assert verdict.reasons == ["1 open risk rated High"]

    def test_formal_disputes_are_red_and_informal_ones_amber(self):
        verdict = decide(Inputs(formal_disputes=[Stage.STAGE_3]), TODAY)
        assert (verdict.status, verdict.reasons) == (
            OverallStatus.RED,
            ["Formal dispute at stage 3"],
        )
        verdict = decide(Inputs(formal_disputes=[Stage.STAGE_5, Stage.STAGE_2]), TODAY)
        assert verdict.reasons == ["2 formal disputes, the furthest at stage 5"]
        verdict = decide(Inputs(informal_disputes=1), TODAY)
        assert (verdict.status, verdict.reasons) == (
            OverallStatus.AMBER,
            ["1 dispute on the informal route"],
        )

    def test_missed_deadlines_are_red(self):
        verdict = decide(Inputs(exit_notice_missed_on=TODAY - datetime.timedelta(days=65)), TODAY)
        assert (verdict.status, verdict.reasons) == (
            OverallStatus.RED,
            ["Exit-notice deadline missed 65 days ago"],
        )
        verdict = decide(Inputs(exit_notice_missed_on=TODAY), TODAY)
        assert verdict.reasons == [
            "Exit-notice deadline is today and no notice of plans is recorded"
        ]
        verdict = decide(
            Inputs(dispute_deadline_missed_on=TODAY - datetime.timedelta(days=1)), TODAY
        )
        assert verdict.reasons == ["Dispute meeting deadline missed yesterday"]

    def test_reasons_come_worst_first(self):
        inputs = Inputs(
            quarter_rag=Rag.AMBER,
            quarter_starts_on=Q2,
            high_risks=1,
            top_risks=1,
            informal_disputes=1,
        )
        verdict = decide(inputs, TODAY)
        assert verdict.status == OverallStatus.RED
        assert verdict.reasons == [
            "1 open risk rated Very high",
            "Q2 2026-27 performance return: Amber",
            "1 open risk rated High",
            "1 dispute on the informal route",
        ]

    def test_a_green_quarter_says_nothing_else_is_wrong(self):
        verdict = decide(Inputs(quarter_rag=Rag.GREEN, quarter_starts_on=Q2), TODAY)
        assert verdict.reasons == [
            "Q2 2026-27 performance return: Green, and nothing overdue or at risk"
        ]


class TestKeptFresh:
    """Every change to an input refreshes the stored status in the same transaction."""

    def test_a_new_contract_has_a_stored_status(self, frozen):
        contract = ContractFactory()
        assert stored(contract).status == OverallStatus.NOT_YET_REPORTED
        assert stored(contract).as_of == TODAY

    def test_accepting_a_quarter_sets_it(self, frozen):
        contract = ContractFactory()
        reported_quarter(contract, rags=[Rag.GREEN, Rag.RED])
        assert stored(contract).status == OverallStatus.RED
        assert stored(contract).quarter_summary == "Q2 2026-27: Red"

    def test_a_submitted_but_not_accepted_quarter_does_not_count(self, frozen):
        contract = ContractFactory()
        reported_quarter(contract, rags=[Rag.RED], status=ReturnStatus.SUBMITTED)
        assert stored(contract).status == OverallStatus.NOT_YET_REPORTED

    def test_only_the_latest_accepted_quarter_counts(self, frozen):
        contract = ContractFactory()
        reported_quarter(contract, rags=[Rag.RED], year=2026, quarter=1)
        reported_quarter(contract, rags=[Rag.GREEN], year=2026, quarter=2)
        assert stored(contract).status == OverallStatus.GREEN

    def test_a_return_not_yet_due_is_not_overdue(self, frozen):
        contract = ContractFactory()
        reported_quarter(contract, rags=[Rag.GREEN])
        reported_quarter(contract, rags=[], year=2026, quarter=3, status=ReturnStatus.DRAFT)
        assert stored(contract).status == OverallStatus.GREEN

    def test_years_of_missing_returns_are_red(self, frozen):
        contract = ContractFactory()
        reported_quarter(contract, rags=[Rag.GREEN], year=2024, quarter=1)
        for year, quarter in ((2024, 2), (2024, 3), (2024, 4), (2025, 1)):
            reported_quarter(
                contract, rags=[], year=year, quarter=quarter, status=ReturnStatus.DRAFT
            )
        assert stored(contract).status == OverallStatus.RED
        assert "4 performance returns overdue" in stored(contract).reasons

    def test_a_risk_raised_closed_and_deleted(self, frozen):
        contract = ContractFactory()
        reported_quarter(contract, rags=[Rag.GREEN])
        risk = RiskFactory(
            contract=contract,
            inherent_likelihood=5,
            inherent_impact=5,
            residual_likelihood=5,
            residual_impact=4,
        )
        assert stored(contract).status == OverallStatus.RED
        risk.residual_likelihood = 3
        risk.save()
        assert stored(contract).status == OverallStatus.AMBER
        risk.status = "closed"
        risk.closed_on = TODAY
        risk.closed_reason = "Mitigated"
        risk.save()
        assert stored(contract).status == OverallStatus.GREEN
        risk.status, risk.closed_on, risk.closed_reason = "open", None, ""
        risk.save()
        assert stored(contract).status == OverallStatus.AMBER
        risk.delete()
        assert stored(contract).status == OverallStatus.GREEN

    def test_a_dispute_going_formal_and_closing(self, frozen):
        dispute = DisputeFactory()
        contract = dispute.contract
        assert stored(contract).status == OverallStatus.AMBER
        dispute.stage = Stage.STAGE_3
        dispute.save()
        assert stored(contract).reasons == ["Formal dispute at stage 3"]
        dispute.stage, dispute.closed_on, dispute.outcome = Stage.CLOSED, TODAY, "resolved"
        dispute.save()
        assert stored(contract).status == OverallStatus.NOT_YET_REPORTED

    def test_an_exit_notice_clears_a_missed_deadline(self, frozen):
        # Ends 31 March 2027: the notice was due by 30 September 2026.
        contract = ContractFactory(
            initial_end_date=datetime.date(2027, 3, 31), start_date=datetime.date(2025, 4, 1)
        )
        assert stored(contract).reasons == ["Exit-notice deadline missed 51 days ago"]
        ExitNoticeFactory(contract=contract, sent_on=datetime.date(2026, 9, 1))
        assert stored(contract).status == OverallStatus.NOT_YET_REPORTED

    def test_a_contract_that_is_not_live_owes_no_exit_notice(self, frozen):
        contract = ContractFactory(
            initial_end_date=datetime.date(2027, 3, 31), status=ContractStatus.DRAFT
        )
        assert stored(contract).status == OverallStatus.NOT_YET_REPORTED

    def test_work_in_a_deferred_block_refreshes_once_at_its_end(self, frozen):
        contract = ContractFactory()
        with overall_status.deferred():
            reported_quarter(contract, rags=[Rag.RED])
            assert stored(contract).status == OverallStatus.NOT_YET_REPORTED
        assert stored(contract).status == OverallStatus.RED


class TestTheSweep:
    def test_time_alone_is_corrected_by_the_sweeps_step(self, frozen):
        contract = ContractFactory()
        reported_quarter(contract, rags=[Rag.GREEN])
        # Q3 2026-27's returns fall due in January 2027.
        reported_quarter(contract, rags=[], year=2026, quarter=3, status=ReturnStatus.DRAFT)
        assert stored(contract).status == OverallStatus.GREEN
        with time_machine.travel(datetime.datetime(2027, 2, 15, 9, tzinfo=datetime.UTC)):
            assert overall_status.refresh_all() == 1
        assert stored(contract).status == OverallStatus.RED
        assert stored(contract).reasons == [
            "1 performance return overdue",
            "1 financial return overdue",
        ]
        assert stored(contract).as_of == datetime.date(2027, 2, 15)

    def test_a_stale_stored_status_does_not_survive_a_sweep(self, frozen):
        contract = ContractFactory()
        reported_quarter(contract, rags=[Rag.RED])
        ContractOverallStatus.objects.filter(contract=contract).update(
            status=OverallStatus.GREEN, reasons=["Wrong"]
        )
        result = daily_sweep()
        assert result.corrected == {"overall statuses": 1}
        assert "1 overall statuses corrected" in str(result)
        assert stored(contract).status == OverallStatus.RED

    def test_a_missing_stored_status_is_created_by_the_sweep(self, frozen):
        contract = ContractFactory()
        ContractOverallStatus.objects.filter(contract=contract).delete()
        assert contract.__class__.objects.get(pk=contract.pk).overall_status.status == (
            OverallStatus.NOT_YET_REPORTED
        )
        assert daily_sweep().corrected == {"overall statuses": 1}
        # The sweep opened its reporting periods since April 2025, none returned.
        assert stored(contract).status == OverallStatus.RED

    def test_a_second_sweep_corrects_nothing(self, frozen):
        for _ in range(3):
            reported_quarter(ContractFactory(), rags=[Rag.AMBER])
        daily_sweep()
        assert daily_sweep().corrected == {"overall statuses": 0}

    def test_the_inputs_of_many_contracts_are_read_in_a_fixed_number_of_queries(
        self, frozen, django_assert_max_num_queries
    ):
        contracts = [ContractFactory() for _ in range(5)]
        for contract in contracts:
            reported_quarter(contract, rags=[Rag.GREEN])
            RiskFactory(contract=contract)
        with django_assert_max_num_queries(9):
            overall_status.gather([c.pk for c in contracts], TODAY)
