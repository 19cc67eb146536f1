"""The SMG dashboard: figures, the stored overall status with its reasons, links that
open the filtered list behind each figure, a contract manager's own view, and a query
count that does not grow with the portfolio."""

import datetime
import io
import re
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from contracts.register.models.contracts import Contract
from governance.core import kept
from governance.core.charts import bar_chart, heatmap_chart, rag_stack_chart
from governance.core.roles import Role
from governance.dashboard import panels
from risks.models import Risk
from tests.contracts.exit.exit_factories import ExitNoticeFactory
from tests.contracts.register.factories import ContractFactory
from tests.governance.reports.report_fixtures import NOW, TODAY, build_portfolio
from tests.risks.factories import RiskFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def officers(make_user):
    return (
        make_user(role=Role.CONTRACT_MANAGER, username="morgan"),
        make_user(role=Role.CONTRACT_MANAGER, username="dana"),
    )


def listed_references(client, url) -> set[str]:
    """The contract references a list page shows for ``url``."""
    response = client.get(url)
    assert response.status_code == 200, url
    return {row[0] for row in _csv_rows(client, url)}


def _csv_rows(client, url):
    joiner = "&" if "?" in url else "?"
    response = client.get(f"{url}{joiner}export=csv")
    lines = b"".join(response.streaming_content).decode().splitlines()
    return [line.split(",") for line in lines[1:]]


