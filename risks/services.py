"""The risk log's rules: raising, editing, reviewing and closing risks, and raising an
issue from a risk. Every change is validated, attributed and given a reason in the
record's history; a rule a user trips over raises a ValidationError whose sentence
says what is wrong."""

import copy
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from contracts.register.models.contracts import Contract
from governance.core.roles import COMMISSIONER_ROLES
from governance.core.services import record_save, record_update
from risks.choices import RiskKind, RiskStatus
from risks.models import Risk, RiskReview, score
from risks.scoring import top_band

#: Fields a risk's own form may change; status, closure and links change through the
#: services below.
EDITABLE = (
    "title",
    "description",
    "category",
    "level",
    "allocation",
    "owner",
    "inherent_likelihood",
    "inherent_impact",
    "mitigations",
    "residual_likelihood",
    "residual_impact",
    "residual_above_inherent_reason",
    "target_score",
    "review_frequency",
    "review_every_days",
    "next_review_date",
)


def _today() -> datetime.date:
    return timezone.localdate()


def _check_owner(owner) -> None:
    if owner is not None and (
        not owner.is_active or owner.is_provider_user or not owner.has_role(*COMMISSIONER_ROLES)
    ):
        raise ValidationError(
            {
                "owner": f"{owner} cannot own a risk: choose an active member of the "
                "commissioner's staff."
            }
        )


def _may_add(*, contract: Contract | None, actor) -> None:
    if not actor.has_perm("risks.add_risk") or actor.is_provider_user:
        raise ValidationError("You do not have permission to add to the risk log.")
    if contract is not None and not (
        Contract.objects.restrict(actor, "change").filter(pk=contract.pk).exists()
    ):
        raise ValidationError("Only the contract's lead or deputy officer can add its risks.")


def _may_change(risk: Risk, actor) -> None:
    if not Risk.objects.restrict(actor, "change").filter(pk=risk.pk).exists():
        if risk.contract_id:
            raise ValidationError(
                "Only the contract's lead or deputy officer can change its risks."
            )
        raise ValidationError(
            "Only the risk's owner or a policy development manager can change a portfolio risk."
        )


def _locked_open(risk: Risk) -> Risk:
    risk = Risk.objects.select_for_update(of=("self",)).get(pk=risk.pk)
    if risk.status != RiskStatus.OPEN:
        raise ValidationError(
            f"{risk.reference} was closed on {risk.closed_on:%-d %B %Y} and can no longer change."
        )
    return risk


def _track_top_band(risk: Risk, previous_score: int | None) -> None:
    """Note the moment the residual score enters the top band (the alert's occasion),
    and forget it when the score leaves."""
    lowest = top_band().lowest
    now_in = risk.residual_score is not None and risk.residual_score >= lowest
    was_in = previous_score is not None and previous_score >= lowest
    if now_in and (not was_in or risk.top_band_since is None):
        risk.top_band_since = timezone.now()
    elif not now_in:
        risk.top_band_since = None


@transaction.atomic
def risk_create(*, actor, contract: Contract | None = None, reason: str = "", **fields) -> Risk:
    """Add a risk (or issue) to a contract's log, or to the portfolio's."""
    _may_add(contract=contract, actor=actor)
    next_review = fields.pop("next_review_date", None)
    risk = Risk(contract=contract, raised_by=actor, **fields)
    _check_owner(risk.owner if risk.owner_id else None)
    if next_review is None and risk.review_frequency:
        next_review = risk.next_review_from(_today())
    elif next_review is not None and next_review < _today():
        raise ValidationError({"next_review_date": "The next review date cannot be in the past."})
    risk.next_review_date = next_review
    risk.refresh_scores()
    _track_top_band(risk, previous_score=None)
    return record_save(
        instance=risk, actor=actor, reason=reason or f"{risk.get_kind_display()} raised"
    )


