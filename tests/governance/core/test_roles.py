import pytest
from django.contrib.auth.models import Group

from contracts.register.models.organisations import Organisation
from governance.core.roles import ROLE_PERMISSIONS, Role
from tests.contracts.register.factories import OrganisationFactory


@pytest.mark.django_db
class TestRoleGroups:
    def test_every_role_has_a_group(self):
        assert set(Group.objects.values_list("name", flat=True)) >= {r.label for r in Role}

    def test_auditors_hold_only_view_permissions(self):
        codenames = Group.objects.get(name=Role.AUDITOR.label).permissions.values_list(
            "codename", flat=True
        )
        assert codenames
        assert all(code.startswith("view_") for code in codenames)

    def test_smg_reads_and_approves_but_edits_nothing(self):
        codenames = set(
            Group.objects.get(name=Role.SMG.label).permissions.values_list("codename", flat=True)
        )
        assert "approve_material_variation" in codenames
        # SMG records its own decisions, updates actions it owns, records its dispute
        # endorsements and keeps the exclusion register, approves notices for publication
        # and records KPI duty exemptions; it edits no contract.
        writes = {code for code in codenames if not code.startswith("view_")}
        assert writes == {
            "approve_material_variation",
            "approve_notice",
            "decide_kpi_duty_exemption",
            "add_decision",
            "change_decision",
            "change_action",
            "add_disputeendorsement",
            "add_exclusion",
            "change_exclusion",
            # Procurement Act 2023: notices, KPI duty exemptions, KPI performance
            # assessments and breaches chosen for publication are SMG's to approve.
            "approve_performanceassessment",
            "decide_performancefailure",
        }

    def test_contract_managers_may_register_organisations(self):
        perms = set(
            Group.objects.get(name=Role.CONTRACT_MANAGER.label).permissions.values_list(
                "codename", flat=True
            )
        )
        assert {"add_organisation", "change_organisation", "view_organisation"} <= perms
        assert "delete_organisation" not in perms

    def test_history_tables_are_not_granted_by_wildcards(self):
        for group in Group.objects.all():
            assert not group.permissions.filter(codename__contains="historical").exists()

    def test_groups_are_resynced_to_the_table(self):
        group = Group.objects.get(name=Role.AUDITOR.label)
        group.permissions.clear()
        from django.contrib.auth.models import Permission

        from governance.core.roles import sync_role_groups

        sync_role_groups(Group, Permission)
        assert group.permissions.filter(codename="view_organisation").exists()

    def test_the_table_names_only_known_roles(self):
        assert set(ROLE_PERMISSIONS) == set(Role)


@pytest.mark.django_db
class TestRestrict:
    def test_anonymous_and_inactive_users_see_nothing(self, make_user):
        from django.contrib.auth.models import AnonymousUser

        OrganisationFactory()
        assert not Organisation.objects.restrict(AnonymousUser()).exists()
        inactive = make_user(role=Role.SMG, is_active=False)
        assert not Organisation.objects.restrict(inactive).exists()

    def test_a_user_without_a_role_sees_nothing(self, make_user):
        OrganisationFactory()
        assert not Organisation.objects.restrict(make_user()).exists()

    def test_commissioner_roles_see_all_organisations(self, make_user):
        OrganisationFactory.create_batch(3)
        for role in (Role.CONTRACT_MANAGER, Role.PDM, Role.SMG, Role.AUDITOR, Role.ADMINISTRATOR):
            assert Organisation.objects.restrict(make_user(role=role)).count() == 3

    def test_auditors_may_change_nothing(self, make_user):
        OrganisationFactory()
        auditor = make_user(role=Role.AUDITOR)
        for action in ("add", "change", "delete"):
            assert not Organisation.objects.restrict(auditor, action).exists()

    def test_provider_users_see_only_their_organisation_and_change_nothing(self, make_user):
        own, _ = OrganisationFactory(), OrganisationFactory()
        provider = make_user(role=Role.PROVIDER, organisation=own)
        assert list(Organisation.objects.restrict(provider)) == [own]
        assert not Organisation.objects.restrict(provider, "change").exists()

    def test_provider_user_without_an_organisation_sees_nothing(self, make_user):
        OrganisationFactory()
        assert not Organisation.objects.restrict(make_user(role=Role.PROVIDER)).exists()

    def test_unknown_action_is_a_programming_error(self, make_user):
        with pytest.raises(ValueError):
            Organisation.objects.restrict(make_user(role=Role.SMG), "approve")
