"""SMG endorses what someone else put forward, and a second SMG member confirms an
exclusion: whoever asked for an endorsement, or recorded the step it endorses, does not
give it; whoever recorded an exclusion does not confirm it.

Officers and SMG are different roles, so this bites on a person who holds both (an SMG
member who is also a contract's lead officer) and on the exclusion register, which SMG
alone keeps."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from disputes import services
from disputes.choices import EndorsementKind, Stage
from disputes.models.disputes import Dispute, DisputeEndorsement, DisputeEvent
from disputes.models.exclusions import Exclusion
from disputes.selectors import organisation_exclusions
from governance.core.roles import Role
from governance.meetings.choices import ActionStatus
from governance.meetings.services.meetings import action_update
from tests.contracts.register.factories import OrganisationFactory
from tests.disputes.factories import D, DisputeFactory, assess, contract_with_officers, email, walk
from tests.governance.core.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime.datetime(2026, 8, 3, 12), tick=False):
        yield


@pytest.fixture
def both():
    """A member of SMG who is also the contract's lead officer."""
    return UserFactory(roles=[Role.CONTRACT_MANAGER, Role.SMG], first_name="Sam", last_name="Both")


@pytest.fixture
def dispute(both):
    return DisputeFactory(contract=contract_with_officers(lead_officer=both))


@pytest.fixture
def smg():
    return UserFactory(roles=[Role.SMG])


def refused_unchanged(call, message: str, dispute: Dispute, **kwargs) -> None:
    """``call`` is refused with ``message``; no endorsement, timeline entry or history
    row is written and the dispute stays where it was."""
    counts = (
        DisputeEndorsement.objects.count(),
        DisputeEvent.objects.count(),
        dispute.history.count(),
    )
    stage = Dispute.objects.get(pk=dispute.pk).stage
    with pytest.raises(ValidationError) as raised:
        call(dispute=dispute, **kwargs)
    assert raised.value.messages == [message]
    assert (
        DisputeEndorsement.objects.count(),
        DisputeEvent.objects.count(),
        dispute.history.count(),
    ) == counts
    assert Dispute.objects.get(pk=dispute.pk).stage == stage


