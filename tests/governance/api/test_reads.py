"""Every read endpoint: the permission cases, with the records and scope its page's own
view tests declare (modules imported whole, so their tests are not collected twice)."""

from governance.api.views import API_LISTS
from governance.core.roles import Role
from tests.contracts.assurance import test_audits as audit_pages
from tests.contracts.assurance import test_slas as sla_pages
from tests.contracts.exit import test_exit_views as exit_pages
from tests.contracts.exit.exit_factories import (
    ExitPlanFactory,
    ExitTaskFactory,
    ServiceTransferPlanFactory,
    TerminationNoticeFactory,
)
from tests.contracts.performance import test_kpis as kpi_pages
from tests.contracts.performance.return_factories import (
    FinancialReturnFactory,
    KpiResultFactory,
    PerformanceReturnFactory,
    ReportingPeriodFactory,
)
from tests.contracts.procurement import test_invoices as invoice_pages
from tests.contracts.procurement import test_performance_views as assessment_pages
from tests.contracts.procurement import test_views as notice_pages
from tests.contracts.register import test_contract_views as contract_pages
from tests.contracts.register import test_views as organisation_pages
from tests.contracts.register.factories import ContractFactory, OrganisationFactory
from tests.disputes import test_views as dispute_pages
from tests.governance.api.cases import ApiReadCases, ids, token_client
from tests.governance.contactlog import test_contact_log as contactlog_pages
from tests.governance.healthchecks import test_healthcheck_views as healthcheck_pages
from tests.governance.meetings import test_actions as action_pages
from tests.governance.meetings import test_decisions as decision_pages
from tests.governance.meetings import test_meetings as meeting_pages
from tests.risks import test_views as risk_pages


class ContractsEndingPages(contract_pages.TestContractViews):
    def make(self, **kwargs):
        kwargs.setdefault("status", "active")
        return super().make(**kwargs)


class ReturnPages:
    """Returns have no ModelViewTests of their own: a contract manager's contract's
    quarterly return, read by the SMG, auditors and PDM; another provider's staff see
    none of it."""

    factory = PerformanceReturnFactory
    reader_roles = (Role.SMG, Role.AUDITOR, Role.PDM)

    def make_writer(self):
        return self.make_user(role=Role.CONTRACT_MANAGER)

    def make(self):
        period = ReportingPeriodFactory(contract=ContractFactory(lead_officer=self.writer))
        return self.factory(period=period)

    def make_many(self, count):
        for _ in range(count):
            self.add_lines(self.make())

    def add_lines(self, made):
        """Each return with a KPI result, so a result read per row shows as a query."""
        KpiResultFactory(performance_return=made)

    def out_of_scope(self, make_user):
        return make_user(role=Role.PROVIDER, organisation=OrganisationFactory()), self.make()


class FinancialReturnPages(ReturnPages):
    factory = FinancialReturnFactory

    def add_lines(self, made):
        pass


class ContractRecordPages(ReturnPages):
    """Exit records and KPI results have no list page of their own: a contract
    manager's contract's record, read by the SMG, auditors and PDM; another provider's
    staff see none of it."""

    def make(self):
        return self.factory(contract=ContractFactory(lead_officer=self.writer))

    def add_lines(self, made):
        pass


class ExitPlanPages(ContractRecordPages):
    factory = ExitPlanFactory

    def add_lines(self, made):
        """Each plan with tasks, so tasks read per plan show as queries."""
        ExitTaskFactory.create_batch(2, plan=made, owner=self.writer)


class TerminationNoticePages(ContractRecordPages):
    factory = TerminationNoticeFactory

    def make(self):
        contract = ContractFactory(lead_officer=self.writer)
        return self.factory(contract=contract, recorded_by=self.writer)


class TransferPlanPages(ContractRecordPages):
    factory = ServiceTransferPlanFactory

    def make(self):
        contract = ContractFactory(lead_officer=self.writer)
        notice = TerminationNoticeFactory(contract=contract, recorded_by=self.writer)
        return self.factory(termination_notice=notice)


class KpiResultPages(ReturnPages):
    factory = KpiResultFactory

    def make(self):
        period = ReportingPeriodFactory(contract=ContractFactory(lead_officer=self.writer))
        return self.factory(performance_return=PerformanceReturnFactory(period=period))

    def add_lines(self, made):
        pass


class TestContractsApi(ApiReadCases):
    basename = "contract"
    pages = contract_pages.TestContractViews


class TestContractsEndingApi(ApiReadCases):
    basename = "contract_ending"
    pages = ContractsEndingPages


class TestPostContractReviewsApi(ApiReadCases):
    basename = "postcontractreview"
    pages = exit_pages.TestLessonsLearnedViews


class TestKpisApi(ApiReadCases):
    basename = "contractkpi"
    pages = kpi_pages.TestContractKpiViews


class TestPerformanceReturnsApi(ApiReadCases):
    basename = "performancereturn"
    pages = ReturnPages

    def test_each_return_carries_its_kpi_results(self):
        result = KpiResultFactory(
            performance_return=self.make(), actual="91.50", commentary="Above target"
        )
        client = token_client(self.cases.writer)
        url = self.detail_url(result.performance_return)
        results = client.get(url).json()["results"]
        assert [(r["kpi"], r["actual"], r["commentary"]) for r in results] == [
            (result.kpi_id, "91.50", "Above target")
        ]


class TestFinancialReturnsApi(ApiReadCases):
    basename = "financialreturn"
    pages = FinancialReturnPages


class TestRisksApi(ApiReadCases):
    basename = "risk"
    pages = risk_pages.TestRiskViews