class TestDashboard:
    def test_figures_for_smg(self, frozen, officers, make_user, login):
        build_portfolio(6, officer=officers[0], other_officer=officers[1])
        ContractFactory(status="ended")
        client = login(make_user(role=Role.SMG))
        response = client.get(reverse("governance:dashboard"))
        assert response.status_code == 200
        board = response.context["board"]
        assert board.scope == "all"
        totals = board.totals
        assert totals["live"] == 6 and totals["contracts"] == 7
        assert totals["annual_value"] == Decimal(600000)
        assert totals["total_value"] == Decimal(1800000)
        by_rag = {figure.hint: figure.count for figure in totals["by_rag"]}
        assert by_rag == {"red": 2, "amber": 2, "green": 2, "not_reported": 0}
        assert {f.label: f.count for f in totals["by_status"]}["Ended"] == 1
        assert [f.count for f in totals["by_tier"]] == [2, 2, 2]
        assert board.panels["kpis_red"]["count"] == 2
        assert board.panels["kpis_red"]["quarter"] == "Q2 2026-27"
        overdue = {f.label: f.count for f in board.panels["overdue"]["figures"]}
        assert overdue == {
            "Performance returns overdue": 2,
            "Financial returns overdue": 0,
            "Actions overdue": 6,
        }
        assert board.panels["risks"]["heatmap"].total == 6
        checklist = {f.label: f.count for f in board.panels["checklist"]["figures"]}
        assert checklist["Evidence expiring within 90 days"] == 6
        html = response.content.decode()
        assert "Q2 2026-27 performance return: Red" in html
        assert 'data-testid="heatmap"' in html and "<svg" in html

    def test_contracts_needing_attention_are_red_first_then_largest(
        self, frozen, officers, make_user, login
    ):
        contracts = build_portfolio(6, officer=officers[0], other_officer=officers[1])
        red, amber = (contracts[0], contracts[3]), (contracts[1], contracts[4])
        for contract, annual in zip((*red, *amber), (100, 900, 500, 700), strict=True):
            Contract.objects.filter(pk=contract.pk).update(annual_value=Decimal(annual))
        client = login(make_user(role=Role.SMG))
        totals = client.get(reverse("governance:dashboard")).context["board"].totals
        assert [row.reference for row in totals["attention"]] == [
            red[1].reference,
            red[0].reference,
            amber[1].reference,
            amber[0].reference,
        ]
        assert [row.label for row in totals["attention"]] == ["Red", "Red", "Amber", "Amber"]
        assert all(row.reasons for row in totals["attention"])
        assert totals["attention_total"] == 4
        assert totals["annual_value"] == Decimal(100 + 900 + 500 + 700 + 2 * 100000)

    def test_every_figure_opens_the_list_behind_it(self, frozen, officers, make_user, login):
        contracts = build_portfolio(6, officer=officers[0], other_officer=officers[1])
        client = login(make_user(role=Role.SMG))
        board = client.get(reverse("governance:dashboard")).context["board"]
        red = {figure.hint: figure for figure in board.totals["by_rag"]}["red"]
        assert listed_references(client, red.url) == {
            contracts[0].reference,
            contracts[3].reference,
        }
        amber = {figure.hint: figure for figure in board.totals["by_rag"]}["amber"]
        assert listed_references(client, amber.url) == {
            contracts[1].reference,
            contracts[4].reference,
        }
        gold = board.totals["by_tier"][0]
        assert len(listed_references(client, gold.url)) == gold.count
        # Red KPIs: the returns holding them.
        response = client.get(board.panels["kpis_red"]["url"])
        assert response.context["page"].paginator.count == 2
        for figure in board.panels["overdue"]["figures"]:
            response = client.get(figure.url)
            assert response.context["page"].paginator.count == figure.count, figure.label
        for figure in board.panels["checklist"]["figures"]:
            response = client.get(figure.url)
            assert response.context["page"].paginator.count == figure.count, figure.label
        # A heatmap cell lists exactly its risks.
        heatmap = board.panels["risks"]["heatmap"]
        cell = next(c for row in heatmap.rows for c in row.cells if c.count)
        assert "likelihood=" in cell.url
        response = client.get(cell.url)
        assert response.context["page"].paginator.count == cell.count

    def test_exit_dispute_and_health_check_panels(self, frozen, officers, make_user, login):
        from tests.disputes.factories import DisputeFactory

        ending = ContractFactory(
            reference="NPCC-END",
            lead_officer=officers[0],
            initial_end_date=datetime.date(2027, 9, 30),  # notice due by 31 March 2027
            is_strategic_partnership=True,
        )
        ContractFactory(
            lead_officer=officers[0], initial_end_date=datetime.date(2028, 12, 31)
        )  # notice due mid-2028: not yet
        DisputeFactory(contract=ending)
        client = login(make_user(role=Role.SMG))
        response = client.get(reverse("governance:dashboard"))
        board = response.context["board"]
        assert board.missing == []
        exits = board.panels["exit"]
        assert exits["count"] == 1 and exits["waiting"] == 1
        assert [c.reference for c in exits["rows"]] == ["NPCC-END"]
        assert client.get(exits["url"]).context["page"].paginator.count == 1
        disputes = board.panels["disputes"]
        assert disputes["count"] == 1
        assert client.get(disputes["url"]).context["page"].paginator.count == 1
        stage_bars = {label: count for label, count, _url in disputes["bars"]}
        assert sum(stage_bars.values()) == 1
        health = board.panels["health"]
        assert [row.contract.reference for row in health["rows"]] == ["NPCC-END"]
        html = response.content.decode()
        assert "Open disputes" in html
        assert "Exit-notice deadlines missed or in the next 9 months" in html

    def test_a_contract_managers_dispute_links_open_only_their_disputes(
        self, frozen, officers, login
    ):
        from tests.disputes.factories import DisputeFactory

        morgan, dana = officers
        DisputeFactory(contract=ContractFactory(lead_officer=morgan))
        DisputeFactory(contract=ContractFactory(lead_officer=dana))
        client = login(morgan)
        disputes = client.get(reverse("governance:dashboard")).context["board"].panels["disputes"]
        assert disputes["count"] == 1
        assert client.get(disputes["url"]).context["page"].paginator.count == 1
        for _label, count, bar_url in disputes["bars"]:
            assert client.get(bar_url).context["page"].paginator.count == count

    def test_a_contract_manager_sees_their_own_contracts_first(self, frozen, officers, login):
        morgan, dana = officers
        contracts = build_portfolio(6, officer=morgan, other_officer=dana)
        client = login(morgan)
        response = client.get(reverse("governance:dashboard"))
        board = response.context["board"]
        assert board.scope == "mine"
        assert board.totals["live"] == 3
        assert "Show the whole portfolio" in response.content.decode()
        red = {figure.hint: figure for figure in board.totals["by_rag"]}["red"]
        assert parse_qs(urlsplit(red.url).query)["officer"] == [str(morgan.pk)]
        assert listed_references(client, red.url) == {contracts[0].reference}
        overdue = {f.label: f for f in board.panels["overdue"]["figures"]}
        actions = overdue["Actions overdue"]
        assert actions.count == 3
        assert client.get(actions.url).context["page"].paginator.count == 3
        everything = client.get(reverse("governance:dashboard") + "?scope=all")
        assert everything.context["board"].totals["live"] == 6

    def test_oversight_roles_cannot_narrow_to_their_own(self, frozen, officers, make_user, login):
        build_portfolio(3, officer=officers[0], other_officer=officers[1])
        client = login(make_user(role=Role.PDM))
        board = client.get(reverse("governance:dashboard") + "?scope=mine").context["board"]
        assert board.scope == "all" and board.totals["live"] == 3

    def test_provider_users_are_refused(self, frozen, officers, make_user, login):
        # The dashboard rolls up disputes and internal risks: the commissioner's view.
        contracts = build_portfolio(3, officer=officers[0], other_officer=officers[1])
        client = login(make_user(role=Role.PROVIDER, organisation=contracts[0].provider))
        assert client.get(reverse("governance:dashboard")).status_code == 403
        assert client.get(reverse("governance:portfolio_report")).status_code == 403

    def test_anonymous_is_sent_to_sign_in_and_no_role_is_refused(self, client, make_user, login):
        response = client.get(reverse("governance:dashboard"))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        assert login(make_user()).get(reverse("governance:dashboard")).status_code == 403

    def test_query_count_does_not_grow_with_the_portfolio(self, frozen, officers, make_user, login):
        smg = make_user(role=Role.SMG)
        client = login(smg)
        build_portfolio(2, officer=officers[0], other_officer=officers[1])
        client.get(reverse("governance:dashboard"))
        # Each measured request builds the dashboard afresh, roles and permissions included
        # (the new officers of a larger portfolio change who holds which role).
        kept.invalidate_access()
        with CaptureQueriesContext(connection) as small:
            client.get(reverse("governance:dashboard"))
        build_portfolio(18, officer=officers[0], other_officer=officers[1])
        kept.invalidate_access()
        with CaptureQueriesContext(connection) as large:
            response = client.get(reverse("governance:dashboard"))
        assert response.context["board"].totals["live"] == 20
        assert len(large) == len(small)
        # The contract manager's own view too.
        mine = login(officers[0])
        kept.invalidate_access()
        with CaptureQueriesContext(connection) as own:
            mine.get(reverse("governance:dashboard"))
        build_portfolio(2, officer=officers[0], other_officer=officers[1])
        kept.invalidate_access()
        with CaptureQueriesContext(connection) as own_more:
            mine.get(reverse("governance:dashboard"))
        assert len(own) == len(own_more)

    def test_the_portfolio_report_pdf(self, frozen, officers, make_user, login):
        build_portfolio(3, officer=officers[0], other_officer=officers[1])
        smg = make_user(role=Role.SMG, first_name="Sandra", last_name="Grey")
        response = login(smg).get(reverse("governance:portfolio_report"))
        assert response["Content-Type"] == "application/pdf"
        pages = [p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages]
        text = "\n".join(pages)
        assert "Portfolio report" in text
        assert "Overall status of live contracts" in text
        assert "KPIs red in Q2 2026-27" in text
        for number, page in enumerate(pages, start=1):
            assert f"Portfolio report {TODAY.isoformat()}" in page
            assert "generated by Sandra Grey" in page
            assert f"Page {number} of {len(pages)}" in page


