"""The date policy (governance.datepolicy): every rule of its table, on the day it is
frozen to, through the form people use where there is one (the message next to the
field, nothing saved) and through the services where the dates are computed."""

import datetime
import re
from dataclasses import replace

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import models

from contracts.assurance.services import audits as audit_services
from contracts.performance.models.returns import ReportingPeriod
from contracts.register.choices import ExtensionStatus
from contracts.register.models.contracts import Contract, ExtensionOption, Variation
from contracts.register.services import contracts as contract_services
from disputes.models.exclusions import Exclusion
from disputes.services import exclusion_create
from governance.core import datepolicy
from governance.core.dates import DateOutOfRange, add_business_days, add_months
from governance.core.forms import GovukDateField
from governance.meetings.models import Meeting
from risks.models import Risk, RiskReview
from tests.contracts.register.factories import ContractFactory, OrganisationFactory
from tests.form_targets import (
    FORMS_WITH_DATES,
    LONDON,
    NOW,
    TARGETS,
    World,
    as_post,
    filled,
    open_form,
    opened_records,
    record_values,
    row_counts,
)
from tests.governance.contactlog.log_factories import ConcernByPhoneFactory
from tests.governance.meetings.meeting_factories import at
from tests.risks.factories import RiskFactory

D = datetime.date
TODAY = NOW.date()  # Friday 4 December 2026
DEFAULT_RANGE = "Enter a date between 1 January 2000 and 31 December 2100."
BY_ID = {target.id: target for target in TARGETS}


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(db):
    return World()


class Page:
    """A form opened as someone allowed to submit it, posted back with changes."""

    def __init__(self, client, world: World, target_id: str):
        self.client, self.world = client, world
        self.url, self.user, fields = open_form(BY_ID[target_id], world, client)
        self.fields = filled(fields, TODAY)
        self.records = opened_records(self.url)
        self.response = None

    def names(self, kind: str) -> list[str]:
        return [item.name for item in self.fields if item.kind == kind]

    def post(self, **changes):
        sent = []
        for item in self.fields:
            value = changes.get(item.name, item.value)
            if isinstance(value, datetime.date):
                value = (str(value.day), str(value.month), f"{value.year:04d}")
            sent.append(replace(item, value=value))
        self.response = self.client.post(self.url, as_post(sent))
        return self.response

    def refuses(self, **changes) -> dict[str, str]:
        """Post ``changes``; assert the form came back and nothing changed; return the
        messages by field."""
        counts, values = row_counts(), record_values(self.records, self.world)
        response = self.post(**changes)
        assert response.status_code == 400, f"{self.url} accepted {changes}"
        assert row_counts() == counts
        assert record_values(self.records, self.world) == values
        return errors_by_field(response)

    def accepts(self, **changes):
        response = self.post(**changes)
        assert response.status_code == 302, errors_by_field(response)
        return response


def errors_by_field(response) -> dict[str, str]:
    """The message shown beside each field (``__all__`` for the form's own)."""
    page = response.content.decode()
    found = {}
    for field_id, text in re.findall(
        r'<p id="id_([\w-]+)-error" class="govuk-error-message">(.*?)</p>', page, flags=re.S
    ):
        found[field_id] = re.sub(r"<[^>]+>|Error:", "", text).strip()
    for text in re.findall(r'id="form-non-field-error-\d+">(.*?)</p>', page, flags=re.S):
        found.setdefault("__all__", re.sub(r"<[^>]+>|Error:", "", text).strip())
    return {name: text.replace("&#x27;", "'") for name, text in found.items()}


# -- The policy itself ---------------------------------------------------------------------


def test_every_governed_model_applies_the_policy():
    missing = [
        model._meta.label
        for model in datepolicy.governed_models()
        if not issubclass(model, datepolicy.DatePolicyMixin)
    ]
    assert missing == []


def test_every_rule_is_about_a_date_field_people_or_services_set():
    from django.apps import apps

    for rule in datepolicy.RULES:
        app_label, model_name, field_name = rule.field.split(".")
        model = apps.get_model(app_label, model_name)
        field = model._meta.get_field(field_name)
        assert isinstance(field, models.DateField), rule.field
        assert field in datepolicy.policed_fields(model), rule.field


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "allowed"),
    [
        (D(1999, 12, 31), False),
        (D(2000, 1, 1), True),
        (D(2100, 12, 31), True),
        (D(2101, 1, 1), False),
        (D(1, 1, 1), False),
        (D(9999, 12, 31), False),
    ],
)
def test_the_default_range(day, allowed):
    complaint = ContractFactory().complaints.model(received_on=day)
    errors = datepolicy.date_errors(complaint)
    assert errors.get("received_on") == (None if allowed else DEFAULT_RANGE)