class TestEndorsements:
    def test_who_recommended_escalation_does_not_agree_to_it(self, dispute, both, smg):
        walk(dispute, both, smg, Stage.INFORMAL)
        refused_unchanged(
            services.dispute_transition,
            "You recorded the recommendation to escalate this dispute, so someone else must "
            "agree to the formal procedure.",
            dispute,
            to_stage=Stage.STAGE_1,
            actor=both,
            endorsed_on=D(2026, 6, 11),
            evidence_entry=email(dispute.contract, D(2026, 6, 11)),
        )
        services.dispute_transition(
            dispute=dispute,
            to_stage=Stage.STAGE_1,
            actor=smg,
            endorsed_on=D(2026, 6, 11),
            evidence_entry=email(dispute.contract, D(2026, 6, 11)),
        )
        assert Dispute.objects.get(pk=dispute.pk).stage == Stage.STAGE_1

    def test_who_recorded_the_meeting_outcome_does_not_endorse_it(self, dispute, both, smg):
        walk(dispute, both, smg, Stage.STAGE_3, resolve_at_meeting=True)
        data = {
            "step": "endorse_outcome",
            "endorsed_on": D(2026, 6, 24),
            "evidence_entry": email(dispute.contract, D(2026, 6, 24)),
        }
        refused_unchanged(
            services.dispute_record_step,
            "You recorded the dispute meeting's outcome, so someone else must endorse the outcome.",
            dispute,
            actor=both,
            **data,
        )
        services.dispute_record_step(dispute=dispute, actor=smg, **data)
        assert dispute.endorsements.get(kind=EndorsementKind.OUTCOME).endorsed_by == smg

    def test_who_recorded_the_completion_report_does_not_sign_it_off(self, dispute, both, smg):
        walk(dispute, both, smg, Stage.STAGE_4)
        services.dispute_record_step(
            dispute=dispute,
            step="action_add",
            actor=both,
            description="Retrain the referral team",
            owner=both,
            due_on=D(2026, 8, 20),
        )
        action_update(
            instance=services.plan_actions(dispute).get(),
            actor=both,
            reason="Done",
            status=ActionStatus.DONE,
            outcome="Done",
        )
        services.dispute_record_step(
            dispute=dispute, step="completion_report", actor=both, on=D(2026, 8, 3), report="Done"
        )
        data = {
            "step": "sign_off",
            "endorsed_on": D(2026, 8, 3),
            "evidence_entry": email(dispute.contract, D(2026, 8, 3)),
        }
        refused_unchanged(
            services.dispute_record_step,
            "You recorded the action plan's completion report, so someone else must sign off "
            "the completion report.",
            dispute,
            actor=both,
            **data,
        )
        services.dispute_record_step(dispute=dispute, actor=smg, **data)
        assert dispute.endorsements.get(kind=EndorsementKind.SIGN_OFF).endorsed_by == smg

    def test_who_assessed_it_as_significant_does_not_endorse_a_skip(self, smg):
        lead = UserFactory(roles=[Role.CONTRACT_MANAGER])
        deputy_in_smg = UserFactory(roles=[Role.CONTRACT_MANAGER, Role.SMG])
        dispute = DisputeFactory(
            contract=contract_with_officers(lead_officer=lead, deputy_officer=deputy_in_smg)
        )
        assess(dispute, deputy_in_smg, significant=True)
        data = {
            "step": "endorse_skip",
            "target_stage": Stage.STAGE_5,
            "endorsed_on": D(2026, 6, 3),
            "evidence_entry": email(dispute.contract),
        }
        refused_unchanged(
            services.dispute_record_step,
            "You assessed this dispute as significant, so someone else must endorse skipping "
            "stages.",
            dispute,
            actor=deputy_in_smg,
            **data,
        )
        services.dispute_record_step(dispute=dispute, actor=smg, **data)
        assert dispute.endorsements.get(kind=EndorsementKind.SKIP).endorsed_by == smg

    def test_who_raised_the_dispute_does_not_endorse_a_skip(self, dispute, both, smg):
        deputy = dispute.contract.deputy_officer
        assess(dispute, deputy, significant=True)
        refused_unchanged(
            services.dispute_record_step,
            "You raised this dispute, so someone else must endorse skipping stages.",
            dispute,
            actor=both,
            step="endorse_skip",
            target_stage=Stage.STAGE_1,
            endorsed_on=D(2026, 6, 3),
            evidence_entry=email(dispute.contract),
        )

    def test_the_page_leaves_out_what_the_user_asked_for(self, dispute, both, smg, login):
        walk(dispute, both, smg, Stage.INFORMAL)
        stage_1 = reverse("disputes:dispute_transition", args=[dispute.pk, Stage.STAGE_1])
        page = login(both).get(dispute.get_absolute_url()).content.decode()
        assert stage_1 not in page
        assert (
            "You recorded the recommendation to escalate this dispute, so someone else must "
            "agree to the formal procedure: another member of the Senior Management Group."
        ) in page
        page = login(smg).get(dispute.get_absolute_url()).content.decode()
        assert stage_1 in page
        assert 'data-testid="endorsement-note"' not in page


def record_exclusion(actor, **kwargs):
    defaults = {
        "organisation": OrganisationFactory(kind="provider"),
        "reason": "performance",
        "details": "Repeated unsatisfactory performance on three contracts.",
        "start_date": D(2026, 8, 1),
        "decided_on": D(2026, 7, 30),
        "period_months": 24,
    }
    return services.exclusion_create(actor=actor, **{**defaults, **kwargs})


