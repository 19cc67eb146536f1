"""Pages of the quarterly cycle: a contract's reporting periods, each period, its
performance and financial returns (fill in, submit, accept or return for correction),
unit-priced lines, the portfolio's lists of returns, and the KPI trend chart. The rules
live in contracts.services.returns; no page writes on GET."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import View

from contracts.performance import selectors
from contracts.performance.choices import ReturnStatus
from contracts.performance.filtersets import FinancialReturnFilterSet, PerformanceReturnFilterSet
from contracts.performance.forms import (
    AcceptReturnForm,
    FinancialLineForm,
    FinancialReturnForm,
    PerformanceReturnForm,
    ReturnForCorrectionForm,
    SubmitForProviderForm,
    SubmitReturnForm,
)
from contracts.performance.models.kpis import ContractKpi
from contracts.performance.models.returns import (
    FinancialLine,
    FinancialReturn,
    KpiResult,
    PerformanceReturn,
    ReportingPeriod,
)
from contracts.performance.services import returns as services
from contracts.performance.services.kpis import format_amount, kpi_chart
from contracts.register.models.contracts import Contract
from contracts.register.tabs import ContractRecordTabs, ContractTabs
from governance.core import deadlines
from governance.core.history import changed_by
from governance.core.tables import Column, deadline_columns
from governance.core.views.base import (
    ChildFormView,
    ObjectActionView,
    ObjectDetailView,
    ObjectFormView,
    ObjectHistoryView,
    ObjectListView,
    ObjectMixin,
    record_tabs,
)
from governance.core.xlsx import Sheet

#: The URL's word for each step -> the status it leads to.
STEPS = {
    "submit": ReturnStatus.SUBMITTED,
    "accept": ReturnStatus.ACCEPTED,
    "return": ReturnStatus.RETURNED,
}

#: step -> (title, button, description, warning, form)
STEP_COPY = {
    "submit": (
        "Submit the {noun}",
        "Submit",
        "Once submitted, the return cannot be changed unless the lead or deputy officer "
        "sends it back for correction.",
        False,
        SubmitReturnForm,
    ),
    "accept": (
        "Accept the {noun}",
        "Accept",
        "Accepting records that the return has been checked and closes it. Someone other "
        "than the person who submitted it must accept it.",
        False,
        AcceptReturnForm,
    ),
    "return": (
        "Return the {noun} for correction",
        "Return for correction",
        "The provider can change the return again and must submit it once corrected.",
        True,
        ReturnForCorrectionForm,
    ),
}

PENNY = Decimal("0.01")

RAG_COLOURS = {"green": "green", "amber": "orange", "red": "red", "none": "grey"}


def _today():
    return timezone.localdate()


def _accept_note(return_, user) -> str:
    """Said on the return's page to an officer who may not accept it because they
    submitted or entered it: who can accept it instead."""
    if return_.status != ReturnStatus.SUBMITTED or not services.is_deciding_officer(return_, user):
        return ""
    refusal = services.accept_refusal(return_, user)
    if not refusal:
        return ""
    contract = return_.period.contract
    other = "deputy" if contract.lead_officer_id == user.pk else "lead"
    return f"{refusal} The contract's {other} officer can accept it."


def _step_links(return_, user, url_name: str) -> list[dict]:
    verbs = {status: verb for verb, status in STEPS.items()}
    return [
        {
            "url": reverse(url_name, args=[return_.pk, verbs[to]]),
            "label": STEP_COPY[verbs[to]][1],
            "warning": STEP_COPY[verbs[to]][3],
            # A step the return is not ready for, or that this person may not take (their
            # own submission), is shown disabled with the service's refusal.
            "reasons": reasons,
        }
        for to, reasons in services.return_moves(return_=return_, user=user).items()
    ]


# -- A contract's periods ------------------------------------------------------------------


class ContractPeriods(ContractTabs, ObjectDetailView):
    """The contract's Returns tab: one row per period, newest first."""

    template_name = "contracts/returns/contract_periods.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = _today()
        rows = []
        for period in services.contract_periods(self.object):
            performance = getattr(period, "performance_return", None)
            finance = getattr(period, "financial_return", None)
            rows.append(
                {
                    "period": period,
                    "performance": performance,
                    "finance": finance,
                    "performance_deadline": services.return_deadline(
                        performance, period.performance_due_on, today
                    ),
                    "finance_deadline": services.return_deadline(
                        finance, period.finance_due_on, today
                    ),
                }
            )
        context.update(
            rows=rows,
            can_open=context["can_change"]
            and self.can("add", ReportingPeriod)
            and self.object.status in services.PERIOD_CONTRACT_STATUSES,
        )
        return context


