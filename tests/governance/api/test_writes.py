"""Writes through the pages' own forms and services: providers fill in and submit their
returns; contract managers record KPI results, risks and contact log entries. A broken
rule is 400 with the form's own message, keyed by field; history says who, and that it
came through the API."""

import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from contracts.performance.choices import ReturnStatus
from contracts.performance.models.returns import KpiResult
from contracts.performance.services import returns as performance_services
from governance.contactlog.models import ContactLogEntry
from governance.core.concurrency import current_version
from governance.core.roles import Role
from risks.models import Risk
from tests.contracts.performance import test_returns as return_tests
from tests.contracts.performance.return_factories import period_with_returns
from tests.contracts.register.factories import OrganisationFactory
from tests.governance.api.cases import token_client
from tests.risks.test_views import risk_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider_user(make_user, contract):
    return make_user(role=Role.PROVIDER, organisation=contract.provider)


@pytest.fixture
def period(contract):
    return_tests.percentage_kpi(contract)
    return_tests.days_kpi(contract)
    return period_with_returns(contract=contract, financial_year=2026, quarter=1)


def kpi_ids(performance_return) -> dict[str, int]:
    return {
        result.kpi.name: result.kpi_id
        for result in performance_return.results.select_related("kpi")
    }


def fill_url(kind, obj):
    return reverse(f"api:{kind}-fill", args=[obj.pk])


def submit_url(kind, obj):
    return reverse(f"api:{kind}-submit", args=[obj.pk])


def quarter_results(performance_return) -> list[dict]:
    kpis = kpi_ids(performance_return)
    return [
        {"kpi": kpis["Victims satisfied with support"], "actual": "92.5", "commentary": "Good"},
        {"kpi": kpis["Days to first contact"], "actual": "4", "commentary": "On time"},
    ]


class TestPerformanceReturns:
    def test_the_provider_fills_in_and_submits_their_return(self, period, provider_user):
        performance = period.performance_return
        client = token_client(provider_user)
        response = client.post(
            fill_url("performancereturn", performance),
            {
                "results": quarter_results(performance),
                "commentary": "A steady quarter.",
                "change_reason": "Q1 figures",
                "record_version": current_version(performance),
            },
            format="json",
        )
        assert response.status_code == 200, response.json()
        body = response.json()
        assert body["commentary"] == "A steady quarter."
        assert sorted(r["actual"] for r in body["results"]) == ["4.00", "92.50"]
        result = KpiResult.objects.get(kpi__name="Days to first contact")
        record = result.history.first()
        assert record.history_user == provider_user
        assert record.history_change_reason == "Q1 figures (via the API)"

        response = client.post(submit_url("performancereturn", performance), {}, format="json")
        assert response.status_code == 200, response.json()
        performance.refresh_from_db()
        assert performance.status == ReturnStatus.SUBMITTED
        assert performance.submitted_by == provider_user
        assert performance.history.first().history_change_reason == "Submitted (via the API)"

    def test_a_broken_rule_gives_the_forms_message_by_field(self, period, provider_user):
        performance = period.performance_return
        kpi = kpi_ids(performance)["Days to first contact"]
        client = token_client(provider_user)
        response = client.post(
            fill_url("performancereturn", performance),
            {"results": [{"kpi": kpi, "actual": "lots"}], "record_version": "1"},
            format="json",
        )
        assert response.status_code == 400
        assert response.json() == {
            f"actual_{kpi}": ["Days to first contact: enter the actual as a number, like 92.5."],
            "change_reason": ["Give a reason for this change."],
        }
        assert (
            KpiResult.objects.filter(performance_return=performance, actual__isnull=False).count()
            == 0
        )

    def test_submitting_an_incomplete_return_is_refused_with_the_services_message(
        self, period, provider_user
    ):
        performance = period.performance_return
        response = token_client(provider_user).post(
            submit_url("performancereturn", performance), {}, format="json"
        )
        assert response.status_code == 400
        assert response.json()  # the service's own sentence, as on the page
        performance.refresh_from_db()
        assert performance.status == ReturnStatus.DRAFT

    def test_the_contract_manager_records_kpi_results(self, period, officer):
        performance = period.performance_return
        response = token_client(officer).post(
            fill_url("performancereturn", performance),
            {
                "results": quarter_results(performance),
                "change_reason": "From the call",
                "record_version": current_version(performance),
            },
            format="json",
        )
        assert response.status_code == 200, response.json()
        assert KpiResult.objects.get(kpi__name="Victims satisfied with support").actual == D("92.5")

    def test_who_may_write(self, period, make_user):
        performance = period.performance_return
        body = {"results": quarter_results(performance), "change_reason": "Figures"}
        for url in (
            fill_url("performancereturn", performance),
            submit_url("performancereturn", performance),
        ):
            assert APIClient().post(url, body, format="json").status_code == 401
            for role, code in ((None, 403), (Role.AUDITOR, 403), (Role.SMG, 403)):
                client = token_client(make_user(role=role))
                assert client.post(url, body, format="json").status_code == code, (role, url)
            other = make_user(role=Role.PROVIDER, organisation=OrganisationFactory())
            assert token_client(other).post(url, body, format="json").status_code == 404
        assert performance.history.count() == 1


