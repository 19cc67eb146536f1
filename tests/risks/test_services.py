import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from governance.core.roles import Role
from risks import services
from risks.choices import Allocation, ReviewFrequency, RiskKind, RiskStatus
from risks.models import Risk, RiskReview
from tests.contracts.register.factories import ContractFactory, OrganisationFactory
from tests.risks.factories import RiskFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 5, 12)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime.datetime(2027, 5, 12, 10, 0), tick=False):
        yield


@pytest.fixture
def manager(make_user):
    return make_user(role=Role.CONTRACT_MANAGER)


@pytest.fixture
def contract(manager):
    return ContractFactory(lead_officer=manager)


@pytest.fixture
def risk(contract, manager):
    return services.risk_create(actor=manager, contract=contract, **fields(manager))


def fields(owner, **changes) -> dict:
    return {
        "title": "Referrals fall after the police restructure",
        "description": "Fewer referrals mean the service is under-used.",
        "category": "service_delivery",
        "level": "strategic",
        "allocation": Allocation.SHARED,
        "owner": owner,
        "inherent_likelihood": 3,
        "inherent_impact": 4,
        "mitigations": "Briefings for neighbourhood teams.",
        "residual_likelihood": 2,
        "residual_impact": 4,
        "review_frequency": ReviewFrequency.QUARTERLY,
        **changes,
    }


def messages(error: ValidationError) -> dict[str, list[str]]:
    return error.value.message_dict


class TestCreate:
    def test_scores_and_the_first_review_date(self, risk, manager):
        assert (risk.inherent_score, risk.residual_score) == (12, 8)
        assert risk.next_review_date == datetime.date(2027, 8, 12)
        assert risk.raised_by == manager
        record = risk.history.get()
        assert (record.history_user, record.history_change_reason) == (manager, "Risk raised")

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("inherent_likelihood", 6, "Choose a likelihood from 1 (rare) to 5 (almost certain)."),
            ("residual_likelihood", 0, "Choose a likelihood from 1 (rare) to 5 (almost certain)."),
            ("inherent_impact", 7, "Choose an impact from 1 (negligible) to 5 (severe)."),
            ("residual_impact", -1, "Choose an impact from 1 (negligible) to 5 (severe)."),
        ],
    )
    def test_scores_outside_1_to_5_are_refused(self, contract, manager, field, value, message):
        with pytest.raises(ValidationError) as error:
            services.risk_create(
                actor=manager, contract=contract, **fields(manager, **{field: value})
            )
        assert messages(error) == {field: [message]}
        assert not Risk.objects.exists()

    def test_residual_above_inherent_without_a_reason_is_refused(self, contract, manager):
        with pytest.raises(ValidationError) as error:
            services.risk_create(
                actor=manager,
                contract=contract,
                **fields(manager, residual_likelihood=4, residual_impact=5),
            )
        assert messages(error) == {
            "residual_above_inherent_reason": [
                "The residual score (20) is higher than the inherent score (12). Mitigation "
                "normally lowers a risk: explain why it is higher, or correct the scores."
            ]
        }
        assert not Risk.objects.exists()
        risk = services.risk_create(
            actor=manager,
            contract=contract,
            **fields(
                manager,
                residual_likelihood=4,
                residual_impact=5,
                residual_above_inherent_reason="  The partner agency has withdrawn.  ",
            ),
        )
        assert risk.residual_above_inherent_reason == "The partner agency has withdrawn."

    def test_review_days_are_needed_for_the_days_frequency(self, contract, manager):
        with pytest.raises(ValidationError) as error:
            services.risk_create(
                actor=manager,
                contract=contract,
                **fields(manager, review_frequency=ReviewFrequency.DAYS),
            )
        assert messages(error) == {"review_every_days": ["Enter how many days between reviews."]}
        risk = services.risk_create(
            actor=manager,
            contract=contract,
            **fields(manager, review_frequency=ReviewFrequency.DAYS, review_every_days=10),
        )
        assert risk.next_review_date == datetime.date(2027, 5, 22)

    def test_a_next_review_in_the_past_is_refused(self, contract, manager):
        with pytest.raises(ValidationError) as error:
            services.risk_create(
                actor=manager,
                contract=contract,
                next_review_date=datetime.date(2027, 5, 11),
                **fields(manager),
            )
        assert "cannot be in the past" in messages(error)["next_review_date"][0]

    def test_only_the_contracts_officers_add_its_risks(self, contract, make_user):
        other = make_user(role=Role.CONTRACT_MANAGER)
        with pytest.raises(ValidationError, match="lead or deputy officer"):
            services.risk_create(actor=other, contract=contract, **fields(other))
        assert not Risk.objects.exists()

    def test_the_owner_must_be_commissioner_staff(self, contract, manager, make_user):
        provider = make_user(role=Role.PROVIDER, organisation=contract.provider)
        with pytest.raises(ValidationError) as error:
            services.risk_create(actor=manager, contract=contract, **fields(provider))
        assert "cannot own a risk" in messages(error)["owner"][0]

    def test_a_portfolio_risk_needs_no_contract(self, make_user):
        pdm = make_user(role=Role.PDM)
        risk = services.risk_create(actor=pdm, **fields(pdm))
        assert risk.contract is None and risk.reference.startswith("R-")

    def test_auditors_add_nothing(self, make_user):
        auditor = make_user(role=Role.AUDITOR)
        with pytest.raises(ValidationError, match="do not have permission"):
            services.risk_create(actor=auditor, **fields(make_user(role=Role.PDM)))


