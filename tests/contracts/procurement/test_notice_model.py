"""The shared notice model: owed once per duty, one status machine, SMG approves and
never the person who drafted it, published only with its identifier and date."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from contracts.procurement.choices import NoticeKind, NoticeStatus, Regime
from contracts.procurement.models import ContractProcurement, Notice
from contracts.procurement.services import (
    allowed_steps,
    is_act_contract,
    notice_code,
    notice_owe,
    notice_transition,
    owes_duty,
)
from governance.core.roles import Role
from tests.contracts.procurement.factories import (
    ContractProcurementFactory,
    act_contract,
    publish_notice,
)
from tests.contracts.register.factories import ContractFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user):
    manager = make_user(Role.CONTRACT_MANAGER)
    return {
        "manager": manager,
        "smg": make_user(Role.SMG),
        "smg2": make_user(Role.SMG),
        "provider": make_user(Role.PROVIDER),
        "auditor": make_user(Role.AUDITOR),
    }


@pytest.fixture
def contract(people):
    return act_contract(lead_officer=people["manager"])


def owe(contract, **kwargs):
    defaults = {
        "kind": NoticeKind.CONTRACT_DETAILS,
        "due_on": datetime.date(2025, 4, 19),
        "reason": "Contract details notice owed",
    }
    return notice_owe(contract=contract, **{**defaults, **kwargs})


def test_owing_twice_creates_one_notice(contract):
    first, created = owe(contract)
    again, created_again = owe(contract, due_on=datetime.date(2030, 1, 1))
    assert created and not created_again
    assert again.pk == first.pk
    assert again.due_on == datetime.date(2025, 4, 19)
    assert Notice.objects.filter(contract=contract).count() == 1
    assert first.history.count() == 1


def test_different_keys_are_different_duties(contract):
    owe(contract, kind=NoticeKind.CHANGE, key="variation-1")
    owe(contract, kind=NoticeKind.CHANGE, key="variation-2")
    assert Notice.objects.filter(contract=contract, kind=NoticeKind.CHANGE).count() == 2


def test_notice_remembers_what_it_is_about(contract):
    notice, _ = owe(contract, kind=NoticeKind.TERMINATION, source=contract)
    assert Notice.objects.get(pk=notice.pk).source == contract


def test_contracts_without_a_procurement_record_are_under_the_earlier_regime():
    contract = ContractFactory()
    assert not is_act_contract(contract)
    assert not owes_duty(contract, "uk7")


def test_flags_switch_off_the_duties_the_setting_names(contract, settings):
    contract.procurement.framework = True
    contract.procurement.save()
    contract.refresh_from_db()
    assert not owes_duty(contract, "kpi")
    assert owes_duty(contract, "uk7")
    settings.PROCUREMENT_DUTY_EXEMPT_FLAGS = {"kpi": [], "uk7": ["framework"]}
    assert owes_duty(contract, "kpi")
    assert not owes_duty(contract, "uk7")


def test_a_procurement_started_before_the_act_cannot_be_under_it():
    record = ContractProcurementFactory.build(
        contract=ContractFactory(), procurement_started_on=datetime.date(2025, 2, 23)
    )
    with pytest.raises(ValidationError) as refused:
        record.full_clean()
    assert "stays under the earlier regime" in refused.value.message_dict["regime"][0]
    record.procurement_started_on = datetime.date(2025, 2, 24)
    record.full_clean()


def test_the_act_needs_the_date_the_procurement_started():
    record = ContractProcurement(
        contract=ContractFactory(), regime=Regime.ACT_2023, procurement_started_on=None
    )
    with pytest.raises(ValidationError) as refused:
        record.full_clean()
    assert "procurement_started_on" in refused.value.message_dict


def test_payments_compliance_code_is_a_setting(settings):
    assert notice_code(NoticeKind.CHANGE) == "UK10"
    settings.PROCUREMENT_PAYMENTS_COMPLIANCE_CODE = "UK8"
    assert notice_code(NoticeKind.PAYMENTS_COMPLIANCE) == "UK8"


@time_machine.travel(datetime.datetime(2025, 4, 10, 12, 0), tick=False)
def test_the_full_life_of_a_notice(contract, people):
    notice, _ = owe(contract)
    publish_notice(
        notice,
        author=people["manager"],
        approver=people["smg"],
        published_on=datetime.date(2025, 4, 10),
        identifier="2025/S 000-012345",
    )
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.PUBLISHED
    assert notice.approved_by == people["smg"]
    reasons = [row.history_change_reason for row in notice.history.order_by("history_id")]
    assert reasons[-1] == "Published on Find a Tender as 2025/S 000-012345"
    assert [row.history_user for row in notice.history.order_by("history_id")][1:] == [
        people["manager"],
        people["smg"],
        people["manager"],
    ]


def test_only_smg_approves(contract, people):
    notice, _ = owe(contract)
    notice_transition(notice=notice, to=NoticeStatus.DRAFTED, actor=people["manager"], summary="x")
    for who in ("manager", "auditor", "provider"):
        with pytest.raises(ValidationError, match="Senior Management Group"):
            notice_transition(notice=notice, to=NoticeStatus.APPROVED, actor=people[who])
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.DRAFTED


def test_nobody_approves_a_notice_they_drafted(contract, people):
    smg_officer = people["smg"]
    smg_officer.groups.add(*people["manager"].groups.all())
    contract.deputy_officer = smg_officer
    contract.save()
    notice, _ = owe(contract)
    notice_transition(notice=notice, to=NoticeStatus.DRAFTED, actor=smg_officer, summary="x")
    notice = Notice.objects.get(pk=notice.pk)
    assert NoticeStatus.APPROVED not in allowed_steps(notice, smg_officer)
    with pytest.raises(ValidationError, match="You drafted this notice"):
        notice_transition(notice=notice, to=NoticeStatus.APPROVED, actor=smg_officer)
    notice_transition(notice=notice, to=NoticeStatus.APPROVED, actor=people["smg2"])


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"fts_identifier": "", "published_on": datetime.date(2025, 4, 10)}, "fts_identifier"),
        ({"fts_identifier": "2025/S 000-1", "published_on": None}, "published_on"),
    ],
)
@time_machine.travel(datetime.datetime(2025, 4, 10, 12, 0), tick=False)
def test_published_needs_its_identifier_and_date(contract, people, fields, field):
    notice, _ = owe(contract)
    notice_transition(notice=notice, to=NoticeStatus.DRAFTED, actor=people["manager"], summary="x")
    notice_transition(notice=notice, to=NoticeStatus.APPROVED, actor=people["smg"])
    with pytest.raises(ValidationError) as refused:
        notice_transition(
            notice=notice, to=NoticeStatus.PUBLISHED, actor=people["manager"], **fields
        )
    assert field in refused.value.message_dict
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.APPROVED


def test_the_database_refuses_a_published_notice_without_identifier(contract):
    notice, _ = owe(contract)
    notice.status = NoticeStatus.PUBLISHED
    with pytest.raises(ValidationError):
        notice.full_clean()


def test_a_notice_cannot_skip_approval(contract, people):
    notice, _ = owe(contract)
    with pytest.raises(ValidationError, match="cannot become published"):
        notice_transition(
            notice=notice,
            to=NoticeStatus.PUBLISHED,
            actor=people["manager"],
            fts_identifier="x",
            published_on=datetime.date(2025, 4, 1),
        )


def test_not_required_needs_a_reason(contract, people):
    notice, _ = owe(contract)
    with pytest.raises(ValidationError) as refused:
        notice_transition(
            notice=notice,
            to=NoticeStatus.NOT_REQUIRED,
            actor=people["manager"],
            not_required_reason=" ",
        )
    assert "not_required_reason" in refused.value.message_dict
    notice_transition(
        notice=notice,
        to=NoticeStatus.NOT_REQUIRED,
        actor=people["manager"],
        not_required_reason="Awarded under a framework",
    )
    notice.refresh_from_db()
    assert notice.history.first().history_change_reason == "Awarded under a framework"


def test_only_the_contracts_officers_draft(contract, make_user, people):
    other_manager = make_user(Role.CONTRACT_MANAGER)
    notice, _ = owe(contract)
    for actor in (other_manager, people["provider"], people["auditor"]):
        with pytest.raises(ValidationError, match="lead or deputy officer"):
            notice_transition(notice=notice, to=NoticeStatus.DRAFTED, actor=actor, summary="x")


def test_providers_see_only_their_own_contracts_notices(contract, people, make_user):
    owe(contract)
    other = act_contract()
    owe(other)
    provider = people["provider"]
    provider.organisation = contract.provider
    provider.save()
    assert list(Notice.objects.restrict(provider).values_list("contract", flat=True)) == [
        contract.pk
    ]
    assert Notice.objects.restrict(people["auditor"]).count() == 2
    assert Notice.objects.restrict(people["auditor"], "change").count() == 0
