"""Health check pages: the shared view tests, answering and submitting each side, the
comparison, the trend, the PDF, actions from flagged areas and new versions."""

import datetime
import html
import io
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from governance.core.models.base import Document
from governance.core.roles import Role
from governance.healthchecks import services
from governance.healthchecks.models import (
    Assessment,
    AssessmentAnswer,
    Side,
    SideStatus,
    TemplateVersion,
)
from governance.meetings.choices import ActionSource
from governance.meetings.models import Action
from tests.contracts.register.factories import ContractFactory, OrganisationFactory
from tests.governance.core.chart_figures import assert_page_shows_figures
from tests.governance.healthchecks.healthcheck_factories import (
    answer,
    complete,
    completed,
    partnership,
    provider_user,
    start,
    template,
)
from tests.upload_files import SVG_AS_CSV, pdf_bytes
from tests.view_cases import ModelViewTests, count_queries, form_errors

pytestmark = pytest.mark.django_db


def date_fields(name: str, day: datetime.date) -> dict:
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def answer_data(assessment, side, default=None, values=None) -> dict:
    data = {}
    for question in services.questions_for(assessment, side):
        value = (values or {}).get((question.area.order, question.order))
        data[f"q{question.pk}"] = value or default or question.choices[0][0]
    return data


class TestAssessmentPages(ModelViewTests):
    model = Assessment
    list_url_name = "governance:assessment_list"
    detail_url_name = "governance:assessment_detail"
    tab_url_names = (
        "governance:assessment_history",
        "governance:assessment_comparison",
        "governance:assessment_trend",
        "governance:assessment_documents",
    )

    def make(self, **kwargs):
        return completed(partnership(self.writer), **kwargs)

    def make_many(self, count):
        for _ in range(count):
            start(partnership(self.writer))

    def create_url(self):
        if not hasattr(self, "_contract"):
            self._contract = partnership(self.writer)
        return reverse("governance:assessment_create", args=[self._contract.pk])

    def out_of_scope(self, make_user):
        return make_user(role=Role.PROVIDER, organisation=OrganisationFactory()), self.make()

    def create_data(self):
        return {
            "template": template("annual").pk,
            **date_fields("assessed_on", datetime.date(2026, 4, 1)),
            "period": "2025 to 2026",
        }

    def list_text(self, obj):
        return obj.reference

    def test_provider_staff_see_their_own_organisations(self, login):
        assessment = self.make()
        client = login(provider_user(assessment.contract))
        assert client.get(assessment.get_absolute_url()).status_code == 200
        assert assessment.reference in client.get(reverse(self.list_url_name)).content.decode()

    def test_detail_queries_do_not_grow_with_answers(self, login):
        client = login(self.writer)
        small = completed(partnership(self.writer), kind="outsourcing")
        large = completed(partnership(self.writer), kind="ongoing")
        for name in ("governance:assessment_detail", "governance:assessment_comparison"):
            assert count_queries(client, reverse(name, args=[small.pk])) == count_queries(
                client, reverse(name, args=[large.pk])
            )


class TestContractTab:
    def test_shows_when_the_annual_check_is_due_and_the_checks(self, login):
        assessment = completed(assessed_on=datetime.date(2026, 3, 10))
        page = login(assessment.contract.lead_officer).get(
            reverse("governance:contract_health_checks", args=[assessment.contract.pk])
        )
        text = page.content.decode()
        assert "due on 10 March 2027" in text
        assert assessment.get_absolute_url() in text
        assert "Start a health check" in text

    def test_readers_do_not_get_the_start_button(self, make_user, login):
        contract = partnership()
        page = login(make_user(role=Role.AUDITOR)).get(
            reverse("governance:contract_health_checks", args=[contract.pk])
        )
        assert page.status_code == 200
        assert "Start a health check" not in page.content.decode()

    def test_other_officers_cannot_start_one(self, make_user, login):
        contract = partnership()
        client = login(make_user(role=Role.CONTRACT_MANAGER))
        url = reverse("governance:assessment_create", args=[contract.pk])
        assert client.get(url).status_code == 404

    def test_partnership_review_refused_on_an_ordinary_contract(self, login):
        contract = partnership(is_strategic_partnership=False)
        client = login(contract.lead_officer)
        response = client.post(
            reverse("governance:assessment_create", args=[contract.pk]),
            {
                "template": template("lifecycle").pk,
                **date_fields("assessed_on", datetime.date(2026, 4, 1)),
            },
        )
        assert response.status_code == 400
        assert not Assessment.objects.exists()


