import datetime
import html
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from contracts.register.choices import ContractStatus, ExtensionStatus, VariationStatus
from contracts.register.models.contracts import Contract, ExtensionOption, Variation
from contracts.register.services import contracts as services
from governance.core.roles import Role
from tests.contracts.assurance.sla_factories import ChecklistItemFactory
from tests.contracts.exit.exit_factories import PostContractReviewFactory
from tests.contracts.performance.kpi_factories import ContractKpiFactory
from tests.contracts.register.factories import ContactFactory, ContractFactory, OrganisationFactory
from tests.view_cases import ContractRecordViews, ModelViewTests, count_queries


def lead_and_contract(make_user) -> tuple:
    """A contract manager and a contract they lead."""
    lead = make_user(role=Role.CONTRACT_MANAGER)
    return lead, ContractFactory(lead_officer=lead)


class TestContractViews(ModelViewTests):
    model = Contract
    list_url_name = "contracts:contract_list"
    detail_url_name = "contracts:contract_detail"
    tab_url_names = (
        "contracts:contract_history",
        "contracts:contract_extensions",
        "contracts:contract_variations",
        "contracts:contract_documents",
    )
    create_url_name = "contracts:contract_create"
    update_url_name = "contracts:contract_update"
    csv_header = (
        "Reference",
        "Title",
        "Provider",
        "Status",
        "Overall status",
        "Latest quarter",
        "Tier",
        "Service area",
        "Total value",
        "Annual value",
        "Starts",
        "Ends",
        "Lead officer",
        "Deputy officer",
        "Scope",
        "Initial end date",
        "Strategic partnership",
        "Lifecycle stage",
        "Provider's contract manager",
        "Provider's contract manager email",
    )

    def make(self, **kwargs):
        kwargs.setdefault("lead_officer", self.writer)
        return ContractFactory(**kwargs)

    def list_text(self, obj):
        return obj.reference

    def out_of_scope(self, make_user):
        own = OrganisationFactory()
        return make_user(role=Role.PROVIDER, organisation=own), self.make()

    def create_data(self):
        provider = OrganisationFactory()
        return {
            "reference": "NPCC-2026-100",
            "title": "Restorative justice service",
            "provider": provider.pk,
            "service_area": ContractFactory.build().service_area.pk,
            "scope": "Victim-offender conferencing across the force area.",
            "total_value": "1,500,000.00",
            "annual_value": "500000",
            "start_date_day": "1",
            "start_date_month": "4",
            "start_date_year": "2026",
            "initial_end_date_day": "31",
            "initial_end_date_month": "3",
            "initial_end_date_year": "2029",
            "tier": "silver",
            "lead_officer": self.writer.pk,
        }

    def update_data(self, obj):
        return {
            "reference": obj.reference,
            "title": "Renamed service",
            "service_area": obj.service_area_id,
            "tier": "gold",
            "lead_officer": obj.lead_officer_id,
        }


