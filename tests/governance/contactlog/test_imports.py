"""The contact log from a spreadsheet: the import pages, rows checked by the same
service as the contact form, and the round trip from the log's own export back into an
empty log."""

import csv
import datetime
import html
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from contracts.exit.models import ExitNotice
from disputes.models import Dispute, DisputeEndorsement, DisputeEvent
from governance.contactlog.imports import ContactLogImporter
from governance.contactlog.models import ContactLogEntry
from governance.core.models.base import User
from governance.core.roles import Role
from tests.contracts.import_helpers import export_file, read_rows
from tests.contracts.register.factories import ContractFactory
from tests.view_cases import ImportPageTests, form_errors

HEADERS = [column.header for column in ContactLogImporter.columns]


def yesterday() -> str:
    moment = timezone.localtime() - datetime.timedelta(days=1)
    return moment.strftime("%Y-%m-%d %H:%M")


def csv_text(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    for values in rows:
        writer.writerow([values.get(header, "") for header in HEADERS])
    return buffer.getvalue()


def entry(contract: str, **changes) -> dict:
    return {
        "Contract": contract,
        "Date and time": yesterday(),
        "How": "Phone call",
        "Which way": "To the provider",
        "Subject": "Late quarterly return",
        "Summary": "Asked when the return will arrive; promised by Friday.",
        "Concern": "No",
        **changes,
    }


class TestContactLogImportPages(ImportPageTests):
    importer_class = ContactLogImporter
    import_url_name = "governance:contactlogentry_import"

    def make_writer(self, make_user):
        writer = make_user(role=Role.CONTRACT_MANAGER)
        self.contract = ContractFactory(lead_officer=writer)
        return writer

    def good_file(self, writer) -> str:
        return csv_text(
            [entry(self.contract.reference), entry(self.contract.reference, How="E-mail")]
        )

    def out_of_scope_file(self, writer, make_user) -> str:
        elsewhere = ContractFactory(lead_officer=make_user(role=Role.CONTRACT_MANAGER))
        return csv_text([entry(self.contract.reference), entry(elsewhere.reference)])


@pytest.mark.django_db
def test_each_rows_problems_are_those_of_the_contact_form(make_user, login):
    officer = make_user(role=Role.CONTRACT_MANAGER)
    contract = ContractFactory(lead_officer=officer)
    future = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%d %H:%M")
    text = csv_text(
        [
            entry(contract.reference),
            entry(contract.reference, **{"Date and time": future}),
            entry(contract.reference, How="Carrier pigeon"),
            entry(contract.reference, Summary=""),
            entry(contract.reference, **{"Date and time": "12/06/2026 10:00"}),
        ]
    )
    client = login(officer)
    response = client.post(
        reverse("governance:contactlogentry_import"),
        {"file": SimpleUploadedFile("contacts.csv", text.encode())},
    )
    assert response.status_code == 302, form_errors(response)
    page = html.unescape(client.get(response["Location"]).content.decode())
    assert "4 of 5 rows have a problem" in page
    assert "The date and time cannot be in the future." in page
    assert "“Carrier pigeon” is not a way of contact" in page
    assert "Summary is empty" in page
    assert "“12/06/2026 10:00” is text, not a date and time" in page
    assert client.post(response["Location"]).status_code == 400
    assert ContactLogEntry.objects.count() == 0


# -- The round trip ---------------------------------------------------------------------------

#: The columns an import carries; the export's others are read from the records (the
#: entry's reference, follow-up, the people who took part, who logged it).
CARRIED = [*HEADERS, "Provider"]


def carried(rows: list[list[str]]) -> list[tuple[str, ...]]:
    """Each row's carried columns, in the export's order."""
    header = rows[0]
    positions = [header.index(name) for name in CARRIED]
    return [tuple(values[i] for i in positions) for values in rows[1:]]


@pytest.mark.django_db
@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_demos_contact_log_exported_and_imported_into_an_empty_log_comes_back_equal(
    export_format, client, monkeypatch
):
    """The demo contact log, as its contract manager exports it, comes back equal after
    every entry is deleted and the export imported as it is."""
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    with time_machine.travel(datetime.datetime(2026, 12, 4, 9, tzinfo=datetime.UTC), tick=False):
        call_command("seed_demo")
        manager = User.objects.get(username="manager")
        client.force_login(manager)
        first = export_file(client, "governance:contactlogentry_list", export_format)
        before = read_rows(first, export_format)
        count = ContactLogEntry.objects.restrict(manager, "view").count()
        assert count >= 3 and len(before) == count + 1

        # Disputes and exit notices point at the entries that evidence them; an empty
        # log has none of either (the disputes' timelines are append-only in the
        # service, so they are cleared here directly).
        ExitNotice.objects.update(contact_log_entry=None)
        for model in (DisputeEvent, DisputeEndorsement):
            model.objects.all()._raw_delete(connection.alias)
        Dispute.objects.all().delete()
        ContactLogEntry.objects.all().delete()
        response = client.post(
            reverse("governance:contactlogentry_import"),
            {"file": SimpleUploadedFile(f"demo-contact-log.{export_format}", first)},
        )
        assert response.status_code == 302, form_errors(response)
        page = html.unescape(client.get(response["Location"]).content.decode())
        assert f"All {count} rows can be imported" in page, page
        assert client.post(response["Location"]).status_code == 302
        assert ContactLogEntry.objects.count() == count

        after = read_rows(
            export_file(client, "governance:contactlogentry_list", export_format), export_format
        )
        assert after[0] == before[0]
        assert carried(after) == carried(before)