@transaction.atomic
def risk_update(*, instance: Risk, actor, reason: str, **fields) -> list[str]:
    """Change what the risk's form shows. Returns the names of the fields changed
    (empty: nothing was saved)."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValueError(f"Not editable here: {', '.join(sorted(unknown))}")
    risk = _locked_open(instance)
    _may_change(risk, actor)
    if "owner" in fields:
        _check_owner(fields["owner"])
    next_review = fields.get("next_review_date")
    if next_review and next_review != risk.next_review_date and next_review < _today():
        raise ValidationError({"next_review_date": "The next review date cannot be in the past."})
    candidate = copy.copy(risk)
    for name, value in fields.items():
        setattr(candidate, name, value)
    candidate.refresh_scores()
    _track_top_band(candidate, previous_score=risk.residual_score)
    changed = record_update(
        instance=risk,
        fields={**fields, "top_band_since": candidate.top_band_since},
        actor=actor,
        reason=reason,
    )
    return [name for name in changed if name in EDITABLE]


@transaction.atomic
def risk_review(
    *,
    risk: Risk,
    actor,
    reviewed_on: datetime.date,
    likelihood: int,
    impact: int,
    notes: str,
    residual_above_inherent_reason: str = "",
) -> RiskReview:
    """Record a review: the residual likelihood and impact it found become the risk's,
    and the next review falls one review period after it."""
    risk = _locked_open(risk)
    _may_change(risk, actor)
    if not actor.has_perm("risks.add_riskreview"):
        raise ValidationError("You do not have permission to record reviews.")
    errors = {}
    if reviewed_on is None:
        errors["reviewed_on"] = "Enter the date of the review."
    elif reviewed_on > _today():
        errors["reviewed_on"] = (
            "The review date cannot be in the future: record a review once it has happened."
        )
    elif reviewed_on < timezone.localtime(risk.created_at).date():
        errors["reviewed_on"] = (
            f"The review date cannot be before the risk was recorded, on "
            f"{timezone.localtime(risk.created_at):%-d %B %Y}."
        )
    elif risk.last_reviewed_on and reviewed_on < risk.last_reviewed_on:
        errors["reviewed_on"] = (
            f"A later review, on {risk.last_reviewed_on:%-d %B %Y}, is already recorded."
        )
    if not (notes or "").strip():
        errors["notes"] = "Describe what the review found."
    if errors:
        raise ValidationError(errors)
    review = RiskReview(
        risk=risk,
        reviewed_on=reviewed_on,
        reviewer=actor,
        likelihood=likelihood,
        impact=impact,
        previous_score=risk.residual_score,
        notes=notes.strip(),
    )
    new_score = score(likelihood, impact)
    if (
        new_score is not None
        and new_score > risk.inherent_score
        and not (risk.residual_above_inherent_reason or residual_above_inherent_reason.strip())
    ):
        raise ValidationError(
            {
                "residual_above_inherent_reason": (
                    f"The score found ({new_score}) is higher than the inherent score "
                    f"({risk.inherent_score}). Explain why, or correct the scores."
                )
            }
        )
    record_save(instance=review, actor=actor, reason=f"Reviewed on {reviewed_on:%-d %B %Y}")
    previous_score = risk.residual_score
    risk.residual_likelihood, risk.residual_impact = likelihood, impact
    if residual_above_inherent_reason.strip():
        risk.residual_above_inherent_reason = residual_above_inherent_reason.strip()
    risk.last_reviewed_on = reviewed_on
    risk.next_review_date = risk.next_review_from(reviewed_on)
    risk.refresh_scores()
    _track_top_band(risk, previous_score)
    record_save(
        instance=risk,
        actor=actor,
        reason=f"Reviewed on {reviewed_on:%-d %B %Y}: residual score {previous_score} "
        f"to {risk.residual_score}",
    )
    return review


@transaction.atomic
def risk_close(*, risk: Risk, actor, reason: str) -> Risk:
    if not (reason or "").strip():
        raise ValidationError({"reason": "Give the reason the risk is closed."})
    risk = _locked_open(risk)
    _may_change(risk, actor)
    risk.status = RiskStatus.CLOSED
    risk.closed_reason = reason.strip()
    risk.closed_on = _today()
    risk.closed_by = actor
    return record_save(instance=risk, actor=actor, reason=f"Closed: {risk.closed_reason}")


@transaction.atomic
def issue_raise_from_risk(
    *,
    risk: Risk,
    actor,
    title: str,
    description: str,
    owner,
    impact: int,
    mitigations: str = "",
    reason: str = "",
) -> Risk:
    """The risk has happened: log it as an issue linked to the risk, on the same
    contract, category, level and allocation. An issue has happened, so its
    likelihood is 5."""
    risk = _locked_open(risk)
    if risk.kind != RiskKind.RISK:
        raise ValidationError("An issue can be raised only from a risk, not from another issue.")
    _may_change(risk, actor)
    _may_add(contract=risk.contract, actor=actor)
    _check_owner(owner)
    issue = Risk(
        contract=risk.contract,
        kind=RiskKind.ISSUE,
        raised_from=risk,
        raised_by=actor,
        title=title,
        description=description,
        category=risk.category,
        level=risk.level,
        allocation=risk.allocation,
        owner=owner,
        inherent_likelihood=5,
        inherent_impact=impact,
        residual_likelihood=5,
        residual_impact=impact,
        mitigations=mitigations,
        review_frequency=risk.review_frequency,
        review_every_days=risk.review_every_days,
    )
    issue.next_review_date = issue.next_review_from(_today())
    issue.refresh_scores()
    _track_top_band(issue, previous_score=None)
    return record_save(
        instance=issue, actor=actor, reason=reason or f"Issue raised from {risk.reference}"
    )


@transaction.atomic
def risk_import(
    *,
    actor,
    reason: str,
    contract: Contract | None = None,
    raised_from: Risk | None = None,
    status: str = RiskStatus.OPEN,
    closed_on: datetime.date | None = None,
    closed_reason: str = "",
    **fields,
) -> Risk:
    """Add a risk (or issue) from a spreadsheet, as the log held it: open or closed,
    reviews due in the past included, an issue linked to the risk it came from. The
    same people may add it as through the form, its owner is checked the same way and
    the record is validated the same way; only the states a form never sets directly
    (closed, overdue for review) may be brought in as they are."""
    _may_add(contract=contract, actor=actor)
    unknown = set(fields) - {"kind", *EDITABLE}
    if unknown:
        raise ValueError(f"Not imported: {', '.join(sorted(unknown))}")
    risk = Risk(contract=contract, raised_by=actor, raised_from=raised_from, **fields)
    _check_owner(risk.owner if risk.owner_id else None)
    errors = {}
    if raised_from is not None and raised_from.contract_id != risk.contract_id:
        errors["raised_from"] = (
            f"{raised_from.reference} belongs to another contract: an issue is raised on "
            "the contract of the risk it came from."
        )
    if risk.next_review_date is None and risk.review_frequency:
        risk.next_review_date = risk.next_review_from(_today())
    if status == RiskStatus.CLOSED:
        closed_reason = (closed_reason or "").strip()
        if closed_on is None:
            errors["closed_on"] = "Enter the date the risk was closed."
        elif closed_on > _today():
            errors["closed_on"] = "The date the risk was closed cannot be in the future."
        if not closed_reason:
            errors["closed_reason"] = "Give the reason the risk was closed."
        risk.status, risk.closed_on, risk.closed_reason = status, closed_on, closed_reason
        risk.closed_by = actor
    elif closed_on is not None or (closed_reason or "").strip():
        errors["status"] = (
            "An open risk has no closing date or reason: clear them, or mark it closed."
        )
    if errors:
        raise ValidationError(errors)
    risk.refresh_scores()
    if risk.is_open:
        _track_top_band(risk, previous_score=None)
    return record_save(instance=risk, actor=actor, reason=reason)
