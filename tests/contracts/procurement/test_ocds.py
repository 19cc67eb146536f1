"""The OCDS export: one release of every kind of notice validates against the vendored
OCDS 1.1 schema with its extensions, the contract's compiled record and a bulk package
validate, an invalid export is refused and never served, and the downloads follow the
notices' permissions."""

import datetime
import json
import zoneinfo
from decimal import Decimal
from types import SimpleNamespace
from unittest import mock

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from contracts.performance.models.returns import KpiResult
from contracts.procurement.choices import EndingReason, NoticeKind, NoticeStatus
from contracts.procurement.models import ChangeClassification, ContractEnding, Notice
from contracts.procurement.ocds import packages, releases
from contracts.procurement.ocds.schema import (
    EXTENSION_URLS,
    record_package_errors,
    release_package_errors,
    release_schema,
)
from contracts.procurement.services import duties
from contracts.register.models.contracts import Variation
from governance.core.roles import Role
from tests.contracts.performance.kpi_factories import ContractKpiFactory
from tests.contracts.performance.return_factories import period_with_returns
from tests.contracts.procurement.factories import NoticeFactory, act_contract
from tests.contracts.procurement.invoice_factories import PaidInvoiceFactory
from tests.contracts.register.factories import OrganisationFactory

D = datetime.date
LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2026, 12, 4, 10, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _friday_morning():
    with time_machine.travel(NOW, tick=False):
        yield


def package_of(notice) -> dict:
    return packages.notice_package(notice, "https://example.org/notices/1/ocds/")


def the_release(notice) -> dict:
    package = package_of(notice)
    assert release_package_errors(package) == []
    assert package["extensions"] == EXTENSION_URLS
    [release] = package["releases"]
    return release


def fake_assessment(kpi, rating="approaching_target"):
    return SimpleNamespace(
        pk=7,
        kpi=kpi,
        rating=rating,
        explanation="Two quarters just outside the target.",
        period_start=D(2026, 1, 1),
        period_end=D(2026, 9, 30),
        get_rating_display=lambda: "Approaching target",
    )


def fake_failure():
    return SimpleNamespace(
        pk=3,
        requirement="Referrals are contacted within 5 working days.",
        description="No contact for a month after 40 referrals.",
        decided_at=datetime.datetime(2026, 11, 2, 9, 0, tzinfo=LONDON),
        consequence_on=D(2026, 11, 20),
        penalty_type="negotiated",
        penalty_value=Decimal("15000.00"),
        partial_termination="",
    )


