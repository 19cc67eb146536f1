import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance.core.roles import Role
from risks.choices import Allocation, RiskKind, RiskLevel, RiskStatus
from risks.models import Risk, RiskReview
from risks.selectors import risk_heatmap
from risks.services import risk_close, risk_review
from tests.contracts.register.factories import ContractFactory, OrganisationFactory
from tests.risks.factories import RiskFactory
from tests.view_cases import ModelViewTests, count_queries, form_errors

CSV_HEADER = (
    "Reference",
    "Kind",
    "Title",
    "Contract",
    "Category",
    "Level",
    "Allocated to",
    "Owner",
    "Inherent likelihood",
    "Inherent impact",
    "Inherent score",
    "Inherent band",
    "Residual likelihood",
    "Residual impact",
    "Residual score",
    "Residual band",
    "Target score",
    "Next review",
    "Status",
    "Raised from",
    "Closed on",
    "Closed because",
    "Description",
    "Mitigations",
    "Why the residual score is higher",
    "How often reviewed",
    "Days between reviews",
)


def in_a_month() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=30)


def date_parts(name: str, day: datetime.date) -> dict:
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def risk_form_data(owner, **changes) -> dict:
    return {
        "kind": "risk",
        "title": "Provider loses its safeguarding lead",
        "description": "The only trained safeguarding lead has resigned.",
        "category": "safeguarding",
        "level": "strategic",
        "allocation": "shared",
        "owner": owner.pk,
        "inherent_likelihood": "3",
        "inherent_impact": "5",
        "mitigations": "Interim cover from the partner charity.",
        "residual_likelihood": "2",
        "residual_impact": "5",
        "target_score": "5",
        "review_frequency": "monthly",
        **changes,
    }


class TestRiskViews(ModelViewTests):
    model = Risk
    list_url_name = "risks:risk_list"
    detail_url_name = "risks:risk_detail"
    tab_url_names = ("risks:risk_history", "risks:risk_reviews")
    update_url_name = "risks:risk_update"
    csv_header = CSV_HEADER

    def setup_contract(self):
        if not hasattr(self, "contract"):
            self.contract = ContractFactory(lead_officer=self.writer)
        return self.contract

    def make(self, **kwargs):
        kwargs.setdefault("contract", ContractFactory(lead_officer=self.writer))
        kwargs.setdefault("owner", self.writer)
        return RiskFactory(**kwargs)

    def create_url(self):
        return reverse("risks:contract_risk_create", args=[self.setup_contract().pk])

    def list_text(self, obj):
        return obj.reference

    def out_of_scope(self, make_user):
        provider_user = make_user(role=Role.PROVIDER, organisation=OrganisationFactory())
        return provider_user, self.make(allocation=Allocation.SHARED)

    def create_data(self):
        return risk_form_data(self.writer)

    def update_data(self, obj):
        data = risk_form_data(obj.owner, title="Safeguarding lead post vacant")
        del data["kind"]
        return {**data, **date_parts("next_review_date", in_a_month())}


def listed(client, query="", url=None) -> set[str]:
    page = client.get((url or reverse("risks:risk_list")) + query)
    assert page.status_code == 200
    return set(re.findall(r">([RI]-\d{5})</a>", page.content.decode()))


def heatmap_cells(page: str) -> dict[tuple[int, int], tuple[int, str]]:
    """(likelihood, impact) -> (count, link) as the heatmap shows them."""
    cells = re.findall(
        r'data-likelihood="(\d)" data-impact="(\d)" data-count="(\d+)">\s*<a[^>]*href="([^"]+)"',
        page,
    )
    return {(int(ll), int(im)): (int(n), url.replace("&amp;", "&")) for ll, im, n, url in cells}


