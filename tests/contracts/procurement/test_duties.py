"""The Act's duties as dates and rules: the KPI duty at activation, the contract details
notice, change notice classification at its exact boundaries, the voluntary standstill
across bank holidays, and termination notices for every way a contract ends. Time is
frozen for every date."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from contracts.procurement.choices import (
    ContractKind,
    EndingReason,
    ExemptionStatus,
    NoticeKind,
    NoticeStatus,
    Regime,
)
from contracts.procurement.models import ChangeClassification, ContractEnding, Notice
from contracts.procurement.services import (
    change_notice_record,
    changes,
    ending_record,
    kpi_duty_status,
    kpi_exemption_decide,
    kpi_exemption_request,
    notice_transition,
    notices_sweep,
    standstill_earliest_end,
    waiting_changes_sweep,
)
from contracts.register.choices import ContractStatus
from contracts.register.models.contracts import Contract
from contracts.register.services import contracts as contract_services
from governance.core.roles import Role
from tests.contracts.exit.exit_factories import PostContractReviewFactory
from tests.contracts.performance.kpi_factories import ContractKpiFactory
from tests.contracts.procurement.factories import act_contract, publish_notice

pytestmark = pytest.mark.django_db
D = datetime.date


def on(day: D):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(9)), tick=False)


@pytest.fixture
def people(make_user):
    return {
        "lead": make_user(Role.CONTRACT_MANAGER),
        "deputy": make_user(Role.CONTRACT_MANAGER),
        "smg": make_user(Role.SMG),
        "smg2": make_user(Role.SMG),
    }


def draft_act_contract(people, *, value="6000000", kpis=0, published=0, **procurement):
    contract = act_contract(
        lead_officer=people["lead"],
        deputy_officer=people["deputy"],
        status=ContractStatus.DRAFT,
        total_value=Decimal(value),
        **{f"procurement__{k}": v for k, v in procurement.items()},
    )
    for index in range(kpis):
        ContractKpiFactory(contract=contract, is_key_indicator=index < published)
    return contract


def activate(contract, actor):
    return contract_services.contract_transition(
        contract=contract, to_status=ContractStatus.ACTIVE, actor=actor, reason="Signed"
    )


# -- The KPI duty ------------------------------------------------------------------------


@on(D(2026, 12, 4))
@pytest.mark.parametrize(
    ("kpis", "published", "message"),
    [
        (2, 2, "needs at least 3 KPIs: it has 2"),
        (3, 2, "Mark the 3 most material KPIs for publication"),
    ],
)
def test_missing_kpis_block_activation(people, kpis, published, message):
    contract = draft_act_contract(people, kpis=kpis, published=published)
    with pytest.raises(ValidationError) as refused:
        activate(contract, people["lead"])
    assert any(message in text for text in refused.value.messages)
    contract.refresh_from_db()
    assert contract.status == ContractStatus.DRAFT
    assert not Notice.objects.filter(contract=contract).exists()


@on(D(2026, 12, 4))
def test_duty_met_activates_and_owes_the_contract_details_notice(people):
    contract = draft_act_contract(people, kpis=4, published=3, entered_into_on=D(2026, 11, 27))
    assert kpi_duty_status(contract)["met"]
    activate(contract, people["lead"])
    notice = Notice.objects.get(contract=contract)
    assert notice.kind == NoticeKind.CONTRACT_DETAILS
    # 30 calendar days after entry, as the Act counts them: a Sunday due date stands.
    assert notice.due_on == D(2026, 12, 27)
    assert notice.due_on.weekday() == 6


@on(D(2026, 12, 4))
def test_the_duty_applies_only_above_the_threshold(people, settings):
    at_threshold = draft_act_contract(people, value="5000000")
    assert not kpi_duty_status(at_threshold)["applies"]
    activate(at_threshold, people["lead"])
    settings.PROCUREMENT_KPI_DUTY_THRESHOLD = 4_000_000
    assert kpi_duty_status(at_threshold)["applies"]


@on(D(2026, 12, 4))
def test_the_earlier_regime_and_exempting_flags_switch_the_duty_off(people):
    earlier = draft_act_contract(
        people, regime=Regime.EARLIER, procurement_started_on=None, entered_into_on=None
    )
    activate(earlier, people["lead"])
    assert not Notice.objects.filter(contract=earlier).exists()
    framework = draft_act_contract(people, framework=True)
    assert not kpi_duty_status(framework)["applies"]
    activate(framework, people["lead"])


@on(D(2026, 12, 4))
def test_activation_needs_the_date_the_contract_was_entered_into(people):
    contract = draft_act_contract(people, kpis=3, published=3, entered_into_on=None)
    with pytest.raises(ValidationError, match="date the contract was entered into"):
        activate(contract, people["lead"])


@on(D(2026, 12, 4))
def test_an_exemption_recorded_by_smg_lets_the_contract_activate(people):
    contract = draft_act_contract(people)
    exemption = kpi_exemption_request(
        contract=contract, actor=people["lead"], reason="A call-off with its own KPIs."
    )
    with pytest.raises(ValidationError):
        activate(contract, people["lead"])  # asked for, not yet recorded
    with pytest.raises(ValidationError, match="Senior Management Group"):
        kpi_exemption_decide(exemption=exemption, actor=people["deputy"], approve=True)
    kpi_exemption_decide(exemption=exemption, actor=people["smg"], approve=True)
    exemption.refresh_from_db()
    assert exemption.status == ExemptionStatus.APPROVED
    activate(contract, people["lead"])


def test_nobody_records_an_exemption_they_asked_for(people):
    people["smg"].groups.add(*people["lead"].groups.all())
    contract = draft_act_contract(people)
    contract.deputy_officer = people["smg"]
    contract.save()
    exemption = kpi_exemption_request(contract=contract, actor=people["smg"], reason="Reason")
    with pytest.raises(ValidationError, match="You asked for this exemption"):
        kpi_exemption_decide(exemption=exemption, actor=people["smg"], approve=True)
    with pytest.raises(ValidationError) as refused:
        kpi_exemption_decide(exemption=exemption, actor=people["smg2"], approve=False, notes="")
    assert "notes" in refused.value.message_dict
    kpi_exemption_decide(exemption=exemption, actor=people["smg2"], approve=False, notes="No")


# -- Change notices (UK10) ---------------------------------------------------------------


def vary(contract, people, **changes):
    variation = contract_services.variation_propose(
        contract=contract,
        actor=people["lead"],
        summary="Change",
        justification="Demand has changed.",
        requested_by="commissioner",
        **changes,
    )
    return contract_services.variation_approve(variation=variation, actor=people["smg"])


def live_contract(people, kind=ContractKind.SERVICES, **fields):
    defaults = {
        "lead_officer": people["lead"],
        "deputy_officer": people["deputy"],
        "total_value": Decimal("1000000.00"),
        "original_total_value": Decimal("1000000.00"),
        "start_date": D(2025, 4, 1),
        "initial_end_date": D(2028, 3, 31),
        "procurement__kind": kind,
    }
    return act_contract(**{**defaults, **fields})


@on(D(2026, 12, 4))
@pytest.mark.parametrize(
    ("kind", "new_value", "required"),
    [
        (ContractKind.SERVICES, "1100000.00", False),  # exactly 10%
        (ContractKind.SERVICES, "1100000.01", True),
        (ContractKind.GOODS, "900000.00", False),  # exactly 10% down
        (ContractKind.GOODS, "899999.99", True),
        (ContractKind.WORKS, "1150000.00", False),  # exactly 15%
        (ContractKind.WORKS, "1150000.01", True),
        (ContractKind.WORKS, "1120000.00", False),
    ],
)
def test_value_changes_are_classified_at_the_exact_boundaries(people, kind, new_value, required):
    contract = live_contract(people, kind=kind)
    variation = vary(contract, people, new_total_value=Decimal(new_value))
    classification = ChangeClassification.objects.get(variation=variation)
    assert classification.notice_required is required
    assert classification.value_threshold_percent == (15 if kind == ContractKind.WORKS else 10)
    notices = Notice.objects.filter(contract=contract, kind=NoticeKind.CHANGE)
    assert notices.exists() is required
    if required:
        # Published before the change takes effect: due the day it is approved.
        assert notices.get().due_on == D(2026, 12, 4)


@on(D(2026, 12, 4))
def test_term_changes_are_classified_at_the_boundary(people):
    # The original term is 1,095 days: 10% is 109.5 days.
    within = live_contract(people)
    variation = vary(within, people, new_end_date=D(2028, 3, 31) + datetime.timedelta(days=109))
    assert not variation.change_classification.notice_required
    beyond = live_contract(people)
    variation = vary(beyond, people, new_end_date=D(2028, 3, 31) + datetime.timedelta(days=110))
    classification = ChangeClassification.objects.get(variation=variation)
    assert classification.notice_required
    assert classification.term_change_percent == Decimal("10.05")
    assert "term" in classification.explanation


@on(D(2026, 12, 4))
def test_changes_are_cumulative_against_the_original_terms(people):
    contract = live_contract(people)
    first = vary(contract, people, new_total_value=Decimal("1060000.00"))
    assert not ChangeClassification.objects.get(variation=first).notice_required
    second = vary(contract, people, new_total_value=Decimal("1120000.00"))
    classification = ChangeClassification.objects.get(variation=second)
    assert classification.notice_required
    assert classification.value_change_percent == Decimal("12.00")


@on(D(2026, 12, 4))
def test_earlier_regime_variations_are_not_classified_and_refuse_a_change_notice(people):
    contract = live_contract(people, procurement__regime=Regime.EARLIER)
    variation = vary(contract, people, new_total_value=Decimal("2000000.00"))
    assert not ChangeClassification.objects.filter(variation=variation).exists()
    with pytest.raises(ValidationError, match="earlier regime"):
        change_notice_record(variation=variation, actor=people["lead"])
    assert not Notice.objects.filter(contract=contract).exists()


@on(D(2026, 12, 16))
def test_a_voluntary_standstill_lasts_eight_working_days_around_christmas(people):
    # From Thursday 17 December 2026: 25 and 28 December are bank holidays.
    assert standstill_earliest_end(D(2026, 12, 17)) == D(2026, 12, 31)
    contract = live_contract(people)
    variation = vary(contract, people, new_total_value=Decimal("1050000.00"))
    with pytest.raises(ValidationError) as refused:
        change_notice_record(
            variation=variation,
            actor=people["lead"],
            standstill_starts_on=D(2026, 12, 17),
            standstill_ends_on=D(2026, 12, 30),
        )
    assert "31 December 2026 at the earliest" in refused.value.message_dict["standstill_ends_on"][0]
    assert not Notice.objects.filter(contract=contract).exists()
    notice = change_notice_record(
        variation=variation,
        actor=people["lead"],
        standstill_starts_on=D(2026, 12, 17),
        standstill_ends_on=D(2026, 12, 31),
    )
    classification = ChangeClassification.objects.get(variation=variation)
    assert classification.voluntary_notice
    assert notice.due_on == D(2026, 12, 17)


@on(D(2026, 12, 16))
def test_a_standstill_needs_both_dates(people):
    contract = live_contract(people)
    variation = vary(contract, people, new_total_value=Decimal("1050000.00"))
    with pytest.raises(ValidationError) as refused:
        change_notice_record(
            variation=variation, actor=people["lead"], standstill_starts_on=D(2026, 12, 17)
        )
    assert "standstill_ends_on" in refused.value.message_dict


# -- A change that needs a notice waits for it (s.75) ------------------------------------


def change_notice_of(variation):
    return Notice.objects.get(kind=NoticeKind.CHANGE, key=f"variation-{variation.pk}")


def publish(notice, people, on_day):
    publish_notice(notice, author=people["lead"], approver=people["smg2"], published_on=on_day)


def terms(contract):
    contract.refresh_from_db()
    return contract.total_value, contract.initial_end_date, contract.current_end_date


@on(D(2026, 12, 4))
def test_a_change_needing_a_notice_waits_until_it_is_published(people):
    contract = live_contract(people)
    before = terms(contract)
    variation = vary(
        contract, people, new_total_value=Decimal("1200000.00"), new_end_date=D(2028, 9, 30)
    )
    variation.refresh_from_db()
    assert variation.is_waiting and variation.applied_at is None
    assert terms(contract) == before
    # Classified against the terms it will set, not the ones it has not yet changed.
    classification = variation.change_classification
    assert classification.notice_required
    assert classification.value_change_percent == Decimal("20.00")
    [hold] = contract_services.variation_holds(variation)
    assert "published on Find a Tender" in hold
    # The sweep lets nothing through while the notice is unpublished.
    assert waiting_changes_sweep()["variations took effect"] == 0
    assert terms(contract) == before

    publish(change_notice_of(variation), people, D(2026, 12, 4))
    variation.refresh_from_db()
    assert not variation.is_waiting
    assert terms(contract) == (Decimal("1200000.00"), D(2028, 9, 30), D(2028, 9, 30))
    assert variation.cumulative_value_change_percent == Decimal("20.00")
    assert variation.cumulative_term_change_months == 6
    latest = contract.history.first()
    assert latest.history_user_id == people["lead"].pk
    assert latest.history_change_reason == f"Variation {variation.reference} took effect: Change"
    assert (
        variation.history.first().history_change_reason
        == "Took effect: its change notice was published as 2026/S 000-012345"
    )


def published_with_a_standstill(people):
    """A +20% change proposed on 16 December 2026, its notice published on the 17th with
    a voluntary standstill to the 31st."""
    with on(D(2026, 12, 16)):
        contract = live_contract(people)
        variation = vary(contract, people, new_total_value=Decimal("1200000.00"))
        change_notice_record(
            variation=variation,
            actor=people["lead"],
            standstill_starts_on=D(2026, 12, 17),
            standstill_ends_on=D(2026, 12, 31),
        )
    with on(D(2026, 12, 17)):
        publish(change_notice_of(variation), people, D(2026, 12, 17))
    return contract, variation


def test_a_standstill_holds_the_change_until_the_day_after_it_ends(people):
    contract, variation = published_with_a_standstill(people)
    before = (Decimal("1000000.00"), D(2028, 3, 31), D(2028, 3, 31))
    assert terms(contract) == before
    with on(D(2026, 12, 17)):
        variation.refresh_from_db()
        assert variation.is_waiting
        assert contract_services.variation_holds(variation) == [
            "It takes effect after the voluntary standstill ends on 31 December 2026."
        ]
    # Its last day, a Thursday: still held.
    with on(D(2026, 12, 31)):
        assert waiting_changes_sweep()["variations took effect"] == 0
        assert terms(contract) == before
    # New Year's Day, a bank holiday: the standstill is over, so the sweep applies it.
    with on(D(2027, 1, 1)):
        assert waiting_changes_sweep()["variations took effect"] == 1
        assert waiting_changes_sweep()["variations took effect"] == 0
        assert terms(contract)[0] == Decimal("1200000.00")
        variation.refresh_from_db()
        assert variation.applied_at is not None
        assert "standstill has ended" in variation.history.first().history_change_reason


def test_the_sweep_judges_the_standstill_on_the_day_it_runs_for(people):
    contract, _ = published_with_a_standstill(people)
    with on(D(2026, 12, 17)):
        # Run for the day the standstill ends: held; for the day after: it takes effect.
        assert waiting_changes_sweep(today=D(2026, 12, 31))["variations took effect"] == 0
        assert waiting_changes_sweep(today=D(2027, 1, 1))["variations took effect"] == 1
    assert terms(contract)[0] == Decimal("1200000.00")


@on(D(2026, 12, 4))
def test_one_variation_refused_does_not_stop_the_sweep(people, monkeypatch, caplog):
    first, second = live_contract(people), live_contract(people)
    waiting = [vary(c, people, new_total_value=Decimal("1200000.00")) for c in (first, second)]
    for variation in waiting:  # published outside the service, so nothing took effect yet
        Notice.objects.filter(pk=change_notice_of(variation).pk).update(
            status=NoticeStatus.PUBLISHED,
            fts_identifier=f"2026/S 000-0{variation.pk:05d}",
            published_on=D(2026, 12, 3),
        )
    real = changes.variation_take_effect

    def refuse_the_first(*, variation, **kwargs):
        if variation.pk == waiting[0].pk:
            raise ValidationError("A contract runs for at most 15 years.")
        return real(variation=variation, **kwargs)

    monkeypatch.setattr(changes, "variation_take_effect", refuse_the_first)
    assert waiting_changes_sweep()["variations took effect"] == 1
    assert terms(first)[0] == Decimal("1000000.00") and terms(second)[0] == Decimal("1200000.00")
    assert f"Variation {waiting[0].reference} could not take effect" in caplog.text


@on(D(2026, 12, 4))
def test_options_wait_while_a_change_to_the_end_date_waits(people):
    contract = live_contract(people)
    variation = vary(contract, people, new_end_date=D(2028, 12, 31))
    assert variation.is_waiting
    with pytest.raises(ValidationError) as refused:
        contract_services.extension_add(
            contract=contract,
            actor=people["lead"],
            length_months=12,
            decision_deadline=D(2027, 12, 31),
        )
    assert f"Variation {variation.reference} moves the contract's end date" in str(refused.value)
    assert not contract.extensions.exists()
    publish(change_notice_of(variation), people, D(2026, 12, 4))
    option = contract_services.extension_add(
        contract=contract, actor=people["lead"], length_months=12, decision_deadline=D(2027, 12, 31)
    )
    assert option.sequence == 1


@on(D(2026, 12, 4))
def test_a_notice_recorded_as_not_required_releases_the_change(people):
    contract = live_contract(people)
    variation = vary(contract, people, new_total_value=Decimal("1200000.00"))
    notice_transition(
        notice=change_notice_of(variation),
        to=NoticeStatus.NOT_REQUIRED,
        actor=people["lead"],
        not_required_reason="A court order directs the change; no notice is owed.",
    )
    variation.refresh_from_db()
    assert not variation.is_waiting
    assert terms(contract)[0] == Decimal("1200000.00")


@on(D(2026, 12, 4))
def test_a_change_within_the_limits_takes_effect_at_once(people):
    contract = live_contract(people)
    variation = vary(contract, people, new_total_value=Decimal("1100000.00"))
    assert variation.applied_at is not None
    assert terms(contract)[0] == Decimal("1100000.00")
    assert contract_services.variation_holds(variation) == []


@on(D(2026, 12, 4))
def test_no_second_variation_is_approved_while_one_waits(people):
    contract = live_contract(people)
    waiting = vary(contract, people, new_total_value=Decimal("1200000.00"))
    second = contract_services.variation_propose(
        contract=contract,
        actor=people["lead"],
        summary="Another change",
        justification="Demand has changed again.",
        requested_by="commissioner",
        new_total_value=Decimal("1250000.00"),
    )
    with pytest.raises(ValidationError) as refused:
        contract_services.variation_approve(variation=second, actor=people["smg"])
    assert f"Variation {waiting.reference} is approved but has not yet taken effect" in str(
        refused.value
    )
    second.refresh_from_db()
    assert second.status == "proposed"
    assert not ChangeClassification.objects.filter(variation=second).exists()
    # Once the first is published and in effect, the second is measured against it.
    publish(change_notice_of(waiting), people, D(2026, 12, 4))
    second = contract_services.variation_approve(variation=second, actor=people["smg"])
    assert second.change_classification.value_change_percent == Decimal("25.00")


@on(D(2026, 12, 4))
def test_earlier_regime_changes_take_effect_on_approval(people):
    contract = live_contract(people, procurement__regime=Regime.EARLIER)
    variation = vary(contract, people, new_total_value=Decimal("2000000.00"))
    assert variation.applied_at is not None
    assert terms(contract)[0] == Decimal("2000000.00")


# -- Termination notices (UK11) ----------------------------------------------------------


def test_the_sweep_owes_a_termination_notice_for_an_expired_contract(people):
    contract = live_contract(
        people, initial_end_date=D(2026, 11, 30), current_end_date=D(2026, 11, 30)
    )
    with on(D(2026, 11, 30)):
        notices_sweep(today=D(2026, 11, 30))
    assert not Notice.objects.filter(contract=contract, kind=NoticeKind.TERMINATION).exists()
    with on(D(2026, 12, 1)):
        notices_sweep(today=D(2026, 12, 1))
        notices_sweep(today=D(2026, 12, 2))
    notice = Notice.objects.get(contract=contract, kind=NoticeKind.TERMINATION)
    assert notice.due_on == D(2026, 12, 30)
    assert ContractEnding.objects.get(contract=contract).cause == EndingReason.EXPIRY


def test_the_sweep_owes_nothing_for_earlier_regime_contracts(people):
    contract = live_contract(
        people,
        initial_end_date=D(2026, 11, 30),
        original_end_date=D(2026, 11, 30),
        current_end_date=D(2026, 11, 30),
        procurement__regime=Regime.EARLIER,
    )
    with on(D(2026, 12, 5)):
        notices_sweep(today=D(2026, 12, 5))
    assert not Notice.objects.filter(contract=contract).exists()


@on(D(2026, 12, 4))
def test_terminating_owes_a_notice_whose_breach_must_be_recorded_before_drafting(people):
    contract = live_contract(people)
    PostContractReviewFactory(contract=contract, recorded_by=people["lead"])
    contract_services.contract_transition(
        contract=contract,
        to_status=ContractStatus.TERMINATED,
        actor=people["lead"],
        reason="Terminated for breach",
    )
    notice = Notice.objects.get(contract=contract, kind=NoticeKind.TERMINATION)
    assert notice.due_on == D(2027, 1, 3)
    with pytest.raises(ValidationError, match="Record why and when the contract ended"):
        notice_transition(
            notice=notice, to=NoticeStatus.DRAFTED, actor=people["lead"], summary="Ended"
        )
    with pytest.raises(ValidationError) as refused:
        ending_record(
            contract=contract,
            actor=people["lead"],
            ended_on=D(2026, 12, 4),
            cause=EndingReason.BREACH,
            breach_description="",
        )
    assert "breach_description" in refused.value.message_dict
    ending_record(
        contract=contract,
        actor=people["lead"],
        ended_on=D(2026, 12, 4),
        cause=EndingReason.BREACH,
        breach_description="Safeguarding checks were not carried out for six months.",
        breach_disputed=True,
    )
    notice_transition(notice=notice, to=NoticeStatus.DRAFTED, actor=people["lead"], summary="x")
    assert Notice.objects.filter(contract=contract, kind=NoticeKind.TERMINATION).count() == 1


@on(D(2026, 12, 4))
def test_an_ending_cannot_be_in_the_future(people):
    contract = live_contract(people)
    with pytest.raises(ValidationError) as refused:
        ending_record(
            contract=contract,
            actor=people["lead"],
            ended_on=D(2026, 12, 5),
            cause=EndingReason.MUTUAL,
        )
    assert "ended_on" in refused.value.message_dict
    assert not ContractEnding.objects.filter(contract=contract).exists()


def test_existing_contracts_default_to_the_earlier_regime():
    # The data migration records every contract it finds as the earlier regime; a
    # contract registered without a procurement record reads the same way.
    contract = Contract.objects.create(
        reference="OLD-1",
        title="Old",
        scope="x",
        provider=act_contract().provider,
        service_area=act_contract().service_area,
        total_value=1,
        annual_value=1,
        original_total_value=1,
        original_annual_value=1,
        start_date=D(2020, 1, 1),
        initial_end_date=D(2021, 1, 1),
        original_end_date=D(2021, 1, 1),
        current_end_date=D(2021, 1, 1),
        tier="silver",
    )
    assert kpi_duty_status(contract)["applies"] is False
