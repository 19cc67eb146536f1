"""Complaints and audits: every rule of contracts.services.audits refuses with its
sentence and saves nothing; the audit alerts fire once per occasion; the pages keep to
the contract's scope and cost a constant number of queries."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts.assurance.alerts import audits as audit_alerts
from contracts.assurance.choices import AuditStatus, AuditType, ComplaintCategory
from contracts.assurance.models.audits import Audit, Complaint
from contracts.assurance.services import audits as services
from contracts.register.choices import ContractStatus, Party
from governance.core.roles import Role
from tests.checks import date_data, refused
from tests.contracts.assurance.audit_factories import (
    AuditFactory,
    ComplaintFactory,
    CompletedAuditFactory,
)
from tests.contracts.register.factories import ContractFactory, OrganisationFactory
from tests.view_cases import ModelViewTests, count_queries, form_errors

TODAY = datetime.date(2026, 6, 15)
LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 11, tzinfo=LONDON), tick=False):
        yield


def outsiders(make_user, contract):
    return (
        make_user(role=Role.CONTRACT_MANAGER),
        make_user(role=Role.SMG),
        make_user(role=Role.AUDITOR),
        make_user(role=Role.PROVIDER, organisation=contract.provider),
    )


# -- Complaints -------------------------------------------------------------------------


def complaint_fields(**overrides) -> dict:
    return {
        "received_on": datetime.date(2026, 6, 1),
        "summary": "No call back for three weeks",
        "category": ComplaintCategory.ACCESS,
        **overrides,
    }


@pytest.mark.django_db
class TestComplaints:
    def test_recording_keeps_who_and_why(self, contract, officer):
        complaint = services.complaint_record(
            contract=contract, actor=officer, reason="From the PCC's inbox", **complaint_fields()
        )
        assert (complaint.upheld, complaint.closed_on) == (None, None)
        record = complaint.history.get()
        assert (record.history_user, record.history_change_reason) == (
            officer,
            "From the PCC's inbox",
        )

    @pytest.mark.parametrize(
        ("received_on", "message"),
        [
            (datetime.date(2026, 6, 16), "The date received cannot be in the future."),
            (
                datetime.date(2025, 3, 31),
                "The complaint cannot have been received before the contract started, on "
                "1 April 2025.",
            ),
        ],
    )
    def test_the_date_received_is_checked(self, contract, officer, received_on, message):
        error = refused(
            services.complaint_record,
            contract=contract,
            actor=officer,
            **complaint_fields(received_on=received_on),
        )
        assert error.message_dict == {"received_on": [message]}
        assert not Complaint.objects.exists()

    def test_missing_answers_are_named(self, contract, officer):
        error = refused(
            services.complaint_record,
            contract=contract,
            actor=officer,
            received_on=None,
            summary=" ",
            category="",
        )
        assert error.message_dict == {
            "received_on": ["Enter the date the complaint was received."],
            "summary": ["Summarise the complaint."],
            "category": ["Select what the complaint is about."],
        }

    def test_only_the_officers_record_complaints(self, contract, make_user):
        for outsider in outsiders(make_user, contract):
            error = refused(
                services.complaint_record,
                contract=contract,
                actor=outsider,
                **complaint_fields(),
            )
            assert error.messages == [
                "Only the contract's lead or deputy officer can record complaints about it."
            ]
        assert not Complaint.objects.exists()

    def test_closing_records_the_outcome_and_decision(self, contract, officer):
        complaint = ComplaintFactory(contract=contract)
        services.complaint_close(
            complaint=complaint,
            actor=officer,
            closed_on=TODAY,
            outcome="Apology and a call back.",
            upheld=True,
        )
        complaint.refresh_from_db()
        assert (complaint.closed_on, complaint.upheld) == (TODAY, True)
        latest = complaint.history.order_by("-history_id").first()
        assert (latest.history_user, latest.history_change_reason) == (officer, "Complaint closed")

    @pytest.mark.parametrize(
        ("closed_on", "message"),
        [
            (
                datetime.date(2026, 5, 10),
                "The complaint cannot be closed before it was received, on 11 May 2026.",
            ),
            (datetime.date(2026, 6, 16), "The date closed cannot be in the future."),
            (None, "Enter the date the complaint was closed."),
        ],
    )
    def test_the_closing_date_is_checked(self, contract, officer, closed_on, message):
        complaint = ComplaintFactory(contract=contract)  # received 11 May 2026
        error = refused(
            services.complaint_close,
            complaint=complaint,
            actor=officer,
            closed_on=closed_on,
            outcome="Resolved",
            upheld=False,
        )
        assert error.message_dict == {"closed_on": [message]}
        complaint.refresh_from_db()
        assert complaint.closed_on is None

    def test_closing_needs_the_outcome_and_whether_it_was_upheld(self, contract, officer):
        complaint = ComplaintFactory(contract=contract)
        error = refused(
            services.complaint_close,
            complaint=complaint,
            actor=officer,
            closed_on=TODAY,
            outcome=" ",
            upheld=None,
        )
        assert error.message_dict == {
            "outcome": ["Record the outcome of the complaint."],
            "upheld": ["Select whether the complaint was upheld."],
        }

    def test_a_closed_complaint_is_not_closed_again(self, contract, officer):
        complaint = ComplaintFactory(
            contract=contract, closed_on=datetime.date(2026, 6, 1), outcome="x", upheld=False
        )
        error = refused(
            services.complaint_close,
            complaint=complaint,
            actor=officer,
            closed_on=TODAY,
            outcome="y",
            upheld=True,
        )
        assert error.messages == ["This complaint was closed on 1 June 2026."]

    def test_update_keeps_a_closed_complaint_consistent(self, contract, officer):
        complaint = ComplaintFactory(
            contract=contract, closed_on=datetime.date(2026, 6, 1), outcome="x", upheld=False
        )
        before = complaint.history.count()
        error = refused(
            services.complaint_update,
            instance=complaint,
            actor=officer,
            reason="Corrected",
            received_on=datetime.date(2026, 6, 2),
            upheld=None,
        )
        assert error.message_dict == {
            "received_on": [
                "The complaint was closed on 1 June 2026: it cannot have been received after that."
            ],
            "upheld": ["A closed complaint must say whether it was upheld."],
        }
        assert complaint.history.count() == before
        changed = services.complaint_update(
            instance=complaint, actor=officer, reason="Re-read the letter", upheld=True
        )
        assert changed == ["upheld"]

    def test_update_needs_a_reason_and_the_officer(self, contract, officer, make_user):
        complaint = ComplaintFactory(contract=contract)
        error = refused(
            services.complaint_update, instance=complaint, actor=officer, reason="", summary="x"
        )
        assert error.message_dict == {"change_reason": ["Give a reason for this change."]}
        error = refused(
            services.complaint_update,
            instance=complaint,
            actor=make_user(role=Role.CONTRACT_MANAGER),
            reason="x",
            summary="x",
        )
        assert "lead or deputy officer" in error.messages[0]


# -- Audits -----------------------------------------------------------------------------


def audit_fields(**overrides) -> dict:
    return {
        "audit_type": AuditType.SECURITY,
        "proposed_by": Party.PROVIDER,
        "scope": "Physical security of the two offices.",
        "planned_on": datetime.date(2026, 9, 14),
        **overrides,
    }


@pytest.mark.django_db
class TestProposingAudits:
    def test_either_party_proposes_and_history_keeps_who_and_why(self, contract, officer):
        audit = services.audit_propose(
            contract=contract, actor=officer, reason="Provider's request", **audit_fields()
        )
        assert (audit.status, audit.proposed_by) == (AuditStatus.PROPOSED, Party.PROVIDER)
        record = audit.history.get()
        assert (record.history_user, record.history_change_reason) == (
            officer,
            "Provider's request",
        )

    @pytest.mark.parametrize(
        "planned_on",
        [datetime.date(2027, 9, 13), datetime.date(2025, 9, 15), datetime.date(2026, 9, 14)],
    )
    def test_a_second_audit_within_12_months_needs_a_justification(
        self, contract, officer, planned_on
    ):
        AuditFactory(contract=contract, planned_on=datetime.date(2026, 9, 14))
        error = refused(
            services.audit_propose,
            contract=contract,
            actor=officer,
            **audit_fields(planned_on=planned_on),
        )
        assert error.message_dict == {"second_audit_justification": [services.SECOND_AUDIT]}
        assert contract.audits.count() == 1
        audit = services.audit_propose(
            contract=contract,
            actor=officer,
            **audit_fields(
                planned_on=planned_on,
                second_audit_justification="Serious concerns raised by the police.",
            ),
        )
        assert audit.second_audit_justification.startswith("Serious concerns")

    @pytest.mark.parametrize("planned_on", [datetime.date(2027, 9, 14), datetime.date(2025, 9, 14)])
    def test_exactly_12_months_apart_is_allowed(self, contract, officer, planned_on):
        AuditFactory(contract=contract, planned_on=datetime.date(2026, 9, 14))
        services.audit_propose(
            contract=contract, actor=officer, **audit_fields(planned_on=planned_on)
        )
        assert contract.audits.count() == 2

    def test_cancelled_audits_and_other_contracts_do_not_count(self, contract, officer):
        AuditFactory(contract=contract, status=AuditStatus.CANCELLED)
        AuditFactory(planned_on=datetime.date(2026, 9, 14))
        services.audit_propose(contract=contract, actor=officer, **audit_fields())
        assert contract.audits.count() == 2

    def test_missing_answers_are_named(self, contract, officer):
        error = refused(
            services.audit_propose,
            contract=contract,
            actor=officer,
            audit_type="",
            proposed_by="",
            scope=" ",
            planned_on=None,
        )
        assert set(error.message_dict) == {"audit_type", "proposed_by", "scope", "planned_on"}
        assert error.message_dict["scope"] == ["Describe what the audit covers."]

    def test_only_the_officers_record_audits_of_a_running_contract(
        self, contract, officer, make_user
    ):
        for outsider in outsiders(make_user, contract):
            error = refused(
                services.audit_propose, contract=contract, actor=outsider, **audit_fields()
            )
            assert error.messages == [
                "Only the contract's lead or deputy officer can record audits of it."
            ]
        draft = ContractFactory(lead_officer=officer, status=ContractStatus.DRAFT)
        error = refused(services.audit_propose, contract=draft, actor=officer, **audit_fields())
        assert error.messages == [
            "The contract is draft: audits can be proposed only while it runs."
        ]
        assert not Audit.objects.exists()


@pytest.mark.django_db
class TestTheAuditsLife:
    def test_plan_then_record_the_findings(self, contract, officer):
        audit = AuditFactory(contract=contract, planned_on=datetime.date(2026, 6, 10))
        services.audit_transition(
            audit=audit,
            actor=officer,
            to_status=AuditStatus.PLANNED,
            planned_on=datetime.date(2026, 6, 12),
            auditor="Internal audit team",
        )
        audit.refresh_from_db()
        assert (audit.status, audit.planned_on) == (AuditStatus.PLANNED, datetime.date(2026, 6, 12))
        services.audit_transition(
            audit=audit,
            actor=officer,
            to_status=AuditStatus.COMPLETED,
            conducted_on=datetime.date(2026, 6, 12),
            auditor="Internal audit team",
            findings="Doors secure; visitor log incomplete.",
            recommendations="Keep a visitor log\n\n  Review it monthly ",
        )
        audit.refresh_from_db()
        assert audit.status == AuditStatus.COMPLETED
        assert services.recommendation_lines(audit) == ["Keep a visitor log", "Review it monthly"]
        reasons = list(
            audit.history.order_by("history_id").values_list("history_change_reason", flat=True)
        )
        assert reasons[-2:] == ["Audit planned", "Audit completed: findings recorded"]

    def test_planning_needs_someone_to_carry_it_out(self, contract, officer):
        audit = AuditFactory(contract=contract)
        error = refused(
            services.audit_transition,
            audit=audit,
            actor=officer,
            to_status=AuditStatus.PLANNED,
            planned_on=audit.planned_on,
            auditor=" ",
        )
        assert error.message_dict == {"auditor": ["Name who will carry out the audit."]}
        audit.refresh_from_db()
        assert audit.status == AuditStatus.PROPOSED

    def test_planning_on_a_new_date_checks_the_12_month_rule(self, contract, officer):
        CompletedAuditFactory(contract=contract)  # planned 2 March 2026
        audit = AuditFactory(contract=contract, planned_on=datetime.date(2027, 3, 2))
        error = refused(
            services.audit_transition,
            audit=audit,
            actor=officer,
            to_status=AuditStatus.PLANNED,
            planned_on=datetime.date(2027, 3, 1),
            auditor="Firm",
        )
        assert error.message_dict == {"second_audit_justification": [services.SECOND_AUDIT]}
        audit.refresh_from_db()
        assert (audit.status, audit.planned_on) == (AuditStatus.PROPOSED, datetime.date(2027, 3, 2))

    def test_completing_needs_the_date_and_findings(self, contract, officer):
        audit = AuditFactory(contract=contract, status=AuditStatus.PLANNED, auditor="Firm")
        error = refused(
            services.audit_transition,
            audit=audit,
            actor=officer,
            to_status=AuditStatus.COMPLETED,
            conducted_on=None,
            auditor="Firm",
            findings="",
            recommendations="",
        )
        assert error.message_dict == {
            "conducted_on": ["Enter the date the audit was conducted."],
            "findings": ["Record the audit's findings."],
        }
        error = refused(
            services.audit_transition,
            audit=audit,
            actor=officer,
            to_status=AuditStatus.COMPLETED,
            conducted_on=datetime.date(2026, 6, 16),
            auditor="Firm",
            findings="Fine",
            recommendations="",
        )
        assert error.message_dict == {
            "conducted_on": ["The date the audit was conducted cannot be in the future."]
        }
        audit.refresh_from_db()
        assert audit.status == AuditStatus.PLANNED

    @pytest.mark.parametrize(
        ("status", "to_status", "message"),
        [
            (
                AuditStatus.PROPOSED,
                AuditStatus.COMPLETED,
                "An audit that is proposed cannot become completed.",
            ),
            (
                AuditStatus.COMPLETED,
                AuditStatus.CANCELLED,
                "An audit that is completed cannot become cancelled.",
            ),
            (
                AuditStatus.CANCELLED,
                AuditStatus.PLANNED,
                "An audit that is cancelled cannot become planned.",
            ),
            (AuditStatus.PLANNED, "approved", "Choose what happens to the audit."),
            (AuditStatus.CANCELLED, AuditStatus.CANCELLED, "This audit is already cancelled."),
        ],
    )
    def test_steps_out_of_order_are_refused(self, contract, officer, status, to_status, message):
        audit = AuditFactory(contract=contract, status=status)
        error = refused(services.audit_transition, audit=audit, actor=officer, to_status=to_status)
        assert error.messages == [message]
        audit.refresh_from_db()
        assert audit.status == status

    def test_cancelling_needs_a_reason(self, contract, officer):
        audit = AuditFactory(contract=contract, status=AuditStatus.PLANNED, auditor="Firm")
        error = refused(
            services.audit_transition,
            audit=audit,
            actor=officer,
            to_status=AuditStatus.CANCELLED,
            reason=" ",
        )
        assert error.message_dict == {"reason": ["Give the reason the audit is cancelled."]}
        services.audit_transition(
            audit=audit, actor=officer, to_status=AuditStatus.CANCELLED, reason="Provider closed"
        )
        audit.refresh_from_db()
        assert audit.status == AuditStatus.CANCELLED
        latest = audit.history.order_by("-history_id").first()
        assert latest.history_change_reason == "Cancelled: Provider closed"

    def test_a_completed_audit_keeps_what_was_planned(self, contract, officer):
        audit = CompletedAuditFactory(contract=contract)
        error = refused(
            services.audit_update,
            instance=audit,
            actor=officer,
            reason="Moved",
            planned_on=datetime.date(2026, 4, 1),
        )
        assert list(error.message_dict) == ["planned_on"]
        changed = services.audit_update(
            instance=audit, actor=officer, reason="Typo", findings="Files were complete."
        )
        assert changed == ["findings"]

    def test_a_cancelled_audit_is_not_changed(self, contract, officer):
        audit = AuditFactory(contract=contract, status=AuditStatus.CANCELLED)
        error = refused(
            services.audit_update, instance=audit, actor=officer, reason="x", scope="More"
        )
        assert error.messages == ["This audit was cancelled and can no longer be changed."]

    def test_moving_an_audit_within_12_months_of_another_needs_a_justification(
        self, contract, officer
    ):
        AuditFactory(contract=contract, planned_on=datetime.date(2026, 9, 14))
        audit = AuditFactory(contract=contract, planned_on=datetime.date(2027, 10, 1))
        before = audit.history.count()
        error = refused(
            services.audit_update,
            instance=audit,
            actor=officer,
            reason="Earlier",
            planned_on=datetime.date(2027, 6, 1),
        )
        assert error.message_dict == {"second_audit_justification": [services.SECOND_AUDIT]}
        assert audit.history.count() == before

    def test_only_the_officers_move_an_audit_on(self, contract, make_user):
        audit = AuditFactory(contract=contract)
        for outsider in outsiders(make_user, contract):
            error = refused(
                services.audit_transition,
                audit=audit,
                actor=outsider,
                to_status=AuditStatus.CANCELLED,
                reason="x",
            )
            assert "lead or deputy officer" in error.messages[0]
        audit.refresh_from_db()
        assert audit.status == AuditStatus.PROPOSED


# -- Alerts -------------------------------------------------------------------------------


def run(provider, day: datetime.date) -> list:
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(6), LONDON)):
        return list(provider(day))


def keys(specs) -> set[str]:
    return {spec.key for spec in specs}


def test_audit_alerts_are_offered_to_the_sweep():
    offered = [provider.__name__ for provider in audit_alerts.PROVIDERS]
    assert offered == ["annual_audits_due", "planned_audits_not_recorded"]


@pytest.mark.django_db
class TestAnnualAuditDue:
    @pytest.fixture
    def deputy(self, make_user):
        return make_user(role=Role.CONTRACT_MANAGER)

    def test_told_once_per_financial_year_to_both_officers(self, contract, officer, deputy):
        contract.deputy_officer = deputy
        contract.save()
        (spec,) = run(audit_alerts.annual_audits_due, TODAY)
        assert spec.key == f"audit-due:{contract.pk}:2026"
        assert spec.users == (officer, deputy)
        assert spec.url == f"/contracts/{contract.pk}/audits/"
        assert keys(run(audit_alerts.annual_audits_due, datetime.date(2027, 3, 31))) == {spec.key}
        assert keys(run(audit_alerts.annual_audits_due, datetime.date(2027, 4, 1))) == {
            f"audit-due:{contract.pk}:2027"
        }

    def test_an_audit_completed_or_planned_within_12_months_satisfies_it(self, officer):
        completed = ContractFactory(lead_officer=officer)
        CompletedAuditFactory(
            contract=completed,
            planned_on=datetime.date(2025, 6, 1),
            conducted_on=datetime.date(2025, 6, 16),
        )
        planned = ContractFactory(lead_officer=officer)
        AuditFactory(contract=planned, status=AuditStatus.PLANNED, auditor="Firm")
        assert run(audit_alerts.annual_audits_due, TODAY) == []

    def test_audits_that_do_not_count(self, officer):
        proposed = ContractFactory(lead_officer=officer)
        AuditFactory(contract=proposed)
        cancelled = ContractFactory(lead_officer=officer)
        AuditFactory(contract=cancelled, status=AuditStatus.CANCELLED)
        too_old = ContractFactory(lead_officer=officer)
        CompletedAuditFactory(
            contract=too_old,
            planned_on=datetime.date(2025, 6, 1),
            conducted_on=datetime.date(2025, 6, 15),  # exactly 12 months ago
        )
        assert keys(run(audit_alerts.annual_audits_due, TODAY)) == {
            f"audit-due:{c.pk}:2026" for c in (proposed, cancelled, too_old)
        }

    def test_only_active_contracts_that_have_run_a_year(self, officer):
        ContractFactory(lead_officer=officer, start_date=datetime.date(2025, 6, 16))
        ContractFactory(lead_officer=officer, status=ContractStatus.IN_EXIT)
        ContractFactory(lead_officer=officer, status=ContractStatus.DRAFT)
        assert run(audit_alerts.annual_audits_due, TODAY) == []
        started_a_year_ago = ContractFactory(
            lead_officer=officer, start_date=datetime.date(2025, 6, 15)
        )
        assert keys(run(audit_alerts.annual_audits_due, TODAY)) == {
            f"audit-due:{started_a_year_ago.pk}:2026"
        }

    def test_one_query_whatever_the_number_of_contracts(self, officer):
        ContractFactory(lead_officer=officer)
        with CaptureQueriesContext(connection) as few:
            run(audit_alerts.annual_audits_due, TODAY)
        for _ in range(5):
            AuditFactory(contract=ContractFactory(lead_officer=officer))
        with CaptureQueriesContext(connection) as many:
            assert len(run(audit_alerts.annual_audits_due, TODAY)) == 6
        assert len(few) == len(many) == 1


@pytest.mark.django_db
class TestPlannedAuditNotRecorded:
    def test_from_the_day_after_the_planned_date(self, contract, officer):
        # Planned for a Friday: a weekend does not delay the alert.
        audit = AuditFactory(
            contract=contract,
            status=AuditStatus.PLANNED,
            auditor="Firm",
            planned_on=datetime.date(2026, 6, 12),
        )
        assert run(audit_alerts.planned_audits_not_recorded, datetime.date(2026, 6, 12)) == []
        (spec,) = run(audit_alerts.planned_audits_not_recorded, datetime.date(2026, 6, 13))
        assert spec.key == f"audit-not-recorded:{audit.pk}:2026-06-12"
        assert spec.users == (officer,)
        assert spec.url == audit.get_absolute_url()
        assert keys(run(audit_alerts.planned_audits_not_recorded, TODAY)) == {spec.key}
        audit.planned_on = datetime.date(2026, 6, 14)
        audit.save()
        assert keys(run(audit_alerts.planned_audits_not_recorded, TODAY)) == {
            f"audit-not-recorded:{audit.pk}:2026-06-14"
        }

    def test_only_planned_audits(self, contract):
        for status in (AuditStatus.PROPOSED, AuditStatus.CANCELLED):
            AuditFactory(contract=contract, status=status, planned_on=datetime.date(2026, 6, 1))
        CompletedAuditFactory(contract=contract)
        assert run(audit_alerts.planned_audits_not_recorded, TODAY) == []

    def test_one_query_whatever_the_number_of_audits(self, officer):
        def planned():
            return AuditFactory(
                contract=ContractFactory(lead_officer=officer),
                status=AuditStatus.PLANNED,
                planned_on=datetime.date(2026, 6, 1),
            )

        planned()
        with CaptureQueriesContext(connection) as few:
            run(audit_alerts.planned_audits_not_recorded, TODAY)
        for _ in range(5):
            planned()
        with CaptureQueriesContext(connection) as many:
            assert len(run(audit_alerts.planned_audits_not_recorded, TODAY)) == 6
        assert len(few) == len(many) == 1


# -- Pages --------------------------------------------------------------------------------

COMPLAINT_CSV_HEADER = (
    "Complaint",
    "Contract",
    "Provider",
    "Category",
    "Received",
    "Open or closed",
    "Closed",
    "Upheld",
    "Outcome",
)

AUDIT_CSV_HEADER = (
    "Audit",
    "Contract",
    "Provider",
    "Type",
    "Proposed by",
    "Planned date",
    "Status",
    "Date conducted",
    "Who carries it out",
    "Scope",
    "Findings",
    "Recommendations",
    "Why a second audit within 12 months",
)


class ContractChildViews(ModelViewTests):
    def make_writer(self):
        writer = self.make_user(role=Role.CONTRACT_MANAGER)
        self.contract = ContractFactory(lead_officer=writer)
        return writer

    def out_of_scope(self, make_user):
        own = OrganisationFactory()
        return make_user(role=Role.PROVIDER, organisation=own), self.make()


class TestComplaintViews(ContractChildViews):
    model = Complaint
    list_url_name = "contracts:complaint_list"
    detail_url_name = "contracts:complaint_detail"
    tab_url_names = ("contracts:complaint_history",)
    update_url_name = "contracts:complaint_update"
    csv_header = COMPLAINT_CSV_HEADER

    def make(self, **kwargs):
        return ComplaintFactory(contract=ContractFactory(lead_officer=self.writer), **kwargs)

    def create_url(self):
        return reverse("contracts:complaint_create", args=[self.contract.pk])

    def create_data(self):
        return {
            **date_data("received_on", datetime.date(2026, 6, 3)),
            "summary": "Letter about rude staff",
            "category": ComplaintCategory.STAFF,
            "upheld": "undecided",
        }

    def update_data(self, obj):
        return {
            **date_data("received_on", obj.received_on),
            "summary": obj.summary,
            "category": ComplaintCategory.COMMUNICATION,
            "outcome": "Called back.",
            "upheld": "no",
        }


class TestAuditViews(ContractChildViews):
    model = Audit
    list_url_name = "contracts:audit_list"
    detail_url_name = "contracts:audit_detail"
    tab_url_names = ("contracts:audit_history",)
    update_url_name = "contracts:audit_update"
    csv_header = AUDIT_CSV_HEADER

    def make(self, **kwargs):
        return AuditFactory(contract=ContractFactory(lead_officer=self.writer), **kwargs)

    def create_url(self):
        return reverse("contracts:audit_create", args=[self.contract.pk])

    def create_data(self):
        return {
            "audit_type": AuditType.FINANCE,
            "proposed_by": Party.COMMISSIONER,
            "scope": "Invoices against units delivered.",
            **date_data("planned_on", datetime.date(2026, 10, 5)),
        }

    def update_data(self, obj):
        return {
            "audit_type": obj.audit_type,
            "proposed_by": obj.proposed_by,
            "scope": obj.scope,
            **date_data("planned_on", obj.planned_on),
            "auditor": "External auditors",
        }


@pytest.mark.django_db
class TestComplaintAndAuditPages:
    def test_closing_a_complaint_on_its_page(self, contract, officer, login):
        complaint = ComplaintFactory(contract=contract)
        client = login(officer)
        url = reverse("contracts:complaint_close", args=[complaint.pk])
        response = client.post(
            url,
            {**date_data("closed_on", datetime.date(2026, 5, 1)), "outcome": "x", "upheld": "yes"},
        )
        assert response.status_code == 400
        assert any("before it was received" in e for e in form_errors(response))
        response = client.post(
            url,
            {**date_data("closed_on", TODAY), "outcome": "Apology given.", "upheld": "yes"},
        )
        assert response.status_code == 302, form_errors(response)
        complaint.refresh_from_db()
        assert (complaint.closed_on, complaint.upheld) == (TODAY, True)

    def test_the_complaints_tab_counts_and_lists(self, contract, officer, login):
        ComplaintFactory(contract=contract, upheld=True, outcome="x", closed_on=TODAY)
        listed = ComplaintFactory(contract=contract)
        page = login(officer).get(reverse("contracts:contract_complaints", args=[contract.pk]))
        text = page.content.decode()
        assert "2 complaints received: 1 open, 1 upheld." in text
        assert listed.get_absolute_url() in text
        assert reverse("contracts:complaint_create", args=[contract.pk]) in text

    def test_the_second_audit_rule_is_shown_on_its_field(self, contract, officer, login):
        AuditFactory(contract=contract, planned_on=datetime.date(2026, 9, 14))
        response = login(officer).post(
            reverse("contracts:audit_create", args=[contract.pk]),
            {
                "audit_type": AuditType.FINANCE,
                "proposed_by": Party.PROVIDER,
                "scope": "Invoices.",
                **date_data("planned_on", datetime.date(2026, 12, 1)),
            },
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert 'id="id_second_audit_justification-error"' in page
        assert "record why a second one is needed." in page
        assert Audit.objects.count() == 1

    def test_an_audits_life_on_its_pages(self, contract, officer, login):
        audit = AuditFactory(contract=contract, planned_on=datetime.date(2026, 6, 10))
        client = login(officer)
        detail = client.get(audit.get_absolute_url()).content.decode()
        plan_url = reverse("contracts:audit_transition", args=[audit.pk, "planned"])
        assert plan_url in detail
        response = client.post(
            plan_url, {**date_data("planned_on", audit.planned_on), "auditor": "Internal audit"}
        )
        assert response.status_code == 302, form_errors(response)
        complete_url = reverse("contracts:audit_transition", args=[audit.pk, "completed"])
        assert client.get(complete_url).status_code == 200
        response = client.post(
            complete_url,
            {
                **date_data("conducted_on", datetime.date(2026, 6, 11)),
                "auditor": "Internal audit",
                "findings": "Mostly sound.",
                "recommendations": "Lock the filing cabinet\nTrain new staff",
            },
        )
        assert response.status_code == 302, form_errors(response)
        audit.refresh_from_db()
        assert audit.status == AuditStatus.COMPLETED
        detail = client.get(audit.get_absolute_url()).content.decode()
        raise_url = (
            reverse("governance:action_create", args=[contract.pk])
            + f"?source=audit&amp;source_id={audit.pk}&amp;line=2"
        )
        assert raise_url in detail
        assert (
            client.get(
                reverse("contracts:audit_transition", args=[audit.pk, "cancelled"])
            ).status_code
            == 200
        )
        response = client.post(
            reverse("contracts:audit_transition", args=[audit.pk, "cancelled"]), {"reason": "x"}
        )
        assert response.status_code == 400
        assert "An audit that is completed cannot become cancelled." in response.content.decode()
        assert (
            client.get(
                reverse("contracts:audit_transition", args=[audit.pk, "approved"])
            ).status_code
            == 404
        )

    def test_the_audits_tab_lists_and_offers_a_proposal(self, contract, officer, make_user, login):
        audit = AuditFactory(contract=contract)
        url = reverse("contracts:contract_audits", args=[contract.pk])
        text = login(officer).get(url).content.decode()
        assert audit.get_absolute_url() in text
        assert reverse("contracts:audit_create", args=[contract.pk]) in text
        text = login(make_user(role=Role.AUDITOR)).get(url).content.decode()
        assert audit.get_absolute_url() in text
        assert reverse("contracts:audit_create", args=[contract.pk]) not in text

    def test_provider_users_see_their_own_and_change_nothing(self, contract, make_user, login):
        complaint = ComplaintFactory(contract=contract)
        audit = CompletedAuditFactory(contract=contract)
        client = login(make_user(role=Role.PROVIDER, organisation=contract.provider))
        for record in (complaint, audit):
            assert client.get(record.get_absolute_url()).status_code == 200
        detail = client.get(audit.get_absolute_url()).content.decode()
        assert "Raise as an action" not in detail
        for url in (
            reverse("contracts:contract_complaints", args=[contract.pk]),
            reverse("contracts:contract_audits", args=[contract.pk]),
        ):
            assert client.get(url).status_code == 200
        for url in (
            reverse("contracts:complaint_create", args=[contract.pk]),
            reverse("contracts:complaint_update", args=[complaint.pk]),
            reverse("contracts:complaint_close", args=[complaint.pk]),
            reverse("contracts:audit_create", args=[contract.pk]),
            reverse("contracts:audit_update", args=[audit.pk]),
            reverse("contracts:audit_transition", args=[audit.pk, "cancelled"]),
        ):
            assert client.get(url).status_code == 403, url
            assert client.post(url, {"reason": "x"}).status_code == 403, url
        others = (ComplaintFactory(), AuditFactory())
        for record in others:
            assert client.get(record.get_absolute_url()).status_code == 404

    def test_auditors_change_nothing(self, contract, make_user, login):
        complaint = ComplaintFactory(contract=contract)
        audit = AuditFactory(contract=contract)
        client = login(make_user(role=Role.AUDITOR))
        for url in (
            reverse("contracts:complaint_close", args=[complaint.pk]),
            reverse("contracts:audit_transition", args=[audit.pk, "planned"]),
        ):
            assert client.get(url).status_code == 403
            assert client.post(url, {"reason": "x"}).status_code == 403
        audit.refresh_from_db()
        assert audit.status == AuditStatus.PROPOSED

    def test_the_audit_page_costs_the_same_with_more_actions(self, contract, officer, login):
        from tests.governance.meetings.meeting_factories import ActionFactory

        audit = CompletedAuditFactory(contract=contract)
        client = login(officer)
        ActionFactory(contract=contract, source_record=audit, source="audit")
        before = count_queries(client, audit.get_absolute_url())
        for _ in range(5):
            ActionFactory(contract=contract, source_record=audit, source="audit")
        AuditFactory(contract=contract, planned_on=datetime.date(2026, 5, 1))
        assert count_queries(client, audit.get_absolute_url()) == before


@pytest.mark.django_db
class TestTheAuditsMoves:
    def test_a_blocked_move_shows_the_services_refusal_and_an_offered_one_is_taken(
        self, contract, officer, login
    ):
        # Planned before another audit was recorded near it, so without a justification:
        # the service will not record it as completed until one is given.
        audit = AuditFactory(
            contract=contract,
            status=AuditStatus.PLANNED,
            planned_on=datetime.date(2026, 6, 10),
            auditor="Internal audit team",
        )
        AuditFactory(
            contract=contract,
            planned_on=datetime.date(2026, 9, 14),
            second_audit_justification="The provider asked for a follow-up.",
        )
        why = refused(
            services.audit_transition,
            audit=audit,
            actor=officer,
            to_status=AuditStatus.COMPLETED,
            conducted_on=datetime.date(2026, 6, 12),
            auditor="Internal audit team",
            findings="Doors secure.",
        ).messages
        assert why == [services.SECOND_AUDIT]
        moves = services.audit_moves(audit=audit, user=officer)
        assert moves == {AuditStatus.COMPLETED: why, AuditStatus.CANCELLED: []}
        page = login(officer).get(audit.get_absolute_url()).content.decode()
        assert f"Record the audit as completed is not available yet: {why[0]}</p>" in page
        assert 'aria-disabled="true"' in page
        complete = reverse("contracts:audit_transition", args=[audit.pk, AuditStatus.COMPLETED])
        cancel = reverse("contracts:audit_transition", args=[audit.pk, AuditStatus.CANCELLED])
        assert complete not in page and cancel in page
        response = login(officer).post(cancel, {"reason": "Replaced by the September audit."})
        assert response.status_code == 302
        audit.refresh_from_db()
        assert audit.status == AuditStatus.CANCELLED

    def test_people_who_may_not_change_the_audit_are_shown_no_moves(self, contract, make_user):
        audit = AuditFactory(contract=contract)
        assert services.audit_moves(audit=audit, user=make_user(role=Role.AUDITOR)) == {}
