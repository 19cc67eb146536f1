"""The daily sweep for contract performance: it owes each yearly assessment 30 days
ahead and tells the contract's officers once; it tells them again, once, the day after
an assessment is overdue; SMG hear once of each assessment and breach waiting for them.
Also the demo's assessments, started once."""

import datetime
import zoneinfo

import pytest
import time_machine

from contracts.procurement.performance import services
from contracts.procurement.performance.choices import AssessmentStatus
from contracts.procurement.performance.demo import seed_performance
from contracts.procurement.performance.models import PerformanceAssessment
from governance.core.models.alerts import Alert
from governance.core.roles import Role
from governance.core.services.alerts import daily_sweep
from tests.contracts.procurement.factories import act_contract
from tests.contracts.procurement.performance_factories import (
    AssessmentFactory,
    FailureFactory,
    published_kpi,
)

D = datetime.date
LONDON = zoneinfo.ZoneInfo("Europe/London")

pytestmark = pytest.mark.django_db


def sweep(day: datetime.date):
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(6), LONDON), tick=False):
        return daily_sweep(today=day)


def keys(prefix: str) -> list[str]:
    return sorted(Alert.objects.filter(key__startswith=prefix).values_list("key", flat=True))


@pytest.fixture
def people(make_user):
    return {
        "lead": make_user(role=Role.CONTRACT_MANAGER),
        "deputy": make_user(role=Role.CONTRACT_MANAGER),
        "smg": make_user(role=Role.SMG),
    }


@pytest.fixture
def contract(people):
    return act_contract(lead_officer=people["lead"], deputy_officer=people["deputy"])


def test_the_sweep_owes_the_assessment_and_tells_the_officers_once(contract, people):
    kpi = published_kpi(contract, name="Victims contacted within 2 days")
    sweep(D(2026, 2, 27))  # a Friday: due 31 March 2026, not owed yet
    assert not PerformanceAssessment.objects.exists()
    sweep(D(2026, 3, 1))  # a Sunday: owed from today
    owed = PerformanceAssessment.objects.get(kpi=kpi)
    alert = Alert.objects.get(key=f"uk9-assessment-due:{owed.pk}:2026-03-31")
    assert set(alert.notifications.values_list("user", flat=True)) == {
        people["lead"].pk,
        people["deputy"].pk,
    }
    assert "Victims contacted within 2 days" in alert.body
    assert sweep(D(2026, 3, 2)).raised == 0
    assert PerformanceAssessment.objects.count() == 1


def test_an_overdue_assessment_is_told_once_from_the_day_after(contract):
    assessment = AssessmentFactory(contract=contract, kpi=published_kpi(contract))
    sweep(D(2026, 3, 31))
    assert keys("uk9-assessment-overdue") == []
    sweep(D(2026, 4, 1))
    sweep(D(2026, 4, 2))
    assert keys("uk9-assessment-overdue") == [f"uk9-assessment-overdue:{assessment.pk}:2026-03-31"]


def test_smg_hear_of_what_waits_for_them(contract, people):
    kpi = published_kpi(contract)
    with time_machine.travel(datetime.datetime(2026, 4, 2, 9, tzinfo=LONDON), tick=False):
        assessment = services.assessment_start(
            contract=contract,
            actor=people["lead"],
            kpi=kpi,
            period_start=D(2025, 4, 1),
            period_end=D(2026, 3, 31),
            rating="good",
        )
        services.assessment_transition(
            assessment=assessment, to=AssessmentStatus.SUBMITTED, actor=people["lead"]
        )
    failure = FailureFactory(contract=contract, proposed_by=people["lead"])
    sweep(D(2026, 4, 2))
    sweep(D(2026, 4, 3))
    to_approve = Alert.objects.get(key__startswith=f"uk9-assessment-to-approve:{assessment.pk}:")
    assert list(to_approve.notifications.values_list("user", flat=True)) == [people["smg"].pk]
    assert keys("uk9-failure-to-decide") == [f"uk9-failure-to-decide:{failure.pk}"]


def test_an_earlier_regime_contract_is_never_told(people):
    from contracts.procurement.choices import Regime

    earlier = act_contract(lead_officer=people["lead"], procurement__regime=Regime.EARLIER)
    published_kpi(earlier)
    sweep(D(2026, 3, 15))
    assert not PerformanceAssessment.objects.exists()
    assert keys("uk9-") == []


def test_the_demo_starts_each_published_kpis_first_assessment_once(contract, people):
    kpi = published_kpi(contract)
    published_kpi(contract, is_key_indicator=False)
    with time_machine.travel(datetime.datetime(2026, 1, 5, 9, tzinfo=LONDON), tick=False):
        assert seed_performance(users={}, today=D(2026, 1, 5)) == 1
        assert seed_performance(users={}, today=D(2026, 1, 5)) == 0
    assessment = PerformanceAssessment.objects.get()
    assert (assessment.kpi, assessment.status, assessment.due_on) == (
        kpi,
        AssessmentStatus.DUE,
        D(2026, 3, 31),
    )


def test_the_demo_contract_under_the_act_shows_its_assessments_due(make_user):
    from contracts.register.models.contracts import Contract
    from governance.demo.procurement import HUB, seed_procurement
    from tests.contracts.register.factories import ContactFactory, OrganisationFactory

    users = {
        "manager": make_user(Role.CONTRACT_MANAGER),
        "deputy": make_user(Role.CONTRACT_MANAGER),
        "smg": make_user(Role.SMG),
    }
    ContactFactory(organisation=OrganisationFactory())
    today = D(2026, 12, 4)
    with time_machine.travel(datetime.datetime(2026, 12, 4, 9, tzinfo=LONDON), tick=False):
        seed_procurement(users=users, today=today)
        assert seed_performance(users=users, today=today) == 3
        assert seed_performance(users=users, today=today) == 0
    hub = Contract.objects.get(reference=HUB[0])
    owed = PerformanceAssessment.objects.filter(contract=hub, status=AssessmentStatus.DUE)
    assert owed.count() == 3
    assert {a.period_start for a in owed} == {hub.start_date}