class PeriodsOpen(ObjectMixin, View):
    """The officers' button: open the periods the contract lacks, up to this quarter."""

    model = Contract
    object_action = "change"
    http_method_names = ["post"]

    def has_permission(self):
        return self.can("add", ReportingPeriod)

    def post(self, request, *args, **kwargs):
        try:
            opened = services.periods_ensure(
                contract=self.object, today=_today(), actor=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if opened:
                labels = ", ".join(period.label for period in opened)
                messages.success(request, f"Opened {labels}.")
            else:
                messages.info(request, "Every quarter up to this one is already open.")
        return HttpResponseRedirect(reverse("contracts:contract_periods", args=[self.object.pk]))


# -- Periods -----------------------------------------------------------------------------


class PeriodTabs(ContractRecordTabs):
    model = ReportingPeriod
    tabs = record_tabs("contracts:period")
    related = ("performance_return", "financial_return")
    object_template = "contracts/returns/period_base.html"


class PeriodDetail(PeriodTabs, ObjectDetailView):
    template_name = "contracts/returns/period_detail.html"

    def get_context_data(self, **kwargs):
        period, today = self.object, _today()
        performance = getattr(period, "performance_return", None)
        finance = getattr(period, "financial_return", None)
        return super().get_context_data(
            performance=performance,
            finance=finance,
            performance_deadline=services.return_deadline(
                performance, period.performance_due_on, today
            ),
            finance_deadline=services.return_deadline(finance, period.finance_due_on, today),
            **kwargs,
        )


class PeriodHistory(PeriodTabs, ObjectHistoryView):
    pass


# -- Performance returns -------------------------------------------------------------------


class PerformanceReturnTabs(ObjectMixin):
    model = PerformanceReturn
    tabs = record_tabs("contracts:performancereturn")

    def prepare_queryset(self, queryset):
        return queryset.select_related(
            "period",
            "period__contract",
            "period__contract__provider",
            "submitted_by",
            "decided_by",
            "commentary_by",
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            contract=self.object.period.contract,
            period=self.object.period,
            object_template="contracts/returns/return_base.html",
            **kwargs,
        )


def _measure_rows(rows):
    return [
        {
            "row": row,
            "target": format_amount(row.kpi.target, row.kpi.unit),
            "tolerance": format_amount(row.kpi.amber_tolerance, row.kpi.unit, tolerance=True),
            "actual": format_amount(row.actual, row.kpi.unit),
            "rag_colour": RAG_COLOURS[row.rag],
        }
        for row in rows
    ]


class PerformanceReturnDetail(PerformanceReturnTabs, ObjectDetailView):
    template_name = "contracts/returns/performancereturn_detail.html"

    def get_context_data(self, **kwargs):
        return_ = self.object
        context = super().get_context_data(**kwargs)
        context.update(
            rows=_measure_rows(services.performance_return_rows(return_)),
            rag_colour=RAG_COLOURS[return_.rag],
            deadline=services.return_deadline(return_, return_.period.performance_due_on),
            due_on=return_.period.performance_due_on,
            can_edit=context["can_change"] and return_.status in services.OPEN_STATUSES,
            edit_url=reverse("contracts:performancereturn_update", args=[return_.pk]),
            steps=_step_links(return_, self.request.user, "contracts:performancereturn_transition"),
            accept_note=_accept_note(return_, self.request.user),
        )
        return context


class PerformanceReturnHistory(PerformanceReturnTabs, ObjectHistoryView):
    """The return's own history, then every change to its KPI results."""

    template_name = "contracts/returns/return_history.html"

    def get_context_data(self, **kwargs):
        names = dict(
            ContractKpi.objects.filter(contract_id=self.object.period.contract_id).values_list(
                "pk", "name"
            )
        )
        records = KpiResult.history.filter(performance_return_id=self.object.pk).select_related(
            "history_user"
        )
        line_history = [
            {
                "when": record.history_date,
                "who": changed_by(record, nobody="The daily sweep"),
                "what": names.get(record.kpi_id, ""),
                "detail": (
                    f"Actual {record.actual}, {record.get_rag_display().lower()}"
                    if record.actual is not None
                    else "No actual"
                ),
                "commentary": record.commentary,
                "reason": record.history_change_reason,
            }
            for record in records.order_by("-history_date", "-history_id")
        ]
        return super().get_context_data(
            line_history=line_history, line_history_title="Changes to KPI results", **kwargs
        )


class PerformanceReturnUpdate(ObjectFormView):
    """One form for the whole return: each KPI's actual and commentary."""

    model = PerformanceReturn
    template_name = "contracts/returns/performancereturn_form.html"

    def load_objects(self):
        self.object = get_object_or_404(
            PerformanceReturn.objects.restrict(self.request.user, "change").select_related(
                "period", "period__contract", "period__contract__provider"
            ),
            pk=self.kwargs["pk"],
        )
        self.object_label = str(self.object)
        self.rows = services.performance_return_rows(self.object)

    def get_form(self):
        kwargs = {"rows": self.rows, "require_reason": True}
        if self.request.method == "POST":
            kwargs["data"] = self.request.POST
        else:
            kwargs["initial"] = {"commentary": self.object.commentary}
        return PerformanceReturnForm(**kwargs)

    def update(self, form, reason):
        return services.performance_return_update(
            performance_return=self.object,
            actor=self.request.user,
            reason=reason,
            results=form.results(),
            commentary=form.cleaned_data["commentary"],
        )

    def get_title(self):
        return f"Fill in the performance return for {self.object.period.label}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            contract=self.object.period.contract,
            is_open=self.object.status in services.OPEN_STATUSES,
            **kwargs,
        )