class TestAnswering:
    def test_officer_saves_a_draft_then_submits(self, login):
        assessment = start()
        lead = assessment.contract.lead_officer
        client = login(lead)
        url = reverse("governance:assessment_answer", args=[assessment.pk, Side.COMMISSIONER])
        assert client.get(url).status_code == 200
        data = answer_data(assessment, Side.COMMISSIONER, default="4")
        first = services.questions_for(assessment, Side.COMMISSIONER)[0]
        data[f"comment{first.pk}"] = "Quarterly away days held."
        data[f"evidence{first.pk}"] = SimpleUploadedFile(
            "notes.pdf", pdf_bytes(), content_type="application/pdf"
        )
        response = client.post(url, {**data, "submit": ""})
        assert response.status_code == 302, form_errors(response)
        saved = AssessmentAnswer.objects.get(assessment=assessment, question=first)
        assert saved.comment == "Quarterly away days held."
        assert saved.evidence == Document.objects.get()
        submit = reverse("governance:assessment_submit", args=[assessment.pk, Side.COMMISSIONER])
        assert response["Location"] == submit
        assert client.post(submit, {}).status_code == 400  # must confirm
        response = client.post(submit, {"confirm": "on"})
        assert response.status_code == 302
        assessment.refresh_from_db()
        assert assessment.commissioner_status == SideStatus.SUBMITTED
        assert str(assessment.commissioner_score) == "75.0"

    def test_a_refused_file_is_shown_by_its_question_and_no_file_is_kept(self, login, settings):
        assessment = start()
        client = login(assessment.contract.lead_officer)
        url = reverse("governance:assessment_answer", args=[assessment.pk, Side.COMMISSIONER])
        data = answer_data(assessment, Side.COMMISSIONER, default="4")
        first, second = services.questions_for(assessment, Side.COMMISSIONER)[:2]
        data[f"evidence{first.pk}"] = SimpleUploadedFile("notes.pdf", pdf_bytes())
        data[f"evidence{second.pk}"] = SimpleUploadedFile("scores.csv", SVG_AS_CSV)
        response = client.post(url, data)
        assert response.status_code == 400
        page = response.content.decode()
        error = page[page.index(f'id="id_evidence{second.pk}-error"') :][:400]
        assert "This file contains web page code" in error
        assert f'id="id_evidence{first.pk}-error"' not in page
        assert not AssessmentAnswer.objects.filter(assessment=assessment).exists()
        assert not Document.objects.exists()
        media = Path(settings.MEDIA_ROOT)
        assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))

    def test_a_submitted_side_is_locked(self, login):
        assessment = start()
        lead = assessment.contract.lead_officer
        complete(assessment, Side.COMMISSIONER, lead)
        client = login(lead)
        url = reverse("governance:assessment_answer", args=[assessment.pk, Side.COMMISSIONER])
        response = client.get(url, follow=True)
        assert "can no longer be changed" in html.unescape(response.content.decode())
        response = client.post(url, answer_data(assessment, Side.COMMISSIONER, default="1"))
        assert response.status_code == 302
        assert not AssessmentAnswer.objects.filter(value="1").exists()

    def test_provider_answers_its_own_side(self, login):
        assessment = start()
        staff = provider_user(assessment.contract)
        client = login(staff)
        url = reverse("governance:assessment_answer", args=[assessment.pk, Side.PROVIDER])
        assert client.get(url).status_code == 200
        response = client.post(url, answer_data(assessment, Side.PROVIDER, default="2"))
        assert response.status_code == 302, form_errors(response)
        assert AssessmentAnswer.objects.filter(side=Side.PROVIDER, answered_by=staff).count() == 7
        commissioner = reverse(
            "governance:assessment_answer", args=[assessment.pk, Side.COMMISSIONER]
        )
        assert client.get(commissioner).status_code == 403
        refused = client.post(commissioner, answer_data(assessment, Side.COMMISSIONER))
        assert refused.status_code == 403
        assert not AssessmentAnswer.objects.filter(side=Side.COMMISSIONER).exists()

    def test_another_provider_gets_not_found(self, make_user, login):
        assessment = start()
        stranger = make_user(role=Role.PROVIDER, organisation=OrganisationFactory())
        client = login(stranger)
        for name in ("governance:assessment_answer", "governance:assessment_submit"):
            url = reverse(name, args=[assessment.pk, Side.PROVIDER])
            assert client.get(url).status_code == 404
            assert client.post(url, answer_data(assessment, Side.PROVIDER)).status_code == 404
        assert not AssessmentAnswer.objects.exists()

    def test_readers_cannot_answer(self, make_user, login):
        assessment = start()
        client = login(make_user(role=Role.AUDITOR))
        url = reverse("governance:assessment_answer", args=[assessment.pk, Side.COMMISSIONER])
        assert client.get(url).status_code == 403

    def test_a_bad_answer_is_shown_by_the_question(self, login):
        assessment = start()
        client = login(assessment.contract.lead_officer)
        question = services.questions_for(assessment, Side.COMMISSIONER)[0]
        url = reverse("governance:assessment_answer", args=[assessment.pk, Side.COMMISSIONER])
        response = client.post(url, {f"q{question.pk}": "fully"})
        assert response.status_code == 400
        assert "There is a problem" in response.content.decode()
        assert not AssessmentAnswer.objects.exists()


