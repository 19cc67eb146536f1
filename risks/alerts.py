"""What the risk log tells people each day: reviews coming due and overdue (to the
risk's owner), and risks whose residual score has entered the top band (to every
policy development manager). Each provider costs a fixed number of queries."""

import datetime
from collections.abc import Iterator

from django.utils import timezone

from governance.core.alerting import AlertSpec, Urgency
from governance.core.dates import add_business_days
from governance.core.models.base import User
from governance.core.roles import Role
from risks.models import Risk
from risks.scoring import top_band

#: A review is "due" from this many business days before its date.
REVIEW_DUE_BUSINESS_DAYS = 5


def _where(risk: Risk) -> str:
    return f"on {risk.contract.reference}" if risk.contract_id else "on the portfolio"


def review_alerts(today: datetime.date) -> Iterator[AlertSpec]:
    """Due: no more than 5 business days remain until the review date (today is not
    counted; weekends and bank holidays are not business days). Overdue: from the day
    after the review date. The key holds the review date, so a review that is recorded
    or rescheduled makes a new occasion."""
    # The first day with 6 business days to go; every review date before it is due.
    not_yet_due = add_business_days(today, REVIEW_DUE_BUSINESS_DAYS + 1)
    risks = (
        Risk.objects.open()
        .filter(next_review_date__lt=not_yet_due)
        .select_related("owner", "contract")
        .order_by("next_review_date", "pk")
    )
    for risk in risks.iterator(chunk_size=500):
        when = f"{risk.next_review_date:%-d %B %Y}"
        kind = risk.get_kind_display().lower()
        if risk.next_review_date < today:
            yield AlertSpec(
                key=f"risk-review-overdue:{risk.pk}:{risk.next_review_date.isoformat()}",
                kind="risk_review_overdue",
                urgency=Urgency.MISSED,
                subject=f"Review overdue: {risk.reference} {risk.title}",
                body=(
                    f"The review of {kind} {risk.reference} ({risk.title}) {_where(risk)} "
                    f"was due on {when}. Record the review in the risk log."
                ),
                url=risk.get_absolute_url(),
                users=(risk.owner,),
            )
        else:
            yield AlertSpec(
                key=f"risk-review-due:{risk.pk}:{risk.next_review_date.isoformat()}",
                kind="risk_review_due",
                urgency=Urgency.DUE_SOON,
                subject=f"Review due by {when}: {risk.reference} {risk.title}",
                body=(
                    f"The {kind} {risk.reference} ({risk.title}) {_where(risk)} is due for "
                    f"review by {when}. Its residual score is {risk.residual_score} "
                    f"({risk.residual_band})."
                ),
                url=risk.get_absolute_url(),
                users=(risk.owner,),
            )


def top_band_alerts(today: datetime.date) -> Iterator[AlertSpec]:
    """Each entry of an open risk's residual score into the top band (very high by
    default) tells every active policy development manager once: the key holds the
    moment of entry, so leaving and coming back is a new occasion."""
    band = top_band()
    risks = list(
        Risk.objects.open()
        .filter(top_band_since__isnull=False, residual_score__gte=band.lowest)
        .select_related("contract", "owner")
        .order_by("pk")
    )
    if not risks:
        return
    managers = tuple(User.objects.filter(is_active=True, groups__name=Role.PDM.label).distinct())
    for risk in risks:
        kind = risk.get_kind_display().lower()
        yield AlertSpec(
            key=f"risk-top-band:{risk.pk}:{risk.top_band_since:%Y%m%dT%H%M%S%f}",
            kind="risk_top_band",
            urgency=Urgency.INFO,
            subject=f"{band.label} risk: {risk.reference} {risk.title}",
            body=(
                f"The residual score of {kind} {risk.reference} ({risk.title}) "
                f"{_where(risk)} is {risk.residual_score}, in the {band.label.lower()} band "
                f"since {timezone.localtime(risk.top_band_since):%-d %B %Y}. "
                f"Its owner is {risk.owner}."
            ),
            url=risk.get_absolute_url(),
            users=managers,
        )


PROVIDERS = [review_alerts, top_band_alerts]