class ReturnTransition(ObjectActionView):
    """Submit, accept or return a return for correction (``to`` in the URL)."""

    template_name = "contracts/returns/return_transition.html"
    permission_action = "change"
    object_action = "change"
    noun = ""

    def dispatch(self, request, *args, **kwargs):
        step = kwargs["to"]
        if step not in STEPS:
            raise Http404
        self.to_status = STEPS[step]
        title, self.submit_label, self.description, self.warning, self.form_class = STEP_COPY[step]
        self.title = title.format(noun=self.noun)
        self.success_message = (
            f"The {self.noun} is now {ReturnStatus(self.to_status).label.lower()}."
        )
        return super().dispatch(request, *args, **kwargs)

    def prepare_queryset(self, queryset):
        return queryset.select_related("period", "period__contract", "submitted_by")

    def get_form_class(self):
        if self.to_status == ReturnStatus.SUBMITTED and not self.request.user.is_provider_user:
            return SubmitForProviderForm
        return self.form_class

    def get_form(self):
        kwargs = self.get_form_kwargs()
        form_class = self.get_form_class()
        if form_class is AcceptReturnForm:
            kwargs["early"] = services.accepting_early(self.object)
        return form_class(**kwargs)

    def get_context_data(self, **kwargs):
        refusal = ""
        if self.to_status == ReturnStatus.ACCEPTED:
            # Reached by its address rather than a button: say at once why it will be
            # refused (the service refuses it anyway).
            refusal = _accept_note(self.object, self.request.user)
        return super().get_context_data(refusal=refusal, **kwargs)

    def has_object_permission(self):
        return services.may_take_step(self.object, self.to_status, self.request.user)

    def service_kwargs(self, form):
        data = form.cleaned_data
        kwargs = {"to_status": self.to_status, "reason": data.get("reason", "")}
        for name in ("source", "source_received_on", "source_note", "early_acceptance_reason"):
            if name in data:
                kwargs[name] = data[name]
        return kwargs


class PerformanceReturnTransition(ReturnTransition):
    model = PerformanceReturn
    service = services.performance_return_transition
    object_field = "performance_return"
    noun = "performance return"


# -- Financial returns ---------------------------------------------------------------------


class FinancialReturnTabs(PerformanceReturnTabs):
    model = FinancialReturn
    tabs = record_tabs("contracts:financialreturn")


class FinancialReturnDetail(FinancialReturnTabs, ObjectDetailView):
    template_name = "contracts/returns/financialreturn_detail.html"

    def get_context_data(self, **kwargs):
        return_ = self.object
        context = super().get_context_data(**kwargs)
        lines = list(return_.lines.all())
        total = services.lines_total(lines)
        is_open = return_.status in services.OPEN_STATUSES
        may_change_lines = context["can_change"] and is_open
        context.update(
            lines=lines,
            lines_total=total,
            lines_warning=services.lines_warning(return_, total, bool(lines)),
            needs_commentary=services.variance_needs_commentary(
                return_.budget, return_.actual_spend
            ),
            threshold=services.commentary_threshold_percent(),
            deadline=services.return_deadline(return_, return_.period.finance_due_on),
            due_on=return_.period.finance_due_on,
            can_edit=context["can_change"] and is_open,
            edit_url=reverse("contracts:financialreturn_update", args=[return_.pk]),
            can_add_line=may_change_lines and self.can("add", FinancialLine),
            can_remove_line=may_change_lines and self.can("delete", FinancialLine),
            steps=_step_links(return_, self.request.user, "contracts:financialreturn_transition"),
            accept_note=_accept_note(return_, self.request.user),
        )
        return context


