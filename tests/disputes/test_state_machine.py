"""Random sequences of moves, right and wrong, by the right and the wrong people: no
stage is ever reached without its precondition, and the timeline never loses or
changes an entry."""

import contextlib
import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from disputes import services
from disputes.choices import (
    STAGE_ORDER,
    EndorsementKind,
    EventKind,
    InformalOutcome,
    Outcome,
    Stage,
)
from disputes.models.disputes import Dispute, DisputeEvent, meeting_deadline_for
from governance.contactlog.models import WRITTEN_CHANNELS, ContactChannel
from governance.core.roles import Role
from governance.meetings.choices import ActionStatus
from governance.meetings.services.meetings import action_update
from tests.disputes.factories import D, DisputeFactory, email, walk
from tests.governance.core.factories import UserFactory

TODAY = D(2026, 8, 3)
EARLY_NOTICE = D(2026, 6, 12)  # a meeting today is then long after its deadline

ACTORS = ("lead", "smg", "stranger", "auditor")
TARGETS = [s for s in Stage if s != Stage.INFORMAL]


def _event_row(event: DisputeEvent) -> tuple:
    return (
        event.pk,
        event.kind,
        event.occurred_on,
        event.recorded_by_id,
        event.stage_from,
        event.stage_to,
        event.summary,
        event.notes,
        event.corrects_id,
    )


class DisputeMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.dispute = DisputeFactory()
        contract = self.dispute.contract
        self.people = {
            "lead": contract.lead_officer,
            "smg": UserFactory(roles=[Role.SMG]),
            "stranger": UserFactory(roles=[Role.CONTRACT_MANAGER]),
            "auditor": UserFactory(roles=[Role.AUDITOR]),
        }
        self.written = email(contract, D(2026, 6, 3))
        self.spoken = email(contract, D(2026, 6, 3), channel=ContactChannel.PHONE)
        self.seen: list[tuple] = []

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # -- Data ------------------------------------------------------------------------------

    def evidence(self, good: bool) -> dict:
        return {"evidence_entry": self.written if good else self.spoken}

    def step_data(self, name: str, good: bool, late_reason: bool) -> dict:
        if not good:
            return {}
        lead = self.people["lead"]
        return {
            "pdm_told": {"on": TODAY},
            "smg_briefed": {"on": TODAY},
            "concern_in_writing": {"contact_entry": self.written},
            "approach_agreed": {"on": TODAY, "summary": "Weekly checks"},
            "smg_informed": {"on": TODAY},
            "informal_outcome": {
                "on": TODAY,
                "outcome": InformalOutcome.ESCALATE,
                "recommended_by": "provider",
            },
            "action_add": {"description": "Fix it", "owner": lead, "due_on": TODAY},
            "receipt_confirmed": {"on": TODAY},
            "completion_report": {"on": TODAY, "report": "Done"},
            "provider_informed": {"on": TODAY},
            "mediation_ended": {"on": TODAY},
            "settlement": {
                "terms": "Credits",
                "signed_commissioner_on": TODAY,
                "signed_provider_on": TODAY,
            },
            "award": {"on": TODAY, "summary": "Award"},
            "judgment": {"on": TODAY, "summary": "Judgment"},
            "termination": {},  # left out: it changes the contract, tested on its own
            "endorse_skip": {"endorsed_on": TODAY, "target_stage": Stage.STAGE_5}
            | self.evidence(True),
            "endorse_outcome": {"endorsed_on": TODAY} | self.evidence(True),
            "sign_off": {"endorsed_on": TODAY} | self.evidence(True),
            "note": {"notes": "A note"},
            "correction": {"corrects": self.dispute.events.first(), "notes": "Put right"},
        }[name]

    def move_data(
        self, to: str, good: bool, early_notice: bool, late_reason: bool, resolved: bool = False
    ) -> dict:
        if not good:
            return {}
        return {
            Stage.STAGE_1: {"endorsed_on": TODAY} | self.evidence(True),
            Stage.STAGE_2: {
                "notice_date": EARLY_NOTICE if early_notice else TODAY,
                "notice_entry": self.written,
                "receipt_requested": True,
            },
            Stage.STAGE_3: {
                "meeting_held_on": TODAY,
                "meeting_resolved": resolved,
                "meeting_outcome": "No agreement",
                "late_meeting_reason": "Diaries" if late_reason else "",
            },
            Stage.STAGE_4: {"action_plan_agreed_on": TODAY},
            Stage.STAGE_5: {
                "action_plan_failed_reason": "Milestones missed",
                "mediator": "M",
                "mediation_started_on": TODAY,
            },
            Stage.STAGE_6: {
                "arbitrator": "A",
                "arbitrator_appointment": "agreed",
                "arbitrator_appointed_on": TODAY,
            },
            Stage.STAGE_7: {"litigation_started_on": TODAY, "litigation_reason": "Court"},
            Stage.CLOSED: {"outcome": Outcome.RESOLVED, "outcome_summary": "Over"},
        }[to]

    def attempt(self, call, **kwargs) -> bool:
        before_stage = Dispute.objects.get(pk=self.dispute.pk).stage
        before_events = DisputeEvent.objects.count()
        try:
            call(**kwargs)
        except ValidationError:
            # Refused: nothing changed at all.
            assert Dispute.objects.get(pk=self.dispute.pk).stage == before_stage
            assert DisputeEvent.objects.count() == before_events
            return False
        assert DisputeEvent.objects.count() == before_events + 1
        return True

    # -- Rules -----------------------------------------------------------------------------

    @initialize(start=st.sampled_from([s for s in Stage if s != Stage.CLOSED]))
    def start_at(self, start):
        """Begin from any stage, reached the proper way, so every stage is exercised."""
        walk(self.dispute, self.people["lead"], self.people["smg"], start)

    @rule(
        name=st.sampled_from([n for n in services.STEPS if n != "termination"]),
        actor=st.sampled_from(ACTORS),
        good=st.booleans(),
    )
    def record_step(self, name, actor, good):
        self.attempt(
            services.dispute_record_step,
            dispute=self.dispute,
            step=name,
            actor=self.people[actor],
            **self.step_data(name, good, late_reason=True),
        )

    @rule(
        to=st.sampled_from(TARGETS),
        actor=st.sampled_from(ACTORS),
        good=st.booleans(),
        early_notice=st.booleans(),
        late_reason=st.booleans(),
        resolved=st.booleans(),
    )
    def transition(self, to, actor, good, early_notice, late_reason, resolved=False):
        self.attempt(
            services.dispute_transition,
            dispute=self.dispute,
            to_stage=to,
            actor=self.people[actor],
            **self.move_data(to, good, early_notice, late_reason, resolved),
        )

    @rule(significant=st.booleans(), actor=st.sampled_from(ACTORS))
    def assess(self, significant, actor):
        with contextlib.suppress(ValidationError):
            services.significance_assess(
                dispute=self.dispute,
                actor=self.people[actor],
                assessed_on=TODAY,
                financial_effect=1_000_000 if significant else 0,
                clients_affected_percent=0,
                negligent_harm=False,
                reputational_risk=False,
            )

    @rule()
    def finish_actions(self):
        lead = self.people["lead"]
        for action in services.plan_actions(self.dispute).filter(status=ActionStatus.OPEN):
            action_update(instance=action, actor=lead, reason="Done", status=ActionStatus.DONE)

    @rule(early_notice=st.booleans(), eager=st.booleans(), resolved=st.booleans())
    def progress(self, early_notice, eager, resolved=False):
        """Take the next step as the right person, so runs go deep. ``eager`` moves on
        without the steps the stage needs first, which must then be refused."""
        dispute = Dispute.objects.get(pk=self.dispute.pk)
        if not eager:
            if dispute.stage == Stage.INFORMAL:
                for name, taken in (
                    ("pdm_told", dispute.pdm_told_on),
                    ("smg_briefed", dispute.smg_briefed_on),
                    ("concern_in_writing", dispute.concern_put_on),
                    ("informal_outcome", dispute.informal_outcome),
                ):
                    if not taken:
                        self.record_step(name, "lead", True)
                        return
            if dispute.stage == Stage.STAGE_2 and dispute.receipt_confirmed_on is None:
                self.record_step("receipt_confirmed", "lead", True)
                return
            if dispute.stage == Stage.STAGE_5 and dispute.mediation_ended_on is None:
                self.record_step("mediation_ended", "lead", True)
                return
        following = {
            Stage.INFORMAL: Stage.STAGE_1,
            Stage.STAGE_1: Stage.STAGE_2,
            Stage.STAGE_2: Stage.STAGE_3,
            Stage.STAGE_3: Stage.STAGE_4,
            Stage.STAGE_4: Stage.STAGE_5,
            Stage.STAGE_5: Stage.STAGE_6,
            Stage.STAGE_6: Stage.STAGE_7,
        }
        if dispute.stage in following:
            to = following[dispute.stage]
            who = "smg" if to == Stage.STAGE_1 else "lead"
            # The late-meeting rule is the random transitions' to exercise.
            self.transition(to, who, True, early_notice, late_reason=True, resolved=resolved)

    @rule(early_notice=st.booleans(), eager=st.booleans(), resolved=st.booleans())
    def progress_again(self, early_notice, eager, resolved):
        # A second rule doing the same, so runs progress more often than not.
        self.progress(early_notice, eager, resolved)

    # -- What must always hold -------------------------------------------------------------

    @invariant()
    def the_timeline_only_grows(self):
        rows = [_event_row(e) for e in DisputeEvent.objects.order_by("pk")]
        assert rows[: len(self.seen)] == self.seen
        self.seen = rows

    @invariant()
    def no_stage_without_its_precondition(self):
        dispute = Dispute.objects.get(pk=self.dispute.pk)
        endorsements = list(dispute.endorsements.select_related("endorsed_by"))
        for endorsement in endorsements:
            assert endorsement.endorsed_by.has_role(Role.SMG)
            assert endorsement.evidence_entry.channel in WRITTEN_CHANNELS
        changes = list(
            dispute.events.filter(kind__in=(EventKind.STAGE_CHANGE, EventKind.CLOSED)).order_by(
                "pk"
            )
        )
        reached = [Stage.INFORMAL]
        for change in changes:
            frm, to = change.stage_from, change.stage_to
            assert frm == reached[-1]
            assert STAGE_ORDER[to] > STAGE_ORDER[frm]
            reached.append(to)
            # Litigation follows mediation directly when the commissioner does not
            # choose arbitration: an ordered move with its reason, not a skip.
            litigation_instead = (frm, to) == (Stage.STAGE_5, Stage.STAGE_7)
            if litigation_instead:
                assert dispute.litigation_reason
            skipped = (
                to != Stage.CLOSED
                and STAGE_ORDER[to] > STAGE_ORDER[frm] + 1
                and not litigation_instead
            )
            if skipped:
                assert any(
                    e.kind == EndorsementKind.SKIP and e.target_stage == to for e in endorsements
                )
                assert dispute.assessments.filter(is_significant=True).exists()
        assert dispute.stage == reached[-1]
        formal = [s for s in reached if s not in (Stage.INFORMAL, Stage.CLOSED)]
        if Stage.STAGE_1 in reached:
            assert any(e.kind == EndorsementKind.ESCALATION for e in endorsements)
            assert dispute.informal_outcome == InformalOutcome.ESCALATE or any(
                e.kind == EndorsementKind.SKIP and e.target_stage == Stage.STAGE_1
                for e in endorsements
            )
        if Stage.STAGE_2 in reached:
            assert dispute.receipt_requested
            assert dispute.notice_entry.channel in WRITTEN_CHANNELS
            assert dispute.meeting_deadline == meeting_deadline_for(dispute.notice_date)
        if Stage.STAGE_3 in reached:
            assert dispute.meeting_held_on is not None and dispute.meeting_outcome
            if dispute.meeting_held_on > (dispute.meeting_deadline or datetime.date.max):
                assert dispute.late_meeting_reason
            if Stage.STAGE_2 in reached:
                assert dispute.receipt_confirmed_on is not None
        if Stage.STAGE_4 in reached and Stage.STAGE_3 in reached:
            assert dispute.meeting_resolved is False
        if Stage.STAGE_5 in reached:
            assert dispute.mediator
            if Stage.STAGE_4 in reached:
                assert dispute.action_plan_failed_reason
        if Stage.STAGE_6 in reached:
            assert dispute.arbitrator and dispute.arbitrator_appointment
            if Stage.STAGE_5 in reached:
                assert dispute.mediation_ended_on and not dispute.settled
        if Stage.STAGE_7 in reached:
            assert dispute.litigation_started_on
        if dispute.stage == Stage.CLOSED:
            last = formal[-1] if formal else Stage.INFORMAL
            assert dispute.outcome == Outcome.RESOLVED
            if last == Stage.INFORMAL:
                assert dispute.informal_outcome == InformalOutcome.RESOLVED
            elif last == Stage.STAGE_3:
                assert any(e.kind == EndorsementKind.OUTCOME for e in endorsements)
            elif last == Stage.STAGE_4:
                assert any(e.kind == EndorsementKind.SIGN_OFF for e in endorsements)
                assert dispute.provider_informed_on
            elif last == Stage.STAGE_5:
                assert dispute.settled
            elif last == Stage.STAGE_6:
                assert dispute.arbitration_award_on
            elif last == Stage.STAGE_7:
                assert dispute.judgment_on
            else:
                pytest.fail(f"Closed as resolved at {last}")

    @invariant()
    def only_smg_records_smg_decisions(self):
        for event in DisputeEvent.objects.filter(
            kind=EventKind.ENDORSEMENT
        ) | DisputeEvent.objects.filter(stage_to=Stage.STAGE_1, kind=EventKind.STAGE_CHANGE):
            assert event.recorded_by_id == self.people["smg"].pk


@pytest.mark.django_db
def test_the_procedure_holds_under_random_sequences():
    with time_machine.travel(datetime.datetime(2026, 8, 3, 12), tick=False):
        run_state_machine_as_test(
            DisputeMachine,
            settings=settings(
                max_examples=25,
                stateful_step_count=10,
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow],
            ),
        )
