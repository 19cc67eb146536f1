import pytest
from django.urls import reverse

from contracts.register.models.organisations import Contact, Organisation
from governance.core.roles import Role
from tests.contracts.register.factories import ContactFactory, OrganisationFactory
from tests.view_cases import ModelViewTests


class TestOrganisationViews(ModelViewTests):
    model = Organisation
    list_url_name = "contracts:organisation_list"
    detail_url_name = "contracts:organisation_detail"
    tab_url_names = (
        "contracts:organisation_history",
        "contracts:organisation_contacts",
        "contracts:organisation_documents",
    )
    create_url_name = "contracts:organisation_create"
    update_url_name = "contracts:organisation_update"
    csv_header = (
        "Name",
        "Type",
        "Companies House number",
        "Email",
        "Telephone",
        "Current contacts",
    )

    def make(self, **kwargs):
        organisation = OrganisationFactory(**kwargs)
        ContactFactory.create_batch(2, organisation=organisation)
        return organisation

    def out_of_scope(self, make_user):
        own = OrganisationFactory()
        return make_user(role=Role.PROVIDER, organisation=own), self.make()

    def create_data(self):
        return {
            "name": "Eastford Advice Partnership",
            "kind": "provider",
            "companies_house_number": "sc 123456",
            "email": "hello@eastford-advice.example.org",
        }

    def update_data(self, obj):
        return {"name": obj.name, "kind": obj.kind, "telephone": "01632 961234", "email": obj.email}


class TestContactViews(ModelViewTests):
    model = Contact
    list_url_name = "contracts:contact_list"
    detail_url_name = "contracts:contact_detail"
    tab_url_names = ("contracts:contact_history",)
    create_url_name = "contracts:contact_create"
    update_url_name = "contracts:contact_update"
    csv_header = ("Name", "Organisation", "Role", "Job title", "Email", "Telephone", "Current")

    def make(self, **kwargs):
        return ContactFactory(**kwargs)

    def list_text(self, obj):
        return obj.email

    def out_of_scope(self, make_user):
        own = OrganisationFactory()
        return make_user(role=Role.PROVIDER, organisation=own), self.make()

    def create_data(self):
        organisation = OrganisationFactory()
        return {
            "organisation": organisation.pk,
            "name": "Jo Bloggs",
            "role": "escalation",
            "email": "jo.bloggs@provider.example.org",
            "is_active": "on",
        }

    def update_data(self, obj):
        return {
            "organisation": obj.organisation_id,
            "name": obj.name,
            "role": obj.role,
            "email": obj.email,
            "job_title": "Head of Service",
            "is_active": "on",
        }


