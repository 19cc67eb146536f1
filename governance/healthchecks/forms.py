"""Forms of health checks: starting one, answering a side, submitting a side, raising
an action from an area, and publishing a new version of a questionnaire. They check
the shape of what is typed; the rules live in governance.services.healthchecks."""

from django import forms

from governance.core.forms import ChangeReasonMixin, GovukDateField, GovukForm
from governance.healthchecks.models import Question, QuestionnaireTemplate
from governance.healthchecks.services import AnswerInput
from governance.meetings.forms.meetings import action_owners, person_label


class AssessmentStartForm(GovukForm):
    template = forms.ModelChoiceField(
        label="Questionnaire",
        queryset=QuestionnaireTemplate.objects.none(),
        empty_label="Select a questionnaire",
        error_messages={"required": "Choose a questionnaire."},
    )
    assessed_on = GovukDateField(
        label="Date of the assessment",
        error_messages={"required": "Enter the date of the assessment."},
    )
    period = forms.CharField(
        label="Period covered",
        max_length=100,
        required=False,
        help_text="For example, 2025 to 2026.",
    )

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = QuestionnaireTemplate.objects.filter(
            pk__in=[template.pk for template in templates]
        )


class AnswerForm(GovukForm):
    """One side's answers: for each question an answer, a comment and a file of
    evidence, all optional until the side is submitted."""

    def __init__(self, *args, questions: list[Question], answers: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            answer = answers.get(question.pk)
            number = f"{question.area.order}.{question.order}"
            self.fields[f"q{question.pk}"] = forms.ChoiceField(
                label=f"{number} {question.text}",
                choices=question.choices,
                required=False,
                widget=forms.RadioSelect,
                initial=answer.value if answer else None,
                help_text=question.get_stage_display() if question.stage else "",
            )
            self.fields[f"comment{question.pk}"] = forms.CharField(
                label=f"Comment on {number}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=answer.comment if answer else "",
            )
            evidence = answer.evidence if answer and answer.evidence_id else None
            self.fields[f"evidence{question.pk}"] = forms.FileField(
                label=f"Evidence for {number}",
                required=False,
                help_text=(
                    f"Attached: {evidence.title}. Choose a file to replace it."
                    if evidence
                    else "A PDF, DOCX, XLSX, CSV, PNG or JPEG file."
                ),
            )

    def rows(self):
        """(area, [(question, answer field, comment field, evidence field)]) in order."""
        grouped: list[tuple] = []
        for question in self.questions:
            if not grouped or grouped[-1][0] != question.area:
                grouped.append((question.area, []))
            grouped[-1][1].append(
                (
                    question,
                    self[f"q{question.pk}"],
                    self[f"comment{question.pk}"],
                    self[f"evidence{question.pk}"],
                )
            )
        return grouped

    def answer_inputs(self) -> list[AnswerInput]:
        return [
            AnswerInput(
                question=question,
                value=self.cleaned_data.get(f"q{question.pk}") or "",
                comment=self.cleaned_data.get(f"comment{question.pk}") or "",
                evidence=self.cleaned_data.get(f"evidence{question.pk}"),
            )
            for question in self.questions
        ]


class SubmitSideForm(GovukForm):
    confirm = forms.BooleanField(
        label="I confirm these answers are complete and final",
        error_messages={"required": "Confirm the answers are complete and final."},
    )


class AreaActionForm(ChangeReasonMixin, forms.Form):
    description = forms.CharField(
        label="What has to be done",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Describe what has to be done."},
    )
    owner = forms.ModelChoiceField(
        queryset=None,
        empty_label="Select a person",
        error_messages={"required": "Name who owns the action."},
    )
    due_on = GovukDateField(
        label="Due date", error_messages={"required": "Enter the date the action is due."}
    )

    def __init__(self, *args, contract, **kwargs):
        kwargs.setdefault("require_reason", False)
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        owner.queryset = action_owners(contract)
        owner.label_from_instance = person_label
        owner.help_text = f"One of the commissioner's staff, or a user at {contract.provider}."


class TemplateVersionForm(GovukForm):
    questions = forms.CharField(
        label="Areas and questions",
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text=(
            "Start each area with a line beginning “## ”, then write its questions one per "
            "line. End a question with [commissioner only] if the provider does not answer "
            "it, or with [initiation], [procurement] or [contract management] to give its "
            "stage."
        ),
        error_messages={"required": "Write at least one area and one question."},
    )
    notes = forms.CharField(
        label="What changed",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown with the version, so people know why the questions differ.",
        error_messages={"required": "Say what changed in this version."},
    )