class TestFinancialReturns:
    def test_the_provider_fills_in_and_submits_their_return(self, period, provider_user):
        finance = period.financial_return
        client = token_client(provider_user)
        response = client.post(
            fill_url("financialreturn", finance),
            {
                "budget": "100000",
                "actual_spend": "99,000",
                "payments_made": "98000",
                "commentary": "",
                "change_reason": "Q1 finance",
                "record_version": current_version(finance),
            },
            format="json",
        )
        assert response.status_code == 200, response.json()
        assert response.json()["actual_spend"] == "99000.00"
        finance.refresh_from_db()
        assert finance.history.first().history_change_reason == "Q1 finance (via the API)"
        response = client.post(submit_url("financialreturn", finance), {}, format="json")
        assert response.status_code == 200, response.json()
        finance.refresh_from_db()
        assert finance.status == ReturnStatus.SUBMITTED

    def test_a_broken_rule_is_400_by_field(self, period, provider_user):
        finance = period.financial_return
        response = token_client(provider_user).post(
            fill_url("financialreturn", finance),
            {"budget": "a lot", "change_reason": "Q1", "record_version": current_version(finance)},
            format="json",
        )
        assert response.status_code == 400
        assert list(response.json()) == ["budget"]


STALE_KINDS = [
    ("performancereturn", "performance_return", {"commentary": "From the API"}),
    ("financialreturn", "financial_return", {"budget": "120000", "commentary": "From the API"}),
]


def change_in_between(period, attr, officer):
    """Someone changes the return through its service (as the page does)."""
    if attr == "performance_return":
        performance_services.performance_return_update(
            performance_return=period.performance_return,
            actor=officer,
            reason="Typo",
            commentary="Changed on the page",
        )
    else:
        performance_services.financial_return_update(
            financial_return=period.financial_return,
            actor=officer,
            reason="Typo",
            budget=D("110000"),
            commentary="Changed on the page",
        )


class TestNoLostUpdate:
    """An update says which version of the record it was read at; a change made since is
    not overwritten."""

    @pytest.mark.parametrize(("kind", "attr", "fields"), STALE_KINDS)
    def test_the_version_is_read_with_the_record(self, period, provider_user, kind, attr, fields):
        record = getattr(period, attr)
        client = token_client(provider_user)
        list_name = {"performancereturn": "performance-returns"}.get(kind, "financial-returns")
        detail = client.get(f"/api/v1/{list_name}/{record.pk}/").json()
        listed = client.get(f"/api/v1/{list_name}/").json()["results"]
        assert detail["record_version"] == current_version(record) != ""
        assert [row["record_version"] for row in listed if row["id"] == record.pk] == [
            current_version(record)
        ]

    @pytest.mark.parametrize(("kind", "attr", "fields"), STALE_KINDS)
    def test_an_update_without_the_version_is_400_and_changes_nothing(
        self, period, provider_user, kind, attr, fields
    ):
        record = getattr(period, attr)
        before = current_version(record)
        response = token_client(provider_user).post(
            fill_url(kind, record), {**fields, "change_reason": "Q1"}, format="json"
        )
        assert response.status_code == 400
        assert response.json() == {
            "record_version": [
                "Send the record_version you read, so a change made since is not overwritten"
            ]
        }
        record.refresh_from_db()
        assert record.commentary == ""
        assert current_version(record) == before

    @pytest.mark.parametrize(("kind", "attr", "fields"), STALE_KINDS)
    def test_a_stale_update_is_409_with_the_current_version_and_changes_nothing(
        self, period, provider_user, officer, kind, attr, fields
    ):
        record = getattr(period, attr)
        client = token_client(provider_user)
        read = client.get(reverse(f"api:{kind}-detail", args=[record.pk])).json()
        change_in_between(period, attr, officer)
        response = client.post(
            fill_url(kind, record),
            {**fields, "change_reason": "Q1", "record_version": read["record_version"]},
            format="json",
        )
        assert response.status_code == 409
        body = response.json()
        record.refresh_from_db()
        assert body["current_record_version"] == current_version(record)
        assert body["current_record_version"] != read["record_version"]
        message = body["non_field_errors"][0]
        assert message.startswith(f"{officer.get_full_name()} changed this record on")
        assert "Nothing you entered has been saved." in message
        assert record.commentary == "Changed on the page"
        assert record.history.first().history_change_reason == "Typo"

    @pytest.mark.parametrize(("kind", "attr", "fields"), STALE_KINDS)
    def test_an_update_at_the_current_version_is_saved(
        self, period, provider_user, officer, kind, attr, fields
    ):
        record = getattr(period, attr)
        change_in_between(period, attr, officer)
        client = token_client(provider_user)
        read = client.get(reverse(f"api:{kind}-detail", args=[record.pk])).json()
        response = client.post(
            fill_url(kind, record),
            {**fields, "change_reason": "Q1", "record_version": read["record_version"]},
            format="json",
        )
        assert response.status_code == 200, response.json()
        record.refresh_from_db()
        assert record.commentary == "From the API"
        assert response.json()["record_version"] == current_version(record)
        assert response.json()["record_version"] != read["record_version"]

    def test_a_submit_sent_with_a_stale_version_is_409_and_changes_nothing(
        self, period, provider_user, officer
    ):
        record = period.financial_return
        seen = current_version(record)
        change_in_between(period, "financial_return", officer)
        response = token_client(provider_user).post(
            submit_url("financialreturn", record),
            {"reason": "Q1", "record_version": seen},
            format="json",
        )
        assert response.status_code == 409
        record.refresh_from_db()
        assert response.json()["current_record_version"] == current_version(record)
        assert record.status == ReturnStatus.DRAFT


