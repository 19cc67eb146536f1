"""Health checks' rules: starting an assessment of a contract against the current
version of a questionnaire, answering each side, submitting a side (after which it is
locked), scoring, the annual schedule, raising actions from areas that need attention,
and publishing a new version of a questionnaire.

The commissioner's side is answered by the contract's lead or deputy officer; the
provider's side, where the questionnaire has one, by the provider's own staff. Each
side sees the other's answers once they are submitted.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from contracts.register.models.contracts import Contract
from governance.core.documents import check_upload
from governance.core.models.base import DocumentCategory
from governance.core.moves import refusal
from governance.core.permissions import officer_may, permission_name, runs_contract
from governance.core.services import atomic_with_uploads, document_upload, record_save
from governance.healthchecks.models import (
    SCALE_ANSWERS,
    Assessment,
    AssessmentAnswer,
    Question,
    QuestionArea,
    QuestionnaireTemplate,
    Side,
    SideStatus,
    TemplateVersion,
    answer_points,
    scale_max,
    score_percent,
)
from governance.healthchecks.questions import load_questionnaires
from governance.healthchecks.selectors import CLOSED_CONTRACT_STATUSES, assessment_summary
from governance.meetings.choices import ActionSource
from governance.meetings.models import Action
from governance.meetings.services.meetings import action_raise

#: Officers hear of an annual health check this many days before it is due.
DUE_WARNING_DAYS = 30


def _today() -> datetime.date:
    return timezone.localdate()


def _on(day: datetime.date) -> str:
    return f"{day:%-d %B %Y}"


def _named(template: QuestionnaireTemplate) -> str:
    """A questionnaire's name inside a sentence."""
    return template.name[:1].lower() + template.name[1:]


def _holds(actor, model, action: str) -> bool:
    return actor.has_perm(permission_name(model, action))


# -- Who answers which side ---------------------------------------------------------------


def may_start(actor, contract: Contract) -> bool:
    return officer_may(actor, contract, Assessment, "add")


def side_for(actor, assessment: Assessment) -> str | None:
    """The side ``actor`` answers on this assessment, if any."""
    if not _holds(actor, AssessmentAnswer, "add"):
        return None
    if actor.is_provider_user:
        if (
            assessment.has_provider_side
            and actor.organisation_id == assessment.contract.provider_id
        ):
            return Side.PROVIDER
        return None
    if runs_contract(actor, assessment.contract):
        return Side.COMMISSIONER
    return None


def _require_side(actor, assessment: Assessment, side: str) -> None:
    if side not in Side.values:
        raise ValidationError("Choose the commissioner's or the provider's side.")
    if side == Side.PROVIDER and not assessment.has_provider_side:
        raise ValidationError(
            f"The {_named(assessment.version.template)} is answered by the commissioner only."
        )
    if side_for(actor, assessment) == side:
        return
    if actor.is_provider_user:
        if actor.organisation_id != assessment.contract.provider_id:
            raise ValidationError(
                "You can only answer health checks of your own organisation's contracts."
            )
        raise ValidationError("Provider staff answer only the provider's side.")
    if side == Side.PROVIDER:
        raise ValidationError(
            f"Only staff of {assessment.contract.provider} answer the provider's side."
        )
    raise ValidationError(
        "Only the contract's lead or deputy officer answers the commissioner's side."
    )


def questions_for(assessment: Assessment, side: str) -> list[Question]:
    """The questions of the assessment's version that ``side`` answers, in order."""
    questions = Question.objects.filter(area__version_id=assessment.version_id).select_related(
        "area"
    )
    if side == Side.PROVIDER:
        questions = questions.filter(ask_provider=True)
    return list(questions.order_by("area__order", "order"))


# -- Starting an assessment ---------------------------------------------------------------


def current_version(template: QuestionnaireTemplate) -> TemplateVersion | None:
    return template.versions.filter(published_on__isnull=False).order_by("-number").first()