@pytest.mark.django_db
class TestRiskPages:
    @pytest.fixture(autouse=True)
    def _people(self, make_user):
        self.manager = make_user(role=Role.CONTRACT_MANAGER)
        self.contract = ContractFactory(lead_officer=self.manager)

    def test_pdm_adds_a_portfolio_risk(self, make_user, login):
        pdm = make_user(role=Role.PDM)
        client = login(pdm)
        page = client.get(reverse("risks:risk_list")).content.decode()
        assert reverse("risks:risk_create") in page
        response = client.post(reverse("risks:risk_create"), risk_form_data(pdm))
        assert response.status_code == 302, form_errors(response)
        risk = Risk.objects.get()
        assert risk.contract is None and risk.raised_by == pdm and risk.residual_score == 10
        assert risk.history.get().history_user == pdm

    def test_provider_users_cannot_add(self, make_user, login):
        provider = make_user(role=Role.PROVIDER, organisation=self.contract.provider)
        client = login(provider)
        assert client.get(reverse("risks:risk_create")).status_code == 403
        url = reverse("risks:contract_risk_create", args=[self.contract.pk])
        assert client.post(url, risk_form_data(self.manager)).status_code == 403
        assert not Risk.objects.exists()

    def test_a_manager_who_is_not_an_officer_cannot_add_or_edit(self, make_user, login):
        risk = RiskFactory(contract=self.contract, owner=self.manager)
        client = login(make_user(role=Role.CONTRACT_MANAGER))
        assert client.get(reverse("risks:risk_detail", args=[risk.pk])).status_code == 200
        add = reverse("risks:contract_risk_create", args=[self.contract.pk])
        assert client.get(add).status_code == 404
        assert client.get(reverse("risks:risk_update", args=[risk.pk])).status_code == 404
        assert client.get(reverse("risks:risk_review", args=[risk.pk])).status_code == 404
        assert client.post(reverse("risks:risk_close", args=[risk.pk]), {}).status_code == 404

    def test_residual_above_inherent_needs_a_reason_on_the_form(self, login):
        client = login(self.manager)
        url = reverse("risks:contract_risk_create", args=[self.contract.pk])
        data = risk_form_data(self.manager, residual_likelihood="5", residual_impact="5")
        response = client.post(url, data)
        assert response.status_code == 400
        assert "The residual score (25) is higher than the inherent score (15)" in (
            response.content.decode()
        )
        assert not Risk.objects.exists()
        data["residual_above_inherent_reason"] = "The mitigating partner has withdrawn."
        assert client.post(url, data).status_code == 302

    def test_review_through_the_page(self, login):
        risk = RiskFactory(contract=self.contract, owner=self.manager)
        client = login(self.manager)
        today = timezone.localdate()
        response = client.post(
            reverse("risks:risk_review", args=[risk.pk]),
            {
                **date_parts("reviewed_on", today),
                "likelihood": "1",
                "impact": "4",
                "notes": "Both posts filled.",
            },
            follow=True,
        )
        assert "Review recorded." in response.content.decode()
        risk.refresh_from_db()
        assert (risk.residual_score, risk.last_reviewed_on) == (4, today)
        reviews = client.get(reverse("risks:risk_reviews", args=[risk.pk])).content.decode()
        assert "Both posts filled." in reviews
        history = client.get(reverse("risks:risk_history", args=[risk.pk])).content.decode()
        assert "residual score 8 to 4" in history

    def test_a_review_in_the_future_is_explained_and_saves_nothing(self, login):
        risk = RiskFactory(contract=self.contract, owner=self.manager)
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        response = login(self.manager).post(
            reverse("risks:risk_review", args=[risk.pk]),
            {**date_parts("reviewed_on", tomorrow), "likelihood": "1", "impact": "1", "notes": "x"},
        )
        assert response.status_code == 400
        assert "The review date cannot be in the future" in response.content.decode()
        assert not RiskReview.objects.exists()

    def test_close_through_the_page_then_nothing_changes(self, login):
        risk = RiskFactory(contract=self.contract, owner=self.manager)
        client = login(self.manager)
        url = reverse("risks:risk_close", args=[risk.pk])
        assert client.post(url, {"reason": ""}).status_code == 400
        response = client.post(url, {"reason": "Contract ended"}, follow=True)
        page = response.content.decode()
        assert "Closed." in page and "Contract ended" in page
        assert reverse("risks:risk_update", args=[risk.pk]) not in page
        risk.refresh_from_db()
        assert risk.status == RiskStatus.CLOSED
        edit = client.post(
            reverse("risks:risk_update", args=[risk.pk]),
            {**TestRiskViews.update_data(None, risk), "change_reason": "Reopen"},
        )
        assert edit.status_code == 400
        assert "can no longer change" in edit.content.decode()

    def test_raise_an_issue_through_the_page(self, login):
        risk = RiskFactory(contract=self.contract, owner=self.manager)
        client = login(self.manager)
        response = client.post(
            reverse("risks:issue_raise", args=[risk.pk]),
            {
                "title": "Caseworkers have left",
                "description": "Both left on 1 March.",
                "impact": "4",
                "owner": self.manager.pk,
            },
        )
        issue = Risk.objects.get(kind=RiskKind.ISSUE)
        assert response.status_code == 302
        assert response["Location"] == issue.get_absolute_url()
        assert issue.raised_from == risk and issue.contract == self.contract
        page = client.get(risk.get_absolute_url()).content.decode()
        assert issue.reference in page
        assert risk.reference in client.get(issue.get_absolute_url()).content.decode()

    def test_auditors_see_no_action_buttons_and_cannot_act(self, make_user, login):
        risk = RiskFactory(contract=self.contract, owner=self.manager)
        client = login(make_user(role=Role.AUDITOR))
        page = client.get(risk.get_absolute_url()).content.decode()
        assert reverse("risks:risk_review", args=[risk.pk]) not in page
        for name in ("risks:risk_review", "risks:risk_close", "risks:issue_raise"):
            assert client.post(reverse(name, args=[risk.pk]), {}).status_code == 403

    def test_filters(self, make_user, login):
        pdm = make_user(role=Role.PDM, first_name="Perpetua", last_name="Quillfeather")
        high = RiskFactory(
            contract=self.contract,
            owner=self.manager,
            residual_likelihood=4,
            residual_impact=4,
            level=RiskLevel.STRATEGIC,
            allocation=Allocation.SHARED,
            title="Finance director resigns",
        )
        low = RiskFactory(
            contract=None,
            owner=pdm,
            residual_likelihood=1,
            residual_impact=2,
            kind=RiskKind.ISSUE,
            next_review_date=timezone.localdate() - datetime.timedelta(days=1),
        )
        closed = RiskFactory(contract=self.contract, owner=self.manager)
        risk_close(risk=closed, actor=self.manager, reason="Gone")
        client = login(make_user(role=Role.SMG))
        everything = {high.reference, low.reference, closed.reference}
        assert listed(client) == everything
        assert listed(client, f"?contract={self.contract.reference}") == {
            high.reference,
            closed.reference,
        }
        assert listed(client, "?contract=null") == {low.reference}
        assert listed(client, "?kind=issue") == {low.reference}
        assert listed(client, "?level=strategic") == {high.reference}
        assert listed(client, "?allocation=shared") == {high.reference}
        # The owner is typed, not picked: every word must be in their name, in any case.
        assert listed(client, "?owner=perpetua+QUILL") == {low.reference}
        assert listed(client, "?owner=perpetua+nobody") == set()
        assert listed(client, "?band=high") == {high.reference}
        assert listed(client, "?band=low") == {low.reference}
        assert listed(client, "?band=high&basis=inherent") == everything
        assert listed(client, "?overdue=true") == {low.reference}
        assert listed(client, "?status=closed") == {closed.reference}
        assert listed(client, "?q=finance+director") == {high.reference}
        assert listed(client, f"?q={low.reference}") == {low.reference}
        assert listed(client, "?likelihood=4&impact=4") == {high.reference}
        assert listed(client, "?likelihood=4&impact=4&basis=inherent") == everything

    def test_the_band_setting_is_honoured(self, make_user, login, settings):
        settings.RISK_BANDS = [
            ("low", "Low", 1, 4),
            ("medium", "Medium", 5, 7),
            ("critical", "Critical", 8, 25),
        ]
        risk = RiskFactory(contract=self.contract)  # residual 2 x 4 = 8
        client = login(make_user(role=Role.AUDITOR))
        page = client.get(risk.get_absolute_url()).content.decode()
        assert "8 Critical" in page
        assert listed(client, "?band=critical") == {risk.reference}
        assert listed(client, "?band=medium") == set()
        listing = client.get(reverse("risks:risk_list")).content.decode()
        assert '<option value="critical">Critical</option>' in listing
        assert '<td class="govuk-table__cell">Critical</td>' in listing

    def test_heatmap_counts_and_links(self, make_user, login):
        for _ in range(2):
            RiskFactory(contract=self.contract, residual_likelihood=2, residual_impact=4)
        RiskFactory(
            contract=self.contract,
            inherent_likelihood=5,
            inherent_impact=5,
            residual_likelihood=5,
            residual_impact=5,
        )
        RiskFactory(contract=ContractFactory(), residual_likelihood=1, residual_impact=1)
        client = login(make_user(role=Role.AUDITOR))
        page = client.get(reverse("risks:risk_list") + f"?contract={self.contract.reference}")
        cells = heatmap_cells(page.content.decode())
        assert len(cells) == 25
        assert cells[(2, 4)][0] == 2 and cells[(5, 5)][0] == 1
        assert sum(count for count, _ in cells.values()) == 3
        link = cells[(2, 4)][1]
        assert f"contract={self.contract.reference}" in link and "likelihood=2" in link
        followed = client.get(link).content.decode()
        assert len(re.findall(r">R-\d{5}</a>", followed)) == 2
        # The map stays whole with the chosen cell marked.
        assert heatmap_cells(followed)[(5, 5)][0] == 1
        assert heatmap_cells(followed)[(1, 1)][0] == 0
        assert 'aria-current="true"' in followed

    def test_the_heatmap_is_one_aggregate_query(self):
        for likelihood in range(1, 5):
            RiskFactory(contract=self.contract, residual_likelihood=likelihood)
        with CaptureQueriesContext(connection) as queries:
            heatmap = risk_heatmap(
                Risk.objects.all(), basis="residual", cell_url=lambda ll, im: f"{ll}/{im}"
            )
        assert len(queries) == 1
        assert heatmap.total == 4
        assert [row.impact for row in heatmap.rows] == [5, 4, 3, 2, 1]
        four = heatmap.rows[1].cells
        assert [cell.count for cell in four] == [1, 1, 1, 1, 0]
        assert four[3].url == "4/4" and four[3].band.code == "high"

    def test_csv_holds_plain_scores_and_bands(self, make_user, login):
        risk = RiskFactory(contract=self.contract)
        export = login(make_user(role=Role.AUDITOR)).get(reverse("risks:risk_list") + "?export=csv")
        rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode())))
        assert rows == [
            {
                **rows[0],
                "Reference": risk.reference,
                "Contract": self.contract.reference,
                "Inherent score": "16",
                "Inherent band": "High",
                "Residual score": "8",
                "Residual band": "Medium",
                "Next review": "2027-06-30",
                "Status": "Open",
            }
        ]

    def test_heatmap_toggles_to_inherent_scores(self, make_user, login):
        RiskFactory(contract=self.contract)  # inherent 4x4, residual 2x4
        client = login(make_user(role=Role.AUDITOR))
        residual = client.get(reverse("risks:risk_list")).content.decode()
        assert heatmap_cells(residual)[(2, 4)][0] == 1
        assert "Show inherent scores" in residual
        inherent = client.get(reverse("risks:risk_list") + "?basis=inherent").content.decode()
        cells = heatmap_cells(inherent)
        assert cells[(4, 4)][0] == 1 and cells[(2, 4)][0] == 0
        assert "basis=inherent" in cells[(4, 4)][1]
        assert len(re.findall(r">R-\d{5}</a>", client.get(cells[(4, 4)][1]).content.decode())) == 1

    def test_contract_tab_shows_open_risks_and_their_heatmap(self, make_user, login):
        open_risk = RiskFactory(contract=self.contract, residual_likelihood=3, residual_impact=3)
        closed = RiskFactory(contract=self.contract)
        risk_close(risk=closed, actor=self.manager, reason="Gone")
        other = RiskFactory(contract=ContractFactory())
        client = login(self.manager)
        url = reverse("risks:contract_risks", args=[self.contract.pk])
        page = client.get(url).content.decode()
        assert open_risk.reference in page
        assert closed.reference not in page and other.reference not in page
        assert reverse("risks:contract_risk_create", args=[self.contract.pk]) in page
        cells = heatmap_cells(page)
        assert cells[(3, 3)][0] == 1 and sum(n for n, _ in cells.values()) == 1
        assert listed(client, "", cells[(3, 3)][1]) == {open_risk.reference}
        contract_page = client.get(self.contract.get_absolute_url()).content.decode()
        assert url in contract_page  # the Risks tab

    def test_contract_tab_queries_do_not_grow(self, login):
        client = login(self.manager)
        url = reverse("risks:contract_risks", args=[self.contract.pk])
        for _ in range(3):
            RiskFactory(contract=self.contract)
        few = count_queries(client, url)
        for likelihood in range(1, 6):
            for _ in range(6):
                RiskFactory(
                    contract=self.contract, residual_likelihood=likelihood, residual_impact=3
                )
        assert count_queries(client, url) == few

    def test_list_with_heatmap_queries_do_not_grow_tenfold(self, make_user, login):
        client = login(make_user(role=Role.PDM))
        url = reverse("risks:risk_list") + "?basis=inherent&status=open"
        for _ in range(3):
            RiskFactory()
        few = count_queries(client, url)
        for _ in range(27):
            RiskFactory(inherent_likelihood=5)
        assert count_queries(client, url) == few


