"""Risk scores and the bands they fall in.

Score = likelihood x impact, each 1-5. The bands come from the ``RISK_BANDS`` setting
(read on every call, so a changed setting takes effect at once): a sequence of
``(code, label, lowest score, highest score)``, lowest band first. The last band is
the one whose entry alerts the policy development managers.
"""

from dataclasses import dataclass

from django.conf import settings

DEFAULT_RISK_BANDS = (
    ("low", "Low", 1, 4),
    ("medium", "Medium", 5, 9),
    ("high", "High", 10, 16),
    ("very_high", "Very high", 20, 25),
)

#: GOV.UK tag colours for the default band codes; other codes are shown grey.
BAND_COLOURS = {"low": "green", "medium": "yellow", "high": "orange", "very_high": "red"}

SCORE_VALUES = range(1, 6)


@dataclass(frozen=True)
class Band:
    code: str
    label: str
    lowest: int
    highest: int

    @property
    def colour(self) -> str:
        return BAND_COLOURS.get(self.code, "grey")

    def __str__(self):
        return self.label


def risk_bands() -> list[Band]:
    configured = getattr(settings, "RISK_BANDS", DEFAULT_RISK_BANDS)
    return sorted((Band(*band) for band in configured), key=lambda band: band.lowest)


def band_for(score: int | None) -> Band | None:
    """The band a score falls in. A score in a gap between bands (17-19 cannot be a
    product of two numbers from 1 to 5) belongs to the band below the gap."""
    if score is None:
        return None
    bands = risk_bands()
    found = None
    for band in bands:
        if band.lowest <= score:
            found = band
    return found or bands[0]


def top_band() -> Band:
    return risk_bands()[-1]


def band_range(code: str) -> tuple[int, int] | None:
    """Lowest and highest score of the band, stretched over any gap so a filter by
    band finds exactly the scores ``band_for`` puts in it."""
    bands = risk_bands()
    for index, band in enumerate(bands):
        if band.code == code:
            lower = 1 if index == 0 else band.lowest
            upper = bands[index + 1].lowest - 1 if index + 1 < len(bands) else 25
            return lower, upper
    return None


def band_choices() -> list[tuple[str, str]]:
    return [(band.code, band.label) for band in risk_bands()]