class TestExclusionConfirmation:
    def test_an_exclusion_is_in_force_only_once_a_second_member_confirms_it(self, smg):
        colleague = UserFactory(roles=[Role.SMG])
        exclusion = record_exclusion(smg)
        assert exclusion.awaits_confirmation and not exclusion.is_active()
        assert not organisation_exclusions(smg, exclusion.organisation).exists()
        rows = exclusion.history.count()

        with pytest.raises(ValidationError) as raised:
            services.exclusion_confirm(exclusion=exclusion, actor=smg)
        assert raised.value.messages == [
            "You recorded this exclusion, so someone else must confirm it."
        ]
        exclusion.refresh_from_db()
        assert (exclusion.confirmed_by, exclusion.confirmed_at) == (None, None)
        assert exclusion.history.count() == rows

        services.exclusion_confirm(exclusion=exclusion, actor=colleague, notes="SMG minute 12")
        exclusion.refresh_from_db()
        assert exclusion.confirmed_by == colleague and exclusion.is_active()
        assert list(organisation_exclusions(smg, exclusion.organisation)) == [exclusion]
        latest = exclusion.history.first()
        assert (latest.history_user, latest.history_change_reason) == (
            colleague,
            "Confirmed: SMG minute 12",
        )

    def test_only_smg_confirms_and_only_once(self, smg, make_user):
        exclusion = record_exclusion(smg)
        for role in (Role.CONTRACT_MANAGER, Role.PDM, Role.AUDITOR):
            with pytest.raises(ValidationError, match="Senior Management Group"):
                services.exclusion_confirm(exclusion=exclusion, actor=make_user(role=role))
        colleague = UserFactory(roles=[Role.SMG], first_name="Rowan", last_name="Hughes")
        services.exclusion_confirm(exclusion=exclusion, actor=colleague)
        with pytest.raises(ValidationError, match="already confirmed by Rowan Hughes"):
            services.exclusion_confirm(exclusion=exclusion, actor=make_user(role=Role.SMG))

    def test_an_exclusion_ended_before_confirmation_cannot_be_confirmed(self, smg):
        exclusion = record_exclusion(smg)
        services.exclusion_end_early(
            exclusion=exclusion, actor=smg, ended_on=D(2026, 8, 3), reason="Not agreed at SMG"
        )
        with pytest.raises(ValidationError, match="can no longer be confirmed"):
            services.exclusion_confirm(exclusion=exclusion, actor=UserFactory(roles=[Role.SMG]))
        assert Exclusion.objects.get().confirmed_by is None

    def test_a_linked_dispute_s_timeline_shows_both_steps(self, smg):
        dispute = DisputeFactory()
        exclusion = record_exclusion(smg, organisation=dispute.contract.provider, dispute=dispute)
        services.exclusion_confirm(exclusion=exclusion, actor=UserFactory(roles=[Role.SMG]))
        summaries = list(dispute.events.values_list("summary", flat=True))
        assert any("a second SMG member is to confirm it" in s for s in summaries)
        assert any("confirmed by" in s for s in summaries)

    def test_the_pages(self, smg, login):
        colleague = UserFactory(roles=[Role.SMG])
        exclusion = record_exclusion(smg)
        url = reverse("disputes:exclusion_confirm", args=[exclusion.pk])
        client = login(smg)
        page = client.get(exclusion.get_absolute_url()).content.decode()
        assert url not in page
        assert "Awaiting confirmation" in page
        assert (
            "You recorded this exclusion, so someone else must confirm it: another member of "
            "the Senior Management Group."
        ) in page
        response = client.post(url, {"notes": ""})
        assert response.status_code == 400
        assert "someone else must confirm it" in response.content.decode()

        client = login(colleague)
        assert url in client.get(exclusion.get_absolute_url()).content.decode()
        response = client.post(url, {"notes": "Minuted"})
        assert response.status_code == 302
        page = client.get(exclusion.get_absolute_url()).content.decode()
        assert "In force" in page and url not in page

    def test_the_register_shows_who_confirmed_and_filters_those_awaiting(self, smg, login):
        waiting = record_exclusion(smg)
        confirmed = record_exclusion(smg)
        services.exclusion_confirm(
            exclusion=confirmed,
            actor=UserFactory(roles=[Role.SMG], first_name="Rowan", last_name="Hughes"),
        )
        client = login(smg)
        url = reverse("disputes:exclusion_list")
        page = client.get(url).content.decode()
        assert "Awaiting confirmation" in page and "Rowan Hughes" in page
        page = client.get(url, {"awaiting": "true"}).content.decode()
        assert waiting.reference in page and confirmed.reference not in page
        page = client.get(url, {"awaiting": "false"}).content.decode()
        assert confirmed.reference in page and waiting.reference not in page