@pytest.mark.django_db
class TestContractPages:
    def test_create_parses_british_money_and_dates(self, make_user, login):
        writer = make_user(role=Role.CONTRACT_MANAGER)
        client = login(writer)
        data = TestContractViews.create_data(type("T", (), {"writer": writer})())
        response = client.post(reverse("contracts:contract_create"), data)
        assert response.status_code == 302
        contract = Contract.objects.get(reference="NPCC-2026-100")
        assert contract.total_value == Decimal("1500000.00")
        assert contract.start_date == datetime.date(2026, 4, 1)
        assert contract.lead_officer == writer

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"start_date_day": "31", "start_date_month": "2"}, "Start date must be a real date."),
            ({"start_date_month": ""}, "Start date must include a month."),
            ({"start_date_year": "26"}, "Year must include 4 numbers"),
            ({"total_value": "-5"}, "Total contract value (£) must be 0 or more"),
            ({"total_value": "lots"}, "Total contract value (£) must be a number"),
            (
                {"initial_end_date_year": "2025"},
                "The initial end date must be between 2 April 2026 and 31 March 2041.",
            ),
        ],
    )
    def test_bad_input_is_explained_and_saves_nothing(self, make_user, login, changes, message):
        writer = make_user(role=Role.CONTRACT_MANAGER)
        client = login(writer)
        data = {**TestContractViews.create_data(type("T", (), {"writer": writer})()), **changes}
        response = client.post(reverse("contracts:contract_create"), data)
        assert response.status_code == 400
        assert message in response.content.decode()
        assert not Contract.objects.exists()

    def test_deputy_equal_to_lead_is_refused_on_the_form(self, make_user, login):
        writer = make_user(role=Role.CONTRACT_MANAGER)
        data = {
            **TestContractViews.create_data(type("T", (), {"writer": writer})()),
            "deputy_officer": writer.pk,
        }
        response = login(writer).post(reverse("contracts:contract_create"), data)
        assert response.status_code == 400
        assert "different person from the lead officer" in response.content.decode()
        assert not Contract.objects.exists()

    def test_terms_are_locked_on_the_edit_form_of_an_active_contract(self, make_user, login):
        writer = make_user(role=Role.CONTRACT_MANAGER)
        contract = ContractFactory(lead_officer=writer)
        client = login(writer)
        page = client.get(reverse("contracts:contract_update", args=[contract.pk])).content.decode()
        assert "Fixed while the contract runs" in page
        response = client.post(
            reverse("contracts:contract_update", args=[contract.pk]),
            {
                "reference": contract.reference,
                "title": contract.title,
                "service_area": contract.service_area_id,
                "tier": contract.tier,
                "total_value": "9999999",
                "lead_officer": writer.pk,
                "change_reason": "Trying",
            },
        )
        assert response.status_code == 302
        contract.refresh_from_db()
        assert contract.total_value == Decimal("1200000.00")

    def test_a_manager_who_is_not_an_officer_cannot_edit(self, make_user, login):
        contract = ContractFactory(lead_officer=make_user(role=Role.CONTRACT_MANAGER))
        client = login(make_user(role=Role.CONTRACT_MANAGER))
        assert (
            client.get(reverse("contracts:contract_detail", args=[contract.pk])).status_code == 200
        )
        assert (
            client.get(reverse("contracts:contract_update", args=[contract.pk])).status_code == 404
        )
        transition = reverse("contracts:contract_transition", args=[contract.pk, "terminated"])
        assert client.post(transition, {"reason": "x"}).status_code == 404

    def test_filters(self, make_user, login):
        manager = make_user(role=Role.CONTRACT_MANAGER)
        mine = ContractFactory(lead_officer=manager, total_value=Decimal("6000000"))
        other = ContractFactory(
            status=ContractStatus.DRAFT, initial_end_date=datetime.date(2030, 1, 1)
        )
        client = login(make_user(role=Role.SMG))
        url = reverse("contracts:contract_list")

        def listed(query):
            page = client.get(url + query).content.decode()
            return {c.reference for c in (mine, other) if c.reference in page}

        assert listed(f"?officer={manager.pk}") == {mine.reference}
        assert listed("?status=draft") == {other.reference}
        assert listed("?value_min=5000000") == {mine.reference}
        assert listed("?ends_after=1/1/2029") == {other.reference}
        assert listed("?ends_before=31/3/2028") == {mine.reference}
        # The provider is typed, not picked: part of the name, in any case, is enough.
        assert listed(f"?provider={mine.provider.name[-8:].upper()}") == {mine.reference}
        assert listed("?provider=nobody+by+that+name") == set()
        assert listed(f"?q={other.reference}") == {other.reference}
        assert "Enter a real date for “Ends on or after”, like 4/12/2026" in html.unescape(
            client.get(url + "?ends_after=31/2/2027").content.decode()
        )

    def test_overview_names_its_people_in_the_same_queries_whatever_the_contract_holds(
        self, make_user, login
    ):
        writer = make_user(role=Role.CONTRACT_MANAGER, first_name="Wren", last_name="Lead")
        contract = ContractFactory(
            lead_officer=writer,
            deputy_officer=make_user(role=Role.CONTRACT_MANAGER, last_name="Deputyson"),
            senior_responsible_owner=make_user(role=Role.SMG, last_name="Sroworth"),
        )
        for field, name in [
            ("provider_contract_manager", "Mina Manager"),
            ("provider_executive", "Ezra Executive"),
            ("escalation_contact", "Esme Escalation"),
        ]:
            setattr(contract, field, ContactFactory(organisation=contract.provider, name=name))
        contract.save()
        client = login(writer)
        url = reverse("contracts:contract_detail", args=[contract.pk])
        text = client.get(url).content.decode()
        for name in ["Wren Lead", "Deputyson", "Sroworth", "Mina Manager", "Ezra", "Esme"]:
            assert name in text
        empty = count_queries(client, url)
        # The list of extension options is read only once there is one: from then on
        # the page's queries stay the same however many there are.
        ExtensionOption.objects.create(
            contract=contract,
            sequence=1,
            length_months=6,
            decision_deadline=datetime.date(2027, 6, 30),
        )
        before = count_queries(client, url)
        assert before == empty + 1
        for number in range(3):
            ChecklistItemFactory(contract=contract, title=f"Evidence {number}")
            ContractKpiFactory(contract=contract, is_key_indicator=True)
            services.variation_propose(
                contract=contract,
                actor=writer,
                summary=f"More hours {number}",
                justification="Demand",
                requested_by="provider",
                new_annual_value=Decimal("420000") + number,
            )
            ExtensionOption.objects.create(
                contract=contract,
                sequence=number + 2,
                length_months=12,
                decision_deadline=datetime.date(2027, 9, 30),
            )
        text = client.get(url).content.decode()
        assert "3 checklist items are still waiting for evidence." in text
        assert "Option 4: 12 months" in text
        assert 'Variations awaiting decision</dt><dd class="govuk-summary-list__value">3<' in text
        assert count_queries(client, url) == before

    def test_overview_shows_current_end_date_and_the_key_indicator_warning(self, make_user, login):
        writer = make_user(role=Role.CONTRACT_MANAGER)
        contract = ContractFactory(lead_officer=writer, total_value=Decimal("5000000.01"))
        page = login(writer).get(reverse("contracts:contract_detail", args=[contract.pk]))
        text = page.content.decode()
        assert "31 March 2028" in text
        assert "should publish at least 3" in text

    def test_transition_page_explains_what_is_missing(self, make_user, login):
        writer = make_user(role=Role.CONTRACT_MANAGER)
        contract = ContractFactory(
            lead_officer=writer, status=ContractStatus.DRAFT, provider_contract_manager=None
        )
        client = login(writer)
        url = reverse("contracts:contract_transition", args=[contract.pk, "active"])
        response = client.post(url, {"reason": "Signed"})
        assert response.status_code == 400
        assert "Name the deputy officer." in response.content.decode()
        contract.refresh_from_db()
        assert contract.status == ContractStatus.DRAFT
        assert client.post(url, {}).status_code == 400  # a reason is required
        assert (
            client.get(
                reverse("contracts:contract_transition", args=[contract.pk, "x"])
            ).status_code
            == 404
        )

    def test_transition_happens_and_is_in_history(self, make_user, login):
        writer = make_user(role=Role.CONTRACT_MANAGER)
        contract = ContractFactory(lead_officer=writer)
        PostContractReviewFactory(contract=contract, recorded_by=writer)
        client = login(writer)
        url = reverse("contracts:contract_transition", args=[contract.pk, "terminated"])
        response = client.post(url, {"reason": "Provider entered administration"}, follow=True)
        assert "Contract is now terminated." in response.content.decode()
        contract.refresh_from_db()
        assert contract.status == ContractStatus.TERMINATED
        history = client.get(
            reverse("contracts:contract_history", args=[contract.pk])
        ).content.decode()
        assert "Provider entered administration" in history

    def test_auditors_cannot_change_status(self, make_user, login):
        contract = ContractFactory()
        client = login(make_user(role=Role.AUDITOR))
        url = reverse("contracts:contract_transition", args=[contract.pk, "terminated"])
        assert client.post(url, {"reason": "x"}).status_code == 403

    def test_terminate_is_on_the_exit_page_behind_a_confirmation_not_beside_the_title(
        self, make_user, login
    ):
        writer = make_user(role=Role.CONTRACT_MANAGER)
        contract = ContractFactory(lead_officer=writer)
        client = login(writer)
        terminate = reverse("contracts:contract_transition", args=[contract.pk, "terminated"])
        overview = client.get(reverse("contracts:contract_detail", args=[contract.pk]))
        assert terminate not in overview.content.decode()
        assert "Start exit" in overview.content.decode()
        exit_page = client.get(reverse("contracts:contract_exit", args=[contract.pk]))
        assert f'data-testid="terminate" href="{terminate}"' in exit_page.content.decode()
        confirm = client.get(terminate).content.decode()
        assert "It cannot be undone." in confirm
        assert f'href="{reverse("contracts:contract_exit", args=[contract.pk])}">Cancel' in confirm
        contract.refresh_from_db()
        assert contract.status == ContractStatus.ACTIVE

    def test_the_exit_page_offers_no_termination_to_those_who_cannot_terminate(
        self, make_user, login
    ):
        contract = ContractFactory(lead_officer=make_user(role=Role.CONTRACT_MANAGER))
        terminate = reverse("contracts:contract_transition", args=[contract.pk, "terminated"])
        for reader in (make_user(role=Role.AUDITOR), make_user(role=Role.CONTRACT_MANAGER)):
            page = login(reader).get(reverse("contracts:contract_exit", args=[contract.pk]))
            assert terminate not in page.content.decode()