class FinancialReturnHistory(FinancialReturnTabs, ObjectHistoryView):
    """The return's own history, then every line added, changed or removed."""

    template_name = "contracts/returns/return_history.html"

    def get_context_data(self, **kwargs):
        records = FinancialLine.history.filter(financial_return_id=self.object.pk).select_related(
            "history_user"
        )
        kinds = {"+": "Added", "~": "Changed", "-": "Removed"}
        line_history = [
            {
                "when": record.history_date,
                "who": changed_by(record, nobody=""),
                "what": f"{kinds.get(record.history_type, '')}: {record.description}",
                "detail": f"{record.units_delivered} at £{record.unit_price:,}",
                "commentary": "",
                "reason": record.history_change_reason,
            }
            for record in records.order_by("-history_date", "-history_id")
        ]
        return super().get_context_data(
            line_history=line_history, line_history_title="Unit-priced lines", **kwargs
        )


class FinancialReturnUpdate(ObjectFormView):
    model = FinancialReturn
    form_class = FinancialReturnForm
    template_name = "contracts/returns/financialreturn_form.html"

    def load_objects(self):
        self.object = get_object_or_404(
            FinancialReturn.objects.restrict(self.request.user, "change").select_related(
                "period", "period__contract", "period__contract__provider"
            ),
            pk=self.kwargs["pk"],
        )
        self.object_label = str(self.object)

    def update(self, form, reason):
        return services.financial_return_update(
            financial_return=self.object,
            actor=self.request.user,
            reason=reason,
            **self.service_fields(form),
        )

    def get_title(self):
        return f"Fill in the financial return for {self.object.period.label}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            contract=self.object.period.contract,
            is_open=self.object.status in services.OPEN_STATUSES,
            threshold=services.commentary_threshold_percent(),
            **kwargs,
        )


class FinancialReturnTransition(ReturnTransition):
    model = FinancialReturn
    service = services.financial_return_transition
    object_field = "financial_return"
    noun = "financial return"


class FinancialLineCreate(ChildFormView):
    model = FinancialLine
    parent_model = FinancialReturn
    parent_field = "financial_return"
    form_class = FinancialLineForm
    create_service = services.financial_line_add

    def get_title(self):
        return f"Add a unit-priced line to the financial return for {self.parent.period}"

    def get_cancel_url(self):
        return self.parent.get_absolute_url()


class FinancialLineDelete(ObjectMixin, View):
    """Removes a line from an open return (a button on the return's page)."""

    model = FinancialLine
    permission_action = "delete"
    object_action = "delete"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        line = self.object
        try:
            services.financial_line_remove(
                line=line, actor=request.user, reason=request.POST.get("reason", "")
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"“{line.description}” removed.")
        return HttpResponseRedirect(
            reverse("contracts:financialreturn_detail", args=[line.financial_return_id])
        )


# -- The portfolio's returns -----------------------------------------------------------------


def _due_columns(due_field: str) -> list[Column]:
    """The due date with its state (missed, due or coming up) while the return is still
    to come in, and for the exports whether it is overdue."""
    return [
        *deadline_columns(
            "Due date",
            f"period.{due_field}",
            deadlines.RETURN,
            sort=f"period__{due_field}",
            applies=lambda obj: obj.status in services.OPEN_STATUSES,
        ),
        Column(
            "Overdue",
            lambda obj: services.is_overdue(obj.status, getattr(obj.period, due_field)),
            in_table=False,
        ),
    ]


_PERIOD_COLUMNS = [
    Column("Period", "period", sort="period__starts_on", link=True),
    Column("Contract title", "period.contract.title", sort="period__contract__title"),
    Column("Provider", "period.contract.provider.name", sort="period__contract__provider__name"),
    Column("Financial year", "period.financial_year", in_table=False),
    Column("Quarter", "period.quarter", in_table=False),
]


#: Where a return the officers entered for the provider came from, and why one was
#: accepted before its quarter ended: in the exports.
_SOURCE_COLUMNS = [
    Column("Entered for the provider from", "source", in_table=False),
    Column("Received on", "source_received_on", in_table=False),
    Column("About the source", "source_note", in_table=False),
    Column("Accepted early because", "early_acceptance_reason", in_table=False),
]


