import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from contracts.assurance.choices import SlaStatus
from contracts.assurance.models.slas import ImprovementPlanItem, ServiceLevelAgreement
from contracts.assurance.services import slas as services
from contracts.register.choices import ContractStatus
from governance.core.roles import Role
from tests.contracts.assurance.sla_factories import AgreedSlaFactory, ImprovementFactory, SlaFactory
from tests.contracts.register.factories import ContactFactory, ContractFactory, OrganisationFactory
from tests.view_cases import ModelViewTests, count_queries

TODAY = datetime.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0), tick=False):
        yield


def sla_fields(**overrides):
    return {
        "service_requirements": "Answer the helpline 24 hours a day.\nRefer on within a day.",
        "report_due_business_days": 15,
        "meeting_cadence": "quarterly",
        "reporting_arrangements": "",
        "clarifications": "",
        **overrides,
    }


def messages_of(error: ValidationError, field=None) -> list[str]:
    if field is None:
        return error.messages
    return error.message_dict[field]


def latest_history(obj):
    return obj.history.order_by("-history_date", "-history_id").first()


# -- Drafting --------------------------------------------------------------------------


@pytest.mark.django_db
class TestSlaCreateDraft:
    def test_drafts_version_one_with_contacts_and_history(self, officer, contract, make_user):
        colleague = make_user(role=Role.CONTRACT_MANAGER)
        manager = contract.provider_contract_manager
        sla = services.sla_create_draft(
            contract=contract,
            actor=officer,
            commissioner_contacts=[officer, colleague],
            provider_contacts=[manager],
            **sla_fields(),
        )
        sla.refresh_from_db()
        assert (sla.version, sla.status) == (1, SlaStatus.DRAFT)
        assert set(sla.commissioner_contacts.all()) == {officer, colleague}
        assert list(sla.provider_contacts.all()) == [manager]
        record = sla.history.get()
        assert record.history_user == officer
        assert record.history_change_reason == "Version 1 drafted"

    def test_the_deputy_officer_may_draft_and_the_reason_is_kept(self, make_user):
        deputy = make_user(role=Role.CONTRACT_MANAGER)
        contract = ContractFactory(deputy_officer=deputy)
        sla = services.sla_create_draft(
            contract=contract, actor=deputy, reason="Annual review", **sla_fields()
        )
        assert sla.history.get().history_change_reason == "Annual review"

    def test_next_version_follows_the_latest(self, officer, contract):
        AgreedSlaFactory(contract=contract)
        sla = services.sla_create_draft(contract=contract, actor=officer, **sla_fields())
        assert sla.version == 2

    def test_a_second_draft_is_refused(self, officer, contract):
        SlaFactory(contract=contract)
        with pytest.raises(ValidationError) as caught:
            services.sla_create_draft(contract=contract, actor=officer, **sla_fields())
        assert messages_of(caught.value) == [
            "This contract already has a draft SLA: finish or agree it first."
        ]
        assert contract.slas.count() == 1

    @pytest.mark.parametrize("role", [Role.CONTRACT_MANAGER, Role.SMG, Role.AUDITOR])
    def test_only_the_lead_or_deputy_officer_may_draft(self, contract, make_user, role):
        with pytest.raises(ValidationError) as caught:
            services.sla_create_draft(contract=contract, actor=make_user(role=role), **sla_fields())
        assert messages_of(caught.value) == [
            "Only the contract's lead or deputy officer can change its SLA."
        ]
        assert not contract.slas.exists()

    @pytest.mark.parametrize("status", [ContractStatus.ENDED, ContractStatus.TERMINATED])
    def test_an_ended_contract_gets_no_new_sla(self, officer, status):
        contract = ContractFactory(lead_officer=officer, status=status)
        with pytest.raises(ValidationError) as caught:
            services.sla_create_draft(contract=contract, actor=officer, **sla_fields())
        assert messages_of(caught.value) == [services.CONTRACT_ENDED]
        assert not contract.slas.exists()

    @pytest.mark.parametrize("status", [ContractStatus.DRAFT, ContractStatus.IN_EXIT])
    def test_draft_and_exiting_contracts_may_have_an_sla(self, officer, status):
        contract = ContractFactory(lead_officer=officer, status=status)
        assert services.sla_create_draft(contract=contract, actor=officer, **sla_fields()).pk

    def test_provider_contacts_must_work_for_the_provider(self, officer, contract):
        stranger = ContactFactory(name="Pat Stranger")
        with pytest.raises(ValidationError) as caught:
            services.sla_create_draft(
                contract=contract, actor=officer, provider_contacts=[stranger], **sla_fields()
            )
        assert messages_of(caught.value, "provider_contacts") == [
            f"Pat Stranger is not a contact at {contract.provider}."
        ]
        assert not contract.slas.exists()

    def test_commissioner_contacts_must_be_the_commissioners_staff(
        self, officer, contract, make_user
    ):
        provider_user = make_user(
            role=Role.PROVIDER,
            organisation=contract.provider,
            first_name="Sam",
            last_name="Supplier",
        )
        with pytest.raises(ValidationError) as caught:
            services.sla_create_draft(
                contract=contract,
                actor=officer,
                commissioner_contacts=[provider_user],
                **sla_fields(),
            )
        assert messages_of(caught.value, "commissioner_contacts") == [
            "Sam Supplier works for a provider: choose people on the commissioner's side."
        ]
        assert not contract.slas.exists()

    def test_requirements_are_required(self, officer, contract):
        with pytest.raises(ValidationError) as caught:
            services.sla_create_draft(
                contract=contract, actor=officer, **sla_fields(service_requirements="")
            )
        assert "service_requirements" in caught.value.message_dict
        assert not contract.slas.exists()


