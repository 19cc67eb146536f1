"""Health checks' rules: questionnaires as versioned data, starting, answering and
submitting each side, scores and checklist results, the comparison, actions from
flagged areas, and new versions."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from contracts.register.choices import ContractStatus
from governance.core.roles import Role
from governance.healthchecks import selectors, services
from governance.healthchecks.models import (
    Assessment,
    AssessmentAnswer,
    Question,
    QuestionnaireKind,
    QuestionnaireTemplate,
    Side,
    SideStatus,
    TemplateVersion,
)
from governance.meetings.choices import ActionSource
from governance.meetings.models import Action
from tests.contracts.register.factories import ContractFactory, OrganisationFactory
from tests.governance.core.factories import UserFactory
from tests.governance.healthchecks.healthcheck_factories import (
    answer,
    complete,
    completed,
    officer,
    partnership,
    provider_user,
    start,
    template,
)

pytestmark = pytest.mark.django_db


def messages_of(error: ValidationError) -> str:
    return " ".join(error.value.messages)


def answer_as_lead(assessment, **answer_fields):
    """Give one answer on the commissioner's side as the contract's lead officer."""
    return services.assessment_answer(
        assessment=assessment,
        side=Side.COMMISSIONER,
        actor=assessment.contract.lead_officer,
        answers=[services.AnswerInput(**answer_fields)],
    )


def raise_action(assessment, area, actor=None, **overrides):
    """Raise an action from ``area`` of ``assessment``, by and for ``actor`` (the lead
    officer unless told)."""
    actor = actor or assessment.contract.lead_officer
    fields = {"description": "x", "due_on": datetime.date.today(), **overrides}
    return services.area_action_raise(
        assessment=assessment, area=area, actor=actor, owner=actor, **fields
    )


# -- The questionnaires -------------------------------------------------------------------


def test_every_questionnaire_is_loaded_with_a_published_first_version():
    kinds = set(QuestionnaireTemplate.objects.values_list("kind", flat=True))
    assert kinds == set(QuestionnaireKind.values)
    for questionnaire in QuestionnaireTemplate.objects.all():
        version = services.current_version(questionnaire)
        assert version.number == 1 and version.published_on
        assert Question.objects.filter(area__version=version).count() >= 5


def test_outsourcing_self_evaluation_has_its_seven_points():
    version = services.current_version(template("outsourcing"))
    assert [area.title for area in version.areas.order_by("order")] == [
        "Role clarity",
        "Governance",
        "Risk allocation",
        "Budget",
        "Performance metrics",
        "Communication",
        "Change control",
    ]


def test_lifecycle_review_covers_eight_themes_at_three_stages():
    version = services.current_version(template("lifecycle"))
    areas = list(version.areas.order_by("order"))
    assert [a.title for a in areas] == [
        "Value for money",
        "Capacity",
        "Performance",
        "Risk",
        "Incentives",
        "Governance",
        "Trust",
        "Flexibility",
    ]
    for area in areas:
        assert sorted(area.questions.values_list("stage", flat=True)) == [
            "contract_management",
            "initiation",
            "procurement",
        ]


def test_scales_match_the_checklists():
    assert template("readiness").scale == "yes_no"
    assert template("ongoing").scale == "extent"
    assert template("annual").scale == "agreement"


# -- Starting -----------------------------------------------------------------------------


def test_lead_officer_starts_an_assessment_on_the_current_version():
    assessment = start()
    assert assessment.version == services.current_version(template("annual"))
    assert assessment.commissioner_status == SideStatus.DRAFT
    assert assessment.provider_status == SideStatus.DRAFT
    record = assessment.history.get()
    assert record.history_user == assessment.contract.lead_officer
    assert record.history_change_reason == "Health check started"


def test_commissioner_only_questionnaire_has_no_provider_side():
    assessment = start(kind="readiness")
    assert assessment.provider_status == SideStatus.NOT_ASKED
    assert not assessment.has_provider_side


def test_only_the_contracts_officers_start_one():
    contract = partnership()
    for actor in (officer(), provider_user(contract), UserFactory(roles=[Role.SMG])):
        with pytest.raises(ValidationError) as error:
            services.assessment_start(
                contract=contract,
                template=template(),
                actor=actor,
                assessed_on=datetime.date(2026, 4, 1),
            )
        assert "lead or deputy officer" in messages_of(error)
    assert not Assessment.objects.exists()


def test_partnership_review_is_refused_on_an_ordinary_contract():
    contract = partnership(is_strategic_partnership=False)
    with pytest.raises(ValidationError) as error:
        start(contract, kind="lifecycle")
    assert "for strategic partnerships" in messages_of(error)
    assert template("lifecycle") not in services.startable_templates(contract)


def test_date_in_the_future_is_refused():
    with pytest.raises(ValidationError) as error:
        start(assessed_on=datetime.date.today() + datetime.timedelta(days=1))
    assert error.value.message_dict["assessed_on"] == [
        "The date of the assessment cannot be in the future."
    ]


def test_a_second_one_of_the_same_kind_waits_for_the_first():
    first = start()
    with pytest.raises(ValidationError) as error:
        start(first.contract)
    assert "already under way" in messages_of(error)
    # Another kind may run alongside.
    start(first.contract, kind="ongoing")


def test_a_closed_contract_gets_no_new_health_checks():
    contract = partnership(status=ContractStatus.ENDED)
    with pytest.raises(ValidationError) as error:
        start(contract)
    assert "no more health checks" in messages_of(error)


# -- Answering ----------------------------------------------------------------------------


def test_answers_are_saved_with_who_and_why():
    assessment = start()
    lead = assessment.contract.lead_officer
    answer(assessment, Side.COMMISSIONER, lead, default="4", comment="Monthly reviews held.")
    saved = AssessmentAnswer.objects.filter(assessment=assessment, side=Side.COMMISSIONER)
    assert saved.count() == len(services.questions_for(assessment, Side.COMMISSIONER))
    first = saved.first()
    assert first.value == "4" and first.comment == "Monthly reviews held."
    record = first.history.get()
    assert record.history_user == lead and record.history_change_reason == "Answer given"


def test_an_answer_to_a_question_outside_the_version_is_refused():
    assessment = start()
    other = Question.objects.filter(area__version__template__kind="ongoing").first()
    with pytest.raises(ValidationError) as error:
        answer_as_lead(assessment, question=other, value="fully")
    assert "is not a question of version 1 of the annual relationship health check" in (
        messages_of(error)
    )
    assert not AssessmentAnswer.objects.exists()


def test_an_answer_off_the_scale_is_refused():
    assessment = start()
    question = services.questions_for(assessment, Side.COMMISSIONER)[0]
    with pytest.raises(ValidationError) as error:
        answer_as_lead(assessment, question=question, value="fully")
    assert error.value.message_dict[f"q{question.pk}"] == ["Choose one of the answers listed."]


def test_a_comment_needs_an_answer():
    assessment = start()
    question = services.questions_for(assessment, Side.COMMISSIONER)[0]
    with pytest.raises(ValidationError) as error:
        answer_as_lead(assessment, question=question, comment="Something")
    assert "Choose an answer before adding a comment" in messages_of(error)


def test_a_submitted_side_cannot_be_edited():
    assessment = start()
    lead = assessment.contract.lead_officer
    complete(assessment, Side.COMMISSIONER, lead)
    with pytest.raises(ValidationError) as error:
        answer(assessment, Side.COMMISSIONER, lead, default="1")
    assert "side was submitted on" in messages_of(error)
    assert "can no longer be changed" in messages_of(error)
    assert not AssessmentAnswer.objects.filter(value="1").exists()


def test_a_provider_cannot_answer_another_providers_assessment():
    assessment = start()
    stranger = UserFactory(roles=[Role.PROVIDER], organisation=OrganisationFactory())
    with pytest.raises(ValidationError) as error:
        answer(assessment, Side.PROVIDER, stranger)
    assert messages_of(error) == (
        "You can only answer health checks of your own organisation's contracts."
    )
    assert not AssessmentAnswer.objects.exists()


def test_each_side_answers_only_its_own():
    assessment = start()
    with pytest.raises(ValidationError) as error:
        answer(assessment, Side.COMMISSIONER, provider_user(assessment.contract))
    assert messages_of(error) == "Provider staff answer only the provider's side."
    with pytest.raises(ValidationError) as error:
        answer(assessment, Side.PROVIDER, assessment.contract.lead_officer)
    assert "Only staff of" in messages_of(error)
    with pytest.raises(ValidationError) as error:
        answer(assessment, Side.COMMISSIONER, officer())
    assert "lead or deputy officer answers" in messages_of(error)


def test_the_deputy_officer_answers_the_commissioners_side():
    deputy = officer()
    contract = partnership(deputy_officer=deputy)
    assessment = start(contract)
    answer(assessment, Side.COMMISSIONER, deputy)
    assert AssessmentAnswer.objects.filter(answered_by=deputy).exists()


def test_no_provider_side_on_a_commissioner_only_questionnaire():
    assessment = start(kind="readiness")
    with pytest.raises(ValidationError) as error:
        answer(assessment, Side.PROVIDER, provider_user(assessment.contract))
    assert "answered by the commissioner only" in messages_of(error)


# -- Submitting ---------------------------------------------------------------------------


def test_submitting_needs_every_question_answered():
    assessment = start()
    lead = assessment.contract.lead_officer
    first = services.questions_for(assessment, Side.COMMISSIONER)[0]
    answer_as_lead(assessment, question=first, value="5")
    with pytest.raises(ValidationError) as error:
        services.assessment_submit(assessment=assessment, side=Side.COMMISSIONER, actor=lead)
    assert "Answer every question before submitting: 6 still to answer" in messages_of(error)
    assessment.refresh_from_db()
    assert assessment.commissioner_status == SideStatus.DRAFT


def test_submitting_twice_is_refused():
    assessment = start()
    lead = assessment.contract.lead_officer
    assessment = complete(assessment, Side.COMMISSIONER, lead)
    with pytest.raises(ValidationError) as error:
        services.assessment_submit(assessment=assessment, side=Side.COMMISSIONER, actor=lead)
    assert "can no longer be changed" in messages_of(error)


def test_submitting_is_for_the_sides_own_people():
    assessment = start()
    answer(assessment, Side.PROVIDER, provider_user(assessment.contract))
    with pytest.raises(ValidationError):
        services.assessment_submit(
            assessment=assessment, side=Side.PROVIDER, actor=assessment.contract.lead_officer
        )
    assessment.refresh_from_db()
    assert assessment.provider_status == SideStatus.DRAFT


def test_submitting_stores_the_score_and_who():
    assessment = start()
    lead = assessment.contract.lead_officer
    # 7 questions: five "5" (4 points each), one "3" (2), one "1" (0) -> 22 of 28.
    assessment = complete(
        assessment, Side.COMMISSIONER, lead, values={(1, 1): "3", (2, 1): "1"}, default="5"
    )
    assert assessment.commissioner_status == SideStatus.SUBMITTED
    assert assessment.commissioner_submitted_by == lead
    assert assessment.commissioner_score == Decimal("78.6")
    assert not assessment.is_complete


# -- Scores and checklist rules -----------------------------------------------------------


def test_scores_per_area_and_overall():
    assessment = completed(
        commissioner_values={(1, 1): "5", (1, 2): "3"},
        provider_values={(1, 1): "2", (1, 2): "1"},
    )
    summary = selectors.assessment_summary(assessment)
    benefits = summary.areas[0]
    assert benefits.area.title == "Benefits"
    assert benefits.commissioner_score == Decimal("75.0")  # (4 + 2) of 8
    assert benefits.provider_score == Decimal("12.5")  # (1 + 0) of 8
    assert benefits.gap == Decimal("62.5")
    assert benefits.differs_most
    assert summary.by_gap[0] == benefits
    assert not summary.areas[1].differs_most  # both sides agree on the rest
    assert summary.commissioner_score == Decimal("92.9")
    assert assessment.is_complete


def test_readiness_fails_on_any_no_and_names_the_questions():
    ready = completed(kind="readiness")
    assert selectors.assessment_summary(ready).ready is True
    not_ready = completed(kind="readiness", commissioner_values={(2, 3): "no"})
    summary = selectors.assessment_summary(not_ready)
    assert summary.ready is False
    assert [r.question.text for r in summary.not_ready_questions] == [
        Question.objects.get(area__version=not_ready.version, area__order=2, order=3).text
    ]


def test_ongoing_checklist_flags_areas_answered_partly_or_not_at_all():
    assessment = completed(
        kind="ongoing",
        commissioner_values={(2, 1): "partly"},
        provider_values={(4, 2): "not_at_all", (1, 1): "largely"},
    )
    summary = selectors.assessment_summary(assessment)
    assert [area.area.title for area in summary.flagged_areas] == [
        "Communication and information",
        "Systems and monitoring",
    ]


def test_draft_answers_of_the_other_side_stay_out_of_the_summary():
    assessment = start()
    answer(assessment, Side.PROVIDER, provider_user(assessment.contract), default="1")
    summary = selectors.assessment_summary(assessment)
    assert summary.shown_sides == ()
    assert summary.provider_score is None
    own = selectors.assessment_summary(assessment, include_drafts=(Side.PROVIDER,))
    assert own.provider_score == Decimal("0.0")


# -- Actions from flagged areas -----------------------------------------------------------


def test_an_action_is_raised_from_a_flagged_area():
    assessment = completed(kind="ongoing", commissioner_values={(3, 1): "not_at_all"})
    action = raise_action(
        assessment,
        assessment.version.areas.get(order=3),
        description="Agree a disputes protocol with the provider.",
        due_on=datetime.date.today() + datetime.timedelta(days=30),
    )
    assert action.source == ActionSource.HEALTH_CHECK
    assert action.source_record == assessment
    assert action.contract == assessment.contract


def test_no_action_from_an_area_that_needs_no_attention():
    assessment = completed(kind="ongoing")
    with pytest.raises(ValidationError) as error:
        raise_action(assessment, assessment.version.areas.get(order=1), description="Nothing")
    assert "needing attention" in messages_of(error)
    assert not Action.objects.exists()


def test_no_action_from_an_area_of_another_questionnaire():
    assessment = completed(kind="ongoing", commissioner_values={(3, 1): "partly"})
    other = services.current_version(template("annual")).areas.first()
    with pytest.raises(ValidationError) as error:
        raise_action(assessment, other)
    assert "is not an area of the questionnaire" in messages_of(error)


def test_provider_staff_cannot_raise_actions_from_a_health_check():
    assessment = completed(kind="ongoing", commissioner_values={(3, 1): "partly"})
    staff = provider_user(assessment.contract)
    with pytest.raises(ValidationError):
        raise_action(assessment, assessment.version.areas.get(order=3), actor=staff)
    assert not Action.objects.exists()


# -- New versions -------------------------------------------------------------------------


def admin():
    return UserFactory(roles=[Role.ADMINISTRATOR])


def test_a_new_version_keeps_answers_to_the_old_one():
    old = completed()
    questionnaire = template()
    text = services.version_as_text(old.version) + "\n\n## Exit planning\nWe rehearse the exit."
    version = services.template_version_publish(
        template=questionnaire, actor=admin(), questions=text, notes="Adds exit planning."
    )
    assert version.number == 2 and version.published_on
    assert version.areas.count() == old.version.areas.count() + 1
    old.refresh_from_db()
    assert old.version.number == 1
    assert old.answers.count() == 14
    new = start(old.contract)
    assert new.version == version
    assert len(services.questions_for(new, Side.COMMISSIONER)) == 8


def test_new_version_tags_and_mistakes():
    questionnaire = template("lifecycle")
    version = services.template_version_publish(
        template=questionnaire,
        actor=admin(),
        questions="## Trust\nWe meet often. [contract management]",
        notes="Shorter.",
    )
    question = Question.objects.get(area__version=version)
    assert question.stage == "contract_management" and question.text == "We meet often."
    for text, expected in [
        ("A question first", "start with an area"),
        ("## Empty area", "has no questions"),
        ("## Area\nQuestion [sometimes]", "is not a tag this page knows"),
        ("", "Write at least one area and one question."),
    ]:
        with pytest.raises(ValidationError) as error:
            services.template_version_publish(
                template=questionnaire, actor=admin(), questions=text, notes="x"
            )
        assert expected in messages_of(error), text


def test_an_unchanged_version_is_refused():
    questionnaire = template()
    text = services.version_as_text(services.current_version(questionnaire))
    with pytest.raises(ValidationError) as error:
        services.template_version_publish(
            template=questionnaire, actor=admin(), questions=text, notes="Nothing"
        )
    assert "same as the current version" in messages_of(error)


def test_only_administrators_publish_versions():
    with pytest.raises(ValidationError):
        services.template_version_publish(
            template=template(), actor=officer(), questions="## A\nQ", notes="x"
        )
    assert TemplateVersion.objects.filter(number=2).count() == 0


def test_a_version_in_use_cannot_be_edited():
    assessment = start()
    question = services.questions_for(assessment, Side.COMMISSIONER)[0]
    question.text = "Changed after the fact"
    with pytest.raises(ValidationError) as error:
        question.full_clean()
    assert "publish a new version instead" in messages_of(error)
    unused = services.current_version(template("ongoing")).areas.first()
    unused.title = "Renamed"
    unused.full_clean()


def test_non_partnership_contract_still_takes_the_general_questionnaires():
    contract = ContractFactory(lead_officer=officer())
    assessment = start(contract, kind="outsourcing")
    assert assessment.contract == contract