class TestComparisonAndTrend:
    def test_comparison_marks_where_views_differ_most(self, login):
        assessment = completed(commissioner_values={(4, 1): "5"}, provider_values={(4, 1): "1"})
        page = login(assessment.contract.lead_officer).get(
            reverse("governance:assessment_comparison", args=[assessment.pk])
        )
        text = page.content.decode()
        first_area = text.index('data-testid="compare-area"')
        assert text.index("Capacity", first_area) < text.index("Benefits", first_area)
        assert text.count('data-testid="differs-most"') == 1
        assert "1 Strongly disagree" in text and "5 Strongly agree" in text

    def test_the_other_sides_draft_is_not_shown(self, login):
        assessment = start()
        answer(assessment, Side.PROVIDER, provider_user(assessment.contract), default="1")
        complete(assessment, Side.COMMISSIONER, assessment.contract.lead_officer)
        page = login(assessment.contract.lead_officer).get(
            reverse("governance:assessment_comparison", args=[assessment.pk])
        )
        text = page.content.decode()
        assert 'data-testid="not-compared"' in text
        assert "Strongly disagree" not in text

    def test_trend_draws_each_sides_scores(self, login):
        contract = partnership()
        completed(contract, assessed_on=datetime.date(2025, 4, 1))
        latest = completed(
            contract, assessed_on=datetime.date(2026, 4, 1), provider_values={(1, 1): "1"}
        )
        text = (
            login(contract.lead_officer)
            .get(reverse("governance:assessment_trend", args=[latest.pk]))
            .content.decode()
        )
        assert text.count("<svg") == 2
        assert "Apr 2025: 100%" in text and "Apr 2026: 85.7%" in text

    def test_trend_charts_are_titled_and_show_their_figures(self, login):
        contract = partnership()
        completed(contract, assessed_on=datetime.date(2025, 4, 1))
        latest = completed(
            contract, assessed_on=datetime.date(2026, 4, 1), provider_values={(1, 1): "1"}
        )
        response = login(contract.lead_officer).get(
            reverse("governance:assessment_trend", args=[latest.pk])
        )
        page = response.content.decode()
        charts = [chart["svg"] for chart in response.context["charts"]]
        assert len(charts) == 2
        for number, chart in enumerate(charts, start=1):
            assert (chart.x_label, chart.y_label) == ("Assessed", "Overall score (%)")
            assert [row[0] for row in chart.rows] == ["Apr 2025", "Apr 2026"]
            assert_page_shows_figures(page, f"trend-chart-{number}", chart)
        assert ("Apr 2026", "85.7%") in charts[1].rows