@pytest.mark.django_db
class TestSlaUpdateDraft:
    def test_changes_a_draft_and_records_who_and_why(self, officer, contract):
        sla = SlaFactory(contract=contract)
        changed = services.sla_update_draft(
            instance=sla,
            actor=officer,
            reason="Provider asked for monthly meetings",
            **sla_fields(meeting_cadence="monthly"),
        )
        assert "meeting_cadence" in changed
        sla.refresh_from_db()
        assert sla.meeting_cadence == "monthly"
        record = latest_history(sla)
        assert record.history_user == officer
        assert record.history_change_reason == "Provider asked for monthly meetings"

    def test_a_change_of_contacts_alone_is_recorded(self, officer, contract):
        sla = SlaFactory(contract=contract)
        before = sla.history.count()
        changed = services.sla_update_draft(
            instance=sla,
            actor=officer,
            reason="New provider lead",
            provider_contacts=[contract.provider_contract_manager],
            service_requirements=sla.service_requirements,
        )
        assert changed == ["provider_contacts"]
        assert sla.history.count() == before + 1
        assert latest_history(sla).history_change_reason == "New provider lead"
        assert list(sla.provider_contacts.all()) == [contract.provider_contract_manager]

    def test_nothing_changed_saves_nothing(self, officer, contract):
        sla = SlaFactory(contract=contract)
        before = sla.history.count()
        changed = services.sla_update_draft(
            instance=sla,
            actor=officer,
            reason="Checked",
            service_requirements=sla.service_requirements,
            provider_contacts=[],
        )
        assert changed == []
        assert sla.history.count() == before

    def test_a_reason_is_required(self, officer, contract):
        sla = SlaFactory(contract=contract)
        with pytest.raises(ValidationError) as caught:
            services.sla_update_draft(
                instance=sla, actor=officer, reason="", **sla_fields(clarifications="New")
            )
        assert "change_reason" in caught.value.message_dict
        sla.refresh_from_db()
        assert sla.clarifications == ""

    @pytest.mark.parametrize("status", [SlaStatus.AGREED, SlaStatus.SUPERSEDED])
    def test_agreed_and_superseded_versions_are_read_only(self, officer, contract, status):
        sla = AgreedSlaFactory(contract=contract, status=status)
        before = sla.history.count()
        with pytest.raises(ValidationError) as caught:
            services.sla_update_draft(
                instance=sla, actor=officer, reason="Tweak", **sla_fields(clarifications="New")
            )
        assert messages_of(caught.value) == [
            "An agreed SLA cannot be changed: start a new version."
        ]
        sla.refresh_from_db()
        assert sla.clarifications == ""
        assert sla.history.count() == before

    def test_only_the_officers_may_change_a_draft(self, contract, make_user):
        sla = SlaFactory(contract=contract)
        with pytest.raises(ValidationError) as caught:
            services.sla_update_draft(
                instance=sla,
                actor=make_user(role=Role.CONTRACT_MANAGER),
                reason="Tweak",
                **sla_fields(clarifications="New"),
            )
        assert "lead or deputy officer" in messages_of(caught.value)[0]
        sla.refresh_from_db()
        assert sla.clarifications == ""

    def test_provider_contacts_must_work_for_the_provider(self, officer, contract):
        sla = SlaFactory(contract=contract)
        with pytest.raises(ValidationError) as caught:
            services.sla_update_draft(
                instance=sla,
                actor=officer,
                reason="Contacts",
                provider_contacts=[ContactFactory()],
            )
        assert "provider_contacts" in caught.value.message_dict
        assert not sla.provider_contacts.exists()


