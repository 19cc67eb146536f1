"""Exit planning pages: the Exit tab and the overview's deadline, the contracts ending
list, the lessons learned list and review pages, notices, plans, tasks, risks,
termination and the service transfer plan's steps through the browser's requests."""

import csv
import datetime
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contracts.exit.models import (
    ExitNotice,
    ExitPlan,
    ExitTask,
    PostContractReview,
    ServiceTransferPlan,
    TerminationNotice,
)
from contracts.register.choices import ContractStatus
from governance.core.roles import Role
from risks.models import Risk
from tests.checks import date_data
from tests.contracts.exit.exit_factories import (
    ExitNoticeFactory,
    ExitPlanFactory,
    ExitTaskFactory,
    PostContractReviewFactory,
    ServiceTransferPlanFactory,
)
from tests.contracts.register.factories import ContractFactory, OrganisationFactory
from tests.governance.contactlog.log_factories import ContactLogEntryFactory
from tests.upload_files import pdf_bytes
from tests.view_cases import ModelViewTests, count_queries, form_errors

D = datetime.date


def on(day: D):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(10)), tick=False)


class TestLessonsLearnedViews(ModelViewTests):
    model = PostContractReview
    list_url_name = "contracts:postcontractreview_list"
    detail_url_name = "contracts:postcontractreview_detail"
    tab_url_names = ("contracts:postcontractreview_history",)
    update_url_name = "contracts:postcontractreview_update"
    csv_header = (
        "Contract",
        "Title",
        "Provider",
        "Review held",
        "Lessons learned",
        "For future commissioning",
        "Benefits or losses",
        "Attendees",
    )

    def make_writer(self):
        writer = self.make_user(role=Role.CONTRACT_MANAGER)
        self.contract = ContractFactory(lead_officer=writer)
        return writer

    def make(self, **kwargs):
        return PostContractReviewFactory(
            contract=ContractFactory(lead_officer=self.writer), **kwargs
        )

    def list_text(self, obj):
        return obj.lessons_learned

    def create_url(self):
        return reverse("contracts:postcontractreview_create", args=[self.contract.pk])

    def out_of_scope(self, make_user):
        # Provider staff never read the commissioner's reviews, even of their contracts.
        review = self.make()
        return make_user(role=Role.PROVIDER, organisation=review.contract.provider), review

    def create_data(self):
        return {
            **date_data("held_on", D(2026, 3, 2)),
            "attendees": "Lead officer\nProvider's manager",
            "outcomes_assessment": "Most outcomes met.",
            "lessons_learned": "Agree data formats at award.",
            "future_commissioning": "Put the handover schedule in the specification.",
        }

    def update_data(self, obj):
        return {**self.create_data(), "lessons_learned": "Agree data formats before award."}

    def test_the_list_is_searchable(self, login):
        wanted = self.make(lessons_learned="Weekly waiting list checks paid off.")
        other = self.make(lessons_learned="Budget monitoring was too light.")
        client = login(self.make_user(role=Role.AUDITOR))
        html = client.get(reverse(self.list_url_name) + "?q=waiting+list").content.decode()
        assert wanted.lessons_learned in html and other.lessons_learned not in html