class TestExtensionOptionViews(ContractRecordViews, ModelViewTests):
    model = ExtensionOption
    list_url_name = "contracts:extensionoption_list"
    detail_url_name = "contracts:contract_extensions"
    tab_url_names = ()
    update_url_name = ""
    contract_create_url_name = "contracts:extensionoption_create"
    csv_header = (
        "Contract",
        "Provider",
        "Option",
        "Months",
        "Decide by",
        "Decide by: missed or due",
        "Status",
        "Decided by",
        "Decided on",
    )

    def make(self, **kwargs):
        return ExtensionOption.objects.create(
            contract=self.writers_contract(),
            sequence=1,
            length_months=12,
            decision_deadline=datetime.date(2027, 9, 30),
        )

    def object_urls(self, obj):
        return [reverse("contracts:contract_extensions", args=[obj.contract_id])]

    def list_text(self, obj):
        return obj.contract.reference

    def create_data(self):
        return {
            "length_months": "12",
            "decision_deadline_day": "30",
            "decision_deadline_month": "9",
            "decision_deadline_year": "2027",
        }

    def update_data(self, obj):
        return {}

    def test_tab_queries_do_not_grow_with_history(self, login):
        obj = self.make()
        client = login(self.writer)
        url = reverse("contracts:contract_extensions", args=[obj.contract_id])
        before = count_queries(client, url)
        for number in range(2, 12):
            ExtensionOption.objects.create(
                contract=obj.contract,
                sequence=number,
                length_months=1,
                decision_deadline=datetime.date(2027, 10, number),
            )
        assert count_queries(client, url) == before