@pytest.mark.django_db
class TestOneReleaseOfEachKindValidates:
    def test_the_patched_schema_has_the_uk_profile_and_metrics(self):
        schema = release_schema()
        assert "noticeType" in schema["definitions"]["Document"]["properties"]
        assert "measureClassification" in schema["definitions"]["Observation"]["properties"]
        assert "agreedMetrics" in schema["definitions"]["Contract"]["properties"]
        implementation = schema["definitions"]["Implementation"]["properties"]
        assert {"metrics", "performanceFailures"} <= set(implementation)

    def test_performance_failures_follow_the_published_extension_and_the_uk_profile(self):
        schema = release_schema()
        failure = schema["definitions"]["PerformanceFailure"]
        # The open-contracting extension's own fields and rules ...
        assert {"id", "period", "events", "penaltyImposed"} <= set(failure["properties"])
        assert failure["minProperties"] == 1
        listed = schema["definitions"]["Implementation"]["properties"]["performanceFailures"]
        assert listed["minItems"] == 1
        # ... with the fields the UK profile adds.
        assert {"requirement", "decisionDate", "penaltyType"} <= set(failure["properties"])

    def test_packages_declare_each_extension_on_the_branch_it_was_taken_from(self):
        assert EXTENSION_URLS == [
            "https://raw.githubusercontent.com/open-contracting-extensions/"
            "ocds_metrics_extension/1.1/extension.json",
            "https://raw.githubusercontent.com/open-contracting-extensions/"
            "ocds_performance_failures_extension/master/extension.json",
            "https://raw.githubusercontent.com/cabinetoffice/ocds_uk_extension/main/extension.json",
        ]

    def test_contract_details_carry_the_published_kpis(self):
        contract = act_contract(total_value=Decimal("6000000"))
        kpi = ContractKpiFactory(contract=contract, is_key_indicator=True, name="First contact")
        ContractKpiFactory(contract=contract, is_key_indicator=False)
        notice = NoticeFactory(contract=contract, kind=NoticeKind.CONTRACT_DETAILS)
        release = the_release(notice)
        assert release["tag"] == ["contract"]
        assert release["ocid"] == f"ocds-local1-{contract.reference}"
        [block] = release["contracts"]
        assert block["documents"][0]["noticeType"] == "UK7"
        assert block["dateSigned"].startswith("2025-03-20")
        assert [m["title"] for m in block["agreedMetrics"]] == ["First contact"]
        assert block["agreedMetrics"][0]["id"] == f"kpi-{kpi.pk}"

    def test_a_performance_notice_carries_results_and_the_rating(self):
        contract = act_contract()
        kpi = ContractKpiFactory(contract=contract, is_key_indicator=True)
        period = period_with_returns(contract=contract, financial_year=2026, quarter=1)
        KpiResult.objects.filter(performance_return=period.performance_return).update(
            actual=Decimal("6.5")
        )
        notice = NoticeFactory(contract=contract, kind=NoticeKind.PERFORMANCE)
        with mock.patch.object(Notice, "source", fake_assessment(kpi)):
            release = the_release(notice)
        assert release["tag"] == ["implementation"]
        [block] = release["contracts"]
        assert block["documents"][0]["noticeType"] == "UK9"
        assert block["documents"][0]["documentType"] == "implementationNotice"
        [metric] = block["implementation"]["metrics"]
        observations = metric["observations"]
        assert observations[0]["measure"] == 6.5
        assert observations[-1]["measureClassification"] == {
            "id": "slightlyBelow",
            "description": "Approaching target",
        }

    @pytest.mark.parametrize(
        "rating, classification",
        [
            ("good", "met"),
            ("approaching_target", "slightlyBelow"),
            ("requires_improvement", "below"),
            ("inadequate", "significantlyBelow"),
            ("other", "other"),
        ],
    )
    def test_each_rating_has_its_measure_classification(self, rating, classification):
        contract = act_contract()
        kpi = ContractKpiFactory(contract=contract, is_key_indicator=True)
        notice = NoticeFactory(contract=contract, kind=NoticeKind.PERFORMANCE)
        with mock.patch.object(Notice, "source", fake_assessment(kpi, rating)):
            release = the_release(notice)
        observation = release["contracts"][0]["implementation"]["metrics"][0]["observations"][-1]
        assert observation["measureClassification"]["id"] == classification

    def test_a_breach_notice_carries_the_performance_failure(self):
        notice = NoticeFactory(kind=NoticeKind.BREACH)
        with mock.patch.object(Notice, "source", fake_failure()):
            release = the_release(notice)
        [failure] = release["contracts"][0]["implementation"]["performanceFailures"]
        assert failure["penaltyType"] == "negotiated"
        assert failure["penaltyValue"] == {"amount": 15000.0, "currency": "GBP"}
        assert failure["suppliers"][0]["name"] == notice.contract.provider.name

    def test_a_change_notice_carries_the_amendment(self, make_user):
        contract = act_contract()
        lead = make_user(role=Role.CONTRACT_MANAGER)
        variation = Variation.objects.create(
            contract=contract,
            number=1,
            summary="Add an outreach worker",
            justification="Referrals from rural areas doubled.",
            requested_by="commissioner",
            new_total_value=Decimal("1500000"),
            new_end_date=D(2029, 3, 31),
            proposed_by=lead,
            decided_at=timezone.now(),
        )
        ChangeClassification.objects.create(
            variation=variation,
            kind="services",
            value_change_percent=Decimal("25"),
            value_threshold_percent=Decimal("10"),
            term_change_percent=Decimal("33.33"),
            term_threshold_percent=Decimal("10"),
            notice_required=True,
            explanation="The value rises by 25%, more than the 10% allowed.",
            standstill_starts_on=D(2026, 11, 2),
            standstill_ends_on=D(2026, 11, 12),
        )
        notice = NoticeFactory(contract=contract, kind=NoticeKind.CHANGE, source=variation)
        release = the_release(notice)
        assert release["tag"] == ["contractAmendment"]
        [amendment] = release["contracts"][0]["amendments"]
        assert amendment["standstill"] is True
        assert amendment["value"]["amount"] == 1500000.0
        assert release["contracts"][0]["documents"][0]["noticeType"] == "UK10"

    @pytest.mark.parametrize(
        ("value", "expected"),
        [(Decimal("214903.99"), False), (Decimal("214904"), True), (Decimal("214905"), True)],
    )
    def test_a_contract_is_above_its_threshold_from_the_threshold_itself(self, value, expected):
        contract = act_contract(total_value=value, procurement__kind="services")
        notice = NoticeFactory(contract=contract, kind=NoticeKind.CONTRACT_DETAILS)
        assert the_release(notice)["contracts"][0]["aboveThreshold"] is expected

    @pytest.mark.parametrize(
        ("procurement", "below_value", "threshold"),
        [
            ({"kind": "works"}, Decimal("5372608"), Decimal("5372609")),
            ({"kind": "services", "concession": True}, Decimal("5372608"), Decimal("5372609")),
            ({"kind": "services", "light_touch": True}, Decimal("663539"), Decimal("663540")),
            ({"kind": "goods", "utilities": True}, Decimal("429808"), Decimal("429809")),
        ],
    )
    def test_each_kind_of_contract_has_its_own_threshold(self, procurement, below_value, threshold):
        fields = {f"procurement__{name}": value for name, value in procurement.items()}
        below = act_contract(total_value=below_value, **fields)
        at = act_contract(total_value=threshold, **fields)
        assert duties.procurement_threshold(at) == threshold
        assert not duties.above_threshold(below, below.total_value)
        assert duties.above_threshold(at, at.total_value)

    def test_the_threshold_is_a_setting(self, settings):
        settings.PROCUREMENT_THRESHOLD_GOODS_SERVICES = 250_000
        contract = act_contract(total_value=Decimal("240000"), procurement__kind="services")
        notice = NoticeFactory(contract=contract, kind=NoticeKind.CONTRACT_DETAILS)
        assert the_release(notice)["contracts"][0]["aboveThreshold"] is False

    @pytest.mark.parametrize(
        ("new_value", "expected"),
        [(Decimal("214903"), False), (Decimal("214904"), True), (None, False)],
    )
    def test_an_amendment_compares_the_amended_value(self, make_user, new_value, expected):
        # A contract just under the threshold whose change takes it to it, or not.
        contract = act_contract(total_value=Decimal("200000"), procurement__kind="services")
        variation = Variation.objects.create(
            contract=contract,
            number=1,
            summary="Extend the helpline",
            justification="Calls rose by a third.",
            requested_by="commissioner",
            new_total_value=new_value,
            proposed_by=make_user(role=Role.CONTRACT_MANAGER),
            decided_at=timezone.now(),
        )
        notice = NoticeFactory(contract=contract, kind=NoticeKind.CHANGE, source=variation)
        release = the_release(notice)
        [amendment] = release["contracts"][0]["amendments"]
        assert amendment["aboveThreshold"] is expected
        # The contract itself is still at its own value, under the threshold.
        assert release["contracts"][0]["aboveThreshold"] is False

    def test_a_termination_notice_says_why_the_contract_ended(self):
        contract = act_contract()
        ContractEnding.objects.create(
            contract=contract,
            ended_on=D(2026, 10, 31),
            cause=EndingReason.BREACH,
            breach_description="Safeguarding checks were not made.",
        )
        notice = NoticeFactory(contract=contract, kind=NoticeKind.TERMINATION)
        release = the_release(notice)
        assert release["tag"] == ["contractTermination"]
        [block] = release["contracts"]
        assert block["status"] == "terminated"
        assert block["period"]["endDate"].startswith("2026-10-31")
        assert block["terminationRationaleClassifications"][0]["id"] == "breach"
        assert block["documents"][0]["documentType"] == "contractTerminationNotice"

    def test_a_payments_compliance_notice_carries_its_figures_and_payments(self):
        # The authority's one notice: a release for each contract it covers, each with
        # the figures for all contracts, its own share and its own payments.
        contract, other = act_contract(), act_contract()
        PaidInvoiceFactory(contract=contract, received_on=D(2026, 5, 1), paid_on=D(2026, 5, 21))
        PaidInvoiceFactory(contract=other, received_on=D(2026, 6, 1), paid_on=D(2026, 7, 15))
        notice = NoticeFactory(
            contract=None,
            kind=NoticeKind.PAYMENTS_COMPLIANCE,
            period_start=D(2026, 4, 1),
            period_end=D(2026, 9, 30),
        )
        package = package_of(notice)
        assert release_package_errors(package) == []
        by_ocid = {release["ocid"]: release for release in package["releases"]}
        assert set(by_ocid) == {releases.ocid(contract), releases.ocid(other)}
        release = by_ocid[releases.ocid(contract)]
        implementation = release["contracts"][0]["implementation"]
        measures = {m["id"]: m["observations"][0]["measure"] for m in implementation["metrics"]}
        assert measures == {
            "invoices-paid": 2,
            "invoices-paid-on-time": 50,
            "average-days-to-pay": 32,
            "paid-days-1-30": 50,
            "paid-days-31-60": 50,
            "paid-day-61-on": 0,
            "due-not-paid": 0,
            "contract-invoices-paid": 1,
            "contract-invoices-paid-on-time": 100,
            "contract-average-days-to-pay": 20,
            "contract-paid-days-1-30": 100,
            "contract-paid-days-31-60": 0,
            "contract-paid-day-61-on": 0,
            "contract-due-not-paid": 0,
        }
        [transaction] = implementation["transactions"]
        assert transaction["value"] == {"amount": 12500.0, "currency": "GBP"}
        assert release["contracts"][0]["documents"][0]["noticeType"] == "UK17"

    def test_payments_over_30000_are_transactions(self):
        contract = act_contract()
        PaidInvoiceFactory(
            contract=contract,
            amount=Decimal("48000"),
            received_on=D(2026, 7, 1),
            paid_on=D(2026, 7, 20),
        )
        PaidInvoiceFactory(contract=contract, received_on=D(2026, 7, 1), paid_on=D(2026, 7, 20))
        notice = NoticeFactory(
            contract=contract,
            kind=NoticeKind.PAYMENTS_OVER_30K,
            period_start=D(2026, 7, 1),
            period_end=D(2026, 9, 30),
        )
        release = the_release(notice)
        [transaction] = release["contracts"][0]["implementation"]["transactions"]
        assert transaction["value"]["amount"] == 48000.0
        assert "noticeType" not in release["contracts"][0]["documents"][0]

    def test_a_published_notice_says_when_and_where(self):
        notice = NoticeFactory(
            status=NoticeStatus.PUBLISHED,
            fts_identifier="2026/S 000-012345",
            published_on=D(2025, 4, 10),
        )
        release = the_release(notice)
        assert release["date"].startswith("2025-04-10")
        document = release["contracts"][0]["documents"][0]
        assert document["datePublished"].startswith("2025-04-10")
        assert "2026/S 000-012345" in document["title"]


