"""Who may not take a step of the dispute procedure, or decide on the exclusion
register, is refused its form, not only its submit."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from disputes.choices import Stage
from disputes.models.exclusions import Exclusion
from governance.core.roles import Role
from tests.contracts.register.factories import OrganisationFactory
from tests.disputes.factories import DisputeFactory, walk
from tests.view_cases import ActionPage, ActionPageTests


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime.datetime(2026, 8, 3, 12), tick=False):
        yield


class TestDisputeStepPages(ActionPageTests):
    def action_pages(self, make_user):
        smg = make_user(role=Role.SMG)
        at_informal = DisputeFactory()
        lead = at_informal.contract.lead_officer
        walk(at_informal, lead, smg, Stage.INFORMAL)
        at_stage_3 = DisputeFactory()
        walk(at_stage_3, at_stage_3.contract.lead_officer, smg, Stage.STAGE_3)
        exclusion = Exclusion.objects.create(
            organisation=OrganisationFactory(),
            reason="performance",
            details="Three contracts ended early for poor performance.",
            start_date=datetime.date(2026, 4, 1),
            end_date=datetime.date(2028, 3, 31),
            decided_on=datetime.date(2026, 3, 20),
            recorded_by=smg,
        )
        # Holds every permission but is not a member of SMG, whose decision an
        # exclusion is.
        superuser = make_user(role=None, is_superuser=True)
        return {
            "SMG agrees to the formal procedure": ActionPage(
                reverse("disputes:dispute_transition", args=[at_informal.pk, Stage.STAGE_1]),
                at_informal,
                allowed=smg,
                refused={"lead officer": lead},
            ),
            "SMG endorses the meeting's outcome": ActionPage(
                reverse("disputes:dispute_step", args=[at_stage_3.pk, "endorse_outcome"]),
                at_stage_3,
                allowed=smg,
                refused={"lead officer": at_stage_3.contract.lead_officer},
            ),
            "the officer records a step": ActionPage(
                reverse("disputes:dispute_step", args=[at_informal.pk, "approach_agreed"]),
                at_informal,
                allowed=lead,
                refused={"SMG": smg},
            ),
            "record an exclusion": ActionPage(
                reverse("disputes:exclusion_create"),
                None,
                allowed=smg,
                refused={"not a member of SMG": superuser, "lead officer": lead},
            ),
            "end an exclusion early": ActionPage(
                reverse("disputes:exclusion_end", args=[exclusion.pk]),
                exclusion,
                allowed=smg,
                refused={"not a member of SMG": superuser, "lead officer": lead},
            ),
        }