class TestPdfAndActions:
    def test_pdf_of_an_assessment(self, login):
        assessment = completed(kind="readiness", commissioner_values={(1, 2): "no"})
        response = login(assessment.contract.lead_officer).get(
            reverse("governance:assessment_pdf", args=[assessment.pk])
        )
        assert response["Content-Type"] == "application/pdf"
        text = " ".join(
            page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
        )
        assert assessment.reference in text
        assert "Not ready" in text
        assert "Page 1 of" in text

    def test_raise_an_action_from_a_flagged_area(self, login):
        assessment = completed(kind="ongoing", provider_values={(3, 1): "partly"})
        lead = assessment.contract.lead_officer
        client = login(lead)
        detail = client.get(assessment.get_absolute_url()).content.decode()
        area = assessment.version.areas.get(order=3)
        url = reverse("governance:assessment_area_action", args=[assessment.pk, area.pk])
        assert url in detail
        form = client.get(url)
        assert "Resolving problems" in form.content.decode()
        response = client.post(
            url,
            {
                "description": "Agree how disagreements are escalated.",
                "owner": lead.pk,
                **date_fields("due_on", datetime.date.today() + datetime.timedelta(days=20)),
            },
        )
        assert response.status_code == 302, form_errors(response)
        action = Action.objects.get()
        assert action.source == ActionSource.HEALTH_CHECK
        assert action.source_record == assessment

    def test_provider_staff_cannot_raise_actions(self, login):
        assessment = completed(kind="ongoing", provider_values={(3, 1): "partly"})
        area = assessment.version.areas.get(order=3)
        client = login(provider_user(assessment.contract))
        url = reverse("governance:assessment_area_action", args=[assessment.pk, area.pk])
        assert client.get(url).status_code == 403


class TestQuestionnaires:
    def test_everyone_with_access_sees_the_questionnaires(self, make_user, login):
        client = login(make_user(role=Role.AUDITOR))
        listing = client.get(reverse("governance:questionnaire_list")).content.decode()
        assert "Readiness to partner checklist" in listing
        detail = client.get(template("outsourcing").get_absolute_url()).content.decode()
        assert "Change control" in detail
        assert "Publish a new version" not in detail

    def test_an_administrator_publishes_a_new_version(self, make_user, login):
        client = login(make_user(role=Role.ADMINISTRATOR))
        questionnaire = template("outsourcing")
        url = reverse("governance:questionnaire_version_create", args=[questionnaire.pk])
        page = client.get(url).content.decode()
        assert "## Role clarity" in page
        text = services.version_as_text(services.current_version(questionnaire))
        response = client.post(url, {"questions": text + "\nA new question.", "notes": "More."})
        assert response.status_code == 302, form_errors(response)
        assert TemplateVersion.objects.filter(template=questionnaire, number=2).exists()
        bad = client.post(url, {"questions": "No area", "notes": "x"})
        assert bad.status_code == 400
        assert "start with an area" in bad.content.decode()

    def test_sign_in_and_a_role_are_needed(self, client, make_user, login):
        # Questionnaires are reference data with no object scope: the role decides.
        questionnaire = template()
        urls = (
            reverse("governance:questionnaire_list"),
            reverse("governance:questionnaire_detail", args=[questionnaire.pk]),
            reverse("governance:questionnaire_version_create", args=[questionnaire.pk]),
        )
        for url in urls:
            assert "/accounts/login/" in client.get(url)["Location"]
        no_role = login(make_user())
        for url in urls:
            assert no_role.get(url).status_code == 403, url

    def test_contract_managers_cannot_publish(self, make_user, login):
        client = login(make_user(role=Role.CONTRACT_MANAGER))
        url = reverse("governance:questionnaire_version_create", args=[template().pk])
        assert client.get(url).status_code == 403


