import datetime
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from disputes import services
from disputes.choices import Stage
from disputes.models import disputes as dispute_models
from disputes.models.disputes import Dispute, DisputeEvent, SignificanceAssessment
from disputes.models.exclusions import Exclusion
from governance.core.models.base import Document
from governance.core.roles import Role
from governance.templatetags.govuk import money
from tests.contracts.register.factories import OrganisationFactory
from tests.disputes.factories import D, DisputeFactory, contract_with_officers, email, walk
from tests.governance.core.factories import UserFactory
from tests.upload_files import HTML_AS_PDF, pdf_bytes
from tests.view_cases import ModelViewTests, count_queries, form_errors

TODAY = datetime.datetime(2026, 8, 3, 12)


def date_parts(name: str, day: datetime.date) -> dict:
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


class TestDisputeViews(ModelViewTests):
    model = Dispute
    list_url_name = "disputes:dispute_list"
    detail_url_name = "disputes:dispute_detail"
    tab_url_names = ("disputes:dispute_history", "disputes:dispute_documents")
    update_url_name = "disputes:dispute_update"

    def contract(self):
        if not hasattr(self, "_contract"):
            self._contract = contract_with_officers(lead_officer=self.writer)
        return self._contract

    def make(self, **kwargs):
        kwargs.setdefault("contract", contract_with_officers(lead_officer=self.writer))
        return DisputeFactory(**kwargs)

    def create_url(self):
        return reverse("disputes:dispute_create", args=[self.contract().pk])

    def list_text(self, obj):
        return obj.reference

    def out_of_scope(self, make_user):
        raise NotImplementedError

    def test_out_of_scope_records_are_hidden(self, make_user, login):
        # The commissioner's dispute pages are the commissioner's business: provider staff
        # see none of them, even on their own contracts (they have pages of their own,
        # tests/disputes/test_provider.py).
        dispute = self.make()
        client = login(make_user(role=Role.PROVIDER, organisation=dispute.contract.provider))
        assert client.get(reverse(self.list_url_name)).status_code == 403
        assert client.get(reverse(self.detail_url_name, args=[dispute.pk])).status_code == 403
        assert (
            not Dispute.objects.all()
            .scope(make_user(role=Role.PROVIDER, organisation=dispute.contract.provider), "view")
            .exists()
        )

    def create_data(self):
        return {
            "title": "Referrals not passed on",
            "nature": "service_failure",
            "description": "Three referrals were not passed on within a working day.",
            **date_parts("raised_on", D(2026, 8, 3)),
        }

    def update_data(self, obj):
        return {
            "title": "Referrals not passed on in time",
            "nature": "breach_of_trust",
            "description": obj.description,
            **date_parts("raised_on", obj.raised_on),
        }


class TestExclusionViews(ModelViewTests):
    model = Exclusion
    list_url_name = "disputes:exclusion_list"
    detail_url_name = "disputes:exclusion_detail"
    tab_url_names = ("disputes:exclusion_history",)
    create_url_name = "disputes:exclusion_create"
    writer_role = Role.SMG
    reader_roles = (Role.CONTRACT_MANAGER, Role.AUDITOR, Role.PDM)
    non_writer_roles = (Role.CONTRACT_MANAGER, Role.AUDITOR, Role.PDM)

    def make(self, **kwargs):
        kwargs.setdefault("organisation", OrganisationFactory())
        return Exclusion.objects.create(
            reason="performance",
            details="Three contracts ended early for poor performance.",
            start_date=D(2026, 4, 1),
            end_date=D(2028, 3, 31),
            decided_on=D(2026, 3, 20),
            recorded_by=self.writer,
            **kwargs,
        )

    def list_text(self, obj):
        return obj.reference

    def test_out_of_scope_records_are_hidden(self, make_user, login):
        exclusion = self.make()
        client = login(make_user(role=Role.PROVIDER, organisation=exclusion.organisation))
        assert client.get(reverse(self.list_url_name)).status_code == 403
        assert client.get(reverse(self.detail_url_name, args=[exclusion.pk])).status_code == 403

    def create_data(self):
        return {
            "organisation": OrganisationFactory().pk,
            "reason": "performance",
            "details": "Repeatedly failed its indicators.",
            **date_parts("decided_on", D(2026, 8, 1)),
            **date_parts("start_date", D(2026, 9, 1)),
            "period_months": "24",
        }