class TestUpdate:
    def test_changes_are_recorded_with_who_and_why(self, risk, manager):
        changed = services.risk_update(
            instance=risk,
            actor=manager,
            reason="Rescored at the quarterly meeting",
            residual_likelihood=1,
            title="Referrals fall",
        )
        assert sorted(changed) == ["residual_likelihood", "title"]
        risk.refresh_from_db()
        assert risk.residual_score == 4
        latest = risk.history.first()
        assert latest.history_change_reason == "Rescored at the quarterly meeting"
        assert latest.history_user == manager

    def test_nothing_changed_saves_nothing(self, risk, manager):
        assert (
            services.risk_update(instance=risk, actor=manager, reason="x", title=risk.title) == []
        )
        assert risk.history.count() == 1

    def test_a_reason_is_needed(self, risk, manager):
        with pytest.raises(ValidationError) as error:
            services.risk_update(instance=risk, actor=manager, reason=" ", title="New")
        assert "change_reason" in messages(error)
        risk.refresh_from_db()
        assert risk.title != "New"

    def test_residual_above_inherent_without_a_reason_is_refused(self, risk, manager):
        with pytest.raises(ValidationError) as error:
            services.risk_update(
                instance=risk, actor=manager, reason="Worse", residual_likelihood=5
            )
        assert "residual_above_inherent_reason" in messages(error)
        risk.refresh_from_db()
        assert risk.residual_score == 8

    def test_other_managers_and_pdms_cannot_change_a_contract_risk(self, risk, make_user):
        for user in (make_user(role=Role.CONTRACT_MANAGER), make_user(role=Role.PDM)):
            with pytest.raises(ValidationError, match="lead or deputy officer"):
                services.risk_update(instance=risk, actor=user, reason="x", title="Mine")

    def test_a_portfolio_risk_is_changed_by_its_owner_or_a_pdm(self, make_user):
        owner = make_user(role=Role.CONTRACT_MANAGER)
        pdm = make_user(role=Role.PDM)
        risk = services.risk_create(actor=owner, **fields(owner))
        services.risk_update(instance=risk, actor=owner, reason="Mine", title="Owner's title")
        services.risk_update(instance=risk, actor=pdm, reason="PDM", title="PDM's title")
        with pytest.raises(ValidationError, match="owner or a policy development manager"):
            services.risk_update(
                instance=risk,
                actor=make_user(role=Role.CONTRACT_MANAGER),
                reason="x",
                title="Someone else's",
            )

    def test_provider_users_change_nothing(self, risk, make_user):
        provider = make_user(role=Role.PROVIDER, organisation=risk.contract.provider)
        with pytest.raises(ValidationError):
            services.risk_update(instance=risk, actor=provider, reason="x", title="Ours")


