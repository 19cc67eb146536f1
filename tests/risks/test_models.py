import datetime

import pytest
from django.db import IntegrityError, transaction

from risks.choices import ReviewFrequency, RiskKind, RiskStatus
from risks.models import Risk, next_review_after, risk_reference
from risks.scoring import band_for, band_range, top_band
from tests.risks.factories import RiskFactory, RiskReviewFactory

pytestmark = pytest.mark.django_db


def refused_by_the_database(**fields) -> bool:
    """Write ``fields`` straight to the table, past every check in Python."""
    risk = RiskFactory()
    try:
        with transaction.atomic():
            Risk.objects.filter(pk=risk.pk).update(**fields)
    except IntegrityError:
        return True
    return False


class TestConstraints:
    @pytest.mark.parametrize(
        "field",
        ["inherent_likelihood", "inherent_impact", "residual_likelihood", "residual_impact"],
    )
    @pytest.mark.parametrize("value", [0, 6])
    def test_likelihood_and_impact_stay_within_1_to_5(self, field, value):
        assert refused_by_the_database(**{field: value})

    def test_a_stored_score_must_be_the_product(self):
        assert refused_by_the_database(residual_score=9)
        assert refused_by_the_database(inherent_score=15)

    def test_residual_above_inherent_needs_a_reason(self):
        assert refused_by_the_database(residual_likelihood=5, residual_impact=5, residual_score=25)
        assert not refused_by_the_database(
            residual_likelihood=5,
            residual_impact=5,
            residual_score=25,
            residual_above_inherent_reason="Partner withdrew",
        )

    def test_closed_needs_a_date_and_a_reason(self):
        assert refused_by_the_database(status=RiskStatus.CLOSED)
        assert refused_by_the_database(
            status=RiskStatus.CLOSED, closed_on=datetime.date(2027, 1, 1)
        )
        assert not refused_by_the_database(
            status=RiskStatus.CLOSED, closed_on=datetime.date(2027, 1, 1), closed_reason="Done"
        )

    def test_review_days_go_with_the_days_frequency(self):
        assert refused_by_the_database(review_frequency=ReviewFrequency.DAYS)
        assert refused_by_the_database(review_every_days=30)
        assert not refused_by_the_database(
            review_frequency=ReviewFrequency.DAYS, review_every_days=30
        )

    def test_target_score_is_1_to_25(self):
        assert refused_by_the_database(target_score=26)
        assert not refused_by_the_database(target_score=25)

    def test_only_an_issue_is_raised_from_a_risk(self):
        source = RiskFactory()
        assert refused_by_the_database(raised_from=source)
        assert not refused_by_the_database(raised_from=source, kind=RiskKind.ISSUE)

    def test_a_review_score_must_be_the_product(self):
        review = RiskReviewFactory()
        assert review.score == 8
        with pytest.raises(IntegrityError), transaction.atomic():
            type(review).objects.filter(pk=review.pk).update(score=9)


class TestScores:
    def test_save_keeps_scores_in_step(self):
        risk = RiskFactory(inherent_likelihood=3, inherent_impact=5)
        assert (risk.inherent_score, risk.residual_score) == (15, 8)
        risk.residual_likelihood = 1
        risk.save()
        risk.refresh_from_db()
        assert risk.residual_score == 4

    def test_reference(self):
        risk = RiskFactory()
        assert risk.reference == f"R-{risk.pk:05d}"
        assert risk_reference(12, RiskKind.ISSUE) == "I-00012"
        assert str(risk).startswith(risk.reference)

    @pytest.mark.parametrize(
        ("score", "band"),
        [
            (1, "low"),
            (4, "low"),
            (5, "medium"),
            (9, "medium"),
            (10, "high"),
            (16, "high"),
            (20, "very_high"),
            (25, "very_high"),
        ],
    )
    def test_default_bands(self, score, band):
        assert band_for(score).code == band

    def test_band_ranges_cover_every_score_once(self):
        covered = []
        for code in ("low", "medium", "high", "very_high"):
            low, high = band_range(code)
            covered.extend(range(low, high + 1))
        assert covered == list(range(1, 26))
        assert band_range("nonsense") is None

    def test_bands_come_from_settings(self, settings):
        settings.RISK_BANDS = [
            ("minor", "Minor", 1, 7),
            ("major", "Major", 8, 11),
            ("critical", "Critical", 12, 25),
        ]
        assert band_for(8).label == "Major"
        assert band_for(12).label == "Critical"
        assert top_band().code == "critical"
        assert band_for(12).colour == "grey"  # no colour known for a custom code


class TestReviewDates:
    @pytest.mark.parametrize(
        ("frequency", "days", "expected"),
        [
            (ReviewFrequency.MONTHLY, None, datetime.date(2027, 2, 28)),
            (ReviewFrequency.QUARTERLY, None, datetime.date(2027, 4, 30)),
            (ReviewFrequency.SIX_MONTHLY, None, datetime.date(2027, 7, 31)),
            (ReviewFrequency.DAYS, 45, datetime.date(2027, 3, 17)),
        ],
    )
    def test_next_review_after(self, frequency, days, expected):
        assert next_review_after(datetime.date(2027, 1, 31), frequency, days) == expected