def startable_templates(contract: Contract) -> list[QuestionnaireTemplate]:
    templates = QuestionnaireTemplate.objects.all()
    if not contract.is_strategic_partnership:
        templates = templates.filter(partnerships_only=False)
    return list(templates)


@transaction.atomic
def assessment_start(
    *,
    contract: Contract,
    template: QuestionnaireTemplate,
    actor,
    assessed_on: datetime.date,
    period: str = "",
    reason: str = "",
) -> Assessment:
    """Start an assessment of ``contract`` on the current version of ``template``."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if not may_start(actor, contract):
        raise ValidationError("Only the contract's lead or deputy officer can start health checks.")
    errors = {}
    if contract.status in CLOSED_CONTRACT_STATUSES:
        raise ValidationError(
            f"The contract is {contract.get_status_display().lower()}: no more health checks "
            "can be started on it."
        )
    if template is None:
        errors["template"] = "Choose a questionnaire."
    elif template.partnerships_only and not contract.is_strategic_partnership:
        errors["template"] = (
            f"The {_named(template)} is for strategic partnerships, and this contract is not one."
        )
    version = current_version(template) if template is not None else None
    if template is not None and "template" not in errors and version is None:
        errors["template"] = f"The {_named(template)} has no published version yet."
    if assessed_on is None:
        errors["assessed_on"] = "Enter the date of the assessment."
    elif assessed_on > _today():
        errors["assessed_on"] = "The date of the assessment cannot be in the future."
    if (
        template is not None
        and not errors
        and Assessment.objects.filter(contract=contract, kind=template.kind)
        .exclude(commissioner_status=SideStatus.SUBMITTED, provider_status=SideStatus.SUBMITTED)
        .exclude(commissioner_status=SideStatus.SUBMITTED, provider_status=SideStatus.NOT_ASKED)
        .exists()
    ):
        article = "An" if template.name[0].lower() in "aeiou" else "A"
        errors["template"] = (
            f"{article} {_named(template)} is already under way on this contract: finish "
            "it before starting another."
        )
    if errors:
        raise ValidationError(errors)
    assessment = Assessment(
        contract=contract,
        version=version,
        kind=template.kind,
        assessed_on=assessed_on,
        period=(period or "").strip(),
        provider_status=SideStatus.DRAFT if template.provider_answers else SideStatus.NOT_ASKED,
        started_by=actor,
    )
    return record_save(instance=assessment, actor=actor, reason=reason or "Health check started")


# -- Answering ----------------------------------------------------------------------------


@dataclass
class AnswerInput:
    question: Question
    value: str = ""
    comment: str = ""
    evidence: object = None  # an uploaded file


def _locked_message(assessment: Assessment, side: str) -> str:
    when = getattr(assessment, f"{side}_submitted_at")
    on = f" on {_on(timezone.localtime(when).date())}" if when else ""
    return f"The {Side(side).label.lower()}'s side was submitted{on} and can no longer be changed."


def _lock(assessment: Assessment) -> Assessment:
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    # Keep the related objects already loaded on the caller's instance.
    locked.contract = assessment.contract
    locked.version = assessment.version
    return locked


@atomic_with_uploads()
def assessment_answer(
    *, assessment: Assessment, side: str, actor, answers: list[AnswerInput], reason: str = ""
) -> int:
    """Save ``side``'s answers (a draft until the side is submitted). Questions left
    without an answer stay unanswered. Returns how many answers changed."""
    assessment = _lock(assessment)
    _require_side(actor, assessment, side)
    if assessment.status_of(side) == SideStatus.SUBMITTED:
        raise ValidationError(_locked_message(assessment, side))
    allowed = {question.pk: question for question in questions_for(assessment, side)}
    errors: dict[str, list[str]] = {}
    for item in answers:
        if item.question.pk not in allowed:
            raise ValidationError(
                f"“{item.question.text[:80]}” is not a question of version "
                f"{assessment.version.number} of the {_named(assessment.version.template)}"
                + (" for the provider's side" if side == Side.PROVIDER else "")
                + ", so it cannot be answered here."
            )
        valid = {value for value, _label, _points in SCALE_ANSWERS[allowed[item.question.pk].scale]}
        if item.value and item.value not in valid:
            errors[f"q{item.question.pk}"] = ["Choose one of the answers listed."]
        if not item.value and (item.comment.strip() or item.evidence):
            errors[f"q{item.question.pk}"] = [
                "Choose an answer before adding a comment or evidence."
            ]
    # Every file is checked before any is stored, so each refusal is shown by its own
    # question and a refused file never leaves another one stored.
    checked_evidence = {}
    for item in answers:
        if item.value and item.evidence:
            try:
                checked_evidence[item.question.pk] = check_upload(item.evidence)
            except ValidationError as error:
                errors[f"evidence{item.question.pk}"] = error.messages
    if errors:
        raise ValidationError(errors)
    existing = {
        answer.question_id: answer
        for answer in AssessmentAnswer.objects.filter(assessment=assessment, side=side)
    }
    changed = 0
    for item in answers:
        if not item.value:
            continue
        question = allowed[item.question.pk]
        answer = existing.get(question.pk) or AssessmentAnswer(
            assessment=assessment, question=question, side=side
        )
        evidence = answer.evidence
        if item.evidence:
            evidence = document_upload(
                attached_to=assessment,
                upload=checked_evidence[question.pk],
                title=f"Evidence, {Side(side).label.lower()}, question "
                f"{question.area.order}.{question.order}",
                category=DocumentCategory.EVIDENCE,
                actor=actor,
            )
        comment = item.comment.strip()
        if (
            answer.pk
            and answer.value == item.value
            and answer.comment == comment
            and answer.evidence_id == (evidence.pk if evidence else None)
        ):
            continue
        first = answer.pk is None
        answer.value, answer.comment, answer.evidence = item.value, comment, evidence
        answer.answered_by = actor
        record_save(
            instance=answer,
            actor=actor,
            reason=reason or ("Answer given" if first else "Answer changed"),
        )
        changed += 1
    return changed


# -- Submitting a side --------------------------------------------------------------------


def _guard_all_answered(assessment: Assessment, side: str) -> list[str]:
    answered = set(
        AssessmentAnswer.objects.filter(assessment=assessment, side=side).values_list(
            "question_id", flat=True
        )
    )
    missing = [q for q in questions_for(assessment, side) if q.pk not in answered]
    if not missing:
        return []
    first = missing[0]
    return [
        f"Answer every question before submitting: {len(missing)} still to answer, starting "
        f"with question {first.area.order}.{first.order} ({first.area})."
    ]


#: (from, to): guard returning the problems that stop the change.
SIDE_TRANSITIONS = {
    (SideStatus.DRAFT, SideStatus.SUBMITTED): _guard_all_answered,
}


def side_score(assessment: Assessment, side: str) -> Decimal | None:
    questions = {q.pk: q for q in questions_for(assessment, side)}
    earned = possible = 0
    for answer in AssessmentAnswer.objects.filter(assessment=assessment, side=side):
        question = questions.get(answer.question_id)
        if question is None:
            continue
        earned += answer_points(question.scale, answer.value) or 0
        possible += scale_max(question.scale)
    return score_percent(earned, possible)


@transaction.atomic
def assessment_side_transition(
    *, assessment: Assessment, side: str, to_status: str, actor, reason: str = ""
) -> Assessment:
    assessment = _lock(assessment)
    _require_side(actor, assessment, side)
    current = assessment.status_of(side)
    guard = SIDE_TRANSITIONS.get((current, to_status))
    if guard is None:
        if current == SideStatus.SUBMITTED:
            raise ValidationError(_locked_message(assessment, side))
        raise ValidationError(
            f"A side that is {SideStatus(current).label.lower()} cannot become "
            f"{SideStatus(to_status).label.lower()}."
        )
    problems = guard(assessment, side)
    if problems:
        raise ValidationError(problems)
    setattr(assessment, f"{side}_status", to_status)
    if to_status == SideStatus.SUBMITTED:
        setattr(assessment, f"{side}_submitted_at", timezone.now())
        setattr(assessment, f"{side}_submitted_by", actor)
        setattr(assessment, f"{side}_score", side_score(assessment, side))
    return record_save(
        instance=assessment,
        actor=actor,
        reason=reason or f"{Side(side).label}'s side {SideStatus(to_status).label.lower()}",
    )


def assessment_submit(*, assessment: Assessment, side: str, actor, reason: str = ""):
    return assessment_side_transition(
        assessment=assessment,
        side=side,
        to_status=SideStatus.SUBMITTED,
        actor=actor,
        reason=reason,
    )


# -- What stops a move, in the services' own words --------------------------------------


def health_check_moves(*, contract: Contract, user) -> dict[str, list[str]]:
    """ "start" for those who start the contract's health checks, with what stops them
    now in the words of ``assessment_start`` (empty: they may); the questionnaire and
    the date are left to the start form."""
    if not may_start(user, contract):
        return {}
    return {
        "start": refusal(
            lambda: assessment_start(
                contract=contract, template=None, actor=user, assessed_on=_today()
            ),
            form_fields=("template", "assessed_on", "period", "reason"),
        )
    }


def assessment_moves(*, assessment: Assessment, user) -> dict[str, list[str]]:
    """The side ``user`` answers, while it is a draft, with what stops them submitting it
    now in the words of ``assessment_submit`` (empty: they may)."""
    side = side_for(user, assessment)
    if side is None or assessment.status_of(side) != SideStatus.DRAFT:
        return {}
    return {side: refusal(lambda: assessment_submit(assessment=assessment, side=side, actor=user))}


# -- Actions from areas that need attention ----------------------------------------------


@transaction.atomic
def area_action_raise(
    *,
    assessment: Assessment,
    area: QuestionArea,
    actor,
    owner,
    description: str,
    due_on: datetime.date,
    reason: str = "",
) -> Action:
    """Raise an action on the contract from an area of the assessment that needs
    attention; the action records the assessment it comes from."""

    if area.version_id != assessment.version_id:
        raise ValidationError(
            f"{area} is not an area of the questionnaire this health check was answered on."
        )
    summary = assessment_summary(assessment)
    flagged = {result.area.pk for result in summary.flagged_areas}
    if area.pk not in flagged:
        raise ValidationError(
            f"No submitted answer marks {area} as needing attention, so no action is raised "
            "from it."
        )
    return action_raise(
        actor=actor,
        owner=owner,
        description=description,
        due_on=due_on,
        contract=assessment.contract,
        source=ActionSource.HEALTH_CHECK,
        source_record=assessment,
        reason=reason or f"Action raised from a health check: {area}",
    )


# -- New versions of a questionnaire -----------------------------------------------------

_TAG = re.compile(r"\s*\[([^\]]+)\]\s*$")
STAGE_TAGS = {
    "initiation": "initiation",
    "procurement": "procurement",
    "contract management": "contract_management",
}
COMMISSIONER_ONLY_TAG = "commissioner only"


def version_as_text(version: TemplateVersion) -> str:
    """A version's areas and questions in the form the new-version page edits."""
    lines = []
    stages = {value: label for label, value in STAGE_TAGS.items()}
    for area in version.areas.prefetch_related("questions").order_by("order"):
        if lines:
            lines.append("")
        lines.append(f"## {area.title}")
        for question in sorted(area.questions.all(), key=lambda q: q.order):
            tags = ""
            if question.stage:
                tags += f" [{stages[question.stage]}]"
            if version.template.provider_answers and not question.ask_provider:
                tags += f" [{COMMISSIONER_ONLY_TAG}]"
            lines.append(f"{question.text}{tags}")
    return "\n".join(lines)


