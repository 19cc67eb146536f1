"""Notice reminders on the right days (10 business days ahead, across weekends and bank
holidays; overdue from the day after), each sent once; and the SMG dashboard's
statutory panel, whose every figure is the number of rows its link lists."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from contracts.procurement.alerts import PROVIDERS, notices_due, notices_overdue
from contracts.procurement.choices import NoticeKind, NoticeStatus
from contracts.procurement.services import notice_transition
from governance.core.models.alerts import Alert
from governance.core.roles import Role
from governance.core.services.alerts import daily_sweep
from governance.dashboard import cache as dashboard_cache
from tests.contracts.procurement.factories import NoticeFactory, act_contract

pytestmark = pytest.mark.django_db
D = datetime.date


def on(day: D):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(6)), tick=False)


def keys(provider, day: D) -> set[str]:
    with on(day):
        return {spec.key for spec in provider(day)}


@pytest.fixture
def lead(make_user):
    return make_user(Role.CONTRACT_MANAGER)


def test_due_reminder_opens_ten_business_days_ahead(lead):
    # Due Friday 18 December 2026: ten business days ahead is Friday 4 December.
    notice = NoticeFactory(contract=act_contract(lead_officer=lead), due_on=D(2026, 12, 18))
    key = f"notice-due:{notice.pk}:2026-12-18"
    assert key not in keys(notices_due, D(2026, 12, 3))
    assert key in keys(notices_due, D(2026, 12, 4))
    assert key in keys(notices_due, D(2026, 12, 18))
    assert key not in keys(notices_due, D(2026, 12, 19))


def test_bank_holidays_do_not_count_towards_the_ten_days(lead):
    # Due Monday 4 January 2027: 25 and 28 December and 1 January are bank holidays, so
    # the reminder opens on Wednesday 16 December rather than the Friday before.
    notice = NoticeFactory(contract=act_contract(lead_officer=lead), due_on=D(2027, 1, 4))
    key = f"notice-due:{notice.pk}:2027-01-04"
    assert key not in keys(notices_due, D(2026, 12, 15))
    assert key in keys(notices_due, D(2026, 12, 16))


def test_overdue_from_the_day_after_and_only_while_owed(lead, make_user):
    contract = act_contract(lead_officer=lead)
    notice = NoticeFactory(contract=contract, due_on=D(2026, 12, 4))
    key = f"notice-overdue:{notice.pk}:2026-12-04"
    assert key not in keys(notices_overdue, D(2026, 12, 4))
    assert key in keys(notices_overdue, D(2026, 12, 5))
    notice_transition(
        notice=notice,
        to=NoticeStatus.NOT_REQUIRED,
        actor=lead,
        not_required_reason="Awarded under a framework",
    )
    assert key not in keys(notices_overdue, D(2026, 12, 7))


def test_the_sweep_tells_the_officers_once(lead, make_user):
    deputy = make_user(Role.CONTRACT_MANAGER)
    notice = NoticeFactory(
        contract=act_contract(lead_officer=lead, deputy_officer=deputy), due_on=D(2026, 12, 10)
    )
    for _ in range(2):
        with on(D(2026, 12, 4)):
            daily_sweep(today=D(2026, 12, 4))
    alert = Alert.objects.get(key=f"notice-due:{notice.pk}:2026-12-10")
    assert set(alert.notifications.values_list("user", flat=True)) == {lead.pk, deputy.pk}
    assert "Due" in alert.subject or "due" in alert.subject


def test_the_authority_payments_notice_reminds_smg_once_and_shows_on_the_register(
    lead, make_user, login
):
    smg, other_smg = make_user(Role.SMG), make_user(Role.SMG)
    notice = NoticeFactory(
        contract=None,
        kind=NoticeKind.PAYMENTS_COMPLIANCE,
        key="half-year-2026-04-01-2026-09-30",
        due_on=D(2026, 10, 30),
        period_start=D(2026, 4, 1),
        period_end=D(2026, 9, 30),
    )
    for day in (D(2026, 10, 30), D(2026, 10, 30), D(2026, 11, 2), D(2026, 11, 3)):
        with on(day):
            daily_sweep(today=day)
    due = Alert.objects.get(key=f"notice-due:{notice.pk}:2026-10-30")
    overdue = Alert.objects.get(key=f"notice-overdue:{notice.pk}:2026-10-30")
    for alert in (due, overdue):
        assert set(alert.notifications.values_list("user", flat=True)) == {smg.pk, other_smg.pk}
        assert "all contracts, 1 April 2026 to 30 September 2026" in alert.subject
    assert Alert.objects.filter(key__contains=f":{notice.pk}:").count() == 2
    # Any of the commissioner's staff prepares it; SMG approves it.
    notice_transition(notice=notice, to=NoticeStatus.DRAFTED, actor=lead, summary="Figures")
    notice_transition(notice=notice, to=NoticeStatus.APPROVED, actor=smg)
    with on(D(2026, 11, 3)):
        csv = login(lead).get(reverse("contracts:notice_list") + "?export=csv")
    body = b"".join(csv.streaming_content) if csv.streaming else csv.content
    assert "All contracts" in body.decode()


def test_the_providers_are_registered_with_the_engine():
    from contracts.alerts import PREPARE
    from contracts.alerts import PROVIDERS as CONTRACT_PROVIDERS
    from contracts.procurement.services import notices_sweep

    assert set(PROVIDERS) <= set(CONTRACT_PROVIDERS)
    assert notices_sweep in PREPARE


NOW = datetime.datetime(2026, 12, 4, 10, 0)


@time_machine.travel(NOW, tick=False)
def test_dashboard_panel_counts_match_the_register(lead, make_user, login):
    contract = act_contract(lead_officer=lead)
    NoticeFactory(contract=contract, due_on=D(2026, 12, 1))  # overdue
    NoticeFactory(contract=contract, due_on=D(2026, 12, 20))  # owed
    on_time = NoticeFactory(contract=contract, due_on=D(2026, 11, 20))
    late = NoticeFactory(contract=contract, due_on=D(2026, 11, 1))
    smg = make_user(Role.SMG)
    for notice, published in ((on_time, D(2026, 11, 19)), (late, D(2026, 11, 3))):
        with on(published):
            notice_transition(notice=notice, to=NoticeStatus.DRAFTED, actor=lead, summary="x")
            notice_transition(notice=notice, to=NoticeStatus.APPROVED, actor=smg)
        notice_transition(
            notice=notice,
            to=NoticeStatus.PUBLISHED,
            actor=lead,
            fts_identifier=f"2026/S 000-{notice.pk}",
            published_on=published,
        )
    NoticeFactory(kind=NoticeKind.CHANGE, due_on=D(2026, 12, 1))  # another contract's
    # The authority's payments compliance notice, overdue: counted for SMG, on no
    # officer's own view.
    NoticeFactory(
        contract=None,
        kind=NoticeKind.PAYMENTS_COMPLIANCE,
        due_on=D(2026, 10, 30),
        period_start=D(2026, 4, 1),
        period_end=D(2026, 9, 30),
    )
    dashboard_cache.invalidate()
    client = login(smg)
    response = client.get(reverse("governance:dashboard"))
    panel = response.context["board"].panels["statutory"]
    counts = {figure["label"]: figure["count"] for figure in panel["figures"]}
    assert counts == {"Notices owed": 4, "Overdue": 3, "Published on time in 2026": 1}
    assert 'data-testid="statutory"' in response.content.decode()
    for figure in panel["figures"]:
        listed = client.get(figure["url"])
        assert listed.context["page"].paginator.count == figure["count"], figure["label"]
    # A contract manager's own view counts their own contracts only.
    mine = login(lead).get(reverse("governance:dashboard") + "?scope=mine")
    own = {f["label"]: f["count"] for f in mine.context["board"].panels["statutory"]["figures"]}
    assert own == {"Notices owed": 2, "Overdue": 1, "Published on time in 2026": 1}
