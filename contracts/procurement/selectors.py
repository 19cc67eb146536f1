"""Reads for the Procurement Act 2023 pages, restricted to what the user may see."""

import datetime
from types import SimpleNamespace

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import QueryDict

from contracts.procurement.choices import NoticeStatus
from contracts.procurement.filtersets import NoticeFilterSet
from contracts.procurement.models import (
    ChangeClassification,
    ContractEnding,
    KpiDutyExemption,
    Notice,
)
from contracts.procurement.services import kpi_duty_status, procurement_of
from contracts.register.choices import VariationStatus
from contracts.register.models.contracts import Contract
from governance.core.navigation import url_of


def notice_list(user) -> QuerySet[Notice]:
    """The notices register: every notice of the contracts ``user`` may see."""
    return Notice.objects.restrict(user, "view").select_related("contract")


def contract_notices(user, contract: Contract) -> QuerySet[Notice]:
    return notice_list(user).filter(contract=contract).order_by("due_on", "pk")


def contract_procurement_summary(user, contract: Contract) -> dict:
    """Everything the contract's Procurement tab shows, in a fixed number of queries."""
    classifications = (
        ChangeClassification.objects.restrict(user, "view")
        .filter(variation__contract=contract)
        .select_related("variation")
        .order_by("variation__number")
    )
    return {
        "procurement": procurement_of(contract),
        "kpi_duty": kpi_duty_status(contract),
        # Asked for, recorded or refused: the KPI duty status holds only a recorded one.
        "exemption_request": KpiDutyExemption.objects.filter(contract=contract)
        .select_related("requested_by", "decided_by")
        .first(),
        "notices": list(contract_notices(user, contract)),
        "classifications": list(classifications),
        "approved_variations": list(
            contract.variations.filter(status=VariationStatus.APPROVED).order_by("number")
        ),
        "ending": ContractEnding.objects.filter(contract=contract).first(),
    }


def _counter(user):
    """Counts rows of the notices register as its page filters them for ``user``: one
    filter set (the register's own, its filters and its form's cleaning) serves every
    figure, rather than a filter set built and validated for each."""
    # The filters read the user from the request (the contract filter lists what they
    # may see): the same filters as the register's page, for the same user.
    register = NoticeFilterSet(queryset=notice_list(user), request=SimpleNamespace(user=user))
    fields = register.form.fields

    def count(params: dict) -> int:
        rows = register.queryset
        for name, value in params.items():
            if value in (None, ""):
                continue
            field = fields[name]
            raw = [str(value)] if isinstance(field, forms.MultipleChoiceField) else str(value)
            try:
                cleaned = field.clean(raw)
            except ValidationError:
                return 0
            rows = register.filters[name].filter(rows, cleaned)
        return rows.count()

    return count


def _url(params: dict) -> str:
    query = QueryDict(mutable=True)
    for key, value in params.items():
        if value not in (None, ""):
            query[key] = str(value)
    return f"{url_of('contracts:notice_list')}?{query.urlencode()}"


def statutory_panel(user, *, mine: bool, today: datetime.date) -> dict:
    """The SMG dashboard's statutory-compliance panel: notices owed, overdue, and
    published on time this year. Each figure is counted through the register's own
    filters, so the count is the number of rows its link shows."""
    officer = user.pk if mine else None
    figures = [
        ("Notices owed", {"owed": "true", "officer": officer}),
        ("Overdue", {"deadline": "missed", "officer": officer}),
        (
            f"Published on time in {today.year}",
            {
                "status": NoticeStatus.PUBLISHED,
                "published_year": today.year,
                "on_time": "true",
                "officer": officer,
            },
        ),
    ]
    count = _counter(user)
    return {
        "figures": [
            {"label": label, "count": count(params), "url": _url(params)}
            for label, params in figures
        ],
        "url": _url({"officer": officer}),
    }
