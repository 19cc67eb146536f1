"""Every chart in a contract's PDF reports is titled (a KPI's with its name and unit)
and printed with the table of its figures, the same figures the chart draws."""

import io
import os

import pytest
from django.urls import reverse
from pypdf import PdfReader

from governance.reports.contract import quarterly_context, risk_log_context
from governance.reports.pack import pack_context, pack_pdf
from tests.governance.core.chart_figures import assert_rows_in_order

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    if os.environ.get("CHART_PDF_DIR"):  # to look at the pages while changing a chart
        name = response.wsgi_request.path.strip("/").replace("/", "-")
        with open(os.path.join(os.environ["CHART_PDF_DIR"], f"{name}.pdf"), "wb") as out:
            out.write(response.content)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]
    return " ".join(" ".join(pages).split())


def test_the_quarterly_report_names_each_kpi_chart_and_prints_its_figures(contract, people, login):
    period = contract.periods.get(financial_year=2026, quarter=2)
    text = pdf_text(login(people["smg"]).get(reverse("governance:period_report", args=[period.pk])))
    charts = [row["chart"] for row in quarterly_context(people["smg"], period)["kpis"]]
    assert [c for c in charts if c]
    for chart, kpi in zip(charts, contract.kpis.order_by("name"), strict=False):
        if not chart:
            continue
        assert chart.title.startswith(f"{kpi.name} (per cent): results of the last")
        assert chart.x_label == "Quarter" and chart.y_label == "Per cent"
        assert_rows_in_order(text, chart)


def test_the_auditor_pack_prints_every_chart_s_figures(contract, people):
    kpi = contract.kpis.order_by("pk").first()
    kpi.is_key_indicator = True
    kpi.save()
    data = pack_pdf(people["auditor"], contract)
    if os.environ.get("CHART_PDF_DIR"):
        with open(os.path.join(os.environ["CHART_PDF_DIR"], "pack.pdf"), "wb") as out:
            out.write(data)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    text = " ".join(" ".join(pages).split())
    context = pack_context(people["auditor"], contract)
    # The overall status of each quarter: a count of one return, on a 0 and 1 axis.
    rag = context["summary"]["rag_chart"]
    assert rag.headers == ("Quarter", "Red", "Amber", "Green", "Not reported", "Total")
    assert {row[-1] for row in rag.rows} == {"1"}
    assert_rows_in_order(text, rag)
    (trend,) = context["quarters"]["trends"]
    assert trend["chart"].title == f"{kpi.name} (per cent): every reported quarter"
    assert_rows_in_order(text, trend["chart"])
    assert_rows_in_order(text, context["risk_log"]["heatmap_chart"])


def test_the_risk_log_s_heatmap_prints_its_figures(contract, people, login):
    text = pdf_text(
        login(people["auditor"]).get(
            reverse("governance:contract_report", args=[contract.pk, "risk-log"])
        )
    )
    chart = risk_log_context(people["auditor"], contract)["heatmap_chart"]
    assert chart.headers[0] == "Impact" and len(chart.rows) == 5
    assert_rows_in_order(text, chart)