def test_a_date_time_at_the_edge_of_the_calendar_is_refused_not_a_crash():
    for moment in (
        datetime.datetime(1, 1, 1, tzinfo=LONDON),
        datetime.datetime(9999, 12, 31, 23, 59, tzinfo=datetime.UTC),
    ):
        assert datepolicy.date_errors(Meeting(starts_at=moment)) == {"starts_at": DEFAULT_RANGE}


# -- Date arithmetic and the date input ---------------------------------------------------------


class TestDateHelpersAtTheEdges:
    def test_adding_months_past_the_calendar_is_a_validation_error(self):
        assert add_months(D(9999, 12, 31), 0) == D(9999, 12, 31)
        assert add_months(D(9999, 11, 30), 1) == D(9999, 12, 30)
        for day, months in [(D(9999, 12, 31), 1), (D(1, 1, 1), -1), (D(9999, 1, 1), 10**6)]:
            with pytest.raises(DateOutOfRange) as raised:
                add_months(day, months)
            assert isinstance(raised.value, ValidationError)
            assert "outside the calendar" in raised.value.messages[0]

    def test_adding_business_days_past_the_calendar_is_a_validation_error(self):
        with pytest.raises(DateOutOfRange):
            add_business_days(D(9999, 12, 30), 5)
        with pytest.raises(DateOutOfRange):
            add_business_days(D(2026, 12, 4), 10**9)


class TestTheDateInput:
    field = GovukDateField(label="Start date")

    @pytest.mark.parametrize(
        ("parts", "message"),
        [
            (["²", "1", "2026"], "Start date must be a real date, written in numbers."),
            (["99999999999999999999", "1", "2026"], "Start date must be a real date."),
            (["100", "1", "2026"], "Start date must be a real date."),
            (["1", "1", "9999"], DEFAULT_RANGE),
            (["1", "1", "0001"], DEFAULT_RANGE),
            (["31", "12", "1999"], DEFAULT_RANGE),
            (["1", "1", "2101"], DEFAULT_RANGE),
            ("2026-01-01", "Start date must be a real date."),
        ],
    )
    def test_refuses_with_a_message(self, parts, message):
        with pytest.raises(ValidationError) as raised:
            self.field.clean(parts)
        assert raised.value.messages == [message]

    def test_takes_the_edges_of_the_range(self):
        assert self.field.clean(["0" * 5000 + "1", "01", "2000"]) == D(2000, 1, 1)
        assert self.field.clean(["31", "12", "2100"]) == D(2100, 12, 31)


# -- Every date on every form -------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("target_id", FORMS_WITH_DATES)
def test_every_date_on_the_form_keeps_to_the_range(target_id, client, world):
    """31 December 9999 and 1 January 1800 in the form's date boxes (in turn, from one
    form to the next): each box says what range is allowed and nothing is saved."""
    page = Page(client, world, target_id)
    dates = page.names("date")
    assert dates, f"{target_id} has no date to check"
    sides = [D(9999, 12, 31), D(1800, 1, 1)]
    first = FORMS_WITH_DATES.index(target_id)
    errors = page.refuses(**{name: sides[(first + i) % 2] for i, name in enumerate(dates)})
    for name in dates:
        assert errors.get(name) == DEFAULT_RANGE, (target_id, name, errors)


# -- The rules of the table ---------------------------------------------------------------------