class TestContractsEnding:
    @pytest.fixture(autouse=True)
    def _setup(self, db, make_user):
        self.lead = make_user(role=Role.CONTRACT_MANAGER)
        self.url = reverse("contracts:contracts_ending")

    def rows(self, client, query=""):
        response = client.get(self.url + "?export=csv" + query)
        return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))

    def test_missed_deadlines_first_then_the_soonest_then_notices_given(self, login):
        late = ContractFactory(lead_officer=self.lead, initial_end_date=D(2027, 8, 31))
        soon = ContractFactory(lead_officer=self.lead, initial_end_date=D(2027, 3, 31))
        due = ContractFactory(lead_officer=self.lead, initial_end_date=D(2027, 5, 31))
        noticed = ContractFactory(initial_end_date=D(2027, 4, 30))
        ExitNoticeFactory(contract=noticed, sent_on=D(2026, 10, 1))
        ContractFactory(initial_end_date=D(2027, 1, 31), status=ContractStatus.ENDED)
        with on(D(2026, 10, 15)):
            client = login(self.lead)
            rows = self.rows(client)
            response = client.get(self.url)
        html = response.content.decode()
        assert [r["Contract"] for r in rows] == [
            soon.reference,
            due.reference,
            late.reference,
            noticed.reference,
        ]
        state = "Notice deadline: missed or due"
        first = rows[0]
        assert first["Notice deadline"] == "2026-09-30"
        assert first[state] == "Missed 15 days ago" and first["Notice recorded"] == "No"
        assert rows[1]["Notice deadline"] == "2026-11-30" and rows[1][state] == "Due in 46 days"
        assert rows[2]["Notice deadline"] == "2027-02-28"  # 31 August - 6 months
        assert rows[2][state] == "Due in 136 days"
        assert rows[3]["Notice recorded"] == "Yes" and rows[3][state] == ""
        assert "Days left" not in rows[0] and "Deadline missed" not in rows[0]
        # On the page the missed deadline comes first, with its date and a red tag.
        table = response.context["table"]
        assert "govuk-tag--red" in table[0][5]["html"]
        assert "30 September 2026" in table[0][5]["html"]
        assert "Missed 15 days ago" in table[0][5]["html"]
        assert "govuk-tag--orange" in table[1][5]["html"]
        assert "Due in 46 days" in table[1][5]["html"]
        assert "govuk-tag" not in table[3][5]["html"]
        assert html.index("Missed 15 days ago") < html.index("Due in 46 days")
        assert reverse("contracts:contract_exit", args=[soon.pk]) in html

    def test_the_pdf_says_which_deadlines_are_missed(self, login):
        ContractFactory(lead_officer=self.lead, initial_end_date=D(2027, 3, 31))
        with on(D(2026, 10, 15)):
            response = login(self.lead).get(self.url + "?export=pdf")
        from pypdf import PdfReader

        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
        assert "Missed 15 days ago" in text

    def test_filters(self, login):
        mine = ContractFactory(lead_officer=self.lead, initial_end_date=D(2027, 3, 31))
        theirs = ContractFactory(initial_end_date=D(2027, 4, 30))
        far = ContractFactory(initial_end_date=D(2029, 4, 30))
        ExitNoticeFactory(contract=theirs, sent_on=D(2026, 10, 1))
        with on(D(2026, 10, 15)):
            client = login(self.lead)

            def refs(query):
                return {r["Contract"] for r in self.rows(client, query)}

            assert refs("&mine=true") == {mine.reference}
            assert refs("&deadline=missed") == {mine.reference}
            assert refs("&deadline=due") == set()
            assert refs("&deadline=upcoming") == {far.reference}
            assert refs("&notice=recorded") == {theirs.reference}
            assert refs("&notice=needed") == {mine.reference, far.reference}
            assert refs("&ends_within=9") == {mine.reference, theirs.reference}

    def test_restricted_to_what_the_user_sees(self, make_user, login):
        own = ContractFactory(initial_end_date=D(2027, 3, 31))
        other = ContractFactory(initial_end_date=D(2027, 3, 31))
        provider = make_user(role=Role.PROVIDER, organisation=own.provider)
        html = login(provider).get(self.url).content.decode()
        assert own.reference in html and other.reference not in html
        assert login(make_user(role=None)).get(self.url).status_code == 403

    def test_queries_do_not_grow_with_rows(self, login):
        client = login(self.lead)
        for _ in range(3):
            ExitNoticeFactory(contract=ContractFactory(lead_officer=self.lead))
        few = count_queries(client, self.url), count_queries(client, self.url + "?export=csv")
        for _ in range(20):
            ExitNoticeFactory(contract=ContractFactory(lead_officer=self.lead))
        assert (
            count_queries(client, self.url),
            count_queries(client, self.url + "?export=csv"),
        ) == few

    def test_in_the_menu(self, login):
        html = login(self.lead).get(reverse("contracts:contract_list")).content.decode()
        assert self.url in html


