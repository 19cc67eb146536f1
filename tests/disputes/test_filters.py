"""The two-answer filters on the disputes and exclusions lists."""

import datetime

import pytest
from django.test import RequestFactory
from django.utils import timezone

from disputes.choices import Stage
from disputes.filtersets import DisputeFilterSet, ExclusionFilterSet, ProviderDisputeFilterSet
from disputes.models.disputes import Dispute
from disputes.models.exclusions import Exclusion
from governance.core.roles import Role
from tests.contracts.register.factories import OrganisationFactory
from tests.disputes.factories import D, DisputeFactory
from tests.governance.core.factories import UserFactory

pytestmark = pytest.mark.django_db


def _kept(filterset_class, queryset, **data) -> set:
    request = RequestFactory().get("/")
    request.user = UserFactory(roles=[Role.SMG])
    filterset = filterset_class(data, queryset=queryset, request=request)
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs)


def test_disputes_filter_by_open_or_closed_and_by_significance():
    open_one = DisputeFactory(stage=Stage.STAGE_2)
    Dispute.objects.filter(pk=open_one.pk).update(is_significant=True)
    closed = DisputeFactory(stage=Stage.CLOSED, closed_on=D(2026, 12, 1), outcome="withdrawn")
    rows = Dispute.objects.all()
    for filterset_class in (DisputeFilterSet, ProviderDisputeFilterSet):
        assert _kept(filterset_class, rows, open="open") == {open_one}
        assert _kept(filterset_class, rows, open="closed") == {closed}
        assert _kept(filterset_class, rows) == {open_one, closed}
        with pytest.raises(AssertionError):
            _kept(filterset_class, rows, open="maybe")
    assert _kept(DisputeFilterSet, rows, is_significant="true") == {open_one}
    assert _kept(DisputeFilterSet, rows, is_significant="false") == {closed}


def test_exclusions_filter_by_in_force_today_and_awaiting_confirmation():
    smg = UserFactory(roles=[Role.SMG])
    today = timezone.localdate()
    made = {}
    for name, start, confirmed in (
        ("confirmed", today - datetime.timedelta(days=5), True),
        ("unconfirmed", today - datetime.timedelta(days=5), False),
        ("future", today + datetime.timedelta(days=1), True),
    ):
        made[name] = Exclusion.objects.create(
            organisation=OrganisationFactory(),
            reason="performance",
            details="Poor",
            start_date=start,
            end_date=today + datetime.timedelta(days=50),
            decided_on=start,
            recorded_by=smg,
            **({"confirmed_by": smg, "confirmed_at": timezone.now()} if confirmed else {}),
        )
    rows = Exclusion.objects.all()
    assert _kept(ExclusionFilterSet, rows, active="true") == {made["confirmed"]}
    assert _kept(ExclusionFilterSet, rows, active="false") == {
        made["unconfirmed"],
        made["future"],
    }
    assert _kept(ExclusionFilterSet, rows, awaiting="true") == {made["unconfirmed"]}
    assert _kept(ExclusionFilterSet, rows, awaiting="false") == {
        made["confirmed"],
        made["future"],
    }