@pytest.mark.django_db
class TestRecordsAndBulkPackages:
    def test_the_contracts_record_merges_its_releases(self):
        contract = act_contract()
        NoticeFactory(contract=contract, kind=NoticeKind.CONTRACT_DETAILS)
        NoticeFactory(contract=contract, kind=NoticeKind.TERMINATION)
        NoticeFactory(
            contract=contract,
            kind=NoticeKind.CHANGE,
            status=NoticeStatus.NOT_REQUIRED,
            not_required_reason="Within the limits.",
        )
        package = packages.record_package(contract, contract.notices.all(), "https://example.org/r")
        assert record_package_errors(package) == []
        [record] = package["records"]
        assert record["ocid"] == releases.ocid(contract)
        assert len(record["releases"]) == 2  # the one not required publishes nothing
        assert record["compiledRelease"]["tag"] == ["compiled"]
        assert record["compiledRelease"]["contracts"][0]["status"] == "terminated"

    def test_a_bulk_package_takes_the_notices_in_the_range(self):
        inside = NoticeFactory(due_on=D(2026, 5, 1))
        NoticeFactory(due_on=D(2026, 7, 1))
        published = NoticeFactory(
            due_on=D(2026, 3, 1),
            status=NoticeStatus.PUBLISHED,
            fts_identifier="2026/S 000-000001",
            published_on=D(2026, 4, 2),
        )
        notices = Notice.objects.filter(releases.in_range(D(2026, 4, 1), D(2026, 6, 30)))
        package = packages.bulk_package(notices, "https://example.org/b")
        assert release_package_errors(package) == []
        ids = {release["id"] for release in package["releases"]}
        assert ids == {f"{releases.ocid(n.contract)}-{n.kind}-{n.pk}" for n in (inside, published)}

    def test_an_invalid_export_is_refused(self):
        notice = NoticeFactory()
        with mock.patch.dict(releases.TAGS, {NoticeKind.CONTRACT_DETAILS: ["not-a-tag"]}):
            with pytest.raises(packages.InvalidExport) as refused:
                package_of(notice)
        assert "not-a-tag" in " ".join(refused.value.errors)


