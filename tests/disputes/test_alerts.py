"""The dispute procedure's deadlines, with frozen time across weekends and the
Christmas and New Year bank holidays of 2026 (Boxing Day falls on a Saturday, so the
Monday after, 28 December, is its substitute)."""

import datetime

import pytest
import time_machine

from disputes import alerts, services
from disputes.choices import EndorsementKind, InformalOutcome, Stage
from disputes.models.disputes import DisputeEndorsement, meeting_deadline_for
from governance.core.models.alerts import Alert, Notification
from governance.core.roles import Role
from governance.core.services import alerts as engine
from governance.meetings.choices import ActionSource
from governance.meetings.models import Action
from tests.disputes.factories import D, DisputeFactory, email
from tests.governance.core.factories import UserFactory

pytestmark = pytest.mark.django_db


def keys(specs) -> list[str]:
    return [spec.key for spec in specs]


@pytest.fixture
def pdm():
    return UserFactory(roles=[Role.PDM])


@pytest.fixture
def smg():
    return UserFactory(roles=[Role.SMG])


def at_stage_2(notice_date, **kwargs):
    return DisputeFactory(
        stage=Stage.STAGE_2,
        raised_on=notice_date - datetime.timedelta(days=20),
        notice_date=notice_date,
        meeting_deadline=meeting_deadline_for(notice_date),
        receipt_requested=True,
        **kwargs,
    )


@pytest.mark.parametrize(
    ("notice", "deadline"),
    [
        # Friday notice: the second Friday after.
        (D(2026, 6, 12), D(2026, 6, 26)),
        # Over Christmas: 25 December, 28 December (Boxing Day's substitute) and
        # 1 January are skipped, as are the weekends.
        (D(2026, 12, 18), D(2027, 1, 6)),
        # Over Easter 2027: Good Friday 26 March and Easter Monday 29 March.
        (D(2027, 3, 22), D(2027, 4, 7)),
        # A notice dated on a Saturday counts from the Monday.
        (D(2026, 6, 13), D(2026, 6, 26)),
    ],
)
def test_the_meeting_deadline(notice, deadline):
    assert meeting_deadline_for(notice) == deadline


def test_the_notice_service_computes_the_deadline_over_christmas():
    dispute = DisputeFactory(stage=Stage.STAGE_1, raised_on=D(2026, 12, 1))
    lead = dispute.contract.lead_officer
    with time_machine.travel(datetime.datetime(2026, 12, 18, 15), tick=False):
        services.dispute_transition(
            dispute=dispute,
            to_stage=Stage.STAGE_2,
            actor=lead,
            notice_date=D(2026, 12, 18),
            notice_entry=email(dispute.contract, D(2026, 12, 18)),
            receipt_requested=True,
        )
    dispute.refresh_from_db()
    assert dispute.meeting_deadline == D(2027, 1, 6)


@pytest.mark.parametrize(
    ("today", "kind"),
    [
        (D(2026, 12, 30), None),  # four business days before the deadline
        (D(2026, 12, 31), "due"),  # three business days before: 31 Dec, 4 and 5 Jan
        (D(2027, 1, 2), "due"),  # a Saturday within the warning
        (D(2027, 1, 6), "due"),  # the deadline itself
        (D(2027, 1, 7), "missed"),
    ],
)
def test_meeting_deadline_approaching_and_missed(today, kind, pdm):
    dispute = at_stage_2(D(2026, 12, 18))
    specs = list(alerts.meeting_deadline_alerts(today))
    if kind is None:
        assert specs == []
        return
    assert keys(specs) == [f"dispute-meeting-{kind}:{dispute.pk}:2027-01-06"]
    contract = dispute.contract
    assert set(specs[0].users) == {contract.lead_officer, contract.deputy_officer, pdm}
    assert "6 January 2027" in specs[0].subject + specs[0].body


def test_a_held_meeting_is_not_chased():
    at_stage_2(D(2026, 12, 18), meeting_held_on=D(2027, 1, 5))
    assert list(alerts.meeting_deadline_alerts(D(2027, 1, 7))) == []


@pytest.mark.parametrize(
    ("notice", "today", "chased"),
    [
        (D(2026, 12, 18), D(2026, 12, 22), False),  # second business day: still on time
        (D(2026, 12, 18), D(2026, 12, 23), True),
        # Notice on Christmas Eve: 29 and 30 December are its two business days.
        (D(2026, 12, 24), D(2026, 12, 30), False),
        (D(2026, 12, 24), D(2026, 12, 31), True),
    ],
)
def test_receipt_not_confirmed(notice, today, chased):
    dispute = at_stage_2(notice)
    specs = list(alerts.receipt_alerts(today))
    expected = [f"dispute-receipt-overdue:{dispute.pk}:{notice.isoformat()}"] if chased else []
    assert keys(specs) == expected


