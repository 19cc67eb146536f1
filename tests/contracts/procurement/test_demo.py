"""The demo shows each duty: a contract under the Act over £5 million with its KPI duty
met and its contract details notice published, one variation that owes no change notice
and one that does, and an ended contract owing its termination notice."""

import datetime

import pytest
import time_machine

from contracts.procurement.choices import NoticeKind, NoticeStatus
from contracts.procurement.models import ChangeClassification, Notice
from contracts.procurement.services import kpi_duty_status
from contracts.register.models.contracts import Contract
from governance.core.roles import Role
from governance.demo.procurement import HUB, OUTREACH, seed_procurement
from tests.contracts.register.factories import ContactFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 4)


def test_the_demo_shows_each_duty_and_seeds_once(make_user):
    users = {
        "manager": make_user(Role.CONTRACT_MANAGER),
        "deputy": make_user(Role.CONTRACT_MANAGER),
        "smg": make_user(Role.SMG),
    }
    ContactFactory(organisation=OrganisationFactory())
    with time_machine.travel(datetime.datetime(2026, 12, 4, 9, 0), tick=False):
        assert seed_procurement(users=users, today=TODAY) == 2
        hub = Contract.objects.get(reference=HUB[0])
        assert kpi_duty_status(hub)["met"]
        details = Notice.objects.get(contract=hub, kind=NoticeKind.CONTRACT_DETAILS)
        assert details.status == NoticeStatus.PUBLISHED
        assert details.published_on <= details.due_on
        required = dict(
            ChangeClassification.objects.filter(variation__contract=hub).values_list(
                "variation__number", "notice_required"
            )
        )
        assert required == {1: False, 2: True}
        change = Notice.objects.get(contract=hub, kind=NoticeKind.CHANGE)
        assert change.status == NoticeStatus.DUE
        outreach = Contract.objects.get(reference=OUTREACH[0])
        termination = Notice.objects.get(contract=outreach, kind=NoticeKind.TERMINATION)
        assert termination.status == NoticeStatus.DUE
        assert termination.due_on == TODAY + datetime.timedelta(days=20)
        rows = Notice.objects.count()
        assert seed_procurement(users=users, today=TODAY) == 0
        assert Notice.objects.count() == rows