class PerformanceReturnList(ObjectListView):
    model = PerformanceReturn
    selector = selectors.performance_return_list
    filterset_class = PerformanceReturnFilterSet
    title = "Performance returns"
    empty_message = "No performance returns match."
    xlsx_export = True
    import_url_name = "contracts:kpiresult_import"

    def default_ordering(self):
        return services.return_ordering("performance_due_on")

    def xlsx_sheets(self, rows):
        """The returns, then every KPI result in them: one row per indicator."""
        results = (
            KpiResult.objects.filter(performance_return__in=rows.order_by().values("pk"))
            .select_related("kpi", "performance_return__period__contract")
            .order_by(
                "performance_return__period__contract__reference",
                "-performance_return__period__starts_on",
                "kpi__name",
            )
        )
        return [
            *super().xlsx_sheets(rows),
            Sheet(
                title="KPI results",
                headers=[
                    "Contract",
                    "Period",
                    "Indicator",
                    "Unit",
                    "Target",
                    "Amber tolerance",
                    "Actual",
                    "Status",
                    "Commentary",
                ],
                rows=(
                    [
                        r.performance_return.period.contract.reference,
                        r.performance_return.period.label,
                        r.kpi.name,
                        r.kpi.get_unit_display(),
                        r.kpi.target,
                        r.kpi.amber_tolerance,
                        r.actual,
                        r.get_rag_display(),
                        r.commentary,
                    ]
                    for r in results.iterator(2000)
                ),
            ),
        ]

    columns = [
        *_PERIOD_COLUMNS,
        Column("Status", "status", sort="status"),
        Column("RAG for the quarter", "rag", sort="rag"),
        *_due_columns("performance_due_on"),
        Column("Submitted by", "submitted_by", in_table=False),
        Column("Submitted", "submitted_at", sort="submitted_at", in_table=False),
        Column("Decided by", "decided_by", in_table=False),
        Column("Decided", "decided_at", in_table=False),
        *_SOURCE_COLUMNS,
        Column("Overall commentary", "commentary", in_table=False),
    ]


class FinancialReturnList(ObjectListView):
    model = FinancialReturn
    selector = selectors.financial_return_list
    filterset_class = FinancialReturnFilterSet
    title = "Financial returns"
    empty_message = "No financial returns match."

    def default_ordering(self):
        return services.return_ordering("finance_due_on")

    columns = [
        *_PERIOD_COLUMNS,
        Column("Status", "status", sort="status"),
        *_due_columns("finance_due_on"),
        Column("Budget", "budget", sort="budget", money=True),
        Column("Actual spend", "actual_spend", sort="actual_spend", money=True),
        Column("Variance", "variance", money=True),
        Column("Variance (%)", "variance_percent", numeric=True),
        Column("Payments made", "payments_made", money=True, in_table=False),
        Column(
            "Unit-priced lines total",
            lambda obj: obj.lines_amount.quantize(PENNY) if obj.lines_amount else None,
            money=True,
            in_table=False,
        ),
        Column("Commentary", "commentary", in_table=False),
        Column("Submitted by", "submitted_by", in_table=False),
        Column("Submitted", "submitted_at", in_table=False),
        Column("Decided by", "decided_by", in_table=False),
        Column("Decided", "decided_at", in_table=False),
        *_SOURCE_COLUMNS,
    ]


# -- The KPI trend chart --------------------------------------------------------------------


def kpi_trend_context(kpi: ContractKpi) -> dict:
    """The KPI's last eight submitted or accepted results as a chart and a table."""
    results = services.kpi_trend(kpi)
    if not results:
        return {"chart": "", "rows": []}
    points = [
        (result.performance_return.period.label, result.actual, result.rag) for result in results
    ]
    chart = kpi_chart(
        kpi,
        points,
        what=f"results of the last {len(results)} returns against the target",
        chart_id=f"kpi-{kpi.pk}-trend",
    )
    rows = [
        {
            "period": result.performance_return.period.label,
            "actual": format_amount(result.actual, kpi.unit),
            "rag": result.rag,
            "rag_label": result.get_rag_display(),
            "rag_colour": RAG_COLOURS[result.rag],
            "status": result.performance_return.get_status_display(),
            "url": result.performance_return.get_absolute_url(),
        }
        for result in results
    ]
    return {"chart": chart, "rows": rows}