def test_confirmed_receipt_is_not_chased():
    at_stage_2(D(2026, 12, 18), receipt_confirmed_on=D(2026, 12, 21))
    assert list(alerts.receipt_alerts(D(2027, 1, 4))) == []


def test_action_plan_actions_overdue(pdm):
    dispute = DisputeFactory(stage=Stage.STAGE_4, raised_on=D(2026, 11, 1))
    owner = UserFactory(roles=[Role.CONTRACT_MANAGER])
    action = Action.objects.create(
        contract=dispute.contract,
        description="Retrain the referral team",
        owner=owner,
        raised_on=D(2026, 12, 1),
        due_on=D(2027, 1, 5),
        source=ActionSource.DISPUTE,
        source_record=dispute,
    )
    assert list(alerts.action_plan_alerts(D(2027, 1, 5))) == []
    specs = list(alerts.action_plan_alerts(D(2027, 1, 6)))
    assert keys(specs) == [f"dispute-action-overdue:{action.pk}:2027-01-05"]
    contract = dispute.contract
    assert set(specs[0].users) == {contract.lead_officer, contract.deputy_officer, pdm, owner}


@pytest.mark.parametrize(
    ("report_on", "today", "chased"),
    [
        (D(2027, 1, 4), D(2027, 1, 11), False),  # the fifth business day
        (D(2027, 1, 4), D(2027, 1, 12), True),
        # From 17 December, Christmas and Boxing Day's substitute do not count:
        # the fifth business day is 24 December.
        (D(2026, 12, 17), D(2026, 12, 24), False),
        (D(2026, 12, 17), D(2026, 12, 29), True),
    ],
)
def test_smg_sign_off_awaited(report_on, today, chased, pdm, smg):
    dispute = DisputeFactory(
        stage=Stage.STAGE_4, raised_on=D(2026, 11, 1), completion_report_on=report_on
    )
    specs = list(alerts.endorsement_alerts(today))
    if not chased:
        assert specs == []
        return
    assert keys(specs) == [f"dispute-smg-awaited:{dispute.pk}:sign-off:{report_on.isoformat()}"]
    assert smg in specs[0].users and pdm in specs[0].users
    assert dispute.contract.lead_officer in specs[0].users


def test_smg_decisions_awaited_for_escalation_and_outcome(smg):
    escalate = DisputeFactory(
        informal_outcome=InformalOutcome.ESCALATE, informal_outcome_on=D(2027, 1, 4)
    )
    resolved = DisputeFactory(
        stage=Stage.STAGE_3, meeting_resolved=True, meeting_held_on=D(2027, 1, 4)
    )
    specs = list(alerts.endorsement_alerts(D(2027, 1, 12)))
    assert sorted(keys(specs)) == sorted(
        [
            f"dispute-smg-awaited:{escalate.pk}:escalation:2027-01-04",
            f"dispute-smg-awaited:{resolved.pk}:outcome:2027-01-04",
        ]
    )
    DisputeEndorsement.objects.create(
        dispute=resolved,
        kind=EndorsementKind.OUTCOME,
        target_stage=Stage.STAGE_3,
        endorsed_on=D(2027, 1, 12),
        endorsed_by=smg,
        evidence_entry=email(resolved.contract, D(2027, 1, 12)),
    )
    assert keys(alerts.endorsement_alerts(D(2027, 1, 12))) == [
        f"dispute-smg-awaited:{escalate.pk}:escalation:2027-01-04"
    ]


def test_the_sweep_tells_each_person_once(monkeypatch, pdm):
    monkeypatch.setattr(engine, "collect", lambda: ([], list(alerts.PROVIDERS)))
    dispute = at_stage_2(D(2026, 12, 18))
    with time_machine.travel(datetime.datetime(2027, 1, 7, 6), tick=False):
        first = engine.daily_sweep()
        second = engine.daily_sweep()
    assert first.raised == 2  # the missed meeting and the missing receipt
    assert second.raised == 0
    assert set(Alert.objects.values_list("key", flat=True)) == {
        f"dispute-meeting-missed:{dispute.pk}:2027-01-06",
        f"dispute-receipt-overdue:{dispute.pk}:2026-12-18",
    }
    assert Notification.objects.filter(user=pdm).count() == 2


def test_the_engine_collects_the_disputes_alerts():
    _, providers = engine.collect()
    assert alerts.meeting_deadline_alerts in providers