@pytest.mark.django_db
class TestExitTab:
    @pytest.fixture(autouse=True)
    def _setup(self, make_user):
        self.lead = make_user(role=Role.CONTRACT_MANAGER)
        self.contract = ContractFactory(lead_officer=self.lead, initial_end_date=D(2027, 8, 31))
        self.url = reverse("contracts:contract_exit", args=[self.contract.pk])

    def test_deadline_on_the_tab_and_the_overview(self, login):
        with on(D(2027, 3, 1)):
            client = login(self.lead)
            tab = client.get(self.url).content.decode()
            overview = client.get(
                reverse("contracts:contract_detail", args=[self.contract.pk])
            ).content.decode()
        for html in (tab, overview):
            assert "28 February 2027" in html
            assert 'govuk-tag--red app-deadline__tag">Missed yesterday</strong>' in html
            assert "No notice recorded yet." in html
        assert 'href="' + self.url in overview

    def test_on_the_deadline_day_the_notice_is_due_today(self, login):
        with on(D(2027, 2, 28)):
            html = login(self.lead).get(self.url).content.decode()
        assert "Due today" in html and "Missed" not in html

    def test_a_notice_against_an_earlier_end_date_is_shown_as_moved(self, login):
        ExitNoticeFactory(contract=self.contract, end_date=D(2027, 3, 31))
        html = login(self.lead).get(self.url).content.decode()
        assert "End date since moved" in html

    def test_officers_get_the_buttons_readers_do_not(self, make_user, login):
        html = login(self.lead).get(self.url).content.decode()
        for url_name in (
            "contracts:exitnotice_create",
            "contracts:exitplan_create",
            "contracts:terminationnotice_create",
            "contracts:postcontractreview_create",
        ):
            assert reverse(url_name, args=[self.contract.pk]) in html
        for role in (Role.SMG, Role.AUDITOR, Role.PDM):
            other = login(make_user(role=role)).get(self.url).content.decode()
            assert "Record a notice of plans" not in other
            assert "Record a termination notice" not in other

    def test_the_provider_sees_the_plan_but_not_the_review(self, make_user, login):
        PostContractReviewFactory(contract=self.contract, lessons_learned="Internal lesson")
        ExitPlanFactory(contract=self.contract)
        provider = make_user(role=Role.PROVIDER, organisation=self.contract.provider)
        html = login(provider).get(self.url).content.decode()
        assert "Open the exit plan" in html
        assert "Internal lesson" not in html and "Post-contract review" not in html
        stranger = make_user(role=Role.PROVIDER, organisation=OrganisationFactory())
        assert login(stranger).get(self.url).status_code == 404

    def test_queries_do_not_grow(self, login):
        client = login(self.lead)
        plan = ExitPlanFactory(contract=self.contract)
        ServiceTransferPlanFactory(termination_notice__contract=self.contract)
        ExitNoticeFactory(contract=self.contract)
        before = count_queries(client, self.url)
        for _ in range(5):
            ExitTaskFactory(plan=plan)
            ExitNoticeFactory(contract=self.contract, end_date=D(2027, 3, 31))
            ServiceTransferPlanFactory(termination_notice__contract=self.contract)
        assert count_queries(client, self.url) == before