@pytest.mark.django_db
class TestExtensionPages:
    def option_to_exercise(self, make_user) -> tuple:
        """A contract's lead officer, a 24-month option of the contract to be decided by
        30 September 2027, and the page that exercises it."""
        writer, contract = lead_and_contract(make_user)
        option = services.extension_add(
            contract=contract,
            actor=writer,
            length_months=24,
            decision_deadline=datetime.date(2027, 9, 30),
        )
        return (
            writer,
            option,
            reverse("contracts:extensionoption_decide", args=[option.pk, "exercise"]),
        )

    def test_exercise_through_the_page(self, make_user, login):
        writer, option, url = self.option_to_exercise(make_user)
        contract = option.contract
        # Sign in inside the travelled time: a session from today has expired by then.
        with time_machine.travel(datetime.date(2027, 6, 1)):
            response = login(writer).post(url, {"notes": "Strong performance"}, follow=True)
        assert "Option exercised" in response.content.decode()
        contract.refresh_from_db()
        assert contract.current_end_date == datetime.date(2030, 3, 31)
        assert "31 March 2030" in response.content.decode()

    def test_late_exercise_is_explained_and_changes_nothing(self, make_user, login):
        writer, option, url = self.option_to_exercise(make_user)
        with time_machine.travel(datetime.date(2027, 10, 1)):
            response = login(writer).post(url, {"notes": ""})
        assert response.status_code == 400
        assert "has passed" in response.content.decode()
        option.refresh_from_db()
        assert option.status == ExtensionStatus.PENDING

    def test_overlapping_option_is_explained_beside_the_deadline(self, make_user, login):
        writer, contract = lead_and_contract(make_user)
        response = login(writer).post(
            reverse("contracts:extensionoption_create", args=[contract.pk]),
            {
                "length_months": "12",
                "decision_deadline_day": "1",
                "decision_deadline_month": "1",
                "decision_deadline_year": "2025",
            },
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert 'id="id_decision_deadline-error"' in page
        assert "cannot be before the contract starts" in page
        assert not ExtensionOption.objects.exists()


class TestVariationViews(ContractRecordViews, ModelViewTests):
    model = Variation
    list_url_name = "contracts:variation_list"
    detail_url_name = "contracts:variation_detail"
    tab_url_names = ("contracts:variation_history",)
    update_url_name = ""
    contract_create_url_name = "contracts:variation_create"

    def make(self, **kwargs):
        return services.variation_propose(
            contract=self.writers_contract(),
            actor=self.writer,
            summary="More hours",
            justification="Demand",
            requested_by="provider",
            new_annual_value=Decimal("420000"),
        )

    def list_text(self, obj):
        return obj.reference

    def create_data(self):
        return {
            "summary": "Extra outreach worker",
            "justification": "Referrals are up by a third.",
            "requested_by": "provider",
            "new_annual_value": "450,000",
        }

    def update_data(self, obj):
        return {}

    def test_tab_queries_do_not_grow_with_history(self, login):
        obj = self.make()
        client = login(self.writer)
        urls = self.object_urls(obj)
        before = [count_queries(client, url) for url in urls]
        for number in range(5):
            obj._history_user = self.writer
            obj._change_reason = f"Note {number}"
            obj.save()
        assert [count_queries(client, url) for url in urls] == before


@pytest.mark.django_db
class TestVariationPages:
    def setup(self, make_user, new_total="1500000"):
        lead, contract = lead_and_contract(make_user)
        variation = services.variation_propose(
            contract=contract,
            actor=lead,
            summary="Uplift",
            justification="Inflation",
            requested_by="provider",
            new_total_value=Decimal(new_total),
        )
        return lead, contract, variation

    def test_smg_approves_a_material_variation_through_the_page(self, make_user, login):
        _, contract, variation = self.setup(make_user)
        smg = make_user(role=Role.SMG)
        client = login(smg)
        detail = client.get(
            reverse("contracts:variation_detail", args=[variation.pk])
        ).content.decode()
        assert "Approve" in detail and "Senior Management Group decides it" in detail
        response = client.post(
            reverse("contracts:variation_decide", args=[variation.pk, "approve"]),
            {"notes": "SMG 4 March"},
            follow=True,
        )
        assert "Variation approved" in response.content.decode()
        contract.refresh_from_db()
        assert contract.total_value == Decimal("1500000")
        history = client.get(
            reverse("contracts:contract_history", args=[contract.pk])
        ).content.decode()
        assert f"Variation {variation.reference} approved" in history

    def test_lead_cannot_approve_a_material_variation(self, make_user, login):
        lead, _, variation = self.setup(make_user)
        client = login(lead)
        detail = client.get(
            reverse("contracts:variation_detail", args=[variation.pk])
        ).content.decode()
        assert (
            "variation_decide" not in detail
            and f"/variations/{variation.pk}/approve/" not in detail
        )
        url = reverse("contracts:variation_decide", args=[variation.pk, "approve"])
        assert client.get(url).status_code == 403
        assert client.post(url, {}).status_code == 403
        variation.refresh_from_db()
        assert variation.status == VariationStatus.PROPOSED

    def test_the_proposer_is_offered_no_approval_and_told_who_approves(self, make_user, login):
        lead, contract, variation = self.setup(make_user, new_total="1250000")
        deputy = make_user(role=Role.CONTRACT_MANAGER)
        contract.deputy_officer = deputy
        contract.save()
        approve = reverse("contracts:variation_decide", args=[variation.pk, "approve"])
        client = login(lead)
        detail = client.get(variation.get_absolute_url()).content.decode()
        assert approve not in detail
        assert reverse("contracts:variation_decide", args=[variation.pk, "withdraw"]) in detail
        assert (
            "You proposed this variation, so someone else must approve it: the contract&#x27;s "
            "other officer or a member of the Senior Management Group."
        ) in detail
        response = client.post(approve, {"notes": "Mine"})
        assert response.status_code == 400
        assert "You proposed this variation" in response.content.decode()
        variation.refresh_from_db()
        assert variation.status == VariationStatus.PROPOSED

        client = login(deputy)
        detail = client.get(variation.get_absolute_url()).content.decode()
        assert approve in detail and 'data-testid="approval-note"' not in detail
        assert client.post(approve, {"notes": ""}).status_code == 302
        variation.refresh_from_db()
        assert (variation.status, variation.decided_by) == (VariationStatus.APPROVED, deputy)

    def test_the_material_share_is_read_from_the_one_rule(self, make_user, login, monkeypatch):
        """Change the share once and the rule, both pages and the refusal follow it: a
        page with its own "10%" would not."""
        monkeypatch.setattr(services, "MATERIAL_VALUE_CHANGE", Decimal("0.30"))
        _, _, within = self.setup(make_user, new_total="1500000")  # 25%
        assert within.needs_smg_approval is False
        lead, contract, variation = self.setup(make_user, new_total="1600000")  # 33%
        assert variation.needs_smg_approval is True
        client = login(lead)
        pages = (
            client.get(reverse("contracts:contract_variations", args=[contract.pk])),
            client.get(reverse("contracts:variation_detail", args=[variation.pk])),
        )
        for page in (response.content.decode() for response in pages):
            assert "more than 30% of the total value" in page
            assert "10%" not in page
        response = client.post(
            reverse("contracts:variation_decide", args=[variation.pk, "approve"]), {}
        )
        assert response.status_code == 403
        with pytest.raises(ValidationError, match="by more than 30% or moves the end date"):
            services.variation_approve(variation=variation, actor=lead)

    def test_roles_without_variation_rights_are_refused(self, make_user, login):
        _, contract, variation = self.setup(make_user)
        url = reverse("contracts:variation_decide", args=[variation.pk, "approve"])
        assert login(make_user(role=Role.AUDITOR)).post(url, {}).status_code == 403
        provider = make_user(role=Role.PROVIDER, organisation=contract.provider)
        assert login(provider).post(url, {}).status_code == 403
        variation.refresh_from_db()
        assert variation.status == VariationStatus.PROPOSED

    def test_a_variation_with_no_change_is_explained(self, make_user, login):
        lead, contract = lead_and_contract(make_user)
        response = login(lead).post(
            reverse("contracts:variation_create", args=[contract.pk]),
            {"summary": "Nothing", "justification": "None", "requested_by": "commissioner"},
        )
        assert response.status_code == 400
        assert "Enter at least one change" in response.content.decode()
        assert not Variation.objects.exists()

    def test_provider_sees_its_own_variations(self, make_user, login):
        _, contract, variation = self.setup(make_user)
        provider = make_user(role=Role.PROVIDER, organisation=contract.provider)
        client = login(provider)
        assert (
            client.get(reverse("contracts:variation_detail", args=[variation.pk])).status_code
            == 200
        )
        assert (
            variation.reference in client.get(reverse("contracts:variation_list")).content.decode()
        )

    def test_contacts_of_the_provider_only(self, make_user, login):
        lead, contract = lead_and_contract(make_user)
        stranger = ContactFactory()
        response = login(lead).post(
            reverse("contracts:contract_update", args=[contract.pk]),
            {
                "reference": contract.reference,
                "title": contract.title,
                "service_area": contract.service_area_id,
                "tier": contract.tier,
                "lead_officer": lead.pk,
                "escalation_contact": stranger.pk,
                "change_reason": "New contact",
            },
        )
        assert response.status_code == 400
        assert "Select the provider&#x27;s escalation contact" in response.content.decode()


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2026, 12, 4, 10, tzinfo=datetime.UTC), tick=False)
def test_overall_status_and_latest_accepted_quarter_show_on_the_list_and_the_contract(
    make_user, login
):
    from contracts.performance.choices import ReturnStatus
    from contracts.performance.models.returns import PerformanceReturn, ReportingPeriod
    from contracts.register.choices import Rag

    writer = make_user(role=Role.CONTRACT_MANAGER)
    contract = ContractFactory(lead_officer=writer, reference="NPCC-RAG-1")
    for quarter, rag, status in [
        (1, Rag.GREEN, ReturnStatus.ACCEPTED),
        (2, Rag.RED, ReturnStatus.SUBMITTED),
        (3, Rag.AMBER, ReturnStatus.DRAFT),
    ]:
        starts = datetime.date(2026, 1 + 3 * quarter, 1)
        period = ReportingPeriod.objects.create(
            contract=contract,
            financial_year=2026,
            quarter=quarter,
            starts_on=starts,
            ends_on=starts + datetime.timedelta(days=89),
            performance_due_on=starts + datetime.timedelta(days=110),
            finance_due_on=starts + datetime.timedelta(days=117),
        )
        PerformanceReturn.objects.create(period=period, rag=rag, status=status)
    client = login(writer)
    rows = client.get(reverse("contracts:contract_list") + "?export=csv")
    text = b"".join(rows.streaming_content).decode()
    line = next(row for row in text.splitlines() if row.startswith("NPCC-RAG-1"))
    # Only an accepted quarter counts: the second is submitted, the third not yet due.
    assert ",Green,Q1 2026-27: Green," in line
    page = client.get(reverse("contracts:contract_detail", args=[contract.pk])).content.decode()
    assert "Latest accepted quarter: Q1 2026-27: Green." in page
    # The page also names the latest return received, labelled with its quarter.
    assert "Q2 2026-27 return" in page


