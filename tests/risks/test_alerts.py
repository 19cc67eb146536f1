import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance.core.models.alerts import Alert, Notification
from governance.core.roles import Role
from governance.core.services import alerts as engine
from risks import alerts, services
from risks.choices import Allocation
from risks.models import Risk
from tests.contracts.register.factories import ContractFactory
from tests.risks.factories import RiskFactory

pytestmark = pytest.mark.django_db


def keys(specs) -> list[str]:
    return [spec.key for spec in specs]


def only_risk_alerts(monkeypatch):
    """Run the sweep with the risk log's providers alone."""
    monkeypatch.setattr(engine, "collect", lambda: ([], list(alerts.PROVIDERS)))


class TestReviewDue:
    @pytest.mark.parametrize(
        ("today", "review_on", "kind"),
        [
            # Five business days ahead, counted from a Monday: due.
            (datetime.date(2027, 6, 7), datetime.date(2027, 6, 14), "due"),
            # Six business days ahead: not yet.
            (datetime.date(2027, 6, 7), datetime.date(2027, 6, 15), None),
            # From a Friday, the weekend after the fifth business day is still within it...
            (datetime.date(2027, 6, 4), datetime.date(2027, 6, 13), "due"),
            # ...the Monday after is the sixth.
            (datetime.date(2027, 6, 4), datetime.date(2027, 6, 14), None),
            # Good Friday and Easter Monday 2027 are not business days: nine calendar
            # days from Monday 22 March are only five business days.
            (datetime.date(2027, 3, 22), datetime.date(2027, 3, 31), "due"),
            (datetime.date(2027, 3, 22), datetime.date(2027, 4, 1), None),
            # Sweeping on a Saturday counts from the Monday.
            (datetime.date(2027, 6, 5), datetime.date(2027, 6, 11), "due"),
            # Due on the day itself; overdue from the day after.
            (datetime.date(2027, 6, 14), datetime.date(2027, 6, 14), "due"),
            (datetime.date(2027, 6, 15), datetime.date(2027, 6, 14), "overdue"),
            (datetime.date(2027, 9, 1), datetime.date(2027, 6, 14), "overdue"),
        ],
    )
    def test_due_and_overdue(self, today, review_on, kind):
        risk = RiskFactory(next_review_date=review_on)
        specs = list(alerts.review_alerts(today))
        if kind is None:
            assert specs == []
        else:
            assert keys(specs) == [f"risk-review-{kind}:{risk.pk}:{review_on.isoformat()}"]
            assert specs[0].users == (risk.owner,)
            assert specs[0].url == risk.get_absolute_url()

    def test_the_sweep_reads_todays_date(self, monkeypatch):
        only_risk_alerts(monkeypatch)
        risk = RiskFactory(next_review_date=datetime.date(2027, 3, 31))
        # Monday before Easter 2027: Good Friday and Easter Monday do not count.
        with time_machine.travel(datetime.datetime(2027, 3, 22, 6, 0), tick=False):
            assert engine.daily_sweep().raised == 1
        alert = Alert.objects.get()
        assert alert.key == f"risk-review-due:{risk.pk}:2027-03-31"
        assert alert.raised_on == datetime.date(2027, 3, 22)
        assert "due for review by 31 March 2027" in alert.body

    def test_closed_risks_are_not_chased(self, make_user):
        risk = RiskFactory(next_review_date=datetime.date(2027, 6, 1))
        officer = make_user(role=Role.CONTRACT_MANAGER)
        risk.contract.lead_officer = officer
        risk.contract.save()
        services.risk_close(risk=risk, actor=officer, reason="Gone")
        assert list(alerts.review_alerts(datetime.date(2027, 6, 10))) == []

    def test_the_sweep_tells_the_owner_once_per_review_date(self, monkeypatch, make_user):
        only_risk_alerts(monkeypatch)
        officer = make_user(role=Role.CONTRACT_MANAGER, email="lead@example.org")
        risk = RiskFactory(next_review_date=datetime.date(2027, 6, 14), owner=officer)
        risk.contract.lead_officer = officer
        risk.contract.save()
        day = datetime.date(2027, 6, 9)
        assert engine.daily_sweep(today=day).raised == 1
        assert engine.daily_sweep(today=day).raised == 0
        assert engine.daily_sweep(today=datetime.date(2027, 6, 10)).raised == 0
        assert list(Notification.objects.values_list("user", flat=True)) == [officer.pk]
        # Overdue is a new occasion; so is the next review date after a review.
        assert engine.daily_sweep(today=datetime.date(2027, 6, 15)).raised == 1
        with time_machine.travel(datetime.datetime(2027, 6, 16, 9, 0), tick=False):
            services.risk_review(
                risk=risk,
                actor=officer,
                reviewed_on=datetime.date(2027, 6, 16),
                likelihood=2,
                impact=2,
                notes="Reviewed late",
            )
        risk.refresh_from_db()
        assert risk.next_review_date == datetime.date(2027, 9, 16)
        assert engine.daily_sweep(today=datetime.date(2027, 9, 10)).raised == 1
        assert sorted(Alert.objects.values_list("kind", flat=True)) == [
            "risk_review_due",
            "risk_review_due",
            "risk_review_overdue",
        ]