@pytest.mark.django_db
class TestRecordingPages:
    @pytest.fixture(autouse=True)
    def _setup(self, make_user, login):
        self.lead = make_user(role=Role.CONTRACT_MANAGER)
        self.contract = ContractFactory(lead_officer=self.lead)
        self.login = login
        self.client = login(self.lead)

    def test_record_a_notice_with_a_copy(self):
        url = reverse("contracts:exitnotice_create", args=[self.contract.pk])
        data = {
            **date_data("sent_on", D(2026, 9, 1)),
            "intention": "recommission",
            "recipient_contact": self.contract.provider_contract_manager.pk,
            "evidence_file": SimpleUploadedFile("n.pdf", pdf_bytes(), "application/pdf"),
        }
        with on(D(2026, 9, 2)):
            response = self.client.post(url, data)
        assert response.status_code == 302, form_errors(response)
        notice = ExitNotice.objects.get()
        assert notice.evidence is not None and notice.end_date == D(2028, 3, 31)

    def test_a_notice_after_the_end_is_refused_beside_the_field(self):
        entry = ContactLogEntryFactory(contract=self.contract)
        url = reverse("contracts:exitnotice_create", args=[self.contract.pk])
        data = {
            **date_data("sent_on", D(2028, 4, 3)),
            "intention": "let_expire",
            "recipient_name": "Chief executive",
            "contact_log_entry": entry.pk,
        }
        with on(D(2028, 4, 4)):
            response = self.login(self.lead).post(url, data)
        assert response.status_code == 400
        assert any("ended on 31 March 2028" in e for e in form_errors(response))
        assert not ExitNotice.objects.exists()

    def test_start_a_plan_add_a_task_and_raise_a_risk(self):
        response = self.client.post(
            reverse("contracts:exitplan_create", args=[self.contract.pk]),
            {
                "plan_type": "recommission",
                "incoming_provider": OrganisationFactory().pk,
                "approach": "Parallel running for a month.",
                "incumbent_obligations": "Share case records weekly.",
            },
        )
        assert response.status_code == 302, form_errors(response)
        plan = ExitPlan.objects.get()
        with on(D(2026, 9, 1)):
            response = self.client.post(
                reverse("contracts:exittask_create", args=[plan.pk]),
                {
                    "area": "communications",
                    "description": "Write to every service user",
                    "owner": self.lead.pk,
                    **date_data("due_date", D(2026, 10, 1)),
                    "status": "not_started",
                },
            )
        assert response.status_code == 302, form_errors(response)
        assert ExitTask.objects.get().plan == plan
        response = self.client.post(
            reverse("contracts:exitplan_risk_create", args=[plan.pk]),
            {
                "title": "Records not ready",
                "description": "The new provider cannot import the records.",
                "level": "operational",
                "allocation": "shared",
                "owner": self.lead.pk,
                "inherent_likelihood": 3,
                "inherent_impact": 4,
                "residual_likelihood": 2,
                "residual_impact": 4,
                "review_frequency": "quarterly",
            },
        )
        assert response.status_code == 302, form_errors(response)
        risk = Risk.objects.get()
        assert risk.category == "exit" and list(plan.risks.all()) == [risk]
        page = self.client.get(plan.get_absolute_url()).content.decode()
        assert "Write to every service user" in page and "Records not ready" in page
        history = self.client.get(reverse("contracts:exitplan_history", args=[plan.pk]))
        assert history.status_code == 200

    def test_a_plan_cannot_be_agreed_without_tasks(self):
        plan = ExitPlanFactory(contract=self.contract)
        url = reverse("contracts:exitplan_transition", args=[plan.pk, "agreed"])
        response = self.client.post(url, {"reason": "Agreed"})
        assert response.status_code == 400
        assert "Add the plan&#x27;s tasks" in response.content.decode()

    def test_termination_opens_the_transfer_plan(self):
        url = reverse("contracts:terminationnotice_create", args=[self.contract.pk])
        data = {
            "served_by": "provider",
            "extent": "full",
            "reason": "The provider is leaving the market.",
            **date_data("notice_date", D(2026, 9, 1)),
            **date_data("effective_date", D(2026, 8, 31)),
        }
        with on(D(2026, 9, 2)):
            response = self.client.post(url, data)
            assert response.status_code == 400
            assert any("before the date of the notice" in e for e in form_errors(response))
            assert not TerminationNotice.objects.exists()
            data.update(date_data("effective_date", D(2026, 12, 31)))
            response = self.client.post(url, data)
        plan = ServiceTransferPlan.objects.get()
        assert response["Location"] == plan.get_absolute_url()
        self.contract.refresh_from_db()
        assert self.contract.status == ContractStatus.IN_EXIT


