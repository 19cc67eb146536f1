from django.urls import reverse
from django.utils import timezone

from contracts.register.models.contracts import Contract
from contracts.register.tabs import ContractTabs
from governance.core.tables import Column
from governance.core.views.base import (
    ChildFormView,
    ObjectActionView,
    ObjectDetailView,
    ObjectHistoryView,
    ObjectListView,
    ObjectMixin,
    Tab,
    record_tabs,
)
from governance.core.views.records_tab import RecordsTab
from risks import selectors, services
from risks.choices import RiskKind, RiskStatus, ScoreBasis
from risks.filtersets import CELL_FILTERS, RiskFilterSet
from risks.forms import CloseForm, RaiseIssueForm, ReviewForm, RiskForm
from risks.models import Risk, RiskReview, risk_reference


def _basis(request) -> str:
    basis = request.GET.get("basis", "")
    return basis if basis in ScoreBasis.values else ScoreBasis.RESIDUAL


class RiskList(ObjectListView):
    """The risk log: every risk and issue the user may see, filtered, with a heatmap
    of the filtered set."""

    model = Risk
    selector = selectors.risk_list
    filterset_class = RiskFilterSet
    template_name = "risks/risk_list.html"
    create_url_name = "risks:risk_create"
    import_url_name = "risks:risk_import"
    default_sort = "-residual_score"
    title = "Risks and issues"
    empty_message = "No risks or issues match."
    xlsx_export = True
    columns = [
        Column("Reference", "reference", sort="id", link=True),
        Column("Kind", "kind", sort="kind", in_table=False),
        Column("Title", "title", sort="title"),
        Column(
            "Contract",
            lambda r: r.contract.reference if r.contract_id else "Portfolio",
            sort="contract__reference",
        ),
        Column("Category", "category", sort="category", in_table=False),
        Column("Level", "level", sort="level", in_table=False),
        Column("Allocated to", "allocation", sort="allocation", in_table=False),
        Column("Owner", "owner", sort="owner__last_name"),
        Column("Inherent likelihood", "inherent_likelihood", numeric=True, in_table=False),
        Column("Inherent impact", "inherent_impact", numeric=True, in_table=False),
        Column("Inherent score", "inherent_score", numeric=True, in_table=False),
        Column("Inherent band", "inherent_band", in_table=False),
        Column("Residual likelihood", "residual_likelihood", numeric=True, in_table=False),
        Column("Residual impact", "residual_impact", numeric=True, in_table=False),
        Column("Residual score", "residual_score", sort="residual_score", numeric=True),
        Column("Residual band", "residual_band"),
        Column("Target score", "target_score", numeric=True, in_table=False),
        Column("Next review", "next_review_date", sort="next_review_date"),
        Column("Status", "status", sort="status"),
        Column(
            "Raised from",
            lambda r: risk_reference(r.raised_from_id),
            in_table=False,
        ),
        Column("Closed on", "closed_on", in_table=False),
        Column("Closed because", "closed_reason", in_table=False),
        Column("Description", "description", in_table=False),
        Column("Mitigations", "mitigations", in_table=False),
        Column(
            "Why the residual score is higher",
            "residual_above_inherent_reason",
            in_table=False,
        ),
        Column("How often reviewed", "review_frequency", in_table=False),
        Column("Days between reviews", "review_every_days", numeric=True, in_table=False),
    ]

    def get_context_data(self, *, filterset, rows, **kwargs):
        context = super().get_context_data(filterset=filterset, rows=rows, **kwargs)
        basis = _basis(self.request)
        # The heatmap shows the filtered set before a cell is picked, so it stays a map
        # of the whole set with the chosen cell marked.
        query = self.request.GET.copy()
        for name in (*CELL_FILTERS, "page", "export"):
            query.pop(name, None)
        cell_filters = RiskFilterSet(
            query or None, queryset=self.get_queryset(), request=self.request
        )
        mapped = (
            cell_filters.qs
            if cell_filters.is_valid() or not cell_filters.is_bound
            else Risk.objects.none()
        )

        def cell_url(likelihood: int, impact: int) -> str:
            cell = query.copy()
            cell.pop("sort", None)
            cell.setlist("likelihood", [str(likelihood)])
            cell.setlist("impact", [str(impact)])
            cell.setlist("basis", [basis])
            return f"{self.request.path}?{cell.urlencode()}"

        picked = filterset.form.cleaned_data if filterset.is_bound and filterset.is_valid() else {}
        selected = None
        if picked.get("likelihood") and picked.get("impact"):
            selected = (int(picked["likelihood"]), int(picked["impact"]))
        context.update(
            heatmap=selectors.risk_heatmap(
                mapped, basis=basis, cell_url=cell_url, selected=selected
            ),
            basis_urls=_basis_urls(self.request),
        )
        return context