@pytest.mark.django_db
class TestExclusionRules:
    def test_period_gives_the_end_date(self, make_user, login):
        client = login(make_user(role=Role.SMG))
        provider = OrganisationFactory()
        response = client.post(
            reverse("disputes:exclusion_create"),
            {
                "organisation": provider.pk,
                "reason": "termination",
                "details": "Contract terminated for breach.",
                **date_parts("decided_on", D(2026, 8, 1)),
                **date_parts("start_date", D(2026, 8, 1)),
                "period_months": "60",
            },
        )
        assert response.status_code == 302, form_errors(response)
        exclusion = Exclusion.objects.get()
        assert exclusion.end_date == D(2031, 7, 31)
        organisation = reverse("contracts:organisation_detail", args=[provider.pk])
        # In force only once a second SMG member confirms it.
        assert 'data-testid="exclusions"' not in client.get(organisation).content.decode()
        services.exclusion_confirm(exclusion=exclusion, actor=make_user(role=Role.SMG))
        page = client.get(organisation)
        assert 'data-testid="exclusions"' in page.content.decode()

    @pytest.mark.parametrize(
        "period",
        [{"period_months": "61"}, date_parts("end_date", D(2031, 9, 1))],
    )
    def test_more_than_five_years_is_refused(self, make_user, login, period):
        client = login(make_user(role=Role.SMG))
        response = client.post(
            reverse("disputes:exclusion_create"),
            {
                "organisation": OrganisationFactory().pk,
                "reason": "termination",
                "details": "Contract terminated for breach.",
                **date_parts("decided_on", D(2026, 8, 1)),
                **date_parts("start_date", D(2026, 9, 1)),
                **period,
            },
        )
        assert response.status_code == 400
        assert any("no more than 5 years" in e for e in form_errors(response))
        assert not Exclusion.objects.exists()


