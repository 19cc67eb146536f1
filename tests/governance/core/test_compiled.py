"""A read whose SQL is written once: each call runs it with its own values, in one query,
and reads the row as the ORM would."""

import datetime

import pytest
from django.db import connection
from django.db.models import Case, Q, Value, When
from django.test.utils import CaptureQueriesContext

from contracts.register.models.contracts import Contract
from governance.core.compiled import CompiledRead
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
