"""The export benchmark, run tiny: it adds risks for the run only, builds the risk log
as a background export and prints what it measured."""

import io

import pytest
from django.core.management import call_command

from governance.core.models.exports import ExportJob
from risks.models import Risk


@pytest.mark.django_db
def test_benchmark_exports_measures_and_leaves_nothing_behind(tmp_path):
    pdf = tmp_path / "risk-log.pdf"
    out = io.StringIO()
    call_command("benchmark_exports", rows=60, immediate=True, output=str(pdf), stdout=out)
    text = out.getvalue()
    assert "Added 60 risks" in text
    assert "PDF of 60 rows, 3 pages" in text  # a first page, then 44 rows a page
    assert "peak" in text and "Goals: at most 60 s" in text
    for sent_at_once in ("CSV", "PDF", "XLSX"):
        assert f"Sent at once: {sent_at_once} of" in text
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert "The risks added were removed again." in text
    assert not Risk.objects.exists() and not ExportJob.objects.exists()


@pytest.mark.django_db
def test_benchmark_exports_can_keep_the_risks():
    call_command("benchmark_exports", rows=5, fmt="csv", keep=True, stdout=io.StringIO())
    assert Risk.objects.count() == 5
