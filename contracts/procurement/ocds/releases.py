"""Each notice as an OCDS 1.1 release, with the UK profile's fields.

Every release carries the contract (with its award, parties, whether its value is at or
above its Schedule 1 threshold, and the notice as a document whose ``noticeType`` is
Find a Tender's code); each kind of notice adds what it publishes (``SECTIONS``):

======================  ======================  ==========================================
notice                  tag                     what it adds
======================  ======================  ==========================================
contract details UK7    contract                ``agreedMetrics``: the published KPIs and
                                                their targets (or why there are none)
performance UK9         implementation          the KPI's target and, in
                                                ``implementation.metrics``, the period's
                                                results and the rating as an observation
                                                with its ``measureClassification``
breach UK9              implementation          ``implementation.performanceFailures``
change UK10             contractAmendment       ``amendments`` with the new value and
                                                period, ``aboveThreshold`` for the
                                                amended value, ``standstill`` and the
                                                figures
termination UK11        contractTermination     the end date and
                                                ``terminationRationaleClassifications``
payments compliance     implementation          one release for each contract the
                                                authority's notice covers: the
                                                half-year's figures for all contracts and
                                                for this one (``metrics``) and this
                                                contract's payments (``transactions``)
payments over £30,000   implementation          the quarter's payments over the threshold
                                                (``transactions``)
======================  ======================  ==========================================

The UK9 sections read the notice's source (the assessment or the recorded failure) by
its fields, so they do not depend on the module that keeps those records.
"""

import datetime
import zoneinfo
from collections.abc import Callable
from decimal import Decimal

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from contracts.performance.models.returns import KpiResult
from contracts.procurement.choices import NoticeKind, NoticeStatus
from contracts.procurement.models import ChangeClassification, ContractEnding, Notice
from contracts.procurement.payments.notices import notice_payment_figures
from contracts.procurement.services import notice_code, procurement_of, published_kpis
from contracts.procurement.services.duties import above_threshold, recorded_exemption
from contracts.register.choices import ContractStatus
from contracts.register.models.contracts import Contract

LONDON = zoneinfo.ZoneInfo("Europe/London")

TAGS = {
    NoticeKind.CONTRACT_DETAILS: ["contract"],
    NoticeKind.PERFORMANCE: ["implementation"],
    NoticeKind.BREACH: ["implementation"],
    NoticeKind.CHANGE: ["contractAmendment"],
    NoticeKind.TERMINATION: ["contractTermination"],
    NoticeKind.PAYMENTS_COMPLIANCE: ["implementation"],
    NoticeKind.PAYMENTS_OVER_30K: ["implementation"],
}

DOCUMENT_TYPES = {
    NoticeKind.CONTRACT_DETAILS: "contractNotice",
    NoticeKind.PERFORMANCE: "implementationNotice",
    NoticeKind.BREACH: "implementationNotice",
    NoticeKind.CHANGE: "contractNotice",
    NoticeKind.TERMINATION: "contractTerminationNotice",
    NoticeKind.PAYMENTS_COMPLIANCE: "implementationNotice",
    NoticeKind.PAYMENTS_OVER_30K: "implementationNotice",
}

#: The UK profile's measure classification of each of the five performance ratings.
MEASURE_CLASSIFICATIONS = {
    "good": "met",
    "approaching_target": "slightlyBelow",
    "requires_improvement": "below",
    "inadequate": "significantlyBelow",
    "other": "other",
}

CONTRACT_STATUSES = {
    ContractStatus.DRAFT: "pending",
    ContractStatus.ACTIVE: "active",
    ContractStatus.IN_EXIT: "active",
    ContractStatus.ENDED: "terminated",
    ContractStatus.TERMINATED: "terminated",
}


# -- Building blocks ------------------------------------------------------------------


def ocid(contract: Contract) -> str:
    return f"{settings.PROCUREMENT_OCDS_OCID_PREFIX}{contract.reference}"