# -- Agreement ---------------------------------------------------------------------------


@pytest.mark.django_db
class TestSlaAgree:
    def agree(self, sla, actor, **overrides):
        kwargs = {
            "agreed_on": TODAY,
            "signed_for_commissioner": actor,
            "signed_for_provider": sla.contract.provider_contract_manager,
            **overrides,
        }
        return services.sla_agree(sla=sla, actor=actor, **kwargs)

    def test_agrees_a_draft_and_records_the_signatures(self, officer, contract):
        sla = SlaFactory(contract=contract)
        self.agree(sla, officer)
        sla.refresh_from_db()
        assert sla.status == SlaStatus.AGREED
        assert sla.agreed_on == TODAY
        assert sla.signed_for_commissioner == officer
        assert sla.signed_for_provider == contract.provider_contract_manager
        record = latest_history(sla)
        assert record.history_user == officer
        assert record.history_change_reason.startswith("Agreed on 15 June 2026")
        assert contract.slas.current().get() == sla

    def test_agreeing_supersedes_the_current_version_which_stays_readable(self, officer, contract):
        first = AgreedSlaFactory(contract=contract)
        second = SlaFactory(contract=contract)
        self.agree(second, officer)
        first.refresh_from_db()
        second.refresh_from_db()
        assert first.status == SlaStatus.SUPERSEDED
        assert second.status == SlaStatus.AGREED
        assert first.service_requirements  # kept, unchanged
        record = latest_history(first)
        assert record.history_user == officer
        assert record.history_change_reason == "Superseded by version 2"
        assert list(contract.slas.current()) == [second]

    def test_a_date_in_the_future_is_refused(self, officer, contract):
        sla = SlaFactory(contract=contract)
        with pytest.raises(ValidationError) as caught:
            self.agree(sla, officer, agreed_on=TODAY + datetime.timedelta(days=1))
        assert messages_of(caught.value, "agreed_on") == [
            "The date agreed cannot be in the future."
        ]
        sla.refresh_from_db()
        assert sla.status == SlaStatus.DRAFT

    def test_a_date_before_the_contract_starts_is_refused(self, officer, contract):
        sla = SlaFactory(contract=contract)
        with pytest.raises(ValidationError) as caught:
            self.agree(sla, officer, agreed_on=datetime.date(2025, 3, 31))
        assert messages_of(caught.value, "agreed_on") == [
            "The date agreed cannot be before the contract starts on 1 April 2025."
        ]
        sla.refresh_from_db()
        assert sla.status == SlaStatus.DRAFT

    def test_a_date_before_the_current_version_was_agreed_is_refused(self, officer, contract):
        first = AgreedSlaFactory(contract=contract, agreed_on=datetime.date(2026, 1, 10))
        second = SlaFactory(contract=contract)
        with pytest.raises(ValidationError) as caught:
            self.agree(second, officer, agreed_on=datetime.date(2026, 1, 9))
        assert messages_of(caught.value, "agreed_on") == [
            "The date agreed cannot be before version 1 was agreed on 10 January 2026."
        ]
        first.refresh_from_db()
        assert first.status == SlaStatus.AGREED

    def test_the_provider_signatory_must_be_a_contact_at_the_provider(self, officer, contract):
        sla = SlaFactory(contract=contract)
        stranger = ContactFactory(name="Pat Stranger")
        with pytest.raises(ValidationError) as caught:
            self.agree(sla, officer, signed_for_provider=stranger)
        assert messages_of(caught.value, "signed_for_provider") == [
            f"Pat Stranger is not a contact at {contract.provider}."
        ]
        sla.refresh_from_db()
        assert sla.status == SlaStatus.DRAFT
        assert sla.signed_for_provider is None

    def test_the_commissioner_signatory_must_be_on_the_commissioners_side(
        self, officer, contract, make_user
    ):
        sla = SlaFactory(contract=contract)
        provider_user = make_user(role=Role.PROVIDER, organisation=contract.provider)
        with pytest.raises(ValidationError) as caught:
            self.agree(sla, officer, signed_for_commissioner=provider_user)
        assert "signed_for_commissioner" in caught.value.message_dict
        sla.refresh_from_db()
        assert sla.status == SlaStatus.DRAFT

    def test_an_sla_without_requirements_cannot_be_agreed(self, officer, contract):
        sla = SlaFactory(contract=contract)
        ServiceLevelAgreement.objects.filter(pk=sla.pk).update(service_requirements=" \n \n")
        with pytest.raises(ValidationError) as caught:
            self.agree(sla, officer)
        assert messages_of(caught.value, "service_requirements") == [
            "Add at least one service requirement before the SLA is agreed."
        ]
        sla.refresh_from_db()
        assert sla.status == SlaStatus.DRAFT

    def test_only_a_draft_can_be_agreed(self, officer, contract):
        sla = AgreedSlaFactory(contract=contract)
        before = sla.history.count()
        with pytest.raises(ValidationError) as caught:
            self.agree(sla, officer)
        assert messages_of(caught.value) == ["Version 1 has already been agreed."]
        assert sla.history.count() == before

    def test_only_the_officers_may_agree(self, officer, contract, make_user):
        first = AgreedSlaFactory(contract=contract)
        sla = SlaFactory(contract=contract)
        other = make_user(role=Role.CONTRACT_MANAGER)
        with pytest.raises(ValidationError) as caught:
            self.agree(sla, other)
        assert "lead or deputy officer" in messages_of(caught.value)[0]
        sla.refresh_from_db()
        first.refresh_from_db()
        assert (sla.status, first.status) == (SlaStatus.DRAFT, SlaStatus.AGREED)

    def test_an_ended_contract_cannot_agree_an_sla(self, officer):
        contract = ContractFactory(lead_officer=officer, status=ContractStatus.ENDED)
        sla = SlaFactory(contract=contract)
        with pytest.raises(ValidationError) as caught:
            self.agree(sla, officer)
        assert messages_of(caught.value) == [services.CONTRACT_ENDED]
        sla.refresh_from_db()
        assert sla.status == SlaStatus.DRAFT


