"""The dashboard's charts, on the page and in its PDF: each titled, with its axes named
and the table of its figures beside it (on the page behind "Show the figures")."""

import io
import os

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from governance.core.roles import Role
from tests.contracts.register.factories import ContractFactory
from tests.governance.core.chart_figures import assert_page_shows_figures, assert_rows_in_order
from tests.governance.reports.report_fixtures import NOW, build_portfolio
from tests.risks.factories import RiskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(make_user):
    """A portfolio with a red, amber and green quarter, risks and an open dispute."""
    from tests.disputes.factories import DisputeFactory

    with time_machine.travel(NOW, tick=False):
        officer = make_user(role=Role.CONTRACT_MANAGER, username="morgan")
        other = make_user(role=Role.CONTRACT_MANAGER, username="dana")
        contracts = build_portfolio(3, officer=officer, other_officer=other)
        RiskFactory(contract=contracts[0], residual_likelihood=2, residual_impact=4)
        DisputeFactory(contract=ContractFactory(lead_officer=officer))
        yield make_user(role=Role.SMG, first_name="Sandra", last_name="Grey")


def test_the_dashboard_shows_each_chart_with_its_figures(board, login):
    with time_machine.travel(NOW, tick=False):
        response = login(board).get(reverse("governance:dashboard"))
    page = response.content.decode()
    panels = response.context["board"].panels
    quarters = panels["rag_quarters"]["chart"]
    assert quarters.x_label == "Quarter" and quarters.y_label == "Performance returns"
    assert_page_shows_figures(page, "rag-quarters-chart", quarters)
    # The counts are whole: the quarters' totals are the returns counted.
    assert [int(row[-1]) for row in quarters.rows] == [
        sum(counts.values()) for _, counts in panels["rag_quarters"]["columns"]
    ]
    assert_page_shows_figures(page, "heatmap", panels["risks"]["chart"])
    disputes = panels["disputes"]["chart"]
    assert disputes.rows == tuple(
        (label, str(count)) for label, count, _ in panels["disputes"]["bars"]
    )
    assert_page_shows_figures(page, "disputes-chart", disputes)
    # Each chart's title and its axes' names are drawn in it.
    for chart in (quarters, disputes):
        for words in (chart.title, chart.x_label, chart.y_label):
            assert f">{words}</text>" in chart


def test_the_portfolio_report_prints_each_chart_s_figures(board, login):
    with time_machine.travel(NOW, tick=False):
        client = login(board)
        panels = client.get(reverse("governance:dashboard")).context["board"].panels
        response = client.get(reverse("governance:portfolio_report"))
    assert response["Content-Type"] == "application/pdf"
    if os.environ.get("CHART_PDF_DIR"):  # to look at the pages while changing a chart
        with open(os.path.join(os.environ["CHART_PDF_DIR"], "portfolio.pdf"), "wb") as out:
            out.write(response.content)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]
    text = " ".join(" ".join(pages).split())
    for panel in ("rag_quarters", "risks", "disputes"):
        assert_rows_in_order(text, panels[panel]["chart"])