@pytest.mark.django_db
class TestOrganisationRules:
    def test_provider_user_sees_only_their_own_organisation(self, make_user, login):
        own, other = OrganisationFactory(), OrganisationFactory()
        client = login(make_user(role=Role.PROVIDER, organisation=own))
        page = client.get(reverse("contracts:organisation_list")).content.decode()
        assert own.name in page
        assert other.name not in page
        assert (
            client.get(reverse("contracts:organisation_detail", args=[own.pk])).status_code == 200
        )

    def test_provider_user_cannot_add_or_edit(self, make_user, login):
        own = OrganisationFactory()
        client = login(make_user(role=Role.PROVIDER, organisation=own))
        assert client.get(reverse("contracts:organisation_create")).status_code == 403
        assert (
            client.get(reverse("contracts:organisation_update", args=[own.pk])).status_code == 403
        )

    def test_duplicate_name_is_refused_beside_the_field(self, make_user, login):
        existing = OrganisationFactory(name="Safer Futures Trust")
        client = login(make_user(role=Role.CONTRACT_MANAGER))
        response = client.post(
            reverse("contracts:organisation_create"), {"name": existing.name, "kind": "provider"}
        )
        assert response.status_code == 400
        assert "already registered" in response.content.decode()
        assert Organisation.objects.filter(name=existing.name).count() == 1

    def test_malformed_companies_house_number_is_refused(self, make_user, login):
        client = login(make_user(role=Role.CONTRACT_MANAGER))
        response = client.post(
            reverse("contracts:organisation_create"),
            {"name": "New Provider", "kind": "provider", "companies_house_number": "12AB"},
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert "Companies House number of 8 characters" in page
        assert 'href="#id_companies_house_number"' in page  # linked from the error summary
        assert not Organisation.objects.filter(name="New Provider").exists()

    def test_companies_house_number_is_normalised(self, make_user, login):
        client = login(make_user(role=Role.CONTRACT_MANAGER))
        client.post(
            reverse("contracts:organisation_create"),
            {"name": "New Provider", "kind": "provider", "companies_house_number": "sc 123456"},
        )
        assert Organisation.objects.get(name="New Provider").companies_house_number == "SC123456"

    def test_edit_with_no_change_writes_no_history(self, make_user, login):
        organisation = OrganisationFactory()
        client = login(make_user(role=Role.CONTRACT_MANAGER))
        before = organisation.history.count()
        response = client.post(
            reverse("contracts:organisation_update", args=[organisation.pk]),
            {
                "name": organisation.name,
                "kind": organisation.kind,
                "companies_house_number": organisation.companies_house_number,
                "email": organisation.email,
                "telephone": organisation.telephone,
                "change_reason": "Checked",
            },
            follow=True,
        )
        assert "Nothing was changed" in response.content.decode()
        assert organisation.history.count() == before

    def test_filters_narrow_the_list_and_show_as_removable_tags(self, make_user, login):
        OrganisationFactory(name="Alpha Care Ltd")
        OrganisationFactory(name="Beta Commissioning Office", kind="commissioner")
        client = login(make_user(role=Role.SMG))
        page = client.get(
            reverse("contracts:organisation_list") + "?kind=commissioner"
        ).content.decode()
        assert "Beta Commissioning Office" in page
        assert "Alpha Care Ltd" not in page
        assert "Remove this filter" in page
        searched = client.get(reverse("contracts:organisation_list") + "?q=alpha").content.decode()
        assert "Alpha Care Ltd" in searched and "Beta Commissioning Office" not in searched

    def test_invalid_filter_value_is_explained(self, make_user, login):
        OrganisationFactory(name="Alpha Care Ltd")
        client = login(make_user(role=Role.SMG))
        page = client.get(
            reverse("contracts:organisation_list") + "?kind=spaceship"
        ).content.decode()
        assert "Select the type" in page
        assert "Alpha Care Ltd" not in page

    def test_sorting_by_a_column(self, make_user, login):
        OrganisationFactory(name="Aardvark Services")
        OrganisationFactory(name="Zebra Services")
        client = login(make_user(role=Role.SMG))
        page = client.get(reverse("contracts:organisation_list") + "?sort=-name").content.decode()
        assert page.index("Zebra Services") < page.index("Aardvark Services")
        assert 'aria-sort="descending"' in page

    def test_unknown_sort_field_is_ignored(self, make_user, login):
        OrganisationFactory(name="Aardvark Services")
        client = login(make_user(role=Role.SMG))
        response = client.get(reverse("contracts:organisation_list") + "?sort=password")
        assert response.status_code == 200

    def test_list_paginates(self, make_user, login):
        OrganisationFactory.create_batch(30)
        client = login(make_user(role=Role.SMG))
        page = client.get(reverse("contracts:organisation_list")).content.decode()
        assert "30 results" in page
        assert 'rel="next"' in page
        second = client.get(reverse("contracts:organisation_list") + "?page=2").content.decode()
        assert 'rel="prev"' in second

    def test_contact_form_offers_only_organisations_the_user_may_change(self, make_user, login):
        organisation = OrganisationFactory()
        client = login(make_user(role=Role.CONTRACT_MANAGER))
        page = client.get(
            reverse("contracts:contact_create") + f"?organisation={organisation.pk}"
        ).content.decode()
        assert f'value="{organisation.pk}" selected' in page

    def test_duplicate_contact_email_at_one_organisation_is_refused(self, make_user, login):
        contact = ContactFactory()
        client = login(make_user(role=Role.CONTRACT_MANAGER))
        response = client.post(
            reverse("contracts:contact_create"),
            {
                "organisation": contact.organisation_id,
                "name": "Someone Else",
                "role": "other",
                "email": contact.email,
            },
        )
        assert response.status_code == 400
        assert "already has a contact with that email address" in response.content.decode()
        assert Contact.objects.filter(email=contact.email).count() == 1