def parse_questions(text: str) -> list[tuple[str, list[dict]]]:
    """Areas and questions from the new-version page's text: a line starting "## "
    names an area, every other line that is not blank is a question of the area above
    it, ending with optional tags in square brackets."""
    areas: list[tuple[str, list[dict]]] = []
    problems = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("##"):
            title = line.lstrip("#").strip()
            if not title:
                problems.append(f"Line {number}: give the area a title after “##”.")
            areas.append((title[:200], []))
            continue
        if not areas:
            problems.append(
                f"Line {number}: start with an area (a line beginning “## ”) before its questions."
            )
            continue
        question = {"text": line, "stage": "", "ask_provider": True}
        while match := _TAG.search(question["text"]):
            tag = match.group(1).strip().lower()
            if tag in STAGE_TAGS:
                question["stage"] = STAGE_TAGS[tag]
            elif tag == COMMISSIONER_ONLY_TAG:
                question["ask_provider"] = False
            else:
                problems.append(
                    f"Line {number}: “[{match.group(1)}]” is not a tag this page knows; use "
                    "[commissioner only], [initiation], [procurement] or [contract management]."
                )
            question["text"] = question["text"][: match.start()].rstrip()
        if not question["text"]:
            problems.append(f"Line {number}: write the question before its tags.")
        areas[-1][1].append(question)
    if not areas and not problems:
        problems.append("Write at least one area and one question.")
    for title, questions in areas:
        if title and not questions:
            problems.append(f"The area “{title}” has no questions.")
    if problems:
        raise ValidationError({"questions": problems})
    return areas