@pytest.mark.django_db
class TestDownloads:
    def test_a_notice_downloads_as_a_valid_release_package(self, make_user, login):
        notice = NoticeFactory()
        client = login(make_user(role=Role.AUDITOR))
        response = client.get(reverse("contracts:notice_ocds", args=[notice.pk]))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/json")
        assert "attachment" in response["Content-Disposition"]
        package = json.loads(response.content)
        assert release_package_errors(package) == []
        assert package["uri"].endswith(f"/notices/{notice.pk}/ocds/")

    def test_an_invalid_export_is_never_served(self, make_user, login):
        notice = NoticeFactory()
        client = login(make_user(role=Role.AUDITOR))
        with mock.patch.dict(releases.TAGS, {NoticeKind.CONTRACT_DETAILS: ["not-a-tag"]}):
            response = client.get(reverse("contracts:notice_ocds", args=[notice.pk]), follow=True)
        assert response.redirect_chain[0][0] == notice.get_absolute_url()
        assert "does not meet the OCDS schema" in response.content.decode()
        assert not response["Content-Type"].startswith("application/json")

    def test_the_contract_record_and_the_bulk_package_download(self, make_user, login):
        notice = NoticeFactory(due_on=D(2026, 5, 1))
        client = login(make_user(role=Role.SMG))
        record = client.get(reverse("contracts:contract_ocds", args=[notice.contract_id]))
        assert record.status_code == 200
        assert record_package_errors(json.loads(record.content)) == []
        bulk = client.get(
            reverse("contracts:notice_ocds_bulk"), {"start": "1/4/2026", "end": "30/6/2026"}
        )
        assert bulk.status_code == 200
        assert release_package_errors(json.loads(bulk.content)) == []

    def test_a_bad_date_range_is_explained(self, make_user, login):
        client = login(make_user(role=Role.SMG))
        response = client.get(
            reverse("contracts:notice_ocds_bulk"),
            {"start": "30/6/2026", "end": "1/4/2026"},
            follow=True,
        )
        assert "The last day must be on or after the first day." in response.content.decode()

    def test_providers_download_only_their_own_contracts_notices(self, make_user, login):
        notice = NoticeFactory()
        own = make_user(role=Role.PROVIDER, organisation=notice.contract.provider)
        other = make_user(role=Role.PROVIDER, organisation=OrganisationFactory())
        url = reverse("contracts:notice_ocds", args=[notice.pk])
        assert login(own).get(url).status_code == 200
        assert login(other).get(url).status_code == 404
        assert login(make_user(role=None)).get(url).status_code == 403

    def test_anonymous_users_are_sent_to_sign_in(self, client):
        notice = NoticeFactory()
        for url in (
            reverse("contracts:notice_ocds", args=[notice.pk]),
            reverse("contracts:contract_ocds", args=[notice.contract_id]),
            reverse("contracts:notice_ocds_bulk"),
        ):
            assert client.get(url).status_code == 302