class TestCharts:
    def test_bars_link_and_describe(self):
        svg = bar_chart(
            [("Stage 1", 2, "/x?stage=1"), ("Stage 2", 0)],
            title="Open disputes",
            x_label="Open disputes",
            y_label="Stage",
        )
        assert '<a href="/x?stage=1" aria-label="Stage 1: 2">' in svg and 'role="group"' in svg
        assert "Stage 1: 2; Stage 2: 0." in svg

    def test_rag_stack_describes_every_quarter(self):
        svg = rag_stack_chart(
            [("Q1 2026-27", {"red": 1, "green": 3}), ("Q2 2026-27", {})],
            title="RAG",
            x_label="Quarter",
            y_label="Returns",
        )
        assert "Q1 2026-27: 1 red, 3 green; Q2 2026-27: none." in svg

    def test_an_empty_rag_chart_says_so(self):
        assert "No values to show yet" in rag_stack_chart(
            [], title="RAG", x_label="Quarter", y_label="Returns"
        )

    def test_heatmap_cells_link_to_their_risks(self, frozen):
        from risks.selectors import risk_heatmap

        RiskFactory(residual_likelihood=2, residual_impact=4)
        heatmap = risk_heatmap(
            Risk.objects.all(), basis="residual", cell_url=lambda li, im: f"/risks/?l={li}&i={im}"
        )
        svg = heatmap_chart(heatmap)
        assert '<a href="/risks/?l=2&amp;i=4" aria-label="Likelihood 2, impact 4: 1">' in svg
        assert "likelihood 2, impact 4: 1 (Medium)" in svg


def test_quarters_back_crosses_the_financial_year():
    assert panels.quarters_back(2026, 2, 3) == [(2025, 4), (2026, 1), (2026, 2)]
    assert panels.last_finished_quarter(datetime.date(2026, 4, 2)) == (2025, 4)


def page_count(client, url) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    if "page" not in response.context:  # the annual health checks due
        return len(response.context["rows"])
    return response.context["page"].paginator.count


