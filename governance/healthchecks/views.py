"""Pages of partnership health checks: a contract's health checks tab, the portfolio
list, each assessment's overview, comparison, trend, documents and history, the pages
where each side answers and submits, raising an action from an area that needs
attention, the PDF, and the questionnaires with their versions. The rules live in
governance.services.healthchecks."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from contracts.register.models.contracts import Contract
from contracts.register.tabs import ContractTabs
from governance.core import deadlines
from governance.core.charts import line_chart
from governance.core.moves import Move
from governance.core.permissions import officer_may, runs_contract
from governance.core.tables import Column
from governance.core.views.base import (
    ChildFormView,
    ModelPermissionMixin,
    ObjectActionView,
    ObjectDetailView,
    ObjectDocumentsView,
    ObjectHistoryView,
    ObjectListView,
    ObjectMixin,
    ObjectPdfView,
    Tab,
    add_service_errors,
    record_tabs,
)
from governance.core.views.records_tab import RecordsTab
from governance.healthchecks import services
from governance.healthchecks.filtersets import AssessmentFilterSet
from governance.healthchecks.forms import (
    AnswerForm,
    AreaActionForm,
    AssessmentStartForm,
    SubmitSideForm,
    TemplateVersionForm,
)
from governance.healthchecks.models import (
    Assessment,
    AssessmentAnswer,
    QuestionArea,
    QuestionnaireKind,
    QuestionnaireTemplate,
    Side,
    SideStatus,
    TemplateVersion,
)
from governance.healthchecks.selectors import (
    assessment_list,
    assessment_summary,
    contract_assessments,
    health_checks_due,
    last_annual_schedule_row,
    trend,
)
from governance.meetings.models import Action


def _score(value) -> str:
    return f"{value}%" if value is not None else ""


# -- A contract's health checks -----------------------------------------------------------


class ContractHealthChecks(RecordsTab, ContractTabs, ObjectDetailView):
    template_name = "governance/healthchecks/contract_health_checks.html"
    records_model = Assessment

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contract, user = self.object, self.request.user
        assessments = list(contract_assessments(user, contract))
        kinds = []
        for assessment in assessments:
            if assessment.kind not in [kind for kind, _ in kinds] and (
                assessment.commissioner_status == SideStatus.SUBMITTED
                or assessment.provider_status == SideStatus.SUBMITTED
            ):
                kinds.append((assessment.kind, assessment))
        start = services.health_check_moves(contract=contract, user=user).get("start")
        start_url = reverse("governance:assessment_create", args=[contract.pk])
        context.update(
            assessments=assessments,
            schedule=last_annual_schedule_row(contract),
            may_start=start == [],
            start_moves=[
                Move(name="start", label="Start a health check", url=start_url, reasons=start)
            ]
            if start is not None
            else [],
            start_url=start_url,
            trends=[
                {
                    "label": QuestionnaireKind(kind).label,
                    "url": reverse("governance:assessment_trend", args=[latest.pk]),
                }
                for kind, latest in kinds
            ],
        )
        return context


class AssessmentStart(ChildFormView):
    model = Assessment
    parent_model = Contract
    form_class = AssessmentStartForm
    create_service = services.assessment_start
    template_name = "governance/object_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("require_reason", None)
        kwargs["templates"] = services.startable_templates(self.parent)
        kind = self.request.GET.get("kind")
        kwargs["initial"] = {"assessed_on": timezone.localdate()}
        if kind in QuestionnaireKind.values:
            template = QuestionnaireTemplate.objects.filter(kind=kind).first()
            kwargs["initial"]["template"] = template.pk if template else None
        return kwargs

    def get_title(self):
        return f"Start a health check of {self.parent.reference}"

    def success(self, result):
        messages.success(self.request, f"{result.get_kind_display()} started.")
        return HttpResponseRedirect(result.get_absolute_url())

    def get_cancel_url(self):
        return reverse("governance:contract_health_checks", args=[self.parent.pk])


# -- The portfolio list -------------------------------------------------------------------


class AssessmentList(ObjectListView):
    model = Assessment
    selector = assessment_list
    filterset_class = AssessmentFilterSet
    default_sort = "-assessed_on"
    title = "Health checks"
    empty_message = "No health checks match."
    columns = [
        Column("Health check", "reference", link=True),
        Column("Questionnaire", "kind", sort="kind"),
        Column("Contract", "contract.reference", sort="contract__reference"),
        Column("Contract title", "contract.title", in_table=False),
        Column("Provider", "contract.provider.name", sort="contract__provider__name"),
        Column("Date", "assessed_on", sort="assessed_on"),
        Column("Period", "period", in_table=False),
        Column("Version", "version.number", in_table=False),
        Column("Commissioner's side", "commissioner_status", sort="commissioner_status"),
        Column(
            "Commissioner's score",
            lambda a: _score(a.commissioner_score),
            sort="commissioner_score",
            numeric=True,
        ),
        Column("Provider's side", "provider_status", sort="provider_status"),
        Column(
            "Provider's score",
            lambda a: _score(a.provider_score),
            sort="provider_score",
            numeric=True,
        ),
    ]


# -- One assessment -----------------------------------------------------------------------


class AssessmentTabs(ObjectMixin):
    model = Assessment
    tabs = record_tabs(
        "governance:assessment",
        Tab("Comparison", "governance:assessment_comparison"),
        Tab("Trend", "governance:assessment_trend"),
        documents=True,
    )

    def prepare_queryset(self, queryset):
        return queryset.select_related(
            "contract",
            "contract__provider",
            "version",
            "version__template",
            "commissioner_submitted_by",
            "provider_submitted_by",
        )

    def viewer_side(self) -> str | None:
        return services.side_for(self.request.user, self.object)

    def summary(self):
        side = self.viewer_side()
        drafts = (side,) if side and self.object.status_of(side) == SideStatus.DRAFT else ()
        return assessment_summary(self.object, include_drafts=drafts)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            contract=self.object.contract,
            object_template="governance/healthchecks/assessment_base.html",
            **kwargs,
        )


class AssessmentDetail(AssessmentTabs, ObjectDetailView):
    template_name = "governance/healthchecks/assessment_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assessment, user = self.object, self.request.user
        side = self.viewer_side()
        counts = dict(
            AssessmentAnswer.objects.filter(assessment=assessment)
            .values_list("side")
            .annotate(n=Count("pk"))
            .values_list("side", "n")
        )
        questions = {s: len(services.questions_for(assessment, s)) for s in Side.values}
        submit_reasons = services.assessment_moves(assessment=assessment, user=user)
        sides = []
        for value, label in Side.choices:
            status = assessment.status_of(value)
            if status == SideStatus.NOT_ASKED:
                continue
            sides.append(
                {
                    "value": value,
                    "label": label,
                    "status": status,
                    "status_label": SideStatus(status).label,
                    "score": assessment.score_of(value),
                    "submitted_at": getattr(assessment, f"{value}_submitted_at"),
                    "submitted_by": getattr(assessment, f"{value}_submitted_by"),
                    "answered": counts.get(value, 0),
                    "questions": questions[value],
                    "mine": side == value,
                    "may_answer": side == value and status == SideStatus.DRAFT,
                    # What stops this person submitting the side, in the service's words.
                    "submit_reasons": submit_reasons.get(value, []),
                    "answer_url": reverse(
                        "governance:assessment_answer", args=[assessment.pk, value]
                    ),
                    "submit_url": reverse(
                        "governance:assessment_submit", args=[assessment.pk, value]
                    ),
                }
            )
        may_raise = officer_may(user, assessment.contract, Action, "add")
        summary = self.summary()
        # Actions come only from what a side has submitted, not from a draft.
        submitted = (
            summary
            if set(summary.shown_sides)
            <= {s for s in Side.values if assessment.status_of(s) == SideStatus.SUBMITTED}
            else assessment_summary(assessment)
        )
        actions = (
            list(
                Action.objects.restrict(user, "view")
                .filter(
                    source_type=ContentType.objects.get_for_model(Assessment),
                    source_id=assessment.pk,
                )
                .select_related("owner")
            )
            if self.can("view", Action)
            else []
        )
        context.update(
            summary=summary,
            actions=actions,
            actionable={area.area.pk for area in submitted.flagged_areas} if may_raise else set(),
            sides=sides,
            may_raise=may_raise,
            pdf_url=reverse("governance:assessment_pdf", args=[assessment.pk]),
        )
        return context


class AssessmentComparison(AssessmentTabs, ObjectDetailView):
    template_name = "governance/healthchecks/assessment_comparison.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(summary=self.summary(), **kwargs)


class AssessmentTrend(AssessmentTabs, ObjectDetailView):
    template_name = "governance/healthchecks/assessment_trend.html"

    def get_context_data(self, **kwargs):
        assessment = self.object
        points = trend(assessment, assessment.kind, self.request.user)
        label = assessment.get_kind_display()
        charts = []
        for side, side_label in Side.choices:
            if not any(p.status_of(side) == SideStatus.SUBMITTED for p in points):
                continue
            charts.append(
                {
                    "label": side_label,
                    "svg": line_chart(
                        [(f"{p.assessed_on:%b %Y}", p.score_of(side)) for p in points],
                        unit="%",
                        title=f"{label}: {side_label.lower()}'s score over time",
                        x_label="Assessed",
                        y_label="Overall score (%)",
                        series=f"{side_label}'s score",
                        chart_id=f"trend-{side}",
                    ),
                }
            )
        return super().get_context_data(points=points, charts=charts, **kwargs)


class AssessmentDocuments(AssessmentTabs, ObjectDocumentsView):
    pass


class AssessmentHistory(AssessmentTabs, ObjectHistoryView):
    pass


class AssessmentPdf(AssessmentTabs, ObjectPdfView):
    pdf_template_name = "governance/healthchecks/pdf/assessment.html"

    def get_reference(self):
        return f"Health check {self.object.reference}"

    def get_pdf_context(self):
        return {
            "object": self.object,
            "assessment": self.object,
            "summary": assessment_summary(self.object),
        }


# -- Answering and submitting a side ------------------------------------------------------


class SideMixin(AssessmentTabs):
    """An assessment the user may change (404 otherwise: another provider's assessment
    is not found), and the side named in the URL."""

    permission_action = "change"
    object_action = "change"

    def dispatch(self, request, *args, **kwargs):
        if kwargs["side"] not in Side.values:
            raise Http404
        self.side = kwargs["side"]
        return super().dispatch(request, *args, **kwargs)

    def has_object_permission(self):
        # Answering the other side's questions is refused outright (403), as for any
        # page whose form the user could never submit.
        return services.side_for(self.request.user, self.object) == self.side

    def refusal(self) -> str | None:
        try:
            services._require_side(self.request.user, self.object, self.side)
        except ValidationError as error:
            return " ".join(error.messages)
        if self.object.status_of(self.side) == SideStatus.SUBMITTED:
            return services._locked_message(self.object, self.side)
        return None

    def refuse(self, message: str):
        messages.error(self.request, message)
        return HttpResponseRedirect(self.object.get_absolute_url())


class AssessmentAnswerView(SideMixin, TemplateView):
    template_name = "governance/healthchecks/assessment_answer.html"

    def get_form(self):
        questions = services.questions_for(self.object, self.side)
        answers = {
            answer.question_id: answer
            for answer in AssessmentAnswer.objects.filter(
                assessment=self.object, side=self.side
            ).select_related("evidence")
        }
        data = (
            {"data": self.request.POST, "files": self.request.FILES}
            if self.request.method == "POST"
            else {}
        )
        return AnswerForm(questions=questions, answers=answers, **data)

    def get(self, request, *args, **kwargs):
        refusal = self.refusal()
        if refusal:
            return self.refuse(refusal)
        return self.render_to_response(self.get_context_data(form=self.get_form()))

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_valid():
            try:
                services.assessment_answer(
                    assessment=self.object,
                    side=self.side,
                    actor=request.user,
                    answers=form.answer_inputs(),
                )
            except ValidationError as error:
                if not hasattr(error, "error_dict"):
                    return self.refuse(" ".join(error.messages))
                add_service_errors(form, error)
            else:
                if "submit" in request.POST:
                    messages.success(request, "Answers saved. Check them, then submit.")
                    return HttpResponseRedirect(
                        reverse("governance:assessment_submit", args=[self.object.pk, self.side])
                    )
                messages.success(request, "Answers saved as a draft.")
                return HttpResponseRedirect(self.object.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=f"Answer the {Side(self.side).label.lower()}'s side",
            side_label=Side(self.side).label,
            cancel_url=self.object.get_absolute_url(),
            **kwargs,
        )


class AssessmentSubmit(SideMixin, ObjectActionView):
    form_class = SubmitSideForm
    service = services.assessment_submit
    object_field = "assessment"
    submit_label = "Submit the answers"

    def get(self, request, *args, **kwargs):
        refusal = self.refusal()
        if refusal:
            return self.refuse(refusal)
        return super().get(request, *args, **kwargs)

    def service_kwargs(self, form):
        return {"side": self.side}

    def get_context_data(self, **kwargs):
        label = Side(self.side).label.lower()
        self.title = f"Submit the {label}'s side"
        self.description = (
            f"Once submitted, the {label}'s answers are locked and can no longer be changed. "
            "The other side sees them in the comparison once it has submitted too."
        )
        self.success_message = f"The {label}'s side is submitted."
        return super().get_context_data(**kwargs)


# -- Actions from an area -----------------------------------------------------------------


class AreaActionCreate(AssessmentTabs, ObjectActionView):
    form_class = AreaActionForm
    title = "Raise an action"
    submit_label = "Raise the action"
    success_message = "Action raised."

    def has_permission(self):
        return super().has_permission() and self.can("add", Action)

    def dispatch(self, request, *args, **kwargs):
        self.area_pk = kwargs["area_pk"]
        return super().dispatch(request, *args, **kwargs)

    @property
    def area(self) -> QuestionArea:
        if not hasattr(self, "_area"):
            self._area = get_object_or_404(
                QuestionArea, pk=self.area_pk, version_id=self.object.version_id
            )
        return self._area

    def has_object_permission(self):
        return runs_contract(self.request.user, self.object.contract)

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "contract": self.object.contract}
        area = self.area
        summary = assessment_summary(self.object)
        flagged = next((r for r in summary.flagged_areas if r.area.pk == area.pk), None)
        lines = [f"Follow up on “{area}” from the {self.object.get_kind_display().lower()}."]
        if flagged:
            lines += [f"- {result.question.text}" for result in flagged.flagged_questions]
        kwargs["initial"] = {"description": "\n".join(lines)}
        return kwargs

    def get_service(self):
        area = self.area

        def raise_action(*, instance, actor, change_reason="", **fields):
            return services.area_action_raise(
                assessment=instance, area=area, actor=actor, reason=change_reason, **fields
            )

        return raise_action

    def get_context_data(self, **kwargs):
        self.description = (
            f"The action is raised on {self.object.contract.reference} and records that it "
            f"comes from this health check's area “{self.area}”."
        )
        return super().get_context_data(**kwargs)


# -- Annual health checks due --------------------------------------------------------------

#: How far ahead the list of annual health checks due may look, in days.
DUE_WITHIN = (30, 60, 90, 180, 365)


class HealthChecksDue(ModelPermissionMixin, TemplateView):
    """Annual health checks of the live strategic partnerships the reader may see that
    are overdue or due within the days: overdue first, then the soonest. The dashboard's
    panel opens this list."""

    model = Assessment
    template_name = "governance/healthchecks/health_checks_due.html"

    def get_context_data(self, **kwargs):
        query, errors = self.request.GET, []
        within = query.get("within", "60")
        if within not in {str(days) for days in DUE_WITHIN}:
            errors.append("Choose how far ahead to look from the options offered.")
            within = "60"
        state = query.get("state", "")
        if state and state not in deadlines.State.values:
            errors.append("Choose overdue, due soon or coming up.")
            state = ""
        user = self.request.user
        rows = health_checks_due(user, within_days=int(within))
        if query.get("mine") == "true":
            rows = [row for row in rows if row.contract.is_officer(user)]
        rows = sorted(rows, key=lambda r: (r.deadline.rank, r.due_on, r.contract.reference))
        if state:
            rows = [row for row in rows if row.deadline.state == state]
        return super().get_context_data(
            title="Annual health checks due",
            rows=rows,
            within=int(within),
            state=state,
            errors=errors,
            mine=query.get("mine") == "true",
            choices=DUE_WITHIN,
            states=[(deadlines.State.MISSED, "Overdue"), *deadlines.State.choices[1:]],
            **kwargs,
        )


# -- Questionnaires -----------------------------------------------------------------------


class QuestionnaireList(ModelPermissionMixin, TemplateView):
    model = QuestionnaireTemplate
    title = "Health check questionnaires"
    template_name = "governance/healthchecks/questionnaire_list.html"

    def get_context_data(self, **kwargs):
        templates = list(
            QuestionnaireTemplate.objects.restrict(self.request.user, "view").annotate(
                version_count=Count("versions")
            )
        )
        latest = {}
        for version in TemplateVersion.objects.filter(published_on__isnull=False).order_by(
            "template_id", "number"
        ):
            latest[version.template_id] = version
        for template in templates:
            template.current = latest.get(template.pk)
        return super().get_context_data(title=self.title, templates=templates, **kwargs)


class QuestionnaireDetail(ObjectMixin, TemplateView):
    model = QuestionnaireTemplate
    template_name = "governance/healthchecks/questionnaire_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        versions = list(
            self.object.versions.annotate(assessment_count=Count("assessments")).select_related(
                "created_by"
            )
        )
        requested = self.request.GET.get("version", "")
        shown = next((v for v in versions if str(v.number) == requested), None) or next(
            (v for v in versions if v.published_on), None
        )
        areas = list(shown.areas.prefetch_related("questions").order_by("order")) if shown else []
        context.update(
            versions=versions,
            shown=shown,
            areas=areas,
            may_publish=self.can("add", TemplateVersion) and not self.request.user.is_provider_user,
            publish_url=reverse("governance:questionnaire_version_create", args=[self.object.pk]),
        )
        return context


class TemplateVersionCreate(ObjectMixin, TemplateView):
    """Administrators publish a new version, starting from the current one's text."""

    model = TemplateVersion
    permission_action = "add"
    template_name = "governance/object_form.html"

    def get_object(self):
        return get_object_or_404(
            QuestionnaireTemplate.objects.restrict(self.request.user, "view"), pk=self.kwargs["pk"]
        )

    def get_form(self):
        if self.request.method == "POST":
            return TemplateVersionForm(self.request.POST)
        current = services.current_version(self.object)
        return TemplateVersionForm(
            initial={"questions": services.version_as_text(current) if current else ""}
        )

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.get_form()))

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_valid():
            try:
                version = services.template_version_publish(
                    template=self.object, actor=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    f"Version {version.number} published. New health checks use it; those "
                    "already started keep their version.",
                )
                return HttpResponseRedirect(self.object.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=f"Publish a new version of the {self.object}",
            cancel_url=self.object.get_absolute_url(),
            tabs=[],
        )
        return context