@pytest.mark.django_db
class TestContractTerm:
    def test_a_contract_starting_in_1800_is_refused_beside_the_start_date(self, client, world):
        page = Page(client, world, "contracts:contract_create")
        errors = page.refuses(start_date=D(1800, 1, 1), initial_end_date=D(1803, 3, 31))
        assert errors["start_date"] == DEFAULT_RANGE

    def test_an_initial_end_date_in_9999_is_refused(self, client, world):
        page = Page(client, world, "contracts:contract_create")
        errors = page.refuses(start_date=D(2026, 4, 1), initial_end_date=D(9999, 1, 1))
        assert errors["initial_end_date"] == DEFAULT_RANGE

    def test_the_term_is_at_most_15_years(self, client, world):
        page = Page(client, world, "contracts:contract_create")
        data = {
            "start_date": D(2026, 4, 1),
            "reference": "NPCC-2026-900",
            "lead_officer": str(world.lead.pk),
            "deputy_officer": str(world.deputy.pk),
        }
        errors = page.refuses(**data, initial_end_date=D(2041, 4, 1))
        assert errors["initial_end_date"] == (
            "The initial end date must be between 2 April 2026 and 31 March 2041. "
            "A contract runs for at most 15 years."
        )
        page.accepts(**data, initial_end_date=D(2041, 3, 31))
        assert Contract.objects.get(reference="NPCC-2026-900").current_end_date == D(2041, 3, 31)

    def test_the_services_refuse_what_the_form_would(self, world):
        fields = {
            "reference": "NPCC-1800",
            "title": "Old",
            "scope": "Old",
            "provider": world.contract.provider,
            "service_area": world.contract.service_area,
            "total_value": 1,
            "annual_value": 1,
            "tier": world.contract.tier,
        }
        for start, end, field in [
            (D(1800, 1, 1), D(1801, 1, 1), "start_date"),
            (D(2026, 4, 1), D(9999, 1, 1), "initial_end_date"),
        ]:
            with pytest.raises(ValidationError) as raised:
                contract_services.contract_create(
                    actor=world.lead, start_date=start, initial_end_date=end, **fields
                )
            assert field in raised.value.message_dict
        assert not Contract.objects.filter(reference="NPCC-1800").exists()

    def test_extensions_keep_within_the_term(self, client, world):
        # The world's contract runs 1 April 2025 to 31 March 2028; a first option of ten
        # years leaves two of the fifteen.
        contract_services.extension_add(
            contract=world.contract,
            actor=world.lead,
            length_months=120,
            decision_deadline=D(2027, 9, 30),
        )
        page = Page(client, world, "contracts:extensionoption_create")
        errors = page.refuses(length_months="25", decision_deadline=D(2037, 9, 30))
        assert errors["length_months"] == (
            "A contract runs for at most 15 years, extensions included: this option would "
            "run past 31 March 2040. Make it shorter."
        )
        page.accepts(length_months="24", decision_deadline=D(2037, 9, 30))
        assert world.contract.extensions.get(sequence=2).length_months == 24

    def test_the_end_date_with_extensions_is_held_by_the_model(self, world):
        contract = Contract.objects.get(pk=world.contract.pk)
        contract.current_end_date = D(2040, 4, 1)
        with pytest.raises(ValidationError) as raised:
            contract.full_clean()
        assert raised.value.message_dict == {
            "current_end_date": [
                "The end date with the extensions exercised must be between 2 April 2025 and "
                "31 March 2040. A contract runs for at most 15 years, extensions included."
            ]
        }


@pytest.mark.django_db
class TestVariations:
    def test_moving_the_end_date_to_9999_is_refused_beside_it(self, client, world):
        page = Page(client, world, "contracts:variation_create")
        errors = page.refuses(new_end_date=D(9999, 1, 1))
        assert errors["new_end_date"] == DEFAULT_RANGE
        assert not Variation.objects.exists()

    def test_the_new_end_date_keeps_within_the_term(self, client, world):
        page = Page(client, world, "contracts:variation_create")
        errors = page.refuses(new_end_date=D(2040, 4, 1))
        assert errors["new_end_date"] == (
            "The new end date must be between 2 April 2025 and 31 March 2040. "
            "A contract runs for at most 15 years."
        )
        page.accepts(new_end_date=D(2040, 3, 31))
        assert Variation.objects.get().new_end_date == D(2040, 3, 31)

    def test_the_service_refuses_9999_too(self, world):
        with pytest.raises(ValidationError) as raised:
            contract_services.variation_propose(
                contract=world.contract,
                actor=world.lead,
                summary="Run for ever",
                justification="No reason",
                requested_by="commissioner",
                new_end_date=D(9999, 1, 1),
            )
        assert raised.value.message_dict == {"new_end_date": [DEFAULT_RANGE]}
        assert not Variation.objects.exists()

    def test_smg_cannot_approve_a_stored_variation_to_9999(self, client, world):
        # Recorded before the policy: approving it must not carry the date onto the contract.
        world.variation.new_end_date = D(9999, 1, 1)
        world.variation.save()
        page = Page(client, world, "contracts:variation_decide[approve]")
        assert page.user == world.smg
        errors = page.refuses()
        assert errors["__all__"] == DEFAULT_RANGE
        contract = Contract.objects.get(pk=world.contract.pk)
        assert contract.current_end_date == contract.initial_end_date == D(2028, 3, 31)

    def test_exercised_extensions_count_against_the_term(self, world):
        ExtensionOption.objects.create(
            contract=world.contract,
            sequence=1,
            length_months=60,
            decision_deadline=D(2027, 9, 30),
            status=ExtensionStatus.EXERCISED,
        )
        with pytest.raises(ValidationError) as raised:
            contract_services.variation_propose(
                contract=world.contract,
                actor=world.lead,
                summary="Longer",
                justification="More time",
                requested_by="commissioner",
                new_end_date=D(2036, 3, 31),
            )
        assert raised.value.message_dict["new_end_date"] == [
            "With the extensions already exercised the contract would end on 31 March 2041: a "
            "contract runs for at most 15 years, so it must end by 31 March 2040."
        ]