class TestHealthChecksDue:
    """The list the dashboard's health check panel opens: overdue first."""

    url = "/health-checks/due/"

    @pytest.fixture
    def partnerships(self, make_user):
        lead = make_user(role=Role.CONTRACT_MANAGER)
        made = {}
        # First annual health checks fall due a year after the start.
        for name, started in (
            ("later", datetime.date(2025, 12, 20)),
            ("overdue", datetime.date(2025, 10, 1)),
            ("soon", datetime.date(2025, 11, 25)),
            ("far", datetime.date(2026, 6, 1)),
        ):
            made[name] = ContractFactory(
                reference=f"NPCC-HC-{name.upper()}",
                is_strategic_partnership=True,
                start_date=started,
                lead_officer=lead if name != "later" else None,
            )
        return lead, made

    def test_overdue_first_with_the_state_in_words(self, partnerships, make_user, login):
        assert reverse("governance:health_checks_due") == self.url
        with time_machine.travel(datetime.date(2026, 11, 20), tick=False):
            client = login(make_user(role=Role.SMG))
            response = client.get(self.url + "?within=60")
            html = response.content.decode()
            missed = client.get(self.url + "?within=60&state=missed").context["rows"]
            mine = login(partnerships[0]).get(self.url + "?within=60&mine=true")
        rows = response.context["rows"]
        assert [row.contract.reference for row in rows] == [
            "NPCC-HC-OVERDUE",
            "NPCC-HC-SOON",
            "NPCC-HC-LATER",
        ]
        assert "Missed 50 days ago" in html and "Due in 5 days" in html
        assert html.index("Missed 50 days ago") < html.index("Due in 5 days")
        assert [row.contract.reference for row in missed] == ["NPCC-HC-OVERDUE"]
        assert len(mine.context["rows"]) == 2

    def test_bad_input_says_so_and_changes_nothing(self, partnerships, make_user, login):
        client = login(make_user(role=Role.SMG))
        response = client.get(self.url + "?within=9999&state=nonsense")
        html = response.content.decode()
        assert "Choose how far ahead to look from the options offered." in html
        assert "Choose overdue, due soon or coming up." in html
        assert response.context["within"] == 60 and response.context["state"] == ""

    def test_permissions(self, client, make_user, login):
        response = client.get(self.url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        assert login(make_user()).get(self.url).status_code == 403


class TestMovesShowTheServicesRefusal:
    def test_submit_is_disabled_with_the_services_refusal_until_every_answer_is_in(self, login):
        assessment = start()
        lead = assessment.contract.lead_officer
        with pytest.raises(ValidationError) as refused:
            services.assessment_submit(assessment=assessment, side=Side.COMMISSIONER, actor=lead)
        why = refused.value.messages
        assert why[0].startswith("Answer every question before submitting")
        assert services.assessment_moves(assessment=assessment, user=lead) == {
            Side.COMMISSIONER: why
        }
        client = login(lead)
        page = html.unescape(client.get(assessment.get_absolute_url()).content.decode())
        assert f"Submit is not available yet: {why[0]}</p>" in page
        submit = reverse("governance:assessment_submit", args=[assessment.pk, Side.COMMISSIONER])
        assert submit not in page
        client.post(
            reverse("governance:assessment_answer", args=[assessment.pk, Side.COMMISSIONER]),
            answer_data(assessment, Side.COMMISSIONER, default="4"),
        )
        assert services.assessment_moves(assessment=assessment, user=lead) == {
            Side.COMMISSIONER: []
        }
        assert submit in client.get(assessment.get_absolute_url()).content.decode()
        assert client.post(submit, {"confirm": "on"}).status_code == 302

    def test_starting_on_an_ended_contract_is_disabled_with_why(self, login):
        assessment = start()
        contract, lead = assessment.contract, assessment.contract.lead_officer
        assert services.health_check_moves(contract=contract, user=lead) == {"start": []}
        contract.status = "ended"
        contract.save()
        with pytest.raises(ValidationError) as refused:
            services.assessment_start(
                contract=contract,
                template=assessment.version.template,
                actor=lead,
                assessed_on=datetime.date.today(),
            )
        why = refused.value.messages
        assert services.health_check_moves(contract=contract, user=lead) == {"start": why}
        tab = reverse("governance:contract_health_checks", args=[contract.pk])
        page = html.unescape(login(lead).get(tab).content.decode())
        assert f"Start a health check is not available yet: {why[0]}</p>" in page
        assert reverse("governance:assessment_create", args=[contract.pk]) not in page