@pytest.mark.django_db
class TestImprovementAdd:
    def test_adds_an_item_to_a_draft(self, officer, contract):
        sla = SlaFactory(contract=contract)
        item = services.improvement_add(
            sla=sla,
            actor=officer,
            description="Faster assessments",
            target="90% within 5 days",
            due_date=datetime.date(2026, 12, 31),
        )
        assert list(sla.improvements.all()) == [item]
        record = item.history.get()
        assert record.history_user == officer
        assert record.history_change_reason == "Added to version 1's plan"

    def test_an_agreed_version_gets_no_new_items(self, officer, contract):
        sla = AgreedSlaFactory(contract=contract)
        with pytest.raises(ValidationError) as caught:
            services.improvement_add(
                sla=sla,
                actor=officer,
                description="Faster assessments",
                target="90% within 5 days",
                due_date=datetime.date(2026, 12, 31),
            )
        assert messages_of(caught.value) == [
            "Improvement plan items can be added only to a draft SLA: start a new version."
        ]
        assert not sla.improvements.exists()

    def test_only_the_officers_may_add_items(self, contract, make_user):
        sla = SlaFactory(contract=contract)
        with pytest.raises(ValidationError):
            services.improvement_add(
                sla=sla,
                actor=make_user(role=Role.CONTRACT_MANAGER),
                description="Faster assessments",
                target="90% within 5 days",
                due_date=datetime.date(2026, 12, 31),
            )
        assert not sla.improvements.exists()


