import datetime

import pytest
from django.utils import timezone

from disputes.choices import Stage
from disputes.models.disputes import meeting_deadline_for
from disputes.models.exclusions import Exclusion
from disputes.selectors import active_exclusions, open_disputes
from governance.core.roles import Role
from governance.meetings.choices import ActionSource, ActionStatus
from governance.meetings.models import Action
from tests.contracts.register.factories import OrganisationFactory
from tests.disputes.factories import D, DisputeFactory
from tests.governance.core.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_open_disputes_give_stage_and_next_deadline_without_more_queries(
    django_assert_num_queries,
):
    notice = DisputeFactory(
        stage=Stage.STAGE_2,
        notice_date=D(2026, 12, 18),
        meeting_deadline=meeting_deadline_for(D(2026, 12, 18)),
    )
    plan = DisputeFactory(stage=Stage.STAGE_4)
    for due, status in ((D(2027, 2, 1), ActionStatus.OPEN), (D(2027, 1, 1), ActionStatus.DONE)):
        Action.objects.create(
            contract=plan.contract,
            description="Fix it",
            owner=plan.contract.lead_officer,
            raised_on=D(2026, 12, 1),
            due_on=due,
            status=status,
            source=ActionSource.DISPUTE,
            source_record=plan,
        )
    DisputeFactory(stage=Stage.CLOSED, closed_on=D(2026, 12, 1), outcome="withdrawn")
    pdm = UserFactory(roles=[Role.PDM])
    pdm.role_codes  # noqa: B018 - roles are read once per request
    rows = list(open_disputes(pdm))
    with django_assert_num_queries(0):
        shown = {d.pk: (d.stage_label, d.next_deadline, d.contract.reference) for d in rows}
    assert shown[notice.pk][:2] == ("Stage 2: written notice", D(2027, 1, 6))
    assert shown[plan.pk][:2] == ("Stage 4: action plan", D(2027, 2, 1))
    assert len(shown) == 2


def test_providers_see_no_disputes_or_exclusions():
    dispute = DisputeFactory()
    provider = UserFactory(roles=[Role.PROVIDER], organisation=dispute.contract.provider)
    assert not open_disputes(provider).exists()
    assert not active_exclusions(provider).exists()


def test_active_exclusions_are_those_in_force():
    smg = UserFactory(roles=[Role.SMG])
    today = timezone.localdate()
    made = {}
    confirmed = {"confirmed_by": UserFactory(roles=[Role.SMG]), "confirmed_at": timezone.now()}
    for name, start, end, confirmation in (
        ("now", today - datetime.timedelta(days=5), today + datetime.timedelta(days=5), confirmed),
        ("unconfirmed", today - datetime.timedelta(days=5), today + datetime.timedelta(days=5), {}),
        (
            "past",
            today - datetime.timedelta(days=50),
            today - datetime.timedelta(days=1),
            confirmed,
        ),
        (
            "future",
            today + datetime.timedelta(days=1),
            today + datetime.timedelta(days=50),
            confirmed,
        ),
    ):
        made[name] = Exclusion.objects.create(
            organisation=OrganisationFactory(),
            reason="performance",
            details="Poor",
            start_date=start,
            end_date=end,
            decided_on=start,
            recorded_by=smg,
            **confirmation,
        )
    # Only a confirmed exclusion whose period holds today is in force.
    assert list(active_exclusions(smg)) == [made["now"]]