@pytest.mark.django_db
class TestTransferPlanPages:
    @pytest.fixture(autouse=True)
    def _setup(self, make_user):
        self.lead = make_user(role=Role.CONTRACT_MANAGER)
        self.contract = ContractFactory(lead_officer=self.lead, status=ContractStatus.IN_EXIT)
        self.provider = make_user(role=Role.PROVIDER, organisation=self.contract.provider)
        self.plan = ServiceTransferPlanFactory(termination_notice__contract=self.contract)

    def step_url(self, action):
        return reverse("contracts:transferplan_step", args=[self.plan.pk, action])

    def test_provider_edits_and_submits(self, login):
        client = login(self.provider)
        detail = client.get(self.plan.get_absolute_url()).content.decode()
        assert "Edit the plan" in detail and self.step_url("submit") in detail
        response = client.post(
            reverse("contracts:transferplan_update", args=[self.plan.pk]),
            {
                "documentation": "All case files",
                "service_details": "One site",
                "priority_clients": "Open safeguarding cases",
                "document": SimpleUploadedFile("stp.pdf", pdf_bytes(), "application/pdf"),
                "document_title": "Transfer plan",
                "change_reason": "First draft",
            },
        )
        assert response.status_code == 302, form_errors(response)
        assert client.post(self.step_url("submit"), {}).status_code == 302
        self.plan.refresh_from_db()
        assert self.plan.status == "submitted" and self.plan.submitted_by == self.provider
        # Only an officer reviews: the provider is refused the form, not just its submit.
        assert client.get(self.step_url("approve")).status_code == 403
        assert client.post(self.step_url("approve"), {}).status_code == 403
        self.plan.refresh_from_db()
        assert self.plan.status == "submitted"

    def test_approving_before_submission_shows_why(self, login):
        response = login(self.lead).post(self.step_url("approve"), {})
        assert response.status_code == 400
        assert "cannot be approved before it is submitted" in response.content.decode()
        self.plan.refresh_from_db()
        assert self.plan.status == "draft"

    def test_return_needs_comments_beside_the_field(self, login):
        ServiceTransferPlan.objects.filter(pk=self.plan.pk).update(status="submitted")
        response = login(self.lead).post(self.step_url("return"), {"comments": ""})
        assert response.status_code == 400
        assert any("needs to change" in e for e in form_errors(response))

    def test_who_may_see_and_act(self, make_user, login):
        stranger = make_user(role=Role.PROVIDER, organisation=OrganisationFactory())
        assert login(stranger).get(self.plan.get_absolute_url()).status_code == 404
        auditor = login(make_user(role=Role.AUDITOR))
        assert auditor.get(self.plan.get_absolute_url()).status_code == 200
        assert auditor.post(self.step_url("submit"), {}).status_code == 403
        assert (
            auditor.get(reverse("contracts:transferplan_history", args=[self.plan.pk])).status_code
            == 200
        )