@pytest.mark.django_db
def test_next_report_due_counts_business_days_after_the_quarter_end(contract):
    sla = SlaFactory(contract=contract, report_due_business_days=15)
    # The March 2026 report was due on 23 April (after Easter); the next quarter ends
    # on 30 June and its report is due 15 business days later.
    assert services.next_report_due(sla, TODAY) == (
        datetime.date(2026, 6, 30),
        datetime.date(2026, 7, 21),
    )
    assert services.next_report_due(sla, datetime.date(2026, 4, 23)) == (
        datetime.date(2026, 3, 31),
        datetime.date(2026, 4, 23),
    )


@pytest.mark.django_db
def test_next_version_starts_from_the_current_one(officer, contract):
    assert services.next_version_initial(contract) == {}
    current = AgreedSlaFactory(contract=contract, clarifications="Bank holidays count.")
    current.provider_contacts.set([contract.provider_contract_manager])
    initial = services.next_version_initial(contract)
    assert initial["clarifications"] == "Bank holidays count."
    assert initial["provider_contacts"] == [contract.provider_contract_manager.pk]


# -- Pages ---------------------------------------------------------------------------------


class TestSlaViews(ModelViewTests):
    model = ServiceLevelAgreement
    list_url_name = "contracts:sla_list"
    detail_url_name = "contracts:sla_detail"
    tab_url_names = ("contracts:sla_history",)
    update_url_name = "contracts:sla_update"
    csv_header = (
        "SLA",
        "Contract",
        "Provider",
        "Version",
        "Status",
        "Agreed on",
        "Reports due (business days after quarter end)",
        "Monitoring meetings",
        "Signed for the commissioner by",
        "Signed for the provider by",
    )

    def make_writer(self):
        writer = self.make_user(role=Role.CONTRACT_MANAGER)
        self.contract = ContractFactory(lead_officer=writer)
        return writer

    def make(self, **kwargs):
        sla = SlaFactory(contract=ContractFactory(lead_officer=self.writer), **kwargs)
        ImprovementFactory(sla=sla)
        return sla

    def create_url(self):
        return reverse("contracts:sla_create", args=[self.contract.pk])

    def out_of_scope(self, make_user):
        own = OrganisationFactory()
        return make_user(role=Role.PROVIDER, organisation=own), self.make()

    def create_data(self):
        return {
            "service_requirements": "Answer the helpline around the clock.",
            "report_due_business_days": "15",
            "meeting_cadence": "quarterly",
            "provider_contacts": [self.contract.provider_contract_manager_id],
            "commissioner_contacts": [self.writer.pk],
        }

    def update_data(self, obj):
        return {
            "service_requirements": "Answer the helpline around the clock.\nRefer on quickly.",
            "report_due_business_days": "20",
            "meeting_cadence": "monthly",
        }