@pytest.mark.django_db
def test_return_due_dates_fall_within_four_months_of_the_quarter(world):
    period = ReportingPeriod(
        contract=world.contract,
        financial_year=2026,
        quarter=2,
        starts_on=D(2026, 7, 1),
        ends_on=D(2026, 9, 30),
        performance_due_on=D(2026, 9, 30),
        finance_due_on=D(2027, 1, 31),
    )
    message = "return's due date must be between 1 October 2026 and 30 January 2027."
    errors = datepolicy.date_errors(period)
    assert errors["performance_due_on"] == f"The performance {message}"
    assert errors["finance_due_on"] == f"The financial {message}"
    period.performance_due_on, period.finance_due_on = D(2026, 10, 1), D(2027, 1, 30)
    assert datepolicy.date_errors(period) == {}


@pytest.mark.django_db
class TestExit:
    def test_termination_takes_effect_by_the_contract_end(self, client, world):
        page = Page(client, world, "contracts:terminationnotice_create")
        errors = page.refuses(notice_date=D(2026, 12, 1), effective_date=D(2028, 4, 1))
        assert errors["effective_date"] == (
            "The date termination takes effect must be between 1 December 2026 and "
            "31 March 2028. It falls between the notice and the contract's end date."
        )
        page.accepts(notice_date=D(2026, 12, 1), effective_date=D(2028, 3, 31))

    def test_exit_tasks_fall_due_within_a_year_of_the_end(self, client, world):
        page = Page(client, world, "contracts:exittask_create")
        errors = page.refuses(due_date=D(2029, 4, 1))
        assert errors["due_date"] == (
            "The due date must be between 1 January 2000 and 31 March 2029. "
            "Exit tasks end within a year of the contract's end date."
        )
        page.accepts(due_date=D(2029, 3, 31))


@pytest.mark.django_db
class TestMeetingsAndActions:
    def test_a_meeting_is_within_a_year_before_and_two_after_today(self, client, world):
        page = Page(client, world, "governance:meeting_create")
        message = "The meeting date must be between 4 December 2025 and 4 December 2028."
        assert page.refuses(starts_at=D(2028, 12, 5))["starts_at"] == message
        assert page.refuses(starts_at=D(2025, 12, 3))["starts_at"] == message
        page.accepts(starts_at=D(2028, 12, 4))

    def test_a_meeting_held_long_ago_can_still_be_edited(self, client, world):
        world.meeting.starts_at = at(2024, 3, 1, 14)
        world.meeting.save()
        page = Page(client, world, "governance:meeting_update")
        page.accepts(location="The new meeting room")
        assert Meeting.objects.get(pk=world.meeting.pk).location == "The new meeting room"

    def test_an_action_falls_due_within_five_years_of_being_raised(self, client, world):
        page = Page(client, world, "governance:action_create")
        errors = page.refuses(due_on=D(2031, 12, 5))
        assert (
            errors["due_on"] == "The due date must be between 4 December 2026 and 4 December 2031."
        )
        page.accepts(due_on=D(2031, 12, 4))


@pytest.mark.django_db
def test_a_follow_up_is_not_dated_years_back(client, world):
    world.contact_entry = ConcernByPhoneFactory(
        contract=world.contract, recorded_by=world.lead, occurred_at=at(2025, 6, 2, 11)
    )
    page = Page(client, world, "governance:contactlogentry_follow_up")
    errors = page.refuses(follow_up_sent_on=D(2025, 6, 3))
    assert errors["follow_up_sent_on"] == (
        "The date the summary was sent must be between 4 December 2025 and 4 December 2026."
    )
    page.accepts(follow_up_sent_on=D(2025, 12, 4))