@pytest.mark.django_db
def test_the_pdf_section_renders_every_exit_record(make_user):
    from django.template.loader import render_to_string

    from contracts.exit.selectors import contract_exit

    lead = make_user(role=Role.CONTRACT_MANAGER)
    contract = ContractFactory(lead_officer=lead)
    ExitNoticeFactory(contract=contract, details="Re-procurement under way")
    plan = ExitPlanFactory(contract=contract)
    ExitTaskFactory(plan=plan, description="Export the case records", owner=lead)
    ServiceTransferPlanFactory(
        termination_notice__contract=contract, priority_clients="Clients on court orders"
    )
    PostContractReviewFactory(contract=contract, lessons_learned="Plan the handover earlier")
    auditor = make_user(role=Role.AUDITOR)
    for context in (
        {"contract": contract, "exit": contract_exit(auditor, contract)},
        {"contract": contract},
    ):
        html = render_to_string("contracts/exit/pdf/_exit_section.html", context)
        for text in (
            "Re-procurement under way",
            "Export the case records",
            "Clients on court orders",
            "Plan the handover earlier",
            "Persistent failure to meet the service levels.",
        ):
            assert text in html, text


@pytest.mark.django_db
class TestEditingPlansAndTasks:
    """The exit plan's and an exit task's edit pages: only the contract's officers
    change them, with a reason kept in history; bad input changes nothing."""

    @pytest.fixture(autouse=True)
    def _setup(self, make_user):
        self.lead = make_user(role=Role.CONTRACT_MANAGER)
        self.contract = ContractFactory(lead_officer=self.lead)
        self.plan = ExitPlanFactory(contract=self.contract, created_by=self.lead)
        self.task = ExitTaskFactory(plan=self.plan, owner=self.lead)

    def urls(self):
        return (
            reverse("contracts:exitplan_update", args=[self.plan.pk]),
            reverse("contracts:exittask_update", args=[self.task.pk]),
        )

    def test_who_may_open_the_edit_pages(self, client, make_user, login):
        provider = make_user(role=Role.PROVIDER, organisation=self.contract.provider)
        for url in self.urls():
            assert "/accounts/login/" in client.get(url)["Location"]
        for url in self.urls():
            for user in (make_user(role=Role.AUDITOR), make_user(role=Role.SMG), provider):
                assert login(user).get(url).status_code == 403, (url, user)
            other_manager = make_user(role=Role.CONTRACT_MANAGER)
            assert login(other_manager).get(url).status_code == 404, url
            assert login(self.lead).get(url).status_code == 200, url

    def test_editing_a_plan_keeps_the_reason(self, login):
        client = login(self.lead)
        url = reverse("contracts:exitplan_update", args=[self.plan.pk])
        data = {
            "plan_type": "recommission",
            "incoming_provider": OrganisationFactory().pk,
            "approach": "Hand over to the new provider in stages.",
            "incumbent_obligations": "Keep staffing at contract levels until handover.",
            "change_reason": "Re-commissioning agreed",
        }
        bad = client.post(url, {**data, "plan_type": "sell_it"})
        assert bad.status_code == 400 and form_errors(bad)
        self.plan.refresh_from_db()
        assert self.plan.plan_type == "decommission"
        assert client.post(url, data).status_code == 302
        self.plan.refresh_from_db()
        assert self.plan.plan_type == "recommission"
        latest = self.plan.history.first()
        assert latest.history_user == self.lead
        assert latest.history_change_reason == "Re-commissioning agreed"

    def test_editing_a_task_keeps_the_reason_and_refuses_a_bad_date(self, login):
        client = login(self.lead)
        url = reverse("contracts:exittask_update", args=[self.task.pk])
        data = {
            "area": "data",
            "description": "Export the case records",
            "owner": self.lead.pk,
            **date_data("due_date", D(2027, 11, 1)),
            "status": "in_progress",
            "change_reason": "Started the export",
        }
        bad = client.post(url, {**data, "due_date_month": "13"})
        assert bad.status_code == 400 and form_errors(bad)
        self.task.refresh_from_db()
        assert self.task.status == "not_started"
        assert client.post(url, data).status_code == 302
        self.task.refresh_from_db()
        assert self.task.status == "in_progress" and self.task.due_date == D(2027, 11, 1)
        assert self.task.history.first().history_change_reason == "Started the export"