class TestDecisionsApi(ApiReadCases):
    basename = "decision"
    pages = decision_pages.TestDecisionViews


class TestContactLogApi(ApiReadCases):
    basename = "contactlogentry"
    pages = contactlog_pages.TestContactLogViews


class TestMeetingsApi(ApiReadCases):
    basename = "meeting"
    pages = meeting_pages.TestMeetingViews


class TestActionsApi(ApiReadCases):
    basename = "action"
    pages = action_pages.TestActionViews


class TestDisputesApi(ApiReadCases):
    basename = "dispute"
    pages = dispute_pages.TestDisputeViews

    def test_out_of_scope_records_are_404_and_missing_from_the_list(self):
        # As on the pages: disputes are the commissioner's business, so provider staff
        # are refused them all, even on their own contracts.
        dispute = self.make()
        user = self.make_user(role=Role.PROVIDER, organisation=dispute.contract.provider)
        client = token_client(user)
        assert client.get(self.list_url()).status_code == 403
        assert client.get(self.detail_url(dispute)).status_code == 403


class TestHealthChecksApi(ApiReadCases):
    basename = "assessment"
    pages = healthcheck_pages.TestAssessmentPages


class TestNoticesApi(ApiReadCases):
    basename = "notice"
    pages = notice_pages.TestNoticePages


class TestVariationsApi(ApiReadCases):
    basename = "variation"
    pages = contract_pages.TestVariationViews


class TestOrganisationsApi(ApiReadCases):
    basename = "organisation"
    pages = organisation_pages.TestOrganisationViews


class TestSlasApi(ApiReadCases):
    basename = "sla"
    pages = sla_pages.TestSlaViews


class TestAuditsApi(ApiReadCases):
    basename = "audit"
    pages = audit_pages.TestAuditViews


class TestComplaintsApi(ApiReadCases):
    basename = "complaint"
    pages = audit_pages.TestComplaintViews


class TestInvoicesApi(ApiReadCases):
    basename = "invoice"
    pages = invoice_pages.TestInvoiceViews


class TestPerformanceAssessmentsApi(ApiReadCases):
    basename = "performanceassessment"
    pages = assessment_pages.TestAssessmentPages

    def test_each_assessment_reads_its_choices_in_plain_english(self):
        assessment = self.make()
        row = token_client(self.cases.writer).get(self.detail_url(assessment)).json()
        assert row["status"] == assessment.status
        assert row["status_label"] == assessment.get_status_display()
        assert row["kpi_name"] == (assessment.kpi.name if assessment.kpi else None)


class TestExitPlansApi(ApiReadCases):
    basename = "exitplan"
    pages = ExitPlanPages

    def test_each_plan_carries_its_tasks_in_plain_english(self):
        plan = self.make()
        task = ExitTaskFactory(plan=plan, owner=self.cases.writer)
        row = token_client(self.cases.writer).get(self.detail_url(plan)).json()
        assert row["plan_type_label"] == plan.get_plan_type_display()
        assert [(t["id"], t["area"], t["area_label"]) for t in row["tasks"]] == [
            (task.pk, task.area, task.get_area_display())
        ]


class TestTerminationNoticesApi(ApiReadCases):
    basename = "terminationnotice"
    pages = TerminationNoticePages


class TestServiceTransferPlansApi(ApiReadCases):
    basename = "servicetransferplan"
    pages = TransferPlanPages


class TestKpiResultsApi(ApiReadCases):
    basename = "kpiresult"
    pages = KpiResultPages

    def test_results_filter_by_contract_kpi_and_quarter(self):
        wanted = self.make()
        other = self.make()
        client = token_client(self.cases.writer)
        period = wanted.performance_return.period
        for params in (
            {"contract": period.contract.reference},
            {"kpi": wanted.kpi_id},
            {"financial_year": period.financial_year, "quarter": period.quarter},
        ):
            found = ids(client.get(self.list_url(), params))
            assert wanted.pk in found, params
            if "financial_year" not in params:
                assert other.pk not in found, params

    def test_a_kpi_that_is_not_an_id_is_400(self):
        client = token_client(self.cases.writer)
        for value in ("1.5", "-3", "99999999999999999999", "twelve"):
            response = client.get(self.list_url(), {"kpi": value})
            assert response.status_code == 400, value
            assert list(response.json()) == ["kpi"]


def test_a_year_no_notice_could_be_published_in_is_400_not_a_server_error(make_user):
    client = token_client(make_user(role=Role.CONTRACT_MANAGER))
    for year in ("-2.6683375467995144e+16", "99999", "1999", "2026.5"):
        response = client.get("/api/v1/notices/", {"published_year": year})
        assert response.status_code == 400, year
        assert "published_year" in response.json()
    assert client.get("/api/v1/notices/", {"published_year": "2026"}).status_code == 200


def test_absurd_dates_in_filters_are_400_with_the_filters_message(make_user):
    client = token_client(make_user(role=Role.CONTRACT_MANAGER))
    for value in ("99999-12-31", "2026-02-30", "0000-00-00", "31/13/2027"):
        response = client.get("/api/v1/notices/", {"due_after": value})
        assert response.status_code == 400, value
        assert list(response.json()) == ["due_after"]


def test_every_list_the_api_serves_has_its_permission_cases():
    """A row added to API_LISTS without its cases here fails, and so does a case left
    for a list that is no longer served."""
    declared = {governed.basename for governed in API_LISTS}
    tested = {
        case.basename
        for case in globals().values()
        if isinstance(case, type) and issubclass(case, ApiReadCases) and case.basename
    }
    assert declared == tested
    assert len(declared) == len(API_LISTS)  # one row a list