def _basis_urls(request) -> dict[str, str]:
    urls = {}
    for basis in ScoreBasis.values:
        query = request.GET.copy()
        for name in (*CELL_FILTERS, "page"):
            query.pop(name, None)
        query.setlist("basis", [basis])
        urls[basis] = f"{request.path}?{query.urlencode()}"
    return urls


class RiskTabs(ObjectMixin):
    model = Risk
    tabs = record_tabs("risks:risk", Tab("Reviews", "risks:risk_reviews"))

    def prepare_queryset(self, queryset):
        return queryset.select_related(
            "contract", "contract__provider", "owner", "raised_by", "closed_by", "raised_from"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        risk = self.object
        may_change = context["can_change"] and risk.is_open
        context.update(
            object_template="risks/risk_base.html",
            risk=risk,
            may_change=may_change,
            may_review=may_change and self.can("add", RiskReview),
            may_raise_issue=may_change and risk.kind == RiskKind.RISK and self.can("add"),
        )
        return context


class RiskDetail(RiskTabs, ObjectDetailView):
    template_name = "risks/risk_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            issues=self.object.issues.restrict(self.request.user, "view"),
            review_overdue=self.object.review_overdue(timezone.localdate()),
            **kwargs,
        )


class RiskReviews(RiskTabs, ObjectDetailView):
    template_name = "risks/risk_reviews.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(reviews=selectors.risk_reviews(self.object), **kwargs)


class RiskHistory(RiskTabs, ObjectHistoryView):
    pass


class RiskFormView(ChildFormView):
    """Add a risk to the portfolio (no contract in the URL) or to a contract
    (``parent_pk``), or edit one (``pk``)."""

    model = Risk
    parent_model = Contract
    form_class = RiskForm
    create_service = services.risk_create
    update_service = services.risk_update

    def get_title(self):
        if self.editing:
            return f"Edit {self.object_label}"
        if self.parent is not None:
            return f"Add a risk or issue to {self.parent.reference}"
        return "Add a portfolio risk or issue"

    def get_cancel_url(self):
        if self.editing:
            return self.object.get_absolute_url()
        if self.parent is not None:
            return reverse("risks:contract_risks", args=[self.parent.pk])
        return reverse("risks:risk_list")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if not self.editing:
            kwargs["initial"] = {"owner": self.request.user.pk}
        return kwargs


class RiskAction(RiskTabs, ObjectActionView):
    """A step in a risk's life, taken by those who may change it."""

    permission_action = "change"
    object_action = "change"
    object_field = "risk"


class RiskReviewView(RiskAction):
    form_class = ReviewForm
    service = services.risk_review
    title = "Record a review"
    submit_label = "Record the review"
    description = (
        "Record the residual likelihood and impact the review found. They become the "
        "risk's scores, and the next review is set one review period after the review date."
    )
    success_message = "Review recorded."

    def has_permission(self):
        return super().has_permission() and self.can("add", RiskReview)


class RiskCloseView(RiskAction):
    form_class = CloseForm
    service = services.risk_close
    title = "Close the risk"
    submit_label = "Close it"
    warning = True
    success_message = "Closed."


class IssueRaiseView(RiskAction):
    form_class = RaiseIssueForm
    title = "Raise an issue from this risk"
    submit_label = "Raise the issue"
    description = (
        "The risk has happened. The issue is logged on the same contract, category, level "
        "and allocation, and stays linked to this risk."
    )
    success_message = "Issue raised."
    issue = None

    def has_permission(self):
        return super().has_permission() and self.can("add")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "risk": self.object}

    def get_service(self):
        def raise_issue(**kwargs):
            self.issue = services.issue_raise_from_risk(**kwargs)
            return self.issue

        return raise_issue

    def get_success_url(self):
        return self.issue.get_absolute_url()


class ContractRisks(RecordsTab, ContractTabs, ObjectDetailView):
    """A contract's open risks and issues, with their heatmap."""

    template_name = "risks/contract_risks.html"
    records_model = Risk

    def get_context_data(self, **kwargs):
        contract = self.object
        basis = _basis(self.request)
        risks = selectors.contract_risks(self.request.user, contract)
        log_url = reverse("risks:risk_list")

        def cell_url(likelihood: int, impact: int) -> str:
            return (
                f"{log_url}?contract={contract.reference}&status={RiskStatus.OPEN}&basis={basis}"
                f"&likelihood={likelihood}&impact={impact}"
            )

        context = super().get_context_data(
            risks=list(risks),
            heatmap=selectors.risk_heatmap(risks, basis=basis, cell_url=cell_url),
            basis_urls=_basis_urls(self.request),
            log_url=f"{log_url}?contract={contract.reference}",
            **kwargs,
        )
        # can_change: the user is this contract's lead or deputy officer.
        context["can_add"] = context["can_change"] and self.can("add", Risk)
        return context