def assert_groups_open_their_lists(client, panel):
    for group in panel["groups"]:
        if group.url:
            assert page_count(client, group.url) == group.count, group.label


class TestDeadlinePanels:
    """Missed deadlines first under their own heading; every count matches the list its
    link opens."""

    @pytest.fixture
    def exits(self, officers):
        lead = officers[0]
        ends = {
            # Notice deadline six months before: 30 September, 30 October, 15 November.
            "missed": [D(2027, 3, 31), D(2027, 4, 30), D(2027, 5, 15)],
            # 20 November (today) and 31 January: within three months.
            "due": [D(2027, 5, 20), D(2027, 7, 31)],
            "upcoming": [
                D(2027, 9, 30),
                D(2027, 10, 31),
                D(2027, 11, 30),
                D(2027, 12, 31),
                D(2028, 1, 31),
            ],
        }
        made = {
            state: [
                ContractFactory(
                    reference=f"NPCC-{state.upper()}-{n}",
                    lead_officer=lead,
                    initial_end_date=end,
                )
                for n, end in enumerate(dates)
            ]
            for state, dates in ends.items()
        }
        noticed = ContractFactory(
            reference="NPCC-NOTICED", lead_officer=lead, initial_end_date=D(2027, 4, 15)
        )
        ExitNoticeFactory(contract=noticed, sent_on=D(2026, 9, 1))
        # Notice due 30 December 2027: beyond the nine months.
        ContractFactory(lead_officer=lead, initial_end_date=D(2028, 6, 30))
        return made

    def test_the_exit_panel_lists_missed_first_and_says_how_many_it_shows(
        self, frozen, exits, make_user, login
    ):
        client = login(make_user(role=Role.SMG))
        response = client.get(reverse("governance:dashboard"))
        panel = response.context["board"].panels["exit"]
        assert panel["count"] == 11 and len(panel["rows"]) == 10
        assert [c.reference for c in panel["rows"][:3]] == [
            "NPCC-MISSED-0",
            "NPCC-MISSED-1",
            "NPCC-MISSED-2",
        ]
        assert [(g.label, g.count, len(g.rows)) for g in panel["groups"]] == [
            ("Missed", 3, 3),
            ("Due soon", 2, 2),
            ("Coming up", 5, 5),
            ("Notice recorded", 1, 0),
        ]
        assert page_count(client, panel["url"]) == 11
        assert_groups_open_their_lists(client, panel)
        html = response.content.decode()
        assert "Showing 10 of 11" in html
        section = html[html.index("Exit-notice deadlines") :]
        missed = section.index('data-testid="exit-missed"')
        assert missed < section.index('data-testid="exit-due"')
        assert section.index('data-testid="exit-due"') < section.index(
            'data-testid="exit-upcoming"'
        )
        # The first row: its date and a red tag saying the deadline was missed.
        first_row = section[missed : section.index('data-testid="exit-due"')]
        assert "30 September 2026" in first_row
        assert 'govuk-tag--red app-deadline__tag">Missed 51 days ago</strong>' in first_row
        assert "Due today" in section and "Due in 72 days" in section
        # The portfolio report says the same in words.
        report = client.get(reverse("governance:portfolio_report"))
        pages = PdfReader(io.BytesIO(report.content)).pages
        text = " ".join(" ".join(page.extract_text().split()) for page in pages)
        assert "Showing 10 of 11, missed deadlines first." in text
        assert "Missed 51 days ago (30 September 2026)" in text

    def test_a_contract_managers_exit_panel_opens_their_own_list(
        self, frozen, exits, officers, login
    ):
        ContractFactory(lead_officer=officers[1], initial_end_date=D(2027, 3, 31))
        client = login(officers[0])
        panel = client.get(reverse("governance:dashboard")).context["board"].panels["exit"]
        assert panel["count"] == 11
        assert page_count(client, panel["url"]) == 11
        assert_groups_open_their_lists(client, panel)

    def test_dispute_deadlines_missed_first(self, frozen, officers, make_user, login):
        from disputes.choices import Stage
        from tests.disputes.factories import DisputeFactory

        def dispute(title, **kwargs):
            contract = ContractFactory(lead_officer=officers[0])
            return DisputeFactory(title=title, contract=contract, **kwargs)

        dispute("No deadline")
        dispute("Meeting later", stage=Stage.STAGE_2, meeting_deadline=D(2026, 12, 15))
        dispute("Meeting due", stage=Stage.STAGE_2, meeting_deadline=D(2026, 11, 25))
        dispute("Meeting missed", stage=Stage.STAGE_2, meeting_deadline=D(2026, 11, 10))
        client = login(make_user(role=Role.SMG))
        response = client.get(reverse("governance:dashboard"))
        panel = response.context["board"].panels["disputes"]
        assert [d.title for d in panel["rows"]] == [
            "Meeting missed",
            "Meeting due",
            "Meeting later",
            "No deadline",
        ]
        assert [(g.label, g.count) for g in panel["groups"]] == [
            ("Missed", 1),
            ("Due soon", 1),  # Wednesday 25th: the third business day
            ("Coming up", 1),
            ("No deadline set", 1),
        ]
        assert page_count(client, panel["url"]) == 4
        assert_groups_open_their_lists(client, panel)
        html = response.content.decode()
        assert "Showing all 4" in html
        assert html.index("Missed 10 days ago") < html.index("Due in 5 days")

    def test_checklist_and_health_check_panels_group_by_state(
        self, frozen, officers, make_user, login
    ):
        from contracts.assurance.models.slas import ChecklistItem

        contract = ContractFactory(
            lead_officer=officers[0],
            is_strategic_partnership=True,
            start_date=D(2025, 10, 1),  # first annual health check due 1 October 2026
        )
        for number, expires in enumerate([D(2026, 11, 1), D(2026, 12, 1), D(2027, 1, 10)]):
            ChecklistItem.objects.create(
                contract=contract,
                title=f"Certificate {number}",
                status="verified",
                verified_on=D(2025, 12, 1),
                verified_by=officers[0],
                expires_on=expires,
            )
        client = login(make_user(role=Role.SMG))
        response = client.get(reverse("governance:dashboard"))
        panels_ = response.context["board"].panels
        checklist = panels_["checklist"]
        assert checklist["count"] == 3
        assert [(g.label, g.count) for g in checklist["groups"]] == [
            ("Expired", 1),
            ("Expiring within 90 days", 2),
        ]
        assert_groups_open_their_lists(client, checklist)
        assert page_count(client, checklist["url"]) == 3
        health = panels_["health"]
        assert [(g.label, g.count) for g in health["groups"]] == [("Overdue", 1)]
        assert page_count(client, health["url"]) == health["count"] == 1
        assert_groups_open_their_lists(client, health)
        html = response.content.decode()
        assert "Missed 19 days ago" in html  # evidence expired on 1 November
        assert "Missed 50 days ago" in html  # the health check due on 1 October


