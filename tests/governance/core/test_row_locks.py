"""A step reads its record again, locked, before it checks and changes it."""

import pytest
from django.db import transaction

from contracts.register.models.contracts import Contract
from governance.core.row_locks import locked
from tests.contracts.register.factories import ContractFactory


@pytest.mark.django_db
def test_the_locked_copy_is_read_again_with_what_was_asked_for(django_assert_num_queries):
    contract = ContractFactory()
    Contract.objects.filter(pk=contract.pk).update(title="Changed meanwhile")
    with transaction.atomic():
        with django_assert_num_queries(1):
            fresh = locked(contract, "provider")
            assert fresh.provider.name == contract.provider.name
    assert fresh is not contract
    assert type(fresh) is Contract
    assert fresh.title == "Changed meanwhile"