@pytest.mark.django_db
class TestProcedurePages:
    @pytest.fixture(autouse=True)
    def _setup(self):
        self.dispute = DisputeFactory()
        self.lead = self.dispute.contract.lead_officer
        self.smg = UserFactory(roles=[Role.SMG])

    def test_stage_2_page_shows_the_deadline(self, login):
        walk(self.dispute, self.lead, self.smg, Stage.STAGE_2)
        page = login(self.lead).get(self.dispute.get_absolute_url()).content.decode()
        # Notice on Friday 12 June 2026: ten business days later is Friday 26 June.
        assert "26 June 2026" in page
        assert 'data-testid="meeting-overdue"' in page

    def test_a_late_meeting_without_a_reason_is_refused_on_the_form(self, login):
        walk(self.dispute, self.lead, self.smg, Stage.STAGE_2)
        client = login(self.lead)
        client.post(
            reverse("disputes:dispute_step", args=[self.dispute.pk, "receipt_confirmed"]),
            date_parts("on", D(2026, 6, 15)),
        )
        url = reverse("disputes:dispute_transition", args=[self.dispute.pk, Stage.STAGE_3])
        data = {
            **date_parts("meeting_held_on", D(2026, 6, 29)),
            "meeting_resolved": "False",
            "meeting_outcome": "No agreement.",
        }
        response = client.post(url, data)
        assert response.status_code == 400
        assert any("26 June 2026" in e for e in form_errors(response))
        self.dispute.refresh_from_db()
        assert self.dispute.stage == Stage.STAGE_2
        response = client.post(url, {**data, "late_meeting_reason": "Provider's CEO was ill."})
        assert response.status_code == 302, form_errors(response)
        self.dispute.refresh_from_db()
        assert self.dispute.stage == Stage.STAGE_3

    def test_only_smg_opens_stage_1(self, login):
        walk(self.dispute, self.lead, self.smg, Stage.INFORMAL)
        url = reverse("disputes:dispute_transition", args=[self.dispute.pk, Stage.STAGE_1])
        assert login(self.lead).get(url).status_code == 403
        client = login(self.smg)
        assert client.get(url).status_code == 200
        response = client.post(url, date_parts("endorsed_on", D(2026, 6, 11)))
        assert response.status_code == 400
        assert "written evidence" in response.content.decode()
        entry = email(self.dispute.contract, D(2026, 6, 11))
        response = client.post(
            url, {**date_parts("endorsed_on", D(2026, 6, 11)), "evidence_entry": entry.pk}
        )
        assert response.status_code == 302, form_errors(response)
        self.dispute.refresh_from_db()
        assert self.dispute.stage == Stage.STAGE_1

    def test_other_managers_and_auditors_cannot_move_it(self, make_user, login):
        url = reverse("disputes:dispute_step", args=[self.dispute.pk, "pdm_told"])
        assert login(make_user(role=Role.CONTRACT_MANAGER)).get(url).status_code == 404
        assert login(make_user(role=Role.AUDITOR)).get(url).status_code == 403
        assert login(make_user(role=Role.AUDITOR)).post(url, {}).status_code == 403
        assert not DisputeEvent.objects.exists()

    def test_pdf_has_the_chronology(self, login):
        walk(self.dispute, self.lead, self.smg, Stage.STAGE_2)
        response = login(UserFactory(roles=[Role.AUDITOR])).get(
            reverse("disputes:dispute_pdf", args=[self.dispute.pk])
        )
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"

    def test_detail_queries_do_not_grow_with_the_timeline(self, login):
        client = login(self.lead)
        url = self.dispute.get_absolute_url()
        walk(self.dispute, self.lead, self.smg, Stage.STAGE_1)
        few = count_queries(client, url)
        for n in range(5):
            from disputes.services import dispute_record_step

            dispute_record_step(dispute=self.dispute, step="note", actor=self.lead, notes=f"{n}")
        assert count_queries(client, url) == few

    def test_contract_tab_lists_disputes(self, login):
        client = login(self.lead)
        page = client.get(reverse("disputes:contract_disputes", args=[self.dispute.contract.pk]))
        assert self.dispute.reference in page.content.decode()