class TestReview:
    def test_a_review_moves_the_scores_and_the_next_review(self, risk, manager):
        review = services.risk_review(
            risk=risk,
            actor=manager,
            reviewed_on=TODAY,
            likelihood=1,
            impact=3,
            notes="Referrals recovered.",
        )
        risk.refresh_from_db()
        assert (review.score, review.previous_score, review.reviewer) == (3, 8, manager)
        assert (risk.residual_likelihood, risk.residual_impact, risk.residual_score) == (1, 3, 3)
        assert risk.last_reviewed_on == TODAY
        assert risk.next_review_date == datetime.date(2027, 8, 12)
        assert risk.history.first().history_change_reason == (
            "Reviewed on 12 May 2027: residual score 8 to 3"
        )

    def test_reviews_are_kept(self, risk, manager):
        for notes in ("First", "Second"):
            services.risk_review(
                risk=risk, actor=manager, reviewed_on=TODAY, likelihood=2, impact=2, notes=notes
            )
        assert list(risk.reviews.values_list("notes", flat=True)) == ["Second", "First"]

    def test_a_review_in_the_future_is_refused(self, risk, manager):
        with pytest.raises(ValidationError) as error:
            services.risk_review(
                risk=risk,
                actor=manager,
                reviewed_on=TODAY + datetime.timedelta(days=1),
                likelihood=1,
                impact=1,
                notes="Looks fine",
            )
        assert messages(error) == {
            "reviewed_on": [
                "The review date cannot be in the future: record a review once it has happened."
            ]
        }
        assert not RiskReview.objects.exists()
        risk.refresh_from_db()
        assert risk.residual_score == 8 and risk.last_reviewed_on is None

    def test_a_review_before_the_last_one_or_the_risk_is_refused(self, risk, manager):
        with time_machine.travel(datetime.datetime(2027, 5, 20, 10, 0), tick=False):
            services.risk_review(
                risk=risk,
                actor=manager,
                reviewed_on=datetime.date(2027, 5, 18),
                likelihood=2,
                impact=2,
                notes="Now",
            )
            with pytest.raises(ValidationError, match="A later review, on 18 May 2027"):
                services.risk_review(
                    risk=risk,
                    actor=manager,
                    reviewed_on=datetime.date(2027, 5, 15),
                    likelihood=2,
                    impact=2,
                    notes="Late entry",
                )
            with pytest.raises(ValidationError, match="before the risk was recorded"):
                services.risk_review(
                    risk=risk,
                    actor=manager,
                    reviewed_on=datetime.date(2027, 5, 11),
                    likelihood=2,
                    impact=2,
                    notes="Before it existed",
                )
        assert risk.reviews.count() == 1

    def test_a_review_needs_notes(self, risk, manager):
        with pytest.raises(ValidationError) as error:
            services.risk_review(
                risk=risk, actor=manager, reviewed_on=TODAY, likelihood=2, impact=2, notes=" "
            )
        assert messages(error) == {"notes": ["Describe what the review found."]}

    def test_a_review_above_the_inherent_score_needs_a_reason(self, risk, manager):
        with pytest.raises(ValidationError) as error:
            services.risk_review(
                risk=risk, actor=manager, reviewed_on=TODAY, likelihood=5, impact=5, notes="Bad"
            )
        assert (
            "higher than the inherent score (12)"
            in (messages(error)["residual_above_inherent_reason"][0])
        )
        assert not RiskReview.objects.exists()
        services.risk_review(
            risk=risk,
            actor=manager,
            reviewed_on=TODAY,
            likelihood=5,
            impact=5,
            notes="Bad",
            residual_above_inherent_reason="Our mitigation failed.",
        )
        risk.refresh_from_db()
        assert risk.residual_score == 25

    def test_only_those_who_may_change_the_risk_review_it(self, risk, make_user):
        with pytest.raises(ValidationError, match="lead or deputy officer"):
            services.risk_review(
                risk=risk,
                actor=make_user(role=Role.CONTRACT_MANAGER),
                reviewed_on=TODAY,
                likelihood=1,
                impact=1,
                notes="x",
            )


class TestClose:
    def test_close(self, risk, manager):
        services.risk_close(risk=risk, actor=manager, reason="The restructure is complete.")
        risk.refresh_from_db()
        assert risk.status == RiskStatus.CLOSED
        assert (risk.closed_on, risk.closed_by) == (TODAY, manager)
        assert risk.closed_reason == "The restructure is complete."
        assert risk.history.first().history_change_reason == (
            "Closed: The restructure is complete."
        )

    @pytest.mark.parametrize("reason", ["", "   "])
    def test_closing_without_a_reason_is_refused(self, risk, manager, reason):
        with pytest.raises(ValidationError) as error:
            services.risk_close(risk=risk, actor=manager, reason=reason)
        assert messages(error) == {"reason": ["Give the reason the risk is closed."]}
        risk.refresh_from_db()
        assert risk.status == RiskStatus.OPEN and risk.history.count() == 1

    def test_a_closed_risk_changes_no_more(self, risk, manager):
        services.risk_close(risk=risk, actor=manager, reason="Done")
        message = "was closed on 12 May 2027 and can no longer change"
        with pytest.raises(ValidationError, match=message):
            services.risk_close(risk=risk, actor=manager, reason="Again")
        with pytest.raises(ValidationError, match=message):
            services.risk_review(
                risk=risk, actor=manager, reviewed_on=TODAY, likelihood=1, impact=1, notes="x"
            )
        with pytest.raises(ValidationError, match=message):
            services.risk_update(instance=risk, actor=manager, reason="x", title="Reopened")

    def test_a_long_reason_is_kept_whole_on_the_risk(self, risk, manager):
        reason = "The restructure is complete. " * 10
        services.risk_close(risk=risk, actor=manager, reason=reason)
        risk.refresh_from_db()
        assert risk.closed_reason == reason.strip()
        # History keeps a reason of up to 100 characters, cut at a word.
        kept = risk.history.first().history_change_reason
        assert kept == "Closed: " + "The restructure is complete. " * 3 + "The…"


