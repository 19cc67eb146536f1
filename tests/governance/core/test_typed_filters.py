"""Filters whose choices grow with the data (providers, organisations, the people who own
records) are typed into, never rendered as a drop-down of every choice: at a large
public body's scale a select would list hundreds of names on every page view."""

import datetime

import pytest
from django.urls import reverse

from contracts.assurance.filtersets import ChecklistFilterSet, SlaFilterSet
from contracts.exit.filtersets import ContractsEndingFilterSet, LessonsLearnedFilterSet
from contracts.performance.filtersets import ContractKpiFilterSet
from contracts.register.choices import ContractStatus
from contracts.register.filtersets import ContactFilterSet, ContractFilterSet
from disputes.filtersets import ExclusionFilterSet
from disputes.models.exclusions import Exclusion
from governance.core.roles import Role
from tests.contracts.assurance.sla_factories import ChecklistItemFactory, SlaFactory
from tests.contracts.exit.exit_factories import PostContractReviewFactory
from tests.contracts.performance.kpi_factories import ContractKpiFactory
from tests.contracts.register.factories import ContactFactory, ContractFactory, OrganisationFactory

#: (list, the typed filter's parameter) for every list that used to offer a drop-down of
#: organisations or people.
TYPED = [
    ("contracts:contract_list", "provider"),
    ("contracts:contact_list", "organisation"),
    ("contracts:contractkpi_list", "provider"),
    ("contracts:sla_list", "provider"),
    ("contracts:checklist_list", "provider"),
    ("contracts:contracts_ending", "provider"),
    ("contracts:postcontractreview_list", "provider"),
    ("disputes:exclusion_list", "organisation"),
    ("risks:risk_list", "owner"),
    ("governance:action_list", "owner"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("url_name, parameter", TYPED)
def test_long_choices_are_typed_not_listed(url_name, parameter, make_user, login):
    # Organisations and people with nothing on the list: a drop-down would name them.
    idle = [organisation.name for organisation in OrganisationFactory.create_batch(3)]
    idle += [make_user(role=Role.PDM, last_name=f"Idleworth{n}").last_name for n in range(3)]
    page = login(make_user(role=Role.SMG)).get(reverse(url_name)).content.decode()
    assert f'<input type="text" name="{parameter}"' in page
    assert f'<select name="{parameter}"' not in page
    for name in idle:
        assert name not in page


def _exclusion(contract, user):
    return Exclusion.objects.create(
        organisation=contract.provider,
        reason="performance",
        details="Contracts ended early for poor performance.",
        start_date=datetime.date(2026, 4, 1),
        end_date=datetime.date(2028, 3, 31),
        decided_on=datetime.date(2026, 3, 20),
        recorded_by=user,
    )


BY_PROVIDER = [
    (ContractFilterSet, "provider", lambda contract, user: contract),
    (ContractsEndingFilterSet, "provider", lambda contract, user: contract),
    (ContactFilterSet, "organisation", lambda c, u: ContactFactory(organisation=c.provider)),
    (ContractKpiFilterSet, "provider", lambda c, u: ContractKpiFactory(contract=c)),
    (SlaFilterSet, "provider", lambda c, u: SlaFactory(contract=c)),
    (ChecklistFilterSet, "provider", lambda c, u: ChecklistItemFactory(contract=c)),
    (LessonsLearnedFilterSet, "provider", lambda c, u: PostContractReviewFactory(contract=c)),
    (ExclusionFilterSet, "organisation", _exclusion),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "filterset_class, parameter, make", BY_PROVIDER, ids=[row[0].__name__ for row in BY_PROVIDER]
)
def test_part_of_a_provider_name_in_any_case_finds_its_rows(
    filterset_class, parameter, make, rf, make_user
):
    user = make_user(role=Role.SMG)
    victims = ContractFactory(
        provider=OrganisationFactory(name="Northshire Victim Care CIC"),
        status=ContractStatus.ACTIVE,
    )
    digital = ContractFactory(
        provider=OrganisationFactory(name="Brightline Digital Services Ltd"),
        status=ContractStatus.ACTIVE,
    )
    wanted, other = make(victims, user), make(digital, user)
    request = rf.get("/")
    request.user = user
    model = filterset_class._meta.model
    queryset = model.objects.filter(pk__in=[wanted.pk, other.pk])

    def found(typed):
        filterset = filterset_class({parameter: typed}, queryset=queryset, request=request)
        assert filterset.is_valid(), filterset.errors
        return set(filterset.qs)

    assert found("victim CARE") == {wanted}
    assert found("  ") == {wanted, other}
    assert found("Nobody of that name") == set()
    assert found("ltd") == {other}