@pytest.mark.django_db
def test_smg_uploads_the_agreement_as_evidence(login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.disputes.factories import walk as walk_to

    dispute = DisputeFactory()
    smg = UserFactory(roles=[Role.SMG])
    walk_to(dispute, dispute.contract.lead_officer, smg, Stage.INFORMAL)
    client = login(smg)
    url = reverse("disputes:dispute_transition", args=[dispute.pk, Stage.STAGE_1])
    upload = SimpleUploadedFile("agreement.pdf", pdf_bytes(), content_type="application/pdf")
    response = client.post(
        url,
        {
            **date_parts("endorsed_on", D(2026, 6, 11)),
            "upload": upload,
            "upload_title": "SMG agreement",
        },
    )
    assert response.status_code == 302, form_errors(response)
    endorsement = dispute.endorsements.get()
    assert endorsement.evidence_document.title == "SMG agreement"
    event = dispute.events.get(stage_to=Stage.STAGE_1)
    assert event.document == endorsement.evidence_document
    page = client.get(dispute.get_absolute_url()).content.decode()
    assert "SMG agreement (version 1)" in page


@pytest.mark.django_db
def test_refused_evidence_is_explained_beside_the_upload_and_nothing_changes(login, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.disputes.factories import walk as walk_to

    dispute = DisputeFactory()
    smg = UserFactory(roles=[Role.SMG])
    walk_to(dispute, dispute.contract.lead_officer, smg, Stage.INFORMAL)
    events = dispute.events.count()
    response = login(smg).post(
        reverse("disputes:dispute_transition", args=[dispute.pk, Stage.STAGE_1]),
        {
            **date_parts("endorsed_on", D(2026, 6, 11)),
            "upload": SimpleUploadedFile("agreement.pdf", HTML_AS_PDF),
            "upload_title": "SMG agreement",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    error = page[page.index('id="id_upload-error"') :][:400]
    assert "This PDF contains web page code" in error
    dispute.refresh_from_db()
    assert dispute.stage == Stage.INFORMAL
    assert dispute.events.count() == events
    assert not Document.objects.exists()
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))


@pytest.mark.django_db
class TestAssessmentAndExclusionEndPages:
    """The significance assessment and ending an exclusion early: each page refuses
    anonymous users, roles without the permission and records out of scope, and bad
    input changes nothing."""

    def assessment_data(self, **overrides):
        return {
            **date_parts("assessed_on", D(2026, 8, 3)),
            "financial_effect": "60000",
            "clients_affected_percent": "4",
            "negligent_harm": "False",
            "reputational_risk": "False",
            **overrides,
        }

    def test_assess_page_permissions(self, client, make_user, login):
        dispute = DisputeFactory()
        url = reverse("disputes:dispute_assess", args=[dispute.pk])
        assert "/accounts/login/" in client.get(url)["Location"]
        for role in (Role.AUDITOR, Role.SMG, Role.PROVIDER):
            organisation = dispute.contract.provider if role == Role.PROVIDER else None
            user = make_user(role=role, organisation=organisation)
            assert login(user).get(url).status_code == 403, role
        # Another contract manager may read the dispute but not assess it.
        assert login(make_user(role=Role.CONTRACT_MANAGER)).get(url).status_code == 404
        assert login(dispute.contract.lead_officer).get(url).status_code == 200

    def test_assessing_records_the_figures_and_bad_input_changes_nothing(self, login):
        dispute = DisputeFactory()
        client = login(dispute.contract.lead_officer)
        url = reverse("disputes:dispute_assess", args=[dispute.pk])
        before = DisputeEvent.objects.filter(dispute=dispute).count()
        response = client.post(url, self.assessment_data(financial_effect="lots"))
        assert response.status_code == 400 and form_errors(response)
        assert not dispute.assessments.exists()
        assert DisputeEvent.objects.filter(dispute=dispute).count() == before
        response = client.post(url, self.assessment_data())
        assert response.status_code == 302
        assessment = dispute.assessments.get()
        assert assessment.financial_effect == 60000 and assessment.assessed_by == (
            dispute.contract.lead_officer
        )

    def test_the_significance_share_is_read_from_the_one_rule(self, login, monkeypatch):
        """Change the share once and the test, the form, the page's explanation and the
        recorded assessment all follow it: a page with its own "10%" would not."""
        monkeypatch.setattr(dispute_models, "SIGNIFICANT_SHARE", Decimal("0.20"))
        dispute = DisputeFactory()
        client = login(dispute.contract.lead_officer)
        url = reverse("disputes:dispute_assess", args=[dispute.pk])
        form = client.get(url).content.decode()
        threshold = money(dispute.contract.annual_value * Decimal("0.20"))
        assert f"Significant from 20% of the annual contract value: {threshold}." in form
        assert "least 20% of the annual contract value, at least 20% of the client" in form
        assert "10%" not in form
        client.post(url, self.assessment_data(clients_affected_percent="15"))
        assessment = dispute.assessments.get()
        assert not assessment.clients_met
        assert assessment.financial_threshold == dispute.contract.annual_value * Decimal("0.2")
        page = client.get(reverse("disputes:dispute_detail", args=[dispute.pk])).content.decode()
        assert "15.00% against 20%: not met" in page
        assert f"against 20% of the annual value, {threshold}" in page
        assert "10%" not in page

    @pytest.mark.parametrize("share", ["-1", "100.01", "99999999999999999999"])
    def test_a_share_outside_0_to_100_is_explained_not_a_crash(self, login, share):
        dispute = DisputeFactory()
        client = login(dispute.contract.lead_officer)
        url = reverse("disputes:dispute_assess", args=[dispute.pk])
        response = client.post(url, self.assessment_data(clients_affected_percent=share))
        assert response.status_code == 400
        assert "The share affected must be from 0 to 100%." in form_errors(response)[0]
        assert not dispute.assessments.exists()

    def test_the_model_explains_a_share_over_100_too(self):
        assessment = SignificanceAssessment(clients_affected_percent=Decimal("150"))
        with pytest.raises(ValidationError) as raised:
            assessment.clean_fields(exclude=["dispute", "assessed_by", "annual_value"])
        assert raised.value.message_dict["clients_affected_percent"] == [
            "The share affected must be from 0 to 100%."
        ]

    def make_exclusion(self, smg):
        return Exclusion.objects.create(
            organisation=OrganisationFactory(),
            reason="performance",
            details="Three contracts ended early for poor performance.",
            start_date=D(2026, 4, 1),
            end_date=D(2028, 3, 31),
            decided_on=D(2026, 3, 20),
            recorded_by=smg,
        )

    def test_end_exclusion_page_permissions(self, client, make_user, login):
        exclusion = self.make_exclusion(make_user(role=Role.SMG))
        url = reverse("disputes:exclusion_end", args=[exclusion.pk])
        assert "/accounts/login/" in client.get(url)["Location"]
        for role in (Role.CONTRACT_MANAGER, Role.PDM, Role.AUDITOR, Role.PROVIDER):
            assert login(make_user(role=role)).get(url).status_code == 403, role
        assert login(make_user(role=Role.SMG)).get(url).status_code == 200

    def test_ending_early_records_why_and_bad_dates_change_nothing(self, make_user, login):
        smg = make_user(role=Role.SMG)
        exclusion = self.make_exclusion(smg)
        client = login(smg)
        url = reverse("disputes:exclusion_end", args=[exclusion.pk])
        response = client.post(
            url, {**date_parts("ended_on", D(2029, 1, 1)), "reason": "Appeal upheld."}
        )
        assert response.status_code == 400
        assert "The date must fall within the exclusion" in " ".join(form_errors(response))
        exclusion.refresh_from_db()
        assert exclusion.ended_early_on is None
        response = client.post(
            url, {**date_parts("ended_on", D(2026, 8, 3)), "reason": "Appeal upheld."}
        )
        assert response.status_code == 302
        exclusion.refresh_from_db()
        assert exclusion.ended_early_on == D(2026, 8, 3)
        latest = exclusion.history.first()
        assert latest.history_user == smg and "Appeal upheld" in latest.history_change_reason


@pytest.mark.django_db
class TestDisputeDeadlines:
    """Monday 3 August 2026: the meeting is due soon up to Thursday 6 August."""

    def test_missed_first_on_the_list_with_a_filter_and_on_the_page(self, login):
        smg = UserFactory(roles=[Role.SMG])

        def dispute(title, **kwargs):
            return DisputeFactory(title=title, contract=contract_with_officers(), **kwargs)

        informal = dispute("Informal")
        later = dispute("Later", stage=Stage.STAGE_2, meeting_deadline=D(2026, 8, 20))
        closed = dispute(
            "Closed",
            stage=Stage.CLOSED,
            meeting_deadline=D(2026, 7, 1),
            closed_on=D(2026, 7, 20),
            outcome="withdrawn",
        )
        due = dispute("Due", stage=Stage.STAGE_2, meeting_deadline=D(2026, 8, 6))
        missed = dispute("Missed", stage=Stage.STAGE_2, meeting_deadline=D(2026, 7, 30))
        client = login(smg)
        url = reverse("disputes:dispute_list")
        response = client.get(url)
        rows = list(response.context["page"].object_list)
        assert rows[:3] == [missed, due, later]
        assert set(rows[3:]) == {informal, closed}
        html = response.content.decode()
        assert html.index(">Missed 4 days ago<") < html.index(">Due in 3 days<")

        def listed(query):
            return list(client.get(url + query).context["page"].object_list)

        assert listed("?deadline=missed") == [missed]
        assert listed("?deadline=due") == [due]
        assert listed("?deadline=upcoming") == [later]
        page = client.get(missed.get_absolute_url()).content.decode()
        assert "30 July 2026" in page and ">Missed 4 days ago<" in page