def when(value) -> str | None:
    """An OCDS date-time: a date is taken as the start of that day in London."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value, LONDON).isoformat()
    return datetime.datetime.combine(value, datetime.time.min, tzinfo=LONDON).isoformat()


def money(amount) -> dict:
    return {"amount": float(Decimal(amount)), "currency": "GBP"}


def number(value) -> float | int:
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def period(start, end) -> dict:
    return {key: when(day) for key, day in (("startDate", start), ("endDate", end)) if day}


def buyer() -> dict:
    return {"id": "buyer", "name": settings.COMMISSIONER_NAME}


def supplier(contract: Contract) -> dict:
    provider = contract.provider
    if provider.companies_house_number:
        return {"id": f"GB-COH-{provider.companies_house_number}", "name": provider.name}
    return {"id": f"supplier-{provider.pk}", "name": provider.name}


def _parties(contract: Contract) -> list[dict]:
    provider = contract.provider
    party = {**supplier(contract), "roles": ["supplier", "payee"]}
    if provider.companies_house_number:
        party["identifier"] = {
            "scheme": "GB-COH",
            "id": provider.companies_house_number,
            "legalName": provider.name,
        }
    return [{**buyer(), "roles": ["buyer", "payer"]}, party]


def release_date(notice: Notice):
    """When the notice's information was (or will be) released: its publication date,
    or the latest step it has taken."""
    if notice.published_on:
        return notice.published_on
    return notice.approved_at or notice.drafted_at or notice.created_at


def notice_document(notice: Notice) -> dict:
    document = {
        "id": f"notice-{notice.pk}",
        "documentType": DOCUMENT_TYPES[notice.kind],
        "title": notice.get_kind_display(),
    }
    code = notice_code(notice.kind)
    if code:
        document["noticeType"] = code
    if notice.summary:
        document["description"] = notice.summary
    if notice.status == NoticeStatus.PUBLISHED:
        document["datePublished"] = when(notice.published_on)
        document["title"] = f"{notice.get_kind_display()}, Find a Tender {notice.fts_identifier}"
    return document


def _kpi_metric(kpi, observations: list[dict] | None = None) -> dict:
    metric = {"id": f"kpi-{kpi.pk}", "title": kpi.name}
    if kpi.service_requirement:
        metric["description"] = kpi.service_requirement
    metric["observations"] = observations or [
        {
            "id": f"kpi-{kpi.pk}-target",
            "measure": number(kpi.target),
            "unit": {"name": kpi.get_unit_display()},
            "notes": f"Target; {kpi.get_direction_display().lower()}.",
        }
    ]
    return metric


# -- What each kind of notice adds -------------------------------------------------------


def contract_details(notice: Notice, release: dict, contract: Contract) -> None:
    contract_block = release["contracts"][0]
    procurement = procurement_of(contract)
    if procurement.entered_into_on:
        contract_block["dateSigned"] = when(procurement.entered_into_on)
    metrics = [_kpi_metric(kpi) for kpi in published_kpis(contract)]
    if metrics:
        contract_block["agreedMetrics"] = metrics
    else:
        exemption = recorded_exemption(contract)
        contract_block["noAgreedMetricsRationale"] = (
            exemption.reason if exemption else "No key performance indicators were set."
        )


def _kpi_results(kpi, start, end) -> list[dict]:
    results = (
        KpiResult.objects.filter(
            kpi=kpi,
            actual__isnull=False,
            performance_return__period__starts_on__gte=start,
            performance_return__period__ends_on__lte=end,
        )
        .select_related("performance_return__period")
        .order_by("performance_return__period__starts_on")
    )
    return [
        {
            "id": f"result-{result.pk}",
            "period": period(
                result.performance_return.period.starts_on,
                result.performance_return.period.ends_on,
            ),
            "measure": number(result.actual),
            "unit": {"name": kpi.get_unit_display()},
        }
        for result in results
    ]


def performance(notice: Notice, release: dict, contract: Contract) -> None:
    assessment = notice.source
    kpi = getattr(assessment, "kpi", None)
    if kpi is None:
        return
    contract_block = release["contracts"][0]
    contract_block["agreedMetrics"] = [_kpi_metric(kpi)]
    observations = _kpi_results(kpi, assessment.period_start, assessment.period_end)
    rating = getattr(assessment, "rating", "")
    if rating:
        rated = {
            "id": f"assessment-{assessment.pk}",
            "period": period(assessment.period_start, assessment.period_end),
            "measure": assessment.get_rating_display(),
            "measureClassification": {
                "id": MEASURE_CLASSIFICATIONS.get(rating, "other"),
                "description": assessment.get_rating_display(),
            },
        }
        if getattr(assessment, "explanation", ""):
            rated["notes"] = assessment.explanation
        observations.append(rated)
    if observations:
        contract_block["implementation"]["metrics"] = [_kpi_metric(kpi, observations)]


def breach(notice: Notice, release: dict, contract: Contract) -> None:
    failure = notice.source
    if failure is None or not hasattr(failure, "requirement"):
        return
    entry = {
        "id": f"failure-{failure.pk}",
        "requirement": failure.requirement,
        "description": failure.description,
        "suppliers": [supplier(contract)],
    }
    decided = getattr(failure, "decided_at", None) or getattr(failure, "proposed_at", None)
    if decided:
        entry["decisionDate"] = when(decided)
    if getattr(failure, "consequence_on", None):
        entry["penaltyDate"] = when(failure.consequence_on)
    if getattr(failure, "penalty_type", ""):
        entry["penaltyType"] = failure.penalty_type
    if getattr(failure, "penalty_value", None) is not None:
        entry["penaltyValue"] = money(failure.penalty_value)
    if getattr(failure, "partial_termination", ""):
        entry["partialTermination"] = failure.partial_termination
    release["contracts"][0]["implementation"]["performanceFailures"] = [entry]


def change(notice: Notice, release: dict, contract: Contract) -> None:
    variation = notice.source
    if variation is None or not hasattr(variation, "justification"):
        return
    amendment = {
        "id": f"variation-{variation.pk}",
        "description": variation.summary,
        "rationale": variation.justification,
    }
    if variation.decided_at:
        amendment["date"] = when(variation.decided_at)
    amended_value = (
        variation.new_total_value if variation.new_total_value is not None else contract.total_value
    )
    amendment["aboveThreshold"] = above_threshold(contract, amended_value)
    if variation.new_total_value is not None:
        amendment["value"] = money(variation.new_total_value)
    if variation.new_end_date:
        amendment["period"] = period(contract.start_date, variation.new_end_date)
    classification = ChangeClassification.objects.filter(variation=variation).first()
    if classification is not None:
        amendment["standstill"] = classification.standstill_starts_on is not None
        amendment["rationaleClassifications"] = [
            {
                "id": "noticeRequired" if classification.notice_required else "voluntary",
                "description": classification.explanation,
            }
        ]
    release["contracts"][0]["amendments"] = [amendment]


def termination(notice: Notice, release: dict, contract: Contract) -> None:
    contract_block = release["contracts"][0]
    contract_block["status"] = "terminated"
    ending = ContractEnding.objects.filter(contract=contract).first()
    if ending is None:
        return
    contract_block["period"]["endDate"] = when(ending.ended_on)
    described = ending.details or ending.get_cause_display()
    if ending.breach_description:
        described = f"{described} Breach: {ending.breach_description}"
    contract_block["terminationRationaleClassifications"] = [
        {"id": ending.cause, "description": described}
    ]


def _transactions(contract: Contract, invoices) -> list[dict]:
    payer, payee = buyer(), supplier(contract)
    return [
        {
            "id": f"invoice-{invoice.pk}",
            "source": "invoice register",
            "date": when(invoice.paid_on),
            "value": money(invoice.amount),
            "payer": payer,
            "payee": payee,
        }
        for invoice in invoices
    ]


def _payment_metrics(figures, span: dict, prefix: str, scope: str) -> list[dict]:
    def metric(ident, title, measure, unit=None):
        observation = {"id": f"{prefix}{ident}", "period": span, "measure": measure}
        if unit:
            observation["unit"] = {"name": unit}
        return {
            "id": f"{prefix}{ident}",
            "title": f"{title} ({scope})",
            "observations": [observation],
        }

    metrics = [metric("invoices-paid", "Undisputed invoices paid", figures.paid)]
    if figures.paid:
        days = settings.PROCUREMENT_INVOICE_PAYMENT_DAYS
        metrics += [
            metric(
                "invoices-paid-on-time",
                f"Share paid within {days} days",
                number(figures.share_on_time),
                "percent",
            ),
            metric(
                "average-days-to-pay",
                "Average days from receipt to payment",
                number(figures.average_days),
                "days",
            ),
            metric(
                "paid-days-1-30",
                "Share paid on days 1 to 30",
                number(figures.share_within_30),
                "percent",
            ),
            metric(
                "paid-days-31-60",
                "Share paid on days 31 to 60",
                number(figures.share_within_31_60),
                "percent",
            ),
            metric(
                "paid-day-61-on",
                "Share paid on day 61 or later",
                number(figures.share_after_60),
                "percent",
            ),
        ]
    if figures.payable:
        metrics.append(
            metric(
                "due-not-paid",
                "Share of sums due in the period not paid in it",
                number(figures.share_payable_unpaid),
                "percent",
            )
        )
    return metrics


def payments_compliance(notice: Notice, release: dict, contract: Contract) -> None:
    """The authority's notice, in the release of one contract it covers: the figures
    for all contracts (the notice's own), this contract's share of them, and this
    contract's payments in the period."""
    figures = notice_payment_figures(notice)
    span = period(notice.period_start, notice.period_end)
    implementation = release["contracts"][0]["implementation"]
    own = dict(figures["contracts"]).get(contract)
    metrics = _payment_metrics(figures["performance"], span, "", "all contracts")
    if own is not None:
        metrics += _payment_metrics(own, span, "contract-", "this contract")
    implementation["metrics"] = metrics
    paid = contract.invoices.paid_between(notice.period_start, notice.period_end)
    transactions = _transactions(contract, paid.order_by("paid_on", "pk"))
    if transactions:
        implementation["transactions"] = transactions


def payments_over_threshold(notice: Notice, release: dict, contract: Contract) -> None:
    transactions = _transactions(contract, notice_payment_figures(notice)["payments"])
    if transactions:
        release["contracts"][0]["implementation"]["transactions"] = transactions


SECTIONS: dict[str, list[Callable[[Notice, dict, Contract], None]]] = {
    NoticeKind.CONTRACT_DETAILS: [contract_details],
    NoticeKind.PERFORMANCE: [performance],
    NoticeKind.BREACH: [breach],
    NoticeKind.CHANGE: [change],
    NoticeKind.TERMINATION: [termination],
    NoticeKind.PAYMENTS_COMPLIANCE: [payments_compliance],
    NoticeKind.PAYMENTS_OVER_30K: [payments_over_threshold],
}


# -- The release -----------------------------------------------------------------------


def notice_releases(notice: Notice, contract: Contract | None = None) -> list[dict]:
    """The OCDS releases a notice publishes: one for its contract or, for a notice of
    the whole authority, one for each contract it covers (each contract is its own
    contracting process). ``contract`` keeps only that contract's release."""
    if notice.contract_id is not None:
        if contract is not None and contract.pk != notice.contract_id:
            return []
        return [notice_release(notice)]
    covered = [covered for covered, _ in notice_payment_figures(notice)["contracts"]]
    if contract is not None:
        covered = [c for c in covered if c.pk == contract.pk]
    return [notice_release(notice, c) for c in covered]


def notice_release(notice: Notice, contract: Contract | None = None) -> dict:
    """The OCDS release a notice publishes for its contract (or for ``contract``, one of
    those a notice of the whole authority covers)."""
    contract = contract or notice.contract
    award_id = f"{contract.reference}-award"
    contract_block = {
        "id": contract.reference,
        "awardID": award_id,
        "title": contract.title,
        "description": contract.scope,
        "status": CONTRACT_STATUSES[contract.status],
        "period": period(contract.start_date, contract.current_end_date),
        "value": money(contract.total_value),
        "aboveThreshold": above_threshold(contract, contract.total_value),
        "documents": [notice_document(notice)],
        "implementation": {},
    }
    release = {
        "ocid": ocid(contract),
        "id": f"{ocid(contract)}-{notice.kind}-{notice.pk}",
        "date": when(release_date(notice)),
        "tag": TAGS[notice.kind],
        "initiationType": "tender",
        "language": "en",
        "parties": _parties(contract),
        "buyer": buyer(),
        "awards": [
            {
                "id": award_id,
                "status": "active",
                "suppliers": [supplier(contract)],
                "value": money(contract.original_total_value),
                "contractPeriod": period(contract.start_date, contract.original_end_date),
            }
        ],
        "contracts": [contract_block],
    }
    for section in SECTIONS[notice.kind]:
        section(notice, release, contract)
    if not contract_block["implementation"]:
        del contract_block["implementation"]
    return release


def notices_for_export(queryset):
    """Notices with what their releases read, leaving out those found not required
    (nothing is published for them)."""
    return (
        queryset.exclude(status=NoticeStatus.NOT_REQUIRED)
        .select_related("contract", "contract__provider", "contract__procurement", "source_type")
        .order_by("contract__reference", "due_on", "pk")
    )


def in_range(start: datetime.date, end: datetime.date) -> Q:
    """Notices published in the range, or not yet published and due in it."""
    return Q(published_on__gte=start, published_on__lte=end) | Q(
        published_on__isnull=True, due_on__gte=start, due_on__lte=end
    )
