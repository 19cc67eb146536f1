import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contracts.assurance.choices import ChecklistStatus
from contracts.assurance.models.slas import ChecklistItem, ChecklistItemType
from contracts.assurance.services import checklist as services
from contracts.register.choices import ContractStatus
from governance.core.models.base import Document
from governance.core.roles import Role
from tests.contracts.assurance.sla_factories import ChecklistItemFactory, ChecklistItemTypeFactory
from tests.contracts.register.factories import ContractFactory, OrganisationFactory
from tests.upload_files import pdf_bytes
from tests.view_cases import ModelViewTests, count_queries

TODAY = datetime.date(2026, 6, 15)
PDF = pdf_bytes()


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0), tick=False):
        yield


@pytest.fixture
def expiring_type():
    return ChecklistItemTypeFactory(name="Insurance certificate (test)", expires=True)


def pdf(name="certificate.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def record(item, actor, **overrides):
    kwargs = {
        "reason": "Evidence checked",
        "status": ChecklistStatus.VERIFIED,
        "verified_on": datetime.date(2026, 6, 1),
        "expires_on": None,
        "notes": "",
        **overrides,
    }
    return services.checklist_record(item=item, actor=actor, **kwargs)


def latest_history(obj):
    return obj.history.order_by("-history_date", "-history_id").first()


# -- Adding items ------------------------------------------------------------------------


@pytest.mark.django_db
class TestChecklistAdd:
    def test_a_standard_item_takes_its_title_from_the_type(self, officer, contract, expiring_type):
        item = services.checklist_add(contract=contract, actor=officer, item_type=expiring_type)
        assert item.title == "Insurance certificate (test)"
        assert item.status == ChecklistStatus.OUTSTANDING
        record_ = item.history.get()
        assert record_.history_user == officer
        assert record_.history_change_reason == "Added to the checklist"

    def test_an_item_of_the_contracts_own(self, officer, contract):
        item = services.checklist_add(
            contract=contract, actor=officer, title="  Site visit report  ", reason="SMG asked"
        )
        assert item.title == "Site visit report"
        assert item.item_type is None
        assert item.history.get().history_change_reason == "SMG asked"

    def test_a_title_is_needed(self, officer, contract):
        with pytest.raises(ValidationError) as caught:
            services.checklist_add(contract=contract, actor=officer, title="  ")
        assert caught.value.message_dict["title"] == [
            "Choose a standard item or enter the item's title."
        ]
        assert not contract.checklist.exists()

    def test_a_duplicate_title_is_refused(self, officer, contract):
        ChecklistItemFactory(contract=contract, title="Site visit report")
        with pytest.raises(ValidationError) as caught:
            services.checklist_add(contract=contract, actor=officer, title="site visit REPORT")
        assert caught.value.message_dict["title"] == [
            "This contract's checklist already has “site visit REPORT”."
        ]
        assert contract.checklist.count() == 1

    def test_a_standard_item_already_on_the_checklist_is_refused(
        self, officer, contract, expiring_type
    ):
        services.checklist_add(contract=contract, actor=officer, item_type=expiring_type)
        with pytest.raises(ValidationError) as caught:
            services.checklist_add(contract=contract, actor=officer, item_type=expiring_type)
        assert caught.value.message_dict["item_type"] == [
            "This contract's checklist already has “Insurance certificate (test)”."
        ]
        assert contract.checklist.count() == 1

    def test_the_same_title_on_another_contract_is_fine(self, officer, contract):
        ChecklistItemFactory(title="Site visit report")
        assert services.checklist_add(contract=contract, actor=officer, title="Site visit report")

    @pytest.mark.parametrize("role", [Role.CONTRACT_MANAGER, Role.SMG, Role.AUDITOR])
    def test_only_the_officers_may_add(self, contract, make_user, role):
        with pytest.raises(ValidationError) as caught:
            services.checklist_add(contract=contract, actor=make_user(role=role), title="Report")
        assert caught.value.messages == [
            "Only the contract's lead or deputy officer can change its checklist."
        ]
        assert not contract.checklist.exists()

    def test_an_ended_contract_gets_no_new_items(self, officer):
        contract = ContractFactory(lead_officer=officer, status=ContractStatus.TERMINATED)
        with pytest.raises(ValidationError) as caught:
            services.checklist_add(contract=contract, actor=officer, title="Report")
        assert caught.value.messages == ["This contract has ended: items can no longer be added."]
        assert not contract.checklist.exists()

    def test_add_standard_adds_every_missing_standard_item_once(self, officer, contract):
        types = list(ChecklistItemType.objects.all())
        assert len(types) >= 2
        ChecklistItemFactory(contract=contract, item_type=types[0], title=types[0].name)
        ChecklistItemFactory(contract=contract, title=types[1].name.upper())
        added = services.checklist_add_standard(contract=contract, actor=officer)
        assert len(added) == len(types) - 2
        assert {item.item_type for item in added} == set(types[2:])
        for item in added:
            history = item.history.get()
            assert history.history_user == officer
            assert history.history_change_reason == "Standard item added"
        assert services.checklist_add_standard(contract=contract, actor=officer) == []
        assert contract.checklist.count() == len(types)

    def test_add_standard_is_for_the_officers_only(self, contract, make_user):
        with pytest.raises(ValidationError):
            services.checklist_add_standard(
                contract=contract, actor=make_user(role=Role.CONTRACT_MANAGER)
            )
        assert not contract.checklist.exists()


# -- Recording evidence --------------------------------------------------------------------


@pytest.mark.django_db
class TestChecklistRecord:
    def test_verifying_records_who_and_when(self, officer, contract):
        item = ChecklistItemFactory(contract=contract)
        changed = record(item, officer, notes="Seen the signed copy")
        assert set(changed) >= {"status", "verified_on", "verified_by", "notes"}
        item.refresh_from_db()
        assert item.status == ChecklistStatus.VERIFIED
        assert item.verified_on == datetime.date(2026, 6, 1)
        assert item.verified_by == officer
        history = latest_history(item)
        assert history.history_user == officer
        assert history.history_change_reason == "Evidence checked"

    def test_the_evidence_is_uploaded_to_the_contract_and_linked(self, officer, contract):
        item = ChecklistItemFactory(contract=contract, title="Safeguarding policy")
        record(item, officer, evidence=pdf())
        item.refresh_from_db()
        document = item.evidence
        assert document.attached_to == contract
        assert document.title == "Safeguarding policy"
        assert document.category == "evidence"
        assert document.uploaded_by == officer
        record(item, officer, evidence=pdf("renewed.pdf"), verified_on=datetime.date(2026, 6, 2))
        item.refresh_from_db()
        assert item.evidence.version == 2

    def test_a_bad_file_is_refused_and_nothing_saved(self, officer, contract):
        item = ChecklistItemFactory(contract=contract)
        bad = SimpleUploadedFile(
            "virus.pdf", b"MZ\x90\x00\x03binary", content_type="application/pdf"
        )
        with pytest.raises(ValidationError) as caught:
            record(item, officer, evidence=bad)
        assert "evidence" in caught.value.message_dict
        assert not Document.objects.exists()
        item.refresh_from_db()
        assert item.status == ChecklistStatus.OUTSTANDING

    def test_verified_needs_a_date(self, officer, contract):
        item = ChecklistItemFactory(contract=contract)
        with pytest.raises(ValidationError) as caught:
            record(item, officer, verified_on=None, evidence=pdf())
        assert caught.value.message_dict["verified_on"] == [
            "Enter the date the evidence was verified."
        ]
        assert not Document.objects.exists()
        item.refresh_from_db()
        assert item.status == ChecklistStatus.OUTSTANDING

    def test_the_date_verified_cannot_be_in_the_future(self, officer, contract):
        item = ChecklistItemFactory(contract=contract)
        with pytest.raises(ValidationError) as caught:
            record(item, officer, verified_on=TODAY + datetime.timedelta(days=1))
        assert caught.value.message_dict["verified_on"] == [
            "The date verified cannot be in the future."
        ]
        item.refresh_from_db()
        assert item.verified_on is None

    def test_expiring_evidence_needs_an_expiry_date(self, officer, contract, expiring_type):
        item = ChecklistItemFactory(
            contract=contract, item_type=expiring_type, title=expiring_type.name
        )
        with pytest.raises(ValidationError) as caught:
            record(item, officer)
        assert caught.value.message_dict["expires_on"] == [
            "This evidence expires: enter the date it expires."
        ]
        item.refresh_from_db()
        assert item.status == ChecklistStatus.OUTSTANDING
        record(item, officer, expires_on=datetime.date(2027, 6, 1))
        item.refresh_from_db()
        assert item.expires_on == datetime.date(2027, 6, 1)

    @pytest.mark.parametrize("expires_on", [datetime.date(2026, 6, 1), datetime.date(2026, 5, 1)])
    def test_expiry_must_be_after_verification(self, officer, contract, expires_on):
        item = ChecklistItemFactory(contract=contract)
        with pytest.raises(ValidationError) as caught:
            record(item, officer, expires_on=expires_on)
        assert caught.value.message_dict["expires_on"] == [
            "The expiry date must be after the date verified."
        ]
        item.refresh_from_db()
        assert item.expires_on is None

    def test_not_applicable_needs_a_note(self, officer, contract):
        item = ChecklistItemFactory(contract=contract)
        with pytest.raises(ValidationError) as caught:
            record(item, officer, status=ChecklistStatus.NOT_APPLICABLE, notes=" ")
        assert "notes" in caught.value.message_dict
        record(
            item,
            officer,
            status=ChecklistStatus.NOT_APPLICABLE,
            notes="No personal data is processed.",
        )
        item.refresh_from_db()
        assert item.status == ChecklistStatus.NOT_APPLICABLE

    def test_going_back_to_outstanding_clears_the_verification(self, officer, contract):
        item = ChecklistItemFactory(contract=contract)
        record(item, officer, expires_on=datetime.date(2027, 1, 1))
        record(
            item,
            officer,
            status=ChecklistStatus.OUTSTANDING,
            verified_on=datetime.date(2026, 6, 1),
            expires_on=datetime.date(2027, 1, 1),
        )
        item.refresh_from_db()
        assert (item.verified_on, item.verified_by, item.expires_on) == (None, None, None)

    def test_a_note_does_not_change_who_verified(self, officer, contract, make_user):
        deputy = make_user(role=Role.CONTRACT_MANAGER)
        contract.deputy_officer = deputy
        contract.save()
        item = ChecklistItemFactory(contract=contract)
        record(item, officer)
        record(item, deputy, notes="Copy filed with HR")
        item.refresh_from_db()
        assert item.verified_by == officer
        assert latest_history(item).history_user == deputy
        record(item, deputy, verified_on=datetime.date(2026, 6, 10))
        item.refresh_from_db()
        assert item.verified_by == deputy

    def test_nothing_changed_saves_nothing(self, officer, contract):
        item = ChecklistItemFactory(contract=contract)
        before = item.history.count()
        assert record(item, officer, status=ChecklistStatus.OUTSTANDING) == []
        assert item.history.count() == before

    def test_only_the_officers_may_record(self, contract, make_user):
        item = ChecklistItemFactory(contract=contract)
        with pytest.raises(ValidationError) as caught:
            record(item, make_user(role=Role.CONTRACT_MANAGER), evidence=pdf())
        assert "lead or deputy officer" in caught.value.messages[0]
        assert not Document.objects.exists()
        item.refresh_from_db()
        assert item.status == ChecklistStatus.OUTSTANDING


# -- Pages ---------------------------------------------------------------------------------


class TestChecklistViews(ModelViewTests):
    model = ChecklistItem
    list_url_name = "contracts:checklist_list"
    detail_url_name = "contracts:checklistitem_history"
    tab_url_names = ("contracts:checklistitem_history",)
    update_url_name = "contracts:checklist_update"
    csv_header = (
        "Item",
        "Contract",
        "Provider",
        "Status",
        "Date verified",
        "Verified by",
        "Evidence expires",
        "Evidence expires: missed or due",
        "Expired",
        "Evidence document",
        "Notes",
    )

    def make_writer(self):
        writer = self.make_user(role=Role.CONTRACT_MANAGER)
        self.contract = ContractFactory(lead_officer=writer)
        return writer

    def make(self, **kwargs):
        return ChecklistItemFactory(contract=ContractFactory(lead_officer=self.writer), **kwargs)

    def create_url(self):
        return reverse("contracts:checklistitem_create", args=[self.contract.pk])

    def out_of_scope(self, make_user):
        own = OrganisationFactory()
        return make_user(role=Role.PROVIDER, organisation=own), self.make()

    def create_data(self):
        return {"title": "Annual site visit report"}

    def update_data(self, obj):
        return {
            "status": "verified",
            "verified_on_day": "1",
            "verified_on_month": "6",
            "verified_on_year": "2026",
            "notes": "Checked the original.",
        }


@pytest.mark.django_db
class TestChecklistPages:
    def tab(self, contract):
        return reverse("contracts:contract_checklist", args=[contract.pk])

    def test_tab_flags_expired_and_outstanding_items(self, officer, contract, login):
        ChecklistItemFactory(
            contract=contract,
            title="Expired insurance",
            status=ChecklistStatus.VERIFIED,
            verified_on=datetime.date(2025, 5, 1),
            verified_by=officer,
            expires_on=datetime.date(2026, 5, 1),
        )
        ChecklistItemFactory(
            contract=contract,
            title="Expiring accreditation",
            status=ChecklistStatus.VERIFIED,
            verified_on=datetime.date(2025, 7, 1),
            verified_by=officer,
            expires_on=datetime.date(2026, 7, 1),
        )
        ChecklistItemFactory(contract=contract, title="Missing policy")
        html = login(officer).get(self.tab(contract)).content.decode()
        assert '<strong class="govuk-tag govuk-tag--red">Expired</strong>' in html
        assert '<strong class="govuk-tag govuk-tag--yellow">Expires soon</strong>' in html
        assert '<strong class="govuk-tag govuk-tag--orange">Evidence outstanding</strong>' in html
        assert "Evidence has expired for 1 item." in html
        assert "1 item is still waiting for evidence." in html
        assert "1 May 2026" in html  # the expiry, as a GOV.UK date

    def test_tab_links_the_evidence_for_download(self, officer, contract, login):
        item = ChecklistItemFactory(contract=contract, title="Safeguarding policy")
        record(item, officer, evidence=pdf("safeguarding.pdf"))
        item.refresh_from_db()
        client = login(officer)
        html = client.get(self.tab(contract)).content.decode()
        download = reverse("governance:document_download", args=[item.evidence_id])
        assert download in html and "safeguarding.pdf" in html
        assert client.get(download).status_code == 200

    def test_officers_see_the_buttons_others_do_not(self, officer, contract, make_user, login):
        ChecklistItemFactory(contract=contract)
        html = login(officer).get(self.tab(contract)).content.decode()
        assert "Add the standard items" in html
        assert reverse("contracts:checklistitem_create", args=[contract.pk]) in html
        assert "Record evidence" in html
        for role in (Role.CONTRACT_MANAGER, Role.AUDITOR, Role.SMG):
            other = login(make_user(role=role)).get(self.tab(contract)).content.decode()
            assert "Add the standard items" not in other
            assert "Record evidence" not in other

    def test_add_the_standard_items_button(self, officer, contract, login):
        client = login(officer)
        url = reverse("contracts:checklist_add_standard", args=[contract.pk])
        response = client.post(url, follow=True)
        count = ChecklistItemType.objects.count()
        assert contract.checklist.count() == count
        assert f"{count} standard items added." in response.content.decode()
        again = client.post(url, follow=True).content.decode()
        assert "The checklist already has every standard item." in again
        assert "Add the standard items" not in again  # nothing left to add
        assert client.get(url).status_code == 405

    def test_tab_queries_do_not_grow_with_items(self, officer, contract, login):
        client = login(officer)
        url = self.tab(contract)
        item = ChecklistItemFactory(contract=contract)
        record(item, officer, evidence=pdf())
        before = count_queries(client, url)
        for number in range(5):
            item = ChecklistItemFactory(contract=contract, title=f"More evidence {number}")
            record(item, officer, evidence=pdf(f"more-{number}.pdf"))
        assert count_queries(client, url) == before

    def test_create_with_a_standard_item(self, officer, contract, login, expiring_type):
        response = login(officer).post(
            reverse("contracts:checklistitem_create", args=[contract.pk]),
            {"item_type": expiring_type.pk},
        )
        assert response.status_code == 302
        assert response["Location"] == self.tab(contract)
        assert contract.checklist.get().item_type == expiring_type

    def test_create_refuses_a_duplicate_beside_the_field(self, officer, contract, login):
        ChecklistItemFactory(contract=contract, title="Site visit report")
        response = login(officer).post(
            reverse("contracts:checklistitem_create", args=[contract.pk]),
            {"title": "Site visit report"},
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert "There is a problem" in html
        assert 'id="id_title-error"' in html
        assert "already has “Site visit report”" in html
        assert contract.checklist.count() == 1

    def test_record_evidence_with_an_upload(self, officer, contract, login, expiring_type):
        item = ChecklistItemFactory(
            contract=contract, item_type=expiring_type, title=expiring_type.name
        )
        client = login(officer)
        url = reverse("contracts:checklist_update", args=[item.pk])
        page = client.get(url).content.decode()
        assert 'enctype="multipart/form-data"' in page
        assert "This evidence expires" in page
        response = client.post(
            url,
            {
                "status": "verified",
                "verified_on_day": "1",
                "verified_on_month": "6",
                "verified_on_year": "2026",
                "expires_on_day": "31",
                "expires_on_month": "5",
                "expires_on_year": "2027",
                "notes": "",
                "evidence": pdf(),
                "change_reason": "Certificate received",
            },
        )
        assert response.status_code == 302
        assert response["Location"] == self.tab(contract)
        item.refresh_from_db()
        assert item.verified_by == officer
        assert item.expires_on == datetime.date(2027, 5, 31)
        assert item.evidence.original_filename == "certificate.pdf"
        history = client.get(
            reverse("contracts:checklistitem_history", args=[item.pk])
        ).content.decode()
        assert "Certificate received" in history

    def test_record_refusal_is_shown_and_nothing_saved(self, officer, contract, login):
        item = ChecklistItemFactory(contract=contract)
        response = login(officer).post(
            reverse("contracts:checklist_update", args=[item.pk]),
            {
                "status": "verified",
                "verified_on_day": "1",
                "verified_on_month": "6",
                "verified_on_year": "2026",
                "expires_on_day": "1",
                "expires_on_month": "1",
                "expires_on_year": "2026",
                "evidence": pdf(),
                "change_reason": "Checked",
            },
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert "The expiry date must be after the date verified." in html
        # The summary shows the stored state, not what was typed.
        assert '<strong class="govuk-tag govuk-tag--orange">Evidence outstanding</strong>' in html
        assert not Document.objects.exists()
        item.refresh_from_db()
        assert item.status == ChecklistStatus.OUTSTANDING

    def test_a_manager_who_is_not_an_officer_gets_404_on_edit_pages(
        self, contract, make_user, login
    ):
        item = ChecklistItemFactory(contract=contract)
        client = login(make_user(role=Role.CONTRACT_MANAGER))
        for url in (
            reverse("contracts:checklistitem_create", args=[contract.pk]),
            reverse("contracts:checklist_update", args=[item.pk]),
        ):
            assert client.get(url).status_code == 404, url
        assert (
            client.post(reverse("contracts:checklist_add_standard", args=[contract.pk])).status_code
            == 404
        )
        assert contract.checklist.count() == 1
        assert client.get(self.tab(contract)).status_code == 200

    @pytest.mark.parametrize("role", [Role.AUDITOR, Role.SMG])
    def test_auditors_and_smg_cannot_write(self, role, contract, make_user, login):
        item = ChecklistItemFactory(contract=contract)
        client = login(make_user(role=role))
        assert (
            client.post(reverse("contracts:checklist_add_standard", args=[contract.pk])).status_code
            == 403
        )
        assert (
            client.post(
                reverse("contracts:checklist_update", args=[item.pk]),
                {"status": "not_applicable", "notes": "x", "change_reason": "x"},
            ).status_code
            == 403
        )
        assert contract.checklist.count() == 1
        item.refresh_from_db()
        assert item.status == ChecklistStatus.OUTSTANDING

    def test_provider_users_see_only_their_own_contracts_items(self, make_user, login):
        own = ChecklistItemFactory(title="Own evidence")
        other = ChecklistItemFactory(title="Someone else's evidence")
        client = login(make_user(role=Role.PROVIDER, organisation=own.contract.provider))
        listing = client.get(reverse("contracts:checklist_list")).content.decode()
        assert "Own evidence" in listing and "Someone else" not in listing
        assert client.get(self.tab(own.contract)).status_code == 200
        assert client.get(self.tab(other.contract)).status_code == 404
        history = reverse("contracts:checklistitem_history", args=[other.pk])
        assert client.get(history).status_code == 404
        assert client.get(reverse("contracts:checklist_update", args=[own.pk])).status_code == 403

    def test_list_links_to_the_contracts_checklist_and_filters_expired(
        self, officer, make_user, login
    ):
        expired = ChecklistItemFactory(
            title="Lapsed certificate",
            status=ChecklistStatus.VERIFIED,
            verified_on=datetime.date(2025, 1, 1),
            verified_by=officer,
            expires_on=datetime.date(2026, 1, 1),
        )
        ChecklistItemFactory(title="Outstanding policy")
        client = login(make_user(role=Role.AUDITOR))
        html = client.get(reverse("contracts:checklist_list") + "?attention=expired").content
        html = html.decode()
        assert "Lapsed certificate" in html and "Outstanding policy" not in html
        assert self.tab(expired.contract) in html
        assert reverse("contracts:checklist_update", args=[expired.pk]) not in html


@pytest.mark.django_db
class TestEvidenceExpiry:
    """15 June 2026: evidence expired, due for renewal within 90 days, or later."""

    def test_expired_first_on_the_list_and_the_tab_with_the_state_in_words(
        self, contract, officer, make_user, login
    ):
        def item(title, expires_on, status=ChecklistStatus.VERIFIED):
            return ChecklistItem.objects.create(
                contract=contract,
                title=title,
                status=status,
                verified_on=datetime.date(2025, 6, 1),
                verified_by=officer,
                expires_on=expires_on,
            )

        later = item("Later", datetime.date(2027, 1, 1))
        waiting = item("Waiting", None, status=ChecklistStatus.OUTSTANDING)
        soon = item("Soon", datetime.date(2026, 7, 1))
        expired = item("Expired", datetime.date(2026, 6, 5))
        client = login(make_user(role=Role.AUDITOR))
        url = reverse("contracts:checklist_list")
        response = client.get(url)
        assert list(response.context["page"].object_list) == [expired, soon, later, waiting]
        html = response.content.decode()
        assert html.index(">Missed 10 days ago<") < html.index(">Due in 16 days<")

        def listed(query):
            return list(client.get(url + query).context["page"].object_list)

        assert listed("?deadline=missed") == listed("?attention=expired") == [expired]
        assert listed("?deadline=due") == listed("?attention=expiring") == [soon]
        assert listed("?deadline=upcoming") == [later]
        assert listed("?attention=renewal") == [expired, soon]
        tab = login(officer).get(reverse("contracts:contract_checklist", args=[contract.pk]))
        tab_html = tab.content.decode()
        assert "5 June 2026" in tab_html and ">Missed 10 days ago<" in tab_html