@pytest.mark.django_db
def test_extension_decisions_missed_first_in_business_days(make_user, login):
    """Friday 18 December 2026: due soon is within 20 business days, Christmas Day,
    Boxing Day (moved to Monday 28th) and New Year's Day excluded."""
    contract = ContractFactory()

    def option(sequence, deadline, status=ExtensionStatus.PENDING):
        return ExtensionOption.objects.create(
            contract=contract,
            sequence=sequence,
            length_months=12,
            decision_deadline=deadline,
            status=status,
        )

    decided = option(1, datetime.date(2026, 12, 1), ExtensionStatus.DECLINED)
    missed = option(2, datetime.date(2026, 12, 17))
    last_due_day = option(3, datetime.date(2027, 1, 20))
    upcoming = option(4, datetime.date(2027, 1, 21))
    url = reverse("contracts:extensionoption_list")
    with time_machine.travel(datetime.datetime(2026, 12, 18, 10), tick=False):
        client = login(make_user(role=Role.SMG))
        response = client.get(url)
        due = client.get(url + "?deadline=due").context["page"].object_list
    assert list(response.context["page"].object_list) == [missed, last_due_day, upcoming, decided]
    assert list(due) == [last_due_day]
    html = response.content.decode()
    assert ">Missed yesterday<" in html and ">Due in 33 days<" in html