@pytest.mark.django_db
class TestRisks:
    def test_the_next_review_is_within_a_year_back_and_five_ahead(self, client, world):
        page = Page(client, world, "risks:contract_risk_create")
        errors = page.refuses(next_review_date=D(2031, 12, 5))
        assert errors["next_review_date"] == (
            "The next review must be between 4 December 2025 and 4 December 2031."
        )
        page.accepts(next_review_date=D(2031, 12, 4))

    def test_a_risk_whose_review_date_has_long_passed_can_still_be_edited(self, client, world):
        world.risk = RiskFactory(
            contract=world.contract,
            owner=world.lead,
            raised_by=world.lead,
            next_review_date=D(2024, 1, 31),
        )
        page = Page(client, world, "risks:risk_update")
        page.accepts(title="Key staff leave (renamed)", change_reason="Clearer title")
        assert Risk.objects.get(pk=world.risk.pk).next_review_date == D(2024, 1, 31)

    def test_a_review_in_9999_is_refused(self, client, world):
        page = Page(client, world, "risks:risk_review")
        assert page.refuses(reviewed_on=D(9999, 1, 1))["reviewed_on"] == DEFAULT_RANGE
        assert not RiskReview.objects.exists()

    def test_a_review_is_not_recorded_years_late(self, client, world):
        with time_machine.travel(datetime.datetime(2024, 5, 1, 9, tzinfo=LONDON)):
            world.risk = RiskFactory(contract=world.contract, owner=world.lead)
        page = Page(client, world, "risks:risk_review")
        errors = page.refuses(reviewed_on=D(2025, 12, 3))
        assert errors["reviewed_on"] == (
            "The review date must be between 4 December 2025 and 4 December 2026."
        )
        page.accepts(reviewed_on=D(2025, 12, 4))


@pytest.mark.django_db
class TestExclusions:
    def test_an_exclusion_starting_in_9999_is_refused_not_a_crash(self, client, world):
        page = Page(client, world, "disputes:exclusion_create")
        errors = page.refuses(start_date=D(9999, 1, 1), period_months="12", end_date=("", "", ""))
        assert errors["start_date"] == DEFAULT_RANGE
        assert not Exclusion.objects.exists()

    def test_the_service_refuses_it_too(self, world):
        with pytest.raises(ValidationError) as raised:
            exclusion_create(
                actor=world.smg,
                organisation=OrganisationFactory(),
                reason="performance",
                details="Grounds",
                start_date=D(9999, 1, 1),
                decided_on=D(2026, 12, 1),
                period_months=12,
            )
        assert raised.value.message_dict == {"start_date": [DEFAULT_RANGE]}

    def test_a_decision_in_1800_is_refused(self, client, world):
        page = Page(client, world, "disputes:exclusion_create")
        errors = page.refuses(decided_on=D(1800, 1, 1), period_months="12", end_date=("", "", ""))
        assert errors["decided_on"] == DEFAULT_RANGE

    def test_it_starts_near_the_decision(self, client, world):
        page = Page(client, world, "disputes:exclusion_create")
        message = (
            "The start date must be between 1 November 2026 and 1 March 2027. "
            "An exclusion starts from 30 days before the decision to 90 days after it."
        )
        common = {"decided_on": D(2026, 12, 1), "period_months": "12", "end_date": ("", "", "")}
        assert page.refuses(**common, start_date=D(2026, 10, 31))["start_date"] == message
        assert page.refuses(**common, start_date=D(2027, 3, 2))["start_date"] == message
        page.accepts(**common, start_date=D(2027, 3, 1))

    def test_it_lasts_at_most_five_years(self, client, world):
        page = Page(client, world, "disputes:exclusion_create")
        common = {"decided_on": D(2026, 12, 1), "start_date": D(2026, 12, 1), "period_months": ""}
        errors = page.refuses(**common, end_date=D(2031, 12, 1))
        assert errors["end_date"] == (
            "The end date must be between 1 December 2026 and 30 November 2031. "
            "An exclusion can last no more than 5 years."
        )
        page.accepts(**common, end_date=D(2031, 11, 30))


@pytest.mark.django_db
def test_an_audit_planned_in_9999_is_refused_by_the_service(world):
    with pytest.raises(ValidationError) as raised:
        audit_services.audit_propose(
            contract=world.contract,
            actor=world.lead,
            audit_type="case_files",
            proposed_by="commissioner",
            scope="Files",
            planned_on=D(9999, 12, 31),
        )
    assert raised.value.message_dict["planned_on"] == [DEFAULT_RANGE]