@pytest.mark.django_db
class TestSlaPages:
    def test_contract_tab_lists_versions_with_the_current_one_highlighted(
        self, officer, contract, login
    ):
        first = AgreedSlaFactory(contract=contract, status=SlaStatus.SUPERSEDED)
        current = AgreedSlaFactory(contract=contract, agreed_on=datetime.date(2026, 2, 2))
        draft = SlaFactory(contract=contract)
        page = login(officer).get(reverse("contracts:contract_slas", args=[contract.pk]))
        assert page.status_code == 200
        html = page.content.decode()
        assert "Current SLA: version 2" in html
        assert "2 February 2026" in html
        assert "Version 3 is being drafted" in html
        for sla in (first, current, draft):
            assert sla.get_absolute_url() in html
        assert "Superseded" in html
        # A draft exists, so there is nothing new to start.
        assert reverse("contracts:sla_create", args=[contract.pk]) not in html

    def test_officers_may_start_a_new_version_others_may_not(
        self, officer, contract, make_user, login
    ):
        AgreedSlaFactory(contract=contract)
        url = reverse("contracts:contract_slas", args=[contract.pk])
        create = reverse("contracts:sla_create", args=[contract.pk])
        html = login(officer).get(url).content.decode()
        assert "Start a new version" in html and create in html
        other = login(make_user(role=Role.CONTRACT_MANAGER)).get(url).content.decode()
        assert create not in other

    def test_a_live_contract_without_an_agreed_sla_is_flagged(self, officer, contract, login):
        html = (
            login(officer)
            .get(reverse("contracts:contract_slas", args=[contract.pk]))
            .content.decode()
        )
        assert "no agreed service level agreement" in html
        assert "Draft the SLA" in html

    def test_contract_tab_queries_do_not_grow_with_versions(self, officer, contract, login):
        client = login(officer)
        url = reverse("contracts:contract_slas", args=[contract.pk])
        AgreedSlaFactory(contract=contract, status=SlaStatus.SUPERSEDED)
        before = count_queries(client, url)
        for _ in range(5):
            AgreedSlaFactory(contract=contract, status=SlaStatus.SUPERSEDED)
        AgreedSlaFactory(contract=contract)
        SlaFactory(contract=contract)
        assert count_queries(client, url) == before

    def test_detail_page_shows_everything_agreed(self, officer, contract, login, make_user):
        colleague = make_user(
            role=Role.CONTRACT_MANAGER, first_name="Alex", last_name="Commissioner"
        )
        provider_lead = ContactFactory(organisation=contract.provider, name="Robin Provider")
        sla = AgreedSlaFactory(
            contract=contract,
            clarifications="Bank holidays are not working days.",
            signed_for_commissioner=colleague,
            signed_for_provider=provider_lead,
            agreed_on=datetime.date(2026, 3, 3),
        )
        sla.commissioner_contacts.set([colleague])
        sla.provider_contacts.set([provider_lead])
        ImprovementFactory(sla=sla, target="Ninety-five percent", due_date=TODAY)
        html = login(officer).get(sla.get_absolute_url()).content.decode()
        assert "Alex Commissioner" in html and "Robin Provider" in html
        assert "<li>Contact every referral within 2 working days.</li>" in html
        assert "15 business days after the end of each quarter" in html
        assert "21 July 2026" in html  # next report due
        assert "Quarterly" in html
        assert "Ninety-five percent" in html and "15 June 2026" in html
        assert "Bank holidays are not working days." in html
        assert "3 March 2026" in html
        # Agreed: read-only.
        assert reverse("contracts:sla_update", args=[sla.pk]) not in html
        assert reverse("contracts:sla_agree", args=[sla.pk]) not in html

    def test_superseded_version_points_to_the_current_one(self, officer, contract, login):
        old = AgreedSlaFactory(contract=contract, status=SlaStatus.SUPERSEDED)
        current = AgreedSlaFactory(contract=contract)
        html = login(officer).get(old.get_absolute_url()).content.decode()
        assert "This version has been superseded" in html
        assert current.get_absolute_url() in html

    def test_create_page_starts_from_the_current_version(self, officer, contract, login):
        AgreedSlaFactory(contract=contract, clarifications="Visits need 48 hours' notice.")
        page = login(officer).get(reverse("contracts:sla_create", args=[contract.pk]))
        html = page.content.decode()
        assert "This draft starts from version 1" in html
        assert "Visits need 48 hours&#x27; notice." in html

    def test_create_page_sends_the_user_to_an_existing_draft(self, officer, contract, login):
        draft = SlaFactory(contract=contract)
        response = login(officer).get(reverse("contracts:sla_create", args=[contract.pk]))
        assert response.status_code == 302
        assert response["Location"] == draft.get_absolute_url()

    def test_only_the_providers_own_contacts_are_offered(self, officer, contract, login):
        response = login(officer).post(
            reverse("contracts:sla_create", args=[contract.pk]),
            {
                "service_requirements": "Answer the helpline.",
                "report_due_business_days": "15",
                "meeting_cadence": "quarterly",
                "provider_contacts": [ContactFactory().pk],
            },
        )
        assert response.status_code == 400
        assert f"Select the points of contact at {contract.provider}" in response.content.decode()
        assert not contract.slas.exists()

    @pytest.mark.parametrize(
        ("days", "message"),
        [
            ("90", "Reports must be due within 60 business days of the quarter end."),
            ("0", "Reports must be due at least 1 business day after the quarter end."),
            ("soon", "Enter the number of business days as a whole number, like 15."),
        ],
    )
    def test_report_days_out_of_range_are_explained(self, officer, contract, login, days, message):
        response = login(officer).post(
            reverse("contracts:sla_create", args=[contract.pk]),
            {
                "service_requirements": "Answer the helpline.",
                "report_due_business_days": days,
                "meeting_cadence": "quarterly",
            },
        )
        assert response.status_code == 400
        assert message in response.content.decode()
        assert not contract.slas.exists()

    def test_agreed_versions_cannot_be_edited(self, officer, contract, login):
        sla = AgreedSlaFactory(contract=contract)
        client = login(officer)
        for url in (
            reverse("contracts:sla_update", args=[sla.pk]),
            reverse("contracts:sla_agree", args=[sla.pk]),
            reverse("contracts:improvementplanitem_create", args=[sla.pk]),
        ):
            response = client.get(url, follow=True)
            assert response.redirect_chain[-1][0] == sla.get_absolute_url()
            assert "An agreed SLA cannot be changed: start a new version." in (
                response.content.decode()
            )
        response = client.post(
            reverse("contracts:sla_update", args=[sla.pk]),
            {"service_requirements": "Changed", "change_reason": "Try"},
        )
        assert response.status_code == 302
        sla.refresh_from_db()
        assert sla.service_requirements != "Changed"

    def test_agreeing_through_the_page_supersedes_the_current_version(
        self, officer, contract, login
    ):
        first = AgreedSlaFactory(contract=contract)
        draft = SlaFactory(contract=contract)
        client = login(officer)
        url = reverse("contracts:sla_agree", args=[draft.pk])
        page = client.get(url).content.decode()
        assert "Version 1 will be kept as superseded" in page
        response = client.post(
            url,
            {
                "agreed_on_day": "12",
                "agreed_on_month": "6",
                "agreed_on_year": "2026",
                "signed_for_commissioner": officer.pk,
                "signed_for_provider": contract.provider_contract_manager_id,
            },
        )
        assert response.status_code == 302, response.content.decode()[-6000:]
        first.refresh_from_db()
        draft.refresh_from_db()
        assert (first.status, draft.status) == (SlaStatus.SUPERSEDED, SlaStatus.AGREED)
        assert draft.agreed_on == datetime.date(2026, 6, 12)
        history = client.get(reverse("contracts:sla_history", args=[first.pk])).content.decode()
        assert "Superseded by version 2" in history

    def test_agreement_refusal_is_shown_beside_the_field(self, officer, contract, login):
        draft = SlaFactory(contract=contract)
        response = login(officer).post(
            reverse("contracts:sla_agree", args=[draft.pk]),
            {
                "agreed_on_day": "1",
                "agreed_on_month": "1",
                "agreed_on_year": "2027",
                "signed_for_commissioner": officer.pk,
                "signed_for_provider": contract.provider_contract_manager_id,
            },
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert "There is a problem" in html
        assert "The date agreed cannot be in the future." in html
        draft.refresh_from_db()
        assert draft.status == SlaStatus.DRAFT

    def test_improvements_are_added_to_a_draft(self, officer, contract, login):
        draft = SlaFactory(contract=contract)
        response = login(officer).post(
            reverse("contracts:improvementplanitem_create", args=[draft.pk]),
            {
                "description": "Shorter waits",
                "target": "90% seen within 5 days",
                "due_date_day": "31",
                "due_date_month": "12",
                "due_date_year": "2026",
            },
        )
        assert response.status_code == 302
        assert response["Location"] == draft.get_absolute_url()
        item = draft.improvements.get()
        assert item.history.get().history_user == officer

    def test_a_manager_who_is_not_an_officer_gets_404_on_edit_pages(
        self, contract, make_user, login
    ):
        draft = SlaFactory(contract=contract)
        client = login(make_user(role=Role.CONTRACT_MANAGER))
        for url in (
            reverse("contracts:sla_create", args=[contract.pk]),
            reverse("contracts:sla_update", args=[draft.pk]),
            reverse("contracts:sla_agree", args=[draft.pk]),
            reverse("contracts:improvementplanitem_create", args=[draft.pk]),
        ):
            assert client.get(url).status_code == 404, url
            assert client.post(url, {}).status_code == 404, url
        assert client.get(draft.get_absolute_url()).status_code == 200
        assert ImprovementPlanItem.objects.count() == 0

    @pytest.mark.parametrize("role", [Role.AUDITOR, Role.SMG])
    def test_auditors_and_smg_cannot_write(self, role, contract, make_user, login):
        draft = SlaFactory(contract=contract)
        client = login(make_user(role=role))
        data = {
            "agreed_on_day": "1",
            "agreed_on_month": "6",
            "agreed_on_year": "2026",
            "signed_for_commissioner": contract.lead_officer_id,
            "signed_for_provider": contract.provider_contract_manager_id,
        }
        assert client.post(reverse("contracts:sla_agree", args=[draft.pk]), data).status_code == 403
        assert (
            client.post(
                reverse("contracts:improvementplanitem_create", args=[draft.pk]), {}
            ).status_code
            == 403
        )
        draft.refresh_from_db()
        assert draft.status == SlaStatus.DRAFT
        html = client.get(draft.get_absolute_url()).content.decode()
        assert reverse("contracts:sla_update", args=[draft.pk]) not in html

    def test_provider_users_see_only_their_own_contracts_slas(self, make_user, login):
        own_contract, other_contract = ContractFactory(), ContractFactory()
        own, other = (
            AgreedSlaFactory(contract=own_contract),
            AgreedSlaFactory(contract=other_contract),
        )
        client = login(make_user(role=Role.PROVIDER, organisation=own_contract.provider))
        listing = client.get(reverse("contracts:sla_list")).content.decode()
        assert str(own) in listing and str(other) not in listing
        assert client.get(own.get_absolute_url()).status_code == 200
        assert client.get(other.get_absolute_url()).status_code == 404
        assert (
            client.get(reverse("contracts:contract_slas", args=[own_contract.pk])).status_code
            == 200
        )
        assert (
            client.get(reverse("contracts:contract_slas", args=[other_contract.pk])).status_code
            == 404
        )
        assert (
            client.get(reverse("contracts:sla_create", args=[own_contract.pk])).status_code == 403
        )

    def test_list_filters_by_status(self, make_user, login):
        current = AgreedSlaFactory()
        draft = SlaFactory()
        client = login(make_user(role=Role.AUDITOR))
        html = client.get(reverse("contracts:sla_list") + "?status=agreed").content.decode()
        assert str(current) in html and str(draft) not in html