@transaction.atomic
def template_version_publish(
    *, template: QuestionnaireTemplate, actor, questions: str, notes: str, reason: str = ""
) -> TemplateVersion:
    """Publish the next version of ``template``. Earlier versions, and the answers
    given to them, stay exactly as they were; new assessments use this one."""
    if not (_holds(actor, TemplateVersion, "add") and not actor.is_provider_user):
        raise ValidationError("Only administrators publish new versions of a questionnaire.")
    template = QuestionnaireTemplate.objects.select_for_update().get(pk=template.pk)
    areas = parse_questions(questions)
    if not (notes or "").strip():
        raise ValidationError({"notes": "Say what changed in this version."})
    latest = template.versions.order_by("-number").first()
    if latest is not None and version_as_text(latest) == version_as_text_from(areas, template):
        raise ValidationError(
            {"questions": "The questions are the same as the current version's: change them."}
        )
    version = record_save(
        instance=TemplateVersion(
            template=template,
            number=(latest.number + 1) if latest else 1,
            published_on=_today(),
            notes=notes.strip(),
            created_by=actor,
        ),
        actor=actor,
        reason=reason or "New version published",
    )
    for area_order, (title, items) in enumerate(areas, start=1):
        area = record_save(
            instance=QuestionArea(version=version, title=title, order=area_order),
            actor=actor,
            reason="New version published",
        )
        for order, item in enumerate(items, start=1):
            record_save(
                instance=Question(
                    area=area,
                    order=order,
                    text=item["text"],
                    scale=template.scale,
                    stage=item["stage"],
                    ask_provider=item["ask_provider"] and template.provider_answers,
                ),
                actor=actor,
                reason="New version published",
            )
    return version


def version_as_text_from(areas: list[tuple[str, list[dict]]], template) -> str:
    stages = {value: label for label, value in STAGE_TAGS.items()}
    lines = []
    for title, items in areas:
        if lines:
            lines.append("")
        lines.append(f"## {title}")
        for item in items:
            tags = f" [{stages[item['stage']]}]" if item["stage"] else ""
            if template.provider_answers and not item["ask_provider"]:
                tags += f" [{COMMISSIONER_ONLY_TAG}]"
            lines.append(f"{item['text']}{tags}")
    return "\n".join(lines)


def ensure_questionnaires() -> int:
    """Load any questionnaire missing from the database (after a test flush, say).
    Returns how many it loaded."""
    return load_questionnaires(
        template_model=QuestionnaireTemplate,
        version_model=TemplateVersion,
        area_model=QuestionArea,
        question_model=Question,
        today=timezone.localdate(),
    )
