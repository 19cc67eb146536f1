"""One truth for each contract's overall status: on the demo portfolio, the contract
list (page and CSV), each contract's page, the status filter, the dashboard and the
contract summary PDF all say what is stored, and what is stored is what the rule says
today."""

import csv
import datetime
import io
import re
from collections import Counter

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from contracts.register.choices import ContractStatus, OverallStatus
from contracts.register.models.contracts import Contract
from governance.core.models.base import User
from governance.dashboard.status import verdicts
from tests.governance.reports.test_reports import joined, pdf_pages

NOW = datetime.datetime(2026, 12, 4, 9, 30, tzinfo=datetime.UTC)
LIVE = (ContractStatus.ACTIVE, ContractStatus.IN_EXIT)


@pytest.fixture
def demo(db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(NOW, tick=False):
        # The demo ends with this morning's sweep.
        call_command("seed_demo", stdout=io.StringIO())
        yield {c.reference: c for c in Contract.objects.select_related("overall")}


@pytest.fixture
def smg(client, demo):
    client.force_login(User.objects.get(username="smg"))
    return client


def csv_rows(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_every_surface_gives_the_stored_status(demo, smg):
    with time_machine.travel(NOW, tick=False):
        today = NOW.date()
        stored = {ref: contract.overall_status for ref, contract in demo.items()}
        assert len(stored) >= 10
        # The demo shows a red, an amber and a green contract.
        assert {s.status for s in stored.values()} >= {
            OverallStatus.RED,
            OverallStatus.AMBER,
            OverallStatus.GREEN,
        }, Counter(s.status for s in stored.values())

        # What is stored is what the rule says today.
        fresh = verdicts([c.pk for c in demo.values()], today)
        for ref, contract in demo.items():
            assert fresh[contract.pk].status == stored[ref].status, ref
            assert fresh[contract.pk].reasons == stored[ref].reasons, ref

        # The list and its CSV.
        listed = {
            row["Reference"]: row["Overall status"]
            for row in csv_rows(smg, reverse("contracts:contract_list") + "?export=csv")
        }
        assert listed == {ref: s.get_status_display() for ref, s in stored.items()}

        # The filter, one status at a time.
        for status in OverallStatus:
            url = reverse("contracts:contract_list") + f"?overall={status.value}&export=csv"
            found = {row["Reference"] for row in csv_rows(smg, url)}
            assert found == {ref for ref, s in stored.items() if s.status == status}, status

        # Each contract's page, with its reasons.
        for ref, contract in demo.items():
            html = smg.get(reverse("contracts:contract_detail", args=[contract.pk])).content
            block = (
                re.search(rb'data-testid="overall-status">(.*?)</div>', html, re.S)
                .group(1)
                .decode()
            )
            assert "Overall status: " in block
            assert stored[ref].get_status_display() in block, ref
            for reason in stored[ref].reasons:
                assert reason.replace("'", "&#x27;") in block, (ref, reason)

        # The dashboard's counts of live contracts and its list of those needing attention.
        board = smg.get(reverse("governance:dashboard")).context["board"]
        live = Counter(s.status for ref, s in stored.items() if demo[ref].status in LIVE)
        assert {f.hint: f.count for f in board.totals["by_rag"]} == {
            status.value: live[status] for status in OverallStatus
        }
        for row in board.totals["attention"]:
            assert row.status == stored[row.reference].status
            assert row.reasons == stored[row.reference].reasons

        # The contract summary PDF.
        for ref, contract in demo.items():
            url = reverse("governance:contract_report", args=[contract.pk, "summary"])
            text = joined(pdf_pages(smg.get(url)))
            label = stored[ref].get_status_display()
            assert f"Overall status {label}: {stored[ref].reasons[0]}" in text, ref
