"""Reads whose SQL is written once: each call runs it with its own values, in one query,
and reads the rows as the ORM would."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Case, Count, Q, Value, When
from django.test.utils import CaptureQueriesContext

from contracts.register.models.contracts import Contract
from governance.core.compiled import CompiledRead, ReusedRead, reused, totals
from governance.core.roles import Role
from tests.contracts.register.factories import ContractFactory

pytestmark = pytest.mark.django_db


def ending(contract_id, today):
    return Contract.objects.filter(pk=contract_id).values(
        "reference",
        "total_value",
        "current_end_date",
        ended=Case(When(Q(current_end_date__lt=today), then=Value(True)), default=Value(False)),
    )


READ = CompiledRead(ending, contract_id=-7_310_911, today=datetime.date(1901, 2, 3))


def test_each_call_runs_the_sql_with_its_own_values_and_reads_as_the_orm_does():
    first = ContractFactory(current_end_date=datetime.date(2027, 3, 31))
    second = ContractFactory(current_end_date=datetime.date(2028, 3, 31))
    for contract in (first, second):
        for today in (datetime.date(2027, 3, 31), datetime.date(2027, 4, 1)):
            expected = ending(contract.pk, today).first()
            with CaptureQueriesContext(connection) as queries:
                got = READ.one(contract_id=contract.pk, today=today)
            assert got == expected and len(queries) == 1
    assert READ.one(contract_id=first.pk, today=datetime.date(2027, 4, 1))["ended"] is True
    assert isinstance(
        READ.one(contract_id=first.pk, today=first.start_date)["current_end_date"], datetime.date
    )


def test_columns_are_named_in_the_order_the_query_selects_them():
    contract = ContractFactory()
    read = CompiledRead(
        lambda contract_id: (
            Contract.objects.filter(pk=contract_id)
            .annotate(seven=Value(7))
            .values("seven", "reference")
        ),
        contract_id=-7_310_911,
    )
    assert read.one(contract_id=contract.pk) == {"seven": 7, "reference": contract.reference}


def test_a_date_time_is_refused_where_a_date_goes():
    contract = ContractFactory()
    with pytest.raises(TypeError, match="not date-times"):
        READ.one(contract_id=contract.pk, today=datetime.datetime(2027, 1, 1, 9, 0))


def test_no_row_is_none():
    assert READ.one(contract_id=10**9, today=datetime.date(2027, 1, 1)) is None


def test_a_stand_in_that_does_not_reach_the_sql_is_refused():
    unused = CompiledRead(
        lambda contract_id, today: Contract.objects.filter(pk=contract_id).values("pk"),
        contract_id=-7_310_911,
        today=datetime.date(1901, 2, 3),
    )
    with pytest.raises(ValueError, match="'today' does not reach the SQL"):
        unused.one(contract_id=1, today=datetime.date(2027, 1, 1))


# -- Reads whose SQL is kept for the same inputs --------------------------------------------

built = []


@reused
def visible(user, ending_before: datetime.date):
    """Contracts ``user`` may see ending before the date, with their providers."""
    built.append(ending_before)
    return (
        Contract.objects.restrict(user, "view")
        .filter(current_end_date__lt=ending_before)
        .select_related("provider")
        .order_by("reference")
    )


@reused
def visible_totals(user):
    return totals(Contract.objects.restrict(user, "view"), count=Count("pk"))


@reused
def references(user, first: int):
    return (
        Contract.objects.restrict(user, "view")
        .order_by("reference")
        .values_list("reference", flat=True)[:first]
    )


@pytest.fixture
def contracts():
    return [
        ContractFactory(reference=f"R-{n}", current_end_date=datetime.date(2027, 3, n))
        for n in (1, 2, 3)
    ]


def test_the_sql_is_written_once_for_the_same_inputs_and_the_rows_are_read_afresh(
    make_user, contracts
):
    smg = make_user(role=Role.SMG)
    built.clear()
    first = visible.rows(smg, datetime.date(2027, 3, 3))
    assert [c.reference for c in first] == ["R-1", "R-2"]
    ContractFactory(reference="R-0", current_end_date=datetime.date(2027, 2, 1))
    with CaptureQueriesContext(connection) as queries:
        again = visible.rows(smg, datetime.date(2027, 3, 3))
    assert [c.reference for c in again] == ["R-0", "R-1", "R-2"]  # read afresh
    assert len(queries) == 1  # the provider came with the contract
    assert again[0].provider.name
    assert built == [datetime.date(2027, 3, 3)]  # built once
    # Other inputs: built for them.
    assert [c.reference for c in visible.rows(smg, datetime.date(2027, 3, 2))] == ["R-0", "R-1"]
    assert len(built) == 2


def test_values_slices_and_totals_read_as_the_orm_does(make_user, contracts):
    smg = make_user(role=Role.SMG)
    for _ in range(2):
        assert references.rows(smg, 2) == ["R-1", "R-2"]
        assert visible_totals.one(smg) == Contract.objects.aggregate(count=Count("pk"))


@reused
def seen(user):
    """The references of the contracts ``user`` may see."""
    built.append("seen")
    return (
        Contract.objects.restrict(user, "view")
        .order_by("reference")
        .values_list("reference", flat=True)
    )


def loaded(user):
    """``user`` as a request holds it: roles and permissions already read, so building a
    read reads nothing more of the database."""
    user = type(user).objects.get(pk=user.pk)
    assert user.role_codes is not None and user.get_all_permissions() is not None
    return user


def test_each_user_gets_sql_of_their_own(make_user, contracts):
    staff = loaded(make_user(role=Role.PROVIDER, organisation=contracts[0].provider))
    smg = loaded(make_user(role=Role.SMG))
    built.clear()
    for _ in range(2):
        assert seen.rows(smg) == ["R-1", "R-2", "R-3"]
        assert seen.rows(staff) == ["R-1"]
    assert built == ["seen", "seen"]  # once each, then kept


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"organisation": "second"}, ["R-2"]),
        ({"is_active": False}, []),
        ({"is_superuser": True}, ["R-1", "R-2", "R-3"]),
        ({"role": Role.SMG}, ["R-1", "R-2", "R-3"]),
    ],
)
def test_a_change_to_what_the_scope_reads_of_a_user_gets_new_sql(
    make_user, contracts, change, expected
):
    staff = make_user(role=Role.PROVIDER, organisation=contracts[0].provider)
    assert seen.rows(loaded(staff)) == ["R-1"]
    if "role" in change:
        staff.groups.add(Group.objects.get(name=change["role"].label))
    elif "organisation" in change:
        staff.organisation = contracts[1].provider
        staff.save()
    else:
        type(staff).objects.filter(pk=staff.pk).update(**change)
    assert seen.rows(loaded(staff)) == expected


def test_a_user_who_may_see_nothing_is_counted_as_aggregate_counts(make_user, contracts):
    nobody = make_user()
    assert visible_totals.one(nobody) == {"count": 0}
    assert visible.rows(nobody, datetime.date(2030, 1, 1)) == []


def test_a_build_that_reads_the_database_is_not_kept(make_user, contracts):
    smg = make_user(role=Role.SMG)
    calls = []

    @reused
    def largest(user):
        calls.append(1)
        top = Contract.objects.order_by("-total_value").values_list("pk", flat=True).first()
        return Contract.objects.restrict(user, "view").filter(pk=top).values_list("reference")

    assert largest.rows(smg) == largest.rows(smg)
    assert len(calls) == 2


def test_only_plain_values_and_users_are_taken():
    contract = ContractFactory()
    with pytest.raises(TypeError, match="not Contract"):
        visible_totals.rows(contract)
    with pytest.raises(TypeError, match="not datetime"):
        references.rows(None, datetime.datetime(2027, 1, 1))


def test_a_settings_change_forgets_every_kept_sql(make_user, settings, contracts):
    smg = make_user(role=Role.SMG)
    built.clear()
    visible.rows(smg, datetime.date(2027, 3, 3))
    settings.DEMO_PASSWORD = "changed"
    visible.rows(smg, datetime.date(2027, 3, 3))
    assert len(built) == 2


def test_the_oldest_kept_sql_is_forgotten_first(make_user, monkeypatch, contracts):
    smg = make_user(role=Role.SMG)
    monkeypatch.setattr(ReusedRead, "SIZE", 2)
    built.clear()
    days = [datetime.date(2027, 3, day) for day in (1, 2, 3)]
    for day in days:
        visible.rows(smg, day)
    visible.rows(smg, days[2])  # still kept
    visible.rows(smg, days[0])  # forgotten: built again
    assert built == [*days, days[0]]