class TestRaiseIssue:
    def test_the_issue_is_linked_and_takes_the_risks_setting(self, risk, manager):
        issue = services.issue_raise_from_risk(
            risk=risk,
            actor=manager,
            title="Referrals halved",
            description="Referrals fell by half in April.",
            owner=manager,
            impact=4,
        )
        assert issue.kind == RiskKind.ISSUE and issue.reference.startswith("I-")
        assert issue.raised_from == risk and list(risk.issues.all()) == [issue]
        assert (issue.contract, issue.category, issue.level, issue.allocation) == (
            risk.contract,
            risk.category,
            risk.level,
            risk.allocation,
        )
        assert (issue.inherent_score, issue.residual_score) == (20, 20)
        assert issue.next_review_date == datetime.date(2027, 8, 12)
        assert issue.history.get().history_change_reason == f"Issue raised from {risk.reference}"
        risk.refresh_from_db()
        assert risk.status == RiskStatus.OPEN

    def test_an_issue_is_not_raised_from_an_issue(self, risk, manager):
        issue = services.issue_raise_from_risk(
            risk=risk, actor=manager, title="t", description="d", owner=manager, impact=2
        )
        with pytest.raises(ValidationError, match="only from a risk"):
            services.issue_raise_from_risk(
                risk=issue, actor=manager, title="t", description="d", owner=manager, impact=2
            )

    def test_only_those_who_may_change_the_risk_raise_an_issue(self, risk, make_user):
        auditor = make_user(role=Role.AUDITOR)
        with pytest.raises(ValidationError):
            services.issue_raise_from_risk(
                risk=risk, actor=auditor, title="t", description="d", owner=auditor, impact=2
            )
        assert not Risk.objects.filter(kind=RiskKind.ISSUE).exists()


class TestTopBandEntry:
    def test_entering_leaving_and_entering_again(self, risk, manager):
        assert risk.top_band_since is None
        services.risk_update(
            instance=risk,
            actor=manager,
            reason="Worse",
            inherent_likelihood=5,
            inherent_impact=5,
            residual_likelihood=4,
            residual_impact=5,
        )
        risk.refresh_from_db()
        first = risk.top_band_since
        assert first is not None
        services.risk_update(
            instance=risk, actor=manager, reason="Same band", residual_likelihood=5
        )
        risk.refresh_from_db()
        assert risk.top_band_since == first  # still the same stay in the band
        services.risk_review(
            risk=risk, actor=manager, reviewed_on=TODAY, likelihood=2, impact=2, notes="Better"
        )
        risk.refresh_from_db()
        assert risk.top_band_since is None
        with time_machine.travel(datetime.datetime(2027, 5, 13, 9, 0), tick=False):
            services.risk_review(
                risk=risk,
                actor=manager,
                reviewed_on=datetime.date(2027, 5, 13),
                likelihood=5,
                impact=4,
                notes="Worse again",
            )
        risk.refresh_from_db()
        assert risk.top_band_since is not None and risk.top_band_since > first

    def test_a_risk_raised_in_the_top_band_has_entered_it(self, contract, manager):
        risk = services.risk_create(
            actor=manager,
            contract=contract,
            **fields(
                manager,
                inherent_likelihood=5,
                inherent_impact=5,
                residual_likelihood=5,
                residual_impact=4,
            ),
        )
        assert risk.top_band_since is not None

    def test_the_top_band_follows_the_setting(self, contract, manager, settings):
        settings.RISK_BANDS = [
            ("low", "Low", 1, 5),
            ("high", "High", 6, 11),
            ("top", "Top", 12, 25),
        ]
        risk = services.risk_create(
            actor=manager,
            contract=contract,
            **fields(manager, residual_likelihood=3, residual_impact=4),
        )
        assert risk.residual_score == 12 and risk.top_band_since is not None


def test_provider_staff_without_an_organisation_see_nothing(make_user):
    RiskFactory(contract=None, allocation=Allocation.SHARED)
    RiskFactory(allocation=Allocation.SHARED)
    lost = make_user(role=Role.PROVIDER)
    assert not Risk.objects.restrict(lost, "view").exists()
    other = make_user(role=Role.PROVIDER, organisation=OrganisationFactory())
    assert not Risk.objects.restrict(other, "view").exists()