def test_the_heatmap_has_a_legend_of_its_bands_and_a_table_of_its_counts(frozen):
    from risks.selectors import risk_heatmap

    RiskFactory(residual_likelihood=2, residual_impact=4)
    heatmap = risk_heatmap(Risk.objects.all(), basis="residual", cell_url=lambda li, im: "")
    chart = heatmap_chart(heatmap, title="Open risks")
    legend = re.findall(r'class="chart-legend">([^<]+)<', chart)
    assert legend == ["Low", "Medium", "High", "Very high"]
    assert ">Open risks</text>" in chart and chart.title == "Open risks"
    assert chart.headers[0] == "Impact" and chart.headers[1] == "Likelihood 1 Rare"
    assert chart.rows[1] == ("4 Major", "0", "1", "0", "0", "0")
    assert sum(int(n) for row in chart.rows for n in row[1:]) == heatmap.total == 1


def test_figures_read_with_sql_written_before_equal_those_written_afresh(
    frozen, officers, make_user
):
    """The dashboard writes each read's SQL once for a user, scope and day: built again
    after records change, it reads them afresh, exactly as a build writing its SQL anew;
    users who see different contracts, and the next day, get SQL of their own."""
    from governance.core.compiled import forget_reused_sql

    build_portfolio(3, officer=officers[0], other_officer=officers[1])
    staff = make_user(role=Role.PROVIDER, organisation=Contract.objects.first().provider)
    views = ((make_user(role=Role.SMG), "all"), (staff, "all"), (officers[0], "mine"))
    first = [panels.build(user, scope=scope, today=TODAY) for user, scope in views]
    build_portfolio(4, officer=officers[0], other_officer=officers[1])
    for day in (TODAY, TODAY + datetime.timedelta(days=1)):
        again = [panels.build(user, scope=scope, today=day) for user, scope in views]
        forget_reused_sql()
        anew = [panels.build(user, scope=scope, today=day) for user, scope in views]
        assert again == anew
    boards = [panels.build(user, scope=scope, today=TODAY) for user, scope in views]
    assert [board.totals["live"] for board in boards] == [7, 1, 4]
    assert boards[0].panels["kpis_red"]["count"] > first[0].panels["kpis_red"]["count"]
