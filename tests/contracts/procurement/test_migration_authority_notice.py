"""Migration 0017 folds the per-contract payments compliance notices of each six months
into one notice of the whole authority, keeping the one that went furthest, on rows as
they were before it ran."""

import datetime

import pytest

from tests.contracts.register.factories import ContractFactory
from tests.governance.core.migrating import migrate_to

BEFORE = [("contracts", "0016_performance_assessments")]
AFTER = [("contracts", "0017_authority_wide_payments_compliance_notice")]


@pytest.mark.django_db(transaction=True)
def test_per_contract_payments_notices_fold_into_one_per_period():
    first, second, third = (ContractFactory() for _ in range(3))
    try:
        apps = migrate_to(BEFORE)
        Notice = apps.get_model("contracts", "Notice")
        due = datetime.date(2026, 7, 30)

        def owe(contract, key, status, kind="payments_compliance"):
            published = status == "published"
            return Notice.objects.create(
                contract_id=contract.pk,
                kind=kind,
                key=key,
                due_on=due,
                status=status,
                fts_identifier="2026/S 000-012345" if published else "",
                published_on=due if published else None,
            )

        owe(first, "2026-H1", "drafted")
        published = owe(second, "2026-H1", "published")
        owe(third, "2026-H1", "due")
        earliest_drafted = owe(first, "2026-H2", "drafted")
        owe(second, "2026-H2", "drafted")
        details = owe(first, "contract", "due", kind="uk7")

        apps = migrate_to(AFTER)
        Notice = apps.get_model("contracts", "Notice")
        payments = Notice.objects.filter(kind="payments_compliance").order_by("key")
        assert [(n.key, n.pk, n.contract_id, n.status) for n in payments] == [
            ("2026-H1", published.pk, None, "published"),
            ("2026-H2", earliest_drafted.pk, None, "drafted"),
        ]
        # Other notices keep their contract.
        assert Notice.objects.get(pk=details.pk).contract_id == first.pk
    finally:
        migrate_to()