class TestTopBand:
    @pytest.fixture
    def people(self, make_user):
        officer = make_user(role=Role.CONTRACT_MANAGER)
        pdms = [make_user(role=Role.PDM), make_user(role=Role.PDM)]
        retired = make_user(role=Role.PDM, is_active=False)
        smg = make_user(role=Role.SMG)
        return officer, pdms, retired, smg

    def raise_risk(self, officer, likelihood=4, impact=5, **kwargs):
        return services.risk_create(
            actor=officer,
            contract=ContractFactory(lead_officer=officer),
            title="Provider insolvency",
            description="The provider's accounts show a large deficit.",
            category="financial",
            level="strategic",
            allocation=Allocation.COMMISSIONER,
            owner=officer,
            inherent_likelihood=5,
            inherent_impact=5,
            residual_likelihood=likelihood,
            residual_impact=impact,
            review_frequency="monthly",
            **kwargs,
        )

    def test_every_active_pdm_is_told_once_per_entry(self, monkeypatch, people):
        only_risk_alerts(monkeypatch)
        officer, pdms = people[:2]  # the retired PDM and the SMG member hear nothing
        with time_machine.travel(datetime.datetime(2027, 6, 1, 9, 0), tick=False):
            risk = self.raise_risk(officer)
        day = datetime.date(2027, 6, 2)
        first = engine.daily_sweep(today=day)
        assert (first.raised, first.notifications) == (1, 2)
        alert = Alert.objects.get(kind="risk_top_band")
        assert alert.key.startswith(f"risk-top-band:{risk.pk}:20270601")
        assert set(alert.notifications.values_list("user", flat=True)) == {p.pk for p in pdms}
        assert engine.daily_sweep(today=day).raised == 0
        # Down out of the band and back in: a new entry, a new alert.
        with time_machine.travel(datetime.datetime(2027, 6, 3, 9, 0), tick=False):
            services.risk_review(
                risk=risk,
                actor=officer,
                reviewed_on=datetime.date(2027, 6, 3),
                likelihood=2,
                impact=5,
                notes="Rescue funding agreed",
            )
        assert list(alerts.top_band_alerts(datetime.date(2027, 6, 3))) == []
        with time_machine.travel(datetime.datetime(2027, 6, 10, 9, 0), tick=False):
            services.risk_review(
                risk=risk,
                actor=officer,
                reviewed_on=datetime.date(2027, 6, 10),
                likelihood=5,
                impact=5,
                notes="Rescue funding withdrawn",
            )
        assert engine.daily_sweep(today=datetime.date(2027, 6, 11)).raised == 1
        assert Alert.objects.filter(kind="risk_top_band").count() == 2

    def test_below_the_band_or_closed_tells_no_one(self, people):
        officer = people[0]
        self.raise_risk(officer, likelihood=4, impact=4)  # 16: high, not very high
        closed = self.raise_risk(officer)
        services.risk_close(risk=closed, actor=officer, reason="Provider replaced")
        assert list(alerts.top_band_alerts(datetime.date(2027, 6, 2))) == []

    def test_the_band_setting_is_honoured(self, settings, people):
        officer = people[0]
        settings.RISK_BANDS = [
            ("low", "Low", 1, 4),
            ("medium", "Medium", 5, 9),
            ("critical", "Critical", 10, 25),
        ]
        risk = self.raise_risk(officer, likelihood=3, impact=4)
        specs = list(alerts.top_band_alerts(datetime.date(2027, 6, 2)))
        assert [spec.key.split(":")[1] for spec in specs] == [str(risk.pk)]
        assert specs[0].subject.startswith("Critical risk")


class TestConstantQueries:
    def sweep_queries(self, day) -> int:
        with CaptureQueriesContext(connection) as queries:
            for provider in alerts.PROVIDERS:
                list(provider(day))
        return len(queries)

    def test_providers_cost_the_same_for_ten_times_the_risks(self, make_user):
        make_user(role=Role.PDM)
        due = datetime.date(2027, 6, 14)

        def make(count):
            for _ in range(count):
                RiskFactory(
                    next_review_date=due,
                    inherent_likelihood=5,
                    inherent_impact=5,
                    residual_likelihood=5,
                    residual_impact=5,
                )
            # Factories bypass the services: mark the entry as a service would.
            Risk.objects.update(top_band_since=datetime.datetime(2027, 6, 1, tzinfo=datetime.UTC))

        make(3)
        few = self.sweep_queries(datetime.date(2027, 6, 10))
        make(27)
        assert self.sweep_queries(datetime.date(2027, 6, 10)) == few
        assert len(list(alerts.review_alerts(datetime.date(2027, 6, 10)))) == 30
        assert len(list(alerts.top_band_alerts(datetime.date(2027, 6, 10)))) == 30