@pytest.mark.django_db
class TestProviderView:
    """A provider's staff see the shared risks of their own organisation's contracts
    and nothing else of the log."""

    @pytest.fixture(autouse=True)
    def _log(self, make_user):
        self.officer = make_user(role=Role.CONTRACT_MANAGER)
        self.own = ContractFactory(lead_officer=self.officer)
        self.user = make_user(role=Role.PROVIDER, organisation=self.own.provider)
        self.shared = RiskFactory(contract=self.own, allocation=Allocation.SHARED)
        self.ours = RiskFactory(contract=self.own, allocation=Allocation.COMMISSIONER)
        self.theirs = RiskFactory(contract=self.own, allocation=Allocation.PROVIDER)
        self.elsewhere = RiskFactory(contract=ContractFactory(), allocation=Allocation.SHARED)
        self.portfolio = RiskFactory(contract=None, allocation=Allocation.SHARED)

    def test_list_and_csv_hold_only_shared_risks_of_their_contracts(self, login):
        client = login(self.user)
        assert listed(client) == {self.shared.reference}
        export = client.get(reverse("risks:risk_list") + "?export=csv")
        rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
        assert [row[0] for row in rows[1:]] == [self.shared.reference]

    def test_other_risks_are_not_found(self, login):
        client = login(self.user)
        assert client.get(self.shared.get_absolute_url()).status_code == 200
        for hidden in (self.ours, self.theirs, self.elsewhere, self.portfolio):
            for name in ("risks:risk_detail", "risks:risk_reviews", "risks:risk_history"):
                assert client.get(reverse(name, args=[hidden.pk])).status_code == 404

    def test_heatmap_counts_only_what_they_see(self, login):
        page = login(self.user).get(reverse("risks:risk_list")).content.decode()
        assert sum(n for n, _ in heatmap_cells(page).values()) == 1

    def test_contract_tab_shows_only_shared_risks(self, login):
        client = login(self.user)
        page = client.get(reverse("risks:contract_risks", args=[self.own.pk])).content.decode()
        assert self.shared.reference in page
        assert self.ours.reference not in page and self.theirs.reference not in page
        assert reverse("risks:contract_risk_create", args=[self.own.pk]) not in page
        other = reverse("risks:contract_risks", args=[self.elsewhere.contract_id])
        assert client.get(other).status_code == 404

    def test_they_change_nothing(self, login):
        client = login(self.user)
        for name in ("risks:risk_update", "risks:risk_review", "risks:risk_close"):
            assert client.post(reverse(name, args=[self.shared.pk]), {}).status_code == 403
        self.shared.refresh_from_db()
        assert self.shared.status == RiskStatus.OPEN

    def test_reviews_of_shared_risks_are_visible(self, login):
        risk_review(
            risk=self.shared,
            actor=self.officer,
            reviewed_on=timezone.localdate(),
            likelihood=1,
            impact=4,
            notes="Checked with the provider.",
        )
        page = login(self.user).get(reverse("risks:risk_reviews", args=[self.shared.pk]))
        assert "Checked with the provider." in page.content.decode()
