"""The Procurement Act 2023's "done when", seen in the seeded demo on 4 December 2026
through the pages and downloads a user would use: a contract under the Act over £5m
with its KPI duty met, a UK9 assessment due, a variation owing a change notice and one
not, an ended contract owing its termination notice and the authority's payments
compliance notice for the last half-year; each notice downloads as an OCDS release
package that validates, and the dashboard's statutory panel counts what the register
lists."""

import datetime
import json
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from contracts.procurement.choices import NoticeKind
from contracts.procurement.models import Notice
from contracts.procurement.ocds.schema import release_package_errors
from contracts.procurement.performance.choices import OPEN_ASSESSMENT_STATUSES
from contracts.register.models.contracts import Contract
from governance.core.models.base import User
from governance.dashboard import cache as dashboard_cache
from governance.demo.procurement import HUB, OUTREACH

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2026, 12, 4, 10, 0, tzinfo=LONDON)


def download(client, notice) -> dict:
    response = client.get(reverse("contracts:notice_ocds", args=[notice.pk]))
    assert response.status_code == 200, notice
    package = json.loads(response.content)
    assert release_package_errors(package) == [], notice
    return package


def test_the_demo_shows_every_procurement_act_duty(client, monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    with time_machine.travel(NOW, tick=False):
        call_command("seed_demo")
        smg = User.objects.get(username="smg")
        client.force_login(smg)
        hub = Contract.objects.get(reference=HUB[0])
        assert hub.total_value > 5_000_000

        tab = client.get(reverse("contracts:contract_procurement", args=[hub.pk]))
        assert tab.status_code == 200
        assert tab.context["kpi_duty"]["met"]
        required = {c.variation.number: c.notice_required for c in tab.context["classifications"]}
        assert required == {1: False, 2: True}

        assessments = client.get(
            reverse("contracts:performanceassessment_list") + f"?q={hub.reference}"
        )
        due = [
            a
            for a in assessments.context["page"].object_list
            if a.contract_id == hub.pk
            and a.status in OPEN_ASSESSMENT_STATUSES
            and a.due_on <= NOW.date() + datetime.timedelta(days=30)
        ]
        assert due, "a UK9 assessment of the hub's published KPIs is due within the month"

        register = reverse("contracts:notice_list")
        ended = Contract.objects.get(reference=OUTREACH[0])
        uk11 = client.get(register + f"?kind={NoticeKind.TERMINATION}&owed=true")
        [termination] = [n for n in uk11.context["page"].object_list if n.contract_id == ended.pk]
        change = Notice.objects.get(contract=hub, kind=NoticeKind.CHANGE)
        details = Notice.objects.get(contract=hub, kind=NoticeKind.CONTRACT_DETAILS)

        listed = client.get(register + f"?kind={NoticeKind.PAYMENTS_COMPLIANCE}")
        payments = {n.period_end: n for n in listed.context["page"].object_list}
        last_half_year = payments[datetime.date(2026, 9, 30)]
        assert last_half_year.contract is None
        assert last_half_year.period_start == datetime.date(2026, 4, 1)
        page = client.get(last_half_year.get_absolute_url())
        assert 'data-testid="payment-figures"' in page.content.decode()

        for notice in (details, change, termination, last_half_year):
            package = download(client, notice)
            assert package["releases"]
        covered = download(client, last_half_year)["releases"]
        assert any(r["contracts"][0]["id"] == hub.reference for r in covered)

        dashboard_cache.invalidate()
        board = client.get(reverse("governance:dashboard"))
        panel = board.context["board"].panels["statutory"]
        for figure in panel["figures"]:
            rows = client.get(figure["url"]).context["page"].paginator.count
            assert rows == figure["count"], figure["label"]
        owed = {f["label"]: f["count"] for f in panel["figures"]}["Notices owed"]
        assert owed == Notice.objects.open().count() > 0