class TestRisks:
    def test_the_contract_manager_raises_a_risk(self, contract, officer):
        review_on = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
        response = token_client(officer).post(
            reverse("api:risk-list"),
            {**risk_form_data(officer), "contract": contract.pk, "next_review_date": review_on},
            format="json",
        )
        assert response.status_code == 201, response.json()
        risk = Risk.objects.get(pk=response.json()["id"])
        assert risk.contract == contract and risk.next_review_date.isoformat() == review_on
        record = risk.history.get()
        assert record.history_user == officer
        assert record.history_change_reason == "Raised (via the API)"

    def test_a_broken_rule_is_400_with_the_forms_message(self, contract, officer):
        data = {**risk_form_data(officer), "contract": contract.pk, "title": ""}
        response = token_client(officer).post(reverse("api:risk-list"), data, format="json")
        assert response.status_code == 400
        assert "title" in response.json()
        assert not Risk.objects.exists()

    def test_who_may_raise_one(self, contract, officer, make_user):
        data = {**risk_form_data(officer), "contract": contract.pk}
        url = reverse("api:risk-list")
        assert APIClient().post(url, data, format="json").status_code == 401
        assert token_client(make_user(role=None)).post(url, data, format="json").status_code == 403
        assert (
            token_client(make_user(role=Role.AUDITOR)).post(url, data, format="json").status_code
            == 403
        )
        # Another contract manager's contract is not theirs to add to.
        other = token_client(make_user(role=Role.CONTRACT_MANAGER))
        assert other.post(url, data, format="json").status_code == 404
        assert other.post(url, {**data, "contract": "x"}, format="json").status_code == 400
        assert not Risk.objects.exists()


class TestContactLog:
    def entry(self, contract, **changes):
        return {
            "contract": contract.pk,
            "occurred_at": "2026-06-12",
            "time": "15:30",
            "channel": "phone",
            "direction": "to_provider",
            "subject": "Missed safeguarding referral",
            "summary": "Raised a referral that was not passed on within a day.",
            "is_concern": True,
            **changes,
        }

    def test_the_contract_manager_logs_a_contact(self, contract, officer):
        response = token_client(officer).post(
            reverse("api:contactlogentry-list"), self.entry(contract), format="json"
        )
        assert response.status_code == 201, response.json()
        entry = ContactLogEntry.objects.get()
        assert entry.is_concern and entry.contract == contract
        record = entry.history.first()
        assert record.history_user == officer
        assert record.history_change_reason.endswith("(via the API)")

    def test_a_date_that_is_not_real_is_400(self, contract, officer):
        response = token_client(officer).post(
            reverse("api:contactlogentry-list"),
            self.entry(contract, occurred_at="2026-02-30"),
            format="json",
        )
        assert response.status_code == 400
        assert response.json()["occurred_at"] == ["Date must be a real date."]
        assert not ContactLogEntry.objects.exists()

    def test_who_may_log_one(self, contract, make_user):
        url = reverse("api:contactlogentry-list")
        data = self.entry(contract)
        assert APIClient().post(url, data, format="json").status_code == 401
        for role in (None, Role.AUDITOR):
            assert (
                token_client(make_user(role=role)).post(url, data, format="json").status_code == 403
            )
        other = token_client(make_user(role=Role.CONTRACT_MANAGER))
        assert other.post(url, data, format="json").status_code == 404
        assert other.post(url, {**data, "contract": None}, format="json").status_code == 400
        assert not ContactLogEntry.objects.exists()


def test_a_browser_session_writes_only_with_its_csrf_token(contract, officer):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(officer)
    data = {**risk_form_data(officer), "contract": contract.pk}
    response = client.post(reverse("api:risk-list"), data, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Risk.objects.exists()
